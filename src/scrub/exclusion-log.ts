// The rows a scrub excluded or found invalid, for the signed report: row number, reason and lists, kept in typed
// arrays (10 bytes a row) so that memory stays flat on files of millions of rows.

import { rowReasons, type RowReason } from './classify.js';

export interface Exclusion {
  /** 1-based data row (the header not counted). */
  readonly row: number;
  readonly reason: RowReason;
  /** Names of the lists that blocked the row's numbers. */
  readonly lists: readonly string[];
}

/** A log's entries as plain arrays, to be sent from a worker thread and appended to the whole file's log. */
export interface ExclusionData {
  readonly rows: Int32Array;
  readonly reasons: Uint8Array;
  readonly listBits: Int32Array;
  readonly listNames: readonly string[];
}

export class ExclusionLog {
  private rows: Int32Array = new Int32Array(1024);
  private reasons: Uint8Array = new Uint8Array(1024);
  private listBits: Int32Array = new Int32Array(1024);
  private readonly listNames: string[] = [];
  length = 0;

  /** `kept`: false for a scrub that writes no report: then nothing is kept, and memory stays flat whatever the rows. */
  constructor(private readonly kept = true) {}

  add(row: number, reason: RowReason, lists: readonly string[]): void {
    if (!this.kept) return;
    if (this.length === this.rows.length) this.grow();
    let bits = 0;
    for (const name of lists) {
      let at = this.listNames.indexOf(name);
      if (at < 0) at = this.listNames.push(name) - 1;
      bits |= 1 << at;
    }
    this.rows[this.length] = row;
    this.reasons[this.length] = rowReasons.indexOf(reason);
    this.listBits[this.length] = bits;
    this.length++;
  }

  /** The entries, as views of this log's arrays (not copies: a log whose data is taken is not added to again). */
  data(): ExclusionData {
    return { rows: this.rows.subarray(0, this.length), reasons: this.reasons.subarray(0, this.length), listBits: this.listBits.subarray(0, this.length), listNames: [...this.listNames] };
  }

  /** A log of `data`'s entries, in its arrays (a file scrubbed in one block: no copy of millions of entries). */
  static of(data: ExclusionData): ExclusionLog {
    const log = new ExclusionLog();
    log.rows = data.rows;
    log.reasons = data.reasons;
    log.listBits = data.listBits;
    log.listNames.push(...data.listNames);
    log.length = data.rows.length;
    return log;
  }

  /** Appends the entries of a later part of the file, whose row numbers count from `rowOffset` + 1. */
  append(data: ExclusionData, rowOffset: number): void {
    const bitOf = data.listNames.map((name) => {
      let at = this.listNames.indexOf(name);
      if (at < 0) at = this.listNames.push(name) - 1;
      return 1 << at;
    });
    for (let i = 0; i < data.rows.length; i++) {
      if (this.length === this.rows.length) this.grow();
      const bits = data.listBits[i] as number;
      let mapped = 0;
      for (let j = 0; j < bitOf.length; j++) if (bits & (1 << j)) mapped |= bitOf[j] as number;
      this.rows[this.length] = (data.rows[i] as number) + rowOffset;
      this.reasons[this.length] = data.reasons[i] as number;
      this.listBits[this.length] = mapped;
      this.length++;
    }
  }

  *entries(): Generator<Exclusion> {
    for (let i = 0; i < this.length; i++) {
      const bits = this.listBits[i] as number;
      yield {
        row: this.rows[i] as number,
        reason: rowReasons[this.reasons[i] as number] as RowReason,
        lists: this.listNames.filter((_, j) => bits & (1 << j)),
      };
    }
  }

  private grow(): void {
    const size = this.rows.length * 2;
    const rows = new Int32Array(size);
    rows.set(this.rows);
    const reasons = new Uint8Array(size);
    reasons.set(this.reasons);
    const listBits = new Int32Array(size);
    listBits.set(this.listBits);
    this.rows = rows;
    this.reasons = reasons;
    this.listBits = listBits;
  }
}
