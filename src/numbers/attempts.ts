// Call attempts held in memory: each is a number (an E.164 digit value), an instant in whole seconds since 1970 (UTC),
// how many calls the log records at that instant, and whether the consumer refused. A call log is gathered in blocks
// of 2^20 rows, each sorted by number then instant with native sorts of packed keys (a comparator sort of ten million
// attempts took seconds). Rows of one log at the same number and instant are that many calls (a log written to the
// minute holds several redials in one minute); the same instant in another log, or the same log imported again, is
// the same calls: merging takes the larger count. A refusal by either counts.

import { SortedIndex } from './sorted-index.js';

/** One attempt's refusal flag: 1 when the outcome said the consumer refused. */
export type Refusal = 0 | 1;

/** A run of attempts sorted by number then instant, with no two of the same number and second. */
export interface AttemptRun {
  readonly numbers: Float64Array;
  readonly seconds: Uint32Array;
  readonly refusals: Uint8Array;
  /** Calls at that instant (1 to 255). */
  readonly counts: Uint8Array;
}

/** Calls at one instant are counted up to this: far above any cap. */
export const maxCount = 255;

/**
 * Attempts grouped by number, for lookups: `numbers` is sorted and duplicate-free, and the attempts of
 * `numbers[i]` are `seconds[starts[i]]` to `seconds[starts[i + 1] - 1]`, oldest first, with their refusal flags and
 * their counts of calls.
 */
export interface GroupedAttempts {
  readonly numbers: Float64Array;
  readonly starts: Uint32Array;
  readonly seconds: Uint32Array;
  readonly refusals: Uint8Array;
  readonly counts: Uint8Array;
}

const blockBits = 20;
const blockSize = 1 << blockBits;
const two32 = 4294967296;

/** Gathers attempts in any order; `runs()` gives them as sorted runs (one a block). */
export class AttemptCollector {
  private readonly done: AttemptRun[] = [];
  private numbers = new Float64Array(blockSize);
  private seconds = new Uint32Array(blockSize);
  private refusals = new Uint8Array(blockSize);
  private size = 0;
  private total = 0;

  get count(): number {
    return this.total;
  }

  push(value: number, seconds: number, refusal: boolean): void {
    const i = this.size++;
    this.numbers[i] = value;
    this.seconds[i] = seconds;
    this.refusals[i] = refusal ? 1 : 0;
    this.total++;
    if (this.size === blockSize) this.seal();
  }

  /** The attempts gathered, as sorted runs (rows at the same number and second counted); the collector is empty afterwards. */
  runs(): AttemptRun[] {
    if (this.size > 0) this.seal();
    const runs = this.done.splice(0);
    this.total = 0;
    return runs;
  }

  private seal(): void {
    this.done.push(sortBlock(this.numbers.subarray(0, this.size), this.seconds.subarray(0, this.size), this.refusals.subarray(0, this.size)));
    this.numbers = new Float64Array(blockSize);
    this.seconds = new Uint32Array(blockSize);
    this.refusals = new Uint8Array(blockSize);
    this.size = 0;
  }
}

/**
 * Sorts at most 2^20 rows by number then instant, counting rows at the same number and second as one attempt of that
 * many calls. Each row becomes one exact double: the rank of its number among the block's distinct numbers (20
 * bits), its second (32 bits) and its refusal flag (1 bit), 53 bits in all; two native sorts of doubles do the work.
 */
export function sortBlock(numbers: Float64Array, seconds: Uint32Array, refusals: Uint8Array): AttemptRun {
  const n = numbers.length;
  if (n > blockSize) throw new Error(`a block holds at most ${blockSize} attempts`);
  const distinct = Float64Array.from(numbers).sort();
  let u = 0;
  for (let i = 0; i < n; i++) if (i === 0 || distinct[i] !== distinct[u - 1]) distinct[u++] = distinct[i] as number;
  const unique = distinct.subarray(0, u);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rank = rankOf(unique, numbers[i] as number);
    keys[i] = (rank * two32 + (seconds[i] as number)) * 2 + (refusals[i] as number);
  }
  keys.sort();
  const out = { numbers: new Float64Array(n), seconds: new Uint32Array(n), refusals: new Uint8Array(n), counts: new Uint8Array(n) };
  let m = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i] as number;
    const refusal = key % 2;
    const pair = (key - refusal) / 2;
    const second = pair % two32;
    const value = unique[(pair - second) / two32] as number;
    // Same number and second as the previous: one more call then, refused if either was (a refusal sorts last).
    if (m > 0 && out.numbers[m - 1] === value && out.seconds[m - 1] === second) {
      out.refusals[m - 1] = refusal;
      out.counts[m - 1] = Math.min(maxCount, (out.counts[m - 1] as number) + 1);
      continue;
    }
    out.numbers[m] = value;
    out.seconds[m] = second;
    out.refusals[m] = refusal;
    out.counts[m] = 1;
    m++;
  }
  return { numbers: out.numbers.subarray(0, m), seconds: out.seconds.subarray(0, m), refusals: out.refusals.subarray(0, m), counts: out.counts.subarray(0, m) };
}

function rankOf(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A sorted source of attempts read one at a time: an in-memory run, or stored chunks decoded as they come. */
export interface AttemptCursor {
  /** False once the source is exhausted. */
  readonly valid: boolean;
  readonly value: number;
  readonly second: number;
  readonly refusal: number;
  readonly count: number;
  advance(): void;
}

export class RunCursor implements AttemptCursor {
  private at = 0;
  constructor(private readonly run: AttemptRun) {}
  get valid(): boolean {
    return this.at < this.run.numbers.length;
  }
  get value(): number {
    return this.run.numbers[this.at] as number;
  }
  get second(): number {
    return this.run.seconds[this.at] as number;
  }
  get refusal(): number {
    return this.run.refusals[this.at] as number;
  }
  get count(): number {
    return this.run.counts[this.at] as number;
  }
  advance(): void {
    this.at++;
  }
}

/** What the stored history held of an attempt a merge meets: its refusal flag and count, or undefined. */
export type Held = { readonly refusal: number; readonly count: number } | undefined;

/**
 * Merges sorted cursors into one sorted stream without repeats: `emit` gets each attempt once, refused if any source
 * said so. `old`: the cursor at index 0 is the stored history and the others blocks of one new log, so the count is
 * the larger of the history's and the sum of the blocks' (the log's own repeats add up; the history's are the same
 * calls again), and `held` says what the history held. Without `old`, every cursor is one import of the history:
 * the larger count wins. Sources are few (a block per million rows, or an import each), so a scan finds the smallest.
 */
export function mergeAttempts(
  cursors: readonly AttemptCursor[],
  old: boolean,
  emit: (value: number, second: number, refusal: number, count: number, held: Held) => void,
): void {
  const live = cursors.filter((c) => c.valid);
  while (live.length > 0) {
    let value = Infinity;
    let second = Infinity;
    for (const c of live) {
      const v = c.value;
      if (v < value || (v === value && c.second < second)) {
        value = v;
        second = c.second;
      }
    }
    let refusal = 0;
    let count = 0;
    let held: Held;
    for (let i = live.length - 1; i >= 0; i--) {
      const c = live[i] as AttemptCursor;
      if (c.value !== value || c.second !== second) continue;
      refusal |= c.refusal;
      if (old && c === cursors[0]) held = { refusal: c.refusal, count: c.count };
      else count = old ? count + c.count : Math.max(count, c.count);
      c.advance();
      if (!c.valid) live.splice(i, 1);
    }
    emit(value, second, refusal, Math.min(maxCount, Math.max(count, held?.count ?? 0)), held);
  }
}

/** Builds GroupedAttempts from attempts given in order (number, then instant), without knowing their count first. */
export class GroupedBuilder {
  private numbers: Float64Array;
  private starts: Uint32Array;
  private seconds: Uint32Array;
  private refusals: Uint8Array;
  private counts: Uint8Array;
  private groups = 0;
  private size = 0;

  /** `expected`: how many attempts will come at most, when known (no growing then; numbers start at a fifth of it). */
  constructor(expected = 1024) {
    this.numbers = new Float64Array(Math.max(1024, Math.ceil(expected / 5)));
    this.starts = new Uint32Array(this.numbers.length + 1);
    this.seconds = new Uint32Array(Math.max(expected, 16));
    this.refusals = new Uint8Array(Math.max(expected, 16));
    this.counts = new Uint8Array(Math.max(expected, 16));
  }

  add(value: number, second: number, refusal: number, count: number): void {
    if (this.groups === 0 || this.numbers[this.groups - 1] !== value) {
      if (this.groups === this.numbers.length) {
        this.numbers = grown(this.numbers, this.groups * 2);
        this.starts = grown(this.starts, this.groups * 2 + 1);
      }
      this.numbers[this.groups] = value;
      this.starts[this.groups] = this.size;
      this.groups++;
    }
    if (this.size === this.seconds.length) {
      this.seconds = grown(this.seconds, this.size * 2);
      this.refusals = grown(this.refusals, this.size * 2);
      this.counts = grown(this.counts, this.size * 2);
    }
    this.seconds[this.size] = second;
    this.refusals[this.size] = refusal;
    this.counts[this.size] = count;
    this.size++;
  }

  finish(): GroupedAttempts {
    this.starts[this.groups] = this.size;
    return {
      numbers: this.numbers.subarray(0, this.groups),
      starts: this.starts.subarray(0, this.groups + 1),
      seconds: this.seconds.subarray(0, this.size),
      refusals: this.refusals.subarray(0, this.size),
      counts: this.counts.subarray(0, this.size),
    };
  }
}

function grown<T extends Float64Array | Uint32Array | Uint8Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}

/** One number's attempts: `seconds[start..end)` with their refusal flags and counts, oldest first. */
export interface AttemptsOf {
  readonly seconds: Uint32Array;
  readonly refusals: Uint8Array;
  readonly counts: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/**
 * A history held as parts in number order (the merged history's chunks, viewed where they were read; or one part),
 * a number's attempts possibly running from the end of one part into the next: its lookups and its walk in order.
 */
export class AttemptParts {
  private readonly lasts: Float64Array;
  /** Every part's numbers in one array, found in two memory reads (a binary search over ten thousand parts, then within one, missed the cache at every step), and the part each is in. */
  private readonly index: SortedIndex;
  private readonly partOf: Uint32Array;
  private readonly firstGroup: Uint32Array;

  constructor(readonly parts: readonly GroupedAttempts[]) {
    this.lasts = Float64Array.from(parts, (part) => (part.numbers.length === 0 ? -Infinity : (part.numbers[part.numbers.length - 1] as number)));
    this.firstGroup = new Uint32Array(parts.length + 1);
    parts.forEach((part, p) => (this.firstGroup[p + 1] = (this.firstGroup[p] as number) + part.numbers.length));
    const total = this.firstGroup[parts.length] as number;
    const numbers = new Float64Array(total);
    this.partOf = new Uint32Array(total);
    parts.forEach((part, p) => {
      numbers.set(part.numbers, this.firstGroup[p]);
      this.partOf.fill(p, this.firstGroup[p], this.firstGroup[p + 1]);
    });
    this.index = new SortedIndex(numbers);
  }

  /** Attempts held, and numbers (a number split between two parts counted in each). */
  get attempts(): number {
    return this.parts.reduce((n, part) => n + part.seconds.length, 0);
  }

  /** A number's attempts, or undefined when the history holds none. */
  find(value: number): AttemptsOf | undefined {
    const at = this.index.find(value);
    if (at < 0) return undefined;
    const lo = this.partOf[at] as number;
    const part = this.parts[lo] as GroupedAttempts;
    const g = at - (this.firstGroup[lo] as number);
    const one = { seconds: part.seconds, refusals: part.refusals, counts: part.counts, start: part.starts[g] as number, end: part.starts[g + 1] as number };
    const next = this.parts[lo + 1];
    return next !== undefined && next.numbers[0] === value ? this.joined(lo, one) : one;
  }

  /** Calls `each` for every number in order with all its attempts. */
  forEach(each: (value: number, attempts: AttemptsOf) => void): void {
    this.parts.forEach((part, p) => {
      const groups = part.numbers.length;
      for (let g = 0; g < groups; g++) {
        const value = part.numbers[g] as number;
        // A number continued from the part before was given with it.
        if (g === 0 && p > 0 && this.lasts[p - 1] === value) continue;
        const found = g === groups - 1 ? this.find(value) : undefined;
        each(value, found ?? { seconds: part.seconds, refusals: part.refusals, counts: part.counts, start: part.starts[g] as number, end: part.starts[g + 1] as number });
      }
    });
  }

  /** A number's attempts from the end of part `p` on through the parts that continue it, copied together. */
  private joined(p: number, first: AttemptsOf): AttemptsOf {
    const ranges = [first];
    const value = this.lasts[p] as number;
    for (let q = p + 1; q < this.parts.length && (this.parts[q] as GroupedAttempts).numbers[0] === value; q++) {
      const part = this.parts[q] as GroupedAttempts;
      ranges.push({ seconds: part.seconds, refusals: part.refusals, counts: part.counts, start: 0, end: part.starts[1] as number });
      if (part.numbers.length > 1) break;
    }
    const n = ranges.reduce((sum, r) => sum + r.end - r.start, 0);
    const out = { seconds: new Uint32Array(n), refusals: new Uint8Array(n), counts: new Uint8Array(n), start: 0, end: n };
    let at = 0;
    for (const r of ranges) {
      out.seconds.set(r.seconds.subarray(r.start, r.end), at);
      out.refusals.set(r.refusals.subarray(r.start, r.end), at);
      out.counts.set(r.counts.subarray(r.start, r.end), at);
      at += r.end - r.start;
    }
    return out;
  }
}

