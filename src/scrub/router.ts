// Where each row of a prospect file goes, once its verdict is known: the clean output gets the row's own bytes (or,
// when --policy number blanked a number, the row rewritten); the excluded and invalid outputs get the row with its
// reason and detail, formula-like cells made inert. Counts and the exclusion log for the report are kept here.

import type { Codec, Dialect } from '../csv/dialect.js';
import { allFields, decodeField } from '../csv/fields.js';
import type { CsvRecord } from '../csv/scanner.js';
import { formulaStartBytes, separatorOf, serializeRow } from '../csv/writer.js';
import type { Sink } from '../io/sink.js';
import { describeVerdict, type RowReason, type Verdict } from './classify.js';
import type { PhoneColumn } from '../csv/columns.js';
import type { ExclusionLog } from './exclusion-log.js';
import { scheduleColumns, type Schedule } from './schedule.js';

export interface ScrubOutputs {
  readonly clean: Sink;
  readonly excluded: Sink | undefined;
  readonly invalid: Sink | undefined;
}

/** What rows are written to: the outputs themselves, or a block's buffers (a worker's, see block.ts). */
export type RowSink = Pick<Sink, 'write' | 'writeRange'>;

export interface RowOutputs {
  readonly clean: RowSink;
  readonly excluded: RowSink | undefined;
  readonly invalid: RowSink | undefined;
}

/** How a file's rows are laid out, from its first record: what every block of it is routed by. */
export interface RowLayout {
  readonly header: readonly string[] | undefined;
  readonly phoneColumns: readonly PhoneColumn[];
  /** How many cells the header has (or the first row, without one). */
  readonly width: number;
  /** The first record's line ending (CRLF when it has none), which rewritten rows take. */
  readonly lineEnding: string;
}

/** The layout a file's first record gives. */
export function layoutOf(first: CsvRecord, header: readonly string[] | undefined, phoneColumns: readonly PhoneColumn[]): RowLayout {
  return {
    header,
    phoneColumns,
    width: first.fieldCount,
    lineEnding: first.next > first.end ? first.bytes.toString('latin1', first.end, first.next) : '\r\n',
  };
}

export interface ScrubCounts {
  rowsIn: number;
  rowsClean: number;
  rowsExcluded: number;
  rowsInvalid: number;
  rowsRewritten: number;
  numbersChecked: number;
  blankLines: number;
  /** Rows with cells beyond the header's (or, without one, the first row's) width: those cells were screened too. */
  rowsWiderThanHeader: number;
  byReason: Record<string, number>;
  byNumberStatus: Record<string, number>;
  /** Listed numbers with a consent in force: made callable by it (--consent-overrides-opposition), or not. */
  consentOverListing: { overrode: number; beaten: number };
}

export function emptyCounts(): ScrubCounts {
  return {
    rowsIn: 0,
    rowsClean: 0,
    rowsExcluded: 0,
    rowsInvalid: 0,
    rowsRewritten: 0,
    numbersChecked: 0,
    blankLines: 0,
    rowsWiderThanHeader: 0,
    byReason: {},
    byNumberStatus: {},
    consentOverListing: { overrode: 0, beaten: 0 },
  };
}

/** Adds the counts of a later part of the file (a block) to those of the parts before it. */
export function addCounts(into: ScrubCounts, from: ScrubCounts): void {
  for (const key of ['rowsIn', 'rowsClean', 'rowsExcluded', 'rowsInvalid', 'rowsRewritten', 'numbersChecked', 'blankLines', 'rowsWiderThanHeader'] as const) into[key] += from[key];
  for (const [reason, n] of Object.entries(from.byReason)) into.byReason[reason] = (into.byReason[reason] ?? 0) + n;
  for (const [status, n] of Object.entries(from.byNumberStatus)) into.byNumberStatus[status] = (into.byNumberStatus[status] ?? 0) + n;
  into.consentOverListing.overrode += from.consentOverListing.overrode;
  into.consentOverListing.beaten += from.consentOverListing.beaten;
}

/**
 * Counts a row's verdict (its numbers by status, the row by outcome and reason) and logs an excluded or invalid row
 * under its number (`counts.rowsIn`, the row already counted in). Shared by the CSV and the workbook scrub.
 */
export function tallyVerdict(verdict: Verdict, counts: ScrubCounts, exclusions: ExclusionLog): void {
  counts.numbersChecked += verdict.numbers.length;
  for (const n of verdict.numbers) {
    counts.byNumberStatus[n.status] = (counts.byNumberStatus[n.status] ?? 0) + 1;
    if (n.consent !== undefined) counts.consentOverListing[n.consent.overrode ? 'overrode' : 'beaten']++;
  }
  if (verdict.outcome === 'clean') {
    counts.rowsClean++;
    if (verdict.rewritten !== undefined) counts.rowsRewritten++;
    return;
  }
  const reason = verdict.reason as RowReason;
  counts.byReason[reason] = (counts.byReason[reason] ?? 0) + 1;
  if (verdict.outcome === 'excluded') counts.rowsExcluded++;
  else counts.rowsInvalid++;
  // The lists that blocked the row's numbers (not those that made one callable).
  const lists: string[] = [];
  for (const n of verdict.numbers) {
    if (n.list !== undefined && n.status !== 'exempt' && n.status !== 'consented' && !lists.includes(n.list.name)) lists.push(n.list.name);
  }
  exclusions.add(counts.rowsIn, reason, lists);
}

/**
 * A row with the columns an output adds (the reason and detail, or --schedule's windows) right after the header's
 * columns, under their names: a short row padded with empty cells, and the cells of a row wider than the header
 * (which no column names) after the added ones.
 */
export function withAddedColumns<T>(cells: readonly T[], width: number, added: readonly T[], empty: T): T[] {
  const padding = Array.from({ length: Math.max(0, width - cells.length) }, () => empty);
  return [...cells.slice(0, width), ...padding, ...added, ...cells.slice(width)];
}

export class RowRouter {
  private readonly lineEnding: string;
  private readonly separator: string;
  private readonly tails = new Map<string, Buffer>();
  private readonly phoneColumnNames: readonly string[];
  private readonly phoneColumns: readonly PhoneColumn[];
  private readonly width: number;

  constructor(
    layout: RowLayout,
    private readonly format: { readonly dialect: Dialect; readonly text: Codec },
    private readonly outputs: RowOutputs,
    private readonly counts: ScrubCounts,
    private readonly exclusions: ExclusionLog,
    /** --schedule: the calling window each clean row gets, in three more columns. */
    private readonly schedule?: Schedule,
  ) {
    this.lineEnding = layout.lineEnding;
    this.separator = separatorOf(format.dialect.delimiter);
    this.phoneColumns = layout.phoneColumns;
    this.phoneColumnNames = layout.phoneColumns.map((c) => c.name);
    this.width = layout.width;
  }

  /**
   * Starts the outputs from the file's first record: the header (copied to the clean output, and written with the
   * two callscrub columns to the others); without one, nothing (the first row is routed as the others are).
   * A `sep=X` line before it goes first to every output, so that Excel opens them all with the same delimiter.
   */
  start(first: CsvRecord, header: readonly string[] | undefined, preamble: Buffer | undefined): void {
    const outputs = this.outputs;
    if (preamble !== undefined) for (const sink of [outputs.clean, outputs.excluded, outputs.invalid]) sink?.write(preamble);
    if (header === undefined) return;
    if (this.schedule === undefined) outputs.clean.writeRange(first.bytes, first.start, first.next);
    else this.writeScheduled(first, scheduleColumns);
    const headerLine = this.encodeRow([...header, 'callscrub_reason', 'callscrub_detail'], true);
    const bom = this.format.dialect.bom && preamble === undefined ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
    outputs.excluded?.write(Buffer.concat([bom, headerLine]));
    outputs.invalid?.write(Buffer.concat([bom, headerLine]));
  }

  /**
   * Judges a row from its phone cells and sends it to its output. Cells beyond the header's width belong to no
   * column: they may hold a number the dialer shows, so they are screened as phone cells too (`column N`).
   */
  route(record: CsvRecord, judge: (phoneCells: string[]) => Verdict): void {
    const columns = record.fieldCount > this.width && this.hasCellsBeyondWidth(record) ? this.widerColumns(record.fieldCount) : this.phoneColumns;
    if (columns !== this.phoneColumns) this.counts.rowsWiderThanHeader++;
    const verdict = judge(columns.map((c) => (c.index < record.fieldCount ? decodeField(record, c.index, this.format.text, false) : '')));
    tallyVerdict(verdict, this.counts, this.exclusions);
    if (verdict.outcome === 'clean') {
      const scheduled = this.schedule?.cellsOf(verdict);
      if (verdict.rewritten === undefined) {
        // The record exactly as in the input: a last line without a line ending stays without one.
        if (scheduled === undefined) this.outputs.clean.writeRange(record.bytes, record.start, record.next);
        else this.writeScheduled(record, scheduled);
        return;
      }
      const fields = allFields(record, this.format.text);
      columns.forEach((c, i) => {
        const replacement = verdict.rewritten?.[i];
        if (replacement !== undefined && c.index < fields.length) fields[c.index] = replacement;
      });
      this.outputs.clean.write(this.encodeRow(scheduled === undefined ? fields : withAddedColumns(fields, this.width, scheduled, ''), false));
      return;
    }
    const reason = verdict.reason as RowReason;
    const sink = verdict.outcome === 'excluded' ? this.outputs.excluded : this.outputs.invalid;
    if (sink === undefined) return;
    const detail = describeVerdict(verdict, columns === this.phoneColumns ? this.phoneColumnNames : columns.map((c) => c.name));
    if (!this.copyable(record)) {
      sink.write(this.encodeRow([...allFields(record, this.format.text), reason, detail], true));
      return;
    }
    // The record's bytes, then the two cells: the same bytes as decoding and writing every cell again (a record
    // without quotes writes back as it was read), at a fraction of the cost when most rows are excluded.
    sink.writeRange(record.bytes, record.start, record.end);
    sink.write(this.tail(reason, detail));
  }

  /**
   * A clean record's bytes, up to its line ending, with the schedule's three cells after them (--schedule rewrites
   * clean rows): the row's own cells stay as they were.
   */
  private writeScheduled(record: CsvRecord, cells: readonly string[]): void {
    if (record.fieldCount !== this.width) {
      // the windows under their headers, not after a short row's last cell or a wide row's extra ones
      this.outputs.clean.write(this.encodeRow(withAddedColumns(allFields(record, this.format.text), this.width, cells, ''), false));
      return;
    }
    this.outputs.clean.writeRange(record.bytes, record.start, record.end);
    this.outputs.clean.write(this.format.text.encode(`${this.separator}${serializeRow(cells, this.format.dialect.delimiter, true)}${this.lineEnding}`));
  }

  /** The two cells an excluded or invalid row gets, with the line ending, encoded: most rows share a few. */
  private tail(reason: string, detail: string): Buffer {
    const key = `${reason}\n${detail}`;
    let bytes = this.tails.get(key);
    if (bytes === undefined) {
      bytes = this.format.text.encode(`${this.separator}${serializeRow([reason, detail], this.format.dialect.delimiter, true)}${this.lineEnding}`);
      if (this.tails.size < 10_000) this.tails.set(key, bytes);
    }
    return bytes;
  }

  /**
   * Whether a record's bytes are what writing its cells again would give: every cell quoted exactly when it must be
   * (it holds the delimiter, a quote or a line break), with its quotes doubled, and none a spreadsheet would run as a
   * formula (those are made inert, so written again).
   */
  private copyable(record: CsvRecord): boolean {
    const bytes = record.bytes;
    if (bytes[record.start] === 0xef) return false; // a byte-order mark before the first record
    const delimiter = this.separator.charCodeAt(0);
    for (let i = 0; i < record.fieldCount; i++) {
      const start = record.fieldStart[i] as number;
      const end = record.fieldEnd[i] as number;
      if (start < end && formulaStartBytes.has(bytes[start] as number)) return false;
      if (record.quoted[i] === 0) {
        for (let k = start; k < end; k++) if (bytes[k] === 34) return false;
        continue;
      }
      // Quoted: right around its content, and needed.
      if (bytes[start - 1] !== 34 || bytes[end] !== 34 || (end + 1 !== record.end && bytes[end + 1] !== delimiter)) return false;
      let needed = false;
      for (let k = start; k < end; k++) {
        const b = bytes[k] as number;
        if (b === delimiter || b === 34 || b === 10 || b === 13) needed = true;
      }
      if (!needed) return false;
    }
    return true;
  }

  private hasCellsBeyondWidth(record: CsvRecord): boolean {
    for (let i = this.width; i < record.fieldCount; i++) if ((record.fieldEnd[i] as number) > (record.fieldStart[i] as number)) return true;
    return false;
  }

  private widerColumns(fieldCount: number): PhoneColumn[] {
    const extra = Array.from({ length: fieldCount - this.width }, (_, i) => ({ index: this.width + i, name: `column ${this.width + i + 1}` }));
    return [...this.phoneColumns, ...extra];
  }

  private encodeRow(fields: readonly string[], neutralize: boolean): Buffer {
    return this.format.text.encode(serializeRow(fields, this.format.dialect.delimiter, neutralize) + this.lineEnding);
  }
}
