// Calendar dates as callscrub uses them: `YYYY-MM-DD` strings for people and files, day numbers (days since
// 1970-01-01) for arithmetic. "Today" is the local calendar date of the machine, passed in from the CLI layer.

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const msPerDay = 86_400_000;

/** Day number of a valid `YYYY-MM-DD`, or undefined. */
export function dayOf(text: string): number | undefined {
  const match = isoDate.exec(text);
  if (match === null) return undefined;
  return validDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

function validDay(year: number, month: number, day: number): number | undefined {
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return ms / msPerDay;
}

/**
 * Reads a date as registry files write them: `2026-10-11`, `2026-10-11T08:30:00`, `2026-10-11 08:30`, or
 * `11/10/2026` (day first, as in France and Belgium). Undefined when the text is none of these.
 */
export function parseLooseDate(text: string): number | undefined {
  const read = readListDate(text, 'day-first');
  return typeof read === 'number' ? read : undefined;
}

/** How to read a date whose first two numbers are both possible as a day and as a month (`03/04/2027`). */
export type AmbiguousDate = 'day-first' | 'later' | 'earlier';

/** Words that say an entry has no end date. */
const noDateWords = new Set([
  '', 'never', 'jamais', 'none', 'aucun', 'aucune', 'n/a', 'na', 'nan', 'null', 'nil', 'no', 'non', '-', '--', '—',
  'illimite', 'illimitee', 'permanent', 'permanente', 'indefini', 'indefinie', 'sans', 'sans fin', 'sans limite',
  'unlimited', 'infinite', 'no end', 'no expiry', 'open', '∞', '0000-00-00', '00/00/0000',
]);

const isoLike = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ].*)?$/;
const compact = /^(\d{4})(\d{2})(\d{2})$/;
const dayMonthYear = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[T ].*)?$/;

/**
 * Reads an expiry or contract-end date in the forms spreadsheets and CRMs write: ISO `2027-12-31` (a time may
 * follow; also `2027/12/31`, `20271231`), and `31/12/2027`, `31.12.2027`, `31-12-2027` (two-digit years are
 * 20YY). A date whose first number cannot be a month is read day first, one whose second number cannot be a month
 * month first (`12/31/2027`, US style); when both readings are possible (`03/04/2027`), `ambiguous` chooses:
 * the day-first reading, or the later or the earlier of the two (what a conservative list needs). Returns the day
 * number, `none` for a word meaning "no end date" (`never`, `jamais`, `N/A`, empty...), or undefined when the
 * text is not a date (`2027-02-30`, `soon`).
 */
export function readListDate(text: string, ambiguous: AmbiguousDate): number | 'none' | undefined {
  const trimmed = text.trim().replace(/^"(.*)"$/, '$1').trim();
  const word = trimmed.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '');
  if (noDateWords.has(word)) return 'none';
  let match = isoLike.exec(trimmed) ?? compact.exec(trimmed);
  if (match !== null) {
    const [year, month, day] = match.length === 5 ? [match[1], match[3], match[4]] : [match[1], match[2], match[3]];
    return validDay(Number(year), Number(month), Number(day));
  }
  match = dayMonthYear.exec(trimmed);
  if (match === null) return undefined;
  const first = Number(match[1]);
  const second = Number(match[3]);
  const year = (match[4] as string).length === 2 ? 2000 + Number(match[4]) : Number(match[4]);
  const dayFirst = validDay(year, second, first);
  const monthFirst = validDay(year, first, second);
  if (dayFirst === undefined || monthFirst === undefined || dayFirst === monthFirst) return dayFirst ?? monthFirst;
  if (ambiguous === 'day-first') return dayFirst;
  return ambiguous === 'later' ? Math.max(dayFirst, monthFirst) : Math.min(dayFirst, monthFirst);
}

export function dayToDate(day: number): string {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

/** The local calendar date of an instant, as `YYYY-MM-DD`. */
export function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole days from `from` to `to`, both `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): number {
  return (dayOf(to) as number) - (dayOf(from) as number);
}
