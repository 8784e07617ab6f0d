// Public holidays as calendar days (day numbers, as in dates.ts): France's 11 national days and the days of its
// territories, where calls are forbidden (D223-9), and the US and Canadian federal holidays, kept as data for the
// state and province rules to come. A small table with its sources: date-holidays 3.37.0 has the French days but
// gives Saint-Martin 27 May (décret 83-1003 says 28 May) and costs 66 MB installed and 210 ms to load (README).

/**
 * Where a French number's holder may be, for holidays: the mainland, Alsace-Moselle (Moselle, Bas-Rhin,
 * Haut-Rhin: Code du travail L3134-13), and the overseas territories by their ISO 3166 codes.
 */
export const frenchTerritories = ['mainland', 'alsace-moselle', 'GP', 'MF', 'BL', 'MQ', 'GF', 'RE', 'YT', 'PM'] as const;
export type FrenchTerritory = (typeof frenchTerritories)[number];

export interface Holiday {
  readonly day: number;
  readonly name: string;
  /** The territories that observe it; undefined for a national day. */
  readonly territories?: readonly FrenchTerritory[];
}

/** Easter Sunday of a Gregorian year (the anonymous Gregorian computus, Meeus/Jones/Butcher), as a day number. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

const on = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / 86_400_000;

/**
 * The French public holidays of a year: the national days of Code du travail L3133-1; Alsace-Moselle's Good Friday
 * and 26 December (L3134-13); each overseas territory's commemoration of the abolition of slavery (loi 83-550,
 * décret 83-1003 as amended: Mayotte 27 April, Martinique 22 May, Guadeloupe 27 May, Saint-Martin 28 May, Guyane
 * 10 June, Saint-Barthélemy 9 October, Réunion 20 December). Good Friday in Guadeloupe and Martinique is customary
 * rather than statutory (unconfirmed; date-holidays lists it): kept, as a day without calls is the safe side.
 */
export function frenchHolidays(year: number): readonly Holiday[] {
  const easter = easterSunday(year);
  const days: Holiday[] = [
    { day: on(year, 1, 1), name: "Jour de l'an" },
    { day: easter - 2, name: 'Vendredi saint', territories: ['alsace-moselle', 'GP', 'MQ'] },
    { day: easter + 1, name: 'Lundi de Pâques' },
    { day: on(year, 4, 27), name: "Abolition de l'esclavage", territories: ['YT'] },
    { day: on(year, 5, 1), name: 'Fête du travail' },
    { day: on(year, 5, 8), name: 'Victoire 1945' },
    { day: on(year, 5, 22), name: "Abolition de l'esclavage", territories: ['MQ'] },
    { day: on(year, 5, 27), name: "Abolition de l'esclavage", territories: ['GP'] },
    { day: on(year, 5, 28), name: "Abolition de l'esclavage", territories: ['MF'] },
    { day: easter + 39, name: 'Ascension' },
    { day: easter + 50, name: 'Lundi de Pentecôte' },
    { day: on(year, 6, 10), name: "Abolition de l'esclavage", territories: ['GF'] },
    { day: on(year, 7, 14), name: 'Fête nationale' },
    { day: on(year, 8, 15), name: 'Assomption' },
    { day: on(year, 10, 9), name: "Abolition de l'esclavage", territories: ['BL'] },
    { day: on(year, 11, 1), name: 'Toussaint' },
    { day: on(year, 11, 11), name: 'Armistice 1918' },
    { day: on(year, 12, 20), name: "Abolition de l'esclavage", territories: ['RE'] },
    { day: on(year, 12, 25), name: 'Noël' },
    { day: on(year, 12, 26), name: 'Saint-Étienne', territories: ['alsace-moselle'] },
  ];
  return days.sort((a, b) => a.day - b.day);
}

// A scrub asks about the same few years for millions of numbers: each year's days are worked out once.
const byYear = new Map<number, ReadonlyMap<number, readonly Holiday[]>>();

function holidaysByDay(year: number): ReadonlyMap<number, readonly Holiday[]> {
  let days = byYear.get(year);
  if (days === undefined) {
    const built = new Map<number, Holiday[]>();
    for (const holiday of frenchHolidays(year)) built.set(holiday.day, [...(built.get(holiday.day) ?? []), holiday]);
    days = built;
    byYear.set(year, days);
  }
  return days;
}

/** The French holiday on a day in any of the territories a number may be in, or undefined. */
export function frenchHolidayOn(day: number, territories: readonly FrenchTerritory[]): Holiday | undefined {
  const year = new Date(day * 86_400_000).getUTCFullYear();
  for (const holiday of holidaysByDay(year).get(day) ?? []) {
    if (holiday.territories === undefined || holiday.territories.some((t) => territories.includes(t))) return holiday;
  }
  return undefined;
}

export interface FederalHoliday {
  readonly day: number;
  /** The day it is observed when it falls on a weekend (US: Saturday to Friday, Sunday to Monday). */
  readonly observed: number;
  readonly name: string;
}

const weekday = (day: number): number => ((day + 3) % 7) + 1; // ISO: Monday 1 ... Sunday 7; day 0 was a Thursday
/** The n-th given ISO weekday of a month (n = -1: the last). */
function nthWeekday(year: number, month: number, isoWeekday: number, n: number): number {
  if (n > 0) {
    const first = on(year, month, 1);
    return first + ((isoWeekday - weekday(first) + 7) % 7) + 7 * (n - 1);
  }
  const last = on(year, month + 1, 0);
  return last - ((weekday(last) - isoWeekday + 7) % 7);
}

/** US federal holidays (5 U.S.C. 6103; Juneteenth since 2021), with the days observed (Executive Order 11582). */
export function usFederalHolidays(year: number): readonly FederalHoliday[] {
  const fixed = (month: number, day: number, name: string): FederalHoliday => {
    const date = on(year, month, day);
    const shift = weekday(date) === 6 ? -1 : weekday(date) === 7 ? 1 : 0;
    return { day: date, observed: date + shift, name };
  };
  const floating = (day: number, name: string): FederalHoliday => ({ day, observed: day, name });
  return [
    fixed(1, 1, "New Year's Day"),
    floating(nthWeekday(year, 1, 1, 3), 'Birthday of Martin Luther King, Jr.'),
    floating(nthWeekday(year, 2, 1, 3), "Washington's Birthday"),
    floating(nthWeekday(year, 5, 1, -1), 'Memorial Day'),
    ...(year >= 2021 ? [fixed(6, 19, 'Juneteenth National Independence Day')] : []),
    fixed(7, 4, 'Independence Day'),
    floating(nthWeekday(year, 9, 1, 1), 'Labor Day'),
    floating(nthWeekday(year, 10, 1, 2), 'Columbus Day'),
    fixed(11, 11, 'Veterans Day'),
    floating(nthWeekday(year, 11, 4, 4), 'Thanksgiving Day'),
    fixed(12, 25, 'Christmas Day'),
  ];
}

/**
 * Canada's federal general holidays (Canada Labour Code s. 166; the National Day for Truth and Reconciliation since
 * 2021). Victoria Day is the Monday before 25 May; Canada Day falling on a Sunday is kept on 2 July (Holidays Act).
 */
export function canadaFederalHolidays(year: number): readonly FederalHoliday[] {
  const easter = easterSunday(year);
  const plain = (day: number, name: string): FederalHoliday => ({ day, observed: day, name });
  const canadaDay = on(year, 7, 1);
  return [
    plain(on(year, 1, 1), "New Year's Day"),
    plain(easter - 2, 'Good Friday'),
    plain(on(year, 5, 24) - ((weekday(on(year, 5, 24)) + 6) % 7), 'Victoria Day'),
    { day: canadaDay, observed: weekday(canadaDay) === 7 ? canadaDay + 1 : canadaDay, name: 'Canada Day' },
    plain(nthWeekday(year, 9, 1, 1), 'Labour Day'),
    ...(year >= 2021 ? [plain(on(year, 9, 30), 'National Day for Truth and Reconciliation')] : []),
    plain(nthWeekday(year, 10, 1, 2), 'Thanksgiving Day'),
    plain(on(year, 11, 11), 'Remembrance Day'),
    plain(on(year, 12, 25), 'Christmas Day'),
    plain(on(year, 12, 26), 'Boxing Day'),
  ];
}

