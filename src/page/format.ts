// Figures and dates formatted for the page's reader: digit grouping, decimal mark, month names and the order of a
// date's parts are the locale's (1,234,567 and 22 November 2026 in English; 1 234 567 and 22 novembre 2026 in
// French). Instants are shown in UTC and say so: an auditor and the call centre may be in different time zones.

export interface Format {
  /** A count: `1,234,567`. */
  count(n: number): string;
  /** A share of a total, to one decimal: `12.5%`; `0%` of nothing. */
  share(part: number, total: number): string;
  /** A `YYYY-MM-DD` day in words: `22 November 2026`. */
  day(iso: string): string;
  /** An ISO 8601 instant, in UTC to the minute: `22 November 2026, 12:00 UTC`; as given when it is not one. */
  instant(iso: string): string;
}

export function formatFor(locale: string): Format {
  const counts = new Intl.NumberFormat(locale);
  const shares = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const days = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const instants = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' });
  return {
    count: (n) => counts.format(n),
    share: (part, total) => shares.format(total === 0 ? 0 : part / total),
    day: (iso) => {
      const ms = Date.parse(`${iso}T00:00:00Z`);
      return Number.isNaN(ms) ? iso : days.format(ms);
    },
    instant: (iso) => {
      const ms = Date.parse(iso);
      return Number.isNaN(ms) ? iso : `${instants.format(ms)} UTC`;
    },
  };
}
