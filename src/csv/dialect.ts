// How a prospect file is written: its encoding and delimiter, detected once from a sample (or given), and the text
// codec that goes with the encoding. Excel's French "CSV" export is Windows-1252 with `;`; its "CSV UTF-8" export
// has a BOM; call-centre tools write UTF-8 with `,` or tabs.

import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { CallscrubError } from '../errors.js';
import { completeUtf8End } from '../io/utf8.js';
import type { CsvRecord } from './scanner.js';

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

// A multi-byte UTF-8 sequence (its bytes read as Latin-1): a lead byte and the continuation bytes it needs.
const utf8Sequences = /[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}/;

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
    const complete = sample.subarray(0, completeUtf8End(sample));
    encoding = bom || isUtf8(complete) ? 'utf-8' : 'windows-1252';
    encodingFrom = bom ? 'detected (BOM)' : 'detected';
    // UTF-8 text with a stray byte: read as Windows-1252, its accents and any non-ASCII digits (０６…) would turn into
    // other characters, and a phone number into text. Which one it is cannot be told: the user says it.
    if (encoding === 'windows-1252' && utf8Sequences.test(complete.toString('latin1'))) {
      const text = complete.toString('utf8');
      const line = 1 + (text.slice(0, text.indexOf('\ufffd')).match(/\n/g)?.length ?? 0);
      throw new CallscrubError('input', 'mixes UTF-8 text with bytes that are not UTF-8', {
        file: fileName,
        line,
        hint: 'fix that line, or say --encoding utf-8 or --encoding windows-1252',
      });
    }
  }
  let delimiter: DelimiterName;
  let delimiterFrom: string;
  const announced = announcedDelimiter(sample);
  if (given.delimiter !== 'auto') {
    delimiter = given.delimiter;
    delimiterFrom = 'given';
  } else if (announced !== undefined) {
    delimiter = announced;
    delimiterFrom = 'given by the file (sep=)';
  } else {
    const found = detectDelimiter(sample);
    delimiter = found ?? ';';
    delimiterFrom = found === undefined ? 'default (one column?)' : 'detected';
  }
  return { encoding, bom, delimiter, encodingFrom, delimiterFrom };
}

// Excel's first line `sep=;` names the delimiter; it is no record of the file.
const sepLine = /^(?:\xef\xbb\xbf)?sep=([;,\t])\r?\n/;

/** The delimiter a first line `sep=X` names, if the file starts with one. */
function announcedDelimiter(sample: Buffer): DelimiterName | undefined {
  const match = sepLine.exec(sample.toString('latin1', 0, 16));
  if (match === null) return undefined;
  return match[1] === '\t' ? 'tab' : (match[1] as DelimiterName);
}

/** Whether a record is Excel's `sep=X` line, which only the file's first record may be. */
export function isSepLine(record: CsvRecord): boolean {
  const { bytes, start, end } = record;
  return start === 0 && end - start <= 8 && sepLine.test(`${bytes.toString('latin1', start, end)}\n`);
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
