// Numbering-plan data from libphonenumber-js (max metadata), compiled once into anchored regular expressions so
// that the French fast path can validate a national number and tell its type without a full parse.

import { createRequire } from 'node:module';
import { Metadata, isSupportedCountry } from 'libphonenumber-js/max';
import metadataJson from 'libphonenumber-js/metadata.max.json';

export type NumberType =
  | 'fixed-line'
  | 'mobile'
  | 'toll-free'
  | 'premium-rate'
  | 'shared-cost'
  | 'voip'
  | 'personal-number'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'fixed-line-or-mobile'
  | 'unknown';

// libphonenumber's own type names, in the order it tests them.
const typeNames: ReadonlyArray<[string, NumberType]> = [
  ['FIXED_LINE', 'fixed-line'],
  ['MOBILE', 'mobile'],
  ['TOLL_FREE', 'toll-free'],
  ['PREMIUM_RATE', 'premium-rate'],
  ['SHARED_COST', 'shared-cost'],
  ['VOIP', 'voip'],
  ['PERSONAL_NUMBER', 'personal-number'],
  ['PAGER', 'pager'],
  ['UAN', 'uan'],
  ['VOICEMAIL', 'voicemail'],
];

export interface Territory {
  readonly region: string;
  readonly callingCode: string;
  readonly types: ReadonlyArray<readonly [RegExp, NumberType]>;
}

const territories = new Map<string, Territory>();
let metadata: Metadata | undefined;

/** The compiled plan of one region (ISO 3166 code), or undefined when libphonenumber does not know it. */
export function territory(region: string): Territory | undefined {
  let found = territories.get(region);
  if (found !== undefined) return found;
  if (!isSupportedCountry(region)) return undefined;
  metadata ??= new Metadata();
  metadata.selectNumberingPlan(region);
  const plan = metadata.numberingPlan as unknown as PlanInternals;
  const types: Array<readonly [RegExp, NumberType]> = [];
  for (const [name, type] of typeNames) {
    const pattern = plan.type(name)?.pattern();
    if (pattern) types.push([new RegExp(`^(?:${pattern})$`), type]);
  }
  found = { region, callingCode: plan.callingCode(), types };
  territories.set(region, found);
  return found;
}

/** The type of a national significant number in a territory, or undefined when the plan does not allow it. */
export function typeIn(place: Territory, nationalNumber: string): NumberType | undefined {
  for (let i = 0; i < place.types.length; i++) {
    const [pattern, type] = place.types[i] as readonly [RegExp, NumberType];
    if (!pattern.test(nationalNumber)) continue;
    // Where fixed lines and mobiles share ranges (North America), say so as libphonenumber does.
    if (type === 'fixed-line' && place.types[i + 1]?.[1] === 'mobile' && place.types[i + 1]?.[0].test(nationalNumber)) {
      return 'fixed-line-or-mobile';
    }
    return type;
  }
  return undefined;
}

const callingCodes = (metadataJson as unknown as { country_calling_codes: Record<string, string[]> }).country_calling_codes;

/** The calling code an E.164 digit string starts with (calling codes are prefix-free), if any. */
export function callingCodeOf(digits: string): string | undefined {
  for (let length = 1; length <= 3; length++) {
    const code = digits.slice(0, length);
    if (callingCodes[code] !== undefined) return code;
  }
  return undefined;
}

/** The length of the calling code an E.164 digit string starts with: 3 digits (at most) where none is assigned. */
export function callingCodeLength(digits: string): number {
  return callingCodeOf(digits)?.length ?? Math.min(3, digits.length);
}

/**
 * The region and type of a significant number under a calling code, testing the regions that share the code
 * (`first` before the others), or undefined when none allocates it.
 */
export function findType(callingCode: string, nationalNumber: string, first?: string): { region: string; type: NumberType } | undefined {
  const regions = callingCodes[callingCode] ?? [];
  const ordered = first !== undefined && regions.includes(first) ? [first, ...regions.filter((r) => r !== first)] : regions;
  for (const region of ordered) {
    const place = territory(region);
    if (place === undefined) continue;
    const type = typeIn(place, nationalNumber);
    if (type !== undefined) return { region, type };
  }
  return undefined;
}

// libphonenumber-js exposes these on its numbering plan object; its own getNumberType() uses them.
interface PlanInternals {
  callingCode(): string;
  type(name: string): { pattern(): string } | undefined;
}

let version: string | undefined;
/** Which phone metadata this build validates with, for reports: `libphonenumber-js@1.13.16`. */
export function metadataVersion(): string {
  if (version === undefined) {
    const require = createRequire(import.meta.url);
    const pkg = require('libphonenumber-js/package.json') as { version: string };
    version = `libphonenumber-js@${pkg.version}`;
  }
  return version;
}
