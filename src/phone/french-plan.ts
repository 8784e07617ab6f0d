// The French numbering plan as one 10-digit national space shared by mainland France and the overseas
// departments: the country code of a national number depends on its prefix. Generic libraries parse 0692...
// with region FR as +33692..., which is wrong; this table is the project's own (see test/corpora/README.md).

import { territory, typeIn, type NumberType, type Territory } from './metadata.js';
import { possibleStarts } from './prefix-closure.js';
import { noAlternates } from './result.js';

import { frenchCallingCodes } from './french-codes.js';

/** Regions that dial each other with the French national form (trunk prefix 0, 9-digit significant number). */
export { frenchCallingCodes, frenchRegions } from './french-codes.js';

interface OverseasPrefix {
  readonly region: string;
  readonly callingCode: string;
  /** Mobile blocks are allocated by ARCEP ahead of the published metadata: any 9-digit number in them is taken. */
  readonly mobile: boolean;
}

// Keyed by the first three digits of the significant number (national form 0XYZ...).
const overseasPrefixes: ReadonlyMap<string, OverseasPrefix> = new Map(
  (
    [
      ['262', 'RE', '262', false],
      ['263', 'RE', '262', false],
      ['692', 'RE', '262', true],
      ['693', 'RE', '262', true],
      ['269', 'YT', '262', false],
      ['639', 'YT', '262', true],
      ['590', 'GP', '590', false],
      ['690', 'GP', '590', true],
      ['691', 'GP', '590', true],
      ['594', 'GF', '594', false],
      ['694', 'GF', '594', true],
      ['596', 'MQ', '596', false],
      ['696', 'MQ', '596', true],
      ['697', 'MQ', '596', true],
      ['508', 'PM', '508', false],
    ] as const
  ).map(([prefix, region, callingCode, mobile]) => [prefix, { region, callingCode, mobile }]),
);

// Overseas territories tested for national numbers outside the table (08, 09 and 07 ranges), in this order.
const overseasRegions = ['RE', 'YT', 'GP', 'BL', 'MF', 'GF', 'MQ', 'PM'] as const;
const regionsByCallingCode: Record<string, readonly string[]> = {
  '33': ['FR'],
  '262': ['RE', 'YT'],
  '590': ['GP', 'BL', 'MF'],
  '594': ['GF'],
  '596': ['MQ'],
  '508': ['PM'],
};

export interface FrenchNumber {
  /** E.164 without the plus. */
  readonly digits: string;
  readonly region: string;
  readonly type: NumberType;
  /** Other numbers the same national form also denotes (an 08/09 number valid both on the mainland and overseas). */
  readonly alternates: readonly string[];
  /** The number is plausible (right length) but the published plan does not allocate it. */
  readonly unverified: boolean;
}

export type FrenchResult = FrenchNumber | 'machine-to-machine' | 'invalid-number' | 'too-short' | 'too-long';


/**
 * Resolves a national significant number (the 9 digits after the trunk 0) to its E.164 number.
 * `lenient` accepts a well-formed number the metadata does not allocate (flagged unverified).
 */
export function resolveNational(nsn: string, lenient: boolean): FrenchResult {
  if (nsn.startsWith('700')) return 'machine-to-machine';
  const overseas = overseasPrefixes.get(nsn.slice(0, 3));
  if (overseas !== undefined) {
    if (overseas.callingCode === '508') return resolvePm(nsn.slice(3), lenient);
    return resolveIn(overseas.callingCode, nsn, lenient) ?? 'invalid-number';
  }

  const mainland = territory('FR') as Territory;
  const mainlandType = typeIn(mainland, nsn);
  const first = nsn.charCodeAt(0);
  // Only the 07, 08 and 09 ranges hold numbers that overseas plans allocate outside the prefix table.
  const candidates: Array<{ digits: string; region: string; type: NumberType }> = [];
  if (first >= 55 /* 7 */ && anyOverseas().test(nsn)) {
    for (const region of overseasRegions) {
      const place = territory(region) as Territory;
      const type = typeIn(place, nsn);
      if (type === undefined) continue;
      const digits = place.callingCode + nsn;
      if (!candidates.some((c) => c.digits === digits)) candidates.push({ digits, region, type });
    }
  }
  if (mainlandType !== undefined) {
    const alternates = candidates.length === 0 ? noAlternates : candidates.map((c) => c.digits);
    return { digits: `33${nsn}`, region: 'FR', type: mainlandType, alternates, unverified: false };
  }
  const [primary, ...others] = candidates;
  if (primary !== undefined) {
    return { ...primary, alternates: others.map((c) => c.digits), unverified: false };
  }
  if (lenient) return { digits: `33${nsn}`, region: 'FR', type: 'unknown', alternates: noAlternates, unverified: true };
  return 'invalid-number';
}

/**
 * Resolves a significant number given with a French-plan calling code. A +33 number in an overseas range is moved
 * to its real code (the caller flags it); an overseas code is taken as given and validated against its plan.
 */
export function resolveInternational(callingCode: string, nsn: string, lenient: boolean): FrenchResult {
  if (callingCode === '33') {
    if (nsn.length < 9) return 'too-short';
    if (nsn.length > 9) return 'too-long';
    return resolveNational(nsn, lenient);
  }
  if (callingCode === '508') {
    if (nsn.length === 6) return resolvePm(nsn, lenient);
    if (nsn.length === 9) return resolveIn('508', nsn, lenient) ?? 'invalid-number';
    return nsn.length < 6 ? 'too-short' : nsn.length < 9 ? 'invalid-number' : 'too-long';
  }
  if (nsn.length < 9) return 'too-short';
  if (nsn.length > 9) return 'too-long';
  return resolveIn(callingCode, nsn, lenient) ?? 'invalid-number';
}

function resolvePm(nsn6: string, lenient: boolean): FrenchResult {
  if (nsn6.length !== 6) return nsn6.length < 6 ? 'too-short' : 'too-long';
  return resolveIn('508', nsn6, lenient) ?? 'invalid-number';
}

function resolveIn(callingCode: string, nsn: string, lenient: boolean): FrenchNumber | undefined {
  const regions = regionsByCallingCode[callingCode] ?? [];
  for (const region of regions) {
    const type = typeIn(territory(region) as Territory, nsn);
    if (type !== undefined) return { digits: callingCode + nsn, region, type, alternates: noAlternates, unverified: false };
  }
  const overseas = overseasPrefixes.get(nsn.slice(0, 3));
  if (overseas !== undefined && overseas.mobile && overseas.callingCode === callingCode) {
    return { digits: callingCode + nsn, region: overseas.region, type: 'mobile', alternates: noAlternates, unverified: false };
  }
  if (lenient) {
    const region = overseas?.callingCode === callingCode ? overseas.region : (regions[0] ?? 'FR');
    return { digits: callingCode + nsn, region, type: 'unknown', alternates: noAlternates, unverified: true };
  }
  return undefined;
}

let overseasUnion: RegExp | undefined;
let overseasPrefix: Uint8Array | undefined;

/**
 * For each 3-digit start of a significant number (100 to 999), 1 when some overseas plan allocates numbers that
 * begin so (outside the prefix table), else 0: computed once from the metadata's patterns.
 */
function overseasStarts(): Uint8Array {
  if (overseasPrefix === undefined) {
    const source = anyOverseas().source.slice(4, -2); // ^(?: ... )$
    overseasPrefix = new Uint8Array(1000);
    for (const start of possibleStarts(source, 9, 3)) overseasPrefix[Number(start)] = 1;
  }
  return overseasPrefix;
}
/** One pattern that matches whatever any overseas plan allocates, to skip the per-territory tests for most numbers. */
export function anyOverseas(): RegExp {
  if (overseasUnion === undefined) {
    const sources = overseasRegions.flatMap((region) =>
      (territory(region) as Territory).types.map(([pattern]) => pattern.source.slice(1, -1)),
    );
    overseasUnion = new RegExp(`^(?:${sources.join('|')})$`);
  }
  return overseasUnion;
}

/** The calling code of the French plan that an E.164 digit string starts with, if any. */
export function frenchCallingCodeOf(digits: string): string | undefined {
  if (digits.startsWith('33')) return '33';
  const three = digits.slice(0, 3);
  return frenchCallingCodes.has(three) ? three : undefined;
}

// The prefix table as an array indexed by the first three digits of the significant number: the calling code, or 0.
const callingCodeByPrefix = new Int32Array(1000);
for (const [prefix, { callingCode }] of overseasPrefixes) callingCodeByPrefix[Number(prefix)] = Number(callingCode);

/**
 * The E.164 value (digits as a number) of a 10-digit French national number written as plain ASCII digits at
 * `bytes[start..start+10)`, as `resolveNational(nsn, lenient = true)` would give it, or -1 when this shortcut does
 * not apply (not ten plain digits, a 0700 number, or a number some overseas plan also allocates): the caller then
 * takes the full path. Registry imports read millions of such lines; this reads them without making strings.
 */
export function lenientNationalValue(bytes: Uint8Array, start: number): number {
  if (bytes[start] !== 48) return -1;
  let nsn = 0;
  for (let i = start + 1; i < start + 10; i++) {
    const digit = (bytes[i] as number) - 48;
    if (digit < 0 || digit > 9) return -1;
    nsn = nsn * 10 + digit;
  }
  if (nsn < 100_000_000) return -1; // 00...: an international prefix, not a national number
  const prefix = Math.floor(nsn / 1_000_000);
  const callingCode = callingCodeByPrefix[prefix] as number;
  if (callingCode === 508) return 508_000_000 + (nsn % 1_000_000);
  if (callingCode !== 0) return callingCode * 1e9 + nsn;
  if (nsn < 700_000_000) return 33e9 + nsn; // 01 to 06 outside the table: the mainland, nothing else
  if (prefix === 700 || (overseasStarts()[prefix] === 1 && anyOverseas().test(String(nsn)))) return -1;
  return 33e9 + nsn;
}
