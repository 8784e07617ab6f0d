// What the normalizer says of a text: a usable number (E.164, region, type, what was done to read it, the other
// numbers the same text may denote) or why it is none. Closed sets, documented in the README.

import type { NumberType } from './metadata.js';

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
  // a workbook's number cell whose number format shows other digits than it stores (appended: the set is closed)
  'number-format',
] as const;
export type Reason = (typeof reasons)[number];

/** What was done to a text to read it as a number. Closed set. */
export const flagNames = [
  'excel-text',
  'scientific',
  'float-suffix',
  'full-width',
  'unicode-digits',
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

const frozenInvalid = Object.fromEntries(reasons.map((r) => [r, Object.freeze({ ok: false, reason: r })])) as Record<Reason, InvalidNumber>;

/** The one result object for each reason. */
export function invalid(reason: Reason): InvalidNumber {
  return frozenInvalid[reason];
}

export const noFlags: readonly Flag[] = Object.freeze([]);
export const noAlternates: readonly string[] = Object.freeze([]);

export function withFlag(flags: readonly Flag[], flag: Flag): readonly Flag[] {
  return flags.includes(flag) ? flags : [...flags, flag];
}
