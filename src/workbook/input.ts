// Whether a scrub's input is a workbook or CSV, and which output names a workbook scrub can write. A workbook is
// known by its content (a zip, or an OLE compound file: an .xls or a password-protected workbook, which the reader
// refuses saying what it is) or by its name; standard input is always CSV, since a zip is read from its end and
// cannot stream: a workbook piped in is refused with a usage error saying so, rather than the CSV reader's
// "binary data".

import { Transform } from 'node:stream';
import { CallscrubError, usageError } from '../errors.js';
import type { Source } from '../io/source.js';
import { printable } from '../ui/printable.js';
import { compoundMagic, sniff, zipMagic } from './sniff.js';

/** Spreadsheet names callscrub cannot write: a file so named would not open as what its name says. */
const otherSpreadsheet = /\.(xlsm|xltx|xltm|xlsb|xls|xlam|ods|fods|numbers)$/i;

/** Whether an output named so is written as a workbook (.xlsx), rather than as CSV. */
export const isWorkbookName = (name: string): boolean => /\.xlsx$/i.test(name);

/** Refuses an output named as a spreadsheet callscrub does not write (.xlsm, .xls, .ods...): usage error, exit 2. */
export function checkOutputName(option: string, name: string): void {
  const kind = otherSpreadsheet.exec(name)?.[1];
  if (kind === undefined) return;
  throw usageError(`${option} ${printable(name)}: callscrub writes an output as an .xlsx workbook or as CSV, not as .${kind.toLowerCase()}`, 'name it .xlsx for a workbook, or .csv');
}

/** Whether the input is a workbook: by its name (.xlsx, .xlsm, .xls), else by its first bytes. */
export async function isWorkbookInput(source: Source): Promise<boolean> {
  if (source.file === undefined) return false;
  if (/\.(xlsx|xlsm|xls)$/i.test(source.name)) return true;
  let kind;
  try {
    kind = await sniff(source.file);
  } catch {
    return false; // the CSV scrub reports what stops it reading the file
  }
  return kind === 'zip' || kind === 'empty-zip' || kind === 'encrypted' || kind === 'xls' || kind === 'compound';
}

/** Standard input or a pipe, as CSV, refusing a workbook from its first eight bytes (usage error, exit 2). */
export function refusingWorkbooks(source: Source): Source {
  return {
    ...source,
    open: () => {
      let head = Buffer.alloc(0);
      let checked = false;
      const check = (callback: (error?: Error | null, data?: Buffer) => void) => {
        checked = true;
        const error = workbookBytes(head, source.name);
        callback(error, error === undefined ? head : undefined);
      };
      const input = source.open();
      const checker = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          if (checked) {
            callback(null, chunk);
            return;
          }
          head = Buffer.concat([head, chunk]);
          if (head.length < compoundMagic.length) callback();
          else check(callback);
        },
        flush(callback) {
          if (!checked && head.length > 0) check(callback);
          else callback();
        },
      });
      input.once('error', (error) => checker.destroy(error));
      return input.pipe(checker);
    },
  };
}

function workbookBytes(head: Buffer, name: string): CallscrubError | undefined {
  if (!head.subarray(0, 4).equals(zipMagic) && !head.subarray(0, 8).equals(compoundMagic)) return undefined;
  return usageError(`${printable(name)} holds an Excel workbook, which cannot be read from standard input or a pipe (a zip is read from its end)`, 'give the .xlsx file by its path');
}
