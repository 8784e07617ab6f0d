// Building a number set from numbers in the order a file gives them: grouped by high bits while reading, then
// radix-sorted and deduplicated at the end (dated entries keep one date per number).

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
    this.initial = Math.max(1024, Math.min(expected, 1 << 27));
    if (dated) this.dated = { numbers: new Float64Array(1024), until: new Int32Array(1024) };
  }

  add(value: number, day: number = noDate): void {
    this.length++;
    if (this.dated !== undefined) return this.addDated(value, day);
    const high = Math.floor(value / two32);
    let group = this.last;
    if (high !== this.lastHigh || group === undefined) {
      group = this.groups.get(high);
      if (group === undefined) {
        // The first group gets the expected size; others (overseas, foreign numbers) start small.
        group = { low: new Uint32Array(this.groups.size === 0 ? this.initial : 1024), length: 0 };
        this.groups.set(high, group);
      }
      this.last = group;
      this.lastHigh = high;
    }
    if (group.length === group.low.length) {
      const grown = new Uint32Array(group.low.length * 2);
      grown.set(group.low);
      group.low = grown;
    }
    group.low[group.length++] = value - high * two32;
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
    if (this.dated !== undefined) {
      return sortUniqueDated(this.dated.numbers.subarray(0, this.length), this.dated.until.subarray(0, this.length), keep);
    }
    const out = new Float64Array(this.length);
    let n = 0;
    const counts = new Int32Array(2048);
    for (const high of [...this.groups.keys()].sort((x, y) => x - y)) {
      const group = this.groups.get(high) as { low: Uint32Array; length: number };
      const keys = group.low.subarray(0, group.length);
      const sorted = keys.length < 64 ? keys.sort() : radixSort32(keys, new Uint32Array(keys.length), counts);
      const base = high * two32;
      let previous = -1;
      for (let i = 0; i < sorted.length; i++) {
        const low = sorted[i] as number;
        if (low !== previous) out[n++] = base + low;
        previous = low;
      }
    }
    return { numbers: n === out.length ? out : out.slice(0, n) };
  }

  /** The set, when the entries were added in increasing order without repeats (merges build sets so). */
  finishSorted(): NumberSet {
    if (this.dated !== undefined) {
      return { numbers: this.dated.numbers.slice(0, this.length), until: this.dated.until.slice(0, this.length) };
    }
    const out = new Float64Array(this.length);
    let n = 0;
    for (const high of [...this.groups.keys()].sort((x, y) => x - y)) {
      const group = this.groups.get(high) as { low: Uint32Array; length: number };
      const base = high * two32;
      for (let i = 0; i < group.length; i++) out[n++] = base + (group.low[i] as number);
    }
    return { numbers: out };
  }
}

const two32 = 4294967296;

/** LSD radix sort of 32-bit keys in three 11-bit passes, skipping a digit every key shares. Returns the sorted array. */
function radixSort32(keys: Uint32Array, spare: Uint32Array, counts: Int32Array): Uint32Array {
  let from = keys;
  let to = spare;
  const n = keys.length;
  for (const shift of [0, 11, 22]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const digit = ((from[i] as number) >>> shift) & 2047;
      counts[digit] = (counts[digit] as number) + 1;
    }
    if (counts[((from[0] as number) >>> shift) & 2047] === n) continue; // every key has this digit
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d] as number;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = from[i] as number;
      const digit = (key >>> shift) & 2047;
      const at = counts[digit] as number;
      counts[digit] = at + 1;
      to[at] = key;
    }
    [from, to] = [to, from];
  }
  return from;
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
