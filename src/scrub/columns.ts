// Which columns of a prospect file a scrub screens. By name (`--phone-column`, or a header that says phone), and by
// content: a column the scrub would not screen but whose sampled cells are mostly phone numbers stops the scrub
// until the user says what it is, because a dialer may call it. Pure: the header and sampled rows in.

import { findColumn } from '../io/csv-line.js';
import { readCell } from '../phone/cell.js';
import { isPhoneHeader } from '../phone/column-names.js';
import { usageError } from '../errors.js';
import { printable } from '../ui/printable.js';

export interface ColumnChoice {
  /** `--phone-column`: names (or 1-based numbers with --no-header); empty: found from the header. */
  readonly phoneColumns: readonly string[];
  /** `--not-phone-column`: columns the user says hold no number to call. */
  readonly notPhoneColumns: readonly string[];
  readonly header: boolean;
  readonly country: string;
  /** Off for replays, which screen the columns the report recorded. */
  readonly checkContent: boolean;
}

export interface PhoneColumn {
  readonly index: number;
  readonly name: string;
}

/** Share of a column's sampled non-empty cells that must read as phone numbers for the column to stop the scrub. */
export const phoneLikeShare = 0.5;

/**
 * The phone columns of a file. `sample` holds the first data rows (their cells as text), for the content check.
 * Throws a usage error (exit 2) naming each column it cannot decide on.
 */
export function choosePhoneColumns(
  header: readonly string[] | undefined,
  fieldCount: number,
  sample: readonly (readonly string[])[],
  choice: ColumnChoice,
  fileName: string,
): PhoneColumn[] {
  const nameOf = (index: number) => header?.[index] ?? `column ${index + 1}`;
  const resolve = (wanted: string, option: string): number => {
    const index = header === undefined ? (/^[1-9]\d*$/.test(wanted) ? Number(wanted) - 1 : -1) : findColumn(header, wanted);
    if (index < 0 || index >= fieldCount) {
      throw usageError(
        header === undefined
          ? `${fileName}: ${option} takes a column number from 1 to ${fieldCount} with --no-header, not '${printable(wanted)}'`
          : `${fileName}:1: no column '${printable(wanted)}' (${describeHeader(header)})`,
          `name a column of the file with ${option}`,
      );
    }
    return index;
  };
  const excluded = new Set(choice.notPhoneColumns.map((c) => resolve(c, '--not-phone-column')));
  let chosen: number[];
  if (choice.phoneColumns.length > 0) {
    chosen = [...new Set(choice.phoneColumns.map((c) => resolve(c, '--phone-column')))];
    const both = chosen.filter((i) => excluded.has(i));
    if (both.length > 0) throw usageError(`${fileName}: '${printable(nameOf(both[0] as number))}' is named both by --phone-column and --not-phone-column`);
  } else {
    if (header === undefined) throw usageError(`${fileName}: with --no-header, name the phone columns with --phone-column N`);
    chosen = header.flatMap((name, index) => (isPhoneHeader(name) && !excluded.has(index) ? [index] : []));
    if (chosen.length === 0) {
      throw usageError(
        `${fileName}:1: no phone column found in the header (${describeHeader(header)})`,
        firstRowIsData(header) ? 'if the file has no header, say --no-header and --phone-column N' : 'name it with --phone-column NAME',
      );
    }
  }

  // Columns left unscreened that look like phone columns, by name (when --phone-column chose) or by content.
  const undecided: number[] = [];
  for (let index = 0; index < fieldCount; index++) {
    if (chosen.includes(index) || excluded.has(index)) continue;
    const byName = header !== undefined && isPhoneHeader(header[index] as string);
    if (byName || (choice.checkContent && looksLikePhoneNumbers(sample, index, choice.country))) undecided.push(index);
  }
  if (choice.checkContent && undecided.length > 0) {
    const names = undecided.map((i) => `'${printable(nameOf(i))}'`).join(', ');
    const option = (flag: string, columns: number[]) =>
      columns.map((i) => `${flag} ${quoteArgument(header === undefined ? String(i + 1) : nameOf(i))}`).join(' ');
    const one = undecided.length === 1;
    throw usageError(
      `${fileName}: ${one ? 'column' : 'columns'} ${names} ${one ? 'looks' : 'look'} like phone numbers but ${one ? 'is' : 'are'} not screened`,
      `screen ${one ? 'it' : 'them'} with ${option('--phone-column', [...chosen, ...undecided].sort((a, b) => a - b))}, or say ${option('--not-phone-column', undecided)}`,
    );
  }
  return chosen.sort((a, b) => a - b).map((index) => ({ index, name: nameOf(index) }));
}

/** True when most of the sampled non-empty cells of a column read as phone numbers. */
function looksLikePhoneNumbers(sample: readonly (readonly string[])[], index: number, country: string): boolean {
  let filled = 0;
  let phones = 0;
  for (const row of sample) {
    const cell = row[index];
    if (cell === undefined || cell.trim().length === 0) continue;
    filled++;
    if (readCell(cell, country).some((part) => part.kind === 'number')) phones++;
  }
  return filled > 0 && phones / filled >= phoneLikeShare;
}

/** The header's names for a message; a first row of data is not printed, as it may hold phone numbers. */
function describeHeader(header: readonly string[]): string {
  if (firstRowIsData(header)) return `the first row looks like data, not a header: it holds a number in column ${header.findIndex(hasNumber) + 1}`;
  return `the header has ${header.map(printable).join(', ')}`;
}

const hasNumber = (cell: string): boolean => /[0-9](?:[^0-9]?[0-9]){5}/.test(cell);

function firstRowIsData(header: readonly string[]): boolean {
  return header.some(hasNumber);
}

function quoteArgument(name: string): string {
  return /^[\w.@%+-]+$/.test(name) ? name : `'${printable(name).replace(/'/g, "'\\''")}'`;
}
