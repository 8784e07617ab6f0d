// `callscrub report show`: a report in a few lines, for people: who signed, when, what was scrubbed against what.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { daysBetween } from '../dates.js';
import { count, Reporter } from '../ui/reporter.js';
import { resolvePath } from './common.js';

export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  const report = program.command('report').description('read signed exclusion reports');
  report.exitOverride();
  report
    .command('show')
    .description('a human summary of a report (it does not verify it: see callscrub verify)')
    .argument('<report>', 'the report file')
    .action((file: string) => run(() => runReportShow(file, context)));
}

export async function runReportShow(file: string, context: Context): Promise<void> {
  const { loadReport } = await import('../report/report.js');
  const { envelope, statement } = loadReport(resolvePath(file, context), file);
  const p = statement.predicate;
  const reporter = new Reporter(context, { quiet: false, json: false });
  const signer = envelope.signatures[0]?.keyid;
  reporter.info(`report ${file}: ${signer === undefined ? reporter.style('yellow', 'UNSIGNED') : `signed by key ${signer}`} (not verified here)`);
  const run = envelope.callscrubRun;
  reporter.info(`  scrub date ${p.scrubDate}${run === undefined ? '' : `, ran ${run.startedAt} to ${run.endedAt} on ${run.host} as ${run.user}`} with callscrub ${p.tool.version} (${p.tool.phoneMetadata})`);
  reporter.info(`  input ${p.input.name}: ${count(p.input.rows)} rows, ${p.input.encoding}, delimiter ${p.input.delimiter}, phone columns ${p.input.phoneColumns.join(', ')}, SHA-256 ${p.input.sha256}`);
  for (const l of p.lists) {
    const age = l.kind === 'opposition' ? `, ${daysBetween(l.asOf, p.scrubDate)} days old on the scrub date` : '';
    reporter.info(`  list ${l.name} v${l.version} (${l.kind}, as of ${l.asOf}${age}, ${count(l.numbers)} numbers, logical SHA-256 ${l.logicalSha256.slice(0, 16)}…)`);
  }
  for (const s of p.staleLists) reporter.info(`  ${reporter.style('yellow', 'stale')}: ${s.name} was ${s.ageDays} days old, over its maximum of ${s.maxAgeDays} (--allow-stale)`);
  const c = p.counts;
  reporter.info(`  rows: ${count(c.rowsClean)} clean, ${count(c.rowsExcluded)} excluded, ${count(c.rowsInvalid)} invalid`);
  reporter.info(`  by reason: ${Object.entries(c.byReason).map(([r, n]) => `${r} ${count(n)}`).join(', ') || 'none'}`);
  const settings = Object.entries(p.settings).filter(([, v]) => v === true).map(([k]) => k);
  reporter.info(`  policy ${p.settings.policy}, country ${p.settings.country}${settings.length > 0 ? `, ${settings.join(', ')}` : ''}`);
  for (const s of statement.subject) reporter.info(`  ${s.annotations?.role ?? 'file'} ${s.name}: SHA-256 ${s.digest.sha256}`);
}
