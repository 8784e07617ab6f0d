// The phone-number normalizer: any cell text in, an E.164 number or a reason from a closed set out. It never throws.
// One pipeline, four steps: clean the text (text.ts: its digits and a leading plus), find where the digits belong (a
// calling code, or the national plan of the default region), resolve them in that plan (the French plan's own table
// in french-plan.ts, libphonenumber's metadata for the others), and classify the result (fromFrenchPlan, or the
// metadata's type).

import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';
import { frenchCallingCodeOf, frenchRegions, resolveInternational, resolveNational, type FrenchResult } from './french-plan.js';
import { callingCodeOf, findType, territory, type NumberType } from './metadata.js';
import { invalid, noAlternates, withFlag, type Flag, type Normalized } from './result.js';
import { readNumberText } from './text.js';

export type { NumberType } from './metadata.js';
export { flagNames, reasons, type Flag, type InvalidNumber, type Normalized, type Reason, type ValidNumber } from './result.js';
export { countDigits, invisible } from './text.js';

export interface NormalizeOptions {
  /** Region that national numbers (no country code) belong to. Default FR. */
  readonly country?: string;
  /**
   * Accept numbers that are well formed but that the numbering-plan metadata does not (yet) allocate, flagged
   * `unverified`. Used when importing registries, so that a registered number is never dropped because the
   * metadata lags behind the operators' allocations.
   */
  readonly lenient?: boolean;
}

export function normalize(input: string, options: NormalizeOptions = {}): Normalized {
  const text = readNumberText(input);
  if (!('digits' in text)) return text;
  return resolve(text.digits, text.plus, text.flags, options.country ?? 'FR', options.lenient === true);
}

/**
 * Steps 2 and 3: where the digits belong (after a plus, an international prefix (00, or 011 in North America), a
 * French calling code written without its plus; else the national plan of `country`), then their resolution in that
 * plan. No object is made on the way: this runs for every cell of every file.
 */
function resolve(digits: string, plus: boolean, flags: readonly Flag[], country: string, lenient: boolean): Normalized {
  if (digits.length > 20) return invalid('too-long');
  if (plus) return international(digits, flags, lenient);
  if (digits.startsWith('00')) return international(digits.slice(2), withFlag(flags, 'idd-prefix'), lenient);
  if ((country === 'US' || country === 'CA') && digits.startsWith('011')) return international(digits.slice(3), withFlag(flags, 'idd-prefix'), lenient);
  if (frenchRegions.has(country)) {
    // 33612345678, 330612345678, 262692123456: longer than any French national number, so a calling code.
    if (digits.length >= 11 && frenchCallingCodeOf(digits) !== undefined) return international(digits, withFlag(flags, 'no-plus'), lenient);
    return frenchNational(digits, flags, lenient);
  }
  return otherNational(digits, flags, country, lenient);
}

/** A national number of the French plan (trunk 0, 9 significant digits), or one a spreadsheet damaged. */
function frenchNational(digits: string, flags: readonly Flag[], lenient: boolean): Normalized {
  const n = digits.length;
  if (n === 10 && digits.charCodeAt(0) === 48) return fromFrenchPlan(resolveNational(digits.slice(1), lenient), flags);
  // Short codes (15, 3949, 118 000) never start with the trunk 0; a few digits that do are a cut number.
  if (n <= 6) return invalid(n === 1 || digits.charCodeAt(0) === 48 ? 'too-short' : 'short-code');
  if (n === 9 && digits.charCodeAt(0) !== 48) {
    // A spreadsheet stored the number as a number and dropped its leading 0.
    return fromFrenchPlan(resolveNational(digits, lenient), withFlag(flags, 'repaired'));
  }
  if (n < 10) return invalid('too-short');
  if (n === 10) return invalid('invalid-number');
  return invalid('too-long');
}

/** Digits that start with a calling code: the French plan's own table for its codes, the metadata for the others. */
function international(digits: string, flags: readonly Flag[], lenient: boolean): Normalized {
  if (digits.length === 0) return invalid('too-short');
  if (digits.charCodeAt(0) === 48) return invalid('invalid-country-code');
  const callingCode = frenchCallingCodeOf(digits);
  if (callingCode === undefined) {
    const code = callingCodeOf(digits);
    if (code === undefined) return invalid('invalid-country-code');
    const found = findType(code, digits.slice(code.length));
    if (found !== undefined) return { ok: true, e164: `+${digits}`, country: found.region, type: found.type, flags, alternates: noAlternates };
    // Not allocated: libphonenumber tells why (length, or lenient acceptance of a possible number).
    return libphonenumber(`+${digits}`, undefined, flags, lenient);
  }
  let nsn = digits.slice(callingCode.length);
  // +33 (0)6 12 34 56 78 and +33 06...: the trunk 0 has no place after a calling code.
  if (nsn.charCodeAt(0) === 48 && (nsn.length === 10 || (callingCode === '508' && nsn.length === 7))) {
    nsn = nsn.slice(1);
    flags = withFlag(flags, 'trunk-zero');
  }
  const result = resolveInternational(callingCode, nsn, lenient);
  if (typeof result !== 'string' && !result.digits.startsWith(callingCode)) flags = withFlag(flags, 'corrected-country');
  return fromFrenchPlan(result, flags);
}

/** Step 4 for the French plan: its resolution as the normalizer's result. */
function fromFrenchPlan(result: FrenchResult, flags: readonly Flag[]): Normalized {
  if (typeof result === 'string') return invalid(result);
  let alternates = result.alternates;
  if (alternates.length > 0) {
    flags = withFlag(flags, 'ambiguous');
    alternates = alternates.map((digits) => `+${digits}`);
  }
  if (result.unverified) flags = withFlag(flags, 'unverified');
  return { ok: true, e164: `+${result.digits}`, country: result.region, type: result.type, flags, alternates };
}

// Regions whose national form is the significant number behind a trunk 0 that is never part of it.
const trunkZeroRegions: ReadonlySet<string> = new Set(['GB', 'BE', 'CH', 'NL', 'DE', 'AT', 'IE']);

function otherNational(digits: string, flags: readonly Flag[], country: string, lenient: boolean): Normalized {
  if (digits.length <= 6) return invalid(digits.length === 1 || digits.charCodeAt(0) === 48 ? 'too-short' : 'short-code');
  // A shortcut for the North American plan and the simple trunk-0 plans; everything else, and every number the
  // shortcut does not find allocated, goes through libphonenumber.
  const place = territory(country);
  let nsn: string | undefined;
  if (place?.callingCode === '1') nsn = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits.length === 10 ? digits : undefined;
  else if (place !== undefined && trunkZeroRegions.has(country) && digits[0] === '0') nsn = digits.slice(1);
  if (place !== undefined && nsn !== undefined) {
    const found = findType(place.callingCode, nsn, country);
    if (found !== undefined) {
      return { ok: true, e164: `+${place.callingCode}${nsn}`, country: found.region, type: found.type, flags, alternates: noAlternates };
    }
  }
  return libphonenumber(digits, country, flags, lenient);
}

const typeNames: Record<string, NumberType> = {
  FIXED_LINE: 'fixed-line',
  MOBILE: 'mobile',
  FIXED_LINE_OR_MOBILE: 'fixed-line-or-mobile',
  TOLL_FREE: 'toll-free',
  PREMIUM_RATE: 'premium-rate',
  SHARED_COST: 'shared-cost',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'personal-number',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
};

function libphonenumber(text: string, country: string | undefined, flags: readonly Flag[], lenient: boolean): Normalized {
  const options = country === undefined ? {} : { defaultCountry: country as CountryCode };
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(text, { ...options, extract: false });
  } catch {
    parsed = undefined;
  }
  if (parsed !== undefined && parsed.isValid()) {
    const type = typeNames[parsed.getType() ?? ''] ?? 'unknown';
    return { ok: true, e164: parsed.number, country: parsed.country ?? country ?? 'unknown', type, flags, alternates: noAlternates };
  }
  if (parsed !== undefined && lenient && parsed.isPossible()) {
    return {
      ok: true,
      e164: parsed.number,
      country: parsed.country ?? country ?? 'unknown',
      type: 'unknown',
      flags: withFlag(flags, 'unverified'),
      alternates: noAlternates,
    };
  }
  let problem: string | undefined;
  try {
    problem = validatePhoneNumberLength(text, options);
  } catch {
    problem = 'NOT_A_NUMBER';
  }
  switch (problem) {
    case 'INVALID_COUNTRY':
      return invalid('invalid-country-code');
    case 'TOO_SHORT':
      return invalid('too-short');
    case 'TOO_LONG':
      return invalid('too-long');
    default:
      return invalid('invalid-number');
  }
}

/** The human form of a result: `E.164` or `INVALID`, then the reason or the flags. */
export function describe(result: Normalized): [string, string] {
  if (!result.ok) return ['INVALID', result.reason];
  return [result.e164, result.flags.join(',')];
}
