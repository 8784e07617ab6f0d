// What a file that should be an .xlsx workbook really is, from its first bytes: a zip (an Office Open XML package, maybe),
// or an OLE compound file (CFB), which an .xlsx never is: Excel keeps a password-protected workbook in one (streams
// EncryptionInfo and EncryptedPackage), and an Excel 97-2003 .xls is one too (stream Workbook, or Book for Excel 5).
// The stream names are looked for in the compound file's first directory sector and in its first megabyte; a compound
// file where neither shows is reported by its name (.xlsx: a protected workbook; else a legacy workbook).

import fs from 'node:fs/promises';

export type FileKind = 'zip' | 'empty-zip' | 'encrypted' | 'xls' | 'compound' | 'empty' | 'other';

/** The first bytes of an OLE compound file, and of a zip's first entry. */
export const compoundMagic = Buffer.from('d0cf11e0a1b11ae1', 'hex');
export const zipMagic = Buffer.from('PK\x03\x04', 'latin1');
const scanned = 1 << 20;

export async function sniff(file: string): Promise<FileKind> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, scanned));
    await handle.read(head, 0, head.length, 0);
    if (head.length === 0) return 'empty';
    if (head.length >= 8 && head.subarray(0, 8).equals(compoundMagic)) {
      const names = [head];
      // The first directory sector: its number at 0x30, sectors of 1 << (u16 at 0x1E) bytes after a header of one.
      if (head.length >= 0x34) {
        const shift = head.readUInt16LE(0x1e);
        const sector = head.readUInt32LE(0x30);
        if (shift >= 9 && shift <= 16 && sector < 0xfffffffa) {
          const at = (sector + 1) * (1 << shift);
          if (at >= scanned && at < size) {
            const directory = Buffer.alloc(Math.min(1 << shift, size - at));
            await handle.read(directory, 0, directory.length, at);
            names.push(directory);
          }
        }
      }
      const holds = (name: string) => names.some((bytes) => bytes.includes(Buffer.from(name, 'utf16le')));
      if (holds('EncryptedPackage') || holds('EncryptionInfo')) return 'encrypted';
      if (holds('Workbook') || holds('Book')) return 'xls';
      return 'compound';
    }
    if (head.subarray(0, 4).equals(zipMagic)) return 'zip';
    if (head.subarray(0, 4).toString('latin1') === 'PK\x05\x06') return 'empty-zip';
    return 'other';
  } finally {
    await handle.close();
  }
}
