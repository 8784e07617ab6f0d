// Where the first byte that is not UTF-8 is: the line a scrub names under --encoding utf-8 rests on it.

import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from '../src/io/utf8.js';
import { lineBreaks } from '../src/io/line-breaks.js';

// Bytes that make valid and invalid sequences: ASCII, leads of every length, continuations, overlong and surrogate
// starts, a U+FFFD written in the file.
const pieces = [[0x41], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xef, 0xbf, 0xbd], [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0x80], [0xc3], [0x0a], [0x0d]];

describe('firstInvalidUtf8', () => {
  it('agrees with isUtf8, and everything before it is valid', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const bytes = Buffer.from(parts.flat());
        const at = firstInvalidUtf8(bytes);
        expect(at === bytes.length).toBe(isUtf8(bytes));
        expect(isUtf8(bytes.subarray(0, at))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('passes over a U+FFFD written in the file', () => {
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xef, 0xbf, 0xbd, 0x0a, 0xff]))).toBe(5);
  });
});

describe('lineBreaks', () => {
  it('counts LF, CRLF and a lone CR once each, as the CSV scanner does', () => {
    expect(lineBreaks(Buffer.from('a\nb\r\nc\rd'), 0, 8)).toBe(3);
    expect(lineBreaks(Buffer.from('a\r'), 0, 2)).toBe(1);
  });
});
