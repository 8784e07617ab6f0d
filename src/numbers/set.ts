// A list version's numbers as a sorted, duplicate-free Float64Array of E.164 digit values (exact below 2^53; E.164
// has at most 15 digits), with an optional parallel date per number, and the binary searches over them.

import { dayToDate } from '../dates.js';

/** Day number (days since 1970-01-01) meaning "no date": an internal entry that never expires. */
export const noDate = 0x7fffffff;

export interface NumberSet {
  readonly numbers: Float64Array;
  /**
   * Day numbers parallel to `numbers`, for lists whose entries carry an end date: an internal entry's expiry, an
   * exemption's contract end, a consent's withdrawal (`noDate`: none).
   */
  readonly until?: Int32Array;
  /** Consent lists: the day each consent was given, and the day it expires (`noDate`: never). */
  readonly granted?: Int32Array;
  readonly expires?: Int32Array;
}

/** The shape of a list's sets: plain numbers (opposition), one date each (internal, exempt), or a consent's three. */
export type SetShape = 'plain' | 'dated' | 'consent';

/** A set with no entry, of the given shape. */
export function emptySetOf(shape: SetShape): NumberSet {
  if (shape === 'plain') return emptySet;
  const dated = { numbers: new Float64Array(0), until: new Int32Array(0) };
  return shape === 'dated' ? dated : { ...dated, granted: new Int32Array(0), expires: new Int32Array(0) };
}

export const emptySet: NumberSet = Object.freeze({ numbers: new Float64Array(0) });

/** An entry's date as written in digests and shown to users: `never` for an entry without one. */
export function formatDay(day: number): string {
  if (day === noDate) return 'never';
  // A digest writes millions of dates, most of them the same few hundred days.
  let text = formatted.get(day);
  if (text === undefined) {
    text = dayToDate(day);
    if (formatted.size < 100_000) formatted.set(day, text);
  }
  return text;
}

const formatted = new Map<number, string>();

/** The position of `value` in the set, or -1 when it is not there. */
export function indexOf(set: NumberSet, value: number): number {
  const numbers = set.numbers;
  let lo = 0;
  let hi = numbers.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = numbers[mid] as number;
    if (at === value) return mid;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The first position at or after `from` whose number is not below `limit`. */
export function upperBound(numbers: Float64Array, limit: number, from: number): number {
  let lo = from;
  let hi = numbers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((numbers[mid] as number) < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
