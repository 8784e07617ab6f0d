// The registry database: lists, their versions, and each version's numbers as compact chunks. The newest version of
// a list keeps a full snapshot; every later version also keeps what it added and removed, so any retained version
// can be rebuilt by undoing changes from the newest one back. All writes of an import are one transaction.
// Every chunk carries a SHA-256 of its content, checked whenever it is read: a damaged registry is never used.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CallscrubError, ioError } from '../errors.js';
import { undo } from '../numbers/changes.js';
import { chunkChecksum, decode, decodeChunk, encode, type Chunk } from '../numbers/chunks.js';
import { logicalDigest } from '../numbers/digest.js';
import { emptySet, indexOf, type NumberSet } from '../numbers/set.js';

/**
 * 2: chunks carry a checksum, sets hold each number as published, and the newest version keeps the other readings
 * of its ambiguous numbers apart (table `readings`). A schema-1 registry is read as it is (its chunks checked
 * through the version's logical digest) and upgraded by the next import.
 */
export const schemaVersion = 2;
/** `PRAGMA application_id` of a callscrub database: 'CSCR'. */
export const applicationId = 0x43534352;

export const listKinds = ['opposition', 'internal', 'exempt'] as const;
export type ListKind = (typeof listKinds)[number];
export const importModes = ['full', 'add', 'remove'] as const;
export type ImportMode = (typeof importModes)[number];
type Part = 'snapshot' | 'added' | 'removed';

export interface List {
  readonly id: number;
  readonly name: string;
  readonly kind: ListKind;
  /** Opposition lists only: how old a version may be before scrubs refuse it. */
  readonly maxAgeDays: number | null;
  /** Coverage declared with --covers, kept for later imports; null: each version's data decides. */
  readonly covers: readonly string[] | null;
  readonly createdAt: string;
}

export interface Version {
  readonly list: string;
  readonly kind: ListKind;
  readonly version: number;
  readonly mode: ImportMode;
  readonly asOf: string;
  readonly importedAt: string;
  readonly sourceName: string;
  readonly sourceSha256: string;
  readonly format: string;
  readonly country: string;
  readonly numbersAdded: number;
  readonly numbersRemoved: number;
  readonly numbersTotal: number;
  readonly rejected: number;
  readonly logicalSha256: string;
  /** E.164 digit prefixes the version covers: calling codes, or 1 + area code for North American lists. */
  readonly covers: readonly string[];
  /** False once `registry prune` dropped the history needed to rebuild this version's numbers. */
  readonly replayable: boolean;
}

export type NewVersion = Omit<Version, 'list' | 'kind' | 'version' | 'replayable'>;

// The other readings of the newest version's ambiguous 08/09 numbers, worked out at import (a quarter of a second
// for 5,000,000 numbers) so that a scrub loads them in a few milliseconds. Derived data: counts and digests ignore it.
const readingsSchema = `
CREATE TABLE readings (
  list_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  first INTEGER NOT NULL,
  last INTEGER NOT NULL,
  count INTEGER NOT NULL,
  numbers BLOB NOT NULL,
  until BLOB,
  checksum BLOB NOT NULL,
  PRIMARY KEY (list_id, version, seq)
);
ALTER TABLE versions ADD COLUMN readings_total INTEGER;`;

const schema = `
CREATE TABLE lists (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('opposition', 'internal', 'exempt')),
  max_age_days INTEGER,
  covers TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE versions (
  list_id INTEGER NOT NULL REFERENCES lists(id),
  version INTEGER NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('full', 'add', 'remove')),
  as_of TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  country TEXT NOT NULL,
  numbers_added INTEGER NOT NULL,
  numbers_removed INTEGER NOT NULL,
  numbers_total INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  logical_sha256 TEXT NOT NULL,
  covers TEXT NOT NULL,
  replayable INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (list_id, version)
);
CREATE TABLE chunks (
  list_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  part TEXT NOT NULL CHECK (part IN ('snapshot', 'added', 'removed')),
  seq INTEGER NOT NULL,
  first INTEGER NOT NULL,
  last INTEGER NOT NULL,
  count INTEGER NOT NULL,
  numbers BLOB NOT NULL,
  until BLOB,
  checksum BLOB,
  FOREIGN KEY (list_id, version) REFERENCES versions(list_id, version)
);
CREATE UNIQUE INDEX chunks_by_part ON chunks(list_id, version, part, seq);
${readingsSchema}
`;

interface VersionRecord {
  name: string;
  kind: ListKind;
  version: number;
  mode: ImportMode;
  as_of: string;
  imported_at: string;
  source_name: string;
  source_sha256: string;
  format: string;
  country: string;
  numbers_added: number;
  numbers_removed: number;
  numbers_total: number;
  rejected: number;
  logical_sha256: string;
  covers: string;
  replayable: number;
}

const versionColumns = `l.name, l.kind, v.version, v.mode, v.as_of, v.imported_at, v.source_name, v.source_sha256,
  v.format, v.country, v.numbers_added, v.numbers_removed, v.numbers_total, v.rejected, v.logical_sha256, v.covers,
  v.replayable`;

/** A stored coverage, a JSON array of digit strings; a damaged one is the registry's damage, not a bug. */
function parseCovers(text: string, what: string): string[] {
  let covers: unknown;
  try {
    covers = JSON.parse(text);
  } catch {
    covers = undefined;
  }
  if (!Array.isArray(covers) || !covers.every((c) => typeof c === 'string' && /^\d{1,6}$/.test(c))) {
    throw new CallscrubError('database', `the registry's record of ${what} is damaged (its coverage)`, {
      hint: 'restore the registry from a backup',
    });
  }
  return covers as string[];
}

function toVersion(r: VersionRecord): Version {
  return {
    list: r.name,
    kind: r.kind,
    version: r.version,
    mode: r.mode,
    asOf: r.as_of,
    importedAt: r.imported_at,
    sourceName: r.source_name,
    sourceSha256: r.source_sha256,
    format: r.format,
    country: r.country,
    numbersAdded: r.numbers_added,
    numbersRemoved: r.numbers_removed,
    numbersTotal: r.numbers_total,
    rejected: r.rejected,
    logicalSha256: r.logical_sha256,
    covers: parseCovers(r.covers, `version ${r.version} of list '${r.name}'`),
    replayable: r.replayable === 1,
  };
}

export interface OpenOptions {
  /**
   * Opens for reading only. A registry that cannot be written (a read-only file, folder or mount: an auditor's
   * archived copy) is then read from a copy in memory, so that nothing is created or changed beside it.
   */
  readonly readonly?: boolean;
  /** Milliseconds to wait for another import's write lock before failing. */
  readonly busyTimeoutMs?: number;
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
  /** Schema-1 versions whose logical digest `partContains` has checked. */
  private readonly digestChecked = new Set<string>();

  private constructor(path: string, db: Database.Database, checksums: boolean) {
    this.path = path;
    this.db = db;
    this.checksums = checksums;
  }

  /**
   * Opens (and, when writable and new, creates) the registry at `path`. A read-only open of a missing file fails;
   * callers that can do without a registry check `Registry.exists` first.
   */
  static open(path: string, options: OpenOptions = {}): Registry {
    const readonly = options.readonly === true;
    let created = false;
    if (!readonly) created = createPrivateFile(path);
    let db: Database.Database;
    try {
      db = readonly && !writable(path) ? inMemoryCopy(path) : new Database(path, { readonly, fileMustExist: true });
    } catch (error) {
      throw databaseError(error, path);
    }
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
      const version = checkOrCreateSchema(db, path, readonly);
      return new Registry(path, db, version >= 2);
    } catch (error) {
      db.close();
      if (created) removeQuietly(path);
      throw databaseError(error, path);
    }
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

  lists(): List[] {
    const rows = this.db.prepare('SELECT id, name, kind, max_age_days, covers, created_at FROM lists ORDER BY name').all() as Array<{
      id: number;
      name: string;
      kind: ListKind;
      max_age_days: number | null;
      covers: string | null;
      created_at: string;
    }>;
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      maxAgeDays: r.max_age_days,
      covers: r.covers === null ? null : parseCovers(r.covers, `list '${r.name}'`),
      createdAt: r.created_at,
    }));
  }

  list(name: string): List | undefined {
    return this.lists().find((l) => l.name === name);
  }

  createList(name: string, kind: ListKind, maxAgeDays: number | null, createdAt: string): List {
    const info = this.db
      .prepare('INSERT INTO lists(name, kind, max_age_days, created_at) VALUES (?, ?, ?, ?)')
      .run(name, kind, maxAgeDays, createdAt);
    return { id: Number(info.lastInsertRowid), name, kind, maxAgeDays, covers: null, createdAt };
  }

  /** Changes the settings a list keeps from one import to the next. */
  updateList(list: List, settings: { maxAgeDays: number | null; covers: readonly string[] | null }): List {
    this.db
      .prepare('UPDATE lists SET max_age_days = ?, covers = ? WHERE id = ?')
      .run(settings.maxAgeDays, settings.covers === null ? null : JSON.stringify(settings.covers), list.id);
    return { ...list, ...settings };
  }

  versions(listName?: string): Version[] {
    const where = listName === undefined ? '' : 'WHERE l.name = ?';
    const rows = this.db
      .prepare(`SELECT ${versionColumns} FROM versions v JOIN lists l ON l.id = v.list_id ${where} ORDER BY l.name, v.version`)
      .all(...(listName === undefined ? [] : [listName])) as VersionRecord[];
    return rows.map(toVersion);
  }

  latestVersion(list: List): Version | undefined {
    const row = this.db
      .prepare(`SELECT ${versionColumns} FROM versions v JOIN lists l ON l.id = v.list_id WHERE v.list_id = ? ORDER BY v.version DESC LIMIT 1`)
      .get(list.id) as VersionRecord | undefined;
    return row === undefined ? undefined : toVersion(row);
  }

  private get chunkColumns(): string {
    return `seq, first, last, count, numbers, until, ${this.checksums ? 'checksum' : 'NULL AS checksum'}`;
  }

  private chunks(list: List, version: number, part: Part): StoredChunk[] {
    return this.db
      .prepare(`SELECT ${this.chunkColumns} FROM chunks WHERE list_id = ? AND version = ? AND part = ? ORDER BY seq`)
      .all(list.id, version, part) as StoredChunk[];
  }

  /**
   * One part of a version, each chunk checked against its checksum. `checked` is false when some chunk has none
   * (written by schema 1): the caller then checks the version's logical digest.
   */
  private loadPart(list: List, version: number, part: Part, total: number, spare = 0): { set: NumberSet; checked: boolean } {
    const dated = list.kind !== 'opposition';
    const rows = total === 0 ? [] : this.chunks(list, version, part);
    let checked = true;
    for (const row of rows) {
      if (row.checksum === null) checked = false;
      else if (!chunkChecksum(part, row).equals(row.checksum)) throw new DamagedVersion(list.name, version, `a stored chunk of its ${part === 'snapshot' ? 'numbers' : `${part} numbers`} does not match its checksum`, this.path);
    }
    if (total === 0) return { set: dated ? { numbers: new Float64Array(0), until: new Int32Array(0) } : emptySet, checked };
    try {
      return { set: decode(rows, total, dated, spare), checked };
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
    const all = this.versions(list.name);
    const target = all.find((v) => v.version === versionNumber);
    const latest = all[all.length - 1];
    if (target === undefined || latest === undefined || !target.replayable) return undefined;
    let { set, checked } = this.loadPart(list, latest.version, 'snapshot', latest.numbersTotal);
    for (let i = all.length - 1; all[i] !== target; i--) {
      const v = all[i] as Version;
      const added = this.loadPart(list, v.version, 'added', v.numbersAdded);
      const removed = this.loadPart(list, v.version, 'removed', v.numbersRemoved);
      checked &&= added.checked && removed.checked;
      set = undo(set, added.set, removed.set);
    }
    if (!checked) this.checkDigest(list, target, set);
    return set;
  }

  /**
   * The other readings of a version's ambiguous numbers as stored at import, checked; undefined when that version
   * has none stored (schema 1, or an older version): the caller works them out.
   */
  storedReadings(list: List, version: number): NumberSet | undefined {
    if (!this.checksums) return undefined;
    const record = this.db.prepare('SELECT readings_total AS total FROM versions WHERE list_id = ? AND version = ?').get(list.id, version) as
      | { total: number | null }
      | undefined;
    if (record?.total === null || record?.total === undefined) return undefined;
    const rows = this.db
      .prepare('SELECT seq, first, last, count, numbers, until, checksum FROM readings WHERE list_id = ? AND version = ? ORDER BY seq')
      .all(list.id, version) as StoredChunk[];
    for (const row of rows) {
      if (!chunkChecksum('readings', row).equals(row.checksum as Buffer)) {
        throw new DamagedVersion(list.name, version, 'a stored chunk of the other readings of its numbers does not match its checksum', this.path);
      }
    }
    try {
      return decode(rows, record.total, list.kind !== 'opposition');
    } catch {
      throw new DamagedVersion(list.name, version, 'the other readings of its numbers do not add up', this.path);
    }
  }

  /** Records the other readings of the newest version's numbers; must run inside `write`, after `addVersion`. */
  addReadings(list: List, version: number, readings: NumberSet): void {
    this.db.prepare('DELETE FROM readings WHERE list_id = ?').run(list.id);
    const insert = this.db.prepare(
      'INSERT INTO readings(list_id, version, seq, first, last, count, numbers, until, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    encode(readings).forEach((chunk, seq) => {
      insert.run(list.id, version, seq, chunk.first, chunk.last, chunk.count, chunk.numbers, chunk.until, chunkChecksum('readings', { ...chunk, seq }));
    });
    this.db.prepare('UPDATE versions SET readings_total = ? WHERE list_id = ? AND version = ?').run(readings.numbers.length, list.id, version);
  }

  /** Whether one number is in one part of a version, reading only the chunk that could hold it. */
  partContains(list: List, version: number, part: Part, value: number): { found: boolean; until?: number } {
    const row = this.db
      .prepare(`SELECT ${this.chunkColumns} FROM chunks WHERE list_id = ? AND version = ? AND part = ? AND first <= ? AND last >= ?`)
      .get(list.id, version, part, value, value) as StoredChunk | undefined;
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

  /** Records a new version; must run inside `write`. The previous snapshot is replaced by `set`. */
  addVersion(list: List, record: NewVersion, set: NumberSet, added: NumberSet, removed: NumberSet): Version {
    const previous = this.latestVersion(list);
    const version = (previous?.version ?? 0) + 1;
    this.db
      .prepare(
        `INSERT INTO versions(list_id, version, mode, as_of, imported_at, source_name, source_sha256, format, country,
          numbers_added, numbers_removed, numbers_total, rejected, logical_sha256, covers)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      this.db.prepare("DELETE FROM chunks WHERE list_id = ? AND version = ? AND part = 'snapshot'").run(list.id, previous.version);
      // The first version needs no changes recorded: nothing comes before it to rebuild.
      this.insertChunks(list, version, 'added', added);
      this.insertChunks(list, version, 'removed', removed);
    }
    this.insertChunks(list, version, 'snapshot', set);
    return { ...record, list: list.name, kind: list.kind, version, replayable: true };
  }

  private insertChunks(list: List, version: number, part: Part, set: NumberSet): void {
    const insert = this.db.prepare(
      'INSERT INTO chunks(list_id, version, part, seq, first, last, count, numbers, until, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    encode(set).forEach((chunk, seq) => {
      const checksum = chunkChecksum(part, { ...chunk, seq });
      insert.run(list.id, version, part, seq, chunk.first, chunk.last, chunk.count, chunk.numbers, chunk.until, checksum);
    });
  }

  /**
   * Sets aside the history of the versions before `version` (after a damaged version was replaced by a full
   * import): they keep their record and digest but can no longer be rebuilt. Must run inside `write`.
   */
  setAsideHistoryBefore(list: List, version: number): void {
    this.db.prepare("DELETE FROM chunks WHERE list_id = ? AND version < ? AND part IN ('added', 'removed')").run(list.id, version);
    this.db.prepare('UPDATE versions SET replayable = 0 WHERE list_id = ? AND version < ?').run(list.id, version);
  }

  /**
   * Drops the change history of the versions before `keepFrom`, which can then no longer be rebuilt. Returns the
   * versions that stopped being replayable. Must run inside `write`.
   */
  dropHistoryBefore(list: List, keepFrom: number): Version[] {
    const lost = this.versions(list.name).filter((v) => v.version < keepFrom && v.replayable);
    if (lost.length === 0) return [];
    // Rebuilding version k needs the changes of versions k+1 and later; those of keepFrom and before are now unused.
    this.db.prepare("DELETE FROM chunks WHERE list_id = ? AND version <= ? AND part IN ('added', 'removed')").run(list.id, keepFrom);
    this.db.prepare('UPDATE versions SET replayable = 0 WHERE list_id = ? AND version < ?').run(list.id, keepFrom);
    return lost.map((v) => ({ ...v, replayable: false }));
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

/** Checks that `db` is a callscrub registry this version reads, creating or upgrading it when writable; its schema version. */
function checkOrCreateSchema(db: Database.Database, path: string, readonly: boolean): number {
  const tables = () => (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n;
  const appId = () => db.pragma('application_id', { simple: true }) as number;
  if (!readonly && appId() === 0 && tables() === 0) {
    // A new registry, or one another import is creating this very moment: decide under the write lock.
    db.pragma('auto_vacuum = INCREMENTAL'); // takes effect only while the file has no table
    db
      .transaction(() => {
        if (tables() > 0) return;
        db.exec(schema);
        db.pragma(`application_id = ${applicationId}`);
        db.pragma(`user_version = ${schemaVersion}`);
      })
      .immediate();
  }
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  if (appId() === 0 && userVersion === 0 && tables() === 0) {
    throw new CallscrubError('database', 'the registry is empty', { file: path, hint: 'import a list first' });
  }
  if (appId() !== applicationId) {
    throw new CallscrubError('database', 'not a callscrub registry database', {
      file: path,
      hint: 'use --db to name a callscrub registry, or a new file name to create one',
    });
  }
  if (userVersion > schemaVersion) {
    throw new CallscrubError('database', `the registry has schema version ${userVersion}, newer than this callscrub reads (${schemaVersion})`, {
      file: path,
      hint: 'upgrade callscrub',
    });
  }
  if (!readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  if (!readonly && userVersion < schemaVersion) {
    // Schema 1 to 2: a checksum column for the chunks written from now on; older chunks are checked through
    // their version's logical digest.
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= 2) return;
      db.exec('ALTER TABLE chunks ADD COLUMN checksum BLOB');
      db.exec(readingsSchema);
      db.pragma(`user_version = ${schemaVersion}`);
    }).immediate();
    return schemaVersion;
  }
  return userVersion;
}

interface StoredChunk extends Chunk {
  readonly seq: number;
  readonly checksum: Buffer | null;
}

/**
 * Whether the registry can be opened for writing: SQLite creates its -wal and -shm files beside it even to read.
 * Judged from the permission bits too, since root may write anything but an archive should stay untouched.
 */
function writable(file: string): boolean {
  try {
    const folder = path.dirname(file);
    if ((fs.statSync(file).mode & 0o222) === 0 || (fs.statSync(folder).mode & 0o222) === 0) return false;
    fs.accessSync(file, fs.constants.W_OK);
    fs.accessSync(folder, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A read-only registry (an archived copy) opened from a copy of its file in memory, which SQLite reads without
 * creating anything beside it. Committed changes still in a -wal file are not in that copy: then the file is
 * opened in place, which needs its -shm file.
 */
function inMemoryCopy(file: string): Database.Database {
  let wal = 0;
  try {
    wal = fs.statSync(`${file}-wal`).size;
  } catch {
    // no -wal file: everything is in the database file
  }
  if (wal > 0) return new Database(file, { readonly: true, fileMustExist: true });
  let image: Buffer;
  try {
    image = fs.readFileSync(file);
  } catch (error) {
    throw ioError(error, file, 'read the registry');
  }
  // Bytes 18 and 19 say WAL (2); an image in memory has no -wal file to read: mark it as a rollback journal (1).
  if (image.length >= 100 && image[18] === 2 && image[19] === 2) {
    image[18] = 1;
    image[19] = 1;
  }
  return new Database(image, { readonly: true });
}

/** Creates the database file readable by its owner only; true when it did not exist before. */
function createPrivateFile(path: string): boolean {
  try {
    const fd = fs.openSync(path, 'wx', 0o600);
    fs.closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      if (fs.statSync(path).isDirectory()) throw ioError(Object.assign(new Error(), { code: 'EISDIR' }), path, 'open the registry');
      return false;
    }
    throw ioError(error, path, 'create the registry');
  }
}

function removeQuietly(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      fs.unlinkSync(path + suffix);
    } catch {
      // already gone
    }
  }
}

/** Maps SQLite's errors to the project's, naming the database file. */
export function databaseError(error: unknown, path: string): CallscrubError {
  if (error instanceof CallscrubError) return error;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new CallscrubError('database', 'not a callscrub registry database (not SQLite, or damaged)', {
      file: path,
      hint: 'use --db to name a callscrub registry, or a new file name to create one',
      cause: error,
    });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new CallscrubError('database', 'the registry is busy with another import', {
      file: path,
      hint: 'wait for it to finish and run again',
      cause: error,
    });
  }
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR') {
    return new CallscrubError('io', `cannot write the registry: ${message}`, { file: path, hint: 'free some disk space and run again', cause: error });
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new CallscrubError('io', `cannot open the registry: ${message}`, { file: path, hint: 'check the path and its permissions', cause: error });
  }
  if (code.startsWith('SQLITE_')) {
    return new CallscrubError('database', `registry error: ${message}`, { file: path, cause: error });
  }
  if (error instanceof Error && 'code' in error) return ioError(error, path, 'open the registry');
  throw error;
}
