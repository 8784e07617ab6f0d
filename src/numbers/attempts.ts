// Call attempts held in memory: each is a number (an E.164 digit value), an instant in whole seconds since 1970 (UTC),
// how many calls the log records at that instant, and whether the consumer refused. A call log is gathered in blocks
// of 2^20 rows, each sorted by number then instant with native sorts of packed keys (a comparator sort of ten million
// attempts took seconds). Rows of one log at the same number and instant are that many calls (a log written to the
// minute holds several redials in one minute); the same instant in another log, or the same log imported again, is
// the same calls: merging takes the larger count. A refusal by either counts.

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

  /**
   * Adds the first `n` attempts of decoded columns (in order, after those added so far), those later than
   * `sinceSecond` only: one call for a chunk, not one an attempt.
   */
  addColumns(columns: { numbers: Float64Array; seconds: Uint32Array; refusals: Uint8Array; counts: Uint8Array }, n: number, sinceSecond: number): void {
    const { numbers, seconds, refusals, counts } = columns;
    if (this.size + n > this.seconds.length) {
      const length = Math.max(this.size + n, this.size * 2);
      this.seconds = grown(this.seconds, length);
      this.refusals = grown(this.refusals, length);
      this.counts = grown(this.counts, length);
    }
    let groups = this.groups;
    let size = this.size;
    let last = groups === 0 ? NaN : (this.numbers[groups - 1] as number);
    for (let i = 0; i < n; i++) {
      const second = seconds[i] as number;
      if (second <= sinceSecond) continue;
      const value = numbers[i] as number;
      if (value !== last) {
        if (groups === this.numbers.length) {
          this.numbers = grown(this.numbers, groups * 2);
          this.starts = grown(this.starts, groups * 2 + 1);
        }
        this.numbers[groups] = value;
        this.starts[groups] = size;
        groups++;
        last = value;
      }
      this.seconds[size] = second;
      this.refusals[size] = refusals[i] as number;
      this.counts[size] = counts[i] as number;
      size++;
    }
    this.groups = groups;
    this.size = size;
  }

  /**
   * Adds a grouped chunk's arrays whole (numbers once each, with how many attempts follow): copies, not a loop over
   * every attempt. A number that continues the last one added joins its group.
   */
  addGrouped(chunk: { numbers: Float64Array; lengths: Uint16Array; seconds: Uint32Array; countsLessOne: Uint8Array; refusals: Uint8Array }): void {
    const n = chunk.seconds.length;
    if (this.size + n > this.seconds.length) {
      const length = Math.max(this.size + n, this.size * 2);
      this.seconds = grown(this.seconds, length);
      this.refusals = grown(this.refusals, length);
      this.counts = grown(this.counts, length);
    }
    const groups = chunk.numbers.length;
    if (this.groups + groups >= this.numbers.length) {
      const length = Math.max(this.groups + groups + 1, this.groups * 2);
      this.numbers = grown(this.numbers, length);
      this.starts = grown(this.starts, length + 1);
    }
    let start = this.size;
    for (let g = 0; g < groups; g++) {
      const value = chunk.numbers[g] as number;
      if (this.groups === 0 || this.numbers[this.groups - 1] !== value) {
        this.numbers[this.groups] = value;
        this.starts[this.groups] = start;
        this.groups++;
      }
      start += chunk.lengths[g] as number;
    }
    this.seconds.set(chunk.seconds, this.size);
    this.refusals.set(chunk.refusals, this.size);
    const counts = this.counts;
    const from = chunk.countsLessOne;
    for (let i = 0, at = this.size; i < n; i++, at++) counts[at] = (from[i] as number) + 1;
    this.size += n;
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

export const emptyGrouped: GroupedAttempts = Object.freeze({
  numbers: new Float64Array(0),
  starts: new Uint32Array(1),
  seconds: new Uint32Array(0),
  refusals: new Uint8Array(0),
  counts: new Uint8Array(0),
});
