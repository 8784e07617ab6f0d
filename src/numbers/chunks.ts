// The compact encoding a number set is stored in: chunks of numbers as LEB128 varints of their deltas (1 to 2
// bytes each for a national list), dates raw, each chunk with a checksum of its place and content. The dates blob
// (column `until`) holds one Int32 day a number, or for a consent list three: the withdrawal days, then the grant
// days, then the expiry days.

import { createHash } from 'node:crypto';
import { blocksOf, entriesOf, type SortedEntries } from './entries.js';
import type { NumberSet, SetShape } from './set.js';
import { listFloat64, listInt32 } from './shared.js';

export const chunkSize = 65536;

export interface Chunk {
  readonly first: number;
  readonly last: number;
  readonly count: number;
  readonly numbers: Buffer;
  readonly until: Buffer | null;
}

export function encode(set: NumberSet): Chunk[] {
  return [...encodeEntries(entriesOf(set))];
}

/** The entries' chunks, encoded one at a time as they are asked for: a whole list's chunks are never held at once. */
export function* encodeEntries(entries: SortedEntries): Generator<Chunk> {
  const buffer = Buffer.allocUnsafe(chunkSize * 8 + 16);
  for (const block of blocksOf(entries, chunkSize)) {
    const numbers = block.numbers;
    let pos = 0;
    let previous = 0;
    for (let i = 0; i < numbers.length; i++) {
      const value = numbers[i] as number;
      let delta = value - previous;
      previous = value;
      // Deltas below 2^31 (all but a list's first number, nearly always) take the integer path.
      if (delta < 2147483648) {
        while (delta >= 128) {
          buffer[pos++] = (delta & 127) | 128;
          delta >>>= 7;
        }
      } else {
        while (delta >= 128) {
          buffer[pos++] = (delta % 128) | 128;
          delta = Math.floor(delta / 128);
        }
      }
      buffer[pos++] = delta;
    }
    yield {
      first: numbers[0] as number,
      last: numbers[numbers.length - 1] as number,
      count: numbers.length,
      numbers: Buffer.from(buffer.subarray(0, pos)),
      until: entries.dateColumns === 0 ? null : datesOf(block),
    };
  }
}

function datesOf(block: NumberSet): Buffer {
  const columns = block.granted === undefined ? [block.until] : [block.until, block.granted, block.expires];
  return Buffer.concat(columns.map((days) => Buffer.from((days as Int32Array).slice().buffer)));
}

/**
 * The numbers of chunks holding `total` entries. `spare`: room to leave after them in the same buffers, so that a
 * few more can be merged in place (a fresh copy of a 40 MB array costs 100 ms of page faults here). The arrays are
 * in shared memory: a scrub's worker threads read the same copy.
 */
export function decode(chunks: Iterable<Chunk>, total: number, shape: SetShape, spare = 0): NumberSet {
  const numbers = listFloat64(total + spare).subarray(0, total);
  const dates = shape === 'plain' ? [] : Array.from({ length: shape === 'consent' ? 3 : 1 }, () => listInt32(total + spare).subarray(0, total));
  let n = 0;
  for (const chunk of chunks) {
    if (n + chunk.count > total) throw new Error('registry chunk counts disagree with the version total');
    decodeInto(chunk, numbers, n);
    if (dates.length > 0 && chunk.until !== null) {
      if (chunk.until.length !== dates.length * 4 * chunk.count) throw new Error('registry chunk dates disagree with its count');
      const all = new Int32Array(chunk.until.buffer.slice(chunk.until.byteOffset, chunk.until.byteOffset + chunk.until.length));
      dates.forEach((days, column) => days.set(all.subarray(column * chunk.count, (column + 1) * chunk.count), n));
    }
    n += chunk.count;
  }
  if (n !== total) throw new Error('registry chunk counts disagree with the version total');
  const [until, granted, expires] = dates;
  if (until === undefined) return { numbers };
  return granted === undefined ? { numbers, until } : { numbers, until, granted, expires: expires as Int32Array };
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
  const shape = chunk.until === null ? 'plain' : chunk.until.length === 12 * chunk.count ? 'consent' : 'dated';
  return decode([chunk], chunk.count, shape);
}

/**
 * SHA-256 of a chunk: where it sits (part, position) and what it holds (count, first, last, numbers, dates). About
 * 2 bytes a number to hash: a few milliseconds per million numbers, against a full logical digest's 60.
 */
export function chunkChecksum(part: string, chunk: Chunk & { readonly seq: number }): Buffer {
  const hash = createHash('sha256');
  hash.update(`${part} ${chunk.seq} ${chunk.count} ${chunk.first} ${chunk.last}\n`);
  hash.update(chunk.numbers);
  if (chunk.until !== null) hash.update(chunk.until);
  return hash.digest();
}

