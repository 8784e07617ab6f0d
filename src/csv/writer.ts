// Writing rewritten rows (excluded and invalid rows with their reason, clean rows with blanked numbers) as CSV in
// the input's delimiter. Kept rows are never rewritten: they are copied from the input's bytes.
// csv-stringify 6.9.0 writes the same bytes 2 to 3 times slower, row by row: see the README, "Performance".

import type { DelimiterName } from './dialect.js';

// Spreadsheets run a cell that starts with one of these as a formula (OWASP, CSV injection).
const formulaStart = /^[=+\-@\t\r]/;
/** The same first characters, as bytes. */
export const formulaStartBytes: ReadonlySet<number> = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);

/** One CSV line (no line ending): quotes where needed, formula-like cells made inert when `neutralize`. */
export function serializeRow(fields: readonly string[], delimiter: DelimiterName, neutralize: boolean): string {
  const separator = delimiter === 'tab' ? '\t' : delimiter;
  return fields
    .map((field) => {
      const value = neutralize && formulaStart.test(field) ? `'${field}` : field;
      return value.includes(separator) || value.includes('"') || value.includes('\n') || value.includes('\r') ? `"${value.replace(/"/g, '""')}"` : value;
    })
    .join(separator);
}
