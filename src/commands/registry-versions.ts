// `callscrub registry versions`: the history of each list, one version a row, with everything an auditor checks.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { CallscrubError } from '../errors.js';
import { count } from '../ui/reporter.js';
import { noRegistryHere, resolveDb, writeJson } from './common.js';
import { table, TableOutput } from './registry-status.js';

export const help = `
Examples:
  callscrub registry versions --list bloctel
  callscrub registry versions --json | jq '.[] | select(.replayable | not)'`;

export interface RegistryVersionsOptions {
  readonly db: string;
  readonly list: string | undefined;
  readonly json: boolean;
}

export function define(registry: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  registry
    .command('versions')
    .description('the versions of each list: dates, counts, digests')
    .option('--list <name>', 'only this list')
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--json', 'print a JSON array on stdout')
    .addHelpText('after', help)
    .action((raw: RawOptions) => run(() => runRegistryVersions(resolveOptions(raw, context), context)));
}

interface RawOptions {
  db?: string;
  list?: string;
  json?: boolean;
}

export function resolveOptions(raw: RawOptions, context: Context): RegistryVersionsOptions {
  return Object.freeze({ db: resolveDb(raw.db, context), list: raw.list, json: raw.json === true });
}

export async function runRegistryVersions(options: RegistryVersionsOptions, context: Context): Promise<void> {
  const { Registry } = await import('../registry/store.js');
  const registry = Registry.openExisting(options.db, () => noRegistryHere(options.db), { readonly: true });
  try {
    const versions = registry.read(() => {
      if (options.list !== undefined && registry.list(options.list) === undefined) {
        throw new CallscrubError('input', `no list named '${options.list}'`, { file: options.db, hint: "see 'callscrub registry status'" });
      }
      return registry.versions(options.list);
    });
    if (options.json) {
      writeJson(context, versions);
      return;
    }
    const out = new TableOutput(context);
    const rows = versions.map((v) => [
      v.list,
      `v${v.version}`,
      v.mode,
      v.asOf,
      v.importedAt.slice(0, 19).replace('T', ' '),
      count(v.numbersTotal),
      `+${count(v.numbersAdded)}`,
      `-${count(v.numbersRemoved)}`,
      count(v.rejected),
      v.logicalSha256.slice(0, 16),
      v.replayable ? 'yes' : out.style('yellow', 'pruned'),
    ]);
    const header = ['list', 'version', 'mode', 'as of', 'imported (UTC)', 'numbers', 'added', 'removed', 'rejected', 'logical sha256', 'replayable'];
    for (const line of table([header, ...rows])) out.line(line);
  } finally {
    registry.close();
  }
}
