import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalize, reasons, flagNames, type Normalized } from '../src/phone/normalize.js';
import { lenientNationalValue, resolveNational } from '../src/phone/french-plan.js';
import { projectRoot } from './workdir.js';

const e164 = (r: Normalized) => (r.ok ? r.e164 : `INVALID:${r.reason}`);

describe('normalize: what spreadsheets hold', () => {
  const cases: Array<[string, string, string[]?]> = [
    ['0612345678', '+33612345678'],
    ['06 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['06-12-34-56-78', '+33612345678'],
    ['06/12/34/56/78', '+33612345678'],
    ['(06) 12 34 56 78', '+33612345678'],
    ['06\u00a012\u00a034\u00a056\u00a078', '+33612345678'],
    ['06\u202f12\u202f34\u202f56\u202f78', '+33612345678'],
    ['\uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18', '+33612345678', ['full-width']],
    ['+33 (0)6 12 34 56 78', '+33612345678', ['trunk-zero']],
    ['+33 06 12 34 56 78', '+33612345678', ['trunk-zero']],
    ['0033612345678', '+33612345678', ['idd-prefix']],
    ['33612345678', '+33612345678', ['no-plus']],
    ['330612345678', '+33612345678', ['no-plus', 'trunk-zero']],
    ['612345678', '+33612345678', ['repaired']],
    ["'0612345678", '+33612345678', ['excel-text']],
    ['="0612345678"', '+33612345678', ['excel-text']],
    ['6.12345678E+08', '+33612345678', ['scientific', 'repaired']],
    ['3.3612345678E+10', '+33612345678', ['scientific', 'no-plus']],
    ['612345678.0', '+33612345678', ['float-suffix', 'repaired']],
    ['01 42 68 53 00 poste 12', '+33142685300', ['extension']],
    ['01 42 68 53 00 x123', '+33142685300', ['extension']],
    ['0142685300 ext. 45', '+33142685300', ['extension']],
    ['Tél. : 06 12 34 56 78', '+33612345678', ['label']],
    ['Portable: 06 12 34 56 78', '+33612345678', ['label']],
    ['tel 0612345678', '+33612345678', ['label']],
    ['0692 12 34 56', '+262692123456'],
    ['0639 01 23 45', '+262639012345'],
    ['0590 27 12 34', '+590590271234'],
    ['0694 20 12 34', '+594694201234'],
    ['0696 20 12 34', '+596696201234'],
    ['0508 41 23 45', '+508412345'],
    ['+33 692 12 34 56', '+262692123456', ['corrected-country']],
    ['+44 20 7946 0958', '+442079460958'],
    ['  0612345678  ', '+33612345678'],
  ];
  it.each(cases)('%j -> %s', (input, expected, flags) => {
    const result = normalize(input);
    expect(e164(result)).toBe(expected);
    if (flags !== undefined && result.ok) for (const flag of flags) expect(result.flags).toContain(flag);
  });

  const invalid: Array<[string, string]> = [
    ['', 'empty'],
    ['   ', 'empty'],
    [' - ', 'empty'],
    ['#N/A', 'excel-error'],
    ['#REF!', 'excel-error'],
    ['#VALUE!', 'excel-error'],
    ['6,12345E+08', 'excel-mangled'],
    ['3.36123E+10', 'excel-mangled'],
    ['6E+08', 'excel-mangled'],
    ['0800 FLOWERS', 'letters'],
    ['abc', 'letters'],
    ['06 12 34 56 78 ☎', 'bad-characters'],
    ['3949', 'short-code'],
    ['15', 'short-code'],
    ['118000', 'short-code'],
    ['06 12 34 56', 'too-short'],
    ['06 12 34 56 78 9', 'too-long'],
    ['0700000000', 'machine-to-machine'],
    ['+33 7 00 00 00 00', 'machine-to-machine'],
    ['+0 612345678', 'invalid-country-code'],
    ['+269 639 01 23 45', 'too-long'],
    ['+262 269 12 34 56', 'invalid-number'],
    ['+33 12', 'too-short'],
  ];
  it.each(invalid)('%j is invalid: %s', (input, reason) => {
    expect(e164(normalize(input))).toBe(`INVALID:${reason}`);
  });

  it('reads national numbers of other countries with --country', () => {
    expect(e164(normalize('(202) 555-0143', { country: 'US' }))).toMatch(/^\+1202555014[3]$|^INVALID/);
    expect(e164(normalize('2015550123', { country: 'US' }))).toBe('+12015550123');
    expect(e164(normalize('011 33 6 12 34 56 78', { country: 'US' }))).toBe('+33612345678');
    expect(e164(normalize('020 7946 0958', { country: 'GB' }))).toBe('+442079460958');
    expect(e164(normalize('0475 12 34 56', { country: 'BE' }))).toBe('+32475123456');
  });

  it('tells the type and the region', () => {
    const mobile = normalize('0612345678');
    expect(mobile.ok && [mobile.country, mobile.type]).toEqual(['FR', 'mobile']);
    const fixed = normalize('0142685300');
    expect(fixed.ok && fixed.type).toBe('fixed-line');
    const mayotte = normalize('0269 60 12 34');
    expect(mayotte.ok && mayotte.country).toBe('YT');
  });
});

describe('normalize against test/corpora/phone-cases.tsv', () => {
  const file = path.join(projectRoot, 'test/corpora/phone-cases.tsv');
  const rows = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t') as [string, string, string, string]);

  it('holds the 743 cases', () => {
    expect(rows.length).toBe(743);
  });

  it('agrees with every row that is not AMBIGUOUS', () => {
    const disagreements = rows
      .filter(([, , expected]) => expected !== 'AMBIGUOUS')
      .map(([input, region, expected, kind]) => {
        const result = normalize(input, { country: region });
        const got = result.ok ? result.e164 : 'INVALID';
        return got === expected ? undefined : `${JSON.stringify(input)} (${region}, ${kind}): expected ${expected}, got ${got}`;
      })
      .filter((d) => d !== undefined);
    expect(disagreements).toEqual([]);
  });

  // The product's decision for AMBIGUOUS rows (README, "Ambiguous 08 and 09 numbers"): the number reads as the
  // mainland one, flagged ambiguous, with every overseas number the same national form denotes as an alternate;
  // registries store all of them and scrubs check all of them, so a listing under any of them excludes the row.
  it('keeps every reading of an AMBIGUOUS national form', () => {
    const ambiguous = rows.filter(([, , expected]) => expected === 'AMBIGUOUS');
    expect(ambiguous.length).toBe(23);
    for (const [input, region, , kind] of ambiguous) {
      const result = normalize(input, { country: region });
      expect(result.ok, input).toBe(true);
      if (!result.ok) continue;
      expect(result.e164).toBe(`+33${input.slice(1)}`);
      expect(result.flags).toContain('ambiguous');
      // The territory the corpus took the example from is among the alternates.
      const territory = (kind.split(':')[1] ?? '') as string;
      const code = { RE: '262', YT: '262', GP: '590', BL: '590', MF: '590', GF: '594', MQ: '596', PM: '508' }[territory];
      expect(result.alternates, `${input} ${territory}`).toContain(`+${code}${input.slice(1)}`);
    }
  });
});

describe('normalize: the shortcut for other countries agrees with libphonenumber', () => {
  it('on the example mobile number of every country, in international and national form', async () => {
    const { getCountries, getExampleNumber, parsePhoneNumberFromString } = await import('libphonenumber-js/max');
    const examples = (await import('libphonenumber-js/mobile/examples')).default;
    const disagreements: string[] = [];
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (example === undefined) continue;
      const reference = parsePhoneNumberFromString(example.number, { extract: false });
      const ours = normalize(example.number);
      const expected = reference?.isValid() ? reference.number : 'INVALID';
      if (e164(ours).replace(/^INVALID:.*/, 'INVALID') !== expected) disagreements.push(`${country} ${example.number}: ${e164(ours)}`);
      if (['US', 'CA', 'GB', 'BE', 'CH', 'NL', 'DE', 'AT', 'IE'].includes(country)) {
        const national = example.formatNational();
        const ourNational = normalize(national, { country });
        if (!ourNational.ok || ourNational.e164 !== example.number) disagreements.push(`${country} national ${national}: ${e164(ourNational)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('normalize: properties', () => {
  it('never throws, and answers from the closed sets', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[0-9 +().\-/ex#'="]{0,24}$/)), (text) => {
        const result = normalize(text);
        if (result.ok) {
          expect(result.e164).toMatch(/^\+[1-9]\d{6,14}$/);
          for (const flag of result.flags) expect(flagNames).toContain(flag);
        } else expect(reasons).toContain(result.reason);
      }),
      { numRuns: 5000 },
    );
  });

  it('is idempotent: an E.164 result normalizes to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(\+33|0033|33|0)?[1-9]( ?\d){8}$/), (text) => {
        const first = normalize(text);
        if (!first.ok) return;
        const again = normalize(first.e164);
        expect(again.ok && again.e164).toBe(first.e164);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads notational variants of one number as one number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000_000, max: 999_999_999 }), (nsn) => {
        const national = `0${nsn}`;
        const base = normalize(national);
        const pairs = national.replace(/(\d\d)(?=\d)/g, '$1 ');
        const variants = [pairs, national.replace(/(\d\d)(?=\d)/g, '$1.'), `+33 ${nsn}`, `0033${nsn}`, `33${nsn}`, `'${national}`, `+33 (0)${nsn}`];
        for (const variant of variants) expect(e164(normalize(variant)), variant).toBe(e164(base));
      }),
      { numRuns: 2000 },
    );
  });

  it('never merges two different national numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000_000, max: 999_999_999 }), fc.integer({ min: 100_000_000, max: 999_999_999 }), (a, b) => {
        fc.pre(a !== b);
        const x = normalize(`0${a}`, { lenient: true });
        const y = normalize(`0${b}`, { lenient: true });
        if (x.ok && y.ok) expect(x.e164).not.toBe(y.e164);
      }),
      { numRuns: 3000 },
    );
  });

  it('byte shortcut of registry imports agrees with the full path', () => {
    const check = (nsn: number) => {
      const line = Buffer.from(`0${String(nsn).padStart(9, '0')}`);
      const fast = lenientNationalValue(line, 0);
      if (fast < 0) return;
      const full = resolveNational(String(nsn).padStart(9, '0'), true);
      expect(typeof full === 'string' ? full : [full.digits, full.alternates.length]).toEqual([String(fast), 0]);
    };
    fc.assert(fc.property(fc.integer({ min: 100_000_000, max: 999_999_999 }), (nsn) => check(nsn)), { numRuns: 20000 });
    // Every 3-digit prefix, so that each overseas range and each 07/08/09 block is crossed.
    for (let prefix = 100; prefix < 1000; prefix++) for (const tail of [0, 123456, 999999]) check(prefix * 1_000_000 + tail);
  });
});

describe('possible starts of numbering-plan patterns', () => {
  it('finds exactly the starts of matches of the given length', async () => {
    const { possibleStarts } = await import('../src/phone/prefix-closure.js');
    expect([...possibleStarts('80\\d{7}', 9, 3)].sort()).toEqual(Array.from({ length: 10 }, (_, d) => `80${d}`));
    expect([...possibleStarts('7090[0-4]\\d{4}|(?:[236-9]\\d|4[1-35-9])\\d{4}', 9, 3)]).toEqual(['709']);
    const twoDigits = ['26', ...['6', '8', '9'].flatMap((first) => Array.from({ length: 10 }, (_, d) => `${first}${d}`))];
    expect([...possibleStarts('(?:26|[689]\\d)\\d{7}', 9, 2)].sort()).toEqual(twoDigits.sort());
    expect(possibleStarts('9(?:399[0-3]|479[0-6])\\d{4}', 9, 3)).toEqual(new Set(['939', '947']));
  });

  it('never rules out the start of a number the overseas plans allocate', async () => {
    const { possibleStarts } = await import('../src/phone/prefix-closure.js');
    const { anyOverseas } = await import('../src/phone/french-plan.js');
    const union = anyOverseas();
    const starts = possibleStarts(union.source.slice(4, -2), 9, 3);
    fc.assert(
      fc.property(fc.integer({ min: 100_000_000, max: 999_999_999 }), (nsn) => {
        const text = String(nsn);
        if (union.test(text)) expect(starts.has(text.slice(0, 3)), text).toBe(true);
      }),
      { numRuns: 200_000 },
    );
  });
});
