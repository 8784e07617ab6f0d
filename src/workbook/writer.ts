// Writing one sheet of an .xlsx workbook as a stream, in constant memory whatever its length: the sheet's XML is
// written as text, a batch of rows at a time, into a zip entry that yazl deflates as it comes. Cells keep their type
// and stored value (a number its exact <v> text, a date its serial and format); text is written inline. A formula
// is written as the value its program cached, and is empty when none was: a formula's references are relative to
// its row, and a row written here is seldom at its row in the input (the rows above it that were excluded are not
// in this sheet), so the formula would compute from other rows; and a live formula in a clean sheet could show,
// once opened, a number that was never screened. The header row is bold and frozen (a pane split below row 1). A text cell that would act
// as a formula if typed (it starts with = + - @, a tab or a carriage return) is a string cell, which no spreadsheet
// evaluates, and gets the quotePrefix style as Excel gives text typed as '=..., so that editing it keeps it text.
// A file target is written under a temporary name and renamed only once complete (io/atomic-file.ts); the zip's
// entries carry a fixed date, so the same rows give the same bytes.

import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import yazl from 'yazl';
import { CallscrubError } from '../errors.js';
import { AtomicFile } from '../io/atomic-file.js';
import { type Cell, columnName } from './cell.js';
import { encodeText } from './escapes.js';
import { showsLongDateDigits, writesDigits } from './number-formats.js';
import { builtinFormatId } from './styles.js';

/** Excel's limits: 1,048,576 rows (the header included) and 16,384 columns (XFD). */
export const maxRows = 1_048_576;
export const maxColumns = 16_384;

export interface WriterOptions {
  /** The sheet's name (default 'Sheet1'); characters Excel forbids become '_', and it is cut to 31. */
  sheetName?: string;
  /** The output's name as the user wrote it, for messages (default: the path). */
  name?: string;
  /** Date serials count from 1904-01-01, as in the workbook the cells come from (else a date would move 4 years). */
  date1904?: boolean;
}

/** Text that a spreadsheet would take for a formula, or treat specially, if it were typed in. */
export const looksLikeFormula = (text: string) => /^[=+\-@\t\r]/.test(text);

// A fixed date, as DOS time only: yazl's extended timestamp field holds the instant in UTC, which for a date made in
// local time would differ from one time zone to another, and so would the bytes a replay compares.
const fixedDate = new Date(1980, 0, 1);
const entryOptions = { mtime: fixedDate, forceDosTimestamp: true };
const batchSize = 1 << 16;
/** Beyond this many distinct number formats, further ones are written as General (the value is kept). */
const maxFormats = 200;

const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const mainNs = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const relNs = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const pkgRelNs = 'http://schemas.openxmlformats.org/package/2006/relationships';

const contentTypes =
  `${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '</Types>';
const packageRels =
  `${xmlHead}<Relationships xmlns="${pkgRelNs}">` +
  `<Relationship Id="rId1" Type="${relNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const workbookRels =
  `${xmlHead}<Relationships xmlns="${pkgRelNs}">` +
  `<Relationship Id="rId1" Type="${relNs}/worksheet" Target="worksheets/sheet1.xml"/>` +
  `<Relationship Id="rId2" Type="${relNs}/styles" Target="styles.xml"/></Relationships>`;
const sheetHead =
  `${xmlHead}<worksheet xmlns="${mainNs}" xmlns:r="${relNs}"><sheetViews><sheetView workbookViewId="0">` +
  '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
  '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>';

/**
 * Column widths from the header: wide enough for its name, and for 14 characters at least, so that an
 * international number stored as a number (33612345678) shows whole, not as 3.36E+10 in Excel's default 8.43-character
 * column (which a user saving the sheet as CSV would then write, the damage a workbook output is meant to avoid).
 */
function columnsXml(header: readonly Cell[]): string {
  if (header.length === 0) return '';
  const widths = header.map((cell) => Math.min(60, Math.max(14, (cell.kind === 'text' ? cell.text.length : 0) + 2)));
  return `<cols>${widths.map((width, i) => `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"/>`).join('')}</cols>`;
}
const sheetTail = '</sheetData></worksheet>';

/** The cell styles used so far: bold or not, a number format, quotePrefix or not; index 0 is the default. */
class StyleTable {
  private readonly index = new Map<string, number>([['0|0|0', 0]]);
  private readonly xfs: { bold: boolean; format: number; quote: boolean }[] = [{ bold: false, format: 0, quote: false }];
  private readonly formats = new Map<string, number>();

  style(bold: boolean, format: string | undefined, quote: boolean): number {
    const id = this.formatId(format);
    const key = `${bold ? 1 : 0}|${id}|${quote ? 1 : 0}`;
    let style = this.index.get(key);
    if (style === undefined) {
      style = this.xfs.length;
      this.xfs.push({ bold, format: id, quote });
      this.index.set(key, style);
    }
    return style;
  }

  private formatId(code: string | undefined): number {
    if (code === undefined || code === 'General' || code.startsWith('[built-in format ')) return 0;
    const builtin = builtinFormatId(code);
    if (builtin !== undefined) return builtin;
    let id = this.formats.get(code);
    if (id === undefined) {
      if (this.formats.size >= maxFormats) return 0;
      id = 164 + this.formats.size;
      this.formats.set(code, id);
    }
    return id;
  }

  xml(): string {
    const numFmts = [...this.formats].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${encodeText(code)}"/>`).join('');
    const xfs = this.xfs
      .map(
        (xf) =>
          `<xf numFmtId="${xf.format}" fontId="${xf.bold ? 1 : 0}" fillId="0" borderId="0" xfId="0"` +
          `${xf.format !== 0 ? ' applyNumberFormat="1"' : ''}${xf.bold ? ' applyFont="1"' : ''}${xf.quote ? ' quotePrefix="1"' : ''}/>`,
      )
      .join('');
    return (
      `${xmlHead}<styleSheet xmlns="${mainNs}">` +
      (this.formats.size > 0 ? `<numFmts count="${this.formats.size}">${numFmts}</numFmts>` : '') +
      '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
      '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${xfs}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    );
  }
}

/** A number's <v> text: the stored text when it is that number, else the shortest text that reads back as it. */
function numberText(value: number, text: string): string {
  if (!Number.isFinite(value)) throw new RangeError(`a workbook cell cannot hold the number ${value}`);
  return text !== '' && Number(text) === value && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? text : String(value);
}

export class WorkbookWriter {
  /** Data rows written so far (the header not counted). */
  rows = 0;
  private readonly name: string;
  private readonly zip = new yazl.ZipFile();
  private readonly sheet = new PassThrough();
  private readonly styles = new StyleTable();
  private readonly done: Promise<void>;
  private readonly file: AtomicFile | undefined;
  private failure: unknown;
  private batch = '';
  private rowNumber = 0;
  private readonly columns: string[] = [];
  private finished = false;

  constructor(target: string | Writable, options: WriterOptions = {}) {
    this.name = options.name ?? (typeof target === 'string' ? target : 'the workbook');
    const sheetName = (options.sheetName ?? 'Sheet1').replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1';
    const add = (part: string, text: string) => this.zip.addBuffer(Buffer.from(text), part, entryOptions);
    add('[Content_Types].xml', contentTypes);
    add('_rels/.rels', packageRels);
    add(
      'xl/workbook.xml',
      `${xmlHead}<workbook xmlns="${mainNs}" xmlns:r="${relNs}">${options.date1904 === true ? '<workbookPr date1904="1"/>' : ''}<bookViews><workbookView/></bookViews>` +
        `<sheets><sheet name="${encodeText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    );
    add('xl/_rels/workbook.xml.rels', workbookRels);
    this.zip.addReadStream(this.sheet, 'xl/worksheets/sheet1.xml', entryOptions);
    const output = this.zip.outputStream as NodeJS.ReadableStream & NodeJS.EventEmitter;
    if (typeof target === 'string') {
      const file = new AtomicFile(target);
      this.file = file;
      this.done = new Promise<void>((resolve, reject) => {
        output.on('data', (chunk: Buffer) => {
          try {
            file.write(chunk);
          } catch (error) {
            this.failure = error;
            reject(error);
          }
        });
        output.once('end', () => {
          try {
            if (this.failure === undefined) file.commit();
            resolve();
          } catch (error) {
            reject(error);
          }
        });
        output.once('error', reject);
      });
    } else {
      this.file = undefined;
      output.pipe(target);
      this.done = new Promise<void>((resolve, reject) => {
        target.once('finish', resolve);
        target.once('error', reject);
        output.once('error', reject);
      });
    }
    this.done.catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /** The header row: bold, and frozen above the rows. Plain strings are text cells. */
  async header(cells: readonly (Cell | string)[]): Promise<void> {
    if (this.rowNumber > 0) throw new Error('WorkbookWriter: the header must be the first row');
    await this.put(
      cells.map((cell) => (typeof cell === 'string' ? { kind: 'text', text: cell } : cell)),
      true,
    );
  }

  async row(cells: readonly Cell[]): Promise<void> {
    if (this.rowNumber === 0) await this.header([]);
    await this.put(cells, false);
    this.rows++;
  }

  /** Completes the workbook; for a file, renames it to its name. */
  async finish(): Promise<void> {
    if (this.finished) throw new Error('WorkbookWriter: finished twice');
    this.finished = true;
    if (this.rowNumber === 0) await this.header([]);
    this.batch += sheetTail;
    await this.flush();
    this.sheet.end();
    this.zip.addBuffer(Buffer.from(this.styles.xml()), 'xl/styles.xml', entryOptions);
    this.zip.end();
    await this.done;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Gives up: a file target is removed, its name left as it was. */
  abort(): void {
    this.finished = true;
    this.failure ??= new Error('aborted');
    this.sheet.destroy();
    this.file?.abort();
  }

  private async put(cells: readonly Cell[], header: boolean): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.finished) throw new Error('WorkbookWriter: a row after finish');
    if (this.rowNumber >= maxRows) {
      throw new CallscrubError('input', `more rows than an .xlsx sheet holds (${maxRows.toLocaleString('en')} with the header)`, {
        file: this.name,
        hint: 'write this output as .csv, or split the input',
      });
    }
    if (cells.length > maxColumns) {
      throw new CallscrubError('input', `more columns than an .xlsx sheet holds (${maxColumns.toLocaleString('en')})`, {
        file: this.name,
        hint: 'write this output as .csv',
      });
    }
    const r = ++this.rowNumber;
    let xml = r === 1 ? `${sheetHead}${columnsXml(cells)}<sheetData><row r="${r}">` : `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as Cell;
      if (cell.kind === 'empty') continue;
      const reference = (this.columns[i] ??= columnName(i + 1)) + r;
      xml += this.cellXml(reference, cell, header);
    }
    this.batch += `${xml}</row>`;
    if (this.batch.length >= batchSize) await this.flush();
  }

  private cellXml(reference: string, cell: Exclude<Cell, { kind: 'empty' }>, bold: boolean): string {
    const s = (style: number) => (style === 0 ? '' : ` s="${style}"`);
    switch (cell.kind) {
      case 'text': {
        const style = this.styles.style(bold, undefined, looksLikeFormula(cell.text));
        return `<c r="${reference}"${s(style)} t="inlineStr"><is><t xml:space="preserve">${encodeText(cell.text)}</t></is></c>`;
      }
      case 'number':
      case 'date':
        // A format that writes digits of its own, or a date shown as a long run of digits, would show in a clean
        // sheet digits that were never screened: General shows the value itself.
        return `<c r="${reference}"${s(this.styles.style(bold, writesDigits(cell.format) || (cell.kind === 'date' && showsLongDateDigits(cell.format)) ? undefined : cell.format, false))}><v>${numberText(cell.value, cell.text)}</v></c>`;
      case 'boolean':
        return `<c r="${reference}"${s(this.styles.style(bold, undefined, false))} t="b"><v>${cell.value ? 1 : 0}</v></c>`;
      case 'error':
        return `<c r="${reference}"${s(this.styles.style(bold, undefined, false))} t="e"><v>${encodeText(cell.text)}</v></c>`;
      case 'formula':
        // Its value, never the formula: see the top of this file.
        return cell.cached === undefined ? '' : this.cellXml(reference, cell.cached, bold);
    }
  }

  private async flush(): Promise<void> {
    if (this.batch === '') return;
    const text = this.batch;
    this.batch = '';
    if (!this.sheet.write(text)) await Promise.race([once(this.sheet, 'drain'), this.done.then(() => undefined)]);
    if (this.failure !== undefined) throw this.failure;
  }
}
