// The text of a scanned record's fields, in the file's encoding: a field without doubled quotes is decoded straight
// from the record's bytes, the others after undoing the quoting.

import type { Codec } from './dialect.js';
import { fieldBytes, isPlainField, type CsvRecord } from './scanner.js';

/** Field `i` as text; `stripBom` drops a BOM (the first field of the file). */
export function decodeField(record: CsvRecord, i: number, text: Codec, stripBom: boolean): string {
  const value = isPlainField(record, i)
    ? text.decode(record.bytes, record.fieldStart[i] as number, record.fieldEnd[i] as number)
    : text.decode(fieldBytes(record, i));
  return stripBom && value.charCodeAt(0) === 0xfeff ? value.slice(1) : value;
}

/** Every field of a record as text. */
export function allFields(record: CsvRecord, text: Codec): string[] {
  return Array.from({ length: record.fieldCount }, (_, i) => decodeField(record, i, text, record.start === 0 && i === 0));
}
