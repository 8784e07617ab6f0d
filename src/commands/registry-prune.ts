// `callscrub registry prune`: drops list history older than a number of days, saying which versions can no longer
// be replayed by an auditor.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { CallscrubError } from '../errors.js';
import { Reporter } from '../ui/reporter.js';
import { noRegistryHere, parseWholeNumber, resolveDb, writeJson } from './common.js';

export const help = `
Keeps every version that was in force during the last N days (those imported since, and the one that was newest
N days ago), so that any scrub of those days can still be replayed. Older versions keep their record (dates,
counts, digests) but their numbers can no longer be rebuilt. The newest version of a list is never pruned.
For a consent list, pruning also deletes the evidence of consents that only the older versions held (a consent
replaced or withdrawn since): keep at least as long as you must be able to prove a consent (Germany: 5 years).

Examples:
  callscrub registry prune --keep-days 400 --dry-run
  callscrub registry prune --keep-days 400 --list bloctel`;

export interface RegistryPruneOptions {
  readonly db: string;
  readonly keepDays: number;
  readonly list: string | undefined;
  readonly dryRun: boolean;
  readonly json: boolean;
}

export function define(registry: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  registry
    .command('prune')
    .description('drop history older than N days')
    .requiredOption('--keep-days <n>', 'keep what was in force during the last N days')
    .option('--list <name>', 'only this list')
    .option('--dry-run', 'say what would be dropped, change nothing')
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', help)
    .action((raw: RawOptions) => run(() => runRegistryPrune(resolveOptions(raw, context), context)));
}

interface RawOptions {
  db?: string;
  keepDays: string;
  list?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function resolveOptions(raw: RawOptions, context: Context): RegistryPruneOptions {
  return Object.freeze({
    db: resolveDb(raw.db, context),
    keepDays: parseWholeNumber(raw.keepDays, '--keep-days', 0) as number,
    list: raw.list,
    dryRun: raw.dryRun === true,
    json: raw.json === true,
  });
}

export async function runRegistryPrune(options: RegistryPruneOptions, context: Context): Promise<void> {
  const { Registry } = await import('../registry/store.js');
  const reporter = new Reporter(context, { quiet: false, json: options.json });
  const cutoff = new Date(context.now().getTime() - options.keepDays * 86_400_000).toISOString();
  const registry = Registry.openExisting(options.db, () => noRegistryHere(options.db, 'name the registry with --db'));
  try {
    const lost = registry.write(() => {
      const lists = registry.lists().filter((l) => options.list === undefined || l.name === options.list);
      if (options.list !== undefined && lists.length === 0) {
        throw new CallscrubError('input', `no list named '${options.list}'`, { file: options.db, hint: "see 'callscrub registry status'" });
      }
      return lists.flatMap((list) => {
        const inForce = registry.versionInForce(list, cutoff);
        if (inForce === undefined) return [];
        return options.dryRun ? registry.replayableBefore(list, inForce.version) : registry.dropHistoryBefore(list, inForce.version);
      });
    });
    if (!options.dryRun && lost.length > 0) registry.reclaimSpace();
    const entries = lost.map((v) => ({ list: v.list, version: v.version, asOf: v.asOf, importedAt: v.importedAt, logicalSha256: v.logicalSha256 }));
    if (options.json) writeJson(context, { dryRun: options.dryRun, cutoff, noLongerReplayable: entries });
    if (entries.length === 0) {
      reporter.info(`nothing to prune: every version in force since ${cutoff.slice(0, 10)} or later is kept, and older ones were already pruned`);
      return;
    }
    reporter.info(`${options.dryRun ? 'would drop' : 'dropped'} the history of ${entries.length} versions; these can no longer be replayed:`);
    for (const e of entries) reporter.info(`  ${e.list} v${e.version} (as of ${e.asOf}, logical sha256 ${e.logicalSha256.slice(0, 16)}…)`);
  } finally {
    registry.close();
  }
}
