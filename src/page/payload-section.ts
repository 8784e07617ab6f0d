// The signed payload as it is (canonical JSON, the bytes the signature covers), collapsed, and how to check the
// signature and the files with OpenSSL, jq and coreutils alone: the auditor's recipe of the README, with this
// report's and key's file names in it. A payload over `payloadShown` bytes is shown in part and says how to see it.

import type { ReadReport } from '../report/read.js';
import { esc, escLines } from './html.js';
import type { Words } from './words.js';

export const payloadShown = 1 << 20;

/** A name for a shell command line: quoted when it holds anything but safe characters. */
function shellWord(name: string): string {
  return /^[\w./@%+=:,-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}

/**
 * The recipe, one command per line, for this report and key (README: "For auditors without callscrub"); for an
 * unsigned report, only the payload and the files' digests: there is no signature to check.
 */
export function opensslRecipe(reportName: string, keyName: string, signed = true): string {
  const report = shellWord(reportName);
  const key = shellWord(keyName);
  const signature = [
    `jq -r '.signatures[0].sig' ${report} | base64 -d > sig.bin`,
    `type=$(jq -r .payloadType ${report})`,
    `printf 'DSSEv1 %d %s %d ' "\${#type}" "$type" "$(wc -c < payload.json)" > pae.bin`,
    `cat payload.json >> pae.bin`,
    `openssl pkeyutl -verify -pubin -inkey ${key} -rawin -in pae.bin -sigfile sig.bin`,
  ];
  return [
    `jq -r .payload ${report} | base64 -d > payload.json`,
    ...(signed ? signature : []),
    `jq -r '.subject[] | "\\(.digest.sha256)  \\(.name)"' payload.json | sha256sum -c`,
    `jq -r '.predicate.input | "\\(.sha256)  \\(.name)"' payload.json | sha256sum -c`,
  ].join('\n');
}

export function payloadSection(report: ReadReport, reportName: string, keyName: string | undefined, w: Words): string {
  const f = w.format;
  const bytes = report.payload.length;
  const shown = bytes > payloadShown ? report.payload.subarray(0, payloadShown).toString('utf8') : report.payload.toString('utf8');
  const key = keyName ?? 'SIGNER.pub';
  const unsigned = report.envelope.signatures.length === 0;
  return (
    `<section id="payload" aria-labelledby="payload-heading"><h2 id="payload-heading">${esc(unsigned ? w.payloadHeadingUnsigned : w.payloadHeading)}</h2>` +
    `<p>${esc(unsigned ? w.payloadIntroUnsigned : w.payloadIntro)}</p>` +
    `<details><summary>${esc((unsigned ? w.payloadSummaryUnsigned : w.payloadSummary)(f.count(bytes)))}</summary>` +
    (bytes > payloadShown ? `<p>${esc(w.payloadCut(f.count(payloadShown), f.count(bytes)))} <code>jq -r .payload ${esc(shellWord(reportName))} | base64 -d</code></p>` : '') +
    `<pre class="payload" lang="en">${escLines(shown)}</pre></details>` +
    `<h3 id="openssl">${esc(w.opensslHeading)}</h3>` +
    `<p>${esc(w.opensslIntro)}${unsigned ? ` ${esc(w.opensslUnsigned)}` : keyName === undefined ? ` ${esc(w.unknownKey)}` : ''}</p>` +
    `<pre class="recipe" lang="en"><code>${escLines(opensslRecipe(reportName, key, !unsigned))}</code></pre>` +
    `<p>${esc(unsigned ? w.opensslOutcomeUnsigned : w.opensslOutcome)}</p>` +
    (unsigned ? '' : `<p>${esc(w.keyIdHow)} <code>openssl pkey -pubin -in ${esc(shellWord(key))} -outform DER | sha256sum</code></p>`) +
    `</section>`
  );
}
