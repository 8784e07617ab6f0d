// The text of a part, decoded by its first bytes as XML 1.0 (appendix F) says: a byte order mark names UTF-8 or
// UTF-16, and a part without one that starts with `<?` in UTF-16 is UTF-16 too; anything else is UTF-8. .NET writers
// start parts with a UTF-8 BOM, and some write UTF-16, so a part is not taken as UTF-8 blindly (a BOM left in the
// text makes saxes refuse the XML declaration after it). The mark itself is not part of the text.
// The decoders stream: a character split between two chunks of the inflated part comes out whole.

import { StringDecoder } from 'node:string_decoder';

export type PartEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The encoding the first bytes of a part say, and how many of them are a byte order mark to drop. */
export function sniffEncoding(head: Uint8Array): { encoding: PartEncoding; bom: number } {
  const [a, b, c, d] = head;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', bom: 2 };
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00) return { encoding: 'utf-16le', bom: 0 };
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f) return { encoding: 'utf-16be', bom: 0 };
  return { encoding: 'utf-8', bom: 0 };
}

/** Decodes a part's bytes chunk by chunk; `end()` gives what an incomplete last character leaves. */
export class PartDecoder {
  /** The first bytes, kept until there are enough (4) to tell the encoding. */
  private head: Buffer | undefined = Buffer.alloc(0);
  private decode: ((bytes: Buffer) => string) | undefined;
  private flush: (() => string) | undefined;

  write(chunk: Buffer): string {
    if (this.decode !== undefined) return this.decode(chunk);
    const head = Buffer.concat([this.head as Buffer, chunk]);
    if (head.length < 4) {
      this.head = head;
      return '';
    }
    return this.start(head);
  }

  end(): string {
    // a part shorter than 4 bytes is decoded only now
    if (this.decode === undefined) return this.start(this.head as Buffer) + (this.flush as () => string)();
    return (this.flush as () => string)();
  }

  private start(head: Buffer): string {
    this.head = undefined;
    const { encoding, bom } = sniffEncoding(head);
    if (encoding === 'utf-16be') {
      // Node's string_decoder has no UTF-16BE; its TextDecoder (with ICU, as Node ships) has. It would drop a BOM
      // by itself, but the mark is dropped here as for the other two.
      const decoder = new TextDecoder('utf-16be', { ignoreBOM: true });
      this.decode = (bytes) => decoder.decode(bytes, { stream: true });
      this.flush = () => decoder.decode();
    } else {
      // string_decoder for UTF-8 is what `setEncoding('utf8')` used, the fastest Node has for the million-row sheet
      const decoder = new StringDecoder(encoding === 'utf-8' ? 'utf8' : 'utf16le');
      this.decode = (bytes) => decoder.write(bytes);
      this.flush = () => decoder.end();
    }
    return this.decode(head.subarray(bom));
  }
}
