// The logical digest of a set: SHA-256 over one line per entry, `+E164` (then a tab and the end date for dated
// lists; for a consent list, the grant, withdrawal and expiry dates, each after a tab) and a newline, lines in byte
// order: what `LC_ALL=C sort -u | sha256sum` gives for the same lines. Read a block at a time, so that a packed set
// is digested without an 8-byte array of its numbers, nor a 4-byte array of their byte order.

import { createHash, type Hash } from 'node:crypto';
import { asEntries, blocksOf, lowerBoundOf, type Block, type SortedEntries } from './entries.js';
import { digitCount, powersOfTen, writeDigits, writeEightDigits } from './decimal.js';
import { formatDay, type NumberSet } from './set.js';

export function logicalDigest(set: NumberSet | SortedEntries): string {
  const entries = asEntries(set);
  const lines = new DigestLines(createHash('sha256'));
  // Numeric order sorts by length first: the set is a run of numbers per length, each in byte order already.
  const runs: Array<{ start: number; end: number; length: number }> = [];
  for (let start = 0; start < entries.length; ) {
    const length = digitCount(entries.at(start));
    const end = lowerBoundOf(entries, powersOfTen[length] as number, start);
    runs.push({ start, end, length });
    start = end;
  }
  if (runs.length <= 1) {
    for (const block of blocksOf(entries)) for (let i = 0; i < block.numbers.length; i++) lines.write(block, i);
  } else {
    mergeRuns(entries, runs, lines);
  }
  return lines.digest();
}

/**
 * Writes the runs' lines in byte order: each run's next number, left-aligned to 15 digits, is its key; the smallest
 * key goes first, the shorter number on a tie (it is then a prefix of the longer one).
 */
function mergeRuns(entries: SortedEntries, runs: ReadonlyArray<{ start: number; end: number; length: number }>, lines: DigestLines): void {
  const cursors = runs.map((run) => {
    const blocks = blocksOf(entries, 4096, run.start, run.end);
    const first = blocks.next().value as Block;
    return { blocks, block: first, i: 0, scale: powersOfTen[15 - run.length] as number, key: (first.numbers[0] as number) * (powersOfTen[15 - run.length] as number) };
  });
  let live = cursors.slice();
  while (live.length > 0) {
    // The run with the smallest key writes until its key passes the next smallest (runs are in increasing length:
    // on a tie the earlier, shorter one goes first); a run often writes a whole stretch at once (+262... before +33...).
    let best = live[0] as (typeof cursors)[number];
    let bound = Infinity;
    let boundIsLater = true;
    for (let c = 1; c < live.length; c++) {
      const cursor = live[c] as (typeof cursors)[number];
      if (cursor.key < best.key) {
        bound = best.key;
        boundIsLater = false;
        best = cursor;
      } else if (cursor.key < bound) {
        bound = cursor.key;
        boundIsLater = true;
      }
    }
    let exhausted = false;
    for (;;) {
      const numbers = best.block.numbers;
      let i = best.i;
      for (; i < numbers.length; i++) {
        const key = (numbers[i] as number) * best.scale;
        if (key > bound || (key === bound && !boundIsLater)) break;
        lines.write(best.block, i);
      }
      best.i = i;
      if (i < numbers.length) break;
      const next = best.blocks.next();
      if (next.done === true) {
        exhausted = true;
        break;
      }
      best.block = next.value;
      best.i = 0;
    }
    if (exhausted) live = live.filter((cursor) => cursor !== best);
    else best.key = (best.block.numbers[best.i] as number) * best.scale;
  }
}

/** Lines written into a buffer that is hashed as it fills. */
class DigestLines {
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private readonly limit = this.buffer.length - 64;
  private pos = 0;
  // Neighbours in sorted order share their digits above 10^8: written once and copied.
  private cachedHigh = -1;
  private readonly highDigits = new Uint8Array(8);
  private highLength = 0;

  constructor(private readonly hash: Hash) {}

  write(block: Block, i: number): void {
    const buffer = this.buffer;
    if (this.pos > this.limit) {
      this.hash.update(buffer.subarray(0, this.pos));
      this.pos = 0;
    }
    let pos = this.pos;
    buffer[pos++] = 43; // +
    const value = block.numbers[i] as number;
    const high = Math.floor(value / 1e8);
    if (high === 0) pos = writeDigits(buffer, pos, value);
    else {
      if (high !== this.cachedHigh) {
        this.cachedHigh = high;
        this.highLength = writeDigits(this.highDigits, 0, high);
      }
      for (let d = 0; d < this.highLength; d++) buffer[pos++] = this.highDigits[d] as number;
      pos = writeEightDigits(buffer, pos, value - high * 1e8);
    }
    if (block.until !== undefined) {
      // A consent's dates are written grant first.
      const columns = block.granted === undefined || block.expires === undefined ? [block.until] : [block.granted, block.until, block.expires];
      for (const column of columns) {
        buffer[pos++] = 9; // tab
        pos += buffer.write(formatDay(column[i] as number), pos, 'latin1');
      }
    }
    buffer[pos++] = 10; // newline
    this.pos = pos;
  }

  digest(): string {
    this.hash.update(this.buffer.subarray(0, this.pos));
    return this.hash.digest('hex');
  }
}
