// How a prospect file is written: its encoding and delimiter, detected once from a sample (or given), and the text
// codec that goes with the encoding. Excel's French "CSV" export is Windows-1252 with `;`; its "CSV UTF-8" export
// has a BOM; call-centre tools write UTF-8 with `,` or tabs.

import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { CallscrubError } from '../errors.js';
import { completeUtf8End } from './utf8.js';

export const encodings = ['utf-8', 'windows-1252'] as const;
export type Encoding = (typeof encodings)[number];
export const delimiters = { ';': 59, ',': 44, tab: 9 } as const;
export type DelimiterName = keyof typeof delimiters;

export interface Dialect {
  readonly encoding: Encoding;
  readonly bom: boolean;
  readonly delimiter: DelimiterName;
  /** Why each was chosen: `detected`, `given`, or `default`. */
  readonly encodingFrom: string;
  readonly delimiterFrom: string;
}

/** Decodes and encodes field text in a file's encoding. */
export interface Codec {
  /** The text of bytes [start, end). */
  decode(bytes: Buffer, start?: number, end?: number): string;
  encode(text: string): Buffer;
}

export function codec(encoding: Encoding): Codec {
  if (encoding === 'utf-8') {
    return { decode: (b, start = 0, end = b.length) => b.toString('utf8', start, end), encode: (t) => Buffer.from(t, 'utf8') };
  }
  // Not TextDecoder: Node 20's windows-1252 decoder reads 0x80, 0x92 and 0x9C as control characters. Most fields
  // (phone numbers) are ASCII, which Latin-1 decodes the same, without a copy.
  return {
    decode: (b, start = 0, end = b.length) => (isAscii(b, start, end) ? b.toString('latin1', start, end) : iconv.decode(b.subarray(start, end), 'win1252')),
    encode: (t) => iconv.encode(t, 'win1252'),
  };
}

function isAscii(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if ((bytes[i] as number) >= 0x80) return false;
  return true;
}

/**
 * Chooses the encoding and the delimiter from the first bytes of a file. A UTF-16 file (Excel's "Unicode text") is
 * refused: it is not what call-centre tools read, and saving as CSV fixes it.
 */
export function detectDialect(
  sample: Buffer,
  given: { encoding: Encoding | 'auto'; delimiter: DelimiterName | 'auto' },
  fileName: string,
): Dialect {
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new CallscrubError('input', 'UTF-16 text (Excel "Unicode text"), not a CSV file', {
      file: fileName,
      line: 1,
      hint: 'save it from Excel as "CSV UTF-8" or "CSV (separator: semicolon)"',
    });
  }
  const bom = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
  let encoding: Encoding;
  let encodingFrom: string;
  if (given.encoding !== 'auto') {
    encoding = given.encoding;
    encodingFrom = 'given';
  } else {
    encoding = bom || isUtf8(sample.subarray(0, completeUtf8End(sample))) ? 'utf-8' : 'windows-1252';
    encodingFrom = bom ? 'detected (BOM)' : 'detected';
  }
  let delimiter: DelimiterName;
  let delimiterFrom: string;
  if (given.delimiter !== 'auto') {
    delimiter = given.delimiter;
    delimiterFrom = 'given';
  } else {
    const found = detectDelimiter(sample);
    delimiter = found ?? ';';
    delimiterFrom = found === undefined ? 'default (one column?)' : 'detected';
  }
  return { encoding, bom, delimiter, encodingFrom, delimiterFrom };
}

/**
 * The delimiter that splits the first lines into the same number of fields (more than one), quotes respected.
 * Undefined when none does.
 */
export function detectDelimiter(sample: Buffer): DelimiterName | undefined {
  const lines = firstLines(sample, 20);
  let best: { name: DelimiterName; score: number; fields: number } | undefined;
  for (const name of Object.keys(delimiters) as DelimiterName[]) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiters[name]));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const score = counts.filter((c) => c === first).length;
    if (best === undefined || score > best.score || (score === best.score && first > best.fields)) best = { name, score, fields: first };
  }
  return best?.name;
}

/** Up to `n` lines, a quoted line break not ending a line. */
function firstLines(sample: Buffer, n: number): Buffer[] {
  const lines: Buffer[] = [];
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < sample.length && lines.length < n; i++) {
    const c = sample[i];
    if (c === 34) inQuotes = !inQuotes;
    else if ((c === 10 || c === 13) && !inQuotes) {
      if (i > start) lines.push(sample.subarray(start, i));
      start = i + 1;
    }
  }
  return lines;
}

function countOutsideQuotes(line: Buffer, delimiter: number): number {
  let count = 0;
  let inQuotes = false;
  for (const c of line) {
    if (c === 34) inQuotes = !inQuotes;
    else if (c === delimiter && !inQuotes) count++;
  }
  return count;
}
