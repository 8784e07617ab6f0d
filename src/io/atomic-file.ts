// Output files that appear whole or not at all: written under a temporary name beside the target, readable by the
// owner only, flushed to disk, then renamed over the final name. Until `commit`, an existing file of that name is
// untouched; `abort` removes the temporary file.

import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ioError } from '../errors.js';

export class AtomicFile {
  readonly target: string;
  readonly temporary: string;
  private fd: number | undefined;
  private buffer: string[] = [];
  private buffered = 0;

  constructor(target: string) {
    this.target = target;
    const dir = path.dirname(target);
    this.temporary = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      if (fs.statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
        throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      }
      this.fd = fs.openSync(this.temporary, 'wx', 0o600);
    } catch (error) {
      throw ioError(error, target, 'create the file');
    }
  }

  write(text: string): void {
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0 || this.fd === undefined) return;
    const data = this.buffer.join('');
    this.buffer = [];
    this.buffered = 0;
    try {
      fs.writeSync(this.fd, data);
    } catch (error) {
      this.abort();
      throw ioError(error, this.target, 'write the file');
    }
  }

  /** Flushes, syncs and renames the file into place. */
  commit(): void {
    this.flush();
    if (this.fd === undefined) return;
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = undefined;
      fs.renameSync(this.temporary, this.target);
    } catch (error) {
      this.abort();
      throw ioError(error, this.target, 'write the file');
    }
  }

  /** Drops the temporary file; the target stays as it was. Safe to call twice. */
  abort(): void {
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    try {
      fs.unlinkSync(this.temporary);
    } catch {
      // already gone
    }
  }
}
