// The registry's tables and how a database is recognised as one: `application_id` marks it as callscrub's,
// `user_version` holds the schema version. A new file gets the schema; a schema-1 registry is upgraded by the
// first open for writing, in one transaction.

import type Database from 'better-sqlite3';
import { CallscrubError } from '../errors.js';

/**
 * 2: chunks carry a checksum, sets hold each number as published, and the newest version keeps the other readings
 * of its ambiguous numbers apart (table `readings`). A schema-1 registry is read as it is (its chunks checked
 * through the version's logical digest) and upgraded by the next import.
 * 3: consent lists: a fourth kind, a list setting (the maximum age of a consent), the evidence of every consent
 * with the versions it belongs to (table `consents`), and each consent version's digest of that evidence.
 * 4: the call history: each `history import` (table `history_imports`) with the attempts it added, and the merged
 * history of every import, as compact chunks (table `history_chunks`).
 */
export const schemaVersion = 4;
/** `PRAGMA application_id` of a callscrub database: 'CSCR'. */
export const applicationId = 0x43534352;

// The columns of a stored chunk (numbers/chunks.ts), the same in both tables that hold chunks.
const chunkColumns = `  first INTEGER NOT NULL,
  last INTEGER NOT NULL,
  count INTEGER NOT NULL,
  numbers BLOB NOT NULL,
  until BLOB,`;

// The other readings of the newest version's ambiguous 08/09 numbers, worked out at import (a quarter of a second
// for 5,000,000 numbers) so that a scrub loads them in a few milliseconds. Derived data: counts and digests ignore it.
const readingsSchema = `
CREATE TABLE readings (
  list_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
${chunkColumns}
  checksum BLOB NOT NULL,
  PRIMARY KEY (list_id, version, seq)
);
ALTER TABLE versions ADD COLUMN readings_total INTEGER;`;

// Lists. Schema 3 adds the consent kind (which the CHECK constraint of older registries refuses: the table is made
// again on upgrade) and the maximum age of a consent.
const listsTable = (name: string) => `
CREATE TABLE ${name} (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('opposition', 'internal', 'exempt', 'consent')),
  max_age_days INTEGER,
  covers TEXT,
  created_at TEXT NOT NULL,
  consent_max_age_days INTEGER
);`;

// The evidence of the consents of consent lists, each row in force from version \`from_version\` to \`to_version\`
// (NULL: still in the newest version): any version's consents are the rows in force then. One b-tree in number
// order and no other index: a national ledger's first import writes a million rows (an index on to_version made it
// a third slower), and the queries by version read a list's rows in number order anyway. \`evidence\` is the stored
// form (registry/consent-records.ts), \`checksum\` a SHA-256 of the number and the evidence, checked on reading.
const consentsSchema = `
CREATE TABLE consents (
  list_id INTEGER NOT NULL REFERENCES lists(id),
  number INTEGER NOT NULL,
  from_version INTEGER NOT NULL,
  to_version INTEGER,
  evidence TEXT NOT NULL,
  checksum BLOB NOT NULL,
  PRIMARY KEY (list_id, number, from_version)
) WITHOUT ROWID;`;

// The call history (registry/call-history.ts): append-only, one row an import with what it read, and the attempts
// it added as chunks (numbers/attempt-chunks.ts) under its id; import 0 holds the merged history of every import,
// made again by each import so that a scrub reads one sorted run. `history_parts` records how many chunks and
// attempts each id's chunks were written with, a SHA-256 of their bounds (a lookup finds chunks by them), and for the
// merged history the last import it holds (a lost, stale or skipped chunk is noticed); `history_state` says what
// pruning removed. Made
// only where missing: an upgrade from an older schema may find them (a registry whose version was set back).
const historySchema = `
CREATE TABLE IF NOT EXISTS history_imports (
  id INTEGER PRIMARY KEY,
  imported_at TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  rows INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  attempts_read INTEGER NOT NULL,
  attempts_added INTEGER NOT NULL,
  refusals_added INTEGER NOT NULL,
  first_second INTEGER,
  last_second INTEGER,
  settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS history_chunks (
  import_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  count INTEGER NOT NULL,
  first INTEGER NOT NULL,
  last INTEGER NOT NULL,
  min_second INTEGER NOT NULL,
  max_second INTEGER NOT NULL,
  data BLOB NOT NULL,
  checksum BLOB NOT NULL,
  PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;
-- The chunks' bounds apart from their data: a lookup of a few numbers reads this index, not every chunk's row.
CREATE INDEX IF NOT EXISTS history_chunk_bounds ON history_chunks(import_id, seq, count, first, last);
CREATE TABLE IF NOT EXISTS history_parts (
  import_id INTEGER PRIMARY KEY,
  chunks INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  bounds BLOB NOT NULL,
  through INTEGER
);
CREATE TABLE IF NOT EXISTS history_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pruned_before INTEGER,
  pruned_at TEXT
);`;

const schema = `${listsTable('lists')}
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
  evidence_sha256 TEXT,
  PRIMARY KEY (list_id, version)
);
CREATE TABLE chunks (
  list_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  part TEXT NOT NULL CHECK (part IN ('snapshot', 'added', 'removed')),
  seq INTEGER NOT NULL,
${chunkColumns}
  checksum BLOB,
  FOREIGN KEY (list_id, version) REFERENCES versions(list_id, version)
);
CREATE UNIQUE INDEX chunks_by_part ON chunks(list_id, version, part, seq);
${readingsSchema}
${consentsSchema}
${historySchema}
`;

/** Checks that `db` is a callscrub registry this version reads, creating or upgrading it when writable; its schema version. */
export function checkOrCreateSchema(db: Database.Database, path: string, readonly: boolean): number {
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
  if (!readonly && userVersion < schemaVersion) {
    upgrade(db);
    db.pragma('foreign_keys = ON');
    return schemaVersion;
  }
  db.pragma('foreign_keys = ON');
  return userVersion;
}

/** Upgrades an older registry to the current schema, in one transaction (another import may be doing it too). */
function upgrade(db: Database.Database): void {
  // Making the lists table again drops the table the versions refer to: foreign keys are off meanwhile (a pragma
  // that does nothing inside a transaction).
  db.pragma('foreign_keys = OFF');
  db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from < 2) {
      // A checksum column for the chunks written from now on; older chunks are checked through their version's
      // logical digest.
      db.exec('ALTER TABLE chunks ADD COLUMN checksum BLOB');
      db.exec(readingsSchema);
    }
    if (from < 3) {
      db.exec(listsTable('lists_upgraded'));
      db.exec('INSERT INTO lists_upgraded(id, name, kind, max_age_days, covers, created_at) SELECT id, name, kind, max_age_days, covers, created_at FROM lists');
      db.exec('DROP TABLE lists');
      db.exec('ALTER TABLE lists_upgraded RENAME TO lists');
      db.exec(consentsSchema);
      db.exec('ALTER TABLE versions ADD COLUMN evidence_sha256 TEXT');
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error('the upgraded registry fails its foreign key check');
    }
    if (from < 4) db.exec(historySchema);
    db.pragma(`user_version = ${schemaVersion}`);
  }).immediate();
}
