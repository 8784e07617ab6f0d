// Freshness: an opposition list is fresh while its newest version's age (today minus its as-of date, in local
// calendar days) is at most its maximum age. Internal and exempt lists never go stale. `registry status` shows it;
// a scrub refuses a stale list unless told to accept it.

import { daysBetween } from '../dates.js';
import type { List } from './records.js';

export interface Freshness {
  readonly ageDays: number;
  readonly fresh: boolean;
}

/** How old a list's version dated `asOf` is on `today`, and whether it may still be used. */
export function freshness(list: Pick<List, 'kind' | 'maxAgeDays'>, asOf: string, today: string): Freshness {
  const ageDays = daysBetween(asOf, today);
  return { ageDays, fresh: list.kind !== 'opposition' || ageDays <= (list.maxAgeDays as number) };
}
