// Where a scrub's rows go: a file written atomically (temporary name, synced, renamed; a device or a FIFO is written
// in place: atomic-file.ts), standard output (respecting backpressure, failing at the first refused write), or
// nowhere but a digest (a replay). Each sink hashes what it takes, so the report can name every output by its SHA-256.

import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { AtomicFile } from './atomic-file.js';
import { checkWritable } from './standard-output.js';

/** Where rows go. */
export interface Sink {
  write(data: string | Buffer): void;
  /** Writes bytes [start, end) of `bytes` (no intermediate view). */
  writeRange(bytes: Buffer, start: number, end: number): void;
  /** Content final (written, synced, digested); the name not yet. */
  finish(): void;
  /** The final name. */
  publish(): void;
  abort(): void;
  sha256(): string;
  readonly bytes: number;
  /** Resolves when the sink can take more (standard output under backpressure). */
  drained(): Promise<void>;
}

/**
 * An output that is hashed and handed to `onData` (nothing, when replaying a scrub only to compare digests).
 * `waitFor` tells when the receiver can take more; `check` throws when the receiver has failed.
 */
export function hashSink(onData?: (chunk: Buffer) => void, waitFor?: () => Promise<void>, check?: () => void): Sink {
  const hash = createHash('sha256');
  let bytes = 0;
  let digest = '';
  const take = (chunk: Buffer): void => {
    hash.update(chunk);
    bytes += chunk.length;
    onData?.(chunk);
  };
  return {
    write: (data) => take(typeof data === 'string' ? Buffer.from(data) : data),
    writeRange: (data, start, end) => take(data.subarray(start, end)),
    finish() {
      check?.();
      if (digest === '') digest = hash.digest('hex');
    },
    publish() {},
    abort() {},
    sha256: () => digest,
    get bytes() {
      return bytes;
    },
    drained: () => waitFor?.() ?? Promise.resolve(),
  };
}

/**
 * An output on standard output: not atomic, but respecting backpressure, and failing (one line, exit 1) at the
 * first write the system refused (a full disk), so that no report claims rows that were lost.
 */
export function stdoutSink(stdout: Writable): Sink {
  let waiting: Promise<void> | undefined;
  const check = (): void => checkWritable(stdout);
  return hashSink(
    (chunk) => {
      check();
      // A copy: the chunk may be a view of memory reused for the next input chunk.
      if (!stdout.write(Buffer.from(chunk)) && waiting === undefined) {
        // Settles on an error or a close too: a stream that failed never drains.
        waiting = new Promise((resolve) => {
          const done = (): void => {
            stdout.off('drain', done).off('error', done).off('close', done);
            waiting = undefined;
            resolve();
          };
          stdout.once('drain', done).once('error', done).once('close', done);
        });
      }
    },
    async () => {
      await waiting;
      check();
    },
    check,
  );
}

export function fileSink(path: string): Sink {
  const file = new AtomicFile(path);
  return {
    write: (data) => file.write(data),
    writeRange: (bytes, start, end) => file.writeRange(bytes, start, end),
    finish: () => file.finish(),
    publish: () => file.publish(),
    abort: () => file.abort(),
    sha256: () => file.sha256(),
    get bytes() {
      return file.bytes;
    },
    drained: () => Promise.resolve(),
  };
}
