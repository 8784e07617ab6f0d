// Writing rewritten rows (excluded and invalid rows with their reason, clean rows with blanked numbers) as CSV in
// the input's delimiter. Kept rows are never rewritten: they are copied from the input's bytes.
// csv-stringify 6.9.0 writes the same bytes 2 to 3 times slower, row by row: see the README, "Performance".

import { delimiters, type DelimiterName } from './dialect.js';

/** Spreadsheets run a cell that starts with one of these as a formula (OWASP, CSV injection): = + - @ tab CR. */
export const formulaStartBytes: ReadonlySet<number> = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);

/** The character a delimiter is written as. */
export function separatorOf(delimiter: DelimiterName): string {
  return String.fromCharCode(delimiters[delimiter]);
}

/** One CSV line (no line ending): quotes where needed, formula-like cells made inert when `neutralize`. */
export function serializeRow(fields: readonly string[], delimiter: DelimiterName, neutralize: boolean): string {
  const separator = separatorOf(delimiter);
  return fields
    .map((field) => {
      const value = neutralize && formulaStartBytes.has(field.charCodeAt(0)) ? `'${field}` : field;
      return value.includes(separator) || value.includes('"') || value.includes('\n') || value.includes('\r') ? `"${value.replace(/"/g, '""')}"` : value;
    })
    .join(separator);
}
