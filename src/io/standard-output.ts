// Standard output as a place that can fail. A full disk (`> /dev/full`: ENOSPC) or an I/O error loses what a
// command exists to print, so it ends the run with exit 1 and one line; a reader that went away (EPIPE, `| head`)
// is not a failure (see README, "Exit codes").

import type { Writable } from 'node:stream';
import { CallscrubError, ioError } from '../errors.js';

/** How messages name standard output. */
export const stdoutName = '<stdout>';

/** Whether a write error means only that the reader stopped reading. */
export function readerWentAway(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

export function cannotWrite(error: unknown): CallscrubError {
  return ioError(error, stdoutName, 'write');
}

/** Whether a command's error is only that standard output's reader went away. */
export function stoppedByReader(error: unknown): boolean {
  return error instanceof CallscrubError && error.file === stdoutName && readerWentAway(error.cause);
}

/**
 * Throws when a write to `stream` has already failed, so that long work stops at the first lost write rather
 * than at the end. A writable stream records its first error synchronously, even when it emits it later.
 */
export function checkWritable(stream: Writable): void {
  const error = stream.errored;
  if (error !== null && error !== undefined) throw cannotWrite(error);
}

/**
 * Watches a run's standard output: remembers its first error and, once the command is done, waits for what was
 * written to be handed to the system before the exit code is decided.
 */
export class OutputWatch {
  private readonly stream: Writable;
  private error: Error | undefined;
  private readonly onError = (error: Error): void => {
    this.error ??= error;
  };

  constructor(stream: Writable) {
    this.stream = stream;
    stream.on('error', this.onError);
  }

  /** Waits for the last write to complete; then the first error, if any. */
  async settle(): Promise<Error | undefined> {
    if (!this.stream.destroyed && !this.stream.writableEnded) {
      await new Promise<void>((resolve) => {
        this.stream.write('', (error) => {
          if (error !== null && error !== undefined) this.onError(error);
          resolve();
        });
      });
    }
    // An error is emitted a tick after the write's callback runs.
    await new Promise((resolve) => setImmediate(resolve));
    this.stream.off('error', this.onError);
    return this.error ?? this.stream.errored ?? undefined;
  }
}
