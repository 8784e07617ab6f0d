// Importing a consent ledger as a new version of a consent list. A full file replaces the list's consents; an added
// file's records are combined with the consents held for their numbers (the latest grant counts, a later withdrawal
// ends it); a remove file withdraws the consents of its numbers as of its date. The version's screening data (each
// number's grant, withdrawal and expiry days) is stored as a snapshot of chunks, for scrubs to load at once; the
// evidence goes to the `consents` table, a row for each consent that is new or different, so that every version's
// evidence stays in the history. A failure anywhere leaves the registry as it was.

import { dayOf } from '../dates.js';
import { CallscrubError } from '../errors.js';
import { AtomicFile } from '../io/atomic-file.js';
import type { Source } from '../io/source.js';
import { logicalDigest } from '../numbers/digest.js';
import { toNumberSet } from '../numbers/entries.js';
import { emptySetOf, indexOf, noDate, type NumberSet } from '../numbers/set.js';
import { combineConsents, consentBatch, consentChecksum, consentSet, EvidenceDigest, evidenceText, withdrawalOnly, withdrawalsOf, withdrawn, type Consent } from './consent-records.js';
import type { ConsentRole } from './consent-columns.js';
import { readConsentFile, type ReadConsentFile } from './consent-reader.js';
import { readListFile } from './list-reader.js';
import type { List, Version } from './records.js';
import { DamagedVersion, type Registry } from './store.js';
import type { ImportOptions, ImportProgress, ImportResult } from './importer.js';
import { coverage, describeReasons, rejectsShown } from './importer.js';

/** The consent columns named on the command line, and the list setting. */
export interface ConsentImportOptions {
  readonly roleColumns: Partial<Record<ConsentRole, string>>;
  /** Columns that are not part of the consent, though their names say so (--ignore-column). */
  readonly ignoreColumns: readonly string[];
  /** Yes/no columns: a record whose cell does not say yes withdraws its number (--opt-in-column). */
  readonly optInColumns: readonly string[];
  /** Undefined: keep the list's (none for a new list). */
  readonly consentMaxAgeDays: number | undefined;
}

/** What a consent import did beyond a list import. */
export interface ConsentImportResult extends ImportResult {
  /** The ledger's columns: role -> header name (a remove file has none). */
  readonly columns: Readonly<Record<string, string>>;
  /** Remove files: numbers the list held no consent for (their withdrawal is recorded all the same). */
  readonly notInLedger: number;
  /** Lines whose withdrawal has no readable date: withdrawn as of --as-of. */
  readonly undatedWithdrawals: readonly number[];
  /** Records that only withdraw (no consent in them, or a rejected one). */
  readonly withdrawals: number;
  /** Numbers the file leaves out whose withdrawal the list holds: kept, withdrawn. */
  readonly withdrawalsKept: number;
}

/** Numbers whose consent is new or different, and the stored form of the evidence of each (by its index). */
export interface ChangedConsents {
  readonly numbers: Float64Array;
  /** The stored form of the evidence of the consents from `start` to `end` (their positions in `numbers`). */
  evidence(start: number, end: number): string[];
}

interface Changes {
  /** The new version's consents: numbers, withdrawal (`until`), grant and expiry days. */
  readonly next: NumberSet;
  /** Consents new or different in this version, with their evidence. */
  readonly changed: ChangedConsents;
  /** Numbers whose consent this version no longer holds. */
  readonly ended: Float64Array;
  /** Changed numbers that held a consent before: counted as removed and added. */
  readonly replaced: number;
  readonly notInLedger: number;
  readonly withdrawalsKept: number;
  /** The new version's evidence digest, when it can be worked out from what the import holds (a full ledger). */
  readonly evidenceDigest?: () => string;
}

export async function importConsents(
  registry: Registry,
  source: Source,
  options: ImportOptions & ConsentImportOptions,
  progress: ImportProgress,
): Promise<ConsentImportResult> {
  if (options.mode !== 'remove' && options.format !== 'auto' && options.format !== 'csv') {
    throw new CallscrubError('usage', `a consent ledger is a csv file, not --format ${options.format}`, { hint: 'drop --format (only a --mode remove file of numbers may have another format)' });
  }
  const limits = { asOfDay: dayOf(options.asOf) as number, importedAt: Date.parse(options.importedAt) };
  const ledger =
    options.mode === 'remove'
      ? undefined
      : await readConsentFile(
          source,
          { country: options.country ?? 'FR', column: options.column, roleColumns: options.roleColumns, ignoreColumns: options.ignoreColumns, optInColumns: options.optInColumns, limits, asOf: options.asOf },
          progress,
        );
  const removals =
    options.mode === 'remove'
      ? await readListFile(source, { kind: 'opposition', format: options.format, country: options.country, column: options.column, dateColumn: undefined }, progress)
      : undefined;
  const read: Pick<ReadConsentFile, 'records' | 'rejects' | 'rejectedByReason' | 'sha256' | 'bytes'> = (ledger ?? removals) as ReadConsentFile;
  if (removals !== undefined && removals.set.length === 0) {
    throw new CallscrubError('input', removals.records === 0 ? 'the file holds no phone number' : `no valid phone number in the file (${describeReasons(removals.rejectedByReason)})`, {
      file: source.name,
      hint: 'a remove file lists the numbers whose consent is withdrawn: check the --format, --column and --country options',
    });
  }
  const rejects = options.rejectsPath === undefined ? undefined : new AtomicFile(options.rejectsPath);
  try {
    rejects?.write('line\treason\n');
    for (const reject of read.rejects) rejects?.write(`${reject.line}\t${reject.reason}\n`);
    if (ledger !== undefined && ledger.accepted === 0) {
      // The rejects are what the user needs to fix the file: they are written, though nothing is imported.
      rejects?.commit();
      throw new CallscrubError(
        'input',
        ledger.records === 0 ? 'the file holds no consent record' : `no valid consent in the file (${ledger.rejects.length} records rejected: ${describeReasons(ledger.rejectedByReason)})`,
        { file: source.name, hint: emptyLedgerHint(ledger.rejectedByReason, options.rejectsPath !== undefined) },
      );
    }
    progress.phase = 'comparing';
    const removed = removals === undefined ? undefined : withReadings(toNumberSet(removals.set), removals.readings);
    const planned = plan(registry, options, source, ledger, removed);
    await new Promise<void>((resolve) => setImmediate(resolve));
    progress.phase = 'writing';
    const { list, version } = registry.write(() => {
      // Another import of this list committed since the plan was made: the ledger's records were let go once
      // combined (a national ledger's import stays under 400 MB so), so it is not made again: run it again.
      const current = registry.list(options.list);
      const newest = current === undefined ? undefined : registry.latestVersion(current)?.version;
      if (newest !== planned.basedOn) {
        throw new CallscrubError('conflict', `another import changed '${options.list}' while this one was reading the file`, { file: source.name, hint: 'run this import again' });
      }
      return commit(registry, options, source, read.sha256, read.rejects.length, planned);
    });
    rejects?.commit();
    return {
      list,
      version,
      format: removals?.format ?? 'csv',
      formatChosenBecause: removals?.formatChosenBecause,
      records: read.records,
      rejectedByReason: read.rejectedByReason,
      firstRejects: read.rejects.slice(0, rejectsShown),
      bytes: read.bytes,
      outsideCovers: 0,
      unreadableDates: 0,
      firstUnreadableDates: [],
      replacedDamaged: planned.replacedDamaged,
      columns: ledger?.columns ?? {},
      notInLedger: planned.changes.notInLedger,
      undatedWithdrawals: ledger?.undatedWithdrawals ?? [],
      withdrawals: ledger?.withdrawals ?? 0,
      withdrawalsKept: planned.changes.withdrawalsKept,
    };
  } catch (error) {
    rejects?.abort();
    throw error;
  } finally {
    ledger?.close();
  }
}

interface Plan {
  readonly basedOn: number | undefined;
  readonly replacedDamaged: DamagedVersion | undefined;
  readonly changes: Changes;
  readonly logicalSha256: string;
}

function plan(registry: Registry, options: ImportOptions, source: Source, ledger: ReadConsentFile | undefined, removals: NumberSet | undefined): Plan {
  return registry.read(() => {
    const list = registry.list(options.list);
    const newest = list === undefined ? undefined : registry.latestVersion(list);
    if (list === undefined && options.mode === 'remove') {
      throw new CallscrubError('input', `list '${options.list}' has no version to withdraw consents from`, { hint: 'import the consent ledger first' });
    }
    if (newest !== undefined && options.asOf < newest.asOf) {
      throw new CallscrubError('conflict', `the file is dated ${options.asOf}, older than version ${newest.version} of '${options.list}' (as of ${newest.asOf})`, {
        file: source.name,
        hint: 'import the newer file, or give the right --as-of date',
      });
    }
    let previous: NumberSet = emptySetOf('consent');
    let replacedDamaged: DamagedVersion | undefined;
    if (list !== undefined) {
      try {
        previous = registry.latestSet(list)?.set ?? previous;
      } catch (error) {
        // A damaged newest version: only a whole new ledger replaces it, keeping the withdrawals the evidence table
        // still holds intact (each row is checked).
        if (!(error instanceof DamagedVersion) || options.mode !== 'full') throw error;
        replacedDamaged = error;
        try {
          const rows = newest === undefined ? undefined : registry.consentsAt(list, newest.version);
          previous = (rows === undefined ? undefined : consentSet(rows)) ?? previous;
        } catch (damaged) {
          if (!(damaged instanceof DamagedVersion)) throw damaged;
        }
      }
    }
    const held = (value: number): Consent | undefined => (list === undefined || newest === undefined ? undefined : registry.consentOf(list, newest.version, value)?.consent);
    // A withdrawal the registry holds survives a full ledger that does not show it: only a grant dated after it
    // makes the number consented again.
    const withdrawnNumbers = list === undefined || newest === undefined ? new Float64Array(0) : registry.withdrawnNumbers(list);
    let changes: Changes;
    // A full ledger replaces a damaged entry; what it may have withdrawn cannot be read, so its number is withdrawn
    // as of the ledger's date (a grant dated after that makes it consented again).
    const heldOrBlocked = (value: number): Consent | undefined => {
      try {
        return held(value);
      } catch (error) {
        if (!(error instanceof DamagedVersion)) throw error;
        return withdrawalOnly(options.asOf, dayOf(options.asOf) as number, `the registry's record of this number was damaged: withdrawn as of ${options.asOf}`);
      }
    };
    if (options.mode === 'full') changes = replaceAll(ledger as ReadConsentFile, previous, withdrawnNumbers, heldOrBlocked, list === undefined ? undefined : registry.currentConsentChecksums(list));
    else if (options.mode === 'add') changes = addTo(previous, ledger as ReadConsentFile, held);
    else changes = withdraw(previous, removals as NumberSet, held, options.asOf);
    return { basedOn: newest?.version, replacedDamaged, changes, logicalSha256: logicalDigest(changes.next) };
  });
}

/**
 * A full ledger: every consent whose evidence differs from the one held (by its checksum's prefix) is new; those it
 * lacks end, but for the withdrawals the list holds, which stay (a withdrawal is never forgotten: a grant dated
 * after it is the only way back).
 */
function replaceAll(
  ledger: ReadConsentFile,
  previous: NumberSet,
  withdrawnNumbers: Float64Array,
  held: (value: number) => Consent | undefined,
  current: { numbers: Float64Array; prefixes: Buffer } | undefined,
): Changes {
  const withdrawalsHeld = (value: number): Consent[] => {
    if (indexOf({ numbers: withdrawnNumbers }, value) < 0) return [];
    const consent = held(value);
    return consent === undefined ? [] : withdrawalsOf(consent);
  };
  const file = ledger.combine(withdrawalsHeld);
  const numbers = new Float64Array(file.numbers.length);
  const from = new Int32Array(file.numbers.length);
  let n = 0;
  let replaced = 0;
  const before = current ?? { numbers: new Float64Array(0), prefixes: Buffer.alloc(0) };
  for (let start = 0; start < file.numbers.length; start += consentBatch) {
    const end = Math.min(start + consentBatch, file.numbers.length);
    // The evidence is read only where a consent was held: a first import compares nothing.
    const compared: number[] = [];
    const places: number[] = [];
    for (let i = start; i < end; i++) {
      const at = before.numbers.length === 0 ? -1 : indexOf({ numbers: before.numbers }, file.numbers[i] as number);
      places.push(at);
      if (at >= 0) compared.push(i);
    }
    const texts = compared.length === 0 ? [] : file.evidenceMany(compared);
    let c = 0;
    for (let i = start; i < end; i++) {
      const at = places[i - start] as number;
      if (at >= 0) {
        const value = file.numbers[i] as number;
        const same = consentChecksum(value, texts[c++] as string).subarray(0, 8).equals(before.prefixes.subarray(8 * at, 8 * at + 8));
        if (same) continue;
        replaced++;
      }
      numbers[n] = file.numbers[i] as number;
      from[n++] = i;
    }
  }
  // The entries the file leaves out: those that hold a withdrawal stay (a consent withdrawn as it was, a consent in
  // force that remembers an older withdrawal as that withdrawal alone), the others end.
  const kept = new Map<number, ConsentDays>();
  const ended: number[] = [];
  const reduced: Array<[number, Consent]> = [];
  previous.numbers.forEach((value, i) => {
    if (indexOf({ numbers: file.numbers }, value) >= 0) return;
    const withdrawnDay = previous.until?.[i] as number;
    if (withdrawnDay !== noDate) kept.set(value, { grantedDay: previous.granted?.[i] as number, withdrawnDay, expiresDay: previous.expires?.[i] as number });
    else if (indexOf({ numbers: withdrawnNumbers }, value) >= 0) reduced.push([value, combineConsents(withdrawalsHeld(value))]);
    else ended.push(value);
  });
  for (const [value, entry] of reduced) kept.set(value, entry);
  const fileSet = { numbers: file.numbers, until: file.withdrawn, granted: file.granted, expires: file.expires };
  const changedNumbers = numbers.slice(0, n);
  // The version's evidence is the file's (the consents it leaves unchanged hold the same text) and the kept entries':
  // its digest is worked out from them, in number order, without reading a million rows back.
  const evidenceDigest = (): string => {
    const reducedBy = new Map(reduced);
    const keptTexts = [...kept.keys()]
      .sort((a, b) => a - b)
      .map((value): [number, string] => [value, evidenceText(((reducedBy.get(value) ?? held(value)) as Consent).evidence)]);
    const digest = new EvidenceDigest();
    let k = 0;
    for (let start = 0; start < file.numbers.length; start += consentBatch) {
      const end = Math.min(start + consentBatch, file.numbers.length);
      const texts = file.evidenceMany(Int32Array.from({ length: end - start }, (_, j) => start + j));
      for (let i = start; i < end; i++) {
        const value = file.numbers[i] as number;
        while (k < keptTexts.length && (keptTexts[k] as [number, string])[0] < value) digest.add(...(keptTexts[k++] as [number, string]));
        digest.add(value, texts[i - start] as string);
      }
    }
    while (k < keptTexts.length) digest.add(...(keptTexts[k++] as [number, string]));
    return digest.digest();
  };
  const evidenceOf = (start: number, end: number): string[] => file.evidenceMany(from.subarray(start, end));
  return {
    next: kept.size === 0 ? fileSet : merged(fileSet, kept),
    changed: reduced.length === 0 ? { numbers: changedNumbers, evidence: evidenceOf } : withReduced(changedNumbers, evidenceOf, reduced),
    ended: Float64Array.from(ended),
    replaced: replaced + reduced.length,
    notInLedger: 0,
    withdrawalsKept: kept.size,
    evidenceDigest,
  };
}

/** An added file: its records combined with the consent held for each of their numbers. */
function addTo(previous: NumberSet, ledger: ReadConsentFile, held: (value: number) => Consent | undefined): Changes {
  const heldEvidence = new Map<number, string>();
  const update = ledger.combine((value) => {
    const consent = held(value);
    if (consent !== undefined) heldEvidence.set(value, evidenceText(consent.evidence));
    return consent === undefined ? [] : [consent];
  });
  const changed = { numbers: [] as number[], evidence: [] as string[] };
  const entries = new Map<number, ConsentDays>();
  let replaced = 0;
  const texts = update.evidenceMany(Int32Array.from(update.numbers, (_, i) => i));
  update.numbers.forEach((value, i) => {
    const evidence = texts[i] as string;
    const before = heldEvidence.get(value);
    if (before === evidence) return;
    if (before !== undefined) replaced++;
    changed.numbers.push(value);
    changed.evidence.push(evidence);
    entries.set(value, { grantedDay: update.granted[i] as number, withdrawnDay: update.withdrawn[i] as number, expiresDay: update.expires[i] as number });
  });
  return { next: merged(previous, entries), changed: listed(changed), ended: new Float64Array(0), replaced, notInLedger: 0, withdrawalsKept: 0 };
}

/**
 * A remove file: the consents of its numbers (under every reading) withdrawn as of its date; those already withdrawn
 * earlier stay so; a number the list holds no consent for gets its withdrawal recorded, so that a consent dated
 * before it that a later file brings is ended.
 */
function withdraw(previous: NumberSet, removals: NumberSet, held: (value: number) => Consent | undefined, asOf: string): Changes {
  const day = dayOf(asOf) as number;
  const changed = { numbers: [] as number[], evidence: [] as string[] };
  const entries = new Map<number, Consent>();
  let notInLedger = 0;
  let replaced = 0;
  for (const value of removals.numbers) {
    const consent = held(value);
    if (consent === undefined) notInLedger++;
    const ended = consent === undefined ? withdrawalOnly(asOf, day) : withdrawn(consent, asOf, day);
    if (ended === consent) continue;
    if (consent !== undefined) replaced++;
    changed.numbers.push(value);
    changed.evidence.push(evidenceText(ended.evidence));
    entries.set(value, ended);
  }
  return { next: merged(previous, entries), changed: listed(changed), ended: new Float64Array(0), replaced, notInLedger, withdrawalsKept: 0 };
}

/** A remove file's numbers with their other readings: a withdrawal written `09 39 90 12 40` reaches `+262 939 90 12 40`. */
function withReadings(set: NumberSet, readings: NumberSet): NumberSet {
  return { numbers: Float64Array.from(new Set([...set.numbers, ...readings.numbers])).sort() };
}

type ConsentDays = Pick<Consent, 'grantedDay' | 'withdrawnDay' | 'expiresDay'>;

/** The changed consents with a few more (in number order), whose evidence is in memory. */
function withReduced(numbers: Float64Array, evidenceOf: (start: number, end: number) => string[], extra: ReadonlyArray<[number, Consent]>): ChangedConsents {
  const all = [...Array.from(numbers, (value, i) => [value, i] as const), ...extra.map(([value], j) => [value, -1 - j] as const)].sort((a, b) => a[0] - b[0]);
  const places = all.map(([, place]) => place);
  return {
    numbers: Float64Array.from(all, ([value]) => value),
    evidence: (start, end) => {
      const fromFile = places.slice(start, end).filter((p) => p >= 0);
      const texts = fromFile.length === 0 ? [] : evidenceOf(fromFile[0] as number, (fromFile[fromFile.length - 1] as number) + 1);
      return places.slice(start, end).map((p) => (p >= 0 ? (texts[p - (fromFile[0] as number)] as string) : evidenceText((extra[-1 - p] as [number, Consent])[1].evidence)));
    },
  };
}

function listed(changed: { numbers: number[]; evidence: string[] }): ChangedConsents {
  return { numbers: Float64Array.from(changed.numbers), evidence: (start, end) => changed.evidence.slice(start, end) };
}

function merged(previous: NumberSet, entries: ReadonlyMap<number, ConsentDays>): NumberSet {
  // One merge of the sorted previous consents with the sorted entries: a daily change file into a national ledger
  // must not sort a million numbers again.
  const added = [...entries.keys()].sort((a, b) => a - b);
  const size = previous.numbers.length + added.length;
  const next = { numbers: new Float64Array(size), until: new Int32Array(size), granted: new Int32Array(size), expires: new Int32Array(size) };
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < previous.numbers.length || j < added.length) {
    const old = i < previous.numbers.length ? (previous.numbers[i] as number) : Infinity;
    const value = j < added.length ? (added[j] as number) : Infinity;
    next.numbers[n] = Math.min(old, value);
    if (value <= old) {
      const entry = entries.get(value) as ConsentDays;
      next.until[n] = entry.withdrawnDay;
      next.granted[n] = entry.grantedDay;
      next.expires[n] = entry.expiresDay;
      j++;
      if (value === old) i++;
    } else {
      next.until[n] = previous.until?.[i] as number;
      next.granted[n] = previous.granted?.[i] as number;
      next.expires[n] = previous.expires?.[i] as number;
      i++;
    }
    n++;
  }
  return { numbers: next.numbers.slice(0, n), until: next.until.slice(0, n), granted: next.granted.slice(0, n), expires: next.expires.slice(0, n) };
}

function commit(
  registry: Registry,
  options: ImportOptions & ConsentImportOptions,
  source: Source,
  sha256: string,
  rejected: number,
  p: Plan,
): { list: List; version: Version } {
  let list = registry.list(options.list);
  if (list === undefined) list = registry.createList(options.list, 'consent', null, options.consentMaxAgeDays ?? null, options.importedAt);
  else if (list.kind !== 'consent') throw new CallscrubError('usage', `list '${list.name}' became an ${list.kind} list during this import`, { hint: 'run the import again' });
  const consentMaxAgeDays = options.consentMaxAgeDays ?? list.consentMaxAgeDays;
  if (consentMaxAgeDays !== list.consentMaxAgeDays) list = registry.updateList(list, { maxAgeDays: null, consentMaxAgeDays, covers: list.covers });
  const { changes } = p;
  const empty = emptySetOf('consent');
  const version = registry.addVersion(
    list,
    {
      mode: options.mode,
      asOf: options.asOf,
      importedAt: options.importedAt,
      sourceName: source.name,
      sourceSha256: sha256,
      format: 'csv',
      country: options.country ?? 'FR',
      numbersAdded: changes.changed.numbers.length,
      numbersRemoved: changes.ended.length + changes.replaced,
      numbersTotal: changes.next.numbers.length,
      rejected,
      logicalSha256: p.logicalSha256,
      covers: coverage(changes.next.numbers, 'csv'),
    },
    changes.next,
    empty,
    empty,
  );
  registry.addReadings(list, version.version, empty);
  registry.addConsents(list, version.version, changes.changed, changes.ended);
  registry.recordEvidenceDigest(list, version.version, changes.evidenceDigest?.());
  if (p.replacedDamaged !== undefined) registry.setAsideHistoryBefore(list, version.version);
  return { list, version };
}

function emptyLedgerHint(byReason: Readonly<Record<string, number>>, rejectsWritten: boolean): string {
  const top = Object.entries(byReason).sort((a, b) => b[1] - a[1])[0]?.[0];
  const lines = rejectsWritten ? 'the --rejects file lists the lines' : '--rejects FILE lists the lines';
  if (top === 'bad-date') return `consent dates must read YYYY-MM-DD or as an ISO 8601 instant (2026-03-04T10:15:00+01:00): convert the column; ${lines}`;
  if (top === 'granted-after-as-of') return `every consent is dated after --as-of or after now: give the date the ledger was exported; ${lines}`;
  if (top?.startsWith('missing-') === true) return `each consent needs its ${top.slice('missing-'.length)}: check the column, or name it with --${top.slice('missing-'.length)}-column; ${lines}`;
  return `fix the records, or check --column and --country; ${lines}`;
}
