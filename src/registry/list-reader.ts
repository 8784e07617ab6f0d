// Reading the records of a list file into a number set: the per-line logic of every format, fed with bytes in
// chunks, and the whole file read with its SHA-256.
//
// Reading the two halves of a large file on two threads was tried and measured: on this machine's two vCPUs the
// threads slow each other down (the work is memory-bound) and a 5,000,000-line import took as long as on one.

import { CallscrubError } from '../errors.js';
import { printable } from '../ui/printable.js';
import { readListDate } from '../dates.js';
import { choosePhoneColumns, findColumn, PhoneLikeTally } from '../csv/columns.js';
import { codec, detectDelimiter, delimiters } from '../csv/dialect.js';
import { allFields } from '../csv/fields.js';
import { CsvScanner, isBlankRecord, type CsvRecord } from '../csv/scanner.js';
import { feedReader, LineSplitter, type Source } from '../io/source.js';
import { holdsNumber, numberLikeDigits, readCell } from '../phone/cell.js';
import { frenchRegions, lenientNationalValue } from '../phone/french-plan.js';
import { countDigits, normalize, type InvalidNumber } from '../phone/normalize.js';
import { defaultCountry, readLine, readTps, readUsDnc, sniffFormat, type ListFormat } from './formats.js';
import { NumberSetBuilder } from '../numbers/builder.js';
import { two32 } from '../numbers/packed.js';
import type { SortedEntries } from '../numbers/entries.js';
import { noDate, type NumberSet } from '../numbers/set.js';
import type { ListKind } from './records.js';

export interface Reject {
  readonly line: number;
  readonly reason: string;
}

export interface ListReaderOptions {
  readonly kind: ListKind;
  readonly format: ListFormat | 'auto';
  readonly country: string | undefined;
  readonly column: string | undefined;
  readonly dateColumn: string | undefined;
  readonly fileName: string;
  /** How many numbers to make room for at first. */
  readonly expected: number | undefined;
}

export interface ReadList {
  /** The file's numbers, sorted and distinct (undated ones packed in 4 bytes each). */
  readonly set: SortedEntries;
  /** The other readings of the file's ambiguous 08/09 numbers (see readings.ts), each dated like its number. */
  readonly readings: NumberSet;
  readonly format: ListFormat;
  readonly formatChosenBecause: string | undefined;
  readonly country: string;
  readonly records: number;
  readonly rejects: Reject[];
  readonly rejectedByReason: Record<string, number>;
  /** Lines of internal entries whose expiry date could not be read: kept, as never expiring. */
  readonly unreadableDates: number[];
}

export const maxLineLength = 1 << 20;

export interface ReadListFile extends ReadList {
  readonly sha256: string;
  readonly bytes: number;
}

export interface ReadProgress {
  records: number;
  bytes: number;
}

/** Reads a whole list file. */
export async function readListFile(
  source: Source,
  options: Omit<ListReaderOptions, 'expected' | 'fileName'>,
  progress: ReadProgress,
): Promise<ReadListFile> {
  // A national list line is about 11 bytes: room for that many numbers and some alternates before regrowing.
  const expected = source.size === undefined ? undefined : Math.ceil(source.size / 8) + 1024;
  const reader = new ListReader({ ...options, fileName: source.name, expected });
  const read = await feedReader(source, reader, progress);
  return { ...reader.finish(), sha256: read.sha256, bytes: read.bytes };
}

export class ListReader {
  /** Records read so far, for progress. */
  records = 0;
  private readonly builder: NumberSetBuilder;
  private readonly readings: NumberSetBuilder;
  private readonly splitter: NationalListSplitter;
  private readonly rejects: Reject[] = [];
  private readonly rejectedByReason: Record<string, number> = {};
  private readonly unreadableDates: number[] = [];
  /**
   * `lines` and `dncm`: which field after the number holds the date (1 = the first after it), found from the
   * header by name; without a header, the format's own shape (the field after the number) or --date-column.
   */
  private lineDateField: number | undefined;
  private format: ListFormat | undefined;
  private formatChosenBecause: string | undefined;
  private country: string;
  private csv: CsvReading | undefined;
  private readonly sample: Array<[string, number]> = [];
  private readonly dated: boolean;

  constructor(private readonly options: ListReaderOptions) {
    this.dated = options.kind !== 'opposition';
    this.builder = new NumberSetBuilder(this.dated, options.expected);
    this.readings = new NumberSetBuilder(this.dated, 1024);
    this.format = options.format === 'auto' ? undefined : options.format;
    this.country = options.country ?? defaultCountry[this.format ?? 'lines'];
    this.splitter = new NationalListSplitter(
      this.builder,
      () => !this.dated && (this.format === 'lines' || this.format === 'dncm') && frenchRegions.has(this.country),
      (bytes, start, end, lineNumber) => this.handle(bytes.toString('utf8', start, end), lineNumber),
      (n) => (this.records += n),
      options.fileName,
    );
  }

  push(chunk: Buffer): void {
    this.splitter.push(chunk);
  }

  /** Ends the input and gives the set, sorted and without duplicates. */
  finish(): ReadList {
    this.splitter.end();
    if (this.format === undefined) this.chooseFormat();
    this.csv?.scanner.end();
    this.checkUnnamedColumns();
    return {
      set: this.builder.finishEntries(this.options.kind === 'exempt' ? 'earliest' : 'latest'),
      readings: this.readings.finish(this.options.kind === 'exempt' ? 'earliest' : 'latest'),
      format: this.format as ListFormat,
      formatChosenBecause: this.formatChosenBecause,
      country: this.country,
      records: this.records,
      rejects: this.rejects,
      rejectedByReason: this.rejectedByReason,
      unreadableDates: this.unreadableDates,
    };
  }

  private reject(line: number, reason: string): void {
    this.rejects.push({ line, reason });
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
  }

  /**
   * One record's phone cells: every number they hold is added (a cell may hold several, with annotations, as in a
   * prospect file); a record with an unreadable part, or no number at all, is rejected with the reason.
   */
  private addNumbers(cells: readonly string[], date: string | undefined, line: number): void {
    this.records++;
    const day = readEntryDate(this.options.kind, date);
    if (typeof day === 'string') return this.reject(line, day);
    const parts = cells.flatMap((cell) => readCell(cell, this.country, true));
    const refused = parts.find((part) => !part.normalized.ok);
    if (refused !== undefined) {
      this.reject(line, refused.kind === 'unreadable' ? 'unreadable' : (refused.normalized as InvalidNumber).reason);
      // A do-not-call entry keeps what could be read beside what could not; an exemption is all or nothing.
      if (this.options.kind === 'exempt') return;
    }
    if (parts.length === 0) {
      // No digit at all: the normalizer's reason for the text (letters, an Excel error...), or empty.
      const text = cells.find((cell) => cell.trim().length > 0);
      return this.reject(line, text === undefined ? 'empty' : (normalize(text) as InvalidNumber).reason);
    }
    if (day === unreadable) this.unreadableDates.push(line);
    // The number as published (its primary reading): counts, digest and coverage are the list's own. The other
    // readings of an ambiguous 08/09 number are kept apart, for matching (readings.ts).
    const until = day === unreadable ? noDate : day;
    for (const part of parts) {
      if (!part.normalized.ok) continue;
      this.builder.add(Number(part.normalized.e164.slice(1)), until);
      for (const alternate of part.normalized.alternates) this.readings.add(Number(alternate.slice(1)), until);
    }
  }

  private addFixed(value: number | string | undefined, line: number): void {
    if (value === undefined) return;
    this.records++;
    if (typeof value === 'string') return this.reject(line, value);
    this.builder.add(value, noDate);
  }

  private handle(line: string, lineNumber: number): void {
    const mayBeHeader = lineNumber === 1;
    switch (this.format) {
      case 'lines':
      case 'dncm': {
        if (mayBeHeader) this.lineDateField = this.lineLayout(line, lineNumber);
        const record = readLine(line, mayBeHeader);
        if (record !== undefined) {
          // `01 99 00 91 03, 06 39 98 91 04`: a field after the number that holds a number is one more number, even
          // where the date would stand.
          const more = record.fields.filter((field) => isNumberField(field, this.country));
          const dateField = this.lineDateField === undefined ? undefined : record.fields[this.lineDateField - 1];
          const date = dateField !== undefined && more.includes(dateField) ? undefined : dateField;
          this.addNumbers([record.text, ...more], date, lineNumber);
        }
        return;
      }
      case 'us-dnc':
        return this.addFixed(readUsDnc(line), lineNumber);
      case 'tps':
        return this.addFixed(readTps(line), lineNumber);
      case 'csv':
        return this.csvLine(line);
      case undefined:
        this.sample.push([line, lineNumber]);
        if (this.sample.length >= 50) this.chooseFormat();
    }
  }

  /**
   * A `csv` file goes through the same scanner and column finder as a prospect file (quotes, delimiters and line
   * breaks inside quoted fields, phone columns by their header's words), fed line by line.
   */
  private csvLine(line: string): void {
    if (/^\s*#(\s|$)/.test(line) && this.csv?.layout === undefined) return; // a comment above the header
    if (this.csv === undefined) {
      const delimiter = detectDelimiter(Buffer.from(line)) ?? ';';
      const scanner = new CsvScanner({ delimiter: delimiters[delimiter], maxRecordBytes: maxLineLength, fileName: this.options.fileName }, (record) => this.csvRecord(record));
      this.csv = { scanner, layout: undefined, tally: new PhoneLikeTally(this.country) };
    }
    this.csv.scanner.push(Buffer.from(`${line}\n`));
  }

  private csvRecord(record: CsvRecord): void {
    if (isBlankRecord(record)) return;
    const csv = this.csv as CsvReading;
    const fields = allFields(record, utf8);
    if (csv.layout === undefined) {
      csv.layout = csvLayout(fields, this.options, record.line, this.country);
      return;
    }
    const date = csv.layout.dateColumn === undefined ? undefined : fields[csv.layout.dateColumn];
    for (const index of csv.layout.unnamed) csv.tally.add(index, fields[index] ?? '');
    // Cells beyond the header's last column belong to no column: those that hold a number are read, as a scrub does.
    const beyond = fields.slice(csv.layout.width).filter((field) => isNumberField(field, this.country));
    this.addNumbers([...csv.layout.columns.map((c) => fields[c] ?? ''), ...beyond], date, record.line);
  }

  /**
   * A column the import does not read whose cells are mostly phone numbers (`Téléphone du client`) stops the import
   * (exit 2) rather than leave those numbers out of the list; naming the column with --column settles it.
   */
  private checkUnnamedColumns(): void {
    const layout = this.csv?.layout;
    if (layout === undefined) return;
    const phoneLike = layout.unnamed.filter((index) => this.csv?.tally.phoneLike(index));
    if (phoneLike.length === 0) return;
    const name = layout.names[phoneLike[0] as number] as string;
    throw new CallscrubError('usage', `column '${printable(name)}' looks like phone numbers but is not imported`, {
      file: this.options.fileName,
      hint: `name the number column with --column; to import several, import one with --column, then --column '${printable(name)}' --mode add`,
    });
  }

  /** The date field of a `lines` file, decided on its first line: by the header's names when it has one. */
  private lineLayout(first: string, lineNumber: number): number | undefined {
    if (this.options.kind === 'opposition') return undefined;
    const trimmed = first.trim();
    const isHeader = !/\d/.test(trimmed) && !/^#(\s|$)/.test(trimmed) && /[;,\t]/.test(trimmed);
    const header = isHeader ? trimmed.split(/[;,\t]/).map((n) => n.trim()) : undefined;
    if (this.options.dateColumn !== undefined) {
      const at = header === undefined ? wholeColumn(this.options.dateColumn) : findColumn(header, this.options.dateColumn);
      if (at === undefined || at < 1) {
        throw new CallscrubError('usage', `no date column '${this.options.dateColumn}' after the number${header === undefined ? '' : ` (the header has ${header.map(printable).join(', ')})`}`, {
          file: this.options.fileName,
          line: lineNumber,
          hint: 'check --date-column',
        });
      }
      return at;
    }
    if (header === undefined) return 1; // the format's shape: the number, then its date
    const at = endDateColumn(header);
    return at < 1 ? undefined : at;
  }

  private chooseFormat(): void {
    const sniffed = sniffFormat(this.sample.map(([line]) => line));
    this.format = sniffed.format;
    this.formatChosenBecause = sniffed.why;
    this.country = this.options.country ?? defaultCountry[this.format];
    for (const [line, lineNumber] of this.sample.splice(0)) this.handle(line, lineNumber);
  }
}

/** How many dates a text holds. */
function dateLike(text: string): number {
  return text.match(/\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}|(?<!\d)(?:19|20)\d{6}(?!\d)/g)?.length ?? 0;
}

/** An internal entry's expiry that could not be read: the entry is kept, never expiring. */
const unreadable = -1;

/**
 * The day an internal entry expires or an exemption ends, `noDate` for none, `unreadable`, or a reject reason. A
 * date that reads two ways (`03/04/2027`) is read to keep the number blocked longer: the later expiry of an
 * internal entry, the earlier end of a contract.
 */
function readEntryDate(kind: ListKind, date: string | undefined): number | string | undefined {
  if (kind === 'opposition') return undefined; // a registration date: not needed, not kept
  // A contract end must be one date and nothing else: `31/12/2026 (résilié 01/06/2026)` is not read as its first date.
  if (kind === 'exempt' && date !== undefined && (dateLike(date) > 1 || (/\d/.test(date) && /\p{L}{2,}/u.test(date)))) return 'bad-date';
  const day = date === undefined ? 'none' : readListDate(date, kind === 'exempt' ? 'earlier' : 'later');
  if (kind === 'exempt') return day === 'none' ? 'missing-end-date' : (day ?? 'bad-date');
  if (day === 'none') return noDate;
  return day ?? unreadable;
}

interface CsvLayout {
  readonly names: readonly string[];
  /** The phone columns: --column, or every column whose name says phone. */
  readonly columns: readonly number[];
  /** Without --column, the other columns (but the date's), whose content is checked. */
  readonly unnamed: readonly number[];
  /** How many columns the header has. */
  readonly width: number;
  readonly dateColumn: number | undefined;
}

interface CsvReading {
  readonly scanner: CsvScanner;
  layout: CsvLayout | undefined;
  /** The other columns' cells, counted to find one that holds phone numbers though its name does not say so. */
  readonly tally: PhoneLikeTally;
}

const utf8 = codec('utf-8');

/** Words of a header that name an end date (an expiry, a contract end), and words that name another date. */
const endWords = /^(fin|end|ends|ending|until|till|jusqu|jusque|echeance|terme|termination|validite|deadline|expir\w*)$/;
const otherDateWords = /^(debut|start|starts|from|ajout|ajoute|added|creation|cree|created|inscription|inscrit|registered|registration|naissance|birth|modification|modified|updated|maj)$/;

/**
 * The column holding the end date of an entry, found by its name (`Expire le`, `date_fin`, `contractEnd`,
 * `valid until`, `échéance`), never by position; -1 when no header names one. A bare `date` is not enough: it may
 * be the day the entry was added.
 */
export function endDateColumn(names: readonly string[], skip: readonly number[] = []): number {
  return names.findIndex((name, i) => {
    if (skip.includes(i)) return false;
    const words = name
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length > 0);
    return words.some((w) => endWords.test(w)) && !words.some((w) => otherDateWords.test(w));
  });
}

/** A 1-based column number given as text, as a 0-based index; undefined when the text is not one. */
function wholeColumn(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) && Number(text) >= 1 ? Number(text) - 1 : undefined;
}

function csvLayout(names: readonly string[], options: ListReaderOptions, line: number, country: string): CsvLayout {
  const file = options.fileName;
  const columns = choosePhoneColumns(
    names,
    names.length,
    [],
    { phoneColumns: options.column === undefined ? [] : [options.column], notPhoneColumns: [], header: true, country, checkContent: false, columnOption: '--column' },
    file,
  ).columns.map((c) => c.index);
  let dateColumn: number | undefined;
  if (options.dateColumn !== undefined) {
    dateColumn = findColumn(names, options.dateColumn);
    if (dateColumn < 0) throw new CallscrubError('usage', `no column named '${options.dateColumn}'`, { file, line, hint: 'check --date-column' });
  } else {
    const found = options.kind === 'opposition' ? -1 : endDateColumn(names, columns);
    dateColumn = found < 0 ? undefined : found;
  }
  const unnamed = options.column !== undefined ? [] : names.map((_, i) => i).filter((i) => !columns.includes(i) && i !== dateColumn);
  return { names, columns, unnamed, dateColumn, width: names.length };
}

/**
 * Whether a field holds a phone number (a record's other fields: identifiers, dates and notes do not). A date
 * (`2024-01-15`, `20240115`) is not one, whatever a numbering plan would make of its digits.
 */
function isNumberField(field: string, country: string): boolean {
  return countDigits(field) >= numberLikeDigits && typeof readListDate(field, 'later') !== 'number' && holdsNumber(field, country, true);
}

/**
 * Line splitting with a shortcut for national lists: a line of ten plain digits (optionally followed by `;` or `,`
 * and more fields, as in Bloctel's shape) is read straight from the bytes into the set, without making a string.
 * Every other line, and every line when the shortcut does not apply, goes to `onLine`.
 */
class NationalListSplitter extends LineSplitter {
  constructor(
    private readonly builder: NumberSetBuilder,
    private readonly applies: () => boolean,
    onLine: (bytes: Buffer, start: number, end: number, lineNumber: number) => void,
    private readonly countRecords: (n: number) => void,
    fileName: string,
  ) {
    super(onLine, maxLineLength, fileName);
  }

  protected override scanLf(data: Buffer): number {
    const builder = this.builder;
    // The shortcut waits for the header line and for the format to be known (after the first lines of a file).
    let applies = this.lineNumber > 0 && this.applies();
    let start = 0;
    let fast = 0;
    for (;;) {
      // A line of ten digits is read where it stands, its end looked at rather than searched for (a search per
      // line cost a tenth of the import); its value never leaves this block, so that it is never boxed on the heap.
      if (applies && data[start + 10] === 10) {
        const value = lenientNationalValue(data, start);
        if (value >= 0) {
          const high = Math.floor(value / two32);
          builder.addHalves(high, (value - high * two32) | 0);
          this.lineNumber++;
          fast++;
          start += 11;
          continue;
        }
      }
      const end = data.indexOf(10, start);
      if (end < 0) break;
      this.lineNumber++;
      const length = end - start;
      const fields = length > 10 && (data[start + 10] === 59 || data[start + 10] === 44);
      const value = applies && (length === 10 || fields) ? lenientNationalValue(data, start) : -1;
      if (value >= 0) {
        const high = Math.floor(value / two32);
        builder.addHalves(high, (value - high * two32) | 0);
        fast++;
      } else {
        this.onLine(data, start, end, this.lineNumber);
        applies ||= this.applies();
      }
      start = end + 1;
    }
    this.countRecords(fast);
    return start;
  }
}
