// Calendar dates as callscrub uses them: `YYYY-MM-DD` strings for people and files, day numbers (days since
// 1970-01-01) for arithmetic. "Today" is the local calendar date of the machine, passed in from the CLI layer.

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const frenchDate = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
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
  const trimmed = text.trim();
  const iso = dayOf(trimmed.slice(0, 10));
  if (iso !== undefined && (trimmed.length === 10 || /^[T ]/.test(trimmed.slice(10)))) return iso;
  const match = frenchDate.exec(trimmed.split(/[T ]/)[0] ?? '');
  if (match === null) return undefined;
  return validDay(Number(match[3]), Number(match[2]), Number(match[1]));
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
