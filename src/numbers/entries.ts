// Sorted, duplicate-free entries (numbers, with their dates for dated lists) read a range at a time, whatever holds
// them: a NumberSet's arrays, or a packed set of 4-byte keys (packed.ts). What an import works out from a version
// (its changes, digest, chunks, coverage) reads them so, and never needs the 8-byte-a-number array of a whole list.

import type { NumberSet } from './set.js';

export interface SortedEntries {
  readonly length: number;
  /** How many date columns each entry has: 0 (opposition), 1 (internal, exempt: `until`), 3 (consent). */
  readonly dateColumns: number;
  at(index: number): number;
  /** The position of `value`, or -1. */
  indexOf(value: number): number;
  /**
   * Copies entries [start, end) to the front of `numbers`, and their date columns to the front of each of `days`
   * (in a NumberSet's order: until, granted, expires).
   */
  copy(start: number, end: number, numbers: Float64Array, days: readonly Int32Array[]): void;
}

/** A block of entries as a set; its arrays are reused for the next block. */
export type Block = NumberSet;

export const blockSize = 65536;

/** A NumberSet's entries. */
export function entriesOf(set: NumberSet): SortedEntries {
  const columns = [set.until, set.granted, set.expires].filter((c): c is Int32Array => c !== undefined);
  const numbers = set.numbers;
  return {
    length: numbers.length,
    dateColumns: columns.length,
    at: (index) => numbers[index] as number,
    indexOf: (value) => binarySearch(numbers.length, (i) => numbers[i] as number, value),
    copy(start, end, out, days) {
      out.set(numbers.subarray(start, end));
      columns.forEach((column, c) => (days[c] as Int32Array).set(column.subarray(start, end)));
    },
  };
}

/** Either form as entries. */
export function asEntries(set: NumberSet | SortedEntries): SortedEntries {
  return 'numbers' in set ? entriesOf(set) : set;
}

/** The entries of [start, end) in blocks of at most `size`, each a set over reused arrays. */
export function* blocksOf(entries: SortedEntries, size = blockSize, start = 0, end = entries.length): Generator<Block> {
  const length = Math.min(size, Math.max(0, end - start));
  const numbers = new Float64Array(length);
  const days = Array.from({ length: entries.dateColumns }, () => new Int32Array(length));
  for (let at = start; at < end; at += size) {
    const n = Math.min(size, end - at);
    entries.copy(at, at + n, numbers, days);
    yield blockOf(numbers.subarray(0, n), days.map((column) => column.subarray(0, n)));
  }
}

/** A set of numbers and date columns in a NumberSet's order (until, granted, expires). */
export function blockOf(numbers: Float64Array, days: readonly Int32Array[]): Block {
  const [until, granted, expires] = days;
  if (until === undefined) return { numbers };
  return granted === undefined || expires === undefined ? { numbers, until } : { numbers, until, granted, expires };
}

/** The entries as a NumberSet of their own (for the few that are small). */
export function toNumberSet(entries: SortedEntries): NumberSet {
  const numbers = new Float64Array(entries.length);
  const days = Array.from({ length: entries.dateColumns }, () => new Int32Array(entries.length));
  entries.copy(0, entries.length, numbers, days);
  return blockOf(numbers, days);
}

/** The first position at or after `from` whose number is not below `limit`. */
export function lowerBoundOf(entries: SortedEntries, limit: number, from = 0): number {
  let lo = from;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries.at(mid) < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The position of `value` among `length` sorted values read by `at`, or -1. */
export function binarySearch(length: number, at: (index: number) => number, value: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const found = at(mid);
    if (found === value) return mid;
    if (found < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
