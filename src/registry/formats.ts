// The shapes registry files come in, and how to read one record of each. Pure: a line in, the number text (or the
// number itself, for the fixed national layouts) and an optional date out.

import { isPhoneHeader } from '../phone/column-names.js';

export const listFormats = ['lines', 'csv', 'us-dnc', 'tps', 'dncm'] as const;
export type ListFormat = (typeof listFormats)[number];

/** Maximum age in days a version of each format may reach before a scrub refuses it (see DOMAIN.md). */
export const defaultMaxAge: Record<ListFormat, number> = { lines: 30, csv: 30, 'us-dnc': 31, tps: 28, dncm: 5 };

/** The region national numbers of each format belong to, unless --country says otherwise. */
export const defaultCountry: Record<ListFormat, string> = { lines: 'FR', csv: 'FR', 'us-dnc': 'US', tps: 'GB', dncm: 'BE' };

export interface Sniffed {
  readonly format: ListFormat;
  readonly why: string;
}

/** Chooses a format from the first lines of a file. It never picks `dncm`, which looks like `lines`. */
export function sniffFormat(lines: readonly string[]): Sniffed {
  // Comment lines (`# ` then text), which `lines` files may hold, say nothing about the shape.
  const data = lines.filter((l) => l.trim().length > 0 && !/^\s*#(\s|$)/.test(l)).slice(0, 50);
  const body = data.filter((l) => /\d/.test(l));
  if (body.length === 0) return { format: 'lines', why: 'no numbers in the first lines' };
  if (body.every((l) => /^\s*"?\d{3}"?\s*,\s*"?\d{7}"?\s*$/.test(l))) {
    return { format: 'us-dnc', why: 'every line is an area code and a 7-digit number' };
  }
  if (body.every((l) => l.length === 12 && /^0[0-9 ]{11}$/.test(l))) {
    return { format: 'tps', why: 'every line is a 12-character national record' };
  }
  const header = data[0] as string;
  // A header: letters, a delimiter, and no phone number (`Tel2` and `Adresse 2` hold a digit and are names still).
  if (/\p{L}/u.test(header) && /[;,\t]/.test(header) && !/\d{6}/.test(header.replace(/[\s.\-/()]/g, ''))) {
    const names = header.split(/[;,\t]/);
    if (names.length >= 3) return { format: 'csv', why: 'a header row with several columns' };
    // `Nom;Téléphone`: the number is not first, as `lines` (and Bloctel's `Telephone;Identifiant`) would have it;
    // `Téléphone;Portable`: two phone columns, which `lines` would not both read.
    if (!isPhoneHeader(names[0] as string) || isPhoneHeader(names[1] as string)) {
      return { format: 'csv', why: 'a header row whose columns are not one number and its fields' };
    }
  }
  return { format: 'lines', why: 'one number per line' };
}

export interface LineRecord {
  readonly text: string;
  /** The fields after the number (a date, Bloctel's identifier, a reason...): which one is a date, the header says. */
  readonly fields: readonly string[];
}

/**
 * A `lines` or `dncm` line: a number in any notation, then optionally `;`, `,` or a tab and more fields (a date,
 * or in Bloctel's upload shape `Telephone;Identifiant` an identifier). Returns undefined for a line to skip:
 * empty, a comment (`#` then a space), or a header (the first line, holding no digit).
 */
export function readLine(line: string, mayBeHeader: boolean): LineRecord | undefined {
  const trimmed = line.trim();
  if (trimmed.length === 0 || /^#(\s|$)/.test(trimmed)) return undefined;
  if (mayBeHeader && !/\d/.test(trimmed)) return undefined;
  const cut = trimmed.search(/[;,\t]/);
  if (cut < 0) return { text: trimmed, fields: [] };
  // A comma inside scientific notation (6,12345E+08) is a decimal comma, not a separator.
  if (trimmed[cut] === ',' && /^\d,\d+E\+?\d+$/i.test(trimmed)) return { text: trimmed, fields: [] };
  return { text: trimmed.slice(0, cut).trim(), fields: trimmed.slice(cut + 1).split(/[;,\t]/).map((f) => f.trim()) };
}

export type FixedResult = number | 'bad-record' | 'invalid-number';

/** A US or Canadian DNC line `201,2345678`: the E.164 value, checked against the North American plan's shape. */
export function readUsDnc(line: string): FixedResult | undefined {
  const trimmed = line.trim();
  if (trimmed.length === 0) return undefined;
  const match = /^"?(\d{3})"?\s*,\s*"?(\d{7})"?/.exec(trimmed);
  if (match === null) return /\d/.test(trimmed) ? 'bad-record' : undefined;
  const area = match[1] as string;
  const local = match[2] as string;
  // NXX-NXX-XXXX: neither the area code nor the exchange starts with 0 or 1.
  if (area < '200' || local < '2000000') return 'invalid-number';
  return 10_000_000_000 + Number(area) * 10_000_000 + Number(local);
}

/** A UK TPS record: 12 characters, a national number with an optional space after the dialling code. */
export function readTps(line: string): FixedResult | undefined {
  const trimmed = line.trim();
  if (trimmed.length === 0) return undefined;
  const digits = trimmed.replace(/ /g, '');
  if (!/^\d+$/.test(digits)) return 'bad-record';
  if (digits[0] !== '0' || digits.length < 10 || digits.length > 11 || digits[1] === '0') return 'invalid-number';
  return Number(`44${digits.slice(1)}`);
}
