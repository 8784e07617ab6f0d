// Calling hours (issue 11): D223-9 in each French territory's local time and holidays, the TCPA and the CRTC's hours
// in each NANP area code's zones, at their boundaries and across DST changes; the facts come from DOMAIN.md.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayOf } from '../src/dates.js';
import { territory, typeIn, type Territory } from '../src/phone/metadata.js';
import { mayCallAt, nextWindow, type RuleSetName } from '../src/rules/calling-hours.js';
import { canadaFederalHolidays, easterSunday, frenchHolidays, usFederalHolidays } from '../src/rules/holidays.js';
import { instantAt, knownTimeZone } from '../src/rules/local-time.js';
import { missingAreaCodeZones, overlaidAreaCodes } from '../src/rules/nanp-overlays.js';
import { areaCodesByZones } from '../src/rules/nanp-tables.js';
import { areaCodeZones, frenchPlacesOf, timeZonesOf } from '../src/rules/time-zones.js';

const all: readonly RuleSetName[] = ['fr', 'us', 'ca'];
const at = (iso: string): number => {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) throw new Error(`bad instant ${iso}`);
  return instant;
};
const callable = (digits: string, iso: string, rules = all) => mayCallAt(digits, at(iso), rules).callable;
const reason = (digits: string, iso: string, rules = all) => {
  const verdict = mayCallAt(digits, at(iso), rules);
  return verdict.callable ? 'callable' : verdict.reason;
};
const windowFrom = (digits: string, iso: string, rules = all) => {
  const found = nextWindow(digits, at(iso), rules);
  return found.kind === 'window' ? [found.start, found.end] : found.kind;
};
/** Why not (or 'callable') at 11:00 local time on a date in a zone. */
const reasonAtLocal = (digits: string, date: string, zone: string) => {
  const verdict = mayCallAt(digits, instantAt(dayOf(date) as number, 660, zone), all);
  return verdict.callable ? 'callable' : verdict.reason;
};
const isoDay = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

// Sample numbers of each place (fictional subscriber digits).
const paris01 = '33145000000';
const alsace03 = '33388000000';
const mobile06 = '33612345678';
const mobile07 = '33712345678';
const voip09 = '33912345678';
const reunion = '262262123456';
const reunionMobile = '262692123456';
const mayotte = '262269612345';
const mayotteMobile = '262639123456';
const guadeloupe = '590590123456';
const martinique = '596596123456';
const guyane = '594594123456';
const miquelon = '508411234';

describe('time zones of a number', () => {
  it.each([
    [paris01, ['Europe/Paris']],
    [mobile06, ['Europe/Paris']],
    [reunion, ['Indian/Reunion']],
    [reunionMobile, ['Indian/Reunion']],
    ['262693123456', ['Indian/Reunion']],
    [mayotte, ['Indian/Mayotte']],
    [mayotteMobile, ['Indian/Mayotte']],
    ['262800123456', ['Indian/Reunion', 'Indian/Mayotte']],
    [guadeloupe, ['America/Guadeloupe']],
    ['590690123456', ['America/Guadeloupe']],
    [martinique, ['America/Martinique']],
    [guyane, ['America/Cayenne']],
    [miquelon, ['America/Miquelon']],
    ['12125550123', ['America/New_York']],
    ['14165550123', ['America/Toronto']],
    ['12705550123', ['America/Chicago', 'America/New_York']],
    ['18505550123', ['America/Chicago', 'America/New_York']],
  ])('+%s is in %j', (digits, zones) => {
    expect(timeZonesOf(digits)).toEqual(zones);
  });

  it('is unknown for a toll-free NANP number, an area code without zone data, and other countries', () => {
    expect(timeZonesOf('18005550123')).toBeUndefined();
    expect(timeZonesOf('12735550123')).toBeUndefined();
    expect(timeZonesOf('442079460958')).toBeUndefined();
  });

  it('places a +590 number in Guadeloupe, Saint-Martin and Saint-Barthélemy at once', () => {
    expect(frenchPlacesOf(guadeloupe)).toEqual([{ timeZone: 'America/Guadeloupe', territories: ['GP', 'MF', 'BL'] }]);
  });

  it('places 03 numbers and every mobile, 08 and 09 number possibly in Alsace-Moselle, and 01, 02, 04, 05 not', () => {
    for (const digits of [alsace03, mobile06, mobile07, voip09, '33801234567']) {
      expect(frenchPlacesOf(digits)?.[0]?.territories).toContain('alsace-moselle');
    }
    for (const digits of [paris01, '33299000000', '33465710000', '33536491111']) {
      expect(frenchPlacesOf(digits)?.[0]?.territories).toEqual(['mainland']);
    }
  });

  it('knows every zone of its NANP table through Node ICU', () => {
    const zones = new Set(Object.keys(areaCodesByZones).flatMap((key) => key.split(' ')));
    expect([...zones].filter((zone) => !knownTimeZone(zone))).toEqual([]);
  });

  it('has zones for every area code libphonenumber allocates to the US or Canada, except 273 (no source yet)', () => {
    const plans = ['US', 'CA'].map((region) => territory(region) as Territory);
    const allocated: string[] = [];
    for (let code = 200; code <= 999; code++) {
      for (let exchange = 200; exchange <= 999; exchange++) {
        const nsn = `${code}${exchange}4567`;
        const type = plans.map((plan) => typeIn(plan, nsn)).find((found) => found !== undefined);
        if (type === 'fixed-line' || type === 'mobile' || type === 'fixed-line-or-mobile') {
          allocated.push(String(code));
          break;
        }
      }
    }
    expect(allocated.length).toBeGreaterThan(400);
    expect(allocated.filter((code) => areaCodeZones(code) === undefined)).toEqual(['273']);
  });
});

describe('French public holidays', () => {
  const national = (year: number) =>
    frenchHolidays(year)
      .filter((holiday) => holiday.territories === undefined)
      .map((holiday) => isoDay(holiday.day));

  it('are the 11 national days of L3133-1, with Easter Monday, Ascension and Whit Monday moving with Easter', () => {
    expect(national(2026)).toEqual([
      '2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25',
      '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25',
    ]);
    expect(national(2027)).toEqual([
      '2027-01-01', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-08', '2027-05-17',
      '2027-07-14', '2027-08-15', '2027-11-01', '2027-11-11', '2027-12-25',
    ]);
  });

  it('finds Easter Sunday as the computus does (2024 to 2030, 2038 late, 2285 latest possible day)', () => {
    const easters = [2024, 2025, 2026, 2027, 2028, 2029, 2030, 2038, 2285].map((year) => isoDay(easterSunday(year)));
    expect(easters).toEqual(['2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2028-04-16', '2029-04-01', '2030-04-21', '2038-04-25', '2285-03-22']);
  });

  describe.each([2026, 2027])('in %i', (year) => {
    it.each(national(year))('no number of the French plan may be called on %s', (date) => {
      for (const [digits, zone] of [[paris01, 'Europe/Paris'], [alsace03, 'Europe/Paris'], [reunion, 'Indian/Reunion'], [mayotte, 'Indian/Mayotte'], [guadeloupe, 'America/Guadeloupe'], [martinique, 'America/Martinique'], [guyane, 'America/Cayenne'], [miquelon, 'America/Miquelon']] as const) {
        expect([digits, reasonAtLocal(digits, date, zone)]).toEqual([digits, 'holiday']);
      }
    });
  });

  it('keeps the eve and the morrow of a weekday holiday callable (Ascension 2026, Thursday 14 May)', () => {
    expect(callable(paris01, '2026-05-13T11:00:00+02:00')).toBe(true);
    expect(callable(paris01, '2026-05-14T11:00:00+02:00')).toBe(false);
    expect(callable(paris01, '2026-05-15T11:00:00+02:00')).toBe(true);
  });

  // Each territory's number, its zone and its own days (a weekday in the year chosen).
  const territories = [
    { name: 'Mayotte', digits: mayotte, zone: 'Indian/Mayotte', days: ['2026-04-27'] },
    { name: 'Martinique', digits: martinique, zone: 'America/Martinique', days: ['2026-05-22'] },
    { name: 'Guadeloupe, Saint-Martin, Saint-Barthélemy', digits: guadeloupe, zone: 'America/Guadeloupe', days: ['2026-05-27', '2026-05-28', '2026-10-09'] },
    { name: 'Guyane', digits: guyane, zone: 'America/Cayenne', days: ['2026-06-10'] },
    { name: 'Réunion', digits: reunion, zone: 'Indian/Reunion', days: ['2027-12-20'] },
    { name: 'Saint-Pierre-et-Miquelon', digits: miquelon, zone: 'America/Miquelon', days: [] },
    { name: 'the mainland', digits: paris01, zone: 'Europe/Paris', days: [] },
    { name: 'Alsace-Moselle', digits: alsace03, zone: 'Europe/Paris', days: [] },
  ];
  const overseasDays = territories.flatMap((t) => t.days.map((date) => ({ owner: t.name, date })));

  it.each(overseasDays)('$date is a holiday in $owner only', ({ owner, date }) => {
    for (const t of territories) {
      expect([t.name, reasonAtLocal(t.digits, date, t.zone)]).toEqual([t.name, t.name === owner ? 'holiday' : 'callable']);
    }
  });

  it('a Réunion number is callable on 27 May, a Guadeloupe one is not', () => {
    expect(callable(reunion, '2026-05-27T11:00:00+04:00')).toBe(true);
    expect(mayCallAt(guadeloupe, at('2026-05-27T11:00:00-04:00'), ['fr'])).toEqual({
      callable: false,
      rule: 'fr',
      reason: 'holiday',
      timeZone: 'America/Guadeloupe',
      holiday: "Abolition de l'esclavage",
    });
  });

  it("observes Alsace-Moselle's Good Friday and 26 December for 03 numbers and mobiles, not for an 01 number", () => {
    for (const [iso] of [['2026-04-03T11:00:00+02:00'], ['2025-12-26T11:00:00+01:00']]) {
      expect(reason(alsace03, iso as string)).toBe('holiday');
      expect(reason(mobile06, iso as string)).toBe('holiday');
      expect(reason(mobile07, iso as string)).toBe('holiday');
      expect(reason(paris01, iso as string)).toBe('callable');
    }
    expect(reason(reunion, '2026-04-03T11:00:00+04:00')).toBe('callable');
  });
});

describe('D223-9 hours (France)', () => {
  it.each([
    ['09:59', false],
    ['10:00', true],
    ['12:59', true],
    ['13:00', false],
    ['13:59', false],
    ['14:00', true],
    ['19:59', true],
    ['20:00', false],
  ])('on a Tuesday in Paris at %s: callable %s', (time, expected) => {
    expect(callable(paris01, `2026-12-01T${time}:00+01:00`)).toBe(expected);
    expect(callable(paris01, `2026-12-01T${time}:59.999+01:00`)).toBe(expected);
  });

  it('says why not: hours at 13:00, never on a Saturday or Sunday', () => {
    expect(mayCallAt(paris01, at('2026-12-01T13:00:00+01:00'), ['fr'])).toEqual({ callable: false, rule: 'fr', reason: 'hours', timeZone: 'Europe/Paris' });
    expect(reason(paris01, '2026-12-05T11:00:00+01:00')).toBe('hours');
    expect(reason(paris01, '2026-12-06T15:00:00+01:00')).toBe('hours');
  });

  it("uses the number's local time: 11:00 in Paris is 14:00 in Réunion and 06:00 in Guadeloupe", () => {
    const instant = '2026-12-01T11:00:00+01:00';
    expect(callable(paris01, instant)).toBe(true);
    expect(callable(reunion, instant)).toBe(true);
    expect(callable(mayotte, instant)).toBe(false); // 13:00 in Mayotte
    expect(callable(guadeloupe, instant)).toBe(false);
    expect(windowFrom(guadeloupe, instant)).toEqual(['2026-12-01T10:00:00-04:00', '2026-12-01T13:00:00-04:00']);
  });

  it('keeps a +262 number outside the known ranges to the hours legal in both Réunion and Mayotte', () => {
    expect(windowFrom('262800123456', '2026-12-01T09:00:00+04:00')).toEqual(['2026-12-01T11:00:00+04:00', '2026-12-01T13:00:00+04:00']);
    expect(mayCallAt('262800123456', at('2026-12-01T10:30:00+04:00'), ['fr'])).toMatchObject({ reason: 'hours', timeZone: 'Indian/Mayotte' });
  });

  it('gives the window in progress from an instant inside it, and the afternoon from the lunch break', () => {
    expect(windowFrom(paris01, '2026-12-01T12:15:00+01:00')).toEqual(['2026-12-01T12:15:00+01:00', '2026-12-01T13:00:00+01:00']);
    expect(windowFrom(paris01, '2026-12-01T13:00:00+01:00')).toEqual(['2026-12-01T14:00:00+01:00', '2026-12-01T20:00:00+01:00']);
  });

  it('computes a window across a weekend and a holiday', () => {
    // Victoire 1945 on Friday 8 May 2026, then the weekend.
    expect(windowFrom(paris01, '2026-05-07T20:00:00+02:00')).toEqual(['2026-05-11T10:00:00+02:00', '2026-05-11T13:00:00+02:00']);
    // Christmas 2025 on a Thursday; 26 December only in Alsace-Moselle, then the weekend.
    expect(windowFrom(paris01, '2025-12-24T20:00:00+01:00')).toEqual(['2025-12-26T10:00:00+01:00', '2025-12-26T13:00:00+01:00']);
    expect(windowFrom(alsace03, '2025-12-24T20:00:00+01:00')).toEqual(['2025-12-29T10:00:00+01:00', '2025-12-29T13:00:00+01:00']);
    // Guadeloupe: Wednesday 27 and Thursday 28 May 2026 (Saint-Martin), a +590 number waits for Friday.
    expect(windowFrom(guadeloupe, '2026-05-26T20:00:00-04:00')).toEqual(['2026-05-29T10:00:00-04:00', '2026-05-29T13:00:00-04:00']);
  });

  describe('across DST changes', () => {
    it('in Paris on 29 March 2026: Friday 10:00 is 09:00 UTC, Monday 10:00 is 08:00 UTC', () => {
      expect(callable(paris01, '2026-03-27T09:00:00Z')).toBe(true);
      expect(callable(paris01, '2026-03-30T07:59:00Z')).toBe(false);
      expect(callable(paris01, '2026-03-30T08:00:00Z')).toBe(true);
      expect(windowFrom(paris01, '2026-03-27T20:00:00+01:00')).toEqual(['2026-03-30T10:00:00+02:00', '2026-03-30T13:00:00+02:00']);
      expect(nextWindow(paris01, at('2026-03-27T19:00:00Z'), ['fr'])).toMatchObject({ startInstant: at('2026-03-30T08:00:00Z') });
    });

    it('in Paris on 25 October 2026: back to +01:00', () => {
      expect(windowFrom(paris01, '2026-10-23T20:00:00+02:00')).toEqual(['2026-10-26T10:00:00+01:00', '2026-10-26T13:00:00+01:00']);
      expect(callable(paris01, '2026-10-26T08:59:00Z')).toBe(false);
      expect(callable(paris01, '2026-10-26T09:00:00Z')).toBe(true);
    });

    it('in Miquelon on the North American dates (8 March and 1 November 2026), not the European ones', () => {
      expect(windowFrom(miquelon, '2026-03-06T20:00:00-03:00')).toEqual(['2026-03-09T10:00:00-02:00', '2026-03-09T13:00:00-02:00']);
      expect(callable(miquelon, '2026-03-09T11:59:00Z')).toBe(false);
      expect(callable(miquelon, '2026-03-09T12:00:00Z')).toBe(true);
      // Between the American and the European change, Miquelon is 4 hours behind Paris, not 5.
      expect(windowFrom(miquelon, '2026-03-16T09:00:00-02:00')).toEqual(['2026-03-16T10:00:00-02:00', '2026-03-16T13:00:00-02:00']);
      expect(windowFrom(miquelon, '2026-10-30T20:00:00-02:00')).toEqual(['2026-11-02T10:00:00-03:00', '2026-11-02T13:00:00-03:00']);
      expect(callable(miquelon, '2026-11-02T12:59:00Z')).toBe(false);
      expect(callable(miquelon, '2026-11-02T13:00:00Z')).toBe(true);
    });
  });
});

describe('TCPA hours (US) and CRTC hours (Canada)', () => {
  it.each([
    ['07:59', false],
    ['08:00', true],
    ['20:59', true],
    ['21:00', false],
  ])('New York (212) at %s, any day: callable %s', (time, expected) => {
    expect(callable('12125550123', `2026-12-01T${time}:00-05:00`)).toBe(expected);
    expect(callable('12125550123', `2026-12-05T${time}:00-05:00`)).toBe(expected);
  });

  it('ends at 20:00 in Florida, Oklahoma, Maryland and Washington', () => {
    for (const [digits, offset] of [['13055550123', '-05:00'], ['14055550123', '-06:00'], ['14105550123', '-05:00'], ['12065550123', '-08:00']] as const) {
      expect(callable(digits, `2026-12-01T19:59:00${offset}`)).toBe(true);
      expect(callable(digits, `2026-12-01T20:00:00${offset}`)).toBe(false);
    }
  });

  it('allows only the hours legal in every zone of an area code spanning two (270, Kentucky)', () => {
    const kentucky = '12705550123';
    expect(mayCallAt(kentucky, at('2026-12-01T08:30:00-05:00'), ['us'])).toEqual({ callable: false, rule: 'us', reason: 'hours', timeZone: 'America/Chicago' });
    expect(mayCallAt(kentucky, at('2026-12-01T20:30:00-06:00'), ['us'])).toEqual({ callable: false, rule: 'us', reason: 'hours', timeZone: 'America/New_York' });
    expect(windowFrom(kentucky, '2026-12-01T07:00:00-05:00')).toEqual(['2026-12-01T08:00:00-06:00', '2026-12-01T20:00:00-06:00']);
  });

  it.each([
    ['2026-12-01T08:59:00', false],
    ['2026-12-01T09:00:00', true],
    ['2026-12-01T21:29:00', true],
    ['2026-12-01T21:30:00', false],
    ['2026-12-05T09:59:00', false],
    ['2026-12-05T10:00:00', true],
    ['2026-12-06T17:59:00', true],
    ['2026-12-06T18:00:00', false],
  ])('Toronto (416) at %s local: callable %s', (time, expected) => {
    expect(callable('14165550123', `${time}-05:00`)).toBe(expected);
  });

  it('refuses a number under a rule named whose zone is unknown (toll-free, an area code without data)', () => {
    expect(mayCallAt('18005550123', at('2026-12-01T12:00:00Z'), ['us'])).toEqual({ callable: false, rule: 'us', reason: 'unknown-zone' });
    expect(nextWindow('12735550123', at('2026-12-01T12:00:00Z'), ['ca'])).toEqual({ kind: 'unknown-zone', rule: 'ca' });
  });

  it('leaves numbers outside the rules named unrestricted', () => {
    expect(mayCallAt('12125550123', at('2026-12-01T03:00:00Z'), ['fr'])).toEqual({ callable: true, rule: undefined });
    expect(nextWindow(paris01, at('2026-12-05T03:00:00Z'), ['us', 'ca'])).toEqual({ kind: 'unrestricted' });
    expect(nextWindow('442079460958', at('2026-12-05T03:00:00Z'), all)).toEqual({ kind: 'unrestricted' });
  });
});

// Hostile repro 01: libphonenumber lists zones per prefix, and an overlay with few prefixes yet had fewer zones than
// the code it overlays, so a call legal in one zone of the area was judged legal though illegal in another.
describe('an overlay area code keeps the hours of every zone of the area it shares', () => {
  const number = (areaCode: string) => `1${areaCode}2221234`;

  it.each([
    ['270', ['364'], '2026-12-02T13:30:00Z', 'us', 'America/Chicago'], // 07:30 in western Kentucky
    ['812', ['930'], '2026-12-02T13:30:00Z', 'us', 'America/Chicago'], // 07:30 in Evansville, IN
    ['850', ['448'], '2026-12-02T13:30:00Z', 'us', 'America/Chicago'], // 07:30 in Pensacola, FL
    ['541', ['458'], '2026-12-03T04:30:00Z', 'us', 'America/Denver'], // 21:30 in Ontario, OR
    ['250', ['604', '778', '236', '672', '257'], '2026-12-06T01:30:00Z', 'ca', 'America/Edmonton'], // Saturday 18:30 in Cranbrook, BC
    ['418', ['581', '367'], '2026-12-03T02:15:00Z', 'ca', 'America/Halifax'], // 22:15 on the Magdalen Islands
    ['306', ['639', '474'], '2026-07-02T14:30:00Z', 'ca', 'America/Regina'], // 08:30 in Regina, 09:30 in Winnipeg
    ['306', ['639', '474'], '2026-12-02T15:30:00Z', 'ca', 'America/Edmonton'], // 08:30 in Lloydminster, 09:30 in Regina
  ] as const)('%s and its overlays %j refuse a call at %s (%s hours in %s)', (base, overlays, iso, rule, zone) => {
    expect(mayCallAt(number(base), at(iso), [rule])).toEqual({ callable: false, rule, reason: 'hours', timeZone: zone });
    for (const overlay of overlays) expect(mayCallAt(number(overlay), at(iso), [rule])).toMatchObject({ callable: false, reason: 'hours' });
  });

  it('gives every code of an overlay group the same zones, each one known to Node ICU', () => {
    const different = Object.entries(overlaidAreaCodes).flatMap(([overlay, overlaid]) =>
      overlaid.split(' ').filter((code) => String(areaCodeZones(code)?.toSorted()) !== String(areaCodeZones(overlay)?.toSorted())).map((code) => `${overlay}/${code}`),
    );
    expect(different).toEqual([]);
    const zones = new Set([...Object.values(missingAreaCodeZones).flatMap(Object.keys), ...Object.keys(areaCodesByZones).flatMap((key) => key.split(' '))]);
    expect([...zones].filter((zone) => !knownTimeZone(zone))).toEqual([]);
  });

  it('names only area codes libphonenumber has zones for, and keeps each code its own zones first', () => {
    const codes = [...Object.keys(overlaidAreaCodes), ...Object.values(overlaidAreaCodes).flatMap((list) => list.split(' ')), ...Object.keys(missingAreaCodeZones)];
    const listed = new Map(Object.entries(areaCodesByZones).flatMap(([zones, list]) => list.split(' ').map((code) => [code, zones.split(' ')] as const)));
    expect(codes.filter((code) => !listed.has(code))).toEqual([]);
    const lost = [...listed].filter(([code, zones]) => String(areaCodeZones(code)?.slice(0, zones.length)) !== String(zones));
    expect(lost).toEqual([]);
  });

  it('leaves a code outside any overlay group as libphonenumber has it (807, 867)', () => {
    expect(areaCodeZones('807')).toEqual(['America/Toronto', 'America/Winnipeg']);
    expect(areaCodeZones('867')).toEqual(['America/Edmonton', 'America/Fort_Nelson', 'America/Toronto', 'America/Vancouver', 'America/Winnipeg']);
  });
});

describe('US and Canadian federal holidays (data for the state and province rules to come)', () => {
  const named = (list: ReturnType<typeof usFederalHolidays>) => list.map((h) => `${isoDay(h.day)}${h.observed === h.day ? '' : `>${isoDay(h.observed)}`} ${h.name}`);

  it('US 2026: Independence Day on a Saturday is observed on Friday 3 July', () => {
    expect(named(usFederalHolidays(2026))).toEqual([
      "2026-01-01 New Year's Day", '2026-01-19 Birthday of Martin Luther King, Jr.', "2026-02-16 Washington's Birthday",
      '2026-05-25 Memorial Day', '2026-06-19 Juneteenth National Independence Day', '2026-07-04>2026-07-03 Independence Day',
      '2026-09-07 Labor Day', '2026-10-12 Columbus Day', '2026-11-11 Veterans Day', '2026-11-26 Thanksgiving Day',
      '2026-12-25 Christmas Day',
    ]);
  });

  it('Canada 2026', () => {
    expect(named(canadaFederalHolidays(2026))).toEqual([
      "2026-01-01 New Year's Day", '2026-04-03 Good Friday', '2026-05-18 Victoria Day', '2026-07-01 Canada Day',
      '2026-09-07 Labour Day', '2026-09-30 National Day for Truth and Reconciliation', '2026-10-12 Thanksgiving Day',
      '2026-11-11 Remembrance Day', '2026-12-25 Christmas Day', '2026-12-26 Boxing Day',
    ]);
    expect(isoDay(canadaFederalHolidays(2027)[2]?.day as number)).toBe('2027-05-24');
  });
});

describe('mayCallAt and nextWindow agree', () => {
  const numbers = [paris01, alsace03, reunion, mayotte, '262800123456', guadeloupe, martinique, guyane, miquelon, '12705550123', '13055550123', '14165550123', '19075550123'];
  const from = at('2025-12-01T00:00:00Z');
  const to = at('2028-01-01T00:00:00Z');

  it('a window starts at the instant asked when that instant is callable, and nothing before it is', () => {
    fc.assert(
      fc.property(fc.constantFrom(...numbers), fc.integer({ min: from, max: to }), (digits, instant) => {
        const found = nextWindow(digits, instant, all);
        if (found.kind !== 'window') return false;
        const now = mayCallAt(digits, instant, all).callable;
        if (now !== (found.startInstant === instant)) return false;
        if (found.startInstant > instant && mayCallAt(digits, found.startInstant - 1, all).callable) return false;
        return mayCallAt(digits, found.startInstant, all).callable && mayCallAt(digits, found.endInstant - 1, all).callable && !mayCallAt(digits, found.endInstant, all).callable;
      }),
      { numRuns: 1000 },
    );
  });
});
