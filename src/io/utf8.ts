// UTF-8 across chunks: a multi-byte sequence may be cut at the end of a chunk (or of the sample a dialect is
// detected from), so the bytes after the last complete sequence wait for the next chunk.

import { isUtf8 } from 'node:buffer';
import { CallscrubError } from '../errors.js';
import { lineBreaks } from './line-breaks.js';

/** Where an incomplete UTF-8 sequence at the end of `bytes` starts (`bytes.length` when there is none). */
export function completeUtf8End(bytes: Buffer): number {
  const end = bytes.length;
  // Back off over continuation bytes, then over the lead byte of a sequence that needs more of them.
  let back = 0;
  while (back < 3 && end - back - 1 >= 0 && ((bytes[end - back - 1] as number) & 0xc0) === 0x80) back++;
  const lead = bytes[end - back - 1];
  if (lead !== undefined && lead >= 0xc0) {
    const needed = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
    if (back < needed) return end - back - 1;
  }
  return end;
}

/** Checks that the input is valid UTF-8 when --encoding utf-8 is given, naming the line of the first bad byte. */
export function utf8Validator(fileName: string): (chunk: Buffer, firstLine: number, final?: boolean) => void {
  let pending = Buffer.alloc(0);
  return (chunk, firstLine, final = false) => {
    const data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const end = final ? data.length : completeUtf8End(data);
    const body = data.subarray(0, end);
    if (!isUtf8(body)) {
      // The line of the first bad byte (a U+FFFD written in the file is no bad byte).
      const line = firstLine + lineBreaks(data, 0, firstInvalidUtf8(body));
      throw new CallscrubError('input', 'bytes that are not UTF-8 (given --encoding utf-8)', {
        file: fileName,
        line: Math.max(1, line),
        hint: 'try --encoding windows-1252, or leave --encoding out to detect it',
      });
    }
    pending = Buffer.from(data.subarray(end));
  };
}

/**
 * Where the first byte that is not well-formed UTF-8 is (as `isUtf8` reads it: no overlong form, no surrogate, nothing
 * above U+10FFFF), or the length when there is none. Only run once a chunk failed `isUtf8`.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length) return i;
    const second = bytes[i + 1] as number;
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return i;
    for (let k = 2; k <= need; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return bytes.length;
}
