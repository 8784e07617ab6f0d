// Coverage: which calling codes (or, for the North American plan, which area codes) a set holds numbers for, and
// those prefixes as value ranges a number can be tested against.

import { entriesOf, lowerBoundOf, type SortedEntries } from './entries.js';

/** Distinct prefixes of the set's numbers, each as long as `prefixLength(value)` says, in one pass of jumps. */
export function distinctPrefixes(set: Float64Array | SortedEntries, prefixLength: (digits: string) => number): string[] {
  const entries = set instanceof Float64Array ? entriesOf({ numbers: set }) : set;
  const prefixes: string[] = [];
  let i = 0;
  while (i < entries.length) {
    const digits = String(entries.at(i));
    const length = prefixLength(digits);
    const prefix = digits.slice(0, length);
    prefixes.push(prefix);
    // Every number of the same length below (prefix + 1) * 10^rest shares the prefix: jump past them.
    const limit = (Number(prefix) + 1) * 10 ** (digits.length - length);
    i = lowerBoundOf(entries, limit, i);
  }
  return [...new Set(prefixes)].sort();
}

/**
 * Coverage prefixes (E.164 digits: a calling code, or 1 + an area code) as value ranges: prefix P covers the
 * numbers of each length n from P * 10^(n - |P|) to (P + 1) * 10^(n - |P|). E.164 numbers have 7 to 15 digits.
 */
export function coverageRanges(prefixes: readonly string[]): Float64Array {
  const ranges: Array<[number, number]> = [];
  for (const prefix of new Set(prefixes)) {
    for (let length = Math.max(7, prefix.length + 1); length <= 15; length++) {
      const scale = 10 ** (length - prefix.length);
      ranges.push([Number(prefix) * scale, (Number(prefix) + 1) * scale]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  return Float64Array.from(ranges.flat());
}

/** Whether a value falls in one of the ranges (sorted by start; a few dozen: a linear scan). */
export function covered(ranges: Float64Array, value: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) {
    if (value < (ranges[i] as number)) return false;
    if (value < (ranges[i + 1] as number)) return true;
  }
  return false;
}
