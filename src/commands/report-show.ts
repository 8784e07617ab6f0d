// `callscrub report show`: a report in a few lines, for people: who signed, when, what was scrubbed against what.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { daysBetween } from '../dates.js';
import { printable } from '../ui/printable.js';
import { count } from '../ui/reporter.js';
import { resolvePath } from './common.js';

export const help = `
Prints, from the report alone: the signer's key id (not checked here: callscrub verify checks the signature), the
scrub date and run, the input and its phone columns, each list version (an opposition list with its age on the
scrub date), the counts per outcome and reason, the settings, and the SHA-256 of each output. Names taken from the
report are printed with control characters escaped. A report of the wrong shape is refused (exit 4).

Examples:
  callscrub report show report.json
  callscrub report show report.json | grep list`;

export interface ReportShowOptions {
  /** The resolved path of the report. */
  readonly path: string;
  /** The report as the user named it, for messages. */
  readonly name: string;
}

/** Defines `report` and its `show`; returns the `report` command, which `report html` joins. */
export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): Command {
  const report = program.command('report').description('read signed exclusion reports');
  report.exitOverride();
  report
    .command('show')
    .description('a human summary of a report (it does not verify it: see callscrub verify)')
    .argument('<report>', 'the report file')
    .addHelpText('after', help)
    .action((file: string) => run(() => runReportShow(resolveOptions(file, context), context)));
  return report;
}

export function resolveOptions(file: string, context: Context): ReportShowOptions {
  return Object.freeze({ path: resolvePath(file, context), name: file });
}

/**
 * Prints the summary on standard output (it is what the command exists to print: `| less`, `| grep` work).
 * Every text taken from the report goes through printable(): a crafted report cannot drive the terminal.
 */
export async function runReportShow(options: ReportShowOptions, context: Context): Promise<void> {
  const { loadReport } = await import('../report/read.js');
  const { envelope, statement } = loadReport(options.path, options.name);
  const p = statement.predicate;
  const lines: string[] = [];
  const line = (text: string): void => {
    lines.push(text);
  };
  const signer = envelope.signatures[0]?.keyid;
  line(`report ${printable(options.name)}: ${signer === undefined ? 'UNSIGNED' : `signed by key ${printable(signer)}`} (not verified here)`);
  const run = envelope.callscrubRun;
  const ran = run === undefined ? '' : `, ran ${printable(run.startedAt)} to ${printable(run.endedAt)} on ${printable(run.host)} as ${printable(run.user)}`;
  line(`  scrub date ${p.scrubDate}${ran} with callscrub ${printable(p.tool.version)} (${printable(p.tool.phoneMetadata)})`);
  const format = p.input.sheet === undefined ? `${p.input.encoding}, delimiter ${p.input.delimiter}` : `workbook, sheet ${printable(p.input.sheet)}`;
  line(`  input ${printable(p.input.name)}: ${count(p.input.rows)} rows, ${format}, phone columns ${p.input.phoneColumns.map(printable).join(', ')}, SHA-256 ${p.input.sha256}`);
  for (const l of p.lists) {
    const age = l.kind === 'opposition' ? `, ${daysBetween(l.asOf, p.scrubDate)} days old on the scrub date` : '';
    const maxAge = l.kind === 'consent' ? `, ${l.consentMaxAgeDays == null ? 'consents of any age' : `consents up to ${l.consentMaxAgeDays} days old`}` : '';
    line(`  list ${printable(l.name)} v${l.version} (${l.kind}, as of ${l.asOf}${age}${maxAge}, ${count(l.numbers)} numbers, logical SHA-256 ${l.logicalSha256.slice(0, 16)}…)`);
  }
  for (const s of p.staleLists) line(`  stale: ${printable(s.name)} was ${s.ageDays} days old, over its maximum of ${s.maxAgeDays} (--allow-stale)`);
  const c = p.counts;
  line(`  rows: ${count(c.rowsClean)} clean, ${count(c.rowsExcluded)} excluded, ${count(c.rowsInvalid)} invalid`);
  line(`  by reason: ${Object.entries(c.byReason).map(([r, n]) => `${r} ${count(n)}`).join(', ') || 'none'}`);
  const codes = p.settings.requireConsent ?? [];
  if (codes.length > 0) line(`  consent required for ${codes.map((code) => `+${printable(code)}`).join(' ')}: ${count(c.byNumberStatus.consented ?? 0)} consented, ${count(c.byNumberStatus['no-consent'] ?? 0)} without one`);
  const over = c.consentOverListing;
  if (over !== undefined && over.overrode + over.beaten > 0) {
    line(`  listed numbers with a consent in force: ${count(over.overrode)} kept (the consent overrides the listing), ${count(over.beaten)} excluded`);
  }
  const rules = p.contactRules;
  if (rules !== undefined) {
    const h = rules.history;
    const last = h.lastImport === null ? 'no import' : `imports up to ${h.lastImport.id} (${printable(h.lastImport.importedAt)})`;
    line(`  contact rules ${(p.settings.rules ?? []).map(printable).join(',')} judged at ${printable(rules.at)}: ${count(c.byNumberStatus['refusal-pause'] ?? 0)} numbers in a refusal pause, ${count(c.byNumberStatus['frequency-cap'] ?? 0)} at their cap`);
    line(`  call history: ${count(h.attempts)} attempts to ${count(h.numbers)} numbers since ${printable(rules.since)}, ${count(h.imports)} imports, ${last}, SHA-256 ${h.sha256.slice(0, 16)}…`);
  }
  if (typeof p.settings.schedule === 'string') line(`  schedule: clean rows carry their next calling window from ${printable(p.settings.schedule)}`);
  const settings = Object.entries(p.settings).filter(([, v]) => v === true).map(([k]) => printable(k));
  line(`  policy ${p.settings.policy}, country ${printable(p.settings.country)}${settings.length > 0 ? `, ${settings.join(', ')}` : ''}`);
  for (const s of statement.subject) line(`  ${printable(s.annotations?.role ?? 'file')} ${printable(s.name)}: SHA-256 ${s.digest.sha256}`);
  context.stdout.write(`${lines.join('\n')}\n`);
}
