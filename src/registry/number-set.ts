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

/** Appends numbers (and dates) as they are read, growing geometrically; `finish` sorts and deduplicates. */
export class NumberSetBuilder {
  private numbers = new Float64Array(1 << 16);
  private until: Int32Array | undefined;
  length = 0;

  constructor(dated: boolean) {
    if (dated) this.until = new Int32Array(1 << 16);
  }

  add(value: number, day: number = noDate): void {
    if (this.length === this.numbers.length) this.grow();
    this.numbers[this.length] = value;
    if (this.until !== undefined) this.until[this.length] = day;
    this.length++;
  }

  private grow(): void {
    const size = this.numbers.length * 2;
    const numbers = new Float64Array(size);
    numbers.set(this.numbers);
    this.numbers = numbers;
    if (this.until !== undefined) {
      const until = new Int32Array(size);
      until.set(this.until);
      this.until = until;
    }
  }

  /**
   * The sorted set. For dated entries a number listed twice keeps one date: `keep` says which (the latest for an
   * internal list, where a later expiry blocks longer; the earliest for an exemption, which then ends sooner).
   */
  finish(keep: 'latest' | 'earliest' = 'latest'): NumberSet {
    const numbers = this.numbers.subarray(0, this.length);
    if (this.until === undefined) return { numbers: sortUnique(numbers) };
    return sortUniqueDated(numbers, this.until.subarray(0, this.length), keep);
  }
}

function sortUnique(values: Float64Array): Float64Array {
  const sorted = values.slice().sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (n === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i] as number;
  }
  return sorted.slice(0, n);
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

/** Entries are equal when their number and date are. */
function sameEntry(a: NumberSet, i: number, b: NumberSet, j: number): boolean {
  return a.until === undefined || b.until === undefined || a.until[i] === b.until[j];
}

export interface SetDiff {
  /** Entries in `next` and not in `previous` (a changed date counts as added and removed). */
  readonly added: NumberSet;
  readonly removed: NumberSet;
}

/** What changes from `previous` to `next`, by a merge of the two sorted sets. */
export function diff(previous: NumberSet, next: NumberSet): SetDiff {
  const dated = previous.until !== undefined || next.until !== undefined;
  const added = new NumberSetBuilder(dated);
  const removed = new NumberSetBuilder(dated);
  const p = previous.numbers;
  const q = next.numbers;
  let i = 0;
  let j = 0;
  while (i < p.length || j < q.length) {
    const a = i < p.length ? (p[i] as number) : Infinity;
    const b = j < q.length ? (q[j] as number) : Infinity;
    if (a === b) {
      if (!sameEntry(previous, i, next, j)) {
        removed.add(a, previous.until?.[i]);
        added.add(b, next.until?.[j]);
      }
      i++;
      j++;
    } else if (a < b) {
      removed.add(a, previous.until?.[i]);
      i++;
    } else {
      added.add(b, next.until?.[j]);
      j++;
    }
  }
  return { added: added.finish(), removed: removed.finish() };
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
  return out.finish();
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

export function decode(chunks: Iterable<Chunk>, total: number, dated: boolean): NumberSet {
  const numbers = new Float64Array(total);
  const until = dated ? new Int32Array(total) : undefined;
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
  let text = '';
  for (const i of lexicographicOrder(set.numbers)) {
    text += `+${set.numbers[i] as number}`;
    if (set.until !== undefined) text += `\t${formatDay(set.until[i] as number)}`;
    text += '\n';
    if (text.length > 1 << 20) {
      hash.update(text);
      text = '';
    }
  }
  hash.update(text);
  return hash.digest('hex');
}

function formatDay(day: number): string {
  return day === noDate ? 'never' : dayToDate(day);
}

/**
 * Indices of a numerically sorted array in byte order of the decimal strings. Numeric order sorts by length first,
 * so the array is a series of runs of equal length, each already in byte order; the runs are merged by comparing
 * values left-aligned to 15 digits, the shorter string first on a tie (it is a prefix of the longer one).
 */
export function* lexicographicOrder(numbers: Float64Array): Generator<number> {
  const runs: Array<{ at: number; end: number; scale: number; length: number }> = [];
  let start = 0;
  while (start < numbers.length) {
    const length = digitCount(numbers[start] as number);
    const limit = 10 ** length;
    let end = start;
    while (end < numbers.length && (numbers[end] as number) < limit) end++;
    runs.push({ at: start, end, scale: 10 ** (15 - length), length });
    start = end;
  }
  if (runs.length === 1) {
    for (let i = 0; i < numbers.length; i++) yield i;
    return;
  }
  for (;;) {
    let best: (typeof runs)[number] | undefined;
    let bestKey = Infinity;
    for (const run of runs) {
      if (run.at >= run.end) continue;
      const key = (numbers[run.at] as number) * run.scale;
      if (key < bestKey || (key === bestKey && best !== undefined && run.length < best.length)) {
        best = run;
        bestKey = key;
      }
    }
    if (best === undefined) return;
    yield best.at++;
  }
}

function digitCount(value: number): number {
  let length = 1;
  while (value >= 10 ** length) length++;
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

function upperBound(numbers: Float64Array, limit: number, from: number): number {
  let lo = from;
  let hi = numbers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((numbers[mid] as number) < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
