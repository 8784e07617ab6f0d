// What the readers of CSV files with a header share (consent ledgers, call logs): the delimiter found from the first
// chunk, a scan a chunk at a time, blank records, Excel's `sep=;` line and comment lines above the header skipped,
// the header's cells turned into the reader's layout, then each record's cells handed on with its line; rejects
// counted by reason, kept by line (or handed on as they come, the first few kept), and a record running over more
// physical lines than a reader allows stopped as a quote left open.

import { CallscrubError } from '../errors.js';
import { codec, delimiters, detectDelimiter, isSepLine } from '../csv/dialect.js';
import { allFields } from '../csv/fields.js';
import { CsvScanner, isBlankRecord, type CsvRecord } from '../csv/scanner.js';
import type { Reject } from './list-reader.js';

const utf8 = codec('utf-8');

export abstract class HeadedCsvReader<Layout> {
  /** Records read after the header. */
  records = 0;
  /** The rejects, all of them or the first `keptRejects`. */
  readonly rejects: Reject[] = [];
  rejected = 0;
  readonly rejectedByReason: Record<string, number> = {};
  /** How many rejects to keep in memory (a log of millions of bad rows would hold them all), and who takes each. */
  protected keptRejects = Infinity;
  protected onReject: ((reject: Reject) => void) | undefined;
  /** The most physical lines a record may span (a quote left open swallows the rows after it). */
  protected maxRecordLines = Infinity;
  protected header: readonly string[] | undefined;
  protected layout: Layout | undefined;
  private scanner: CsvScanner | undefined;

  constructor(protected readonly fileName: string) {}

  /** What the header's cells say of the columns (throws when it cannot tell). */
  protected abstract chooseLayout(names: readonly string[], line: number): Layout;

  /** One record after the header: its cells, and the line it starts on. */
  protected abstract read(fields: string[], line: number, layout: Layout): void;

  push(chunk: Buffer): void {
    if (this.scanner === undefined) {
      const delimiter = detectDelimiter(chunk) ?? ';';
      this.scanner = new CsvScanner({ delimiter: delimiters[delimiter], maxRecordBytes: 1 << 20, fileName: this.fileName }, (record) => this.record(record));
    }
    this.scanner.push(chunk);
  }

  /** Ends the scan: what a file left open (a quote never closed) fails here. */
  protected endScan(): void {
    this.scanner?.end();
  }

  protected reject(line: number, reason: string): void {
    this.rejected++;
    if (this.rejects.length < this.keptRejects) this.rejects.push({ line, reason });
    this.onReject?.({ line, reason });
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
  }

  private record(record: CsvRecord): void {
    if (this.maxRecordLines !== Infinity) this.checkSpan(record);
    if (isBlankRecord(record)) return;
    if (this.layout === undefined && isSepLine(record)) return; // Excel's `sep=;` line
    const fields = allFields(record, utf8);
    if (this.layout === undefined) {
      if (/^\s*#(\s|$)/.test(fields[0] ?? '')) return; // a comment above the header
      this.header = fields;
      this.layout = this.chooseLayout(fields, record.line);
      return;
    }
    this.records++;
    this.read(fields, record.line, this.layout);
  }

  /** Stops at a record whose quoted cells run over more lines than the reader allows. */
  private checkSpan(record: CsvRecord): void {
    const { bytes, start, end, quoted } = record;
    // Only a quoted cell holds a line break.
    let anyQuoted = false;
    for (let i = 0; i < record.fieldCount && !anyQuoted; i++) anyQuoted = quoted[i] === 1;
    if (!anyQuoted) return;
    let lines = 1;
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      if (c === 10 || (c === 13 && bytes[i + 1] !== 10)) lines++;
    }
    if (lines <= this.maxRecordLines) return;
    throw new CallscrubError('input', `a quoted cell runs over ${lines} lines to line ${record.line + lines - 1}: a quote left open?`, {
      file: this.fileName,
      line: record.line,
      hint: 'close or remove the stray quote on that line',
    });
  }
}
