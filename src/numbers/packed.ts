// A sorted, duplicate-free set of undated numbers in 4 bytes each: their low 32 bits, grouped by their high bits (a
// national list's numbers share one or a few high halves). An import of 100,000,000 numbers holds 400 MB so, where
// a Float64Array would take 800.

import { binarySearch, type SortedEntries } from './entries.js';

export const two32 = 4294967296;

export interface PackedGroup {
  /** The numbers' high bits: each number is `high * 2^32 + low`. */
  readonly high: number;
  /** Sorted, distinct low halves. */
  readonly lows: Uint32Array;
}

export class PackedNumbers implements SortedEntries {
  readonly length: number;
  readonly dateColumns = 0;
  /** Where each group starts among the set's entries, and (last) the length. */
  private readonly starts: number[];
  private lastGroup = 0;

  /** `groups`: sorted by `high`. */
  constructor(readonly groups: readonly PackedGroup[]) {
    this.starts = [0];
    for (const group of groups) this.starts.push((this.starts[this.starts.length - 1] as number) + group.lows.length);
    this.length = this.starts[this.starts.length - 1] as number;
  }

  at(index: number): number {
    const g = this.groupAt(index);
    const group = this.groups[g] as PackedGroup;
    return group.high * two32 + (group.lows[index - (this.starts[g] as number)] as number);
  }

  indexOf(value: number): number {
    const high = Math.floor(value / two32);
    const g = this.groups.findIndex((group) => group.high === high);
    if (g < 0) return -1;
    const lows = (this.groups[g] as PackedGroup).lows;
    const at = binarySearch(lows.length, (i) => lows[i] as number, value - high * two32);
    return at < 0 ? -1 : (this.starts[g] as number) + at;
  }

  copy(start: number, end: number, numbers: Float64Array): void {
    let out = 0;
    let at = start;
    while (at < end) {
      const g = this.groupAt(at);
      const group = this.groups[g] as PackedGroup;
      const offset = this.starts[g] as number;
      const stop = Math.min(end, this.starts[g + 1] as number);
      const base = group.high * two32;
      const lows = group.lows;
      for (let i = at - offset, last = stop - offset; i < last; i++) numbers[out++] = base + (lows[i] as number);
      at = stop;
    }
  }

  private groupAt(index: number): number {
    let g = this.lastGroup;
    if (index < (this.starts[g] as number) || index >= (this.starts[g + 1] as number)) {
      g = 0;
      while (index >= (this.starts[g + 1] as number)) g++;
      this.lastGroup = g;
    }
    return g;
  }
}
