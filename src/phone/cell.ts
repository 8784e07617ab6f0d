// What a phone cell holds: the numbers in it, and the number-like parts that could not be read. People write more
// than a number in a phone cell (`Fixe: X Mobile: Y`, `X (soir)`, `X après 18h`, `X - Y`), and a dialer shows the
// agent the whole cell: so every part that looks like a number (9 digits or more, or a spreadsheet exponent) must be
// read, or reported as unreadable, never skipped. Pure: a string in, parts out.

import { countDigits, invisible, normalize, type InvalidNumber, type Normalized, type ValidNumber } from './normalize.js';
import { invalid } from './result.js';
import { asciiDigits } from './text.js';

export type CellPart =
  /** A usable number. */
  | { readonly kind: 'number'; readonly normalized: ValidNumber }
  /** A part with 9 digits or more, or a spreadsheet exponent, that yields no usable number. */
  | { readonly kind: 'unreadable'; readonly normalized: InvalidNumber }
  /** The cell's only digits are a short fragment (`0812`, `06 12 34`): no number, as a cell of text would be. */
  | { readonly kind: 'invalid'; readonly normalized: InvalidNumber };

/** Digits a part needs to be taken for a phone number: the shortest French number a spreadsheet leaves (9). */
export const numberLikeDigits = 9;

// A spreadsheet exponent anywhere in the cell: 5.907E+11, 5,36E+08, 6E+8.
const exponent = /[0-9](?:[.,][0-9]*)?\s?[eE]\s?\+?[0-9]{1,2}(?![0-9])/g;
// What ends one number and starts the next: letters (labels, annotations, `et`, `puis`), punctuation that never sits
// inside a number, two or more spaces, and a dash, slash or plus standing alone between spaces.
const partBreak = /[\p{L}_]+\.?|[:;,|&\n\r\t=#*"'!?]|\s{2,}|\s[-\u2013/+]\s/gu;

/**
 * The parts of a phone cell: none when it holds no digit (`N/A`, `inconnu`, `-`, `#REF!`). `lenient` as for
 * normalize (list imports keep well-formed numbers the metadata does not allocate yet).
 */
export function readCell(cell: string, country: string, lenient = false): CellPart[] {
  const options = { country, lenient };
  const whole = normalize(cell, options);
  if (whole.ok) return [{ kind: 'number', normalized: whole }];
  const text = asciiDigits(cell.replace(invisible, ''));
  if (!/[0-9]/.test(text)) return [];

  const parts: CellPart[] = [];
  // Exponents first: their letter E and decimal comma would otherwise cut them in two.
  const rest = text.replace(exponent, (match) => {
    const read = normalize(match.replace(/\s/g, ''), options);
    parts.push(read.ok ? { kind: 'number', normalized: read } : { kind: 'unreadable', normalized: read });
    return '\n';
  });
  let fragmentDigits = 0;
  for (const segment of rest.split(partBreak)) {
    const digits = countDigits(segment);
    if (digits === 0) continue;
    for (const read of readSegment(segment.trim(), options)) {
      if (read.ok) parts.push({ kind: 'number', normalized: read });
      else if (digits >= numberLikeDigits) parts.push({ kind: 'unreadable', normalized: read });
      else fragmentDigits += digits;
    }
  }
  // Short fragments that add up to a number's length (`06 39 98  12 34`, `06 39 98 l2 34`) may be one number cut
  // apart by a typo: unreadable, even beside a number read whole.
  if (fragmentDigits >= numberLikeDigits && parts.length > 0) parts.push({ kind: 'unreadable', normalized: invalid('invalid-number') });
  if (parts.length > 0) return parts;
  // Only short fragments: the cell is unreadable when they add up to a number's length (`06 12 34 56 7O`), and
  // invalid otherwise, as any cell without a number.
  return [{ kind: countDigits(text) >= numberLikeDigits ? 'unreadable' : 'invalid', normalized: whole }];
}

/** Whether a cell holds a usable phone number (whatever else it holds). */
export function holdsNumber(cell: string, country: string, lenient = false): boolean {
  return readCell(cell, country, lenient).some((part) => part.kind === 'number');
}

/** One segment: a number, two numbers separated by a single space, or what it fails as. */
function readSegment(segment: string, options: { country: string; lenient: boolean }): Normalized[] {
  const whole = normalize(segment, options);
  if (whole.ok) return [whole];
  // `06 12 34 56 78 07 81 23 45 67`: split at a space where both halves are numbers.
  const spaces = [...segment.matchAll(/\s/g)].map((m) => m.index);
  for (const at of spaces) {
    const left = normalize(segment.slice(0, at), options);
    if (!left.ok) continue;
    const right = normalize(segment.slice(at + 1), options);
    if (right.ok) return [left, right];
  }
  return [whole];
}
