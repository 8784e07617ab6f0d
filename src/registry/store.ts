// The registry's queries: lists, their versions, and each version's numbers as compact chunks. The newest version of
// a list keeps a full snapshot; every later version also keeps what it added and removed (see history.ts). All
// writes of an import are one transaction. Every chunk carries a SHA-256 of its content, checked whenever it is
// read: a damaged registry is never used.

import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { CallscrubError } from '../errors.js';
import { chunkChecksum, decode, decodeChunk, encode, encodeEntries, type Chunk } from '../numbers/chunks.js';
import { CompactBuilder, type CompactNumbers } from '../numbers/compact.js';
import { asEntries, type Block, type SortedEntries } from '../numbers/entries.js';
import { logicalDigest } from '../numbers/digest.js';
import { emptySetOf, indexOf, type NumberSet } from '../numbers/set.js';
import { databaseError, openDatabase, type OpenOptions } from './database.js';
import { inForceAt, listedSince, rebuild, type StoredPart } from './history.js';
import { parseCovers, shapeOf, toVersion, versionColumns, type List, type ListKind, type NewVersion, type Version, type VersionRecord } from './records.js';
import { CallHistory } from './call-history.js';
import { consentBatch, consentChecksum, consentSet, EvidenceDigest, storedConsent, type Consent, type StoredConsent } from './consent-records.js';

type Part = 'snapshot' | 'added' | 'removed';

interface StoredChunk extends Chunk {
  readonly seq: number;
  readonly checksum: Buffer | null;
}

/** Where a number of a list's newest version has been listed since, and its date (internal and exempt lists). */
export interface Listing {
  readonly since: Version;
  /** False when pruned history hides when the listing began: at `since` or earlier. */
  readonly exact: boolean;
  readonly until?: number;
}

/** A stored version whose numbers do not match what was stored at import. */
export class DamagedVersion extends CallscrubError {
  constructor(
    readonly list: string,
    readonly version: number,
    what: string,
    file: string,
  ) {
    super('database', `list '${list}' version ${version} is damaged in the registry (${what}): it cannot be used`, {
      file,
      hint: `import the list's file again with --mode full (the damaged history is set aside), or restore the registry from a backup`,
    });
  }
}

export class Registry {
  readonly path: string;
  private readonly db: Database.Database;
  /** Schema 1 chunks have no checksum column. */
  private readonly checksums: boolean;
  /** Schema 3 has consent lists. */
  private readonly consents: boolean;
  /** Schema 4 has the call history. */
  private readonly hasHistory: boolean;
  /** Schema-1 versions whose logical digest `partContains` has checked. */
  private readonly digestChecked = new Set<string>();
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(path: string, db: Database.Database, schemaVersion: number) {
    this.path = path;
    this.db = db;
    this.checksums = schemaVersion >= 2;
    this.consents = schemaVersion >= 3;
    this.hasHistory = schemaVersion >= 4;
  }

  /** The call history (empty in a registry older than schema 4 opened read-only). */
  callHistory(): CallHistory {
    return new CallHistory(this.db, this.path, this.hasHistory);
  }

  /**
   * Opens (and, when writable and new, creates) the registry at `path`. A read-only open of a missing file fails;
   * callers that can do without a registry check `Registry.exists` first, or use `openExisting`.
   */
  static open(path: string, options: OpenOptions = {}): Registry {
    const { db, schemaVersion } = openDatabase(path, options);
    return new Registry(path, db, schemaVersion);
  }

  /** Opens the registry at `path`, or throws `missing()`: each caller says in its own words that there is none. */
  static openExisting(path: string, missing: () => CallscrubError, options: OpenOptions = {}): Registry {
    if (!Registry.exists(path)) throw missing();
    return Registry.open(path, options);
  }

  static exists(path: string): boolean {
    return fs.existsSync(path);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs `work` in one write transaction, taken at once so that two imports queue instead of deadlocking. */
  write<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      throw databaseError(error, this.path);
    }
  }

  /** Runs `work` in one read transaction: every read inside sees the same committed state. */
  read<T>(work: () => T): T {
    try {
      return this.db.transaction(work).deferred();
    } catch (error) {
      throw databaseError(error, this.path);
    }
  }

  /**
   * A statement prepared once per registry, on its first use: a read-only schema-1 registry has no `readings` table
   * to prepare the statements that use it against.
   */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  lists(): List[] {
    const consentMaxAge = this.consents ? 'consent_max_age_days' : 'NULL AS consent_max_age_days';
    const rows = this.statement(`SELECT id, name, kind, max_age_days, ${consentMaxAge}, covers, created_at FROM lists ORDER BY name`).all() as Array<{
      id: number;
      name: string;
      kind: ListKind;
      max_age_days: number | null;
      consent_max_age_days: number | null;
      covers: string | null;
      created_at: string;
    }>;
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      maxAgeDays: r.max_age_days,
      consentMaxAgeDays: r.consent_max_age_days,
      covers: r.covers === null ? null : parseCovers(r.covers, `list '${r.name}'`),
      createdAt: r.created_at,
    }));
  }

  list(name: string): List | undefined {
    return this.lists().find((l) => l.name === name);
  }

  createList(name: string, kind: ListKind, maxAgeDays: number | null, consentMaxAgeDays: number | null, createdAt: string): List {
    const info = this.statement('INSERT INTO lists(name, kind, max_age_days, consent_max_age_days, created_at) VALUES (?, ?, ?, ?, ?)').run(
      name,
      kind,
      maxAgeDays,
      consentMaxAgeDays,
      createdAt,
    );
    return { id: Number(info.lastInsertRowid), name, kind, maxAgeDays, consentMaxAgeDays, covers: null, createdAt };
  }

  /** Changes the settings a list keeps from one import to the next. */
  updateList(list: List, settings: { maxAgeDays: number | null; consentMaxAgeDays: number | null; covers: readonly string[] | null }): List {
    this.statement('UPDATE lists SET max_age_days = ?, consent_max_age_days = ?, covers = ? WHERE id = ?').run(
      settings.maxAgeDays,
      settings.consentMaxAgeDays,
      settings.covers === null ? null : JSON.stringify(settings.covers),
      list.id,
    );
    return { ...list, ...settings };
  }

  versions(listName?: string): Version[] {
    const where = listName === undefined ? '' : 'WHERE l.name = ?';
    const rows = this.statement(`SELECT ${versionColumns} FROM versions v JOIN lists l ON l.id = v.list_id ${where} ORDER BY l.name, v.version`).all(
      ...(listName === undefined ? [] : [listName]),
    ) as VersionRecord[];
    return rows.map(toVersion);
  }

  latestVersion(list: List): Version | undefined {
    const row = this.statement(
      `SELECT ${versionColumns} FROM versions v JOIN lists l ON l.id = v.list_id WHERE v.list_id = ? ORDER BY v.version DESC LIMIT 1`,
    ).get(list.id) as VersionRecord | undefined;
    return row === undefined ? undefined : toVersion(row);
  }

  /** The version of the list in force at `cutoff` (an ISO time): the newest imported at or before it. */
  versionInForce(list: List, cutoff: string): Version | undefined {
    return inForceAt(this.versions(list.name), cutoff);
  }

  /** The version of the list that was current on `date` (YYYY-MM-DD): the newest dated (as of) on or before it. */
  versionAsOf(list: List, date: string): Version | undefined {
    return this.versions(list.name)
      .filter((v) => v.asOf <= date)
      .pop();
  }

  private get chunkColumns(): string {
    return `seq, first, last, count, numbers, until, ${this.checksums ? 'checksum' : 'NULL AS checksum'}`;
  }

  private chunks(list: List, version: number, part: Part): StoredChunk[] {
    return this.statement(`SELECT ${this.chunkColumns} FROM chunks WHERE list_id = ? AND version = ? AND part = ? ORDER BY seq`).all(
      list.id,
      version,
      part,
    ) as StoredChunk[];
  }

  /**
   * One part of a version, each chunk checked against its checksum. `checked` is false when some chunk has none
   * (written by schema 1): the caller then checks the version's logical digest.
   */
  private loadPart(list: List, version: number, part: Part, total: number, spare = 0): StoredPart {
    const shape = shapeOf(list.kind);
    const rows = total === 0 ? [] : this.chunks(list, version, part);
    let checked = true;
    for (const row of rows) {
      if (row.checksum === null) checked = false;
      else if (!chunkChecksum(part, row).equals(row.checksum)) throw new DamagedVersion(list.name, version, `a stored chunk of its ${part === 'snapshot' ? 'numbers' : `${part} numbers`} does not match its checksum`, this.path);
    }
    if (total === 0) return { set: emptySetOf(shape), checked };
    try {
      return { set: decode(rows, total, shape, spare), checked };
    } catch {
      throw new DamagedVersion(list.name, version, 'its stored chunks do not add up to its count of numbers', this.path);
    }
  }

  /**
   * The numbers of the list's newest version, checked against what was stored at import; `spare`: room to leave in
   * its arrays for numbers to be added in place (the other readings).
   */
  latestSet(list: List, spare = 0): { version: Version; set: NumberSet } | undefined {
    const version = this.latestVersion(list);
    if (version === undefined) return undefined;
    const { set, checked } = this.loadPart(list, version.version, 'snapshot', version.numbersTotal, spare);
    if (!checked) this.checkDigest(list, version, set);
    return { version, set };
  }

  /**
   * The numbers of the list's newest version as stored, compact (see CompactNumbers), every chunk checked against its
   * checksum: a national list without decoding it. Undefined for a list whose numbers carry dates, or when some
   * chunk has no checksum (written by schema 1): the caller loads the whole version, checked by its digest.
   */
  latestCompact(list: List): { version: Version; compact: CompactNumbers } | undefined {
    const version = this.latestVersion(list);
    if (version === undefined || !this.checksums || shapeOf(list.kind) !== 'plain') return undefined;
    const where = "FROM chunks WHERE list_id = ? AND version = ? AND part = 'snapshot'";
    const damaged = (what: string) => new DamagedVersion(list.name, version.version, what, this.path);
    // Through SQLite's page cache rather than its memory map: the bytes are then held once, in the builder (mapped,
    // the file's pages counted in the process's memory too: 95 MB more at 100,000,000 numbers).
    const mapped = this.db.pragma('mmap_size', { simple: true }) as number;
    if (mapped > 0) this.db.pragma('mmap_size = 0');
    try {
      // The blobs' lengths are in the rows' headers; the checksums, after the blobs, are read with them below.
      const sizes = this.statement(`SELECT count(*) AS chunks, coalesce(sum(length(numbers)), 0) AS bytes ${where}`).get(list.id, version.version) as { chunks: number; bytes: number };
      const builder = new CompactBuilder(version.numbersTotal, sizes.chunks, sizes.bytes);
      for (const row of this.statement(`SELECT ${this.chunkColumns} ${where} ORDER BY seq`).iterate(list.id, version.version) as Iterable<StoredChunk>) {
        if (row.checksum === null) return undefined; // written by schema 1: checked by the version's digest, decoded
        if (!chunkChecksum('snapshot', row).equals(row.checksum)) throw damaged('a stored chunk of its numbers does not match its checksum');
        if (!builder.add(row.numbers, row.count, row.first, row.last)) throw damaged('its stored chunks do not add up to its count of numbers');
      }
      const compact = builder.finish();
      if (compact === undefined) throw damaged('its stored chunks do not add up to its count of numbers');
      return { version, compact };
    } finally {
      if (mapped > 0) this.db.pragma(`mmap_size = ${mapped}`);
    }
  }

  /**
   * The entries of the list's newest version and of their other readings (see `storedReadings`) that lie in the
   * chunks holding `values`, checked: what a lookup of a few numbers needs (callscrub when), without decoding a
   * national list. Undefined when the registry keeps no checksums or no stored readings for that version (schema 1):
   * the caller then loads the whole version.
   */
  latestAround(list: List, values: readonly number[]): { version: Version; set: NumberSet; readings: NumberSet } | undefined {
    const version = this.latestVersion(list);
    if (version === undefined || !this.checksums) return undefined;
    const record = this.statement('SELECT readings_total AS total FROM versions WHERE list_id = ? AND version = ?').get(list.id, version.version) as { total: number | null } | undefined;
    if (record?.total === null || record?.total === undefined) return undefined;
    const damaged = (what: string) => new DamagedVersion(list.name, version.version, what, this.path);
    const around = (table: 'chunks' | 'readings', part: string): NumberSet => {
      const where = table === 'chunks' ? "AND part = 'snapshot'" : '';
      const bounds = this.statement(`SELECT seq, first, last FROM ${table} WHERE list_id = ? AND version = ? ${where} ORDER BY seq`).all(list.id, version.version) as Array<{ seq: number; first: number; last: number }>;
      const seqs = new Set<number>();
      for (const value of values) for (const b of bounds) if (b.first <= value && value <= b.last) seqs.add(b.seq);
      const one = this.statement(`SELECT ${this.chunkColumns} FROM ${table} WHERE list_id = ? AND version = ? ${where} AND seq = ?`);
      const rows = [...seqs].sort((a, b) => a - b).map((seq) => one.get(list.id, version.version, seq) as StoredChunk);
      for (const row of rows) if (row.checksum === null || !chunkChecksum(part, row).equals(row.checksum)) throw damaged(`a stored chunk of its ${part === 'snapshot' ? 'numbers' : 'other readings'} does not match its checksum`);
      try {
        return decode(rows, rows.reduce((n, r) => n + r.count, 0), shapeOf(list.kind));
      } catch {
        throw damaged('its stored chunks do not hold what they say');
      }
    };
    return { version, set: around('chunks', 'snapshot'), readings: around('readings', 'readings') };
  }

  private checkDigest(list: List, version: Version, set: NumberSet): void {
    if (logicalDigest(set) !== version.logicalSha256) {
      throw new DamagedVersion(list.name, version.version, 'its numbers do not match its logical digest', this.path);
    }
  }

  /**
   * The numbers of any retained version, rebuilt by undoing the changes of every later version. Undefined when
   * the version does not exist or is no longer replayable.
   */
  setAt(list: List, versionNumber: number): NumberSet | undefined {
    if (list.kind === 'consent') return this.consentSetAt(list, versionNumber);
    const all = this.versions(list.name);
    const target = all.find((v) => v.version === versionNumber);
    const latest = all[all.length - 1];
    if (target === undefined || latest === undefined || !target.replayable) return undefined;
    const { set, checked } = rebuild(all, target, this.loadPart(list, latest.version, 'snapshot', latest.numbersTotal), (v) => ({
      added: this.loadPart(list, v.version, 'added', v.numbersAdded),
      removed: this.loadPart(list, v.version, 'removed', v.numbersRemoved),
    }));
    if (!checked) this.checkDigest(list, target, set);
    return set;
  }

  /** Whether the list's newest version holds `value`, since which version without a break, and until when. */
  listing(list: List, value: number): Listing | undefined {
    const all = this.versions(list.name);
    const latest = all[all.length - 1];
    if (latest === undefined) return undefined;
    const hit = this.partContains(list, latest.version, 'snapshot', value);
    if (!hit.found) return undefined;
    const { since, exact } = listedSince(all, (v) => this.partContains(list, v.version, 'added', value).found);
    return hit.until === undefined ? { since, exact } : { since, exact, until: hit.until };
  }

  /**
   * Whether version `versionNumber` of the list holds `value`, since which version without a break, and until when;
   * `pruned` when that version can no longer be rebuilt.
   */
  listingAt(list: List, versionNumber: number, value: number): Listing | undefined | 'pruned' {
    const all = this.versions(list.name);
    if (all[all.length - 1]?.version === versionNumber) return this.listing(list, value);
    const set = this.setAt(list, versionNumber);
    if (set === undefined) return 'pruned';
    const at = indexOf(set, value);
    if (at < 0) return undefined;
    const { since, exact } = listedSince(
      all.filter((v) => v.version <= versionNumber),
      (v) => this.partContains(list, v.version, 'added', value).found,
    );
    const until = set.until?.[at];
    return until === undefined ? { since, exact } : { since, exact, until };
  }

  /**
   * The other readings of a version's ambiguous numbers as stored at import, checked; undefined when that version
   * has none stored (schema 1, or an older version): the caller works them out.
   */
  storedReadings(list: List, version: number): NumberSet | undefined {
    if (!this.checksums) return undefined;
    const record = this.statement('SELECT readings_total AS total FROM versions WHERE list_id = ? AND version = ?').get(list.id, version) as
      | { total: number | null }
      | undefined;
    if (record?.total === null || record?.total === undefined) return undefined;
    const rows = this.statement('SELECT seq, first, last, count, numbers, until, checksum FROM readings WHERE list_id = ? AND version = ? ORDER BY seq').all(
      list.id,
      version,
    ) as StoredChunk[];
    for (const row of rows) {
      if (!chunkChecksum('readings', row).equals(row.checksum as Buffer)) {
        throw new DamagedVersion(list.name, version, 'a stored chunk of the other readings of its numbers does not match its checksum', this.path);
      }
    }
    try {
      return decode(rows, record.total, shapeOf(list.kind));
    } catch {
      throw new DamagedVersion(list.name, version, 'the other readings of its numbers do not add up', this.path);
    }
  }

  /** Records the other readings of the newest version's numbers; must run inside `write`, after `addVersion`. */
  addReadings(list: List, version: number, readings: NumberSet): void {
    this.statement('DELETE FROM readings WHERE list_id = ?').run(list.id);
    const insert = this.statement(
      'INSERT INTO readings(list_id, version, seq, first, last, count, numbers, until, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    encode(readings).forEach((chunk, seq) => {
      insert.run(list.id, version, seq, chunk.first, chunk.last, chunk.count, chunk.numbers, chunk.until, chunkChecksum('readings', { ...chunk, seq }));
    });
    this.statement('UPDATE versions SET readings_total = ? WHERE list_id = ? AND version = ?').run(readings.numbers.length, list.id, version);
  }

  /** Whether one number is in one part of a version, reading only the chunk that could hold it. */
  partContains(list: List, version: number, part: Part, value: number): { found: boolean; until?: number } {
    const row = this.statement(`SELECT ${this.chunkColumns} FROM chunks WHERE list_id = ? AND version = ? AND part = ? AND first <= ? AND last >= ?`).get(
      list.id,
      version,
      part,
      value,
      value,
    ) as StoredChunk | undefined;
    if (row === undefined) return { found: false };
    if (row.checksum !== null && !chunkChecksum(part, row).equals(row.checksum)) {
      throw new DamagedVersion(list.name, version, 'a stored chunk does not match its checksum', this.path);
    }
    // A schema-1 chunk has no checksum: the newest version it may belong to is checked whole, once, by its digest.
    if (row.checksum === null && part === 'snapshot' && !this.digestChecked.has(`${list.id}:${version}`)) {
      this.latestSet(list);
      this.digestChecked.add(`${list.id}:${version}`);
    }
    let set: NumberSet;
    try {
      set = decodeChunk(row);
    } catch {
      throw new DamagedVersion(list.name, version, 'a stored chunk cannot be read', this.path);
    }
    const at = indexOf(set, value);
    if (at < 0) return { found: false };
    return set.until === undefined ? { found: true } : { found: true, until: set.until[at] as number };
  }

  /**
   * The newest version's numbers a chunk at a time, each chunk checked against its checksum as it is read: what an
   * import compares a list file with, without decoding the whole version. Must be read inside `read` or `write`. A
   * version written under schema 1 (chunks without checksums) is decoded whole and checked by its logical digest.
   */
  *latestBlocks(list: List, version: Version): Generator<Block> {
    if (version.numbersTotal === 0) return;
    const unchecked = !this.checksums || this.statement("SELECT 1 FROM chunks WHERE list_id = ? AND version = ? AND part = 'snapshot' AND checksum IS NULL LIMIT 1").get(list.id, version.version) !== undefined;
    if (unchecked) {
      const { set, checked } = this.loadPart(list, version.version, 'snapshot', version.numbersTotal);
      if (!checked) this.checkDigest(list, version, set);
      yield set;
      return;
    }
    const shape = shapeOf(list.kind);
    const rows = this.statement(`SELECT ${this.chunkColumns} FROM chunks WHERE list_id = ? AND version = ? AND part = 'snapshot' ORDER BY seq`).iterate(list.id, version.version) as Iterable<StoredChunk>;
    const miscounted = () => new DamagedVersion(list.name, version.version, 'its stored chunks do not add up to its count of numbers', this.path);
    let total = 0;
    for (const row of rows) {
      if (!chunkChecksum('snapshot', row).equals(row.checksum as Buffer)) throw new DamagedVersion(list.name, version.version, 'a stored chunk of its numbers does not match its checksum', this.path);
      total += row.count;
      if (total > version.numbersTotal) throw miscounted();
      let block: NumberSet;
      try {
        block = decode([row], row.count, shape);
      } catch {
        throw miscounted();
      }
      yield block;
    }
    if (total !== version.numbersTotal) throw miscounted();
  }

  /** Records a new version; must run inside `write`. The previous snapshot is replaced by `set`. */
  addVersion(list: List, record: NewVersion, set: NumberSet | SortedEntries, added: NumberSet | SortedEntries, removed: NumberSet | SortedEntries): Version {
    const previous = this.latestVersion(list);
    const version = (previous?.version ?? 0) + 1;
    this.statement(
      `INSERT INTO versions(list_id, version, mode, as_of, imported_at, source_name, source_sha256, format, country,
        numbers_added, numbers_removed, numbers_total, rejected, logical_sha256, covers)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      list.id,
      version,
      record.mode,
      record.asOf,
      record.importedAt,
      record.sourceName,
      record.sourceSha256,
      record.format,
      record.country,
      record.numbersAdded,
      record.numbersRemoved,
      record.numbersTotal,
      record.rejected,
      record.logicalSha256,
      JSON.stringify(record.covers),
    );
    if (previous !== undefined) {
      this.statement("DELETE FROM chunks WHERE list_id = ? AND version = ? AND part = 'snapshot'").run(list.id, previous.version);
      // The first version needs no changes recorded: nothing comes before it to rebuild.
      this.insertChunks(list, version, 'added', added);
      this.insertChunks(list, version, 'removed', removed);
    }
    this.insertChunks(list, version, 'snapshot', set);
    return { ...record, list: list.name, kind: list.kind, version, replayable: true };
  }

  /** Writes a part's chunks as they are encoded, one at a time. */
  private insertChunks(list: List, version: number, part: Part, set: NumberSet | SortedEntries): void {
    const insert = this.statement(
      'INSERT INTO chunks(list_id, version, part, seq, first, last, count, numbers, until, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let seq = 0;
    for (const chunk of encodeEntries(asEntries(set))) {
      const checksum = chunkChecksum(part, { ...chunk, seq });
      insert.run(list.id, version, part, seq, chunk.first, chunk.last, chunk.count, chunk.numbers, chunk.until, checksum);
      seq++;
    }
  }

  /**
   * Sets aside the history of the versions before `version` (after a damaged version was replaced by a full
   * import): they keep their record and digest but can no longer be rebuilt. Must run inside `write`.
   */
  setAsideHistoryBefore(list: List, version: number): void {
    this.statement("DELETE FROM chunks WHERE list_id = ? AND version < ? AND part IN ('added', 'removed')").run(list.id, version);
    this.markUnreplayableBefore(list, version);
  }

  /** The versions before `keepFrom` that can still be rebuilt: those that dropping the history before it would lose. */
  replayableBefore(list: List, keepFrom: number): Version[] {
    return this.versions(list.name).filter((v) => v.version < keepFrom && v.replayable);
  }

  /**
   * Drops the change history of the versions before `keepFrom`, which can then no longer be rebuilt. Returns the
   * versions that stopped being replayable. Must run inside `write`.
   */
  dropHistoryBefore(list: List, keepFrom: number): Version[] {
    const lost = this.replayableBefore(list, keepFrom);
    if (lost.length === 0) return [];
    // Rebuilding version k needs the changes of versions k+1 and later; those of keepFrom and before are now unused.
    this.statement("DELETE FROM chunks WHERE list_id = ? AND version <= ? AND part IN ('added', 'removed')").run(list.id, keepFrom);
    // A consent list's versions are its evidence rows: those no version from keepFrom on holds go.
    if (list.kind === 'consent') this.statement('DELETE FROM consents WHERE list_id = ? AND to_version < ?').run(list.id, keepFrom);
    this.markUnreplayableBefore(list, keepFrom);
    return lost.map((v) => ({ ...v, replayable: false }));
  }

  private markUnreplayableBefore(list: List, version: number): void {
    this.statement('UPDATE versions SET replayable = 0 WHERE list_id = ? AND version < ?').run(list.id, version);
  }

  /**
   * The consents of a version with their evidence, each row checked against its checksum; undefined when the
   * version does not exist or its history was pruned.
   */
  consentsAt(list: List, versionNumber: number): StoredConsent[] | undefined {
    const version = this.versions(list.name).find((v) => v.version === versionNumber);
    if (version === undefined || !version.replayable) return undefined;
    const rows = this.statement(
      'SELECT number, from_version AS fromVersion, evidence, checksum FROM consents WHERE list_id = ? AND from_version <= ? AND (to_version IS NULL OR to_version >= ?) ORDER BY number',
    ).all(list.id, versionNumber, versionNumber) as StoredConsent[];
    for (const row of rows) this.checkConsent(list, versionNumber, row);
    return rows;
  }

  /** The consents of a version as a set (numbers, withdrawal, grant and expiry days), from its evidence rows. */
  private consentSetAt(list: List, versionNumber: number): NumberSet | undefined {
    const rows = this.consentsAt(list, versionNumber);
    if (rows === undefined) return undefined;
    const set = consentSet(rows);
    if (set === undefined) throw new DamagedVersion(list.name, versionNumber, 'a stored consent cannot be read', this.path);
    return set;
  }

  /**
   * The digest of a consent version's evidence (see EvidenceDigest), worked out from its rows, each checked against
   * its checksum; read a row at a time. Undefined when the version cannot be rebuilt (pruned).
   */
  evidenceDigestOf(list: List, versionNumber: number): string | undefined {
    const version = this.versions(list.name).find((v) => v.version === versionNumber);
    if (version === undefined || !version.replayable) return undefined;
    const digest = new EvidenceDigest();
    const rows = this.statement('SELECT number, evidence, checksum FROM consents WHERE list_id = ? AND from_version <= ? AND (to_version IS NULL OR to_version >= ?) ORDER BY number')
      .raw()
      .iterate(list.id, versionNumber, versionNumber) as Iterable<[number, string, Buffer]>;
    for (const [value, evidence, checksum] of rows) {
      if (!consentChecksum(value, evidence).equals(checksum)) throw new DamagedVersion(list.name, versionNumber, 'a stored consent does not match its checksum', this.path);
      digest.add(value, evidence);
    }
    return digest.digest();
  }

  /** The evidence digest recorded with a consent version at its import (null: none recorded, or not a consent list). */
  recordedEvidenceDigest(list: List, versionNumber: number): string | null {
    if (!this.consents) return null;
    const row = this.statement('SELECT evidence_sha256 AS digest FROM versions WHERE list_id = ? AND version = ?').get(list.id, versionNumber) as { digest: string | null } | undefined;
    return row?.digest ?? null;
  }

  /**
   * Records a consent version's evidence digest, as worked out by the import or else from its rows; must run inside
   * `write`, after `addConsents`.
   */
  recordEvidenceDigest(list: List, versionNumber: number, known?: string): string {
    const digest = known ?? (this.evidenceDigestOf(list, versionNumber) as string);
    this.statement('UPDATE versions SET evidence_sha256 = ? WHERE list_id = ? AND version = ?').run(digest, list.id, versionNumber);
    return digest;
  }

  /**
   * One number's consent in a version and the version that recorded it, checked (its checksum, then its stored form);
   * undefined when the version holds none for it.
   */
  consentOf(list: List, versionNumber: number, value: number): { consent: Consent; fromVersion: number } | undefined {
    const row = this.statement(
      'SELECT number, from_version AS fromVersion, evidence, checksum FROM consents WHERE list_id = ? AND number = ? AND from_version <= ? AND (to_version IS NULL OR to_version >= ?)',
    ).get(list.id, value, versionNumber, versionNumber) as StoredConsent | undefined;
    if (row === undefined) return undefined;
    this.checkConsent(list, versionNumber, row);
    const consent = storedConsent(row.evidence);
    if (consent === undefined) throw new DamagedVersion(list.name, versionNumber, 'a stored consent cannot be read', this.path);
    return { consent, fromVersion: row.fromVersion };
  }

  private checkConsent(list: List, versionNumber: number, row: StoredConsent): void {
    if (!consentChecksum(row.number, row.evidence).equals(row.checksum)) {
      throw new DamagedVersion(list.name, versionNumber, 'a stored consent does not match its checksum', this.path);
    }
  }

  /**
   * The numbers of the newest version's consents and the first 8 bytes of the checksum of each, in number order (the
   * consent at `i` has `prefixes[8 i .. 8 i + 8)`): enough to tell a changed consent (a chance in 2^64 of missing
   * one), in a quarter of the memory of whole checksums.
   */
  currentConsentChecksums(list: List): { numbers: Float64Array; prefixes: Buffer } {
    // Room for the newest version's count at once: growing by copies held twice the memory at the end.
    const expected = Math.max(1024, this.latestVersion(list)?.numbersTotal ?? 0);
    let numbers = new Float64Array(expected);
    let prefixes = Buffer.allocUnsafe(8 * expected);
    let n = 0;
    for (const [value, prefix] of this.statement('SELECT number, substr(checksum, 1, 8) FROM consents WHERE list_id = ? AND to_version IS NULL ORDER BY number')
      .raw()
      .iterate(list.id) as Iterable<[number, Buffer]>) {
      if (n === numbers.length) {
        const grown = new Float64Array(n * 2);
        grown.set(numbers);
        numbers = grown;
        prefixes = Buffer.concat([prefixes, Buffer.allocUnsafe(8 * n)]);
      }
      numbers[n] = value;
      prefix.copy(prefixes, 8 * n);
      n++;
    }
    return { numbers: numbers.subarray(0, n), prefixes: prefixes.subarray(0, 8 * n) };
  }

  /**
   * The numbers whose newest entry records a withdrawal (the one that ended it, or one it remembers), or whose entry
   * is damaged, in order.
   */
  withdrawnNumbers(list: List): Float64Array {
    const rows = this.statement(
      // A damaged row (not JSON) counts: what it withdrew cannot be told.
      "SELECT number FROM consents WHERE list_id = ? AND to_version IS NULL AND (json_valid(evidence) = 0 OR json_extract(evidence, '$[4]') IS NOT NULL OR json_extract(evidence, '$[7]') IS NOT NULL) ORDER BY number",
    )
      .pluck()
      .all(list.id) as number[];
    return Float64Array.from(rows);
  }

  /**
   * Records a consent version's evidence; must run inside `write`, after `addVersion`. `changed`: the numbers whose
   * consent is new or different, with their evidence; `ended`: the numbers the version no longer holds.
   */
  addConsents(list: List, version: number, changed: { readonly numbers: Float64Array; evidence(start: number, end: number): string[] }, ended: Float64Array): void {
    const close = this.statement('UPDATE consents SET to_version = ? WHERE list_id = ? AND number = ? AND to_version IS NULL');
    const insert = this.statement('INSERT INTO consents(list_id, number, from_version, to_version, evidence, checksum) VALUES (?, ?, ?, NULL, ?, ?)');
    for (const value of ended) close.run(version - 1, list.id, value);
    // In number order (the table's), their evidence read a batch at a time.
    for (let start = 0; start < changed.numbers.length; start += consentBatch) {
      const texts = changed.evidence(start, Math.min(start + consentBatch, changed.numbers.length));
      texts.forEach((evidence, k) => {
        const value = changed.numbers[start + k] as number;
        if (version > 1) close.run(version - 1, list.id, value);
        insert.run(list.id, value, version, evidence, consentChecksum(value, evidence));
      });
    }
  }

  /** Gives the pages freed by pruning back to the file system. */
  reclaimSpace(): void {
    this.db.pragma('incremental_vacuum');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }
}
