// The phone-number normalizer: any cell text in, an E.164 number or a reason from a closed set out. It never throws.
// A fast path handles digits, separators and a leading plus; everything spreadsheets do to numbers (text prefixes,
// scientific notation, labels, extensions, full-width digits) goes through the slow path first.

import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';
import { frenchCallingCodeOf, frenchRegions, resolveInternational, resolveNational, type FrenchResult } from './french-plan.js';
import { callingCodeOf, findType, territory, type NumberType } from './metadata.js';

export type { NumberType } from './metadata.js';

/** Why a text is not a usable phone number. Closed set: the README documents each. */
export const reasons = [
  'empty',
  'excel-error',
  'excel-mangled',
  'letters',
  'bad-characters',
  'short-code',
  'too-short',
  'too-long',
  'machine-to-machine',
  'invalid-country-code',
  'invalid-number',
] as const;
export type Reason = (typeof reasons)[number];

/** What was done to a text to read it as a number. Closed set. */
export const flagNames = [
  'excel-text',
  'scientific',
  'float-suffix',
  'full-width',
  'label',
  'extension',
  'idd-prefix',
  'no-plus',
  'trunk-zero',
  'repaired',
  'corrected-country',
  'ambiguous',
  'unverified',
] as const;
export type Flag = (typeof flagNames)[number];

export interface ValidNumber {
  readonly ok: true;
  /** `+` and up to 15 digits. */
  readonly e164: string;
  /** ISO 3166 region the number belongs to. */
  readonly country: string;
  readonly type: NumberType;
  readonly flags: readonly Flag[];
  /** Other E.164 numbers the same text may denote; a registry match on any of them counts. */
  readonly alternates: readonly string[];
}
export interface InvalidNumber {
  readonly ok: false;
  readonly reason: Reason;
}
export type Normalized = ValidNumber | InvalidNumber;

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

const noFlags: readonly Flag[] = Object.freeze([]);
const noAlternates: readonly string[] = Object.freeze([]);
const invalid = Object.fromEntries(reasons.map((r) => [r, Object.freeze({ ok: false, reason: r })])) as Record<
  Reason,
  InvalidNumber
>;

export function normalize(input: string, options: NormalizeOptions = {}): Normalized {
  const country = options.country ?? 'FR';
  const lenient = options.lenient === true;
  // Fast path: digits, common separators and one leading plus. Anything else takes the slow path.
  // Digits are collected by slicing runs rather than one character at a time: most cells are one to five runs.
  let digits = '';
  let plus = false;
  let dot = false;
  let runStart = -1;
  const length = input.length;
  for (let i = 0; i < length; i++) {
    const c = input.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0) {
      digits += input.slice(runStart, i);
      runStart = -1;
    }
    if (isSeparator(c)) dot ||= c === 46;
    else if (c === 43 && !plus && digits.length === 0) plus = true;
    else return slowPath(input, country, lenient);
  }
  if (runStart >= 0) digits = runStart === 0 ? input : digits + input.slice(runStart);
  if (digits.length === 0) return plus ? invalid['too-short'] : invalid.empty;
  // 612345678.0 is a float, not a dotted number.
  if (dot && floatSuffix.test(input.trim())) return slowPath(input, country, lenient);
  return classify(digits, plus, noFlags, country, lenient);
}

function isSeparator(c: number): boolean {
  // space . - / ( ) tab, NBSP, narrow NBSP, thin and figure spaces, en dash
  return (
    c === 32 || c === 46 || c === 45 || c === 47 || c === 40 || c === 41 || c === 9 ||
    c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x2007 || c === 0x2013 || c === 0x2010 || c === 0x2011
  );
}

const excelError = /^#(?:N\/A|REF!|VALUE!|DIV\/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!)/i;
const excelFormula = /^="(.*)"$/s;
const scientific = /^([0-9])(?:[.,]([0-9]+))?[eE]\+?([0-9]{1,2})$/;
const floatSuffix = /^([0-9]{6,})[.,]0+$/;
const label =
  /^(?:(?:t[ée]l[ée]phone|telephone|t[ée]l|tel|phone|mobile|mob|portable|port|gsm|fixe|cell(?:ulaire)?|num[ée]ro|num|n°|no|nr|domicile|dom|bureau|pro|perso|home|work|office|fax|contact)(?!\p{L})[\s.:°\-/]*)+/iu;
const extension = /(?:[\s,]*(?:poste|post|;ext=|ext|extension|x|#|;|p)[\s.:]*)([0-9]{1,6})$/i;
// Characters that copying from Outlook, Teams or a web page wraps around a number: zero-width spaces and joiners,
// bidirectional marks, embeddings, overrides and isolates, the word joiner, the soft hyphen and a stray BOM.
export const invisible = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const wideSpace = /^[\s\u00a0\u202f\u2007\u2009\u3000\ufeff]+|[\s\u00a0\u202f\u2007\u2009\u3000\ufeff]+$/g;

function slowPath(input: string, country: string, lenient: boolean): Normalized {
  const flags: Flag[] = [];
  let text = input.replace(invisible, '').replace(wideSpace, '');
  if (text.length === 0) return invalid.empty;
  if (excelError.test(text)) return invalid['excel-error'];

  // Excel's ways of keeping a number as text: ="0612..." and '0612...
  const formula = excelFormula.exec(text);
  if (formula !== null) {
    text = (formula[1] as string).trim();
    flags.push('excel-text');
  } else if (text.charCodeAt(0) === 39 /* ' */) {
    text = text.slice(1).trim();
    flags.push('excel-text');
  }
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1).trim();

  if (/[\uff01-\uff5e\u3000]/.test(text)) {
    text = text.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
    flags.push('full-width');
  }

  const sci = scientific.exec(text);
  if (sci !== null) {
    const mantissa = (sci[1] as string) + (sci[2] ?? '');
    const exponent = Number(sci[3]);
    // Excel shows 15 significant digits at most; fewer digits than the exponent needs means the number was cut.
    if (mantissa.length !== exponent + 1) return invalid['excel-mangled'];
    flags.push('scientific');
    return classify(mantissa, false, flags, country, lenient);
  }
  const float = floatSuffix.exec(text);
  if (float !== null) {
    flags.push('float-suffix');
    return classify(float[1] as string, false, flags, country, lenient);
  }

  const labelled = label.exec(text);
  if (labelled !== null && labelled[0].length < text.length && /[0-9+]/.test(text.charAt(labelled[0].length))) {
    text = text.slice(labelled[0].length);
    flags.push('label');
  }
  const ext = extension.exec(text);
  if (ext !== null) {
    const rest = text.slice(0, ext.index).trimEnd();
    if (/[0-9)]$/.test(rest) && countDigits(rest) >= 8) {
      text = rest;
      flags.push('extension');
    }
  }

  let digits = '';
  let plus = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += text[i];
    else if (isSeparator(c) || c === 0x3000 || c === 95 /* _ */) continue;
    else if (c === 43 && !plus && digits.length === 0) plus = true;
    else if (isLetter(text[i] as string)) return invalid.letters;
    else return invalid['bad-characters'];
  }
  if (digits.length === 0) return plus ? invalid['too-short'] : invalid.empty;
  return classify(digits, plus, flags, country, lenient);
}

/** How many ASCII digits a text holds. */
export function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function isLetter(ch: string): boolean {
  return /\p{L}/u.test(ch);
}

function classify(digits: string, plus: boolean, flags: readonly Flag[], country: string, lenient: boolean): Normalized {
  if (digits.length > 20) return invalid['too-long'];
  if (plus) return international(digits, flags, lenient);
  if (digits.startsWith('00')) return international(digits.slice(2), withFlag(flags, 'idd-prefix'), lenient);
  if ((country === 'US' || country === 'CA') && digits.startsWith('011')) {
    return international(digits.slice(3), withFlag(flags, 'idd-prefix'), lenient);
  }
  if (frenchRegions.has(country)) return frenchNational(digits, flags, lenient);
  return otherNational(digits, flags, country, lenient);
}

function frenchNational(digits: string, flags: readonly Flag[], lenient: boolean): Normalized {
  const n = digits.length;
  if (n === 10 && digits.charCodeAt(0) === 48) return french(resolveNational(digits.slice(1), lenient), flags);
  // Short codes (15, 3949, 118 000) never start with the trunk 0; a few digits that do are a cut number.
  if (n <= 6) return invalid[n === 1 || digits.charCodeAt(0) === 48 ? 'too-short' : 'short-code'];
  if (n === 9 && digits.charCodeAt(0) !== 48) {
    // A spreadsheet stored the number as a number and dropped its leading 0.
    return french(resolveNational(digits, lenient), withFlag(flags, 'repaired'));
  }
  if (n < 10) return invalid['too-short'];
  // A French-plan calling code without its plus: 33612345678, 330612345678, 262692123456.
  const callingCode = frenchCallingCodeOf(digits);
  if (callingCode !== undefined && n >= 11) {
    const withoutPlus = withFlag(flags, 'no-plus');
    return international(digits, withoutPlus, lenient);
  }
  if (n === 10) return invalid['invalid-number'];
  return invalid['too-long'];
}

function international(digits: string, flags: readonly Flag[], lenient: boolean): Normalized {
  if (digits.length === 0) return invalid['too-short'];
  if (digits.charCodeAt(0) === 48) return invalid['invalid-country-code'];
  const callingCode = frenchCallingCodeOf(digits);
  if (callingCode === undefined) {
    const code = callingCodeOf(digits);
    if (code === undefined) return invalid['invalid-country-code'];
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
  return french(result, flags);
}

function french(result: FrenchResult, flags: readonly Flag[]): Normalized {
  if (typeof result === 'string') return invalid[result];
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
  if (digits.length <= 6) return invalid[digits.length === 1 || digits.charCodeAt(0) === 48 ? 'too-short' : 'short-code'];
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
      return invalid['invalid-country-code'];
    case 'TOO_SHORT':
      return invalid['too-short'];
    case 'TOO_LONG':
      return invalid['too-long'];
    default:
      return invalid['invalid-number'];
  }
}

function withFlag(flags: readonly Flag[], flag: Flag): readonly Flag[] {
  return flags.includes(flag) ? flags : [...flags, flag];
}

/** The human form of a result: `E.164` or `INVALID`, then the reason or the flags. */
export function describe(result: Normalized): [string, string] {
  if (!result.ok) return ['INVALID', result.reason];
  return [result.e164, result.flags.join(',')];
}
