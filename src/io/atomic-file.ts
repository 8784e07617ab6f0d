// Output files that appear whole or not at all: written under a temporary name beside the target, readable by the
// owner only, flushed to disk, then renamed over the final name. Until `commit`, an existing file of that name is
// untouched; `abort` removes the temporary file. The temporary names still on disk are kept in one set, so that an
// interrupted run (SIGINT, SIGTERM: cli.ts) removes them before it exits. A link is followed, so that the rename
// replaces the file it leads to and keeps the link. A device, a FIFO, a socket or a descriptor's name (/dev/null,
// /dev/stderr: output-target.ts) is not a file to replace: it is written in place, as it goes, and `abort` leaves
// what was written there.

import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { ioError } from '../errors.js';
import { outputTarget } from './output-target.js';

/** Something to sleep on for a few milliseconds, synchronously. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/** The temporary files of this process that are neither published nor aborted yet. */
const temporaries = new Set<string>();

/**
 * Removes every temporary file still on disk, synchronously: for a process about to exit on a signal, whose
 * pending work will never run its own `abort`. Returns how many it removed.
 */
export function removeTemporaries(): number {
  let removed = 0;
  for (const file of temporaries) {
    try {
      fs.unlinkSync(file);
      removed++;
    } catch {
      // already gone
    }
  }
  temporaries.clear();
  return removed;
}

export class AtomicFile {
  /** The name as given, for messages. */
  readonly target: string;
  /** The temporary name, or undefined for an output written in place. */
  readonly temporary: string | undefined;
  /** Where the rename goes: the target with its links followed. */
  private readonly destination: string;
  /** Whether fsync applies (a regular file; not a pipe or a terminal). */
  private readonly syncable: boolean;
  /** Whether the descriptor is one this process already had (/dev/stderr): written, never closed. */
  private readonly borrowed: boolean;
  private fd: number | undefined;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private buffered = 0;
  private readonly hash: Hash = createHash('sha256');
  /** Bytes written so far. */
  bytes = 0;

  constructor(target: string) {
    this.target = target;
    try {
      const where = outputTarget(target);
      this.destination = where.path;
      if (where.kind === 'in-place') {
        this.temporary = undefined;
        this.syncable = where.regular;
        this.borrowed = where.descriptor !== undefined;
        // Opening a FIFO waits for a reader, as a shell's `>` does.
        this.fd = where.descriptor ?? fs.openSync(where.path, 'w', 0o600);
        return;
      }
      this.syncable = true;
      this.borrowed = false;
      this.temporary = path.join(path.dirname(where.path), `.${path.basename(where.path)}.${randomBytes(6).toString('hex')}.tmp`);
      this.fd = fs.openSync(this.temporary, 'wx', 0o600);
      temporaries.add(this.temporary);
    } catch (error) {
      throw ioError(error, target, 'create the file');
    }
  }

  /** Appends text (as UTF-8) or bytes; a Buffer is copied, so its memory may be reused after the call. */
  write(data: string | Buffer): void {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.buffered + chunk.length > this.buffer.length) {
      this.flush();
      if (chunk.length > this.buffer.length) return this.writeOut(chunk);
    }
    chunk.copy(this.buffer, this.buffered);
    this.buffered += chunk.length;
  }

  /** Appends bytes [start, end) of `bytes`. */
  writeRange(bytes: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.buffered + length > this.buffer.length) {
      this.flush();
      if (length > this.buffer.length) return this.writeOut(bytes.subarray(start, end));
    }
    bytes.copy(this.buffer, this.buffered, start, end);
    this.buffered += length;
  }

  /** SHA-256 of everything written, once committed. */
  sha256(): string {
    return this.digest ?? '';
  }
  private digest: string | undefined;

  private flush(): void {
    if (this.buffered === 0) return;
    const data = this.buffer.subarray(0, this.buffered);
    this.buffered = 0;
    this.writeOut(data);
  }

  private writeOut(data: Buffer): void {
    if (this.fd === undefined) return;
    this.hash.update(data);
    this.bytes += data.length;
    try {
      let done = 0;
      while (done < data.length) {
        try {
          done += fs.writeSync(this.fd, data, done);
        } catch (error) {
          // A borrowed descriptor (a pipe or socket of the parent) may be non-blocking: wait for it to drain.
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          Atomics.wait(pause, 0, 0, 5);
        }
      }
    } catch (error) {
      this.abort();
      throw ioError(error, this.target, 'write the file');
    }
  }

  /** Flushes, syncs and renames the file into place. */
  commit(): void {
    this.finish();
    this.publish();
  }

  /** Writes out, syncs and closes the temporary file: its content and digest are final, its name not yet. */
  finish(): void {
    this.flush();
    if (this.fd === undefined) return;
    this.digest = this.hash.digest('hex');
    try {
      if (this.syncable) fs.fsyncSync(this.fd);
      if (!this.borrowed) fs.closeSync(this.fd);
      this.fd = undefined;
    } catch (error) {
      this.abort();
      throw ioError(error, this.target, 'write the file');
    }
  }

  /** Renames the finished file to its final name (nothing to do for an output written in place). */
  publish(): void {
    if (this.temporary === undefined) return;
    try {
      fs.renameSync(this.temporary, this.destination);
      temporaries.delete(this.temporary);
    } catch (error) {
      this.abort();
      throw ioError(error, this.target, 'write the file');
    }
  }

  /** Drops the temporary file; the target stays as it was (but for what was written in place). Safe to call twice. */
  abort(): void {
    if (this.fd !== undefined) {
      try {
        if (!this.borrowed) fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    if (this.temporary === undefined) return;
    try {
      fs.unlinkSync(this.temporary);
    } catch {
      // already gone
    }
    temporaries.delete(this.temporary);
  }
}
