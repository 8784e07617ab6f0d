// Step 1 of the normalizer: the text of a cell in, its digits, whether a plus leads them, and what was done to read
// them out. A fast path takes digits, common separators and one leading plus; everything spreadsheets do to numbers
// (text prefixes, scientific notation, labels, extensions, full-width digits, invisible characters) takes the slow
// path.

import { invalid, noFlags, type Flag, type InvalidNumber } from './result.js';

export interface NumberText {
  readonly digits: string;
  /** A plus led the digits: they start with a calling code. */
  readonly plus: boolean;
  readonly flags: readonly Flag[];
}

/** The digits of a cell's text; the result is valid until the next call (the caller reads it at once). */
export function readNumberText(input: string): NumberText | InvalidNumber {
  // Fast path: digits, common separators and one leading plus. Anything else takes the slow path.
  // Digits are collected by slicing runs rather than one character at a time: most cells are one to five runs.
  let digits = '';
  let plus = false;
  let dot = false;
  let runStart = -1;
  const length = input.length;
  for (let i = 0; i < length; i++) {
    const c = input.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0) {
      digits += input.slice(runStart, i);
      runStart = -1;
    }
    if (isSeparator(c)) dot ||= c === 46;
    else if (c === 43 && !plus && digits.length === 0) plus = true;
    else return slowPath(input);
  }
  if (runStart >= 0) digits = runStart === 0 ? input : digits + input.slice(runStart);
  if (digits.length === 0) return invalid(plus ? 'too-short' : 'empty');
  // 612345678.0 is a float, not a dotted number.
  if (dot && floatSuffix.test(input.trim())) return slowPath(input);
  // The common case reuses one object (valid until the next call): a new one per cell kept the collector busy.
  fastResult.digits = digits;
  fastResult.plus = plus;
  return fastResult;
}

const fastResult: { digits: string; plus: boolean; readonly flags: readonly Flag[] } = { digits: '', plus: false, flags: noFlags };

export function isSeparator(c: number): boolean {
  // space . - / ( ) tab, NBSP, narrow NBSP, thin and figure spaces, en dash
  return (
    c === 32 || c === 46 || c === 45 || c === 47 || c === 40 || c === 41 || c === 9 ||
    c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x2007 || c === 0x2013 || c === 0x2010 || c === 0x2011
  );
}

const excelError = /^#(?:N\/A|REF!|VALUE!|DIV\/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!)/i;
const excelFormula = /^="(.*)"$/s;
const scientific = /^([0-9])(?:[.,]([0-9]*))?[eE]\+?([0-9]{1,2})$/;
const floatSuffix = /^([0-9]{6,})[.,]0+$/;
const label =
  /^(?:(?:t[ée]l[ée]phone|telephone|t[ée]l|tel|phone|mobile|mob|portable|port|gsm|fixe|cell(?:ulaire)?|num[ée]ro|num|n°|no|nr|domicile|dom|bureau|pro|perso|home|work|office|fax|contact)(?!\p{L})[\s.:°\-/]*)+/iu;
const extension = /(?:[\s,]*(?:poste|post|;ext=|ext|extension|x|#|;|p)[\s.:]*)([0-9]{1,6})$/i;
// Characters that copying from Outlook, Teams or a web page wraps around a number: zero-width spaces and joiners,
// bidirectional marks, embeddings, overrides and isolates, the word joiner, the soft hyphen and a stray BOM.
export const invisible = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const wideSpace = /^[\s\u00a0\u202f\u2007\u2009\u3000\ufeff]+|[\s\u00a0\u202f\u2007\u2009\u3000\ufeff]+$/g;

function slowPath(input: string): NumberText | InvalidNumber {
  const flags: Flag[] = [];
  let text = input.replace(invisible, '').replace(wideSpace, '');
  if (text.length === 0) return invalid('empty');
  if (excelError.test(text)) return invalid('excel-error');

  // Excel's ways of keeping a number as text: ="0612..." and '0612...
  const formula = excelFormula.exec(text);
  if (formula !== null) {
    text = (formula[1] as string).trim();
    flags.push('excel-text');
  } else if (text.charCodeAt(0) === 39 /* ' */) {
    text = text.slice(1).trim();
    flags.push('excel-text');
  }
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1).trim();

  if (/[\uff01-\uff5e\u3000]/.test(text)) {
    text = text.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
    flags.push('full-width');
  }
  const ascii = asciiDigits(text);
  if (ascii !== text) {
    text = ascii;
    flags.push('unicode-digits');
  }

  const sci = scientific.exec(text);
  if (sci !== null) {
    // Zeros written past the units digit (6.399812340E+08) say nothing: 639981234.0 is 639981234.
    let mantissa = (sci[1] as string) + (sci[2] ?? '');
    while (mantissa.length > Number(sci[3]) + 1 && mantissa.endsWith('0')) mantissa = mantissa.slice(0, -1);
    const exponent = Number(sci[3]);
    // Excel shows 15 significant digits at most; fewer digits than the exponent needs means the number was cut.
    if (mantissa.length !== exponent + 1) return invalid('excel-mangled');
    flags.push('scientific');
    return { digits: mantissa, plus: false, flags };
  }
  const float = floatSuffix.exec(text);
  if (float !== null) {
    flags.push('float-suffix');
    return { digits: float[1] as string, plus: false, flags };
  }

  const labelled = label.exec(text);
  if (labelled !== null && labelled[0].length < text.length && /[0-9+]/.test(text.charAt(labelled[0].length))) {
    text = text.slice(labelled[0].length);
    flags.push('label');
  }
  const ext = extension.exec(text);
  if (ext !== null) {
    const rest = text.slice(0, ext.index).trimEnd();
    if (/[0-9)]$/.test(rest) && countDigits(rest) >= 8) {
      text = rest;
      flags.push('extension');
    }
  }

  let digits = '';
  let plus = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += text[i];
    else if (isSeparator(c) || c === 0x3000 || c === 95 /* _ */) continue;
    else if (c === 43 && !plus && digits.length === 0) plus = true;
    else if (isLetter(text[i] as string)) return invalid('letters');
    else return invalid('bad-characters');
  }
  if (digits.length === 0) return invalid(plus ? 'too-short' : 'empty');
  return { digits, plus, flags };
}

// A decimal digit of another script: Arabic-Indic, Devanagari, mathematical bold... (full-width ones are read above).
const otherDigit = /(?![0-9])\p{Nd}/u;
const otherDigits = /(?![0-9])\p{Nd}/gu;

/** The text with every decimal digit of another script written as its ASCII digit. */
export function asciiDigits(text: string): string {
  if (!otherDigit.test(text)) return text;
  return text.replace(otherDigits, (ch) => {
    // Unicode keeps each script's digits 0 to 9 in a run of ten (the mathematical ones are five runs in a row).
    const code = ch.codePointAt(0) as number;
    let zero = code;
    while (otherDigit.test(String.fromCodePoint(zero - 1))) zero--;
    return String((code - zero) % 10);
  });
}

/** How many ASCII digits a text holds. */
export function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function isLetter(ch: string): boolean {
  return /\p{L}/u.test(ch);
}
