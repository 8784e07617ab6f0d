// When a number may be called: France's D223-9 (Monday to Friday 10:00-13:00 and 14:00-20:00, never on a public
// holiday of a territory the number may be in), the US TCPA (8:00-21:00; 8:00-20:00 where a state says so) and
// Canada's CRTC rules (weekdays 9:00-21:30, weekends 10:00-18:00), in the number's local time. Pure functions: a
// number in several zones may be called only when every one of them allows it, and one in no known zone never.

import { findType } from '../phone/metadata.js';
import { frenchHolidayOn } from './holidays.js';
import { instantAt, isoInZone, isoWeekday, localTime } from './local-time.js';
import { areaCodesByStrictState, geocodedAreaCodes } from './nanp-tables.js';
import { areaCodeZones, frenchPlacesOf, type Place } from './time-zones.js';

import { type RuleSetName } from './rule-sets.js';

export { ruleSetNames, type RuleSetName } from './rule-sets.js';

/** Why a number may not be called at an instant. */
export const notCallableReasons = ['hours', 'holiday', 'unknown-zone'] as const;
export type NotCallableReason = (typeof notCallableReasons)[number];

export type CallVerdict =
  | { readonly callable: true; readonly rule: RuleSetName | undefined }
  | {
      readonly callable: false;
      readonly rule: RuleSetName;
      readonly reason: NotCallableReason;
      /** The zone whose local time forbids the call (absent for an unknown zone). */
      readonly timeZone?: string;
      /** The holiday's name, for reason `holiday`. */
      readonly holiday?: string;
    };

export type CallWindow =
  /** The next legal window: `start` and `end` (exclusive) in ISO 8601 with the offset of `timeZone`. */
  | { readonly kind: 'window'; readonly rule: RuleSetName; readonly timeZone: string; readonly start: string; readonly end: string; readonly startInstant: number; readonly endInstant: number }
  /** No rule named applies to the number. */
  | { readonly kind: 'unrestricted' }
  | { readonly kind: 'unknown-zone'; readonly rule: RuleSetName };

/** Allowed local hours of a day, as [start, end) minutes since midnight, by ISO weekday (Monday 1 ... Sunday 7). */
type Hours = (weekday: number) => ReadonlyArray<readonly [number, number]>;

const none: ReadonlyArray<readonly [number, number]> = [];
const frenchHours: Hours = (weekday) => (weekday <= 5 ? [[600, 780], [840, 1200]] : none);
const tcpaHours: Hours = () => [[480, 1260]];
// Florida 501.059, Oklahoma, Maryland and Washington: 8:00-20:00.
const strictStateHours: Hours = () => [[480, 1200]];
const crtcHours: Hours = (weekday) => (weekday <= 5 ? [[540, 1290]] : [[600, 1080]]);

interface Constraint {
  readonly place: Place;
  readonly hours: Hours;
}

type Applicable =
  | { readonly kind: 'none' }
  | { readonly kind: 'unknown-zone'; readonly rule: RuleSetName }
  | { readonly kind: 'places'; readonly rule: RuleSetName; readonly constraints: readonly Constraint[] };

// US territories where the TCPA applies share +1 with the states.
const usRegions = new Set(['US', 'PR', 'VI', 'GU', 'AS', 'MP']);
let strictAreaCodes: ReadonlySet<string> | undefined;
let knownAreaCodes: ReadonlySet<string> | undefined;

/** A US area code under a state rule stricter than the TCPA's, or whose state is unknown (the strictest then). */
function strictUsAreaCode(areaCode: string): boolean {
  strictAreaCodes ??= new Set(Object.values(areaCodesByStrictState).flatMap((codes) => codes.split(' ')));
  knownAreaCodes ??= new Set(geocodedAreaCodes.split(' '));
  return strictAreaCodes.has(areaCode) || !knownAreaCodes.has(areaCode);
}

/** The rule set named that governs a number, if any, and for North American numbers its region and area code. */
export interface Jurisdiction {
  readonly rule: RuleSetName;
  /** libphonenumber's region of a +1 number (undefined when it cannot tell). */
  readonly region?: string;
  readonly areaCode?: string;
}

/** Which of the rules named applies to a number (E.164 digits, no plus): France's to the French plan, the US's and Canada's to NANP numbers. */
export function jurisdictionOf(digits: string, rules: readonly RuleSetName[]): Jurisdiction | undefined {
  if (frenchPlacesOf(digits) !== undefined) return rules.includes('fr') ? { rule: 'fr' } : undefined;
  if (!digits.startsWith('1') || digits.length !== 11) return undefined;
  const region = findType('1', digits.slice(1))?.region;
  const areaCode = digits.slice(1, 4);
  let rule: RuleSetName | undefined;
  if (region === 'CA') rule = rules.includes('ca') ? 'ca' : undefined;
  else if (region !== undefined && usRegions.has(region)) rule = rules.includes('us') ? 'us' : undefined;
  // A North American number whose country libphonenumber cannot tell falls under whichever rule was named.
  else if (region === undefined) rule = rules.find((name) => name === 'us' || name === 'ca');
  return rule === undefined ? undefined : { rule, region, areaCode };
}

/**
 * Which named rule applies to a number, and in which places: one number (E.164 digits, no plus), or every number an
 * ambiguous one may be (`09 76 12 34 56`: the mainland, Guadeloupe or Guyane), whose places all count, as a NANP area
 * code's zones do. One reading in no known zone makes the whole unknown.
 */
function applicable(digits: string | readonly string[], rules: readonly RuleSetName[]): Applicable {
  if (typeof digits !== 'string') {
    const all = digits.map((reading) => applicableOne(reading, rules));
    const unknown = all.find((a) => a.kind === 'unknown-zone');
    if (unknown !== undefined) return unknown;
    const places = all.filter((a): a is Applicable & { kind: 'places' } => a.kind === 'places');
    if (places.length <= 1) return places[0] ?? { kind: 'none' };
    return { kind: 'places', rule: (places[0] as { rule: RuleSetName }).rule, constraints: places.flatMap((p) => p.constraints) };
  }
  return applicableOne(digits, rules);
}

function applicableOne(digits: string, rules: readonly RuleSetName[]): Applicable {
  const found = jurisdictionOf(digits, rules);
  if (found === undefined) return { kind: 'none' };
  const { rule, region, areaCode } = found;
  if (rule === 'fr') return { kind: 'places', rule, constraints: (frenchPlacesOf(digits) as readonly Place[]).map((place) => ({ place, hours: frenchHours })) };
  const zones = areaCodeZones(areaCode as string);
  if (zones === undefined || region === undefined) return { kind: 'unknown-zone', rule };
  const hours = rule === 'ca' ? crtcHours : strictUsAreaCode(areaCode as string) ? strictStateHours : tcpaHours;
  return { kind: 'places', rule, constraints: zones.map((timeZone) => ({ place: { timeZone, territories: [] }, hours })) };
}

/**
 * Whether a number (E.164 digits, no plus; or every reading of an ambiguous one) may be called at an instant (epoch
 * milliseconds) under the rules named.
 */
export function mayCallAt(digits: string | readonly string[], instant: number, rules: readonly RuleSetName[]): CallVerdict {
  const found = applicable(digits, rules);
  if (found.kind === 'none') return { callable: true, rule: undefined };
  if (found.kind === 'unknown-zone') return { callable: false, rule: found.rule, reason: 'unknown-zone' };
  for (const { place, hours } of found.constraints) {
    const local = localTime(instant, place.timeZone);
    const holiday = place.territories.length > 0 ? frenchHolidayOn(local.day, place.territories) : undefined;
    if (holiday !== undefined) {
      return { callable: false, rule: found.rule, reason: 'holiday', timeZone: place.timeZone, holiday: holiday.name };
    }
    if (!hours(local.weekday).some(([start, end]) => local.minutes >= start && local.minutes < end)) {
      return { callable: false, rule: found.rule, reason: 'hours', timeZone: place.timeZone };
    }
  }
  return { callable: true, rule: found.rule };
}

// Days worked out at a time: a window is rarely more than four days away (a weekend next to two holidays).
const chunkDays = 7;
// Far beyond any real gap: zones that never share a legal hour would otherwise loop for ever.
const horizonDays = 56;

const hoursNames = new Map<Hours, string>([
  [frenchHours, 'fr'],
  [tcpaHours, 'tcpa'],
  [strictStateHours, 'strict'],
  [crtcHours, 'crtc'],
]);
const windows = new Map<string, CallWindow>();

/**
 * The next legal window from an instant (the one in progress, starting at `from`, when the number may be called
 * then), over every zone the number may be in. Numbers in the same places share their windows: a scrub's million
 * rows ask for a few dozen.
 */
export function nextWindow(digits: string | readonly string[], from: number, rules: readonly RuleSetName[]): CallWindow {
  const found = applicable(digits, rules);
  if (found.kind === 'none') return { kind: 'unrestricted' };
  if (found.kind === 'unknown-zone') return found;
  const key = `${from} ${found.rule} ${found.constraints.map((c) => `${c.place.timeZone}:${c.place.territories.join('+')}:${hoursNames.get(c.hours)}`).join(' ')}`;
  let window = windows.get(key);
  if (window === undefined) {
    if (windows.size >= 10_000) windows.clear();
    window = windowOf(found, from);
    windows.set(key, window);
  }
  return window;
}

function windowOf(found: Applicable & { kind: 'places' }, from: number): CallWindow {
  const timeZone = (found.constraints[0] as Constraint).place.timeZone;
  const today = localTime(from, timeZone).day;
  for (let firstDay = today; firstDay <= today + horizonDays; firstDay += chunkDays) {
    // Each zone's days from the day before to the day after the chunk: the zones of one number are less than a day
    // apart, so a window starting within the chunk (in the first zone's days) is whole in every zone.
    let windows = allowedIntervals(found.constraints[0] as Constraint, firstDay - 1, firstDay + chunkDays + 1);
    for (const constraint of found.constraints.slice(1)) {
      windows = intersect(windows, allowedIntervals(constraint, firstDay - 1, firstDay + chunkDays + 1));
    }
    const chunkEnd = instantAt(firstDay + chunkDays, 0, timeZone);
    const next = windows.find(([start, end]) => end > from && start < chunkEnd);
    if (next !== undefined) {
      const start = Math.max(next[0], from);
      return { kind: 'window', rule: found.rule, timeZone, start: isoInZone(start, timeZone), end: isoInZone(next[1], timeZone), startInstant: start, endInstant: next[1] };
    }
  }
  // Places that never share a legal hour: no window can be given, which is as much as a zone not known.
  return { kind: 'unknown-zone', rule: found.rule };
}

/** The instants a constraint allows on its local days from `firstDay` to `lastDay`, in order, as [start, end). */
function allowedIntervals({ place, hours }: Constraint, firstDay: number, lastDay: number): Array<readonly [number, number]> {
  const intervals: Array<readonly [number, number]> = [];
  for (let day = firstDay; day <= lastDay; day++) {
    if (place.territories.length > 0 && frenchHolidayOn(day, place.territories) !== undefined) continue;
    for (const [start, end] of hours(isoWeekday(day))) {
      intervals.push([instantAt(day, start, place.timeZone), instantAt(day, end, place.timeZone)]);
    }
  }
  return intervals;
}

function intersect(a: ReadonlyArray<readonly [number, number]>, b: ReadonlyArray<readonly [number, number]>): Array<readonly [number, number]> {
  const both: Array<readonly [number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [aStart, aEnd] = a[i] as readonly [number, number];
    const [bStart, bEnd] = b[j] as readonly [number, number];
    const start = Math.max(aStart, bStart);
    const end = Math.min(aEnd, bEnd);
    if (start < end) both.push([start, end]);
    if (aEnd < bEnd) i++;
    else j++;
  }
  return both;
}
