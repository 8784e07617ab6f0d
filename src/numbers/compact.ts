// A national opposition list kept as the registry stores it: its chunks' delta varints back to back (1 to 2 bytes a
// number, against 8 decoded into a Float64Array and more for its index), with a directory of restart points (each
// chunk's first number, then one every `restartBytes` bytes) built while the chunks are read. A lookup finds the
// last restart not above the number, then decodes the few varints after it.

import { SortedIndex } from './sorted-index.js';
import { sharedBytes, sharedFloat64, sharedUint32 } from './shared.js';

/**
 * A restart point at the first number ending at or after every `restartBytes` of a chunk: a lookup decodes about half
 * that many bytes, and the directory costs 12 bytes per `restartBytes`.
 */
export const restartBytes = 128;

/**
 * Plain typed arrays on shared memory, so that a scrub's worker threads are posted them without a copy; each builds
 * its own `CompactLookup` over them.
 */
export interface CompactNumbers {
  readonly count: number;
  /** The largest number (-1: none). */
  readonly last: number;
  /** Every chunk's varints, in order: a chunk's first is its first number whole, each next one the difference. */
  readonly bytes: Uint8Array;
  /** The number at each restart point, ascending. */
  readonly restarts: Float64Array;
  /** Where the varint after each restart point's number starts in `bytes`. */
  readonly offsets: Uint32Array;
}

/** A list kept compact, and the numbers it holds besides (the other readings of its ambiguous numbers): few. */
export interface CompactSet {
  readonly compact: CompactNumbers;
  readonly extra: Float64Array;
}

export function isCompact(set: object): set is CompactSet {
  return 'compact' in set;
}

/** Gathers a version's chunks, in order, into `CompactNumbers`; `chunks` and `byteLength` as stored: one allocation. */
export class CompactBuilder {
  private readonly bytes: Uint8Array;
  /** The same memory, four bytes at a time: a run of one-byte varints (most of a national list's) is summed so. */
  private readonly words: Uint32Array;
  private readonly restarts: Float64Array;
  private readonly offsets: Uint32Array;
  private used = 0;
  private restartCount = 0;
  private chunksLeft: number;
  private count = 0;
  private last = -1;

  constructor(
    private readonly total: number,
    chunks: number,
    byteLength: number,
  ) {
    // Each chunk starts on a four-byte boundary: the zeros between decode as repeats of a chunk's last number.
    this.bytes = sharedBytes(4 * Math.ceil((byteLength + 3 * chunks) / 4));
    this.words = new Uint32Array(this.bytes.buffer, 0, this.bytes.length / 4);
    const most = Math.ceil(byteLength / restartBytes) + 2 * chunks;
    this.restarts = sharedFloat64(most);
    this.offsets = sharedUint32(most);
    this.chunksLeft = chunks;
  }

  /**
   * Adds a chunk; false when its varints are not `count` numbers above the previous chunk's, from `first` to `last`
   * (a chunk whose checksum matched was written so: this guards against a wrong count or order, not damage).
   */
  add(varints: Uint8Array, count: number, first: number, last: number): boolean {
    const { bytes, words, restarts, offsets } = this;
    const base = this.used;
    const end = base + varints.length;
    if (this.chunksLeft === 0 || count <= 0 || first <= this.last || this.count + count > this.total || end > bytes.length) return false;
    if (this.restartCount + 2 + Math.ceil(varints.length / restartBytes) > restarts.length) return false;
    bytes.set(varints, base);
    let r = this.restartCount;
    let pos = base;
    let value = 0;
    let n = 0;
    let nextRestart = base; // the first restart is the chunk's first number, whole
    while (pos < end) {
      const from = pos;
      if ((pos & 3) === 0 && n > 0) {
        // A run of one-byte varints up to the next restart point, summed four at a time in two 16-bit lanes (at most
        // 2 x 127 a word, `restartBytes / 4` words: no lane overflows).
        const stop = Math.min(nextRestart, end - 3);
        let lanes = 0;
        while (pos < stop) {
          const word = words[pos >>> 2] as number;
          if ((word & 0x80808080) !== 0) break;
          lanes += (word & 0x00ff00ff) + ((word >>> 8) & 0x00ff00ff);
          pos += 4;
        }
        value += (lanes & 0xffff) + (lanes >>> 16);
        n += pos - from;
      }
      if (pos === from) {
        let byte = bytes[pos++] as number;
        let delta = byte;
        if (byte >= 128) {
          delta = byte & 127;
          let scale = 128;
          do {
            if (pos === end) return false;
            byte = bytes[pos++] as number;
            delta += (byte & 127) * scale;
            scale *= 128;
          } while (byte >= 128);
        }
        value += delta;
        n++;
      }
      if (pos >= nextRestart) {
        restarts[r] = value;
        offsets[r] = pos;
        r++;
        nextRestart = pos - ((pos - base) % restartBytes) + restartBytes;
      }
    }
    if (n !== count || value !== last || restarts[this.restartCount] !== first) return false;
    this.restartCount = r;
    this.used = 4 * Math.ceil(end / 4);
    this.chunksLeft--;
    this.count += count;
    this.last = last;
    return true;
  }

  /** The numbers gathered; undefined when they are not the `total` and the `chunks` announced. */
  finish(): CompactNumbers | undefined {
    if (this.count !== this.total || this.chunksLeft !== 0) return undefined;
    return {
      count: this.count,
      last: this.last,
      bytes: this.bytes,
      restarts: this.restarts.subarray(0, this.restartCount),
      offsets: this.offsets.subarray(0, this.restartCount),
    };
  }
}

/** Membership in a `CompactSet`: a bucketed search among the restart points, then a few varints decoded. */
export class CompactLookup {
  private readonly index: SortedIndex;
  private readonly bytes: Uint8Array;
  private readonly restarts: Float64Array;
  private readonly offsets: Uint32Array;
  private readonly last: number;
  private readonly extra: SortedIndex | undefined;

  constructor(set: CompactSet) {
    const compact = set.compact;
    this.index = new SortedIndex(compact.restarts);
    this.bytes = compact.bytes;
    this.restarts = compact.restarts;
    this.offsets = compact.offsets;
    this.last = compact.last;
    this.extra = set.extra.length === 0 ? undefined : new SortedIndex(set.extra);
  }

  has(value: number): boolean {
    return this.holds(value) || (this.extra !== undefined && this.extra.find(value) >= 0);
  }

  private holds(value: number): boolean {
    if (value > this.last) return false;
    const r = this.index.floor(value);
    if (r < 0) return false;
    let at = this.restarts[r] as number;
    if (at === value) return true;
    const bytes = this.bytes;
    let pos = this.offsets[r] as number;
    // Decoding stops at the first number above `value`, at the latest the next restart's. When that is the next
    // chunk's first, its varint is a whole number, not a difference: the sum only overshoots further.
    for (;;) {
      let byte = bytes[pos++] as number;
      let delta = byte;
      if (byte >= 128) {
        delta = byte & 127;
        let scale = 128;
        do {
          byte = bytes[pos++] as number;
          delta += (byte & 127) * scale;
          scale *= 128;
        } while (byte >= 128);
      }
      at += delta;
      if (at >= value) return at === value;
    }
  }
}
