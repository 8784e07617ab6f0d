// Membership in a sorted array of millions of numbers (a list version's, the call history's) in two memory reads.

import { upperBound } from './set.js';

/**
 * Membership in a sorted array of millions of numbers with two memory reads: the numbers are grouped by their high
 * 32 bits (a national list has one or a few groups), and within a group an offset table indexed by the value's
 * distance from the group's smallest number (in buckets of a power of two, about four numbers a bucket) points to
 * the few neighbours to compare. A plain binary search over 40 MB missed the processor's cache at every step and
 * took twice as long.
 */
export class SortedIndex {
  private readonly groups = new Map<number, { min: number; scale: number; offsets: Int32Array; end: number }>();

  constructor(private readonly numbers: Float64Array) {
    let start = 0;
    while (start < numbers.length) {
      const high = Math.floor((numbers[start] as number) / two32);
      const end = upperBound(numbers, (high + 1) * two32, start);
      const min = numbers[start] as number;
      const span = (numbers[end - 1] as number) - min + 1;
      // Buckets of 2^k values, k chosen for about four numbers a bucket.
      let shift = 0;
      while (2 ** shift * ((end - start) / 4) < span) shift++;
      const scale = 2 ** shift;
      const inverse = 1 / scale; // exact: a power of two
      const buckets = Math.ceil(span / scale);
      const offsets = new Int32Array(buckets + 1);
      let bucket = 0;
      offsets[0] = start;
      for (let i = start; i < end; i++) {
        const at = (((numbers[i] as number) - min) * inverse) | 0; // below 2^31: there are fewer buckets than numbers
        while (bucket < at) offsets[++bucket] = i;
      }
      while (bucket < buckets) offsets[++bucket] = end;
      this.groups.set(high, { min, scale, offsets, end });
      start = end;
    }
  }

  /** The position of `value` (its first, when the array holds it more than once), or -1. */
  find(value: number): number {
    const group = this.groups.get(Math.floor(value / two32));
    if (group === undefined || value < group.min) return -1;
    const bucket = Math.floor((value - group.min) / group.scale);
    if (bucket + 1 >= group.offsets.length) return -1;
    const numbers = this.numbers;
    for (let i = group.offsets[bucket] as number, end = group.offsets[bucket + 1] as number; i < end; i++) {
      const at = numbers[i] as number;
      if (at === value) return i;
      if (at > value) return -1;
    }
    return -1;
  }

  has(value: number): boolean {
    return this.find(value) >= 0;
  }

  /** The position of the last number not above `value`, or -1 when all are above it. */
  floor(value: number): number {
    const group = this.groups.get(Math.floor(value / two32));
    if (group === undefined || value < group.min) return firstAbove(this.numbers, value) - 1; // between groups: rare
    const bucket = Math.floor((value - group.min) / group.scale);
    if (bucket + 1 >= group.offsets.length) return group.end - 1;
    const numbers = this.numbers;
    // Every number before the bucket is below `value`, every one after it above.
    const end = group.offsets[bucket + 1] as number;
    let i = group.offsets[bucket] as number;
    while (i < end && (numbers[i] as number) <= value) i++;
    return i - 1;
  }
}

function firstAbove(numbers: Float64Array, value: number): number {
  let lo = 0;
  let hi = numbers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((numbers[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const two32 = 4294967296;
