// What a report says against itself, found from the report alone: its counts against its rows, its rows against
// the input's, a list dated after the scrub, a list older than its maximum that is not flagged stale. callscrub
// never writes such a report; one signed anyway (a faulty signer, or its key in other hands) is shown as it is, under
// a caution that names each contradiction. `verify --replay` is what proves the figures.

import { daysBetween } from '../dates.js';
import type { Statement } from '../report/read.js';
import { own } from './own.js';
import { outcomeOfReason } from './reasons.js';

export type Contradiction =
  | { readonly kind: 'outcomes'; readonly sum: number; readonly rowsIn: number }
  | { readonly kind: 'input-rows'; readonly inputRows: number; readonly rowsIn: number }
  | { readonly kind: 'outcome-rows'; readonly outcome: 'excluded' | 'invalid'; readonly counted: number; readonly listed: number }
  | { readonly kind: 'output-rows'; readonly role: string; readonly written: number; readonly counted: number }
  | { readonly kind: 'statuses'; readonly sum: number; readonly numbersChecked: number }
  | { readonly kind: 'stale'; readonly list: string; readonly why: 'not-opposition' | 'not-allowed' }
  | { readonly kind: 'reason'; readonly reason: string; readonly counted: number; readonly listed: number }
  | { readonly kind: 'row'; readonly row: number; readonly rowsIn: number }
  | { readonly kind: 'order'; readonly row: number }
  | { readonly kind: 'future-list'; readonly list: string; readonly asOf: string }
  | { readonly kind: 'unflagged-stale'; readonly list: string; readonly ageDays: number; readonly maxAgeDays: number };

/** Every contradiction, in the order above; at most one of each kind about rows (the first), none when consistent. */
export function contradictions(statement: Statement): Contradiction[] {
  const p = statement.predicate;
  const found: Contradiction[] = [];
  const c = p.counts;
  const sum = c.rowsClean + c.rowsExcluded + c.rowsInvalid;
  if (sum !== c.rowsIn) found.push({ kind: 'outcomes', sum, rowsIn: c.rowsIn });
  if (p.input.rows !== c.rowsIn) found.push({ kind: 'input-rows', inputRows: p.input.rows, rowsIn: c.rowsIn });
  const listed = new Map<string, number>();
  let previous = -Infinity;
  let badRow: Contradiction | undefined;
  let badOrder: Contradiction | undefined;
  for (const [row, reason] of p.exclusions) {
    listed.set(reason, (listed.get(reason) ?? 0) + 1);
    if (badRow === undefined && (row < 1 || row > c.rowsIn)) badRow = { kind: 'row', row, rowsIn: c.rowsIn };
    if (badOrder === undefined && row <= previous) badOrder = { kind: 'order', row };
    previous = row;
  }
  for (const reason of new Set([...Object.keys(c.byReason), ...listed.keys()])) {
    const counted = own(c.byReason, reason) ?? 0;
    const rows = listed.get(reason) ?? 0;
    if (counted !== rows) found.push({ kind: 'reason', reason, counted, listed: rows });
  }
  for (const outcome of ['excluded', 'invalid'] as const) {
    const counted = outcome === 'excluded' ? c.rowsExcluded : c.rowsInvalid;
    const rows = [...listed].reduce((n, [reason, k]) => n + (outcomeOfReason(reason) === outcome ? k : 0), 0);
    if (counted !== rows) found.push({ kind: 'outcome-rows', outcome, counted, listed: rows });
  }
  const counts: Record<string, number> = { clean: c.rowsClean, excluded: c.rowsExcluded, invalid: c.rowsInvalid };
  for (const s of statement.subject) {
    const role = s.annotations?.role ?? '';
    const counted = own(counts, role);
    const written = s.annotations?.rows;
    if (counted !== undefined && written !== undefined && written !== counted) found.push({ kind: 'output-rows', role, written, counted });
  }
  const statuses = Object.values(c.byNumberStatus).reduce((n, k) => n + k, 0);
  if (statuses !== c.numbersChecked) found.push({ kind: 'statuses', sum: statuses, numbersChecked: c.numbersChecked });
  if (badRow !== undefined) found.push(badRow);
  if (badOrder !== undefined) found.push(badOrder);
  for (const s of p.staleLists) {
    if (!p.lists.some((l) => l.name === s.name && l.kind === 'opposition')) found.push({ kind: 'stale', list: s.name, why: 'not-opposition' });
    else if (!p.settings.allowStale) found.push({ kind: 'stale', list: s.name, why: 'not-allowed' });
  }
  for (const l of p.lists) {
    const age = daysBetween(l.asOf, p.scrubDate);
    if (age < 0) found.push({ kind: 'future-list', list: l.name, asOf: l.asOf });
    const flagged = p.staleLists.some((s) => s.name === l.name);
    if (l.kind === 'opposition' && l.maxAgeDays !== undefined && age > l.maxAgeDays && !flagged) found.push({ kind: 'unflagged-stale', list: l.name, ageDays: age, maxAgeDays: l.maxAgeDays });
  }
  return found;
}
