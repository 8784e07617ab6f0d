// `callscrub registry status`: each list's kind, size, age and freshness, the question a cron job asks first.

import { styleText } from 'node:util';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { localDate } from '../dates.js';
import { CallscrubError } from '../errors.js';
import { count, Reporter } from '../ui/reporter.js';
import { displayPath, resolveDb, writeJson } from './common.js';

export const help = `
An opposition list is fresh while its newest version is at most its maximum age (in days, from its as-of date to
today); internal, exempt and consent lists never go stale. With --require-fresh the command exits 3 when there is
neither an opposition nor a consent list, or an opposition list is stale, so a cron job can stop before scrubbing.

Examples:
  callscrub registry status
  callscrub registry status --json --require-fresh`;

export interface RegistryStatusOptions {
  readonly db: string;
  readonly json: boolean;
  readonly requireFresh: boolean;
}

export interface ListStatus {
  readonly name: string;
  readonly kind: string;
  readonly versions: number;
  readonly version: number | null;
  readonly numbers: number;
  readonly asOf: string | null;
  readonly importedAt: string | null;
  readonly ageDays: number | null;
  readonly maxAgeDays: number | null;
  /** Consent lists: how old a consent may be before scrubs stop using it; null: any age (or not a consent list). */
  readonly consentMaxAgeDays: number | null;
  readonly fresh: boolean;
  readonly covers: readonly string[];
  readonly logicalSha256: string | null;
}

export function define(registry: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  registry
    .command('status')
    .description("each list's size, age and freshness")
    .option('--require-fresh', 'exit 3 unless there is an opposition or consent list and every opposition list is fresh')
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', help)
    .action((raw: RawOptions) => run(() => runRegistryStatus(resolveOptions(raw, context), context)));
}

interface RawOptions {
  db?: string;
  json?: boolean;
  requireFresh?: boolean;
}

export function resolveOptions(raw: RawOptions, context: Context): RegistryStatusOptions {
  return Object.freeze({ db: resolveDb(raw.db, context), json: raw.json === true, requireFresh: raw.requireFresh === true });
}

export async function listStatuses(db: string, today: string): Promise<ListStatus[] | undefined> {
  const [{ Registry }, { freshness }] = await Promise.all([import('../registry/store.js'), import('../registry/freshness.js')]);
  if (!Registry.exists(db)) return undefined;
  const registry = Registry.open(db, { readonly: true });
  try {
    return registry.read(() =>
      registry.lists().map((list) => {
        const all = registry.versions(list.name);
        const latest = all[all.length - 1];
        const state = latest === undefined ? undefined : freshness(list, latest.asOf, today);
        return {
          name: list.name,
          kind: list.kind,
          versions: all.length,
          version: latest?.version ?? null,
          numbers: latest?.numbersTotal ?? 0,
          asOf: latest?.asOf ?? null,
          importedAt: latest?.importedAt ?? null,
          ageDays: state?.ageDays ?? null,
          maxAgeDays: list.maxAgeDays,
          consentMaxAgeDays: list.consentMaxAgeDays,
          fresh: state?.fresh ?? false,
          covers: latest?.covers ?? [],
          logicalSha256: latest?.logicalSha256 ?? null,
        };
      }),
    );
  } finally {
    registry.close();
  }
}

export async function runRegistryStatus(options: RegistryStatusOptions, context: Context): Promise<void> {
  const reporter = new Reporter(context, { quiet: false, json: options.json });
  const today = localDate(context.now());
  const lists = await listStatuses(options.db, today);
  if (options.json) writeJson(context, { db: options.db, today, lists: lists ?? [] });
  if (lists === undefined) {
    reporter.info(`no registry at ${displayPath(options.db, context)} yet: import a list with 'callscrub registry import FILE --list NAME'`);
  } else if (lists.length === 0) {
    reporter.info(`no lists in ${displayPath(options.db, context)} yet`);
  } else if (!options.json) {
    const out = new TableOutput(context);
    out.line(`registry ${displayPath(options.db, context)}, today ${today}`);
    const rows = lists.map((l) => [
      l.name,
      l.kind,
      `v${l.version ?? '-'}`,
      count(l.numbers),
      l.asOf ?? '-',
      l.ageDays === null ? '-' : `${l.ageDays} d`,
      l.kind === 'opposition' ? `max ${l.maxAgeDays} d` : l.consentMaxAgeDays !== null ? `never stale, consents ${l.consentMaxAgeDays} d` : 'never stale',
      l.fresh ? out.style('green', 'fresh') : out.style('red', 'STALE'),
      l.kind === 'opposition' ? l.covers.map((c) => `+${c}`).join(' ') : '',
    ]);
    const header = ['list', 'kind', 'version', 'numbers', 'as of', 'age', 'maximum', 'state', 'covers'];
    for (const line of table([header, ...rows])) out.line(`  ${line}`);
  }
  if (options.requireFresh) {
    const opposition = (lists ?? []).filter((l) => l.kind === 'opposition');
    const stale = opposition.filter((l) => !l.fresh);
    // Where calls need a consent (France since 11 August 2026), a consent list is what a scrub screens against.
    if (opposition.length === 0 && !(lists ?? []).some((l) => l.kind === 'consent' && l.version !== null)) {
      throw new CallscrubError('compliance', 'no opposition or consent list in the registry', { hint: 'import one with callscrub registry import' });
    }
    if (stale.length > 0) {
      const first = stale[0] as ListStatus;
      throw new CallscrubError(
        'compliance',
        `list '${first.name}' is ${first.ageDays} days old (as of ${first.asOf}), the maximum is ${first.maxAgeDays}`,
        { hint: 'import a newer list' },
      );
    }
  }
}

/**
 * What a command exists to print (a table, lookup results): on standard output, so that it can be piped to less
 * or grep, coloured only when standard output is a terminal. Messages for people stay on standard error.
 */
export class TableOutput {
  private readonly color: boolean;

  constructor(private readonly context: Context) {
    this.color = context.color && (context.stdout as { isTTY?: boolean }).isTTY === true;
  }

  style(style: 'green' | 'red' | 'yellow', text: string): string {
    return this.color ? styleText(style, text) : text;
  }

  line(text = ''): void {
    this.context.stdout.write(`${text}\n`);
  }
}

/** Pads columns to their widest cell; colour codes do not count toward the width. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, plain(cell).length)));
  return rows.map((row) => row.map((cell, i) => cell + ' '.repeat((widths[i] as number) - plain(cell).length)).join('  ').trimEnd());
}
