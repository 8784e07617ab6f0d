// The zip package of a workbook, read with yauzl: its parts by name (zip order does not matter: the central directory
// gives random access), each parsed as XML by saxes a chunk at a time. A part is named by its path in the package
// without a leading slash; names compare without case, as Office Open XML says. A part is decoded by its first bytes
// (UTF-8 or UTF-16, decode.ts), and what saxes may hold at once is bounded (limits.ts), so that a small zip cannot
// make it hold a huge text. Every failure here is the file's fault (a corrupt zip, a part that is not XML, a part too
// large), so it ends as an 'input' error naming the file.

import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { CallscrubError } from '../errors.js';
import { PartDecoder } from './decode.js';
import { maxSmallPart, maxTextRun, sliceChars, tooLargeHint } from './limits.js';

/** What a part's parse calls back with: element names without their prefix, attributes as written. */
export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>): void;
  text?(text: string): void;
  close?(name: string): void;
  /**
   * Called when saxes holds a run of characters longer than maxTextRun between two tags, before the run is handed
   * over: a handler that knows what is being read (a cell) throws its own error; otherwise the part is refused.
   */
  overlong?(): void;
}

/**
 * saxes 6.0.0's buffers (package.json pins that version): what it holds between two tags, the text node or attribute
 * value (`text`), a name, an entity's name, a processing instruction's target. They are private, but nothing else
 * tells how much it is holding; the memory-bomb tests fail if a version of saxes renames them.
 */
interface SaxesBuffers {
  text: string;
  name: string;
  entity: string;
  piTarget: string;
}

const pendingChars = (parser: SaxesParser) => {
  const { text, name, entity, piTarget } = parser as unknown as SaxesBuffers;
  return text.length + name.length + entity.length + piTarget.length;
};

const localName = (name: string) => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

/** The hint for a file that looks like a workbook but cannot be read as one. */
const corruptHint = 'the file is damaged or was cut short: open it in Excel or LibreOffice, save it again as .xlsx and run again';

export class WorkbookPackage {
  private constructor(
    /** The file as the user named it, for messages. */
    readonly file: string,
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
  ) {}

  static async open(path: string, file: string): Promise<WorkbookPackage> {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
    } catch (error) {
      throw corrupt(file, error);
    }
    const entries = new Map<string, yauzl.Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: yauzl.Entry) => {
          entries.set(entry.fileName.replace(/^\//, '').toLowerCase(), entry);
          zip.readEntry();
        });
        zip.once('end', resolve);
        zip.once('error', reject);
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw corrupt(file, error);
    }
    return new WorkbookPackage(file, zip, entries);
  }

  has(part: string): boolean {
    return this.entries.has(part.toLowerCase());
  }

  /** The part's size once inflated, as the zip says (yauzl checks it while reading). */
  size(part: string): number {
    return this.entries.get(part.toLowerCase())?.uncompressedSize ?? 0;
  }

  /**
   * Parses a part, calling the handlers as it goes; yields after each chunk of text, so that a caller can take what
   * the handlers gathered before more arrives. False when the package has no such part.
   */
  async *parse(part: string, handlers: XmlHandlers): AsyncGenerator<void, boolean> {
    const entry = this.entries.get(part.toLowerCase());
    if (entry === undefined) return false;
    const parser = new SaxesParser({ xmlns: false, position: false });
    const { open, text, close } = handlers;
    if (open !== undefined) parser.on('opentag', (tag: SaxesTagPlain) => open(localName(tag.name), tag.attributes as Record<string, string>));
    if (text !== undefined) {
      parser.on('text', text);
      // A CDATA section is text as well (<t><![CDATA[0536496475]]></t>): Excel, LibreOffice and Gnumeric read it.
      parser.on('cdata', text);
    }
    if (close !== undefined) parser.on('closetag', (tag: SaxesTagPlain) => close(localName(tag.name)));
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.zip.openReadStreamPromise(entry);
    } catch (error) {
      throw corrupt(this.file, error, part);
    }
    const decoder = new PartDecoder();
    const write = (chars: string) => {
      // a slice at a time, so that what saxes holds is checked at least every sliceChars characters
      for (let at = 0; at < chars.length; at += sliceChars) {
        try {
          parser.write(chars.slice(at, at + sliceChars));
        } catch (error) {
          throw notXml(this.file, part, error);
        }
        if (pendingChars(parser) > maxTextRun) {
          handlers.overlong?.();
          throw tooLong(this.file, part);
        }
      }
    };
    const iterator = stream[Symbol.asyncIterator]();
    // yauzl checks sizes but not the CRC-32 a zip keeps of each part: a damaged byte would be read as data.
    let crc = 0;
    try {
      for (;;) {
        let chunk: IteratorResult<Buffer>;
        try {
          chunk = (await iterator.next()) as IteratorResult<Buffer>;
        } catch (error) {
          throw corrupt(this.file, error, part);
        }
        if (chunk.done === true) break;
        crc = zlib.crc32(chunk.value, crc);
        write(decoder.write(chunk.value));
        yield;
      }
      if (crc >>> 0 !== entry.crc32 >>> 0) throw corrupt(this.file, new Error('its CRC-32 does not match its content'), part);
      write(decoder.end());
      try {
        parser.close();
      } catch (error) {
        throw notXml(this.file, part, error);
      }
      yield;
      return true;
    } finally {
      // A caller that stops early (a break) must not leave the inflating stream open.
      await iterator.return?.();
    }
  }

  /**
   * Parses a part whole; false when there is no such part. A part over `maxSize` once inflated (by default
   * maxSmallPart, for the parts that describe the workbook) is refused before it is read.
   */
  async read(part: string, handlers: XmlHandlers, maxSize = maxSmallPart): Promise<boolean> {
    const size = this.size(part);
    if (size > maxSize) {
      throw new CallscrubError('input', `its part ${part} is ${size.toLocaleString('en')} bytes once inflated, more than the ${mib(maxSize)} such a part can be`, {
        file: this.file,
        hint: tooLargeHint,
      });
    }
    const steps = this.parse(part, handlers);
    for (;;) {
      const step = await steps.next();
      if (step.done === true) return step.value;
    }
  }

  close(): void {
    this.zip.close();
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toLocaleString('en')} MiB`;

function tooLong(file: string, part: string): CallscrubError {
  return new CallscrubError('input', `its part ${part} holds more than ${maxTextRun.toLocaleString('en')} characters between two tags (a text, attribute or comment)`, {
    file,
    hint: tooLargeHint,
  });
}

function corrupt(file: string, error: unknown, part?: string): CallscrubError {
  const why = error instanceof Error ? error.message : String(error);
  const where = part === undefined ? '' : ` (part ${part})`;
  return new CallscrubError('input', `not a readable .xlsx workbook: the zip is corrupt${where}: ${why}`, { file, hint: corruptHint, cause: error });
}

function notXml(file: string, part: string, error: unknown): CallscrubError {
  // a handler's own verdict on a cell passes through as it is
  if (error instanceof CallscrubError) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new CallscrubError('input', `not a readable .xlsx workbook: its part ${part} is not well-formed XML: ${why}`, {
    file,
    hint: corruptHint,
    cause: error,
  });
}
