// Building a number set from numbers in the order a file gives them: grouped by high bits while reading, then
// radix-sorted in place and deduplicated at the end (dated entries keep one date per number).

import { entriesOf, toNumberSet, type SortedEntries } from './entries.js';
import { PackedNumbers, two32 } from './packed.js';
import { sortUnique32 } from './radix.js';
import { noDate, type NumberSet } from './set.js';

/**
 * Appends numbers (and dates) as they are read; `finish` sorts and deduplicates. Undated numbers are kept as their
 * low 32 bits, grouped by their high bits (a national list has one or a few groups), which halves the memory and
 * lets `finish` radix-sort each group without splitting the values first.
 */
export class NumberSetBuilder {
  length = 0;
  private readonly groups = new Map<number, { low: Uint32Array; length: number }>();
  private lastHigh = -1;
  private last: { low: Uint32Array; length: number } | undefined;
  private readonly initial: number;
  private dated: { numbers: Float64Array; until: Int32Array } | undefined;

  /** `expected`: how many entries to make room for at first (a guess from the file size saves regrowing). */
  constructor(dated: boolean, expected = 1 << 16) {
    // Room that is never written costs address space, not memory: a guess too large is cheap, regrowing is not.
    this.initial = Math.max(1024, Math.min(expected, 2 ** 31));
    if (dated) this.dated = { numbers: new Float64Array(1024), until: new Int32Array(1024) };
  }

  add(value: number, day: number = noDate): void {
    if (this.dated !== undefined) {
      this.length++;
      return this.addDated(value, day);
    }
    const high = Math.floor(value / two32);
    this.addHalves(high, (value - high * two32) | 0);
  }

  /**
   * Adds the undated number `high * 2^32 + low`, `low` given as the signed 32-bit integer of its bits: a reader of
   * millions of lines passes two small integers, where a number above 2^31 would be boxed on the heap at each call
   * (5,000,000 lines made 80 MB of garbage).
   */
  addHalves(high: number, low: number): void {
    this.length++;
    let group = this.last;
    if (high !== this.lastHigh || group === undefined) group = this.groupFor(high);
    if (group.length === group.low.length) {
      const grown = new Uint32Array(group.low.length * 2);
      grown.set(group.low);
      group.low = grown;
    }
    group.low[group.length++] = low;
  }

  private groupFor(high: number): { low: Uint32Array; length: number } {
    let group = this.groups.get(high);
    if (group === undefined) {
      // The first group gets the expected size; others (overseas, foreign numbers) start small.
      group = { low: new Uint32Array(this.groups.size === 0 ? this.initial : 1024), length: 0 };
      this.groups.set(high, group);
    }
    this.last = group;
    this.lastHigh = high;
    return group;
  }

  private addDated(value: number, day: number): void {
    const dated = this.dated as { numbers: Float64Array; until: Int32Array };
    const at = this.length - 1;
    if (at === dated.numbers.length) {
      const numbers = new Float64Array(at * 2);
      numbers.set(dated.numbers);
      const until = new Int32Array(at * 2);
      until.set(dated.until);
      this.dated = { numbers, until };
    }
    (this.dated as { numbers: Float64Array; until: Int32Array }).numbers[at] = value;
    (this.dated as { numbers: Float64Array; until: Int32Array }).until[at] = day;
  }

  /**
   * The sorted set. For dated entries a number listed twice keeps one date: `keep` says which (the latest for an
   * internal list, where a later expiry blocks longer; the earliest for an exemption, which then ends sooner).
   */
  finish(keep: 'latest' | 'earliest' = 'latest'): NumberSet {
    return toNumberSet(this.finishEntries(keep));
  }

  /**
   * The sorted entries, as `finish` gives them; undated numbers stay packed (4 bytes each), sorted in place in the
   * builder's own arrays, which the result takes over.
   */
  finishEntries(keep: 'latest' | 'earliest' = 'latest'): SortedEntries {
    if (this.dated !== undefined) {
      return entriesOf(sortUniqueDated(this.dated.numbers.subarray(0, this.length), this.dated.until.subarray(0, this.length), keep));
    }
    return new PackedNumbers(
      this.sortedGroups().map(({ high, group }) => ({ high, lows: group.low.subarray(0, sortUnique32(group.low.subarray(0, group.length))) })),
    );
  }

  /** The set, when the entries were added in increasing order without repeats (merges build sets so). */
  finishSorted(): NumberSet {
    return toNumberSet(this.finishSortedEntries());
  }

  /** The entries, when they were added in increasing order without repeats. */
  finishSortedEntries(): SortedEntries {
    if (this.dated !== undefined) {
      return entriesOf({ numbers: this.dated.numbers.subarray(0, this.length), until: this.dated.until.subarray(0, this.length) });
    }
    return new PackedNumbers(this.sortedGroups().map(({ high, group }) => ({ high, lows: group.low.subarray(0, group.length) })));
  }

  private sortedGroups(): Array<{ high: number; group: { low: Uint32Array; length: number } }> {
    return [...this.groups].sort((a, b) => a[0] - b[0]).map(([high, group]) => ({ high, group }));
  }
}



function sortUniqueDated(values: Float64Array, until: Int32Array, keep: 'latest' | 'earliest'): NumberSet {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const numbers = new Float64Array(values.length);
  const days = new Int32Array(values.length);
  let n = 0;
  for (const i of order) {
    const value = values[i] as number;
    const day = until[i] as number;
    if (n > 0 && numbers[n - 1] === value) {
      const previous = days[n - 1] as number;
      days[n - 1] = keep === 'latest' ? Math.max(previous, day) : Math.min(previous, day);
    } else {
      numbers[n] = value;
      days[n] = day;
      n++;
    }
  }
  return { numbers: numbers.slice(0, n), until: days.slice(0, n) };
}
