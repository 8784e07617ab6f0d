// A workbook's shared strings (xl/sharedStrings.xml), which a sheet's `t="s"` cells point to by index. They must all
// be at hand while the sheet streams, and a million-row workbook saved by LibreOffice holds two million of them, so
// they are kept compact: their UTF-8 bytes end to end in one growing buffer, and where each ends in a Uint32Array
// (about 30 MB for those two million, against 125 MB as JavaScript strings). A string is the text of its <t>
// elements, rich-text runs joined, phonetic guides (<rPh>) left out.

import { CallscrubError } from '../errors.js';
import type { WorkbookPackage } from './package.js';
import { decodeEscapes } from './escapes.js';

/** Beyond this many bytes of strings the store refuses: a Uint32Array offset reaches 4 GiB, and a sane workbook far less. */
const maxBytes = 2 ** 31;

export class SharedStrings {
  private bytes = Buffer.allocUnsafe(1 << 16);
  private length = 0;
  /** ends[i + 1] is where string i ends; ends[0] = 0. */
  private ends = new Uint32Array(1 << 10);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(text: string): void {
    const need = Buffer.byteLength(text);
    if (this.length + need > this.bytes.length) {
      if (this.length + need > maxBytes) throw new RangeError('shared strings over 2 GiB');
      const grown = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(this.bytes.length * 2, this.length + need)));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    if (this.count + 2 > this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.length += this.bytes.write(text, this.length);
    this.ends[++this.count] = this.length;
  }

  get(index: number): string | undefined {
    if (!(index >= 0 && index < this.count)) return undefined;
    return this.bytes.toString('utf8', this.ends[index], this.ends[index + 1]);
  }
}

export async function readSharedStrings(pkg: WorkbookPackage, part: string | undefined): Promise<SharedStrings> {
  const strings = new SharedStrings();
  if (part === undefined) return strings;
  let text: string | undefined;
  let inText = false;
  let phonetic = 0;
  try {
    await pkg.read(part, {
      open(name) {
        if (name === 'si') text = '';
        else if (name === 'rPh') phonetic++;
        else if (name === 't' && phonetic === 0 && text !== undefined) inText = true;
      },
      text(chunk) {
        if (inText) text += chunk;
      },
      close(name) {
        if (name === 't') inText = false;
        else if (name === 'rPh') phonetic--;
        else if (name === 'si' && text !== undefined) {
          strings.push(decodeEscapes(text));
          text = undefined;
        }
      },
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new CallscrubError('input', 'the workbook holds more than 2 GiB of shared strings', {
      file: pkg.file,
      hint: 'split the workbook, or save the sheet as CSV and scrub that',
    });
  }
  return strings;
}
