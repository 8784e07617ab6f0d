// What the readers of CSV files with a header share (consent ledgers, call logs): the delimiter found from the first
// chunk, a scan a chunk at a time, blank records, Excel's `sep=;` line and comment lines above the header skipped,
// the header's cells turned into the reader's layout, then each record's cells handed on with its line; rejects
// counted by reason, kept by line.

import { codec, delimiters, detectDelimiter, isSepLine } from '../csv/dialect.js';
import { allFields } from '../csv/fields.js';
import { CsvScanner, isBlankRecord, type CsvRecord } from '../csv/scanner.js';
import type { Reject } from './list-reader.js';

const utf8 = codec('utf-8');

export abstract class HeadedCsvReader<Layout> {
  /** Records read after the header. */
  records = 0;
  readonly rejects: Reject[] = [];
  readonly rejectedByReason: Record<string, number> = {};
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
    this.rejects.push({ line, reason });
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
  }

  private record(record: CsvRecord): void {
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
}
