// The pure core of a scrub: the phone cells of one row in, the row's outcome out (clean, excluded or invalid),
// with the reason and the detail the excluded and invalid files carry. No I/O; the stream around it moves bytes.

import { countDigits, normalize, type Normalized } from '../phone/normalize.js';
import type { NumberStatus, PinnedList, Screening } from './screening.js';

export type Policy = 'row' | 'number';
export type Outcome = 'clean' | 'excluded' | 'invalid';

/** Why a row is excluded or invalid. Closed set, documented in the README. */
export const rowReasons = ['internal', 'listed', 'unscreened', 'duplicate', 'no-number', 'invalid-number'] as const;
export type RowReason = (typeof rowReasons)[number];

export interface ClassifyOptions {
  readonly country: string;
  readonly policy: Policy;
  readonly allowUnscreened: boolean;
  /** Set when --dedupe: the numbers seen so far in the file. */
  readonly seen: NumberSeen | undefined;
}

export interface NumberSeen {
  /** Records the number; true when it was seen before. */
  seenBefore(value: number): boolean;
}

export interface CheckedNumber {
  /** Index among the phone columns. */
  readonly column: number;
  readonly normalized: Normalized;
  /** For valid numbers: what the lists say, or `duplicate`. */
  readonly status: NumberStatus | 'duplicate' | 'invalid';
  readonly list: PinnedList | undefined;
}

export interface Verdict {
  readonly outcome: Outcome;
  readonly reason: RowReason | undefined;
  readonly numbers: readonly CheckedNumber[];
  /** Policy `number` only: the phone cells as they must be written (listed numbers removed), when changed. */
  readonly rewritten: ReadonlyArray<string | undefined> | undefined;
}

// Strongest first: the reason a row with several blocked numbers gives.
const blocking: ReadonlyArray<CheckedNumber['status']> = ['internal', 'listed', 'unscreened', 'duplicate'];

/** Classifies a row from the text of its phone cells (in the order of the phone columns). */
export function classifyRow(cells: readonly string[], screening: Screening, options: ClassifyOptions): Verdict {
  const numbers: CheckedNumber[] = [];
  cells.forEach((cell, column) => {
    for (const normalized of numbersInCell(cell, options.country)) numbers.push(check(column, normalized, screening, options));
  });
  const blocked = (n: CheckedNumber) => isBlocked(n.status, options.allowUnscreened);
  const valid = numbers.filter((n) => n.normalized.ok);

  if (options.policy === 'number') {
    const callable = valid.filter((n) => !blocked(n));
    if (callable.length === 0) return rowVerdict(numbers, valid, options);
    if (callable.length === valid.length) return { outcome: 'clean', reason: undefined, numbers, rewritten: undefined };
    return { outcome: 'clean', reason: undefined, numbers, rewritten: rewriteCells(cells, numbers, blocked) };
  }
  return rowVerdict(numbers, valid, options);
}

function rowVerdict(numbers: CheckedNumber[], valid: CheckedNumber[], options: ClassifyOptions): Verdict {
  for (const status of blocking) {
    if (status === 'unscreened' && options.allowUnscreened) continue;
    if (valid.some((n) => n.status === status)) return { outcome: 'excluded', reason: status as RowReason, numbers, rewritten: undefined };
  }
  if (valid.length > 0) return { outcome: 'clean', reason: undefined, numbers, rewritten: undefined };
  return { outcome: 'invalid', reason: numbers.length === 0 ? 'no-number' : 'invalid-number', numbers, rewritten: undefined };
}

function isBlocked(status: CheckedNumber['status'], allowUnscreened: boolean): boolean {
  return status === 'listed' || status === 'internal' || status === 'duplicate' || (status === 'unscreened' && !allowUnscreened);
}

function check(column: number, normalized: Normalized, screening: Screening, options: ClassifyOptions): CheckedNumber {
  if (!normalized.ok) return { column, normalized, status: 'invalid', list: undefined };
  const value = Number(normalized.e164.slice(1));
  const forms = normalized.alternates.length === 0 ? [value] : [value, ...normalized.alternates.map((a) => Number(a.slice(1)))];
  const screened = screening.check(forms);
  const duplicate = options.seen?.seenBefore(value) === true;
  if (duplicate && (screened.status === 'callable' || screened.status === 'exempt')) {
    return { column, normalized, status: 'duplicate', list: undefined };
  }
  return { column, normalized, status: screened.status, list: screened.list };
}

// What separates several numbers in one cell. A cell is read whole first, so 06/12/34/56/78 stays one number; it is
// split only when it is no number as a whole and each part has six digits or more.
const several = /\s*(?:[;,|\n/]|\s(?:et|ou|and|or)\s)\s*/i;

/** The numbers a cell holds: none when empty, one, or several (`06 12 34 56 78 / 07 81 23 45 67`). */
export function numbersInCell(cell: string, country: string): Normalized[] {
  if (cell.trim().length === 0) return [];
  const whole = normalize(cell, { country });
  if (whole.ok) return [whole];
  const parts = cell.split(several).filter((p) => p.trim().length > 0);
  if (parts.length < 2 || parts.some((p) => countDigits(p) < 6)) return [whole];
  return parts.map((part) => normalize(part, { country }));
}


/** The phone cells with their blocked numbers removed (undefined: cell unchanged). */
function rewriteCells(cells: readonly string[], numbers: CheckedNumber[], blocked: (n: CheckedNumber) => boolean): Array<string | undefined> {
  return cells.map((cell, column) => {
    const here = numbers.filter((n) => n.column === column);
    if (!here.some(blocked)) return undefined;
    const kept = numbers.filter((n) => n.column === column && !blocked(n) && n.normalized.ok);
    if (here.length === 1) return '';
    // Several numbers in the cell: keep the callable ones, in E.164 (their original text is not kept apart).
    return kept.map((n) => (n.normalized.ok ? n.normalized.e164 : '')).join(' / ');
  });
}

/** The detail column of an excluded or invalid row: which column, which list and version, which reason. */
export function describeVerdict(verdict: Verdict, columnNames: readonly string[]): string {
  const parts = verdict.numbers
    .filter((n) => n.status !== 'callable')
    .map((n) => {
      const column = columnNames[n.column] ?? `column ${n.column + 1}`;
      if (!n.normalized.ok) return `${column}: ${n.normalized.reason}`;
      if (n.list !== undefined) return `${column}: ${n.status} (${n.list.name} v${n.list.version})`;
      return `${column}: ${n.status}`;
    });
  if (verdict.numbers.length === 0) return 'no phone number in the phone columns';
  return parts.join('; ');
}

