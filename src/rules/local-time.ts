// Wall-clock time in an IANA zone through Node's ICU (Intl.DateTimeFormat), so that DST rules come from the tz
// database Node ships rather than from a table of our own. Instants are epoch milliseconds; calendar days are day
// numbers as in dates.ts.

const msPerDay = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** Whether Node's ICU knows a zone. */
export function knownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall-clock time of an instant in a zone, as milliseconds since 1970-01-01T00:00 of that wall clock. The zone's
 * offset is asked of ICU once per zone and UTC day when it is the same from the day before to the day after (most
 * days), and for the instant itself near a change: a scrub's detail and schedule ask it hundreds of thousands of times.
 */
function wallClock(instant: number, timeZone: string): number {
  const offset = steadyOffset(Math.floor(instant / msPerDay), timeZone);
  return Number.isNaN(offset) ? exactWallClock(instant, timeZone) : instant + offset;
}


/** The wall-clock time of an instant, asked of ICU. */
function exactWallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second) + (((instant % 1000) + 1000) % 1000);
}

export interface LocalTime {
  /** The local calendar day (day number). */
  readonly day: number;
  /** ISO weekday: Monday 1 ... Sunday 7. */
  readonly weekday: number;
  /** Minutes since local midnight, with their fraction. */
  readonly minutes: number;
}

export function localTime(instant: number, timeZone: string): LocalTime {
  const wall = wallClock(instant, timeZone);
  const day = Math.floor(wall / msPerDay);
  return { day, weekday: isoWeekday(day), minutes: (wall - day * msPerDay) / 60_000 };
}

/** ISO weekday of a day number (day 0, 1970-01-01, was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * The instant a zone's clocks show `minutes` past midnight on `day`. A time skipped by a DST change gives the instant
 * after the gap; a time shown twice gives the first. (Calling windows start and end at hours no change touches.)
 */
export function instantAt(day: number, minutes: number, timeZone: string): number {
  // Windows for a campaign fall on the same few days in the same few zones: each instant is asked of ICU once.
  const key = `${timeZone} ${day} ${minutes}`;
  let instant = instants.get(key);
  if (instant === undefined) {
    if (instants.size >= 100_000) instants.clear();
    instant = findInstant(day, minutes, timeZone);
    instants.set(key, instant);
  }
  return instant;
}

const instants = new Map<string, number>();

function findInstant(day: number, minutes: number, timeZone: string): number {
  const wall = day * msPerDay + minutes * 60_000;
  const first = wall - (wallClock(wall, timeZone) - wall);
  const second = wall - (wallClock(first, timeZone) - first);
  // Near a change the two guesses use different offsets: the earlier one that shows this wall time wins.
  const earlier = Math.min(first, second);
  return wallClock(earlier, timeZone) === wall ? earlier : Math.max(first, second);
}

/** An instant as ISO 8601 in a zone's local time with its offset: `2026-12-01T10:00:00+01:00`. */
export function isoInZone(instant: number, timeZone: string): string {
  const wall = wallClock(instant, timeZone);
  const offsetMinutes = Math.round((wall - instant) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return `${new Date(wall).toISOString().slice(0, 19)}${sign}${hours}:${minutes}`;
}

/**
 * The instant a zone's clocks show the wall time `wall` (milliseconds since 1970-01-01T00:00 of that wall clock),
 * taking the LATER instant where it is ambiguous: a time shown twice (autumn) gives the second, a time skipped
 * (spring) gives the instant the same distance after the gap's start as `wall` is, as `instantAt` does. Counting a
 * call at the later instant keeps it in a rolling window longer. Offsets are asked of ICU once per zone and wall day,
 * and near a change once per wall minute (every change since 1970 falls on a whole minute): a call log of millions of
 * rows repeats them.
 */
export function laterInstant(wall: number, timeZone: string): number {
  // A day whose zone keeps one offset from the day before to the day after (most days) is answered whole; a day near
  // a change, minute by minute.
  const steady = steadyOffset(Math.floor(wall / msPerDay), timeZone);
  if (!Number.isNaN(steady)) return wall - steady;
  let offsets = laterOffsets.get(timeZone);
  if (offsets === undefined) laterOffsets.set(timeZone, (offsets = new Map()));
  if (offsets.size >= 100_000) offsets.clear();
  const minute = Math.floor(wall / 60_000);
  let offset = offsets.get(minute);
  if (offset === undefined) {
    offset = findLaterOffset(minute * 60_000, timeZone);
    offsets.set(minute, offset);
  }
  return wall - offset;
}

const laterOffsets = new Map<string, Map<number, number>>();
const steadyOffsets = new Map<string, Map<number, number>>();

/**
 * The zone's offset through day `day` (as instants or as wall times: a day either way) when it is the same from the
 * day before to the day after, else NaN; asked of ICU once per zone and day (no zone changes twice within two days).
 */
function steadyOffset(day: number, timeZone: string): number {
  let days = steadyOffsets.get(timeZone);
  if (days === undefined) steadyOffsets.set(timeZone, (days = new Map()));
  if (days.size >= 100_000) days.clear();
  let offset = days.get(day);
  if (offset === undefined) {
    const offsetAt = (instant: number) => exactWallClock(instant, timeZone) - instant;
    const before = offsetAt((day - 1) * msPerDay);
    offset = before === offsetAt((day + 2) * msPerDay) ? before : Number.NaN;
    days.set(day, offset);
  }
  return offset;
}

function findLaterOffset(wall: number, timeZone: string): number {
  // The offsets a day before and a day after: no zone changes twice within two days.
  const offsetAt = (instant: number) => wallClock(instant, timeZone) - instant;
  const candidates = [wall - offsetAt(wall - msPerDay), wall - offsetAt(wall + msPerDay)];
  const shown = candidates.filter((instant) => wallClock(instant, timeZone) === wall);
  return wall - Math.max(...(shown.length > 0 ? shown : candidates));
}
