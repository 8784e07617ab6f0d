// The verdict at the top of the auditor's page: one word for the whole (verified, not verified, failed), in colour
// and with a sign so that it reads in black and white too, the first problem in callscrub's own words, then every
// check in verify's order with how it ended. A failed page says so before anything the report claims.

import type { CheckedReport, CheckName, CheckOutcome } from '../report/verify.js';
import type { Contradiction } from './contradictions.js';
import { esc, escName } from './html.js';
import type { Words } from './words.js';

export type VerdictKind = 'verified' | 'unverified' | 'incomplete' | 'failed' | 'not-a-report';

/** The whole in one word: the worst of the checks, and a signature not checked is never "verified". */
export function verdictOf(checked: CheckedReport): VerdictKind {
  // A report file that cannot be read is not known not to be a report.
  if (checked.report === undefined) return checked.checks[0]?.status === 'not-run' ? 'incomplete' : 'not-a-report';
  if (checked.checks.some((c) => c.status === 'failed')) return 'failed';
  if (checked.checks.some((c) => c.status === 'not-run')) return 'incomplete';
  if (checked.checks.find((c) => c.name === 'signature')?.status !== 'passed') return 'unverified';
  return 'verified';
}

const tone: Record<VerdictKind, string> = { verified: 'passed', unverified: 'warn', incomplete: 'failed', failed: 'failed', 'not-a-report': 'failed' };
const sign: Record<VerdictKind, string> = { verified: '✔', unverified: '!', incomplete: '✖', failed: '✖', 'not-a-report': '✖' };

/** The option that would have asked for a check that was not asked for. */
const optionFor: Record<CheckName, string> = {
  format: '',
  signature: '--pubkey FILE',
  input: '--input FILE',
  'clean file': '--out FILE',
  'excluded file': '--excluded FILE',
  'invalid file': '--invalid FILE',
  replay: '--input FILE --replay',
};

export function verdictSection(checked: CheckedReport, found: readonly Contradiction[], w: Words): string {
  const kind = verdictOf(checked);
  // The problem named first is of the verdict's kind: a failed check before one that could not run, whatever their
  // order (verify's exit code stays that of the first in its order: the command says so on stderr).
  const problem = checked.checks.find((c) => c.status === 'failed') ?? checked.firstProblem;
  const filesChecked = checked.checks.some((c) => c.status === 'passed' && c.name !== 'format' && c.name !== 'signature');
  const unsigned = checked.report !== undefined && checked.report.envelope.signatures.length === 0;
  const caution = checked.report === undefined ? undefined : unsigned ? w.unsignedCaution : kind === 'failed' || kind === 'incomplete' || kind === 'unverified' ? w.caution[kind] : undefined;
  const rows = checked.checks.map((c) => checkRow(c, checked, unsigned, w)).join('');
  return (
    `<section id="verdict" class="verdict ${tone[kind]}" aria-labelledby="verdict-heading">` +
    `<h2 id="verdict-heading"><span aria-hidden="true">${sign[kind]} </span>${esc(w.verdict[kind])}</h2>` +
    `<p class="lead">${esc(kind === 'verified' && !filesChecked ? w.verifiedSignatureOnly : w.verdictLead[kind])}</p>` +
    (problem?.error === undefined ? '' : `<p><strong>${esc(w.firstProblem)}</strong> <span lang="en">${esc(problem.error.toLine())}</span></p>`) +
    // Before the table: whatever the checks found, what follows is the report's word only.
    (caution === undefined ? '' : `<p class="caution">${esc(caution)}</p>`) +
    contradictionsNote(found, w) +
    `<table class="checks"><caption>${esc(w.checksCaption)}</caption>` +
    `<thead><tr><th scope="col">${esc(w.checkColumn)}</th><th scope="col">${esc(w.fileColumn)}</th><th scope="col">${esc(w.resultColumn)}</th><th scope="col">${esc(w.detailColumn)}</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>` +
    `</section>`
  );
}

function contradictionsNote(found: readonly Contradiction[], w: Words): string {
  if (found.length === 0) return '';
  return `<div class="caution" id="contradictions"><p><strong>${esc(w.contradictionsIntro)}</strong></p><ul>${found.map((c) => `<li>${esc(w.contradiction(c, w.format))}</li>`).join('')}</ul></div>`;
}

function checkRow(c: CheckOutcome, checked: CheckedReport, unsigned: boolean, w: Words): string {
  // A key id is there only when the signature was checked and holds.
  const signed = checked.keyId !== undefined;
  const isOutput = c.name.endsWith(' file');
  const written = !isOutput || checked.report?.statement.subject.some((s) => `${s.annotations?.role} file` === c.name) === true;
  let result = w.status[c.status];
  let detail: string;
  if (c.status === 'passed') {
    detail = passedDetail(c, w, signed);
    if (c.name === 'signature') result = w.signatureValid;
    else if (c.name !== 'format' && c.name !== 'replay') result = w.digestMatched;
  } else if (c.status === 'not-asked') {
    if (!written) {
      result = w.noneWritten;
      detail = esc(w.noneWrittenDetail);
    } else if (c.name === 'signature' && unsigned) {
      detail = esc(w.unsigned);
    } else {
      detail = `${esc(w.notAskedDetail)} <code>${esc(optionFor[c.name])}</code>`;
    }
  } else {
    detail = `<span lang="en">${esc(c.detail)}</span>`;
  }
  // A file that matched a report whose signature does not hold is not shown as a success.
  const style = !written && c.status === 'not-asked' ? 'muted' : c.status === 'passed' && c.name !== 'format' && c.name !== 'signature' && !signed ? 'not-asked' : c.status;
  const file = c.file === undefined ? '' : c.file === '-' ? esc(w.standardInput) : `<code>${escName(c.file)}</code>`;
  return `<tr><th scope="row">${esc(w.checkName[c.name])}</th><td>${file}</td><td class="result ${style}">${esc(result)}</td><td>${detail}</td></tr>`;
}

/** What a check that passed found; a file matched a report whose signature does not hold is said to be only that. */
function passedDetail(c: CheckOutcome, w: Words, signed: boolean): string {
  switch (c.name) {
    case 'format':
      return esc(w.formatDetail);
    case 'signature':
      return `${esc(w.signatureDetail)} <code class="digest">${esc(c.detail)}</code>`;
    case 'replay':
      return esc(w.replayDetail);
    default:
      return `SHA-256 <code class="digest">${esc(c.detail)}</code> (${esc(signed ? w.digestDetail : w.digestUnverified)})`;
  }
}
