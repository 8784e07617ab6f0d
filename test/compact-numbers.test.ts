// A national opposition list kept compact (issue 12): lookups in its stored chunks give what a search of the decoded
// numbers gives, across chunk and restart boundaries, and a damaged chunk still stops the scrub.

import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NumberSetBuilder } from '../src/numbers/builder.js';
import { encode, type Chunk } from '../src/numbers/chunks.js';
import { CompactBuilder, CompactLookup, restartBytes, type CompactNumbers, type CompactSet } from '../src/numbers/compact.js';
import { indexOf, type NumberSet } from '../src/numbers/set.js';
import { SortedIndex } from '../src/numbers/sorted-index.js';
import { DamagedVersion, Registry } from '../src/registry/store.js';
import { Screening, type PinnedList } from '../src/scrub/screening.js';
import { matchingCompact, matchingSet } from '../src/registry/readings.js';
import { normalize } from '../src/phone/normalize.js';
import { Workdir } from './workdir.js';

const setOf = (values: readonly number[]): NumberSet => {
  const builder = new NumberSetBuilder(false);
  for (const v of values) builder.add(v);
  return builder.finish();
};

/** The set's chunks, cut at `cuts` (sizes, repeated) instead of every 65,536 numbers: many chunk boundaries. */
function chunksOf(set: NumberSet, cuts: readonly number[]): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = 0, k = 0; start < set.numbers.length; k++) {
    const end = Math.min(set.numbers.length, start + (cuts[k % cuts.length] as number));
    chunks.push(...encode({ numbers: set.numbers.subarray(start, end) }));
    start = end;
  }
  return chunks;
}

function compactOf(chunks: readonly Chunk[], total: number): CompactNumbers {
  const builder = new CompactBuilder(
    total,
    chunks.length,
    chunks.reduce((n, c) => n + c.numbers.length, 0),
  );
  for (const chunk of chunks) expect(builder.add(chunk.numbers, chunk.count, chunk.first, chunk.last)).toBe(true);
  return builder.finish() as CompactNumbers;
}

/** Each number, its neighbours, and numbers far below, above and between. */
function probesOf(values: ArrayLike<number>, extra: readonly number[] = []): number[] {
  const probes = [0, 1, 2 ** 53 - 1, 33_000_000_000, 33_999_999_999, 4_294_967_296, ...extra];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    probes.push(v, v - 1, v + 1, v + 127, v + 128);
  }
  return probes;
}

// E.164 digit values of mixed lengths and high halves, dense runs (one-byte gaps) and sparse ones (several bytes).
const phoneValue = fc.oneof(
  fc.integer({ min: 33_100_000_000, max: 33_999_999_999 }),
  fc.integer({ min: 262_262_000_000, max: 262_693_999_999 }),
  fc.integer({ min: 508_400_000, max: 508_599_999 }),
  fc.integer({ min: 12_012_000_000, max: 19_899_999_999 }),
);
const run = fc.tuple(phoneValue, fc.array(fc.oneof(fc.integer({ min: 1, max: 127 }), fc.integer({ min: 128, max: 3_000_000 })), { maxLength: 300 }));
const listValues = fc.array(run, { maxLength: 8 }).map((runs) =>
  runs.flatMap(([start, gaps]) => {
    let value = start;
    return [start, ...gaps.map((gap) => (value += gap))];
  }),
);

describe('a list kept compact', () => {
  it('finds what a binary search of the decoded numbers finds, whatever the chunks', () => {
    fc.assert(
      fc.property(listValues, fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 5 }), fc.array(phoneValue, { maxLength: 50 }), (values, cuts, others) => {
        const set = setOf(values);
        const lookup = new CompactLookup({ compact: compactOf(chunksOf(set, cuts), set.numbers.length), extra: new Float64Array(0) });
        expect(probesOf(set.numbers, others).filter((probe) => lookup.has(probe) !== indexOf(set, probe) >= 0)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('finds every number and none of their neighbours across 65,536-number chunks and every restart point', () => {
    const values: number[] = [];
    let value = 33_100_000_000;
    let seed = 11;
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 48271) % 2147483647;
      value += seed % 50 === 0 ? 1 + (seed % 100_000) : 2 + (seed % 9); // mostly one-byte gaps, some of three bytes
      values.push(value);
    }
    const set = setOf(values);
    const chunks = encode(set);
    expect(chunks.length).toBe(4);
    const compact = compactOf(chunks, set.numbers.length);
    expect(compact.restarts.length).toBeGreaterThan(set.numbers.length / restartBytes);
    const lookup = new CompactLookup({ compact, extra: new Float64Array(0) });
    const edges = [...chunks.flatMap((c) => [c.first, c.last]), ...compact.restarts];
    expect(probesOf(set.numbers, edges.flatMap((v) => [v - 1, v, v + 1])).filter((probe) => lookup.has(probe) !== indexOf(set, probe) >= 0)).toEqual([]);
  });

  it('finds the numbers it holds besides (the other readings)', () => {
    const set = setOf([33_612_345_678, 33_612_345_680]);
    const lookup = new CompactLookup({ compact: compactOf(encode(set), 2), extra: Float64Array.of(262_693_123_456, 590_690_123_456) });
    expect([33_612_345_678, 262_693_123_456, 590_690_123_456, 33_612_345_679, 262_693_123_457].map((v) => lookup.has(v))).toEqual([true, true, true, false, false]);
  });

  it('is plain typed arrays on shared memory, which a worker thread is posted without a copy', () => {
    const set = setOf([33_612_345_678, 33_612_345_690, 33_712_345_678]);
    const kept: CompactSet = { compact: compactOf(encode(set), 3), extra: Float64Array.of(262_693_123_456) };
    for (const array of [kept.compact.bytes, kept.compact.restarts, kept.compact.offsets]) expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    const posted = structuredClone(kept);
    expect(posted.compact.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const lookup = new CompactLookup(posted);
    expect([33_612_345_678, 33_612_345_690, 33_712_345_678, 262_693_123_456, 33_612_345_679].map((v) => lookup.has(v))).toEqual([true, true, true, true, false]);
  });

  it('refuses chunks that do not hold what they say', () => {
    const [chunk] = encode(setOf([33_612_345_678, 33_612_345_690, 33_712_345_678])) as [Chunk];
    const builder = () => new CompactBuilder(3, 1, chunk.numbers.length);
    expect(builder().add(chunk.numbers, 2, chunk.first, chunk.last)).toBe(false);
    expect(builder().add(chunk.numbers, 3, chunk.first, chunk.last + 1)).toBe(false);
    expect(builder().add(chunk.numbers, 3, chunk.first + 1, chunk.last)).toBe(false);
    expect(builder().add(chunk.numbers.subarray(0, chunk.numbers.length - 1), 3, chunk.first, chunk.last)).toBe(false);
    expect(new CompactBuilder(4, 1, chunk.numbers.length).finish()).toBeUndefined();
    const twice = new CompactBuilder(6, 2, 2 * chunk.numbers.length);
    expect(twice.add(chunk.numbers, 3, chunk.first, chunk.last)).toBe(true);
    expect(twice.add(chunk.numbers, 3, chunk.first, chunk.last)).toBe(false); // not above the chunk before
  });
});

describe('the sorted index', () => {
  it('finds the last number not above a value as a binary search does', () => {
    fc.assert(
      fc.property(fc.array(phoneValue, { maxLength: 300 }), fc.array(phoneValue, { maxLength: 30 }), (values, others) => {
        const numbers = setOf(values).numbers;
        const index = new SortedIndex(numbers);
        const floor = (probe: number) => numbers.findLastIndex((value) => value <= probe);
        expect(probesOf(numbers, others).filter((probe) => index.floor(probe) !== floor(probe))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a national list in the registry', () => {
  let wrk: Workdir;
  beforeEach(() => {
    wrk = Workdir.create();
  });
  afterEach(() => wrk.remove());

  /** 100,000 numbers (two chunks), the first 50 of them ambiguous 08 numbers with other readings overseas. */
  function importList(): string[] {
    const ambiguous: string[] = [];
    for (let i = 0; ambiguous.length < 50; i++) {
      const candidate = `08012345${String(i).padStart(2, '0')}`;
      const n = normalize(candidate, { lenient: true });
      if (n.ok && n.alternates.length > 0) ambiguous.push(candidate);
    }
    const mobiles = Array.from({ length: 99_950 }, (_, i) => `06${String(10_000_000 + i * 7).padStart(8, '0')}`);
    wrk.write('list.txt', [...ambiguous, ...mobiles].join('\n') + '\n');
    return ambiguous;
  }

  const openList = () => {
    const registry = Registry.open(wrk.path('callscrub.db'), { readonly: true });
    return { registry, list: registry.list('bloctel') as NonNullable<ReturnType<Registry['list']>> };
  };

  it('screens as the decoded list does, other readings included', async () => {
    const ambiguous = importList();
    expect((await wrk.run(['registry', 'import', 'list.txt', '--list', 'bloctel', '--quiet'])).code).toBe(0);
    const { registry, list } = openList();
    try {
      const pinned = (set: PinnedList['set']): PinnedList => ({ name: 'bloctel', kind: 'opposition', version: 1, asOf: '2026-11-01', numbersTotal: 100_000, logicalSha256: '', covers: ['33', '262', '590', '594', '596'], consentMaxAgeDays: null, set });
      const readings = registry.storedReadings(list, 1) as NumberSet;
      expect(readings.numbers.length).toBeGreaterThan(0);
      const kept = registry.latestCompact(list);
      expect(kept?.compact.count).toBe(100_000);
      const compact = new Screening([pinned(matchingCompact(kept?.compact as CompactNumbers, readings))], 20_000);
      const decoded = new Screening([pinned(matchingSet((registry.latestSet(list)?.set as NumberSet), 'opposition', readings))], 20_000);
      const phones = [...ambiguous, '0610000000', '0610000007', '0610000001', '0610699643', '0610699650', '0612345678', '0101010101'];
      for (const phone of phones) {
        const n = normalize(phone, { lenient: true });
        if (!n.ok) throw new Error(phone);
        for (const forms of [[Number(n.e164.slice(1))], ...n.alternates.map((a) => [Number(a.slice(1))])]) {
          expect(compact.check(forms).status).toBe(decoded.check(forms).status);
        }
      }
    } finally {
      registry.close();
    }
  });

  it('is read decoded, checked by its digest, when a chunk has no checksum (written by schema 1)', async () => {
    importList();
    expect((await wrk.run(['registry', 'import', 'list.txt', '--list', 'bloctel', '--quiet'])).code).toBe(0);
    const db = new Database(wrk.path('callscrub.db'));
    db.prepare("UPDATE chunks SET checksum = NULL WHERE part = 'snapshot' AND seq = 1").run();
    db.close();
    const { registry, list } = openList();
    try {
      expect(registry.read(() => registry.latestCompact(list))).toBeUndefined();
      expect(registry.read(() => registry.latestSet(list))?.set.numbers.length).toBe(100_000);
    } finally {
      registry.close();
    }
  });

  it('stops at a changed byte in any chunk, read compact', async () => {
    importList();
    expect((await wrk.run(['registry', 'import', 'list.txt', '--list', 'bloctel', '--quiet'])).code).toBe(0);
    const db = new Database(wrk.path('callscrub.db'));
    const row = db.prepare("SELECT rowid, numbers FROM chunks WHERE part = 'snapshot' ORDER BY seq DESC LIMIT 1").get() as { rowid: number; numbers: Buffer };
    const blob = Buffer.from(row.numbers);
    blob[blob.length >> 1] = (blob[blob.length >> 1] as number) ^ 0x01;
    db.prepare('UPDATE chunks SET numbers = ? WHERE rowid = ?').run(blob, row.rowid);
    db.close();
    const { registry, list } = openList();
    try {
      expect(() => registry.read(() => registry.latestCompact(list))).toThrow(DamagedVersion);
      expect(() => registry.read(() => registry.latestCompact(list))).toThrow("list 'bloctel' version 1 is damaged in the registry (a stored chunk of its numbers does not match its checksum)");
    } finally {
      registry.close();
    }
  });
});
