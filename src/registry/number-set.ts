// A list version's numbers as a sorted, duplicate-free Float64Array of E.164 digit values (exact below 2^53; E.164
// has at most 15 digits), with an optional parallel date per number. Pure functions: sorting, set algebra, the
// compact chunk encoding stored in SQLite, coverage, and the logical digest auditors can recompute with `sort`.

import { createHash } from 'node:crypto';
import { dayToDate } from '../dates.js';

/** Day number (days since 1970-01-01) meaning "no date": an internal entry that never expires. */
export const noDate = 0x7fffffff;

export interface NumberSet {
  readonly numbers: Float64Array;
  /** Day numbers parallel to `numbers`, for lists whose entries carry an end date (internal, exempt). */
  readonly until?: Int32Array;
}

export const emptySet: NumberSet = Object.freeze({ numbers: new Float64Array(0) });

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

export interface SetDiff {
  /** Entries in `next` and not in `previous` (a changed date counts as added and removed). */
  readonly added: NumberSet;
  readonly removed: NumberSet;
}

/**
 * What changes from `previous` to `next`, in one merge over the sorted typed arrays (millions of numbers in a few
 * tens of milliseconds). For dated sets a number whose date changed counts as removed and added.
 */
export function diff(previous: NumberSet, next: NumberSet): SetDiff {
  const p = previous.numbers;
  const q = next.numbers;
  const pDays = previous.until;
  const qDays = next.until;
  const dated = pDays !== undefined || qDays !== undefined;
  if (p.length === 0) return { added: next, removed: dated ? { numbers: new Float64Array(0), until: new Int32Array(0) } : emptySet };
  const added = new Float64Array(q.length);
  const removed = new Float64Array(p.length);
  const addedDays = dated ? new Int32Array(q.length) : undefined;
  const removedDays = dated ? new Int32Array(p.length) : undefined;
  let na = 0;
  let nr = 0;
  let i = 0;
  let j = 0;
  const remove = (k: number): void => {
    if (removedDays !== undefined) removedDays[nr] = pDays?.[k] ?? noDate;
    removed[nr++] = p[k] as number;
  };
  const add = (k: number): void => {
    if (addedDays !== undefined) addedDays[na] = qDays?.[k] ?? noDate;
    added[na++] = q[k] as number;
  };
  while (i < p.length && j < q.length) {
    const a = p[i] as number;
    const b = q[j] as number;
    if (a === b) {
      if (dated && (pDays?.[i] ?? noDate) !== (qDays?.[j] ?? noDate)) {
        remove(i);
        add(j);
      }
      i++;
      j++;
    } else if (a < b) remove(i++);
    else add(j++);
  }
  while (i < p.length) remove(i++);
  while (j < q.length) add(j++);
  const part = (numbers: Float64Array, days: Int32Array | undefined, n: number): NumberSet =>
    days === undefined ? { numbers: numbers.slice(0, n) } : { numbers: numbers.slice(0, n), until: days.slice(0, n) };
  return { added: part(added, addedDays, na), removed: part(removed, removedDays, nr) };
}

/** `base` with `plus` added (its dates win) and `minus` taken away, matching by number. */
export function apply(base: NumberSet, plus: NumberSet, minus: NumberSet): NumberSet {
  const dated = base.until !== undefined || plus.until !== undefined;
  const out = new NumberSetBuilder(dated);
  const b = base.numbers;
  const a = plus.numbers;
  let i = 0;
  let j = 0;
  while (i < b.length || j < a.length) {
    const x = i < b.length ? (b[i] as number) : Infinity;
    const y = j < a.length ? (a[j] as number) : Infinity;
    if (y <= x) {
      out.add(y, plus.until?.[j]);
      j++;
      if (x === y) i++;
    } else {
      if (indexOf(minus, x) < 0) out.add(x, base.until?.[i]);
      i++;
    }
  }
  return out.finishSorted();
}

/** `set` without the numbers of `minus`. */
export function subtract(set: NumberSet, minus: NumberSet): NumberSet {
  return apply(set, emptySet, minus);
}

/** The previous version's set from this one and this version's changes. */
export function undo(set: NumberSet, added: NumberSet, removed: NumberSet): NumberSet {
  return apply(subtract(set, added), removed, emptySet);
}

// ---------------------------------------------------------------------------------------------------------------
// Chunk encoding: numbers as LEB128 varints of their deltas (1 to 2 bytes each for a national list), dates raw.

export const chunkSize = 65536;

export interface Chunk {
  readonly first: number;
  readonly last: number;
  readonly count: number;
  readonly numbers: Buffer;
  readonly until: Buffer | null;
}

export function encode(set: NumberSet): Chunk[] {
  const chunks: Chunk[] = [];
  const numbers = set.numbers;
  const buffer = Buffer.allocUnsafe(chunkSize * 8 + 16);
  for (let start = 0; start < numbers.length; start += chunkSize) {
    const end = Math.min(start + chunkSize, numbers.length);
    let pos = 0;
    let previous = 0;
    for (let i = start; i < end; i++) {
      let delta = (numbers[i] as number) - previous;
      previous = numbers[i] as number;
      while (delta >= 128) {
        buffer[pos++] = (delta % 128) | 128;
        delta = Math.floor(delta / 128);
      }
      buffer[pos++] = delta;
    }
    const until = set.until === undefined ? null : Buffer.from(set.until.slice(start, end).buffer);
    chunks.push({
      first: numbers[start] as number,
      last: numbers[end - 1] as number,
      count: end - start,
      numbers: Buffer.from(buffer.subarray(0, pos)),
      until,
    });
  }
  return chunks;
}

/**
 * The numbers of chunks holding `total` entries. `spare`: room to leave after them in the same buffers, so that a
 * few more can be merged in place (a fresh copy of a 40 MB array costs 100 ms of page faults here).
 */
export function decode(chunks: Iterable<Chunk>, total: number, dated: boolean, spare = 0): NumberSet {
  const numbers = new Float64Array(total + spare).subarray(0, total);
  const until = dated ? new Int32Array(total + spare).subarray(0, total) : undefined;
  let n = 0;
  for (const chunk of chunks) {
    if (n + chunk.count > total) throw new Error('registry chunk counts disagree with the version total');
    decodeInto(chunk, numbers, n);
    if (until !== undefined && chunk.until !== null) {
      until.set(new Int32Array(chunk.until.buffer.slice(chunk.until.byteOffset, chunk.until.byteOffset + chunk.until.length)), n);
    }
    n += chunk.count;
  }
  if (n !== total) throw new Error('registry chunk counts disagree with the version total');
  return until === undefined ? { numbers } : { numbers, until };
}

function decodeInto(chunk: Chunk, out: Float64Array, offset: number): void {
  const bytes = chunk.numbers;
  let pos = 0;
  let value = 0;
  for (let i = 0; i < chunk.count; i++) {
    let delta = 0;
    let scale = 1;
    let byte: number;
    do {
      byte = bytes[pos++] as number;
      delta += (byte & 127) * scale;
      scale *= 128;
    } while (byte >= 128);
    value += delta;
    out[offset + i] = value;
  }
}

/** The single chunk's entries, for looking up one number without decoding a whole version. */
export function decodeChunk(chunk: Chunk): NumberSet {
  return decode([chunk], chunk.count, chunk.until !== null);
}

// ---------------------------------------------------------------------------------------------------------------
// Logical digest: SHA-256 over one line per entry, `+E164` (then a tab and the end date for dated lists) and a
// newline, lines in byte order: what `LC_ALL=C sort -u | sha256sum` gives for the same lines.

export function logicalDigest(set: NumberSet): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const limit = buffer.length - 64;
  let pos = 0;
  const numbers = set.numbers;
  const until = set.until;
  const order = lexicographicOrder(numbers);
  // Neighbours in sorted order share their digits above 10^8: write those once and copy them.
  let cachedHigh = -1;
  const highDigits = new Uint8Array(8);
  let highLength = 0;
  for (let k = 0; k < numbers.length; k++) {
    const i = order === undefined ? k : (order[k] as number);
    if (pos > limit) {
      hash.update(buffer.subarray(0, pos));
      pos = 0;
    }
    buffer[pos++] = 43; // +
    const value = numbers[i] as number;
    const high = Math.floor(value / 1e8);
    if (high === 0) pos = writeDigits(buffer, pos, value);
    else {
      if (high !== cachedHigh) {
        cachedHigh = high;
        highLength = writeDigits(highDigits, 0, high);
      }
      for (let d = 0; d < highLength; d++) buffer[pos++] = highDigits[d] as number;
      pos = writeEightDigits(buffer, pos, value - high * 1e8);
    }
    if (until !== undefined) {
      buffer[pos++] = 9; // tab
      pos += buffer.write(formatDay(until[i] as number), pos, 'latin1');
    }
    buffer[pos++] = 10; // newline
  }
  hash.update(buffer.subarray(0, pos));
  return hash.digest('hex');
}

// "00" to "99" as byte pairs, to write two digits per division.
const digitPairs = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  digitPairs[2 * i] = 48 + Math.floor(i / 10);
  digitPairs[2 * i + 1] = 48 + (i % 10);
}

/** Writes the decimal digits of a non-negative integer below 2^53 at `pos`; returns the position after them. */
export function writeDigits(buffer: Uint8Array, pos: number, value: number): number {
  // Split at 10^8 so that each half is a small integer: the high half has 1 to 8 digits, the low one exactly 8.
  const high = Math.floor(value / 1e8);
  const low = value - high * 1e8;
  return high > 0 ? writeEightDigits(buffer, writeSmall(buffer, pos, high), low) : writeSmall(buffer, pos, low);
}

/** Writes a value below 10^8 as exactly eight digits (leading zeros included), two digits per division. */
function writeEightDigits(buffer: Uint8Array, pos: number, value: number): number {
  let low = value;
  for (let at = pos + 6; at >= pos; at -= 2) {
    const q = (low / 100) | 0;
    const pair = (low - q * 100) * 2;
    buffer[at] = digitPairs[pair] as number;
    buffer[at + 1] = digitPairs[pair + 1] as number;
    low = q;
  }
  return pos + 8;
}

function writeSmall(buffer: Uint8Array, pos: number, value: number): number {
  let length = 1;
  while (length < 8 && value >= (powersOfTen[length] as number)) length++;
  let at = pos + length - 1;
  while (value >= 10) {
    const q = (value / 10) | 0;
    buffer[at--] = 48 + value - q * 10;
    value = q;
  }
  buffer[at] = 48 + value;
  return pos + length;
}

function formatDay(day: number): string {
  return day === noDate ? 'never' : dayToDate(day);
}

/**
 * Indices of a numerically sorted array in byte order of the decimal strings, or undefined when the two orders
 * agree. Numeric order sorts by length first, so the array is a series of runs of equal length, each already in
 * byte order; the runs are merged comparing values left-aligned to 15 digits, the shorter first on a tie (it is
 * then a prefix of the longer one).
 */
export function lexicographicOrder(numbers: Float64Array): Int32Array | undefined {
  const runs: Array<{ at: number; end: number; scale: number; length: number }> = [];
  let start = 0;
  while (start < numbers.length) {
    const length = digitCount(numbers[start] as number);
    const end = upperBound(numbers, powersOfTen[length] as number, start);
    runs.push({ at: start, end, scale: powersOfTen[15 - length] as number, length });
    start = end;
  }
  if (runs.length <= 1) return undefined;
  const order = new Int32Array(numbers.length);
  for (let k = 0; k < order.length; k++) {
    let best = runs[0] as (typeof runs)[number];
    let bestKey = Infinity;
    for (const run of runs) {
      if (run.at >= run.end) continue;
      const key = (numbers[run.at] as number) * run.scale;
      if (key < bestKey || (key === bestKey && run.length < best.length)) {
        best = run;
        bestKey = key;
      }
    }
    order[k] = best.at++;
  }
  return order;
}

const powersOfTen = Array.from({ length: 17 }, (_, i) => 10 ** i);

function digitCount(value: number): number {
  let length = 1;
  while (length < 16 && value >= (powersOfTen[length] as number)) length++;
  return length;
}

// ---------------------------------------------------------------------------------------------------------------
// Coverage: which calling codes (or, for the North American plan, which area codes) a set holds numbers for.

/** Distinct prefixes of the set's numbers, each as long as `prefixLength(value)` says, in one pass of jumps. */
export function distinctPrefixes(numbers: Float64Array, prefixLength: (digits: string) => number): string[] {
  const prefixes: string[] = [];
  let i = 0;
  while (i < numbers.length) {
    const digits = String(numbers[i]);
    const length = prefixLength(digits);
    const prefix = digits.slice(0, length);
    prefixes.push(prefix);
    // Every number of the same length below (prefix + 1) * 10^rest shares the prefix: jump past them.
    const limit = (Number(prefix) + 1) * 10 ** (digits.length - length);
    i = upperBound(numbers, limit, i);
  }
  return [...new Set(prefixes)].sort();
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
