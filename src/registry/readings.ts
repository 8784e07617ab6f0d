// The other readings of a listed number. A French national 08/09 (or 07) number may denote a mainland and an
// overseas number at once; a list stores each number once, as published (its primary reading), so that counts,
// digests and coverage are the list's own, and the other readings are added back when a version is loaded for
// matching: a prospect number equal to any reading of a listed number is excluded.

import type { ListKind } from './records.js';
import { anyOverseas, resolveNational } from '../phone/french-plan.js';
import { possibleStarts } from '../phone/prefix-closure.js';
import type { CompactNumbers, CompactSet } from '../numbers/compact.js';
import { asEntries, lowerBoundOf, type SortedEntries } from '../numbers/entries.js';
import { noDate, upperBound, type NumberSet } from '../numbers/set.js';
import { listFloat64, listInt32 } from '../numbers/shared.js';

/** Calling codes of the French plan, as numbers; 508 has 6-digit significant numbers too, which never collide. */
const frenchCodes = [33, 262, 508, 590, 594, 596];

/**
 * The other readings of `value` (E.164 digits as a number) when it is the primary reading of an ambiguous national
 * form (what `normalize('0801234567')` gives as `e164`), else none. Only 9-digit significant numbers starting with
 * 7, 8 or 9 that some overseas plan allocates can be ambiguous.
 */
export function otherReadings(value: number): number[] {
  const nsn = nationalSignificant(value);
  if (nsn === undefined || startsOverseasPlansAllocate()[Math.floor(nsn / 1_000_000)] === 0) return [];
  return readingsOfAllocated(value, nsn);
}

function readingsOfAllocated(value: number, nsn: number): number[] {
  const text = String(nsn);
  if (!anyOverseas().test(text)) return [];
  const resolved = resolveNational(text, true);
  if (typeof resolved === 'string' || resolved.alternates.length === 0 || Number(resolved.digits) !== value) return [];
  return resolved.alternates.map(Number);
}

/** The primary reading whose other readings include `value`, if `value` is such an alternate reading. */
export function primaryReadingOf(value: number): number | undefined {
  const nsn = nationalSignificant(value);
  if (nsn === undefined || startsOverseasPlansAllocate()[Math.floor(nsn / 1_000_000)] === 0) return undefined;
  const text = String(nsn);
  if (!anyOverseas().test(text)) return undefined;
  const resolved = resolveNational(text, true);
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

let overseasStarts: Uint8Array | undefined;

/**
 * For each 3-digit start of a significant number, 1 when some overseas plan allocates numbers that begin so: only
 * those can have other readings, and the numbers of the other starts are skipped a whole start at a time. (Starts
 * of 5 digits would skip more, but take 75 ms to compute, against 1 ms.)
 */
function startsOverseasPlansAllocate(): Uint8Array {
  if (overseasStarts === undefined) {
    overseasStarts = new Uint8Array(1000);
    for (const start of possibleStarts(anyOverseas().source.slice(4, -2), 9, 3)) overseasStarts[Number(start)] = 1;
  }
  return overseasStarts;
}

/**
 * The other readings of the set's numbers, sorted, as a set of their own (each dated like the number it reads).
 * Worked out at import and stored beside the newest version; worked out on loading for the versions without them.
 */
export function otherReadingsOf(set: NumberSet | SortedEntries): NumberSet {
  const entries = asEntries(set);
  const dated = entries.dateColumns > 0;
  const extra: Array<[number, number]> = [];
  const allocated = startsOverseasPlansAllocate();
  const one = new Float64Array(1);
  const day = Array.from({ length: entries.dateColumns }, () => new Int32Array(1));
  for (const code of frenchCodes) {
    const base = code * 1e9;
    const to = lowerBoundOf(entries, base + 1e9, 0);
    let i = lowerBoundOf(entries, base + 700_000_000, 0);
    while (i < to) {
      const value = entries.at(i);
      const start = Math.floor((value - base) / 1_000_000);
      if (allocated[start] === 0) {
        i = lowerBoundOf(entries, base + (start + 1) * 1_000_000, i); // no number of this start has another reading
        continue;
      }
      const readings = readingsOfAllocated(value, value - base);
      if (readings.length > 0) {
        if (dated) entries.copy(i, i + 1, one, day);
        for (const reading of readings) extra.push([reading, dated ? (day[0]?.[0] as number) : noDate]);
      }
      i++;
    }
  }
  extra.sort((a, b) => a[0] - b[0]);
  const result = new Float64Array(extra.length);
  const until = dated ? new Int32Array(extra.length) : undefined;
  extra.forEach(([value, date], k) => {
    result[k] = value;
    if (until !== undefined) until[k] = date;
  });
  return until === undefined ? { numbers: result } : { numbers: result, until };
}

/**
 * The set with the other readings of its numbers added, for matching (`readings` as `otherReadingsOf` gives them,
 * or worked out here). A reading also listed on its own keeps one date: `keep` chooses as for duplicates (the
 * latest expiry for an internal list, the earliest contract end for an exemption).
 */
export function withOtherReadings(set: NumberSet, keep: 'latest' | 'earliest' = 'latest', readings = otherReadingsOf(set)): NumberSet {
  if (readings.numbers.length === 0) return set;
  const extra = Array.from(readings.numbers, (value, k): [number, number] => [value, readings.until?.[k] ?? noDate]);
  return hasRoom(set, extra.length) ? mergeInPlace(set, extra, keep) : merge(set, extra, keep);
}

/**
 * The set a scrub matches a list against. Opposition and internal lists: with the other readings of their ambiguous
 * numbers, so that a prospect written under another reading is still found. Exempt lists: the numbers as published
 * only, since an exemption makes a number callable and a reading is only a guess at which number was meant.
 */
export function matchingSet(set: NumberSet, kind: ListKind, readings?: NumberSet): NumberSet {
  // An exemption or a consent makes a number callable: it is matched only as the list gives it, never on a guess.
  return kind === 'exempt' || kind === 'consent' ? set : withOtherReadings(set, 'latest', readings);
}

/**
 * `matchingSet` of an opposition list kept compact (see CompactNumbers): the other readings are looked up beside its
 * numbers instead of merged into them.
 */
export function matchingCompact(compact: CompactNumbers, readings: NumberSet): CompactSet {
  return { compact, extra: readings.numbers };
}

/** Whether the set's arrays were decoded with room for `more` entries after them (see `decode`). */
function hasRoom(set: NumberSet, more: number): boolean {
  const fits = (array: Float64Array | Int32Array) => array.byteOffset === 0 && array.buffer.byteLength >= (array.length + more) * array.BYTES_PER_ELEMENT;
  return fits(set.numbers) && (set.until === undefined || fits(set.until));
}

/**
 * Merges the sorted `extra` into the set within its own buffers, from the end back: each run of the set's numbers
 * above the next reading moves once (a move within pages already touched), and no new 40 MB array is made.
 */
function mergeInPlace(set: NumberSet, extra: ReadonlyArray<[number, number]>, keep: 'latest' | 'earliest'): NumberSet {
  const n = set.numbers.length;
  const combine = (a: number, b: number) => (keep === 'latest' ? Math.max(a, b) : Math.min(a, b));
  // Readings already in the set only combine their dates; the others are added once each.
  const added: Array<[number, number]> = [];
  for (const [value, day] of extra) {
    const at = upperBound(set.numbers, value, 0);
    if (at < n && set.numbers[at] === value) {
      if (set.until !== undefined) set.until[at] = combine(set.until[at] as number, day);
      continue;
    }
    const last = added[added.length - 1];
    if (last !== undefined && last[0] === value) last[1] = combine(last[1], day);
    else added.push([value, day]);
  }
  const total = n + added.length;
  const numbers = new Float64Array(set.numbers.buffer, 0, total);
  const until = set.until === undefined ? undefined : new Int32Array(set.until.buffer, 0, total);
  let end = n; // the set's entries not yet moved are [0, end)
  for (let j = added.length - 1; j >= 0; j--) {
    const [value, day] = added[j] as [number, number];
    const from = upperBound(numbers.subarray(0, end), value, 0);
    const shift = j + 1; // entries from `from` to `end` move up past this reading and the ones before it
    numbers.copyWithin(from + shift, from, end);
    until?.copyWithin(from + shift, from, end);
    numbers[from + j] = value;
    if (until !== undefined) until[from + j] = day;
    end = from;
  }
  return until === undefined ? { numbers } : { numbers, until };
}

/** `set` with the sorted `extra` entries added: runs of the set are copied whole (a few are added to millions). */
function merge(set: NumberSet, extra: ReadonlyArray<[number, number]>, keep: 'latest' | 'earliest'): NumberSet {
  const a = set.numbers;
  const aDays = set.until;
  const numbers = listFloat64(a.length + extra.length);
  const until = aDays === undefined ? undefined : listInt32(a.length + extra.length);
  let n = 0;
  let i = 0;
  for (const [value, day] of extra) {
    const at = lowerBound(a, value, i);
    numbers.set(a.subarray(i, at), n);
    until?.set((aDays as Int32Array).subarray(i, at), n);
    n += at - i;
    i = at;
    const last = n > 0 ? (numbers[n - 1] as number) : -1;
    if (i < a.length && a[i] === value) continue; // listed on its own too: its own entry comes next, merged below
    if (last === value) {
      // Another reading already added it: the dates combine as duplicates do.
      if (until !== undefined) until[n - 1] = keep === 'latest' ? Math.max(until[n - 1] as number, day) : Math.min(until[n - 1] as number, day);
      continue;
    }
    numbers[n] = value;
    if (until !== undefined) until[n] = day;
    n++;
  }
  numbers.set(a.subarray(i), n);
  until?.set((aDays as Int32Array).subarray(i), n);
  n += a.length - i;
  const out = numbers.subarray(0, n);
  if (until === undefined) return { numbers: out };
  // A reading that is also listed on its own keeps the date `keep` chooses between the two.
  for (const [value, day] of extra) {
    const at = lowerBound(out, value, 0);
    if (out[at] === value) until[at] = keep === 'latest' ? Math.max(until[at] as number, day) : Math.min(until[at] as number, day);
  }
  return { numbers: out, until: until.subarray(0, n) };
}

function lowerBound(numbers: Float64Array, value: number, from: number): number {
  return upperBound(numbers, value, from);
}
