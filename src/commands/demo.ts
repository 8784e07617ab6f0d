// `callscrub demo`: the main job on the shipped sample files, in a scratch folder, showing each real command and
// what it printed. The quick start of the README.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { dayOf, dayToDate, localDate } from '../dates.js';
import { fixturesDir } from '../package.js';
import { CallscrubError, ioError, usageError } from '../errors.js';
import { Reporter } from '../ui/reporter.js';
import { resolvePath } from './common.js';

export const help = `
Runs, in a scratch folder with its own registry, the commands a call centre runs before a campaign, on the sample
files in fixtures/ (fictional numbers from the ranges ARCEP reserves for examples), and shows what each printed.
With --dir the folder (and its registry) is kept for you to explore; otherwise it is removed at the end.

Example:
  npx callscrub demo --dir ./demo`;

export interface DemoOptions {
  readonly dir: string | undefined;
}

/** Runs callscrub with `argv` in `context`: the command line itself, handed over by cli.ts (no import cycle). */
export type RunCommandLine = (argv: readonly string[], context: Context) => Promise<number>;

export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>, commandLine: RunCommandLine): void {
  program
    .command('demo')
    .description('try callscrub on the shipped sample files')
    .option('--dir <folder>', 'work in this folder and keep it (default: a temporary folder, removed at the end)')
    .addHelpText('after', help)
    .action((raw: { dir?: string }) => run(() => runDemo(resolveOptions(raw, context), context, commandLine)));
}

export function resolveOptions(raw: { dir?: string }, context: Context): DemoOptions {
  return Object.freeze({ dir: raw.dir === undefined ? undefined : resolvePath(raw.dir, context) });
}

export async function runDemo(options: DemoOptions, context: Context, run: RunCommandLine): Promise<void> {
  const reporter = new Reporter(context, { quiet: false, json: false });
  const fixtures = fixturesDir();
  if (options.dir !== undefined) refuseUsedFolder(options.dir);
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'callscrub-demo-'));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of fs.readdirSync(fixtures)) fs.copyFileSync(path.join(fixtures, name), path.join(dir, name));
  const now = context.now();
  moveCallsToToday(path.join(dir, 'calls.csv'), localDate(now));
  const threeDaysAgo = localDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 3));
  const steps: Array<[string, string[]]> = [
    ['Load the national opposition list (a Bloctel-style file published three days ago, covering mainland France and overseas):', ['registry', 'import', 'bloctel-sample.txt', '--list', 'bloctel', '--as-of', threeDaysAgo, '--covers', '33,262,508,590,594,596']],
    ["Load the company's own do-not-call list, with expiry dates:", ['registry', 'import', 'optout-internal.csv', '--list', 'optout', '--kind', 'internal']],
    ['Load the customers under a contract in force (exempt until the contract ends):', ['registry', 'import', 'contracts-exempt.txt', '--list', 'contracts', '--kind', 'exempt']],
    ['Is every opposition list fresh enough to scrub against?', ['registry', 'status', '--require-fresh']],
    ['Look numbers up, in any notation:', ['registry', 'check', '05.36.49.11.11', '+33 1 99 00 12 12', '04 65 71 00 00']],
    ['Make a key pair to sign exclusion reports (the .pub goes to auditors):', ['keygen', '--out', 'signer']],
    [
      "Scrub the campaign's prospect file (an Excel export: Windows-1252, ';', CRLF), with a signed report:",
      ['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--report', 'report.json', '--key', 'signer.key'],
    ],
    [
      'What an auditor runs: check the signature and the files, and replay the scrub against the same list versions:',
      ['verify', 'report.json', '--pubkey', 'signer.pub', '--input', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--replay'],
    ],
    [
      'The same checks as one HTML page to read in a browser, print, or archive with the evidence:',
      ['report', 'html', 'report.json', '--pubkey', 'signer.pub', '--input', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--replay', '--html', 'report.html'],
    ],
    [
      "The same prospects as the CRM's Excel workbook (digits stored as numbers, their leading 0 lost; a formula): scrubbed as it is, the clean rows as a workbook:",
      ['scrub', 'prospects.xlsx', '--out', 'clean.xlsx', '--excluded', 'excluded.xlsx', '--invalid', 'invalid-xlsx.csv', '--report', 'report-xlsx.json', '--key', 'signer.key'],
    ],
    [
      'And verified cell for cell, the replay reading the workbook again:',
      ['verify', 'report-xlsx.json', '--pubkey', 'signer.pub', '--input', 'prospects.xlsx', '--out', 'clean.xlsx', '--excluded', 'excluded.xlsx', '--invalid', 'invalid-xlsx.csv', '--replay'],
    ],
    [
      "France is opt-in since 11 August 2026: load the company's consent ledger (the record dated 2062, after the import, is rejected):",
      ['registry', 'import', 'consents.csv', '--list', 'consents', '--kind', 'consent'],
    ],
    [
      'Scrub again for the opt-in rule: a French number is callable only with a consent or a contract in force today:',
      ['scrub', 'prospects.csv', '--require-consent', 'FR', '--out', 'clean-fr.csv', '--excluded', 'excluded-fr.csv', '--invalid', 'invalid-fr.csv'],
    ],
    [
      "Load the dialer's call log (its clock's local times; the sample's days moved so that its last call was two days ago):",
      ['history', 'import', 'calls.csv', '--timezone', 'Europe/Paris'],
    ],
    [
      "Scrub for the campaign with France's contact rules (refusal pause, 4 calls in 30 days) and each clean row's next legal calling window:",
      ['scrub', 'prospects.csv', '--require-consent', 'FR', '--rules', 'fr', '--schedule', '--out', 'campaign.csv', '--excluded', 'excluded-campaign.csv', '--invalid', 'invalid-campaign.csv'],
    ],
    ['How callscrub reads what spreadsheets hold:', ['normalize', '612345678', "'0612345678", '+33 (0)6 12 34 56 78', '6,12345E+08', 'Tél. : 06 12 34 56 78 poste 12', '0692 12 34 56', '#N/A']],
  ];
  const stepContext: Context = { ...context, cwd: dir, defaultDb: path.join(dir, 'callscrub.db') };
  reporter.info(`callscrub demo, in ${dir}`);
  try {
    for (const [title, argv] of steps) {
      reporter.info('');
      reporter.info(reporter.style('bold', title));
      reporter.info(reporter.style('cyan', `$ callscrub ${argv.map(quote).join(' ')}`));
      const code = await run(argv, { ...stepContext, stdout: stepContext.stderr });
      if (code !== 0) throw new CallscrubError('internal', `the demo step 'callscrub ${argv.join(' ')}' failed with exit code ${code}`);
    }
    reporter.info('');
    reporter.info(
      options.dir === undefined
        ? 'Done. (Run with --dir FOLDER to keep the files, the registry and the auditor\'s page, report.html.)'
        : `Done. The files and the registry are in ${dir}; open ${path.join(dir, 'report.html')} in a browser.`,
    );
  } finally {
    if (options.dir === undefined) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The sample call log's "today": its calls are dated as seen from it. */
const callsToday = '2026-11-22';

/**
 * Moves the sample call log's days by whole days so that it reads on `today` as on the sample's own today: the
 * contact rules count calls back from the scrub's instant, and a fixed log would fall out of their reach.
 */
function moveCallsToToday(file: string, today: string): void {
  const shift = (dayOf(today) as number) - (dayOf(callsToday) as number);
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (day) => dayToDate((dayOf(day) as number) + shift)));
}

/**
 * The demo writes sample files and a registry holding a fictional list: in a folder already in use it would replace
 * the user's files and put that list into a real registry, where it would let scrubs pass that should stop.
 */
function refuseUsedFolder(dir: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw usageError(`--dir ${dir} is a file, not a folder`, 'name a new or empty folder');
    throw ioError(error, dir, 'read the folder');
  }
  if (entries.length > 0) throw usageError(`--dir ${dir} is not empty: the demo writes its sample files and a registry there`, 'name a new or empty folder');
}

/** The argument as a shell would need it typed. */
function quote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return arg.includes("'") ? `"${arg.replace(/(["\\$`])/g, '\\$1')}"` : `'${arg}'`;
}
