// The first records of a file as text, read ahead of the scan proper (which copies rows byte for byte and cannot
// look back): what the scrub needs to decide which columns hold phone numbers before the first row is routed.

import type { Codec, Dialect } from './dialect.js';
import { delimiters, isSepLine } from './dialect.js';
import { decodeField } from './fields.js';
import { CsvScanner, isBlankRecord } from './scanner.js';

/**
 * Up to `limit` records of `bytes` (header included, blank lines and Excel's `sep=` line skipped). Unless `whole`, the last record may be cut
 * by the end of the bytes and is left out; a structural problem is left for the scan proper to report with its line.
 */
export function sampleRecords(bytes: Buffer, whole: boolean, dialect: Dialect, text: Codec, maxRecordBytes: number, limit: number): string[][] {
  const rows: string[][] = [];
  const scanner = new CsvScanner({ delimiter: delimiters[dialect.delimiter], maxRecordBytes, fileName: '' }, (record) => {
    if (rows.length >= limit || isBlankRecord(record) || isSepLine(record)) return;
    rows.push(Array.from({ length: record.fieldCount }, (_, i) => decodeField(record, i, text, record.start === 0 && i === 0)));
  });
  try {
    scanner.push(bytes);
    if (whole) scanner.end();
  } catch {
    // reported by the scan proper
  }
  return rows;
}
