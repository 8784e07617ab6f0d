// Opening the registry's SQLite file: created readable by its owner only, read from a copy in memory when it cannot
// be written (an auditor's archive), its schema checked, and SQLite's errors mapped to the project's, naming the file.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CallscrubError, ioError } from '../errors.js';
import { checkOrCreateSchema } from './schema.js';

export interface OpenOptions {
  /**
   * Opens for reading only. A registry that cannot be written (a read-only file, folder or mount: an auditor's
   * archived copy) is then read from a copy in memory, so that nothing is created or changed beside it.
   */
  readonly readonly?: boolean;
  /** Milliseconds to wait for another import's write lock before failing. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (and, when writable and new, creates) the database at `path`; its schema version with it. A read-only open
 * of a missing file fails.
 */
export function openDatabase(path: string, options: OpenOptions): { db: Database.Database; schemaVersion: number } {
  const readonly = options.readonly === true;
  let created = false;
  if (!readonly) created = createPrivateFile(path);
  let db: Database.Database;
  try {
    // A folder named as the registry (--db /tmp) is said to be one, not met as SQLite's "disk I/O error".
    if (readonly && fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) throw ioError(Object.assign(new Error(), { code: 'EISDIR' }), path, 'open the registry');
    db = readonly && !writable(path) ? inMemoryCopy(path) : new Database(path, { readonly, fileMustExist: true });
  } catch (error) {
    throw databaseError(error, path);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    // Readers (scrubs, when) read pages through a memory map: a lookup of a thousand numbers reads a thousand chunks
    // of the call history, at a third of the time through SQLite's page cache. Writers keep the default.
    if (readonly) db.pragma('mmap_size = 268435456');
    return { db, schemaVersion: checkOrCreateSchema(db, path, readonly) };
  } catch (error) {
    db.close();
    if (created) removeQuietly(path);
    throw databaseError(error, path);
  }
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
      const stat = fs.statSync(path);
      if (stat.isDirectory()) throw ioError(Object.assign(new Error(), { code: 'EISDIR' }), path, 'open the registry');
      // An empty file made beforehand (`touch callscrub.db`) becomes the registry: readable by its owner only, as a
      // registry made here would be.
      if (stat.isFile() && stat.size === 0 && (stat.mode & 0o077) !== 0) fs.chmodSync(path, 0o600);
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
