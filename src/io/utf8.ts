// UTF-8 across chunks: a multi-byte sequence may be cut at the end of a chunk (or of the sample a dialect is
// detected from), so the bytes after the last complete sequence wait for the next chunk.

import { isUtf8 } from 'node:buffer';
import { CallscrubError } from '../errors.js';

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
      const text = body.toString('utf8');
      const bad = text.indexOf('\ufffd');
      const line = bad < 0 ? undefined : firstLine + countNewlines(text.slice(0, bad));
      throw new CallscrubError('input', 'bytes that are not UTF-8 (given --encoding utf-8)', {
        file: fileName,
        ...(line === undefined ? {} : { line }),
        hint: 'try --encoding windows-1252, or leave --encoding out to detect it',
      });
    }
    pending = Buffer.from(data.subarray(end));
  };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
