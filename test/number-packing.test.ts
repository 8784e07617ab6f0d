import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberSetBuilder } from '../src/numbers/builder.js';
import { combine, diff, apply, subtract, type CombineMode } from '../src/numbers/changes.js';
import { decode, encode, encodeEntries } from '../src/numbers/chunks.js';
import { blocksOf, entriesOf, toNumberSet, type SortedEntries } from '../src/numbers/entries.js';
import { logicalDigest } from '../src/numbers/digest.js';
import { PackedNumbers } from '../src/numbers/packed.js';
import { sortUnique32 } from '../src/numbers/radix.js';
import { noDate, type NumberSet } from '../src/numbers/set.js';

const two32 = 4294967296;

/** What sorting and dropping repeats must give. */
const reference = (keys: number[]) => [...new Set(keys)].sort((a, b) => a - b);

const sorted = (keys: number[]) => {
  const array = Uint32Array.from(keys);
  return Array.from(array.subarray(0, sortUnique32(array)));
};

// Keys as an import holds them: national numbers' low halves crowd a narrow range, with repeats.
const key = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  fc.integer({ min: 3_030_000_000, max: 3_030_070_000 }),
  fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1),
);

// E.164 values on both sides of a 2^32 boundary (each number is held as high * 2^32 + low), and of several lengths.
const phoneValue = fc.oneof(
  fc.integer({ min: 33_100_000_000, max: 33_999_999_999 }),
  fc.integer({ min: 7 * two32 - 2000, max: 7 * two32 + 2000 }),
  fc.integer({ min: 262_262_000_000, max: 262_693_999_999 }),
  fc.integer({ min: 508_400_000, max: 508_599_999 }),
);

const packedOf = (values: number[]): SortedEntries => {
  const builder = new NumberSetBuilder(false, 16);
  for (const value of values) builder.add(value);
  return builder.finishEntries();
};

const all = (entries: SortedEntries) => Array.from(toNumberSet(entries).numbers);

describe('sorting 32-bit keys in place', () => {
  it('sorts and drops repeats like a sort and a set, small and large', () => {
    fc.assert(fc.property(fc.array(key, { maxLength: 3000 }), (keys) => {
        expect(sorted(keys)).toEqual(reference(keys));
      }), { numRuns: 300 });
  });

  it('sorts keys in one narrow range, many repeats, and keys all alike', () => {
    let seed = 11;
    const keys: number[] = [];
    for (let i = 0; i < 300_000; i++) {
      seed = (seed * 48271) % 2147483647;
      keys.push(3_030_000_000 + (seed % 250_000));
    }
    expect(sorted(keys)).toEqual(reference(keys));
    expect(sorted(Array.from({ length: 5000 }, () => 77))).toEqual([77]);
    expect(sorted([2 ** 32 - 1, 0, 2 ** 32 - 1, 0, ...Array.from({ length: 400 }, (_, i) => i * 10_000_000)])).toEqual(reference([2 ** 32 - 1, 0, ...Array.from({ length: 400 }, (_, i) => i * 10_000_000)]));
  });
});

describe('packed number sets', () => {
  it('hold what a NumberSet holds, across 2^32 boundaries, and find each number', () => {
    fc.assert(
      fc.property(fc.array(phoneValue, { maxLength: 400 }), fc.array(phoneValue, { maxLength: 20 }), (values, probes) => {
        const packed = packedOf(values);
        const expected = [...new Set(values)].sort((a, b) => a - b);
        expect(packed).toBeInstanceOf(PackedNumbers);
        expect(all(packed)).toEqual(expected);
        expect(Array.from({ length: packed.length }, (_, i) => packed.at(i))).toEqual(expected);
        for (const probe of [...probes, ...values.slice(0, 20)]) expect(packed.indexOf(probe)).toBe(expected.indexOf(probe));
      }),
      { numRuns: 300 },
    );
  });

  it('read in blocks that cross groups', () => {
    const values = [7 * two32 - 3, 7 * two32 - 1, 7 * two32, 7 * two32 + 5, 33_600_000_000, 8 * two32 + 1];
    const packed = packedOf(values.slice().reverse());
    const blocks: number[][] = [];
    for (const block of blocksOf(packed, 4)) blocks.push(Array.from(block.numbers)); // a block's arrays are reused
    expect(blocks).toEqual([values.slice(0, 4), values.slice(4)]);
  });

  it('encode to the same chunks and digest to the same value as the NumberSet of their numbers', () => {
    fc.assert(
      fc.property(fc.array(phoneValue, { maxLength: 300 }), (values) => {
        const packed = packedOf(values);
        const set = toNumberSet(packed);
        expect([...encodeEntries(packed)]).toEqual(encode(set));
        expect(logicalDigest(packed)).toBe(logicalDigest(set));
      }),
      { numRuns: 200 },
    );
    // Several chunks: the blocks follow the chunks' boundaries.
    const values = Array.from({ length: 140_000 }, (_, i) => 33_600_000_000 + i * 7);
    const packed = packedOf(values);
    const chunks = [...encodeEntries(packed)];
    expect(chunks.map((c) => c.count)).toEqual([65536, 65536, 140_000 - 131_072]);
    expect(Array.from(decode(chunks, values.length, 'plain').numbers)).toEqual(values);
  });
});

describe('combining a previous version streamed in blocks with a file', () => {
  const setOf = (values: number[]): NumberSet => toNumberSet(packedOf(values));
  const datedOf = (entries: Array<[number, number]>): NumberSet => {
    const builder = new NumberSetBuilder(true);
    for (const [value, day] of entries) builder.add(value, day);
    return builder.finish();
  };
  // What the import computed before it streamed: the whole previous set, then apply/subtract and diff.
  const expected = (previous: NumberSet, file: NumberSet, mode: CombineMode) => {
    const next = mode === 'full' ? file : mode === 'add' ? apply(previous, file, { numbers: new Float64Array(0) }) : subtract(previous, file);
    return { next, ...diff(previous, next) };
  };
  const same = (entries: SortedEntries, set: NumberSet) => {
    const got = toNumberSet(entries);
    expect(Array.from(got.numbers)).toEqual(Array.from(set.numbers));
    expect(Array.from(got.until ?? [])).toEqual(Array.from(set.until ?? []));
  };

  for (const mode of ['full', 'add', 'remove'] as const) {
    it(`gives what apply and diff give (${mode}), whatever the blocks' sizes`, () => {
      fc.assert(
        fc.property(fc.array(phoneValue, { maxLength: 300 }), fc.array(phoneValue, { maxLength: 300 }), fc.integer({ min: 1, max: 70 }), (a, b, size) => {
          const previous = setOf(a);
          const file = setOf(b);
          const got = combine(blocksOf(entriesOf(previous), size), packedOf(b), mode);
          const want = expected(previous, file, mode);
          same(got.next, want.next);
          same(got.added, want.added);
          same(got.removed, want.removed);
        }),
        { numRuns: 200 },
      );
    });

    it(`keeps dates as apply and diff do (${mode})`, () => {
      const day = fc.oneof(fc.integer({ min: 20000, max: 20010 }), fc.constant(noDate));
      fc.assert(
        fc.property(fc.array(fc.tuple(phoneValue, day), { maxLength: 100 }), fc.array(fc.tuple(phoneValue, day), { maxLength: 100 }), (a, b) => {
          const previous = datedOf(a);
          const file = datedOf(b);
          const got = combine(blocksOf(entriesOf(previous), 7), entriesOf(file), mode);
          const want = expected(previous, file, mode);
          same(got.next, want.next);
          same(got.added, want.added);
          same(got.removed, want.removed);
        }),
        { numRuns: 200 },
      );
    });
  }
});

describe('what an import writes', () => {
  // Chunks and logical digests of a fixture as the code before packed sets (issue 12) wrote them: registries written
  // then and now hold the same bytes for the same numbers, and their digests still check.
  function fixture(dated: boolean): NumberSetBuilder {
    const builder = new NumberSetBuilder(dated);
    let seed = 12345;
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 48271) % 2147483647;
      const kind = seed % 5;
      const value =
        kind === 0 ? 33_100_000_000 + (seed % 700_000_000)
        : kind === 1 ? 7 * two32 - 50_000 + (seed % 100_000)
        : kind === 2 ? 262_692_000_000 + (seed % 1_000_000)
        : kind === 3 ? 508_400_000 + (seed % 100_000)
        : 12_025_550_000 + (seed % 10_000_000);
      builder.add(value, dated ? 20_000 + (seed % 500) : undefined);
    }
    return builder;
  }
  const chunksDigest = (entries: SortedEntries) => {
    const hash = createHash('sha256');
    for (const chunk of encodeEntries(entries)) {
      hash.update(`${chunk.first} ${chunk.last} ${chunk.count}\n`);
      hash.update(chunk.numbers);
      if (chunk.until !== null) hash.update(chunk.until);
    }
    return hash.digest('hex');
  };

  it('is what the code before packed sets wrote, undated and dated', () => {
    const plain = fixture(false).finishEntries();
    expect(plain.length).toBe(150_228);
    expect(chunksDigest(plain)).toBe('8e32878113c13bec9b76959c63e0f5d7dc80aca9f13fda1ebc4b877210affa44');
    expect(logicalDigest(plain)).toBe('e7983486ae7c3325011452823367bde14e9f337c8f32c6e612cf2185feb8b737');
    const dated = fixture(true).finishEntries();
    expect(chunksDigest(dated)).toBe('f6e08f0d9d78d3b63e43bd681fd3a6d1858288f419d75d97d489f21559d18ae2');
    expect(logicalDigest(dated)).toBe('372066e08abca949ea786e393316d7058352cbd2c2b583c7a54e1c029ae6dc7b');
  });
});
