// The number formats of a workbook's cell styles (xl/styles.xml), enough to tell a date from a number: each cell's `s`
// is an index into <cellXfs>, whose numFmtId is a built-in format (0-163) or one of <numFmts>. Only format codes are
// kept (a few hundred styles as a rule; more than Excel's 64,000 are refused), so this costs nothing next to the sheet.

import { CallscrubError } from '../errors.js';
import { maxCellFormats, tooLargeHint } from './limits.js';
import { hidesDigits, textSection } from './number-formats.js';
import type { WorkbookPackage } from './package.js';

/** Built-in format codes (ECMA-376 part 1, 18.8.30) that are not spelled out in styles.xml. */
const builtinFormats: Record<number, string> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?',
  13: '# ??/??', 14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM',
  20: 'h:mm', 21: 'h:mm:ss', 22: 'm/d/yy h:mm', 37: '#,##0 ;(#,##0)', 38: '#,##0 ;[Red](#,##0)', 39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;[Red](#,##0.00)', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0', 48: '##0.0E+0', 49: '@',
};

/** Built-in ids that show dates or times, the East Asian ones (27-36, 50-58) included. */
const builtinDates = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a format code shows a date or time: a d, m, y, h or s outside quotes, brackets, escapes and fill characters. */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\.|[_*]./g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** A built-in format's id from its code, for a writer that wants the id a program expects. */
export function builtinFormatId(code: string): number | undefined {
  for (const [id, builtin] of Object.entries(builtinFormats)) if (builtin === code) return Number(id);
  return undefined;
}

export interface CellStyles {
  /** The number format code of a style index ('General' for none or an unknown index). */
  format(style: number): string;
  /** Whether the style shows a date or time. */
  isDate(style: number): boolean;
  /** The text section of the style's format when it writes characters around a text cell's text (see textSection). */
  textShown(style: number): string | undefined;
}


export async function readStyles(pkg: WorkbookPackage, part: string | undefined): Promise<CellStyles> {
  const codes = new Map<number, string>();
  const formatIds: number[] = [];
  // A cell format without a numFmtId takes its cell style's (<cellStyleXfs>, by xfId), as Excel and LibreOffice do.
  const inherits: (number | undefined)[] = [];
  const styleFormatIds: number[] = [];
  let inCellXfs = false;
  let inStyleXfs = false;
  const tooMany = (what: string) =>
    new CallscrubError('input', `its part ${part} holds more than ${maxCellFormats.toLocaleString('en')} ${what} (Excel's limit)`, { file: pkg.file, hint: tooLargeHint });
  if (part !== undefined) {
    await pkg.read(part, {
      open(name, attributes) {
        if (name === 'numFmt' && attributes.numFmtId !== undefined) {
          codes.set(Number(attributes.numFmtId), attributes.formatCode ?? '');
          if (codes.size > maxCellFormats) throw tooMany('number formats');
        } else if (name === 'cellXfs') {
          inCellXfs = true;
        } else if (name === 'cellStyleXfs') {
          inStyleXfs = true;
        } else if (name === 'xf' && inCellXfs) {
          formatIds.push(Number(attributes.numFmtId ?? -1));
          inherits.push(attributes.numFmtId === undefined && attributes.xfId !== undefined ? Number(attributes.xfId) : undefined);
          if (formatIds.length > maxCellFormats) throw tooMany('cell formats');
        } else if (name === 'xf' && inStyleXfs) {
          styleFormatIds.push(Number(attributes.numFmtId ?? 0));
          if (styleFormatIds.length > maxCellFormats) throw tooMany('cell styles');
        }
      },
      close(name) {
        if (name === 'cellXfs') inCellXfs = false;
        else if (name === 'cellStyleXfs') inStyleXfs = false;
      },
    });
  }
  // A built-in id Excel knows means its built-in format, whatever code a program wrote beside it (Excel shows id 14
  // in the reader's locale, not as spelled in the file); other ids below 164 are custom ones to some programs
  // (Gnumeric numbers its own from 100).
  formatIds.forEach((id, i) => {
    if (id === -1) formatIds[i] = styleFormatIds[inherits[i] ?? -1] ?? 0;
  });
  // Unless the file's own code for a built-in id shows other digits than stored: LibreOffice and Gnumeric show the
  // file's code, and a cell shown so must be judged by it.
  const ownCode = (id: number) => {
    const code = codes.get(id);
    return code !== undefined && (builtinFormats[id] === undefined || hidesDigits(code)) ? code : undefined;
  };
  const formats = formatIds.map((id) => ownCode(id) ?? builtinFormats[id] ?? `[built-in format ${id}]`);
  const dates = formatIds.map((id, i) => (ownCode(id) !== undefined ? isDateFormat(formats[i] as string) : builtinDates.has(id)));
  const texts = formats.map(textSection);
  return {
    format: (style) => formats[style] ?? 'General',
    isDate: (style) => dates[style] ?? false,
    textShown: (style) => texts[style],
  };
}
