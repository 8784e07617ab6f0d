// The other readings of a listed number. A French national 08/09 (or 07) number may denote a mainland and an
// overseas number at once; a list stores each number once, as published (its primary reading), so that counts,
// digests and coverage are the list's own, and the other readings are added back when a version is loaded for
// matching: a prospect number equal to any reading of a listed number is excluded.

import { lenientNationalValue, resolveNational } from '../phone/french-plan.js';
import { noDate, upperBound, type NumberSet } from './number-set.js';

/** Calling codes of the French plan, as numbers; 508 has 6-digit significant numbers too, which never collide. */
const frenchCodes = [33, 262, 508, 590, 594, 596];
const national = Buffer.alloc(10);

/**
 * The other readings of `value` (E.164 digits as a number) when it is the primary reading of an ambiguous national
 * form (what `normalize('0801234567')` gives as `e164`), else none. Only 9-digit significant numbers starting with
 * 7, 8 or 9 can be ambiguous.
 */
export function otherReadings(value: number): number[] {
  const nsn = nationalSignificant(value);
  if (nsn === undefined) return [];
  // The import's shortcut gives a value for every national number that has a single reading: skip those cheaply.
  national[0] = 48;
  let rest = nsn;
  for (let i = 9; i >= 1; i--) {
    national[i] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  if (lenientNationalValue(national, 0) >= 0) return [];
  const resolved = resolveNational(String(nsn), true);
  if (typeof resolved === 'string' || resolved.alternates.length === 0 || Number(resolved.digits) !== value) return [];
  return resolved.alternates.map(Number);
}

/** The primary reading whose other readings include `value`, if `value` is such an alternate reading. */
export function primaryReadingOf(value: number): number | undefined {
  const nsn = nationalSignificant(value);
  if (nsn === undefined) return undefined;
  const resolved = resolveNational(String(nsn), true);
  if (typeof resolved === 'string' || !resolved.alternates.includes(String(value))) return undefined;
  return Number(resolved.digits);
}

function nationalSignificant(value: number): number | undefined {
  for (const code of frenchCodes) {
    const base = code * 1e9;
    const nsn = value - base;
    if (nsn >= 700_000_000 && nsn <= 999_999_999) return nsn;
  }
  return undefined;
}

/**
 * The set with the other readings of each of its numbers added, for matching. A dated reading takes the date of the
 * number it reads; when it is also listed on its own, `keep` chooses between the two dates as duplicates do (the
 * latest expiry for an internal list, the earliest contract end for an exemption).
 */
export function withOtherReadings(set: NumberSet, keep: 'latest' | 'earliest' = 'latest'): NumberSet {
  const numbers = set.numbers;
  const extra: Array<[number, number]> = [];
  for (const code of frenchCodes) {
    const from = upperBound(numbers, code * 1e9 + 700_000_000, 0);
    const to = upperBound(numbers, code * 1e9 + 1e9, from);
    for (let i = from; i < to; i++) {
      const readings = otherReadings(numbers[i] as number);
      for (const reading of readings) extra.push([reading, set.until?.[i] ?? noDate]);
    }
  }
  if (extra.length === 0) return set;
  extra.sort((a, b) => a[0] - b[0]);
  return merge(set, extra, keep);
}

function merge(set: NumberSet, extra: ReadonlyArray<[number, number]>, keep: 'latest' | 'earliest'): NumberSet {
  const a = set.numbers;
  const aDays = set.until;
  const numbers = new Float64Array(a.length + extra.length);
  const until = aDays === undefined ? undefined : new Int32Array(a.length + extra.length);
  let n = 0;
  const put = (value: number, day: number): void => {
    if (n > 0 && numbers[n - 1] === value) {
      if (until !== undefined) {
        const previous = until[n - 1] as number;
        until[n - 1] = keep === 'latest' ? Math.max(previous, day) : Math.min(previous, day);
      }
      return;
    }
    numbers[n] = value;
    if (until !== undefined) until[n] = day;
    n++;
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < extra.length) {
    const x = i < a.length ? (a[i] as number) : Infinity;
    const y = j < extra.length ? (extra[j] as [number, number])[0] : Infinity;
    if (x <= y) {
      put(x, aDays?.[i] ?? noDate);
      i++;
    } else {
      put(y, (extra[j] as [number, number])[1]);
      j++;
    }
  }
  const out = numbers.subarray(0, n);
  return until === undefined ? { numbers: out } : { numbers: out, until: until.subarray(0, n) };
}
