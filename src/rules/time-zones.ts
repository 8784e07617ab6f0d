// Where a number's holder may be: the IANA zones of its local time and, for the French plan, the territories whose
// holidays apply. A prefix is only a guess at where someone lives, so every place the number may be in is returned
// and the calling rules keep to what is legal in all of them; a number with no known zone gets undefined.

import { missingAreaCodeZones, overlaidAreaCodes } from './nanp-overlays.js';
import { areaCodesByZones } from './nanp-tables.js';
import type { FrenchTerritory } from './holidays.js';

export interface Place {
  readonly timeZone: string;
  /** French territories whose holidays apply there (none outside the French plan). */
  readonly territories: readonly FrenchTerritory[];
}

const place = (timeZone: string, ...territories: FrenchTerritory[]): Place => ({ timeZone, territories });

// Mainland fixed lines outside the 03 range are outside Alsace-Moselle; 03 numbers may be there, and so may every
// number not tied to a place (mobiles 06/07, 08, 09): the conservative reading of the issue.
const outsideAlsace = new Set(['1', '2', '4', '5']);
const mainland = place('Europe/Paris', 'mainland');
const mainlandOrAlsace = place('Europe/Paris', 'mainland', 'alsace-moselle');
const reunion = place('Indian/Reunion', 'RE');
const mayotte = place('Indian/Mayotte', 'YT');
// Saint-Martin and Saint-Barthélemy share +590 with Guadeloupe and its clock (UTC-4, no DST): all three days apply.
const guadeloupe = place('America/Guadeloupe', 'GP', 'MF', 'BL');

const frenchPlaces: Readonly<Record<string, readonly Place[]>> = {
  '590': [guadeloupe],
  '596': [place('America/Martinique', 'MQ')],
  '594': [place('America/Cayenne', 'GF')],
  '508': [place('America/Miquelon', 'PM')],
};

// +262 is shared by Réunion and Mayotte (DOMAIN.md, and french-plan.ts's prefixes); another range may be either.
const reunionRanges = new Set(['262', '263', '692', '693']);
const mayotteRanges = new Set(['269', '639']);

/** Whether an E.164 value is a mainland French number (33 and nine digits): most of a French campaign, told without its digits as text. */
export function isMainlandFrench(value: number): boolean {
  return value >= 33_000_000_000 && value < 34_000_000_000;
}

/** The places a number of the French plan (E.164 digits, no plus) may be in, or undefined outside that plan. */
export function frenchPlacesOf(digits: string): readonly Place[] | undefined {
  if (digits.startsWith('33')) return outsideAlsace.has(digits.charAt(2)) ? [mainland] : [mainlandOrAlsace];
  const code = digits.slice(0, 3);
  if (code === '262') {
    const range = digits.slice(3, 6);
    if (reunionRanges.has(range)) return [reunion];
    if (mayotteRanges.has(range)) return [mayotte];
    return [reunion, mayotte];
  }
  return frenchPlaces[code];
}

let zonesByAreaCode: ReadonlyMap<string, readonly string[]> | undefined;

/**
 * The zones of a NANP area code: libphonenumber's (nanp-tables.ts), the places it misses, and the zones of every code
 * it overlays or that overlays it (nanp-overlays.ts), since a number of any of them may be anywhere in their area.
 * The code's own zones come first, so that the first one stays the one its numbers mostly keep.
 */
export function areaCodeZones(areaCode: string): readonly string[] | undefined {
  zonesByAreaCode ??= buildZonesByAreaCode();
  return zonesByAreaCode.get(areaCode);
}

function buildZonesByAreaCode(): ReadonlyMap<string, readonly string[]> {
  const own = new Map<string, readonly string[]>();
  for (const [zones, codes] of Object.entries(areaCodesByZones)) {
    const list = zones.split(' ');
    for (const code of codes.split(' ')) own.set(code, list);
  }
  for (const [code, places] of Object.entries(missingAreaCodeZones)) own.set(code, [...(own.get(code) ?? []), ...Object.keys(places)]);
  // Overlay groups: each code's group is every code reachable through the overlay table, in either direction.
  const groupOf = new Map<string, Set<string>>();
  for (const [overlay, overlaid] of Object.entries(overlaidAreaCodes)) {
    let group = groupOf.get(overlay) ?? new Set([overlay]);
    for (const code of overlaid.split(' ')) {
      const other = groupOf.get(code) ?? new Set([code]);
      if (other !== group) for (const member of other) group.add(member);
    }
    for (const member of group) groupOf.set(member, group);
  }
  const built = new Map<string, readonly string[]>();
  for (const [code, zones] of own) {
    const shared = [...(groupOf.get(code) ?? [code])].flatMap((member) => own.get(member) ?? []);
    const gained = [...new Set(shared)].filter((zone) => !zones.includes(zone)).sort();
    built.set(code, Object.freeze([...new Set(zones), ...gained]));
  }
  return built;
}

/** The IANA zones a number (E.164 digits, no plus) may be in: every one of them, or undefined when unknown. */
export function timeZonesOf(digits: string): readonly string[] | undefined {
  const french = frenchPlacesOf(digits);
  if (french !== undefined) return [...new Set(french.map((p) => p.timeZone))];
  if (digits.startsWith('1') && digits.length === 11) return areaCodeZones(digits.slice(1, 4));
  return undefined;
}
