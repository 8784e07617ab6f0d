// A workbook's shared strings (xl/sharedStrings.xml), which a sheet's `t="s"` cells point to by index. They must all
// be at hand while the sheet streams, and a million-row workbook saved by LibreOffice holds two million of them, so
// they are kept compact: their UTF-8 bytes end to end in one buffer, and where each ends in a Uint32Array
// (about 30 MB for those two million, against 125 MB as JavaScript strings). A string is the text of its <t>
// elements, rich-text runs joined, phonetic guides (<rPh>) left out.

import { CallscrubError } from '../errors.js';
import type { WorkbookPackage } from './package.js';
import { decodeEscapes } from './escapes.js';
import { maxCellText, maxSharedStringBytes, maxSharedStrings, maxSharedStringsPart, maxStoredCellText, tooLargeHint } from './limits.js';

export class SharedStrings {
  private bytes: Buffer;
  private length = 0;
  /** ends[i + 1] is where string i ends; ends[0] = 0. */
  private ends: Uint32Array;
  private count = 0;

  /**
   * `partSize`: the inflated size of the part the strings come from. In a UTF-8 part their UTF-8 cannot be longer
   * (an escape is never shorter than what it stands for), nor can there be more strings than a fifth of it (<si/>), so
   * both stores are taken at that size at once (within the limits) and are not copied to grow, which would hold two
   * of them for a while; the pages not written to are never touched and cost no memory. A UTF-16 part may still grow them.
   */
  constructor(partSize = 0) {
    this.bytes = Buffer.allocUnsafe(Math.min(maxSharedStringBytes, Math.max(1 << 16, partSize)));
    this.ends = new Uint32Array(Math.min(maxSharedStrings + 1, Math.max(1 << 10, Math.floor(partSize / 5) + 1)));
  }

  get size(): number {
    return this.count;
  }

  /** False, and nothing kept, when the strings would pass maxSharedStrings or maxSharedStringBytes. */
  push(text: string): boolean {
    if (this.count >= maxSharedStrings) return false;
    const need = Buffer.byteLength(text);
    if (this.length + need > this.bytes.length) {
      if (this.length + need > maxSharedStringBytes) return false;
      const grown = Buffer.allocUnsafe(Math.min(maxSharedStringBytes, Math.max(this.bytes.length * 2, this.length + need)));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    if (this.count + 2 > this.ends.length) {
      const grown = new Uint32Array(Math.min(maxSharedStrings + 1, this.ends.length * 2));
      grown.set(this.ends);
      this.ends = grown;
    }
    this.length += this.bytes.write(text, this.length);
    this.ends[++this.count] = this.length;
    return true;
  }

  get(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.bytes.toString('utf8', this.ends[index], this.ends[index + 1]);
  }
}

export async function readSharedStrings(pkg: WorkbookPackage, part: string | undefined): Promise<SharedStrings> {
  if (part === undefined) return new SharedStrings();
  const strings = new SharedStrings(pkg.size(part));
  const refuse = (message: string) => new CallscrubError('input', message, { file: pkg.file, hint: tooLargeHint });
  const tooLong = () => refuse(`shared string ${strings.size}: more than ${maxCellText.toLocaleString('en')} characters (Excel's limit for a cell)`);
  let text: string | undefined;
  let inText = false;
  let phonetic = 0;
  await pkg.read(
    part,
    {
      open(name) {
        if (name === 'si') text = '';
        else if (name === 'rPh') phonetic++;
        else if (name === 't' && phonetic === 0 && text !== undefined) inText = true;
      },
      text(chunk) {
        if (!inText) return;
        text += chunk;
        // stored text this long cannot decode to a cell's 32,767 characters
        if ((text as string).length > maxStoredCellText) throw tooLong();
      },
      close(name) {
        if (name === 't') inText = false;
        else if (name === 'rPh') phonetic--;
        else if (name === 'si' && text !== undefined) {
          const decoded = decodeEscapes(text);
          if (decoded.length > maxCellText) throw tooLong();
          if (!strings.push(decoded)) {
            throw strings.size >= maxSharedStrings
              ? refuse(`the workbook holds more than ${maxSharedStrings.toLocaleString('en')} shared strings`)
              : refuse(`the workbook holds more than ${maxSharedStringBytes / 2 ** 20} MiB of shared strings`);
          }
          text = undefined;
        }
      },
      overlong() {
        if (inText) throw tooLong();
      },
    },
    maxSharedStringsPart,
  );
  return strings;
}
