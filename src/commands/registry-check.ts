// `callscrub registry check`: is this number on any list, since when, and until when.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { noRegistryHere, parseCountry, resolveDb, writeJson } from './common.js';
import { TableOutput } from './registry-status.js';

export const help = `
Looks each NUMBER up in the newest version of every list. A national 08 or 09 number that may belong to the
mainland or to an overseas department is looked up under each of its forms. Exit 0 whether listed or not.

Examples:
  callscrub registry check "06 12 34 56 78"
  callscrub registry check --json +33612345678 0692123456`;

export interface RegistryCheckOptions {
  readonly db: string;
  readonly numbers: readonly string[];
  readonly country: string;
  readonly json: boolean;
}

export interface ListMatch {
  readonly list: string;
  readonly kind: string;
  readonly version: number;
  readonly asOf: string;
  readonly listed: boolean;
  /** The form that matched (the number itself, or one of its alternates). */
  readonly matched?: string;
  /** First version of the unbroken run in which it is listed, and that version's as-of date. */
  readonly sinceVersion?: number;
  readonly sinceAsOf?: string;
  /** False when pruned history hides when the run began: it began at `sinceVersion` or earlier. */
  readonly sinceExact?: boolean;
  /** Internal lists: expiry; exempt lists: contract end; `never` when none. */
  readonly until?: string;
}

export function define(registry: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  registry
    .command('check')
    .description('look numbers up in every list')
    .argument('<number...>', 'phone numbers in any notation')
    .option('--country <CC>', 'region of numbers written without a country code', 'FR')
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--json', 'print a JSON array on stdout')
    .addHelpText('after', help)
    .action((numbers: string[], raw: RawOptions) => run(() => runRegistryCheck(resolveOptions(numbers, raw, context), context)));
}

interface RawOptions {
  db?: string;
  country: string;
  json?: boolean;
}

export function resolveOptions(numbers: readonly string[], raw: RawOptions, context: Context): RegistryCheckOptions {
  return Object.freeze({ db: resolveDb(raw.db, context), numbers: [...numbers], country: parseCountry(raw.country) as string, json: raw.json === true });
}

export async function runRegistryCheck(options: RegistryCheckOptions, context: Context): Promise<void> {
  if (options.numbers.length === 0) throw usageError('registry check needs at least one number');
  const [{ Registry }, { normalize }, { formatDay }, { primaryReadingOf }] = await Promise.all([
    import('../registry/store.js'),
    import('../phone/normalize.js'),
    import('../numbers/set.js'),
    import('../registry/readings.js'),
  ]);
  const registry = Registry.openExisting(options.db, () => noRegistryHere(options.db), { readonly: true });
  try {
    const results = registry.read(() =>
      options.numbers.map((input) => {
        const normalized = normalize(input, { country: options.country });
        if (!normalized.ok) return { input, ok: false as const, reason: normalized.reason, lists: [] as ListMatch[] };
        // Lists store an ambiguous 08/09 number as published (its primary reading): a number that is one of its other
        // readings is looked up under that primary reading too.
        const forms = [normalized.e164, ...normalized.alternates];
        for (const form of [...forms]) {
          const primary = primaryReadingOf(Number(form.slice(1)));
          if (primary !== undefined && !forms.includes(`+${primary}`)) forms.push(`+${primary}`);
        }
        const lists = registry.lists().flatMap((list): ListMatch[] => {
          const latest = registry.latestVersion(list);
          if (latest === undefined) return [];
          const base = { list: list.name, kind: list.kind, version: latest.version, asOf: latest.asOf };
          for (const form of forms) {
            const listing = registry.listing(list, Number(form.slice(1)));
            if (listing === undefined) continue;
            const { since, exact } = listing;
            const until = listing.until === undefined ? {} : { until: formatDay(listing.until) };
            return [{ ...base, listed: true, matched: form, sinceVersion: since.version, sinceAsOf: since.asOf, sinceExact: exact, ...until }];
          }
          return [{ ...base, listed: false }];
        });
        return { input, ok: true as const, e164: normalized.e164, alternates: normalized.alternates, lists };
      }),
    );
    if (options.json) {
      writeJson(context, results);
      return;
    }
    const out = new TableOutput(context);
    for (const result of results) {
      if (!result.ok) {
        out.line(`${result.input}: ${out.style('yellow', 'INVALID')} (${result.reason})`);
        continue;
      }
      const also = result.alternates.length > 0 ? ` (also looked up as ${result.alternates.join(', ')})` : '';
      out.line(`${result.input} = ${result.e164}${also}`);
      if (result.lists.length === 0) out.line('  no lists in the registry');
      for (const m of result.lists) {
        if (!m.listed) {
          out.line(`  ${m.list} (${m.kind}, v${m.version}): not listed`);
          continue;
        }
        const since = `since v${m.sinceVersion} of ${m.sinceAsOf}${m.sinceExact ? '' : ' or earlier (older history pruned)'}`;
        const until = m.until === undefined ? '' : m.kind === 'exempt' ? `, contract ends ${m.until}` : `, expires ${m.until}`;
        const matched = m.matched === result.e164 ? '' : ` as ${m.matched}`;
        out.line(`  ${m.list} (${m.kind}, v${m.version}): ${out.style('red', 'LISTED')}${matched} ${since}${until}`);
      }
    }
  } finally {
    registry.close();
  }
}
