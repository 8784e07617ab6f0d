// `callscrub registry check`: is this number on any list, since when, and until when; for a consent list, the
// consent held and its evidence: on a given date, from the versions then in force (answering a complaint).

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { dayOf, localDate } from '../dates.js';
import { usageError } from '../errors.js';
import type { Evidence } from '../registry/consent-records.js';
import type { Version } from '../registry/records.js';
import { printable } from '../ui/printable.js';
import { noRegistryHere, parseCountry, parseDate, resolveDb, writeJson } from './common.js';
import { TableOutput } from './registry-status.js';

export const help = `
Looks each NUMBER up in every list: in its newest version, or with --at DATE in the version current on that date
(the newest dated, by its --as-of, on or before it), and says whether each entry was in force on that date. A national
08 or 09 number that may belong to the mainland or to an overseas department is looked up under each of its forms,
except in consent lists, which hold a consent for the number as given.

For a consent list it shows the consent's evidence (when and how it was given, its proof, scope, withdrawal and
expiry) and whether it was in force on the date: the record to show a consumer who says "I never agreed", or the
CNIL. Scrubs, reports and logs never show this evidence. Exit 0 whatever the lists say.

Examples:
  callscrub registry check "06 12 34 56 78"
  callscrub registry check --json +33612345678 0692123456
  callscrub registry check 0612345678 --at 2026-09-15`;

export interface RegistryCheckOptions {
  readonly db: string;
  readonly numbers: readonly string[];
  readonly country: string;
  /** The date to answer for, YYYY-MM-DD; undefined: today, from the newest versions. */
  readonly at: string | undefined;
  readonly json: boolean;
}

/** A consent held for the number, with its evidence, and whether it was in force on the date asked about. */
export interface ConsentMatch extends Evidence {
  /** The version that recorded this consent as it stands, and its as-of date. */
  readonly recordedInVersion: number;
  readonly recordedAsOf: string;
  readonly inForce: boolean;
  /** Not in force: withdrawn, expired, too-old (over the list's maximum age) or not-yet-given; and since when. */
  readonly why?: string;
  readonly whyDate?: string;
  /** The list's maximum age of a consent today (a setting, not versioned); null: none. */
  readonly maxAgeDays: number | null;
}

export interface ListMatch {
  readonly list: string;
  readonly kind: string;
  /** Null: no version of the list had been imported by the date. */
  readonly version: number | null;
  readonly asOf: string | null;
  /** Whether the version holds the number (for a consent list: holds a consent for it, in force or not). */
  readonly listed: boolean;
  /** The version can no longer be rebuilt (registry prune): nothing can be said of it. */
  readonly pruned?: boolean;
  /** The form that matched (the number itself, or one of its alternates). */
  readonly matched?: string;
  /** First version of the unbroken run in which it is listed, and that version's as-of date. */
  readonly sinceVersion?: number;
  readonly sinceAsOf?: string;
  /** False when pruned history hides when the run began: it began at `sinceVersion` or earlier. */
  readonly sinceExact?: boolean;
  /** Internal lists: expiry; exempt lists: contract end; `never` when none. */
  readonly until?: string;
  /** Internal and exempt lists: whether the entry was in force on the date. */
  readonly inForce?: boolean;
  readonly consent?: ConsentMatch;
  /** With --at: the consent as the newest version records it, when it says otherwise (a withdrawal learnt since). */
  readonly nowRecorded?: ConsentMatch;
}

export function define(registry: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  registry
    .command('check')
    .description('look numbers up in every list')
    .argument('<number...>', 'phone numbers in any notation')
    .option('--country <CC>', 'region of numbers written without a country code', 'FR')
    .option('--at <date>', 'answer for this date, YYYY-MM-DD, from the versions then in force (default: today)')
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--json', 'print a JSON array on stdout')
    .addHelpText('after', help)
    .action((numbers: string[], raw: RawOptions) => run(() => runRegistryCheck(resolveOptions(numbers, raw, context), context)));
}

interface RawOptions {
  db?: string;
  country: string;
  at?: string;
  json?: boolean;
}

export function resolveOptions(numbers: readonly string[], raw: RawOptions, context: Context): RegistryCheckOptions {
  return Object.freeze({
    db: resolveDb(raw.db, context),
    numbers: [...numbers],
    country: parseCountry(raw.country) as string,
    at: parseDate(raw.at, '--at'),
    json: raw.json === true,
  });
}

export async function runRegistryCheck(options: RegistryCheckOptions, context: Context): Promise<void> {
  if (options.numbers.length === 0) throw usageError('registry check needs at least one number');
  const [{ Registry }, { normalize }, { formatDay }, { primaryReadingOf }, { consentState }] = await Promise.all([
    import('../registry/store.js'),
    import('../phone/normalize.js'),
    import('../numbers/set.js'),
    import('../registry/readings.js'),
    import('../registry/consent-records.js'),
  ]);
  const registry = Registry.openExisting(options.db, () => noRegistryHere(options.db), { readonly: true });
  const date = options.at ?? localDate(context.now());
  const day = dayOf(date) as number;
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
          const version = options.at === undefined ? registry.latestVersion(list) : registry.versionAsOf(list, options.at);
          if (version === undefined) return options.at === undefined ? [] : [{ list: list.name, kind: list.kind, version: null, asOf: null, listed: false }];
          const base = { list: list.name, kind: list.kind, version: version.version, asOf: version.asOf };
          if (list.kind === 'consent') {
            // A consent is held for the number as the ledger gave it: matched exactly, never under another reading.
            const value = Number(normalized.e164.slice(1));
            const consentIn = (v: Version): ConsentMatch | undefined => {
              const held = registry.consentOf(list, v.version, value);
              if (held === undefined) return undefined;
              const { consent, fromVersion } = held;
              const recorded = registry.versions(list.name).find((r) => r.version === fromVersion);
              const state = consentState(consent.grantedDay, consent.withdrawnDay, consent.expiresDay, day, list.consentMaxAgeDays);
              const why = state.inForce ? {} : { why: state.why, whyDate: formatDay(state.since) };
              return { ...consent.evidence, recordedInVersion: fromVersion, recordedAsOf: recorded?.asOf ?? '', inForce: state.inForce, ...why, maxAgeDays: list.consentMaxAgeDays };
            };
            const then = version.replayable ? consentIn(version) : undefined;
            // What is known now about that date may differ from what was known then (a withdrawal learnt since); a
            // pruned version says nothing, and what is recorded now is all there is.
            const newest = registry.latestVersion(list) as Version;
            const now = newest.version === version.version ? then : consentIn(newest);
            const differs = now !== undefined && JSON.stringify(now) !== JSON.stringify(then);
            const pruned = version.replayable ? {} : { pruned: true };
            return [{ ...base, ...pruned, listed: then !== undefined, ...(then === undefined ? {} : { consent: then }), ...(differs ? { nowRecorded: now } : {}) }];
          }
          for (const form of forms) {
            const listing = registry.listingAt(list, version.version, Number(form.slice(1)));
            if (listing === 'pruned') return [{ ...base, listed: false, pruned: true }];
            if (listing === undefined) continue;
            const { since, exact } = listing;
            const dated = listing.until === undefined ? {} : { until: formatDay(listing.until), inForce: listing.until >= day };
            return [{ ...base, listed: true, matched: form, sinceVersion: since.version, sinceAsOf: since.asOf, sinceExact: exact, ...dated }];
          }
          return [{ ...base, listed: false }];
        });
        return { input, ok: true as const, e164: normalized.e164, alternates: normalized.alternates, lists };
      }),
    );
    if (options.json) {
      writeJson(context, options.at === undefined ? results : results.map((r) => ({ ...r, at: date })));
      return;
    }
    const out = new TableOutput(context);
    if (options.at !== undefined) out.line(`on ${date}, from the versions current that day:`);
    for (const result of results) {
      if (!result.ok) {
        out.line(`${printable(result.input)}: ${out.style('yellow', 'INVALID')} (${result.reason})`);
        continue;
      }
      const also = result.alternates.length > 0 ? ` (also looked up as ${result.alternates.join(', ')})` : '';
      out.line(`${printable(result.input)} = ${result.e164}${also}`);
      if (result.lists.length === 0) out.line('  no lists in the registry');
      for (const m of result.lists) out.line(describeMatch(m, result.e164, date, out));
    }
  } finally {
    registry.close();
  }
}

/** Whether a consent was in force on the date, and if not why. */
function describeConsent(c: ConsentMatch, date: string, out: TableOutput): string {
  if (c.granted === null) return `${out.style('red', 'NO CONSENT')}: a withdrawal is recorded on ${printable(c.withdrawn ?? '')}`;
  if (c.inForce) return out.style('green', `CONSENT IN FORCE on ${date}`);
  const why = c.why === 'too-old' ? `given on ${c.whyDate}, older than the ${c.maxAgeDays}-day maximum` : c.why === 'not-yet-given' ? `given only on ${c.whyDate}` : `${c.why} on ${c.whyDate}`;
  return `${out.style('red', `CONSENT NOT IN FORCE on ${date}`)} (${why})`;
}

/** A consent's evidence, as recorded: the lines `registry check` shows under its state. */
function describeEvidence(c: ConsentMatch): string[] {
  const lines: string[] = [];
  if (c.granted !== null) {
    lines.push(`    granted ${printable(c.granted)}; source ${printable(c.source ?? '')}; proof ${printable(c.proof ?? '')}${c.scope === null ? '' : `; scope ${printable(c.scope)}`}`);
  }
  lines.push(`    withdrawn ${c.withdrawn === null ? 'no' : printable(c.withdrawn)}; expires ${c.expires === null ? 'never' : printable(c.expires)}; recorded as it stands in v${c.recordedInVersion} (as of ${c.recordedAsOf})`);
  if (c.lastWithdrawn !== null) lines.push(`    also withdrawn on ${printable(c.lastWithdrawn)}: no consent dated before that can make the number callable`);
  if (c.note !== null) lines.push(`    note: ${printable(c.note)}`);
  return lines;
}

/** One list's answer, in a line or a few. */
function describeMatch(m: ListMatch, e164: string, date: string, out: TableOutput): string {
  const name = `  ${m.list} (${m.kind}, ${m.version === null ? 'no version yet' : `v${m.version}`})`;
  if (m.version === null) return `${name}: no version dated on or before ${date}`;
  if (m.kind === 'consent') {
    const c = m.consent;
    const first = m.pruned === true ? `${name}: cannot tell from this version: its history was pruned` : `${name}: ${out.style('red', 'NO CONSENT')} recorded for ${e164}`;
    const lines = c === undefined ? [first] : [`${name}: ${describeConsent(c, date, out)}`, ...describeEvidence(c)];
    const now = m.nowRecorded;
    if (now !== undefined) lines.push(`    as recorded now (v${now.recordedInVersion}, as of ${now.recordedAsOf}): ${describeConsent(now, date, out)}`, ...describeEvidence(now).map((l) => `  ${l}`));
    return lines.join('\n');
  }
  if (m.pruned === true) return `${name}: cannot tell, the history of this version was pruned`;
  if (!m.listed) return `${name}: not listed`;
  const since = `since v${m.sinceVersion} of ${m.sinceAsOf}${m.sinceExact === true ? '' : ' or earlier (older history pruned)'}`;
  const ended = m.inForce === false ? ' (over on that date)' : '';
  const until = m.until === undefined ? '' : m.kind === 'exempt' ? `, contract ends ${m.until}${ended}` : `, expires ${m.until}${ended}`;
  const matched = m.matched === e164 ? '' : ` as ${m.matched}`;
  return `${name}: ${out.style('red', 'LISTED')}${matched} ${since}${until}`;
}
