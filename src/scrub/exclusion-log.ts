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

export class ExclusionLog {
  private rows = new Int32Array(1024);
  private reasons = new Uint8Array(1024);
  private listBits = new Int32Array(1024);
  private readonly listNames: string[] = [];
  length = 0;

  add(row: number, reason: RowReason, lists: readonly string[]): void {
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
