// Texts too many to hold on the heap (the evidence of a national consent ledger), spooled to an unlinked temporary
// file and read back by index: one at a time, or many in one forward pass.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CallscrubError, ioError } from '../errors.js';

/**
 * Texts spooled as UTF-8 to a temporary file (mode 0600, unlinked at once: nothing is left behind, even after a
 * crash), read back by index. The page cache holds them, not the process.
 */
export class TextSpool {
  private readonly fd: number;
  private buffer = Buffer.allocUnsafe(1 << 20);
  private buffered = 0;
  private written = 0;
  private position = new Float64Array(1024);
  private size = new Uint32Array(1024);
  private count = 0;
  private readBuffer = Buffer.allocUnsafe(4096);
  private window = Buffer.allocUnsafe(0);
  private closed = false;

  constructor() {
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callscrub-'));
      const file = path.join(dir, 'evidence');
      this.fd = fs.openSync(file, 'w+', 0o600);
      fs.rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      throw spoolError(error);
    }
  }

  add(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.buffered + bytes > this.buffer.length) this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
    this.buffer.write(text, this.buffered);
    if (this.count === this.size.length) {
      const position = new Float64Array(this.count * 2);
      position.set(this.position);
      this.position = position;
      const size = new Uint32Array(this.count * 2);
      size.set(this.size);
      this.size = size;
    }
    this.position[this.count] = this.written + this.buffered;
    this.size[this.count++] = bytes;
    this.buffered += bytes;
  }

  get(i: number): string {
    this.flush();
    const size = this.size[i] as number;
    if (size > this.readBuffer.length) this.readBuffer = Buffer.allocUnsafe(size);
    fs.readSync(this.fd, this.readBuffer, 0, size, this.position[i] as number);
    return this.readBuffer.toString('utf8', 0, size);
  }

  /**
   * The texts at `ids`, which must be in increasing order: the file is read forward a window of 4 MiB at a time
   * (reading a million texts one system call each took 8 s here).
   */
  getSorted(ids: ArrayLike<number>): string[] {
    this.flush();
    const texts: string[] = [];
    let windowStart = 0;
    let windowLength = 0;
    for (let k = 0; k < ids.length; k++) {
      const i = ids[k] as number;
      const size = this.size[i] as number;
      const position = this.position[i] as number;
      if (position + size > windowStart + windowLength) {
        if (this.window.length < Math.max(size, 1 << 22)) this.window = Buffer.allocUnsafe(Math.max(size, 1 << 22));
        windowStart = position;
        windowLength = fs.readSync(this.fd, this.window, 0, this.window.length, position);
      }
      texts.push(this.window.toString('utf8', position - windowStart, position - windowStart + size));
    }
    return texts;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.window = Buffer.allocUnsafe(0);
    fs.closeSync(this.fd);
  }

  private flush(): void {
    if (this.buffered === 0) return;
    try {
      fs.writeSync(this.fd, this.buffer, 0, this.buffered, this.written);
    } catch (error) {
      throw spoolError(error);
    }
    this.written += this.buffered;
    this.buffered = 0;
  }
}

/** A failure of the temporary folder, said as one: not the input's, nor the registry's. */
function spoolError(error: unknown): CallscrubError {
  const failure = ioError(error, os.tmpdir(), 'write a temporary file in');
  return new CallscrubError('io', `cannot write the ledger's evidence to the temporary folder while it is read: ${failure.message.split(': ').pop()}`, {
    file: os.tmpdir(),
    hint: (error as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC' ? 'free some space there, or point TMPDIR to a folder with room' : 'point TMPDIR to a folder this user can write to',
  });
}
