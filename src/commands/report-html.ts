// `callscrub report html`: verify's checks, all of them, and one self-contained HTML page that shows their verdict
// first, then what the report says. The page is written whatever the checks found (a failed page says so first);
// the exit code is verify's for the same checks.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import fs from 'node:fs';
import { usageError } from '../errors.js';
import { checkOutputPaths, checkReplaceable, type NamedPath } from '../io/output-paths.js';
import { printable } from '../ui/printable.js';
import { Reporter } from '../ui/reporter.js';
import { resolveDb, resolvePath } from './common.js';
import { generatorMeta } from '../page/generator.js';
import { addCheckOptions, resolveChecks, type RawVerifyOptions, type VerifyOptions } from './verify.js';

export const help = `
Runs the checks of callscrub verify (format, signature with --pubkey, the SHA-256 of each file given, the replay with
--replay), every one of them even after one fails, and writes one HTML file: the verdict in words and colour, each
check and how it ended, then the scrub (date, input, settings, tool), its outcome as charts drawn in SVG, the lists
used with their age against their maximum, every excluded or invalid row by row number and reason (no phone
number), and the signed payload with the OpenSSL commands to check it by hand. The page has no script and makes no
request; it prints on A4. Without --pubkey the signature is not checked and the page says "Not verified".

Exit 0 when every check given holds; 4 when one fails; 1 when one cannot be carried out (a file that cannot be
read, a list version no longer in the registry): the page is written in every case, and says so first.

Examples:
  callscrub report html report.json --pubkey campaigns.pub --input prospects.csv --out clean.csv --html audit.html
  callscrub report html report.json --pubkey campaigns.pub --input prospects.csv --replay --html audit.html --lang fr`;

interface RawOptions extends RawVerifyOptions {
  html?: string;
  lang?: string;
}

export interface ReportHtmlOptions extends VerifyOptions {
  /** The page's path (`-`: standard output) and its name as given. */
  readonly html: { readonly path: string; readonly name: string };
  readonly lang: 'en' | 'fr';
}

export function define(report: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  const command = report
    .command('html')
    .description('verify a report and write it as one self-contained HTML page for auditors')
    .argument('<report>', 'the report file')
    .option('--html <file>', 'the page to write (- for standard output)');
  addCheckOptions(command, 'the public key of the signer (PEM); without it the signature is not checked')
    .option('--lang <language>', 'the language of the page: en or fr', 'en')
    .addHelpText('after', help)
    .action((file: string, raw: RawOptions) => run(() => runReportHtml(resolveOptions(file, raw, context), context)));
}

export function resolveOptions(report: string, raw: RawOptions, context: Context): ReportHtmlOptions {
  if (raw.html === undefined) throw usageError('report html needs --html FILE (the page to write)', 'or --html - for standard output');
  const lang = raw.lang ?? 'en';
  if (lang !== 'en' && lang !== 'fr') throw usageError(`--lang takes en or fr, not '${printable(lang)}'`);
  const checks = resolveChecks(report, raw, context);
  const html = { path: resolvePath(raw.html, context), name: raw.html };
  const keep: NamedPath[] = [
    { role: 'the report', ...checks.report },
    ...(checks.publicKey === undefined ? [] : [{ role: 'the public key', ...checks.publicKey }]),
    ...(checks.input === undefined ? [] : [{ role: 'the input', ...checks.input }]),
    ...checks.outputs.map((o) => ({ role: `the ${o.role} file`, path: o.path, name: o.name })),
    // The registry (and its -wal, -shm, -journal), replayed or not: a page is never written over it.
    { role: 'the registry', path: checks.replay?.db ?? resolveDb(raw.db, context), name: raw.db ?? 'the registry' },
  ];
  // With --html -, standard output is the page: a file it is redirected to (>> report.json) is an output too.
  checkOutputPaths([{ role: '--html', ...html }], keep, { stdinFd: checks.input?.path === '-' ? context.stdinFd : undefined, stdoutFd: html.path === '-' ? context.stdoutFd : undefined });
  // The page replaces only a page callscrub wrote (its generator meta), or an empty file.
  if (html.path !== '-') checkReplaceable(html.path, `--html ${printable(html.name)}`, generatorMeta, 'name a new file, or a page callscrub wrote before');
  else if (context.stdoutFd !== undefined && fs.fstatSync(context.stdoutFd).isFile()) {
    checkReplaceable(`/proc/self/fd/${context.stdoutFd}`, 'standard output', generatorMeta, 'redirect standard output to a new file');
  }
  return Object.freeze({ ...checks, html, lang });
}

export async function runReportHtml(options: ReportHtmlOptions, context: Context): Promise<void> {
  const [{ checkReport }, { auditorPage }, { verdictOf }, { contradictions }, { wordsFor }, { writePage }, { toolVersion }] = await Promise.all([
    import('../report/verify.js'),
    import('../page/auditor-page.js'),
    import('../page/verdict.js'),
    import('../page/contradictions.js'),
    import('../page/words.js'),
    import('../page/write-page.js'),
    import('../package.js'),
  ]);
  const checkedAt = context.now();
  const checked = await checkReport({ ...options, stdin: context.stdin });
  // Worked out once, for the page and for the line on stderr: a million rows are counted by reason to find them.
  const found = checked.report === undefined ? [] : contradictions(checked.report.statement);
  const page = auditorPage({
    checked,
    reportName: options.report.name,
    keyName: options.publicKey?.name,
    checkedAt,
    toolVersion: toolVersion(),
    contradictions: found,
    words: wordsFor(options.lang),
  });
  writePage(options.html.path, page, context.stdout);
  const reporter = new Reporter(context, { quiet: false, json: false });
  const passed = checked.checks.filter((c) => c.status === 'passed' && c.name !== 'format').map((c) => c.name);
  const verdict = {
    verified: 'verified',
    unverified: 'not verified: no signature checked',
    incomplete: 'could not be verified, the page says why',
    failed: 'verification failed, the page says why',
    'not-a-report': 'not a callscrub report',
  }[verdictOf(checked)];
  reporter.info(`wrote ${options.html.name === '-' ? 'the page to standard output' : printable(options.html.name)}: ${verdict}${passed.length > 0 ? ` (passed: ${passed.join(', ')})` : ''}${found.length > 0 ? '; the report contradicts itself, the page says how' : ''}`);
  if (checked.firstProblem?.error !== undefined) throw checked.firstProblem.error;
}
