// The pure core of a scrub: the phone cells of one row in, the row's outcome out (clean, excluded or invalid),
// with the reason and the detail the excluded and invalid files carry. No I/O; the stream around it moves bytes.

import { readCell } from '../phone/cell.js';
import { invalid, type Reason } from '../phone/result.js';
import type { Normalized } from '../phone/normalize.js';
import type { ContactReason, ContactVerdict } from '../rules/contact-limits.js';
import { describeContact, type ContactRules } from './contact-rules.js';
import type { NumberStatus, PinnedList, Screened, Screening } from './screening.js';

export type Policy = 'row' | 'number';
export type Outcome = 'clean' | 'excluded' | 'invalid';

/** Why a row is excluded or invalid. Closed set, documented in the README. */
// Appended only: a report's exclusion log stores a reason by its index here. `formula`: a workbook's phone cell holds
// a formula (invalid: the number it shows is computed, and may change when the file is opened again).
export const rowReasons = ['internal', 'listed', 'no-consent', 'refusal-pause', 'frequency-cap', 'unscreened', 'duplicate', 'no-number', 'invalid-number', 'unreadable', 'formula'] as const;
export type RowReason = (typeof rowReasons)[number];

/** The reasons that make a row invalid (no usable number) rather than excluded. */
export const invalidReasons: ReadonlySet<string> = new Set(['no-number', 'invalid-number', 'formula']);

export interface ClassifyOptions {
  readonly country: string;
  readonly policy: Policy;
  readonly allowUnscreened: boolean;
  /** Set when --dedupe: the numbers seen so far in the file. */
  readonly seen: NumberSeen | undefined;
  /** Set when --rules: the call history and the rules it is judged by. */
  readonly contact?: ContactRules | undefined;
}

export interface NumberSeen {
  /** Records the number; true when it was seen before. */
  seenBefore(value: number): boolean;
}

export interface CheckedNumber {
  /** Index among the phone columns. */
  readonly column: number;
  readonly normalized: Normalized;
  /**
   * For valid numbers: what the lists say, or `duplicate`. `unreadable`: a number-like part (9 digits or more, or a
   * spreadsheet exponent) that yields no number; `invalid`: a cell whose only digits are a short fragment.
   */
  readonly status: NumberStatus | ContactReason | 'duplicate' | 'unreadable' | 'invalid';
  readonly list: PinnedList | undefined;
  /** No-consent: why (see Screened). */
  readonly why?: string;
  /** Refusal-pause and frequency-cap: the verdict, described (the rule, when callable again) only for a row's detail. */
  readonly contact?: ContactVerdict & { readonly blocked: true };
  /** A listed number's consent in force, and whether it overrode the listing. */
  readonly consent?: Screened['consent'];
}

export interface Verdict {
  readonly outcome: Outcome;
  readonly reason: RowReason | undefined;
  readonly numbers: readonly CheckedNumber[];
  /** Policy `number` only: the phone cells as they must be written (listed numbers removed), when changed. */
  readonly rewritten: ReadonlyArray<string | undefined> | undefined;
  /** Reason `formula`: the phone cells (index among the phone columns) holding a formula, and its text. */
  readonly formulas?: ReadonlyArray<{ readonly column: number; readonly formula: string }>;
}

/**
 * A workbook's phone cell judged before the normalizer: one holding a formula (no number is read from it), or a
 * number cell whose display cannot be trusted to be what it stores (unreadable, with the normalizer's reason).
 */
export type JudgedCell = { readonly formula: string } | { readonly unreadable: Reason };

/**
 * Classifies a workbook row. A formula in a phone cell makes the row invalid (`formula`), whatever the value its
 * program cached: that value is what the formula gave when the file was last saved, and a dialer or a spreadsheet
 * that opens the file again may compute another; unless the row's other phone cells exclude it (a listed number
 * beside the formula), which is the stronger verdict. A cell judged unreadable is an unreadable number of its column,
 * as the normalizer's are. Otherwise as classifyRow.
 */
export function classifyCells(cells: readonly (string | JudgedCell)[], screening: Screening, options: ClassifyOptions): Verdict {
  const formulas = cells.flatMap((cell, column) => (typeof cell !== 'string' && 'formula' in cell ? [{ column, formula: cell.formula }] : []));
  const verdict = classifyRow(
    cells.map((cell) => (typeof cell !== 'string' && 'formula' in cell ? '' : cell)),
    screening,
    options,
  );
  if (formulas.length === 0 || verdict.outcome === 'excluded') return verdict;
  return { outcome: 'invalid', reason: 'formula', numbers: [], rewritten: undefined, formulas };
}

// Strongest first: the reason a row with several blocked numbers gives. An unreadable part blocks the row: the dialer
// shows the agent the whole cell, and what it holds may be a listed number.
const blocking: ReadonlyArray<CheckedNumber['status']> = ['internal', 'listed', 'no-consent', 'refusal-pause', 'frequency-cap', 'unscreened', 'unreadable', 'duplicate'];

/** Classifies a row from the text of its phone cells (in the order of the phone columns). */
export function classifyRow(cells: readonly (string | { readonly unreadable: Reason })[], screening: Screening, options: ClassifyOptions): Verdict {
  const numbers: CheckedNumber[] = [];
  cells.forEach((cell, column) => {
    if (typeof cell !== 'string') {
      numbers.push({ column, normalized: invalid(cell.unreadable), status: 'unreadable', list: undefined });
      return;
    }
    for (const part of readCell(cell, options.country)) {
      numbers.push(part.kind === 'number' ? check(column, part.normalized, screening, options) : { column, normalized: part.normalized, status: part.kind, list: undefined });
    }
  });
  const valid = numbers.filter((n) => n.normalized.ok);

  if (options.policy === 'number') {
    // A cell with an unreadable part is blanked whole: what else it holds cannot be told apart from that part.
    const unreadable = new Set(numbers.filter((n) => n.status === 'unreadable').map((n) => n.column));
    const blocked = (n: CheckedNumber) => unreadable.has(n.column) || isBlocked(n.status, options.allowUnscreened);
    const callable = valid.filter((n) => !blocked(n));
    if (callable.length === 0) return rowVerdict(numbers, valid, options);
    if (callable.length === valid.length && unreadable.size === 0) return { outcome: 'clean', reason: undefined, numbers, rewritten: undefined };
    return { outcome: 'clean', reason: undefined, numbers, rewritten: rewriteCells(cells, numbers, blocked, unreadable) };
  }
  return rowVerdict(numbers, valid, options);
}

function rowVerdict(numbers: CheckedNumber[], valid: CheckedNumber[], options: ClassifyOptions): Verdict {
  for (const status of blocking) {
    if (status === 'unscreened' && options.allowUnscreened) continue;
    if (numbers.some((n) => n.status === status)) return { outcome: 'excluded', reason: status as RowReason, numbers, rewritten: undefined };
  }
  if (valid.length > 0) return { outcome: 'clean', reason: undefined, numbers, rewritten: undefined };
  return { outcome: 'invalid', reason: numbers.length === 0 ? 'no-number' : 'invalid-number', numbers, rewritten: undefined };
}

function isBlocked(status: CheckedNumber['status'], allowUnscreened: boolean): boolean {
  return (
    status === 'listed' ||
    status === 'internal' ||
    status === 'no-consent' ||
    status === 'refusal-pause' ||
    status === 'frequency-cap' ||
    status === 'duplicate' ||
    status === 'unreadable' ||
    (status === 'unscreened' && !allowUnscreened)
  );
}

function check(column: number, normalized: Normalized, screening: Screening, options: ClassifyOptions): CheckedNumber {
  if (!normalized.ok) return { column, normalized, status: 'invalid', list: undefined };
  const value = Number(normalized.e164.slice(1));
  const forms = normalized.alternates.length === 0 ? [value] : [value, ...normalized.alternates.map((a) => Number(a.slice(1)))];
  const screened = screening.check(forms);
  const duplicate = options.seen?.seenBefore(value) === true;
  // The contact rules judge what the lists leave callable or unscreened: internal, listed and no-consent are stronger.
  if (options.contact !== undefined && screened.status !== 'internal' && screened.status !== 'listed' && screened.status !== 'no-consent') {
    const verdict = options.contact.check(forms);
    if (verdict.blocked) return { column, normalized, status: verdict.reason, list: undefined, contact: verdict };
  }
  if (duplicate && (screened.status === 'callable' || screened.status === 'exempt' || screened.status === 'consented')) {
    return { column, normalized, status: 'duplicate', list: undefined };
  }
  return { column, normalized, status: screened.status, list: screened.list, why: screened.why, consent: screened.consent };
}

/** The phone cells with their blocked numbers removed (undefined: cell unchanged). */
function rewriteCells(
  cells: readonly unknown[],
  numbers: CheckedNumber[],
  blocked: (n: CheckedNumber) => boolean,
  unreadable: ReadonlySet<number>,
): Array<string | undefined> {
  return cells.map((_cell, column) => {
    const here = numbers.filter((n) => n.column === column);
    if (unreadable.has(column)) return '';
    if (!here.some(blocked)) return undefined;
    const kept = numbers.filter((n) => n.column === column && !blocked(n) && n.normalized.ok);
    if (here.length === 1) return '';
    // Several numbers in the cell: keep the callable ones, in E.164 (their original text is not kept apart).
    return kept.map((n) => (n.normalized.ok ? n.normalized.e164 : '')).join(' / ');
  });
}

/** The detail column of an excluded or invalid row: which column, which list and version, which reason. */
export function describeVerdict(verdict: Verdict, columnNames: readonly string[]): string {
  if (verdict.formulas !== undefined && verdict.formulas.length > 0) {
    return verdict.formulas
      .map((f) => {
        const shown = f.formula === '' ? 'a shared formula' : `=${f.formula.length > 60 ? `${f.formula.slice(0, 60)}…` : f.formula}`;
        return `${columnNames[f.column] ?? `column ${f.column + 1}`}: formula (${shown}), not a stored number`;
      })
      .join('; ');
  }
  const parts = verdict.numbers
    .filter((n) => n.status !== 'callable')
    .map((n) => {
      const column = columnNames[n.column] ?? `column ${n.column + 1}`;
      if (n.status === 'unreadable' && !n.normalized.ok) return `${column}: unreadable (${n.normalized.reason})`;
      if (!n.normalized.ok) return `${column}: ${n.normalized.reason}`;
      if (n.status === 'no-consent') return `${column}: no-consent (${n.why}${n.list === undefined ? '' : `, ${n.list.name} v${n.list.version}`})`;
      if (n.contact !== undefined) return `${column}: ${n.status} (${describeContact(n.contact, Number(n.normalized.e164.slice(1)))})`;
      if (n.status === 'consented') return `${column}: consented (${n.list?.name} v${n.list?.version})`;
      if (n.consent !== undefined && n.list !== undefined) {
        return `${column}: ${n.status} (${n.list.name} v${n.list.version}; the consent in ${n.consent.list.name} v${n.consent.list.version} does not override it)`;
      }
      if (n.list !== undefined) return `${column}: ${n.status} (${n.list.name} v${n.list.version})`;
      return `${column}: ${n.status}`;
    });
  if (verdict.numbers.length === 0) return 'no phone number in the phone columns';
  return parts.join('; ');
}

