// Choosing the lists a scrub uses and fixing each at its newest version, in one read transaction, so that an import
// committing meanwhile cannot change a scrub halfway. Freshness is enforced here: a stale opposition list stops
// the scrub (exit 3) unless the user accepts it, which the summary and the report record. Each version's numbers
// are checked against what was stored at import (a damaged registry stops the scrub with exit 1), then given the
// other readings of their ambiguous 08/09 numbers for matching.

import { CallscrubError, usageError } from '../errors.js';
import { freshness } from '../registry/freshness.js';
import { matchingCompact, matchingSet } from '../registry/readings.js';
import type { List, Version } from '../registry/records.js';
import { Registry } from '../registry/store.js';
import type { AttemptParts } from '../numbers/attempts.js';
import type { CompactSet } from '../numbers/compact.js';
import type { NumberSet } from '../numbers/set.js';
import { lookbackSeconds } from '../rules/contact-limits.js';
import type { PinnedList } from './screening.js';

export interface StaleList {
  readonly name: string;
  readonly asOf: string;
  readonly ageDays: number;
  readonly maxAgeDays: number;
}

export interface PinnedLists {
  readonly lists: PinnedList[];
  /** Opposition lists older than their maximum age, used because --allow-stale was given. */
  readonly stale: StaleList[];
  /** Internal and consent lists left out (by --lists, or consent lists by a scrub without consent rules): said on stderr. */
  readonly unused: { readonly opposition: string[]; readonly internal: string[]; readonly consent: string[] };
  /** With `history`: the call history as it stood then, attempts within the rules' reach only. */
  readonly history?: PinnedHistory;
}

export interface PinnedHistory {
  readonly attempts: AttemptParts;
  /** Imports in it, and the last of them (null: none yet). */
  readonly imports: number;
  readonly lastImport: { readonly id: number; readonly importedAt: string } | null;
  /** Attempts at or before this second are left out: no rule looks that far back. */
  readonly sinceSecond: number;
}

/**
 * The call history in `registry` as it stands, for rules judged at `atSecond` (in the caller's read transaction):
 * all of it, or only the attempts of the numbers `only`.
 */
export function pinHistory(registry: Registry, atSecond: number, only?: readonly number[], checkImports = false): PinnedHistory {
  const history = registry.callHistory();
  // A report promises a replay, which rebuilds the history from the imports' own chunks: they must be sound now.
  if (checkImports) history.checkImports();
  const imports = history.imports();
  const last = imports[imports.length - 1];
  const sinceSecond = atSecond - lookbackSeconds;
  return {
    attempts: only === undefined ? history.current(sinceSecond) : history.of(only, sinceSecond),
    imports: imports.length,
    lastImport: last === undefined ? null : { id: last.id, importedAt: last.importedAt },
    sinceSecond,
  };
}

/**
 * `consent`: the scrub requires consents (--require-consent) or lets them beat listings: then a consent list must be
 * in use, and one is enough to scrub against.
 */
export function pinLists(
  db: string,
  selection: readonly string[] | undefined,
  scrubDate: string,
  allowStale: boolean,
  consent: { readonly needed: boolean; readonly option: string } = { needed: false, option: '' },
  history?: { readonly atSecond: number; readonly checkImports?: boolean },
  /**
   * The numbers (every form of each) that will be looked up, when few (callscrub when): only the chunks of each list
   * and of the history that hold them are read. Undefined: every number, as a scrub needs.
   */
  only?: readonly number[],
): PinnedLists {
  const missing = () =>
    new CallscrubError('compliance', 'no registry: there is no list to scrub against', {
      file: db,
      hint: 'import an opposition list with callscrub registry import, or name the registry with --db',
    });
  const registry = Registry.openExisting(db, missing, { readonly: true });
  try {
    return registry.read(() => {
      const all = registry.lists();
      let chosen = all.filter((l) => l.kind !== 'exempt');
      if (selection !== undefined) {
        const unknown = selection.filter((name) => !all.some((l) => l.name === name));
        if (unknown.length > 0) {
          throw usageError(`no list named ${unknown.map((n) => `'${n}'`).join(', ')} in the registry (it has ${all.map((l) => l.name).join(', ') || 'none'})`);
        }
        chosen = all.filter((l) => selection.includes(l.name) && l.kind !== 'exempt');
      }
      // Exemptions apply whichever lists are chosen: they only ever make a listed number callable under contract.
      chosen = [...chosen, ...all.filter((l) => l.kind === 'exempt')];
      // Consent lists count only in a scrub that asks for consents: elsewhere they would change nothing.
      if (!consent.needed) chosen = chosen.filter((l) => l.kind !== 'consent');
      const unused = {
        opposition: all.filter((l) => l.kind === 'opposition' && !chosen.includes(l)).map((l) => l.name),
        internal: all.filter((l) => l.kind === 'internal' && !chosen.includes(l)).map((l) => l.name),
        consent: all.filter((l) => l.kind === 'consent' && !chosen.includes(l)).map((l) => l.name),
      };
      if (consent.needed && !chosen.some((l) => l.kind === 'consent')) {
        const unused = all.filter((l) => l.kind === 'consent');
        throw new CallscrubError('compliance', `${consent.option} needs a consent list, and ${unused.length === 0 ? 'the registry has none' : `--lists leaves out ${unused.map((l) => `'${l.name}'`).join(', ')}`}`, {
          file: db,
          hint: unused.length === 0 ? 'import your consent ledger with callscrub registry import FILE --list consents --kind consent' : 'name the consent list in --lists too',
        });
      }
      if (!chosen.some((l) => l.kind === 'opposition' || l.kind === 'internal' || (consent.needed && l.kind === 'consent'))) {
        throw new CallscrubError('compliance', 'no opposition or internal list to scrub against', {
          file: db,
          hint: 'import one with callscrub registry import',
        });
      }
      const lists: PinnedList[] = [];
      const stale: StaleList[] = [];
      for (const list of chosen) {
        const newest = registry.latestVersion(list);
        if (newest === undefined) continue;
        const latest = pinnedSet(registry, list, newest, only);
        if (latest === undefined) continue;
        const v = latest.version;
        const { ageDays, fresh } = freshness(list, v.asOf, scrubDate);
        if (!fresh) {
          const maxAgeDays = list.maxAgeDays as number;
          if (!allowStale) {
            throw new CallscrubError(
              'compliance',
              `list '${list.name}' is ${ageDays} days old (as of ${v.asOf}), the maximum is ${maxAgeDays}: import a newer list, or pass --allow-stale (the report will record it)`,
            );
          }
          stale.push({ name: list.name, asOf: v.asOf, ageDays, maxAgeDays });
        }
        lists.push({
          name: list.name,
          kind: list.kind,
          version: v.version,
          asOf: v.asOf,
          numbersTotal: v.numbersTotal,
          logicalSha256: v.logicalSha256,
          covers: v.covers,
          maxAgeDays: list.kind === 'opposition' ? list.maxAgeDays : null,
          consentMaxAgeDays: list.kind === 'consent' ? list.consentMaxAgeDays : null,
          ...(list.kind === 'consent' ? { evidenceSha256: registry.recordedEvidenceDigest(list, v.version) } : {}),
          set: latest.set,
        });
      }
      return { lists, stale, unused, ...(history === undefined ? {} : { history: pinHistory(registry, history.atSecond, only, history.checkImports) }) };
    });
  } finally {
    registry.close();
  }
}

/**
 * Opposition lists of at least this many numbers are kept compact (see CompactNumbers): a lookup there costs about
 * 0.5 µs against 0.15 to 0.35 µs in a decoded list's index, but loading 50,000,000 numbers so costs 0.6 s of CPU
 * and 150 MB against 2.3 s and 550 MB decoded (and 100,000,000: 1.2 s and 200 MB against 1 GB).
 */
const compactFrom = 16_000_000;

/** The newest version of a list and the set a scrub matches against it (see matchingSet). */
function pinnedSet(registry: Registry, list: List, newest: Version, only: readonly number[] | undefined): { version: Version; set: NumberSet | CompactSet } | undefined {
  const around = only === undefined ? undefined : registry.latestAround(list, only);
  const readings = around?.readings ?? registry.storedReadings(list, newest.version);
  if (around === undefined && readings !== undefined && list.kind === 'opposition' && newest.numbersTotal >= compactFrom) {
    const kept = registry.latestCompact(list);
    if (kept !== undefined) return { version: kept.version, set: matchingCompact(kept.compact, readings) };
  }
  const latest = around ?? registry.latestSet(list, readings?.numbers.length ?? 0);
  return latest === undefined ? undefined : { version: latest.version, set: matchingSet(latest.set, list.kind, readings) };
}
