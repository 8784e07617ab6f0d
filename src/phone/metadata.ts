// Numbering-plan data from libphonenumber-js (max metadata), compiled once into anchored regular expressions so
// that the French fast path can validate a national number and tell its type without a full parse.

import { createRequire } from 'node:module';
import { Metadata, isSupportedCountry } from 'libphonenumber-js/max';

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
  for (const [pattern, type] of place.types) if (pattern.test(nationalNumber)) return type;
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
