// The compact encoding call attempts are stored in: chunks of attempts sorted by number then instant,
// each one blob holding the numbers as LEB128 varints of their deltas (0 for another attempt of the same number),
// the instants as varints of their distance from the chunk's earliest, the counts of calls less one (a byte each, 0
// nearly always), then one refusal bit an attempt (the compact layout), or as raw arrays (the grouped layout). About five bytes an attempt; each chunk has a checksum of
// its place and content.

import { createHash } from 'node:crypto';
import type { AttemptCursor, GroupedAttempts } from './attempts.js';

/** Attempts in a chunk an import keeps; the merged history's are smaller (see CallHistory). */
export const attemptChunkSize = 65536;

export interface AttemptChunk {
  readonly count: number;
  readonly first: number;
  readonly last: number;
  readonly minSecond: number;
  readonly maxSecond: number;
  readonly data: Buffer;
}

/**
 * How a chunk's blob lays its attempts out, said by its first byte: `compact` (varints, about five bytes an attempt:
 * what imports keep) or `grouped` (raw little-endian arrays, the numbers once each with how many attempts follow,
 * about eight bytes an attempt: what the merged history keeps, so that a scrub copies arrays instead of decoding ten
 * million varints).
 */
export type ChunkLayout = 'compact' | 'grouped';
const compactTag = 1;
const groupedTag = 2;
/** The grouped layout's header: its tag, padding to 8 bytes, then the counts of numbers and attempts. */
const groupedHeader = 16;

/** Encodes attempts given in order into chunks, handing each to `onChunk` as it fills. */
export class AttemptChunkWriter {
  private readonly numbers: Float64Array;
  private readonly seconds: Uint32Array;
  private readonly refusals: Uint8Array;
  private readonly counts: Uint8Array;
  private readonly buffer: Buffer;
  private size = 0;
  written = 0;

  constructor(
    private readonly onChunk: (chunk: AttemptChunk) => void,
    private readonly chunkSize = attemptChunkSize,
    private readonly layout: ChunkLayout = 'compact',
  ) {
    this.numbers = new Float64Array(chunkSize);
    this.seconds = new Uint32Array(chunkSize);
    this.refusals = new Uint8Array(chunkSize);
    this.counts = new Uint8Array(chunkSize);
    this.buffer = Buffer.allocUnsafe(chunkSize * 16 + groupedHeader);
  }

  add(value: number, second: number, refusal: number, count: number): void {
    const i = this.size++;
    this.numbers[i] = value;
    this.seconds[i] = second;
    this.refusals[i] = refusal;
    this.counts[i] = count;
    if (this.size === this.chunkSize) this.flush();
  }

  /** Writes what is left; the writer may go on afterwards. */
  flush(): void {
    const n = this.size;
    if (n === 0) return;
    let minSecond = Infinity;
    let maxSecond = 0;
    for (let i = 0; i < n; i++) {
      const s = this.seconds[i] as number;
      if (s < minSecond) minSecond = s;
      if (s > maxSecond) maxSecond = s;
    }
    const length = this.layout === 'grouped' ? this.grouped(n) : this.compact(n, minSecond);
    this.onChunk({ count: n, first: this.numbers[0] as number, last: this.numbers[n - 1] as number, minSecond, maxSecond, data: Buffer.from(this.buffer.subarray(0, length)) });
    this.written += n;
    this.size = 0;
  }

  private compact(n: number, minSecond: number): number {
    const buffer = this.buffer;
    let pos = 0;
    buffer[pos++] = compactTag;
    let previous = 0;
    for (let i = 0; i < n; i++) {
      pos = writeVarint(buffer, pos, (this.numbers[i] as number) - previous);
      previous = this.numbers[i] as number;
    }
    for (let i = 0; i < n; i++) pos = writeVarint(buffer, pos, (this.seconds[i] as number) - minSecond);
    for (let i = 0; i < n; i++) buffer[pos++] = (this.counts[i] as number) - 1;
    const bits = Math.ceil(n / 8);
    buffer.fill(0, pos, pos + bits);
    for (let i = 0; i < n; i++) if (this.refusals[i] === 1) buffer[pos + (i >> 3)] = (buffer[pos + (i >> 3)] as number) | (1 << (i & 7));
    return pos + bits;
  }

  /** Tag, padding, groups (u32), attempts (u32); numbers (f64 each); seconds (u32); attempts a group (u16); counts; refusals. */
  private grouped(n: number): number {
    const buffer = this.buffer;
    let groups = 0;
    for (let i = 0; i < n; i++) if (i === 0 || this.numbers[i] !== this.numbers[i - 1]) groups++;
    buffer.fill(0, 0, groupedHeader);
    buffer[0] = groupedTag;
    buffer.writeUInt32LE(groups, 8);
    buffer.writeUInt32LE(n, 12);
    let numbersAt = groupedHeader;
    const lengthsAt = groupedHeader + 8 * groups + 4 * n;
    let g = -1;
    for (let i = 0; i < n; i++) {
      if (i === 0 || this.numbers[i] !== this.numbers[i - 1]) {
        g++;
        buffer.writeDoubleLE(this.numbers[i] as number, numbersAt);
        numbersAt += 8;
        buffer.writeUInt16LE(0, lengthsAt + 2 * g);
      }
      buffer.writeUInt16LE(buffer.readUInt16LE(lengthsAt + 2 * g) + 1, lengthsAt + 2 * g);
      buffer.writeUInt32LE(this.seconds[i] as number, groupedHeader + 8 * groups + 4 * i);
    }
    const countsAt = lengthsAt + 2 * groups;
    for (let i = 0; i < n; i++) {
      buffer[countsAt + i] = this.counts[i] as number;
      buffer[countsAt + n + i] = this.refusals[i] as number;
    }
    return countsAt + 2 * n;
  }
}

/**
 * A grouped chunk's attempts as arrays viewed over its blob (over an aligned copy when the blob is not aligned), in
 * the shape of GroupedAttempts: the numbers once each, `starts` where each one's attempts begin.
 */
export function groupedView(chunk: AttemptChunk): GroupedAttempts | undefined {
  const data = chunk.data;
  if (data[0] !== groupedTag) return undefined;
  // The arrays are viewed in the machine's order, written little-endian: every platform Node runs on here.
  if (!littleEndian) throw new Error('grouped attempt chunks are read on little-endian machines only');
  if (data.length < groupedHeader) throw new Error('grouped attempt chunk of the wrong size');
  const groups = data.readUInt32LE(8);
  const n = data.readUInt32LE(12);
  if (n !== chunk.count || data.length !== groupedHeader + 8 * groups + 4 * n + 2 * groups + 2 * n) throw new Error('grouped attempt chunk has the wrong length');
  // A blob of its own (most: over Node's pooling size) is viewed where it is; a pooled one is copied first.
  const aligned = data.byteOffset % 8 === 0 ? data : Buffer.from(new Uint8Array(data));
  const buffer = aligned.buffer;
  const at = aligned.byteOffset;
  const secondsAt = at + groupedHeader + 8 * groups;
  const lengths = new Uint16Array(buffer, secondsAt + 4 * n, groups);
  const starts = new Uint32Array(groups + 1);
  for (let g = 0; g < groups; g++) starts[g + 1] = (starts[g] as number) + (lengths[g] as number);
  const view: GroupedAttempts = {
    numbers: new Float64Array(buffer, at + groupedHeader, groups),
    starts,
    seconds: new Uint32Array(buffer, secondsAt, n),
    counts: new Uint8Array(buffer, secondsAt + 4 * n + 2 * groups, n),
    refusals: new Uint8Array(buffer, secondsAt + 4 * n + 2 * groups + n, n),
  };
  if (starts[groups] !== n || (groups > 0 && (view.numbers[0] !== chunk.first || view.numbers[groups - 1] !== chunk.last))) throw new Error('grouped attempt chunk disagrees with itself');
  return view;
}

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Reads `n` varints from `pos` into `out`: each added to the one before (`running`, the numbers' deltas) or to
 * `base` (the seconds). A value's last byte is below 128; most are one byte. The position after them.
 */
function readVarints(bytes: Buffer, pos: number, out: Float64Array | Uint32Array, n: number, running: boolean, base: number): number {
  let at = pos;
  let value = base;
  for (let i = 0; i < n; i++) {
    let byte = bytes[at++] as number;
    let delta = byte & 127;
    for (let scale = 128; byte >= 128; scale *= 128) {
      byte = bytes[at++] as number;
      delta += (byte & 127) * scale;
    }
    out[i] = running ? (value += delta) : base + delta;
  }
  return at;
}

function writeVarint(buffer: Buffer, pos: number, value: number): number {
  let v = value;
  while (v >= 128) {
    buffer[pos++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  buffer[pos++] = v;
  return pos;
}

/** A chunk's attempts as arrays. */
export interface AttemptColumns {
  readonly numbers: Float64Array;
  readonly seconds: Uint32Array;
  readonly refusals: Uint8Array;
  readonly counts: Uint8Array;
}

/** A chunk's attempts; throws when the blob does not hold what it says. */
export function decodeColumns(chunk: AttemptChunk): AttemptColumns {
  const n = chunk.count;
  return decodeColumnsInto(chunk, { numbers: new Float64Array(n), seconds: new Uint32Array(n), refusals: new Uint8Array(n), counts: new Uint8Array(n) });
}

/** A chunk's attempts, into the first `chunk.count` places of `into`'s arrays (which it returns). */
function decodeColumnsInto(chunk: AttemptChunk, into: AttemptColumns): AttemptColumns {
  const n = chunk.count;
  if (n > into.numbers.length) throw new Error('attempt chunk larger than its arrays');
  const { numbers, seconds, refusals, counts } = into;
  const grouped = groupedView(chunk);
  if (grouped !== undefined) {
    grouped.numbers.forEach((value, g) => numbers.fill(value, grouped.starts[g] as number, grouped.starts[g + 1] as number));
    seconds.set(grouped.seconds);
    refusals.set(grouped.refusals);
    counts.set(grouped.counts);
    return into;
  }
  const bytes = chunk.data;
  if (bytes[0] !== compactTag) throw new Error('attempt chunk of an unknown layout');
  const length = bytes.length;
  let pos = readVarints(bytes, 1, numbers, n, true, 0);
  pos = readVarints(bytes, pos, seconds, n, false, chunk.minSecond);
  for (let i = 0; i < n; i++) {
    const byte = bytes[pos++] as number;
    if (byte >= 255) throw new Error('attempt chunk holds a count over 255');
    counts[i] = byte + 1;
  }
  if (pos > length) throw new Error('attempt chunk ends early');
  const bits = Math.ceil(n / 8);
  if (pos + bits !== bytes.length) throw new Error('attempt chunk has the wrong length');
  for (let i = 0; i < n; i++) refusals[i] = ((bytes[pos + (i >> 3)] as number) >> (i & 7)) & 1;
  if (n > 0 && (numbers[0] !== chunk.first || numbers[n - 1] !== chunk.last)) throw new Error('attempt chunk bounds disagree with its numbers');
  return into;
}

/** SHA-256 of a chunk: where it sits (`scope`, position) and what it holds. */
export function attemptChunkChecksum(scope: string, seq: number, chunk: AttemptChunk): Buffer {
  const hash = createHash('sha256');
  hash.update(`${scope} ${seq} ${chunk.count} ${chunk.first} ${chunk.last} ${chunk.minSecond} ${chunk.maxSecond}\n`);
  hash.update(chunk.data);
  return hash.digest();
}

/** A cursor over stored chunks, decoding one at a time (a merge never holds a whole stored history). */
export class ChunkCursor implements AttemptCursor {
  private columns: AttemptColumns | undefined;
  private at = 0;

  constructor(private readonly chunks: Iterator<AttemptChunk>) {
    this.load();
  }

  private load(): void {
    this.columns = undefined;
    this.at = 0;
    for (let next = this.chunks.next(); !next.done; next = this.chunks.next()) {
      if (next.value.count === 0) continue;
      this.columns = decodeColumns(next.value);
      return;
    }
  }

  get valid(): boolean {
    return this.columns !== undefined;
  }
  get value(): number {
    return this.columns?.numbers[this.at] as number;
  }
  get second(): number {
    return this.columns?.seconds[this.at] as number;
  }
  get refusal(): number {
    return this.columns?.refusals[this.at] as number;
  }
  get count(): number {
    return this.columns?.counts[this.at] as number;
  }
  advance(): void {
    if (this.columns !== undefined && ++this.at >= this.columns.numbers.length) this.load();
  }
}
