// Writing the page: under a temporary name, synced, renamed into place (AtomicFile), mode 0600 like every output;
// or to standard output for `--html -`.

import type { Writable } from 'node:stream';
import { AtomicFile } from '../io/atomic-file.js';

export function writePage(file: string, pieces: readonly string[], stdout: Writable): void {
  if (file === '-') {
    for (const piece of pieces) stdout.write(piece);
    return;
  }
  const out = new AtomicFile(file);
  try {
    for (const piece of pieces) out.write(piece);
    out.commit();
  } catch (error) {
    out.abort();
    throw error;
  }
}
