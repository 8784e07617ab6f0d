// The compact encoding call attempts are stored in: chunks of attempts sorted by number then instant,
// each one blob holding the numbers as LEB128 varints of their deltas (0 for another attempt of the same number),
// the instants as varints of their distance from the chunk's earliest, the counts of calls less one (a byte each, 0
// nearly always), then one refusal bit an attempt. About five bytes an attempt; each chunk has a checksum of
// its place and content.

import { createHash } from 'node:crypto';
import type { AttemptCursor } from './attempts.js';

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
  ) {
    this.numbers = new Float64Array(chunkSize);
    this.seconds = new Uint32Array(chunkSize);
    this.refusals = new Uint8Array(chunkSize);
    this.counts = new Uint8Array(chunkSize);
    this.buffer = Buffer.allocUnsafe(chunkSize * 16 + 16);
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
    const buffer = this.buffer;
    let pos = 0;
    let previous = 0;
    let minSecond = Infinity;
    let maxSecond = 0;
    for (let i = 0; i < n; i++) {
      pos = writeVarint(buffer, pos, (this.numbers[i] as number) - previous);
      previous = this.numbers[i] as number;
      const s = this.seconds[i] as number;
      if (s < minSecond) minSecond = s;
      if (s > maxSecond) maxSecond = s;
    }
    for (let i = 0; i < n; i++) pos = writeVarint(buffer, pos, (this.seconds[i] as number) - minSecond);
    for (let i = 0; i < n; i++) buffer[pos++] = (this.counts[i] as number) - 1;
    const bits = Math.ceil(n / 8);
    buffer.fill(0, pos, pos + bits);
    for (let i = 0; i < n; i++) if (this.refusals[i] === 1) buffer[pos + (i >> 3)] = (buffer[pos + (i >> 3)] as number) | (1 << (i & 7));
    pos += bits;
    this.onChunk({ count: n, first: this.numbers[0] as number, last: this.numbers[n - 1] as number, minSecond, maxSecond, data: Buffer.from(buffer.subarray(0, pos)) });
    this.written += n;
    this.size = 0;
  }
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
  const bytes = chunk.data;
  const numbers = new Float64Array(n);
  const seconds = new Uint32Array(n);
  const refusals = new Uint8Array(n);
  const counts = new Uint8Array(n);
  const length = bytes.length;
  let pos = 0;
  // The varints read inline (a closure per value cost a third of a scrub's loading of ten million attempts); a
  // value's last byte is below 128, most values are one byte.
  let value = 0;
  for (let i = 0; i < n; i++) {
    let byte = bytes[pos++] as number;
    let delta = byte & 127;
    for (let scale = 128; byte >= 128; scale *= 128) {
      byte = bytes[pos++] as number;
      delta += (byte & 127) * scale;
    }
    value += delta;
    numbers[i] = value;
  }
  const minSecond = chunk.minSecond;
  for (let i = 0; i < n; i++) {
    let byte = bytes[pos++] as number;
    let delta = byte & 127;
    for (let scale = 128; byte >= 128; scale *= 128) {
      byte = bytes[pos++] as number;
      delta += (byte & 127) * scale;
    }
    seconds[i] = minSecond + delta;
  }
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
  return { numbers, seconds, refusals, counts };
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
