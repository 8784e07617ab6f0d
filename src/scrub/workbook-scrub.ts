// The scrub of an .xlsx workbook: one worksheet's rows stream from the reader (workbook/reader.ts), each row's
// phone cells are turned into the text a CSV cell would hold and judged by the same pure classifier, and the row goes
// to exactly one of three outputs, each a CSV or a workbook by its file name. One thread, one row at a time: memory
// stays flat whatever the sheet's length (the first rows read ahead for the content check are the only ones held).
//
// How a cell becomes text: a text cell as it is; a number from its stored value, an integer as its digits
// (612345678 stored as 6.12345678E8 is `612345678`, read and repaired by the normalizer as the CSV cell `612345678`
// is), any other number as its stored text, which the normalizer refuses; a boolean as TRUE or FALSE. Cells whose
// display is not what they store are unreadable, whatever they store: a number shown in scientific notation
// (6,12E+08) whose digits end in zeros, which is what a spreadsheet leaves of a number it rounded (a CSV cell
// `6,12345E+08` opened and saved again), `excel-mangled` as that CSV cell is; a number or a text whose format shows
// other digits than it stores (`"05364"00000` shows 0536496475 for 96475: workbook/number-formats.ts), and a number
// shown as a date, `number-format`: the user, and the clean file, would show a number that was never screened. A formula in a phone cell makes its row invalid (reason `formula`: the number it
// shows is computed when the file is opened, not stored); an error value (#N/A...) in a phone cell stops the scrub,
// naming the cell.
//
// Outputs hold values, never formulas: a formula is written as the value its program cached (workbook/writer.ts),
// since its references are relative to its row and the rows move (an excluded row removed, every row below moves
// up), and since a live formula in a clean file could compute, once opened, a number that was never screened. A
// formula with no cached value (a workbook written by a program that does not calculate) is written empty, and
// counted, so that the command can say so.
// The CSV scrub (scrub.ts) is not involved: it is a byte pipeline, and a workbook has no bytes to copy.

import fs from 'node:fs';
import { Writable } from 'node:stream';
import { CallscrubError, ioError } from '../errors.js';
import { serializeRow } from '../csv/writer.js';
import { codec, type DelimiterName, type Dialect } from '../csv/dialect.js';
import { choosePhoneColumns, ColumnWatch, type PhoneColumn } from '../csv/columns.js';
import { readChunks, type Source } from '../io/source.js';
import type { Sink } from '../io/sink.js';
import { printable } from '../ui/printable.js';
import { type Cell, columnName, emptyCell, isEmptyCell, type SheetRow } from '../workbook/cell.js';
import { isWorkbookName } from '../workbook/input.js';
import { hidesDigits, isScientificFormat, literalsOf, shownNumber, textHidesDigits } from '../workbook/number-formats.js';
import { readWorkbook } from '../workbook/reader.js';
import { looksLikeFormula, WorkbookWriter } from '../workbook/writer.js';
import { classifyCells, describeVerdict, type JudgedCell, type RowReason } from './classify.js';
import { ExclusionLog } from './exclusion-log.js';
import { emptyCounts, tallyVerdict, withAddedColumns } from './router.js';
import { scheduleColumns } from './schedule.js';
import type { ScrubProgress, ScrubResult, ScrubSettings } from './scrub.js';
import type { Screening } from './screening.js';
import { NumberSeenSet } from './seen.js';

export interface WorkbookScrubSettings extends ScrubSettings {
  /** --sheet: a name, or a 1-based position; undefined: the first worksheet. */
  readonly sheet?: string | undefined;
}

/** What a workbook scrub found: a CSV scrub's result, with the sheet read. */
export interface WorkbookScrubResult extends ScrubResult {
  readonly sheet: string;
  /** The workbook's other sheets, not scrubbed, and whether each is hidden ('visible', 'hidden', 'veryHidden'). */
  readonly otherSheets: readonly { readonly name: string; readonly state: string }[];
  /** Formula cells written to the outputs with no value: their program stored none (see the top of this file). */
  readonly formulasWithoutValue: number;
  /** Data rows the sheet hides (a filter, or by hand): scrubbed like the others, and shown in the outputs. */
  readonly hiddenRows: number;
}

/** The sheet a row writer's rows come from, told before its first row. */
export interface SheetInfo {
  readonly name: string;
  /** Date serials count from 1904-01-01 (see workbook/reader.ts). */
  readonly date1904: boolean;
}

/** Where a workbook scrub's rows go: a CSV or an .xlsx output, over a sink (a file, standard output, a digest). */
export interface RowWriter {
  begin(sheet: SheetInfo): void;
  /** The header row: the input's header cells, and the columns this output adds, as text cells. */
  header(cells: readonly Cell[]): Promise<void>;
  row(cells: readonly Cell[]): Promise<void>;
  /** The content complete, handed to the sink whole (the sink is then finished and published by its owner). */
  end(): Promise<void>;
  abort(): void;
}

export interface WorkbookOutputs {
  readonly clean: RowWriter;
  readonly excluded: RowWriter | undefined;
  readonly invalid: RowWriter | undefined;
}

/** The row writer for an output of this name: .xlsx a workbook, anything else (`-` too) CSV in `delimiter`. */
export function rowWriterFor(name: string, sink: Sink, delimiter: DelimiterName): RowWriter {
  return isWorkbookName(name) ? new XlsxRowWriter(sink, name) : new CsvRowWriter(sink, delimiter);
}

/** The dialect of the CSV outputs of a workbook scrub: UTF-8 with a BOM (Excel then reads accents right). */
export function workbookCsvDialect(delimiter: DelimiterName | 'auto'): Dialect {
  return { encoding: 'utf-8', bom: true, delimiter: delimiter === 'auto' ? ',' : delimiter, encodingFrom: 'workbook', delimiterFrom: delimiter === 'auto' ? 'default' : 'given' };
}

/** Data rows read ahead to check what the unscreened columns hold (as scrub.ts). */
const sampleRows = 1000;

export async function scrubWorkbook(
  source: Source,
  screening: Screening,
  settings: WorkbookScrubSettings,
  outputs: WorkbookOutputs,
  progress: ScrubProgress,
): Promise<WorkbookScrubResult> {
  if (source.file === undefined) {
    throw new CallscrubError('usage', 'a workbook is read from a file, not from standard input or a pipe', { file: source.name, hint: 'give the .xlsx file by its path' });
  }
  // The bytes the report names, hashed as a CSV input's are; the reader then opens the file itself (a zip is read
  // from its end: it cannot stream through the hash).
  const before = fileState(source.file, source.name);
  const read = await readChunks(source, () => undefined, { reuseBuffer: true });
  const sheet = await readWorkbook(source.file, { name: source.name, ...(settings.sheet === undefined ? {} : { sheet: settings.sheet }) });
  const where = `sheet ${sheet.name}`;
  const counts = emptyCounts();
  const exclusions = new ExclusionLog(settings.logExclusions !== false);
  const seen = settings.dedupe ? new NumberSeenSet() : undefined;
  const options = { country: settings.country, policy: settings.policy, allowUnscreened: settings.allowUnscreened, seen, contact: settings.contact };
  const all = [outputs.clean, outputs.excluded, outputs.invalid].filter((w) => w !== undefined);
  for (const w of all) w.begin({ name: sheet.name, date1904: sheet.date1904 });

  const rows = sheet[Symbol.asyncIterator]();
  try {
    // The first row, then as many as the content check reads: a bounded read-ahead.
    const first = (await rows.next()).value as SheetRow;
    const ahead: SheetRow[] = [];
    if (settings.checkContent) {
      for (let r = await rows.next(); r.done !== true; r = await rows.next()) {
        ahead.push(r.value);
        if (ahead.length >= sampleRows + (settings.header ? 0 : -1)) break;
      }
    }
    const headerCells = settings.header ? trimEnd(first.cells) : undefined;
    const header = headerCells?.map((cell) => cellText(cell, sheet.date1904));
    // Without a header, the widest of the rows read ahead: a column the first row leaves empty may be a phone column.
    const width = headerCells?.length ?? Math.max(...[first, ...ahead].map((row) => trimEnd(row.cells).length));
    // What the content check reads of the columns not screened: what a spreadsheet shows of each cell.
    const text = (row: SheetRow) => row.cells.map((cell) => shownText(cell, sheet.date1904));
    const sample = settings.checkContent ? (settings.header ? ahead : [first, ...ahead]).map(text) : [];
    const chosen = choosePhoneColumns(header, width, sample, settings, source.name, first.row);
    const phoneColumns: readonly PhoneColumn[] = chosen.columns;
    const watch = chosen.watched.length > 0 || chosen.countryColumns.length > 0 ? new ColumnWatch(chosen.watched, chosen.countryColumns, header, settings.country, codec('utf-8'), source.name) : undefined;
    const stale = settings.schedule === undefined ? undefined : header?.find((name) => (scheduleColumns as readonly string[]).includes(name.trim()));
    if (stale !== undefined) {
      throw new CallscrubError('input', `the sheet already has a column '${printable(stale)}' (a clean file scheduled before?): its old windows would stand beside the new ones`, {
        file: source.name,
        hint: 'scrub the original export, or remove the callscrub_ columns first',
      });
    }
    if (headerCells !== undefined) {
      await outputs.clean.header(settings.schedule === undefined ? headerCells : [...headerCells, ...scheduleColumns.map(textCell)]);
      const withReason = [...headerCells, textCell('callscrub_reason'), textCell('callscrub_detail')];
      await outputs.excluded?.header(withReason);
      await outputs.invalid?.header(withReason);
    }
    const phoneNames = phoneColumns.map((c) => c.name);
    let formulasWithoutValue = 0;
    let hiddenRows = 0;

    const route = async (row: SheetRow): Promise<void> => {
      counts.rowsIn++;
      const cells = trimEnd(row.cells);
      const wider = cells.length > width;
      const columns = wider ? [...phoneColumns, ...Array.from({ length: cells.length - width }, (_, i) => ({ index: width + i, name: `column ${width + i + 1}` }))] : phoneColumns;
      if (wider) counts.rowsWiderThanHeader++;
      for (const cell of cells) if (cell.kind === 'formula' && cell.cached === undefined) formulasWithoutValue++;
      if (row.hidden === true) hiddenRows++;
      watch?.observeText(text(row), row.row);
      const phoneCells = columns.map((c) => phoneText(cells[c.index], () => `${where}, cell ${columnName(c.index + 1)}${row.row}`, source.name));
      const verdict = classifyCells(phoneCells, screening, options);
      tallyVerdict(verdict, counts, exclusions);
      if (verdict.outcome === 'clean') {
        let out: Cell[] = cells;
        if (verdict.rewritten !== undefined) {
          out = [...cells];
          columns.forEach((c, i) => {
            const replacement = verdict.rewritten?.[i];
            if (replacement !== undefined) out[c.index] = replacement === '' ? emptyCell : textCell(replacement);
          });
        }
        if (settings.schedule !== undefined) out = withAddedColumns(out, width, settings.schedule.cellsOf(verdict).map(textCell), emptyCell);
        await outputs.clean.row(out);
        return;
      }
      const writer = verdict.outcome === 'excluded' ? outputs.excluded : outputs.invalid;
      if (writer === undefined) return;
      const detail = describeVerdict(verdict, columns === phoneColumns ? phoneNames : columns.map((c) => c.name));
      await writer.row(withAddedColumns(cells, width, [textCell(verdict.reason as RowReason), textCell(detail)], emptyCell));
    };

    if (!settings.header) await route(first);
    for (const row of ahead) await route(row);
    ahead.length = 0;
    for (let r = await rows.next(); r.done !== true; r = await rows.next()) {
      await route(r.value);
      if ((counts.rowsIn & 1023) === 0) progress.rows = counts.rowsIn;
    }
    if (counts.rowsIn === 0) {
      throw new CallscrubError('input', `${where} has a header but no rows`, { file: source.name, hint: 'check that this is the right sheet (--sheet)' });
    }
    watch?.check(source.name, header, phoneColumns);
    // The digest was taken before the rows were read, in a pass of its own: the file must be the one hashed.
    if (fileState(source.file, source.name) !== before) {
      throw new CallscrubError('input', 'the workbook changed while it was scrubbed', { file: source.name, hint: 'scrub it again once it is saved and closed' });
    }
    // Rows of empty cells between rows that hold something, skipped as a CSV file's blank lines are.
    counts.blankLines = sheet.blankRows;
    for (const w of all) await w.end();
    progress.rows = counts.rowsIn;
    return {
      counts,
      dialect: workbookCsvDialect(settings.delimiter),
      header,
      phoneColumns,
      input: { sha256: read.sha256, bytes: read.bytes },
      exclusions,
      sheet: sheet.name,
      otherSheets: sheet.others,
      formulasWithoutValue,
      hiddenRows,
    };
  } catch (error) {
    for (const w of all) w.abort();
    throw error;
  } finally {
    await rows.return?.(undefined);
    sheet.close();
  }
}

const textCell = (text: string): Cell => ({ kind: 'text', text });

/** What tells that a file was written to: its size, modification time and inode. */
function fileState(file: string, name: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  } catch (error) {
    throw ioError(error, name, 'read the workbook');
  }
}

/**
 * A row's cells without the empty ones at its end (Gnumeric writes empty styled cells), texts of no character too;
 * not a formula, even one showing nothing: in a phone column it makes its row invalid.
 */
function trimEnd(cells: readonly Cell[]): Cell[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1]?.kind !== 'formula' && isEmptyCell(cells[end - 1])) end--;
  return cells.slice(0, end);
}

/**
 * The digits of a number's stored text when it is an integer (`6.12345678E8` -> `612345678`, `33612345678` as is),
 * worked out on the text, so that no digit is lost to binary floating point; undefined when it is not an integer.
 */
export function integerDigits(stored: string): string | undefined {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(stored.trim());
  if (m === null || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) return undefined;
  const sign = m[1] === '-' ? '-' : '';
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  const exponent = Number(m[4] ?? '0') - fraction.length;
  let digits = whole + fraction;
  if (exponent >= 0) {
    if (exponent > 400) return undefined;
    digits += '0'.repeat(exponent);
  } else {
    const cut = digits.length + exponent;
    const dropped = cut <= 0 ? digits : digits.slice(cut);
    if (!/^0*$/.test(dropped)) return undefined;
    digits = cut <= 0 ? '0' : digits.slice(0, cut);
  }
  digits = digits.replace(/^0+(?=\d)/, '');
  return digits === '0' ? '0' : sign + digits;
}

/** A number's text: its integer digits, else the shortest text of its value (or its stored text). */
function numberText(value: number, stored: string): string {
  const digits = integerDigits(stored);
  if (digits !== undefined) return digits;
  if (stored === '' || !Number.isFinite(value)) return stored;
  return Number(stored) === value ? String(value) : stored;
}

/** The largest serial a date can have (9999-12-31). */
const maxDateSerial = 2_958_465;

/** A date cell's text: ISO 8601 (a date, a time, or both), or its number when no date (out of Excel's range). */
function dateText(value: number, stored: string, date1904: boolean): string {
  if (!(value >= 0 && value <= maxDateSerial)) return numberText(value, stored);
  // 1900 system: serial 1 is 1900-01-01, and Excel counts a 29 February 1900 (serial 60) that did not exist.
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : value < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const ms = Math.round(value * 86_400) * 1000;
  const iso = new Date(epoch + ms).toISOString();
  const day = Math.floor(value);
  if (value === day) return iso.slice(0, 10);
  if (day === 0 && !date1904) return iso.slice(11, 19);
  return iso.slice(0, 19);
}

/** How a cell is written to a CSV output, and read for the header and the content check: its value as text. */
export function cellText(cell: Cell | undefined, date1904: boolean): string {
  if (cell === undefined) return '';
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'text':
      return cell.text;
    case 'number':
      return numberText(cell.value, cell.text);
    case 'date':
      return dateText(cell.value, cell.text, date1904);
    case 'boolean':
      return cell.value ? 'TRUE' : 'FALSE';
    case 'error':
      return cell.text;
    case 'formula':
      return cell.cached === undefined ? '' : cellText(cell.cached, date1904);
  }
}

/**
 * A cell's value as a spreadsheet shows it, near enough to tell a phone number, for the check of the columns that
 * are not screened: a number whose format shows other digits than it stores (see hidesDigits) as the digits its
 * format writes and its value scaled and rounded (`"05364"00000` and 96475 show 0536496475; `0,` and 536496475000
 * show 536496475), a number stored with float noise (536496475.0000001) rounded; anything else as cellText.
 */
export function shownText(cell: Cell | undefined, date1904: boolean): string {
  const value = cell?.kind === 'formula' ? cell.cached : cell;
  if (value?.kind === 'text' && textHidesDigits(value.shown)) return literalsOf(value.shown as string).replace(/[^0-9+]/g, '') + value.text;
  if (value?.kind !== 'number') return cellText(cell, date1904);
  if (!hidesDigits(value.format)) {
    const digits = integerDigits(value.text);
    if (digits !== undefined) return digits;
  }
  return shownNumber(value.value, value.format);
}

/**
 * A phone cell as the classifier reads it: text as it is, a number or a date from its stored value (see the top of
 * the file; or unreadable, by its format), a boolean as TRUE or FALSE, a formula as such; a text whose format writes
 * digits or a + around it (`"05"@`) unreadable. An error value stops the scrub: the number that cell should hold
 * cannot be known, and no row may leave it behind silently.
 */
export function phoneText(cell: Cell | undefined, at: () => string, fileName: string): string | JudgedCell {
  if (cell === undefined) return '';
  switch (cell.kind) {
    case 'number': {
      if (hidesDigits(cell.format)) return { unreadable: 'number-format' };
      const digits = numberText(cell.value, cell.text);
      return isScientificFormat(cell.format) && /0$/.test(digits) ? { unreadable: 'excel-mangled' } : digits;
    }
    case 'date':
      // what it shows is a date, and a CSV output holds that date: not the number stored (nor, always, any number)
      return { unreadable: 'number-format' };
    case 'formula':
      return { formula: cell.formula };
    case 'error':
      throw new CallscrubError('input', `${at()}: ${cell.text} in a phone column`, {
        file: fileName,
        hint: 'correct the cell in the workbook (or clear it), save it and run again',
      });
    case 'text':
      return textHidesDigits(cell.shown) ? { unreadable: 'number-format' } : cell.text;
    default:
      return cellText(cell, false);
  }
}

const signedNumber = /^[+-][\d\s().\/-]*$/;

/** CSV rows, UTF-8 with a BOM, lines ended by CRLF; a text cell that a spreadsheet would run as a formula made inert. */
export class CsvRowWriter implements RowWriter {
  private date1904 = false;
  private started = false;

  constructor(
    private readonly sink: Sink,
    private readonly delimiter: DelimiterName,
  ) {}

  begin(sheet: SheetInfo): void {
    this.date1904 = sheet.date1904;
  }

  header(cells: readonly Cell[]): Promise<void> {
    return this.row(cells);
  }

  async row(cells: readonly Cell[]): Promise<void> {
    // Only text cells are made inert: a number cell's text (-5) is a number in any spreadsheet. So is a sign
    // followed by digits and separators only (`+33 6 12 34 56 78`): no formula can call anything with those, and a
    // quote before it would be in the number a dialer reads from the clean file.
    const fields = cells.map((cell) => {
      const value = cell.kind === 'formula' ? cell.cached : cell;
      const text = cellText(value, this.date1904);
      return value?.kind === 'text' && looksLikeFormula(text) && !signedNumber.test(text) ? `'${text}` : text;
    });
    const line = `${this.started ? '' : '\ufeff'}${serializeRow(fields, this.delimiter, false)}\r\n`;
    this.started = true;
    this.sink.write(line);
    await this.sink.drained();
  }

  async end(): Promise<void> {
    if (!this.started) this.sink.write('\ufeff');
    this.started = true;
  }

  abort(): void {}
}

/** A one-sheet workbook (workbook/writer.ts): the input's cells with their types, the header bold and frozen. */
export class XlsxRowWriter implements RowWriter {
  private writer: WorkbookWriter | undefined;

  constructor(
    private readonly sink: Sink,
    private readonly name: string,
  ) {}

  begin(sheet: SheetInfo): void {
    const sink = this.sink;
    const target = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        try {
          sink.write(chunk);
        } catch (error) {
          callback(error as Error);
          return;
        }
        sink.drained().then(() => callback(), callback);
      },
    });
    this.writer = new WorkbookWriter(target, { sheetName: sheet.name, name: this.name, date1904: sheet.date1904 });
  }

  header(cells: readonly Cell[]): Promise<void> {
    return this.started().header(cells);
  }

  row(cells: readonly Cell[]): Promise<void> {
    return this.started().row(cells);
  }

  end(): Promise<void> {
    return this.started().finish();
  }

  abort(): void {
    this.writer?.abort();
  }

  private started(): WorkbookWriter {
    if (this.writer === undefined) throw new Error('XlsxRowWriter: begin() first');
    return this.writer;
  }
}
