import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberSetBuilder } from '../src/numbers/builder.js';
import { apply, diff, undo } from '../src/numbers/changes.js';
import { decode, encode } from '../src/numbers/chunks.js';
import { distinctPrefixes } from '../src/numbers/coverage.js';
import { writeDigits } from '../src/numbers/decimal.js';
import { logicalDigest } from '../src/numbers/digest.js';
import { noDate, type NumberSet } from '../src/numbers/set.js';
import { dayOf } from '../src/dates.js';

const setOf = (values: number[]): NumberSet => {
  const builder = new NumberSetBuilder(false);
  for (const v of values) builder.add(v);
  return builder.finish();
};

// E.164 digit values of mixed lengths, as a national list with overseas and foreign numbers holds them.
const phoneValue = fc.oneof(
  fc.integer({ min: 33_100_000_000, max: 33_999_999_999 }),
  fc.integer({ min: 262_262_000_000, max: 262_693_999_999 }),
  fc.integer({ min: 508_400_000, max: 508_599_999 }),
  fc.integer({ min: 12_012_000_000, max: 19_899_999_999 }),
  fc.integer({ min: 3_361_234_567, max: 3_369_999_999 }),
);

/** What `LC_ALL=C sort -u | sha256sum` gives for the same lines. */
function referenceDigest(values: number[], until?: (string | undefined)[]): string {
  const lines = values.map((v, i) => `+${v}${until?.[i] === undefined ? '' : `\t${until[i]}`}\n`);
  const sorted = [...new Set(lines)].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b)) as number));
  return createHash('sha256').update(sorted.join('')).digest('hex');
}

describe('number sets', () => {
  it('sorts like the built-in sort, small and large, with mixed high halves', () => {
    const sortUnique = (values: Float64Array) => Array.from(new Set(values.slice().sort()));
    fc.assert(
      fc.property(fc.array(phoneValue, { maxLength: 300 }), (values) => {
        const input = Float64Array.from(values);
        expect(Array.from(setOf(values).numbers)).toEqual(sortUnique(input));
      }),
      { numRuns: 200 },
    );
    const big = new Float64Array(200_000);
    let seed = 7;
    for (let i = 0; i < big.length; i++) {
      seed = (seed * 48271) % 2147483647;
      big[i] = i % 5 === 0 ? 2_626_920_000_00 + seed : 33_000_000_000 + seed;
    }
    expect(Array.from(setOf(Array.from(big)).numbers)).toEqual(sortUnique(big));
  });

  it('deduplicates', () => {
    expect(Array.from(setOf([3, 1, 2, 3, 1]).numbers)).toEqual([1, 2, 3]);
  });

  it('keeps the latest expiry or the earliest end for a number listed twice', () => {
    const build = (keep: 'latest' | 'earliest') => {
      const b = new NumberSetBuilder(true);
      b.add(5, 100);
      b.add(5, 90);
      b.add(4, noDate);
      return b.finish(keep);
    };
    expect(Array.from(build('latest').until ?? [])).toEqual([noDate, 100]);
    expect(Array.from(build('earliest').until ?? [])).toEqual([noDate, 90]);
  });

  it('diff and undo rebuild the previous set exactly', () => {
    fc.assert(
      fc.property(fc.array(phoneValue, { maxLength: 200 }), fc.array(phoneValue, { maxLength: 200 }), (a, b) => {
        const previous = setOf(a);
        const next = setOf(b);
        const changes = diff(previous, next);
        expect(Array.from(apply(previous, changes.added, changes.removed).numbers)).toEqual(Array.from(next.numbers));
        expect(Array.from(undo(next, changes.added, changes.removed).numbers)).toEqual(Array.from(previous.numbers));
      }),
      { numRuns: 300 },
    );
  });

  it('counts a changed date as removed and added', () => {
    const before = new NumberSetBuilder(true);
    before.add(33612345678, dayOf('2027-01-01') as number);
    const after = new NumberSetBuilder(true);
    after.add(33612345678, dayOf('2027-06-01') as number);
    const changes = diff(before.finish(), after.finish());
    expect(changes.added.numbers.length).toBe(1);
    expect(changes.removed.numbers.length).toBe(1);
    const rebuilt = undo(after.finish(), changes.added, changes.removed);
    expect(Array.from(rebuilt.until ?? [])).toEqual([dayOf('2027-01-01')]);
  });

  it('encodes to chunks and decodes back, dated or not', () => {
    fc.assert(
      fc.property(fc.array(phoneValue, { maxLength: 500 }), (values) => {
        const set = setOf(values);
        const chunks = encode(set);
        expect(Array.from(decode(chunks, set.numbers.length, 'plain').numbers)).toEqual(Array.from(set.numbers));
      }),
      { numRuns: 200 },
    );
    const dated = new NumberSetBuilder(true);
    for (let i = 0; i < 70_000; i++) dated.add(33_600_000_000 + i * 3, i % 7 === 0 ? noDate : 20000 + (i % 400));
    const set = dated.finish();
    const chunks = encode(set);
    expect(chunks.length).toBe(2);
    const back = decode(chunks, set.numbers.length, 'dated');
    expect(Array.from(back.numbers)).toEqual(Array.from(set.numbers));
    expect(Array.from(back.until ?? [])).toEqual(Array.from(set.until ?? []));
  });

  it('digests like LC_ALL=C sort -u | sha256sum', () => {
    fc.assert(
      fc.property(fc.array(phoneValue, { maxLength: 300 }), (values) => {
        expect(logicalDigest(setOf(values))).toBe(referenceDigest(values));
      }),
      { numRuns: 300 },
    );
    // A number that is a prefix of another (3361234567 and 33612345670) sorts first.
    expect(logicalDigest(setOf([33612345670, 3361234567]))).toBe(referenceDigest([33612345670, 3361234567]));
    expect(logicalDigest(setOf([]))).toBe(createHash('sha256').update('').digest('hex'));
  });

  it('digests dated entries with their dates', () => {
    const b = new NumberSetBuilder(true);
    b.add(33612345678, dayOf('2027-01-31') as number);
    b.add(262692123456, noDate);
    expect(logicalDigest(b.finish())).toBe(referenceDigest([33612345678, 262692123456], ['2027-01-31', 'never']));
  });

  it('orders runs of different lengths as bytes', () => {
    const values = [508412345, 33612345678, 262692123456, 12015550123, 3361234567, 33612345670];
    expect(logicalDigest(setOf(values))).toBe(referenceDigest(values));
    // The order `sort` gives: +12015550123, +262692123456, +3361234567, +33612345670, +33612345678, +508412345.
    const lines = '+12015550123\n+262692123456\n+3361234567\n+33612345670\n+33612345678\n+508412345\n';
    expect(logicalDigest(setOf(values))).toBe(createHash('sha256').update(lines).digest('hex'));
  });

  it('writes digits of any E.164 value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (value) => {
        const buffer = new Uint8Array(20);
        const end = writeDigits(buffer, 1, value);
        expect(Buffer.from(buffer.subarray(1, end)).toString('latin1')).toBe(String(value));
      }),
    );
  });

  it('finds the calling codes a set covers', () => {
    const set = setOf([33612345678, 33712345678, 262692123456, 508412345, 12015550123, 12125550123]);
    const codeLength = (digits: string) => (digits.startsWith('1') ? 1 : digits.startsWith('33') ? 2 : 3);
    expect(distinctPrefixes(set.numbers, codeLength)).toEqual(['1', '262', '33', '508']);
    expect(distinctPrefixes(set.numbers, (d) => (d.startsWith('1') ? 4 : codeLength(d)))).toEqual(['1201', '1212', '262', '33', '508']);
  });
});
