// How often a number may be called, from its call history: France's D223-9 (at most 4 calls or attempts in 30
// rolling days, answered or not, and none for 60 days after the consumer refused) and the states that cap calls at 3
// in 24 hours (Florida 501.059, Oklahoma, Maryland). Pure functions over one number's attempts; a rolling window is
// counted in seconds (30 days = 30 x 86,400 s before the instant judged), and an attempt is in it when it is later
// than the window's start. Attempts recorded after the instant judged count too: the history never undercounts.

import { jurisdictionOf, type RuleSetName } from './calling-hours.js';
import { areaCodesByStrictState, geocodedAreaCodes } from './nanp-tables.js';
import { isMainlandFrench } from './time-zones.js';

export const contactReasons = ['refusal-pause', 'frequency-cap'] as const;
export type ContactReason = (typeof contactReasons)[number];

const day = 86_400;

export interface ContactLimits {
  readonly rule: RuleSetName;
  /** At most `attempts` in any `windowSeconds`; undefined: no cap. */
  readonly cap: { readonly attempts: number; readonly windowSeconds: number; readonly label: string } | undefined;
  /** No call for this long after a refusal; undefined: no pause. */
  readonly pauseSeconds: number | undefined;
}

const french: ContactLimits = Object.freeze({ rule: 'fr', cap: Object.freeze({ attempts: 4, windowSeconds: 30 * day, label: '4 in 30 days' }), pauseSeconds: 60 * day });
const strictState: ContactLimits = Object.freeze({ rule: 'us', cap: Object.freeze({ attempts: 3, windowSeconds: day, label: '3 in 24 hours' }), pauseSeconds: undefined });

/** How far back any rule looks: attempts older than this before the instant judged change nothing. */
export const lookbackSeconds = 60 * day;

let cappedAreaCodes: ReadonlySet<string> | undefined;
let knownAreaCodes: ReadonlySet<string> | undefined;

/**
 * The limits of the rules named that govern a number given as its E.164 value: a mainland French number (most of a
 * French campaign) without making its digits a string.
 */
export function contactLimitsOfValue(value: number, rules: readonly RuleSetName[]): ContactLimits | undefined {
  if (isMainlandFrench(value)) return rules.includes('fr') ? french : undefined;
  return contactLimitsOf(String(value), rules);
}

/**
 * The limits of the rules named that govern a number (E.164 digits, no plus), or undefined when none does. A US
 * number whose state is unknown is held to the 24-hour cap: it may be in Florida.
 */
export function contactLimitsOf(digits: string, rules: readonly RuleSetName[]): ContactLimits | undefined {
  const found = jurisdictionOf(digits, rules);
  if (found === undefined) return undefined;
  if (found.rule === 'fr') return french;
  if (found.rule === 'ca') return undefined;
  cappedAreaCodes ??= new Set(['FL', 'OK', 'MD'].flatMap((state) => (areaCodesByStrictState[state] ?? '').split(' ')));
  knownAreaCodes ??= new Set(geocodedAreaCodes.split(' '));
  const areaCode = found.areaCode as string;
  return found.region === undefined || cappedAreaCodes.has(areaCode) || !knownAreaCodes.has(areaCode) ? strictState : undefined;
}

export type ContactVerdict =
  | { readonly blocked: false }
  | {
      readonly blocked: true;
      readonly reason: ContactReason;
      readonly rule: RuleSetName;
      /** The first second the number may be called again (as far as this rule goes). */
      readonly until: number;
      /** frequency-cap: the attempts in the window; refusal-pause: the second of the refusal. */
      readonly attempts?: number;
      readonly refusedAt?: number;
      readonly label?: string;
    };

export const notBlocked: ContactVerdict = Object.freeze({ blocked: false });

/**
 * Whether the attempts `seconds[start..end)` (oldest first, with their refusal flags and their counts of calls at
 * that instant) leave a number callable at second `at` under `limits`. A refusal pause beats a frequency cap.
 */
export function judgeContact(seconds: Uint32Array, refusals: Uint8Array, counts: Uint8Array, start: number, end: number, limits: ContactLimits, at: number): ContactVerdict {
  if (limits.pauseSeconds !== undefined) {
    for (let i = end - 1; i >= start; i--) {
      if (refusals[i] !== 1) continue;
      const until = (seconds[i] as number) + limits.pauseSeconds;
      if (until > at) return { blocked: true, reason: 'refusal-pause', rule: limits.rule, until, refusedAt: seconds[i] as number };
      break;
    }
  }
  const cap = limits.cap;
  if (cap !== undefined) {
    const from = at - cap.windowSeconds;
    // Back from the newest: `reached` is where the calls counted first make the cap; the number is callable again
    // once that instant leaves the window (the calls after it are one fewer than the cap).
    let calls = 0;
    let reached = -1;
    for (let i = end - 1; i >= start && (seconds[i] as number) > from; i--) {
      calls += counts[i] as number;
      if (reached < 0 && calls >= cap.attempts) reached = i;
    }
    if (reached >= 0) {
      const until = (seconds[reached] as number) + cap.windowSeconds;
      return { blocked: true, reason: 'frequency-cap', rule: limits.rule, until, attempts: calls, label: cap.label };
    }
  }
  return notBlocked;
}
