// Instants as call logs and options write them: an ISO 8601 date and time with an offset or without one (a wall
// time of some clock, which the caller places in a zone), a date with slashes or dots in the order the caller says
// (`25/10/2026 02:30` day first, `10/25/2026` month first; never guessed from the digits), or epoch seconds or
// milliseconds. Pure text reading; which zone a wall time is in is the caller's to say.

/** A wall time (ms since 1970-01-01T00:00 of some clock) and, when the text says it, that clock's offset from UTC. */
export interface CallTime {
  readonly wall: number;
  readonly offset: number | undefined;
}

// `2026-10-25T02:30:00.250+01:00`, `2026-10-25 02:30`, `2026/10/25 02:30:00 UTC`, `25/10/2026 02:30`, `25.10.2026`.
const isoDate = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})/;
const slashDate = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})/;

/** The order of a slash or dot date's day and month: `dmy` (Europe) or `mdy` (the US and Canada's spreadsheets). */
export type DateOrder = 'dmy' | 'mdy';
const clockAndOffset = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:([zZ]|UTC|GMT)|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const epoch = /^(\d{10}|\d{13})(?:\.\d+)?$/;

/**
 * Reads a call's time: an ISO 8601 date and time, with an offset (`Z`, `+01:00`, `+0100`, `+01`) or without (a local
 * time), or epoch seconds (10 digits) or milliseconds (13). `clockCell`: a time-of-day column completing a date
 * column (a cell there that holds a whole date and time is read alone). `order`: which of a slash or dot date's
 * first two numbers is the day; a date impossible in that order is unreadable, never flipped. Fractions of a second
 * are dropped.
 */
export function readCallTime(timeCell: string, clockCell?: string, order: DateOrder = 'dmy'): CallTime | undefined {
  const text = timeCell.trim();
  const clock = clockCell?.trim() ?? '';
  if (clock === '') return readDateTime(text, false, order);
  const whole = readDateTime(clock, false, order);
  if (whole !== undefined) return whole;
  const date = readDateTime(text, true, order);
  if (date === undefined || date.offset !== undefined || date.wall % 86_400_000 !== 0) return undefined;
  const time = readClock(clock);
  return time === undefined ? undefined : { wall: date.wall + time.wall, offset: time.offset };
}

/** A date and time; with `dateOnly` a date alone too (at midnight), for a date column a time column completes. */
function readDateTime(text: string, dateOnly: boolean, order: DateOrder): CallTime | undefined {
  const seconds = epoch.exec(text);
  if (seconds !== null) {
    const digits = seconds[1] as string;
    return { wall: digits.length === 10 ? Number(digits) * 1000 : Number(digits), offset: 0 };
  }
  let year: number;
  let month: number;
  let day: number;
  let match = isoDate.exec(text);
  if (match !== null) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = slashDate.exec(text)) !== null) {
    const [first, second] = [Number(match[1]), Number(match[2])];
    [year, month, day] = order === 'dmy' ? [Number(match[3]), second, first] : [Number(match[3]), first, second];
  }
  else return undefined;
  const midnight = Date.UTC(year, month - 1, day);
  const check = new Date(midnight);
  if (month < 1 || month > 12 || check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  const rest = text.slice(match[0].length);
  if (rest === '') return dateOnly ? { wall: midnight, offset: undefined } : undefined;
  if (!/^[Tt ]\s*/.test(rest)) return undefined;
  const time = readClock(rest.replace(/^[Tt ]\s*/, ''));
  return time === undefined ? undefined : { wall: midnight + time.wall, offset: time.offset };
}

/** A time of day, with its offset when written. */
function readClock(text: string): CallTime | undefined {
  const match = clockAndOffset.exec(text);
  if (match === null) return undefined;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset: number | undefined;
  if (match[4] !== undefined) offset = 0;
  else if (match[5] !== undefined) {
    const [hours, minutes] = [Number(match[6]), Number(match[7] ?? 0)];
    if (hours > 18 || minutes > 59) return undefined;
    offset = (match[5] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  return { wall: ((hour * 60 + minute) * 60 + second) * 1000, offset };
}
