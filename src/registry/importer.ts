// Importing a list file as a new registry version: read and normalize every record, combine it with the newest
// version (full, add or remove) and work out what changed, the logical digest, the coverage and the other readings
// (outside any lock, letting the progress display run), then write it all in one transaction, planned again
// there if another import committed meanwhile. A failure anywhere leaves the registry exactly as it was.

import { CallscrubError, usageError } from '../errors.js';
import { AtomicFile } from '../io/atomic-file.js';
import { callingCodeLength } from '../phone/metadata.js';
import type { Source } from '../io/source.js';
import type { ListFormat } from './formats.js';
import { readListFile, type ReadListFile, type Reject } from './list-reader.js';
import { combine } from '../numbers/changes.js';
import { coverageRanges, covered, distinctPrefixes } from '../numbers/coverage.js';
import { logicalDigest } from '../numbers/digest.js';
import { blocksOf, type SortedEntries } from '../numbers/entries.js';
import type { NumberSet } from '../numbers/set.js';
import { otherReadingsOf, primaryReadingOf } from './readings.js';
import type { ImportMode, List, ListKind, Version } from './records.js';
import { DamagedVersion, type Registry } from './store.js';

export interface ImportOptions {
  readonly list: string;
  /** Undefined: the existing list's kind, or `opposition` for a new list. */
  readonly kind: ListKind | undefined;
  readonly format: ListFormat | 'auto';
  readonly column: string | undefined;
  readonly dateColumn: string | undefined;
  readonly mode: ImportMode;
  readonly asOf: string;
  /** Undefined: keep the list's, or the format's default for a new opposition list. */
  readonly maxAgeDays: number | undefined;
  readonly country: string | undefined;
  readonly covers: readonly string[] | undefined;
  readonly rejectsPath: string | undefined;
  readonly allowShrink: boolean;
  /** When the import happens, ISO 8601. */
  readonly importedAt: string;
}

export type { Reject } from './list-reader.js';

export interface ImportResult {
  readonly list: List;
  readonly version: Version;
  readonly format: ListFormat;
  readonly formatChosenBecause: string | undefined;
  readonly records: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  readonly firstRejects: readonly Reject[];
  readonly bytes: number;
  /** Numbers in the file outside the coverage the user gave with --covers. */
  readonly outsideCovers: number;
  /** Internal entries whose expiry date could not be read, kept as never expiring. */
  readonly unreadableDates: number;
  readonly firstUnreadableDates: readonly number[];
  /** The newest version was damaged: this full import replaced it and set the older history aside. */
  readonly replacedDamaged: DamagedVersion | undefined;
}

export interface ImportProgress {
  records: number;
  bytes: number;
  phase: 'reading' | 'comparing' | 'writing';
}

/** Shows at most this many rejected lines in the summary. */
export const rejectsShown = 5;
/** A full or remove import that would drop more than this share of the list is refused without --allow-shrink. */
export const shrinkLimit = 0.2;

export async function importList(
  registry: Registry,
  source: Source,
  options: ImportOptions,
  progress: ImportProgress,
  defaultMaxAge: (format: ListFormat) => number,
): Promise<ImportResult> {
  const existing = registry.read(() => registry.list(options.list));
  if (existing !== undefined && options.kind !== undefined && options.kind !== existing.kind) {
    throw usageError(`list '${options.list}' is ${existing.kind === 'opposition' || existing.kind === 'internal' || existing.kind === 'exempt' ? 'an' : 'a'} ${existing.kind} list, not ${options.kind}`, `drop --kind or import into another list`);
  }
  const kind = existing?.kind ?? options.kind ?? 'opposition';
  if (existing === undefined && options.mode === 'remove') {
    throw new CallscrubError('input', `list '${options.list}' has no version to remove numbers from`, {
      hint: 'import the full list first',
    });
  }

  const parsed = await readListFile(
    source,
    { kind, format: options.format, country: options.country, column: options.column, dateColumn: options.dateColumn },
    progress,
  );
  if (parsed.set.length === 0) {
    const rejected = Object.values(parsed.rejectedByReason).reduce((a, b) => a + b, 0);
    throw new CallscrubError(
      'input',
      parsed.records === 0 ? 'the file holds no phone number' : `no valid phone number in the file (${rejected} records rejected: ${describeReasons(parsed.rejectedByReason)})`,
      { file: source.name, hint: emptyImportHint(parsed) },
    );
  }

  const rejects = options.rejectsPath === undefined ? undefined : new AtomicFile(options.rejectsPath);
  try {
    rejects?.write('line\treason\n');
    for (const reject of parsed.rejects) rejects?.write(`${reject.line}\t${reject.reason}\n`);
    progress.phase = 'comparing';
    const prepared = await planLettingProgressRun(plan(registry, options, parsed, source));
    progress.phase = 'writing';
    const { list, version, outsideCovers, replacedDamaged } = registry.write(() =>
      commit(registry, options, kind, parsed, source, defaultMaxAge, prepared),
    );
    rejects?.commit();
    return {
      list,
      version,
      format: parsed.format,
      formatChosenBecause: parsed.formatChosenBecause,
      records: parsed.records,
      rejectedByReason: parsed.rejectedByReason,
      firstRejects: parsed.rejects.slice(0, rejectsShown),
      bytes: parsed.bytes,
      outsideCovers,
      unreadableDates: parsed.unreadableDates.length,
      firstUnreadableDates: parsed.unreadableDates.slice(0, rejectsShown),
      replacedDamaged,
    };
  } catch (error) {
    rejects?.abort();
    throw error;
  }
}

/** What an import adds, worked out from the file and the newest version it was compared with. */
interface Plan {
  /** The newest version when the plan was made (undefined: none); the write checks it is still the newest. */
  readonly basedOn: number | undefined;
  readonly newest: Version | undefined;
  readonly replacedDamaged: DamagedVersion | undefined;
  readonly next: SortedEntries;
  readonly changes: { readonly added: SortedEntries; readonly removed: SortedEntries };
  readonly logicalSha256: string;
  readonly readings: NumberSet;
  readonly dataCovers: string[];
}

/**
 * Works out the new version, step by step: the generator stops between the long steps, so that the import can let
 * the progress display run (outside the write transaction), or runs it straight through (inside it, when another
 * import committed meanwhile and the plan must be made again).
 */
function* plan(registry: Registry, options: ImportOptions, parsed: ReadListFile, source: Source): Generator<void, Plan> {
  const newestOf = (): { list: List | undefined; newest: Version | undefined } => {
    const list = registry.list(options.list);
    const newest = list === undefined ? undefined : registry.latestVersion(list);
    if (newest !== undefined && options.asOf < newest.asOf) {
      throw new CallscrubError(
        'conflict',
        `the file is dated ${options.asOf}, older than version ${newest.version} of '${options.list}' (as of ${newest.asOf})`,
        { file: source.name, hint: 'import the newer file, or give the right --as-of date' },
      );
    }
    return { list, newest };
  };
  registry.read(newestOf);
  yield;
  // The newest version is streamed from the registry a chunk at a time and merged with the file's numbers, in one
  // read transaction (which sees it whole even if another import commits meanwhile): it is never decoded whole.
  let replacedDamaged: DamagedVersion | undefined;
  const { newest, combined } = registry.read(() => {
    const { list, newest } = newestOf();
    if (list === undefined || newest === undefined) return { newest, combined: combine([], parsed.set, options.mode) };
    try {
      return { newest, combined: combine(registry.latestBlocks(list, newest), parsed.set, options.mode) };
    } catch (error) {
      // A damaged newest version: only a whole new list can replace it, and the history before it cannot be rebuilt.
      if (!(error instanceof DamagedVersion) || options.mode !== 'full') throw error;
      replacedDamaged = error;
      return { newest, combined: combine([], parsed.set, options.mode) };
    }
  });
  const { next, added, removed } = combined;
  const previousTotal = replacedDamaged === undefined ? (newest?.numbersTotal ?? 0) : 0;
  yield;
  const dropped = countNoLongerListed(removed, next);
  // A change list that removes a fifth of a list is more likely the whole list given as a `remove` file.
  if (options.mode !== 'add' && !options.allowShrink && previousTotal > 0 && dropped > previousTotal * shrinkLimit) {
    const share = `${dropped} of the ${previousTotal} numbers of '${options.list}' (${Math.round((100 * dropped) / previousTotal)} %)`;
    throw new CallscrubError(
      'conflict',
      options.mode === 'full'
        ? `this full import would remove ${share}: the file may be truncated`
        : `this remove import would remove ${share}: the file may be the whole list rather than a list of removals`,
      { file: source.name, hint: 'check the file, or pass --allow-shrink if the list really shrank' },
    );
  }
  yield;
  const logicalSha256 = logicalDigest(next);
  yield;
  // A full import's readings were collected while reading the file (what normalizing its numbers gave); a change
  // list's are worked out from the whole new set.
  const readings = options.mode === 'full' ? parsed.readings : otherReadingsOf(next);
  const dataCovers = coverage(parsed.set, parsed.format);
  return { basedOn: newest?.version, newest, replacedDamaged, next, changes: { added, removed }, logicalSha256, readings, dataCovers };
}

/** Runs a plan to its end at once. */
function planNow(steps: Generator<void, Plan>): Plan {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Runs a plan, letting timers (the progress display) run between its steps. */
async function planLettingProgressRun(steps: Generator<void, Plan>): Promise<Plan> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function commit(
  registry: Registry,
  options: ImportOptions,
  kind: ListKind,
  parsed: ReadListFile,
  source: Source,
  defaultMaxAge: (format: ListFormat) => number,
  prepared: Plan,
): { list: List; version: Version; outsideCovers: number; replacedDamaged: DamagedVersion | undefined } {
  let list = registry.list(options.list);
  if (list === undefined) {
    const maxAge = kind === 'opposition' ? (options.maxAgeDays ?? defaultMaxAge(parsed.format)) : null;
    list = registry.createList(options.list, kind, maxAge, null, options.importedAt);
  } else if (list.kind !== kind) {
    throw usageError(`list '${list.name}' became ${list.kind === 'consent' ? 'a' : 'an'} ${list.kind} list during this import`, 'run the import again');
  }
  // Another import may have committed since the plan was made: then it is made again, here, under the write lock.
  const p = registry.latestVersion(list)?.version === prepared.basedOn ? prepared : planNow(plan(registry, options, parsed, source));
  // --max-age and --covers are settings of the list, kept for the imports that follow.
  const maxAgeDays = list.kind === 'opposition' ? (options.maxAgeDays ?? list.maxAgeDays) : null;
  const declaredCovers = options.covers ?? list.covers;
  if (maxAgeDays !== list.maxAgeDays || JSON.stringify(declaredCovers) !== JSON.stringify(list.covers)) {
    list = registry.updateList(list, { maxAgeDays, consentMaxAgeDays: list.consentMaxAgeDays, covers: declaredCovers });
  }

  // Coverage: what the user declared for the list, else what the data holds (for a change list, added to the
  // previous version's).
  let covers: string[];
  if (declaredCovers !== null) covers = [...declaredCovers];
  else if (options.mode === 'full') covers = p.dataCovers;
  else covers = [...new Set([...(p.newest?.covers ?? []), ...(options.mode === 'add' ? p.dataCovers : [])])];
  covers.sort();
  const outsideCovers = declaredCovers === null ? 0 : countOutside(parsed.set, declaredCovers);

  const version = registry.addVersion(
    list,
    {
      mode: options.mode,
      asOf: options.asOf,
      importedAt: options.importedAt,
      sourceName: source.name,
      sourceSha256: parsed.sha256,
      format: parsed.format,
      country: parsed.country,
      numbersAdded: p.changes.added.length,
      numbersRemoved: p.changes.removed.length,
      numbersTotal: p.next.length,
      rejected: parsed.rejects.length,
      logicalSha256: p.logicalSha256,
      covers,
    },
    p.next,
    p.changes.added,
    p.changes.removed,
  );
  registry.addReadings(list, version.version, p.readings);
  if (p.replacedDamaged !== undefined) registry.setAsideHistoryBefore(list, version.version);
  return { list, version, outsideCovers, replacedDamaged: p.replacedDamaged };
}

/**
 * How many removed numbers are no longer listed under any reading: a number the previous version held as another
 * reading of an ambiguous 08/09 number (as schema-1 registries stored them) is still listed when that number is.
 */
function countNoLongerListed(removed: SortedEntries, next: SortedEntries): number {
  let count = 0;
  for (const block of blocksOf(removed)) {
    for (const value of block.numbers) {
      const primary = primaryReadingOf(value);
      if (primary === undefined || next.indexOf(primary) < 0) count++;
    }
  }
  return count;
}

/** What a set covers: its calling codes, or for a North American DNC file its area codes (1 + 3 digits). */
export function coverage(numbers: Float64Array | SortedEntries, format: ListFormat): string[] {
  return distinctPrefixes(numbers, (digits) => (format === 'us-dnc' && digits.startsWith('1') ? 4 : callingCodeLength(digits)));
}

function countOutside(entries: SortedEntries, covers: readonly string[]): number {
  const ranges = coverageRanges(covers);
  let outside = 0;
  for (const block of blocksOf(entries)) for (const value of block.numbers) if (!covered(ranges, value)) outside++;
  return outside;
}

function emptyImportHint(parsed: ReadListFile): string {
  if (parsed.records === 0) return 'check that this is the right file';
  if ((parsed.rejectedByReason['missing-end-date'] ?? 0) > 0) {
    return 'an exemption needs the end date of each contract: name its column with --date-column, or give the file a header naming it';
  }
  return 'check the --format, --column and --country options';
}

export function describeReasons(byReason: Readonly<Record<string, number>>): string {
  return Object.entries(byReason)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
}

