// Everything a command takes from its surroundings, built once from the process by main.ts (or by a test), so that
// nothing below the CLI layer reads process.argv, process.env or the clock directly.

import type { Readable, Writable } from 'node:stream';

export interface Context {
  /** Directory relative paths are resolved from. */
  readonly cwd: string;
  readonly stdin: Readable;
  /** Standard input's file descriptor when it is the process's own (0): a file redirected there is never an output. */
  readonly stdinFd?: number | undefined;
  /** Standard output's file descriptor when it is the process's own (1): a file redirected there is an output. */
  readonly stdoutFd?: number | undefined;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Whether stderr is a terminal: progress displays and colours only then. */
  readonly interactive: boolean;
  /** Colours allowed (a terminal, and NO_COLOR unset). */
  readonly color: boolean;
  readonly now: () => Date;
  /** The registry path from CALLSCRUB_DB, if set. */
  readonly defaultDb: string | undefined;
  /** CALLSCRUB_KEY_PASSPHRASE: encrypts new private keys and decrypts them for signing. */
  readonly keyPassphrase?: string | undefined;
  /** CALLSCRUB_BLOCK_BYTES: the size of the blocks a scrub's worker threads take (tests make it small). */
  readonly blockBytes?: number | undefined;
}
