// Which columns of a CSV file hold phone numbers, for every CSV callscrub reads (prospect files and list files): by
// name (`--phone-column`, or a header that says phone), and by content: a column a scrub would not screen but whose
// cells are mostly phone numbers stops it until the user says what it is, because a dialer may call it.

import type { Codec } from './dialect.js';
import { decodeField } from './fields.js';
import type { CsvRecord } from './scanner.js';
import { holdsNumber, numberLikeDigits } from '../phone/cell.js';
import { asciiDigits } from '../phone/text.js';
import { isCountryHeader, isPhoneHeader } from '../phone/column-names.js';
import { planOf, planOfCountryCell } from '../phone/countries.js';
import { CallscrubError } from '../errors.js';
import { printable } from '../ui/printable.js';

export interface ColumnChoice {
  /** `--phone-column`: names (or 1-based numbers with --no-header); empty: found from the header. */
  readonly phoneColumns: readonly string[];
  /** `--not-phone-column`: columns the user says hold no number to call. */
  readonly notPhoneColumns: readonly string[];
  readonly header: boolean;
  readonly country: string;
  /** Off for replays, which screen the columns the report recorded, and for list files. */
  readonly checkContent: boolean;
  /** The option that names a phone column, for messages: `--phone-column` (a scrub) or `--column` (an import). */
  readonly columnOption?: string;
}

export interface PhoneColumn {
  readonly index: number;
  readonly name: string;
}

/** Share of a column's number-like cells (9 digits or more) that must read as phone numbers for it to stop the scrub. */
export const phoneLikeShare = 0.5;

/** The screened columns, and the others to keep watching while the whole file is read (see ColumnWatch). */
export interface ColumnsChosen {
  readonly columns: PhoneColumn[];
  readonly watched: number[];
  /** Columns that name each row's country or calling code (`Indicatif`, `Pays`), checked against --country. */
  readonly countryColumns: number[];
}

/**
 * The phone columns of a file. `sample` holds the first data rows (their cells as text), for the content check;
 * `line` is the line (a workbook's row) of the header or first row, for messages. Throws a usage error (exit 2)
 * naming each column it cannot decide on.
 */
export function choosePhoneColumns(
  header: readonly string[] | undefined,
  fieldCount: number,
  sample: readonly (readonly string[])[],
  choice: ColumnChoice,
  fileName: string,
  line = 1,
): ColumnsChosen {
  const nameOf = (index: number) => header?.[index] ?? `column ${index + 1}`;
  const columnOption = choice.columnOption ?? '--phone-column';
  // A first row that holds a phone number is data: taken for a header, its number would never be screened.
  const dataCell = header?.findIndex((cell) => holdsNumber(cell, choice.country)) ?? -1;
  if (dataCell >= 0) {
    throw inFile(
      fileName,
      line,
      `the first row holds a phone number (column ${dataCell + 1}): it is data, not a header`,
      columnOption === '--phone-column' ? 'if the file has no header, say --no-header and name the phone columns with --phone-column N' : 'give the file a header row',
    );
  }
  const resolve = (wanted: string, option: string): number => {
    const index = header === undefined ? (/^[1-9]\d*$/.test(wanted) ? Number(wanted) - 1 : -1) : findColumn(header, wanted);
    if (index < 0 || index >= fieldCount) {
      throw inFile(
        fileName,
        header === undefined ? undefined : line,
        header === undefined
          ? `${option} takes a column number from 1 to ${fieldCount} with --no-header, not '${printable(wanted)}'`
          : `no column '${printable(wanted)}' (${describeHeader(header)})`,
        `name a column of the file with ${option}`,
      );
    }
    return index;
  };
  const excluded = new Set(choice.notPhoneColumns.map((c) => resolve(c, '--not-phone-column')));
  let chosen: number[];
  if (choice.phoneColumns.length > 0) {
    chosen = [...new Set(choice.phoneColumns.map((c) => resolve(c, columnOption)))];
    const both = chosen.filter((i) => excluded.has(i));
    if (both.length > 0) throw inFile(fileName, undefined, `'${printable(nameOf(both[0] as number))}' is named both by --phone-column and --not-phone-column`);
  } else {
    if (header === undefined) throw inFile(fileName, undefined, `with --no-header, name the phone columns with ${columnOption} N`);
    chosen = header.flatMap((name, index) => (isPhoneHeader(name) && !excluded.has(index) ? [index] : []));
    if (chosen.length === 0) {
      throw inFile(
        fileName,
        line,
        `no phone column found in the header (${describeHeader(header)})`,
        firstRowIsData(header) && columnOption === '--phone-column' ? 'if the file has no header, say --no-header and --phone-column N' : `name it with ${columnOption} NAME`,
      );
    }
  }
  chosen.sort((a, b) => a - b);

  // Columns left unscreened that look like phone columns, by name (when --phone-column chose) or by content.
  const others = Array.from({ length: fieldCount }, (_, i) => i).filter((i) => !chosen.includes(i) && !excluded.has(i));
  const tally = new PhoneLikeTally(choice.country);
  for (const row of sample) for (const index of others) tally.add(index, row[index] ?? '');
  const undecided = others.filter((index) => (header !== undefined && isPhoneHeader(header[index] as string)) || tally.phoneLike(index));
  if (choice.checkContent && undecided.length > 0) throw notScreened(fileName, header, chosen, undecided);
  const countryColumns = choice.checkContent ? others.filter((index) => header !== undefined && isCountryHeader(header[index] as string)) : [];
  // Checked row by row as the file streams (ColumnWatch), with each row's line.
  return { columns: chosen.map((index) => ({ index, name: nameOf(index) })), watched: choice.checkContent ? others : [], countryColumns };
}

/**
 * A country column naming another plan than --country's: the row's national numbers belong to that plan, and read
 * as --country's they would be other numbers (a Belgian 0470... read as a French one).
 */
function checkCountry(cell: string, plan: string | undefined, line: number, column: string, country: string, fileName: string): void {
  const named = planOfCountryCell(cell);
  if (named === undefined || named === plan) return;
  throw new CallscrubError('input', `column '${printable(column)}' gives another country (+${named}) than --country ${country}: its rows' national numbers would be read as ${country} numbers`, {
    file: fileName,
    line,
    hint: `write the numbers with their country code (+${named}...), or scrub each country's rows with its --country; --not-phone-column '${printable(column)}' if the column says nothing of the numbers`,
  });
}

/** A usage error about a file's columns (exit 2): the file and line in the error's context, not its message. */
function inFile(file: string, line: number | undefined, message: string, hint?: string): CallscrubError {
  return new CallscrubError('usage', message, { file, ...(line === undefined ? {} : { line }), ...(hint === undefined ? {} : { hint }) });
}

/** The error for columns that look like phone columns but are not screened, with the two ways on. */
function notScreened(fileName: string, header: readonly string[] | undefined, chosen: readonly number[], undecided: readonly number[]) {
  const nameOf = (index: number) => header?.[index] ?? `column ${index + 1}`;
  // A column is named by its header unless another column has the same name: then by its number.
  const argument = (i: number) => {
    const name = header?.[i];
    return name === undefined || name.trim() === '' || header?.filter((n) => n === name).length !== 1 ? String(i + 1) : quoteArgument(name);
  };
  const names = undecided.map((i) => `'${printable(nameOf(i))}'`).join(', ');
  const option = (flag: string, columns: readonly number[]) => columns.map((i) => `${flag} ${argument(i)}`).join(' ');
  const one = undecided.length === 1;
  return inFile(
    fileName,
    undefined,
    `${one ? 'column' : 'columns'} ${names} ${one ? 'looks' : 'look'} like phone numbers but ${one ? 'is' : 'are'} not screened`,
    `screen ${one ? 'it' : 'them'} with ${option('--phone-column', [...chosen, ...undecided].sort((a, b) => a - b))}, or say ${option('--not-phone-column', undecided)}`,
  );
}

/**
 * Per column, how many cells hold a number-like part (9 digits or more) and how many of those read as a phone
 * number. Cells with no such part (empty, `-`, `N/A`, `0`, e-mails, short ids, postal codes) do not count either way,
 * so that placeholders cannot hide a column of phone numbers.
 */
export class PhoneLikeTally {
  private readonly numberLike = new Map<number, number>();
  private readonly phones = new Map<number, number>();

  constructor(private readonly country: string) {}

  add(index: number, cell: string): void {
    const digits = asciiDigits(cell).replace(/[^0-9]/g, '');
    // Fewer than 9 digits, or one digit repeated (`0000000000`, `9999999999`: placeholders), is no number-like cell.
    if (digits.length < numberLikeDigits || /^(\d)\1*$/.test(digits)) return;
    this.numberLike.set(index, (this.numberLike.get(index) ?? 0) + 1);
    if (holdsNumber(cell, this.country)) this.phones.set(index, (this.phones.get(index) ?? 0) + 1);
  }

  /** The counts per column, as [column, number-like cells, phone cells], to be added to another tally's. */
  counts(): Array<[number, number, number]> {
    return [...this.numberLike].map(([index, n]) => [index, n, this.phones.get(index) ?? 0]);
  }

  addCounts(counts: ReadonlyArray<readonly [number, number, number]>): void {
    for (const [index, numberLike, phones] of counts) {
      this.numberLike.set(index, (this.numberLike.get(index) ?? 0) + numberLike);
      if (phones > 0) this.phones.set(index, (this.phones.get(index) ?? 0) + phones);
    }
  }

  phoneLike(index: number): boolean {
    const numberLike = this.numberLike.get(index) ?? 0;
    return numberLike > 0 && (this.phones.get(index) ?? 0) / numberLike >= phoneLikeShare;
  }
}

/**
 * The content check over the whole file, not only its first rows: the unscreened columns' cells are counted as
 * they stream by (digits counted on the bytes; only cells of 9 digits or more are decoded and read), and a column
 * that turns out to hold phone numbers stops the scrub at the end, before any output takes its final name.
 */
export class ColumnWatch {
  readonly tally: PhoneLikeTally;
  private readonly plan: string | undefined;

  constructor(
    private readonly watched: readonly number[],
    private readonly countryColumns: readonly number[],
    private readonly names: readonly string[] | undefined,
    private readonly country: string,
    private readonly text: Codec,
    private readonly fileName: string,
  ) {
    this.tally = new PhoneLikeTally(country);
    this.plan = planOf(country);
  }

  /** observe, for a row whose cells are text already (a workbook's: scrub/workbook-scrub.ts); `line`: its row in the sheet. */
  observeText(cells: readonly string[], line: number): void {
    for (const index of this.countryColumns) {
      if (index < cells.length) checkCountry(cells[index] as string, this.plan, line, this.names?.[index] ?? `column ${index + 1}`, this.country, this.fileName);
    }
    for (const index of this.watched) {
      const cell = cells[index];
      if (cell !== undefined && cell.length >= numberLikeDigits) this.tally.add(index, cell);
    }
  }

  observe(record: CsvRecord): void {
    for (const index of this.countryColumns) {
      if (index >= record.fieldCount) continue;
      const cell = decodeField(record, index, this.text, false);
      checkCountry(cell, this.plan, record.line, this.names?.[index] ?? `column ${index + 1}`, this.country, this.fileName);
    }
    for (const index of this.watched) {
      if (index >= record.fieldCount) continue;
      const start = record.fieldStart[index] as number;
      const end = record.fieldEnd[index] as number;
      if (end - start < numberLikeDigits) continue;
      let digits = 0;
      let ascii = true;
      for (let i = start; i < end; i++) {
        const c = record.bytes[i] as number;
        if (c >= 48 && c <= 57) digits++;
        else if (c >= 0x80) ascii = false;
        else if (digits + end - i <= numberLikeDigits && ascii) break; // too few bytes left to reach a number
      }
      if (digits >= numberLikeDigits || !ascii) this.tally.add(index, decodeField(record, index, this.text, false));
    }
  }

  /** Throws when a watched column turned out to hold phone numbers. */
  check(fileName: string, header: readonly string[] | undefined, chosen: readonly PhoneColumn[]): void {
    const undecided = this.watched.filter((index) => this.tally.phoneLike(index));
    if (undecided.length > 0) throw notScreened(fileName, header, chosen.map((c) => c.index), undecided);
  }
}

/** Lower case without accents, for comparing header names. */
export function foldName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase();
}

/** The index of the column `wanted` names (a header, or a 1-based number), or -1. */
export function findColumn(names: readonly string[], wanted: string): number {
  const folded = foldName(wanted);
  const byName = names.findIndex((n) => foldName(n) === folded);
  if (byName >= 0) return byName;
  if (/^[1-9]\d*$/.test(wanted) && Number(wanted) <= names.length) return Number(wanted) - 1;
  return -1;
}

/** The header's names for a message; a first row of data is not printed, as it may hold phone numbers. */
function describeHeader(header: readonly string[]): string {
  if (firstRowIsData(header)) return `the first row looks like data, not a header: it holds a number in column ${header.findIndex(hasNumber) + 1}`;
  return `the header has ${header.map(printable).join(', ')}`;
}

const hasNumber = (cell: string): boolean => /[0-9](?:[^0-9]?[0-9]){5}/.test(asciiDigits(cell));

function firstRowIsData(header: readonly string[]): boolean {
  return header.some(hasNumber);
}

function quoteArgument(name: string): string {
  return /^[\w.@%+-]+$/.test(name) ? name : `'${printable(name).replace(/'/g, "'\\''")}'`;
}
