// Reading an input file or standard input as text chunks, hashing every byte on the way (the report and the
// registry record the SHA-256 of exactly what was read). Refuses what is not text before reading it all.

import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { completeUtf8End } from './utf8.js';
import { lineBreaks } from './line-breaks.js';
import { CallscrubError, ioError } from '../errors.js';

export interface Source {
  /** How the user named it: a path, or `-` for standard input. */
  readonly name: string;
  readonly open: () => Readable;
  /** The path of a regular file, which can be read into a reused buffer. */
  readonly file?: string;
  /** Size in bytes when known (regular files), for progress. */
  readonly size: number | undefined;
}

export const readChunkBytes = 1 << 20;

/**
 * Resolves a path (or `-`) to a readable source, failing early on what cannot be read as a file. `name` is how
 * messages and records call it: the path as the user typed it.
 */
export function openSource(filePath: string, stdin: Readable, name: string = filePath): Source {
  if (filePath === '-') return { name: '<stdin>', open: () => stdin, size: undefined };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch (error) {
    throw ioError(error, name, 'read the file');
  }
  if (stat.isDirectory()) throw ioError(Object.assign(new Error(), { code: 'EISDIR' }), name, 'read the file');
  try {
    fs.accessSync(filePath, fs.constants.R_OK);
  } catch (error) {
    throw ioError(error, name, 'read the file');
  }
  return {
    name,
    ...(stat.isFile() ? { file: filePath } : {}),
    open: () => fs.createReadStream(filePath, { highWaterMark: readChunkBytes }),
    size: stat.isFile() ? stat.size : undefined,
  };
}

/** `--encoding`: detected (`auto`), or given. */
export type SourceEncoding = 'auto' | 'utf-8' | 'windows-1252';

export interface ReadResult {
  readonly bytes: number;
  readonly sha256: string;
  readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
}

/**
 * Streams a source's bytes as they are to `onChunk`, hashing them, and awaits it (backpressure). With `reuseBuffer`
 * a regular file is read into one buffer used again and again, so a chunk is valid only until the next one (the
 * scrub copies what it keeps): a new megabyte per read left native memory growing with the file.
 */
export async function readChunks(
  source: Source,
  onChunk: (chunk: Buffer, bytesSoFar: number) => void | Promise<void>,
  options: { reuseBuffer?: boolean } = {},
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = source.file === undefined || options.reuseBuffer !== true ? source.open() : undefined;
  try {
    for await (const raw of stream ?? readReused(source.file as string)) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : (raw as Buffer);
      hash.update(chunk);
      bytes += chunk.length;
      await onChunk(chunk, bytes);
    }
  } catch (error) {
    if (error instanceof CallscrubError) throw error;
    throw ioError(error, source.name, 'read the file');
  } finally {
    if (stream !== undefined && stream !== process.stdin) stream.destroy();
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function* readReused(file: string): AsyncGenerator<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(readChunkBytes);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

// A multi-byte UTF-8 sequence (its bytes read as Latin-1): a lead byte and the continuation bytes it needs.
const utf8Sequences = /[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}/;

/**
 * Streams a source to `onChunk` as UTF-8 bytes, hashing what was read, dropping a BOM, turning UTF-16 (Excel's
 * "Unicode text") and Windows-1252 into UTF-8, and refusing binary data (NUL bytes in what should be UTF-8 text).
 *
 * `auto` reads UTF-8 until a byte says otherwise, wherever it is: a Windows-1252 log whose first megabytes are
 * ASCII (which both encodings read alike) switches at its first accent, with nothing read yet read wrongly. A file
 * that held UTF-8 accents before such a byte mixes the two, and stops at its line: which reading is right for the
 * rest cannot be told (`--encoding` says it, where the command has one: `encodingHint`).
 */
export async function readBytes(
  source: Source,
  onChunk: (chunk: Buffer) => void,
  onProgress?: (bytesSoFar: number) => void,
  given: SourceEncoding = 'auto',
  encodingHint = 'save the file in one encoding',
): Promise<ReadResult> {
  let utf16: TextDecoder | undefined;
  let encoding: ReadResult['encoding'] | undefined;
  // UTF-8 read so far was ASCII only (a switch to Windows-1252 reads it alike), and the lines it held.
  let asciiSoFar = true;
  let lines = 1;
  let pending: Buffer | undefined;
  const notUtf8 = (data: Buffer, message: string): CallscrubError => {
    const text = data.toString('utf8');
    const bad = text.indexOf('\ufffd');
    const line = lines + (text.slice(0, bad < 0 ? 0 : bad).match(/\n/g)?.length ?? 0);
    return new CallscrubError('input', message, { file: source.name, line, hint: encodingHint });
  };
  const read = await readChunks(source, (chunk, bytesSoFar) => {
    let body = chunk;
    if (encoding === undefined) {
      if (chunk[0] === 0xff && chunk[1] === 0xfe) encoding = 'utf-16le';
      else if (chunk[0] === 0xfe && chunk[1] === 0xff) encoding = 'utf-16be';
      else encoding = given === 'windows-1252' ? 'windows-1252' : 'utf-8';
      if (encoding === 'utf-16le' || encoding === 'utf-16be') {
        utf16 = new TextDecoder(encoding);
        body = chunk.subarray(2);
      } else if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        if (encoding === 'utf-8') asciiSoFar = false; // a BOM says UTF-8: no switch
        body = chunk.subarray(3);
      }
    }
    // NUL bytes: binary data, or UTF-16 without its byte-order mark (which no reading can make sense of).
    if (utf16 === undefined && body.includes(0)) throw binaryData(body, source.name, bytesSoFar === chunk.length, 'give a text or CSV export');
    if (encoding === 'utf-8') {
      // Checked a complete sequence at a time: one may be cut at the chunk's end.
      const data = pending === undefined ? body : Buffer.concat([pending, body]);
      const end = completeUtf8End(data);
      const complete = data.subarray(0, end);
      if (isUtf8(complete)) {
        pending = end < data.length ? Buffer.from(data.subarray(end)) : undefined;
        if (asciiSoFar && !isAscii(complete)) asciiSoFar = false;
        for (let at = complete.indexOf(10); at >= 0; at = complete.indexOf(10, at + 1)) lines++;
        body = complete;
      } else if (given === 'utf-8') {
        throw notUtf8(complete, 'bytes that are not UTF-8 (given --encoding utf-8)');
      } else if (!asciiSoFar || utf8Sequences.test(complete.toString('latin1'))) {
        throw notUtf8(complete, 'bytes that are not UTF-8 after UTF-8 text: the file mixes two encodings');
      } else {
        // No BOM, ASCII so far, and not UTF-8: an Excel export in Windows-1252 (`Tél.`, `Pas intéressé`).
        encoding = 'windows-1252';
        pending = undefined;
        body = data;
      }
    }
    if (encoding === 'windows-1252') body = Buffer.from(iconv.decode(body, 'win1252'), 'utf8');
    else if (utf16 !== undefined) body = Buffer.from(utf16.decode(body, { stream: true }));
    onChunk(body);
    onProgress?.(bytesSoFar);
  });
  if (utf16 !== undefined) onChunk(Buffer.from(utf16.decode()));
  // A sequence cut off by the file's end.
  if (pending !== undefined) {
    if (given === 'utf-8' || !asciiSoFar) throw notUtf8(pending, given === 'utf-8' ? 'bytes that are not UTF-8 (given --encoding utf-8)' : 'bytes that are not UTF-8 after UTF-8 text: the file mixes two encodings');
    encoding = 'windows-1252';
    onChunk(Buffer.from(iconv.decode(pending, 'win1252'), 'utf8'));
  }
  return { ...read, encoding: encoding ?? 'utf-8' };
}

/** Reads a whole source into a reader of its records (a list or a ledger), keeping `progress` up to date. */
export async function feedReader(
  source: Source,
  reader: { push(chunk: Buffer): void; readonly records: number },
  progress: { records: number; bytes: number },
  encoding: SourceEncoding = 'auto',
  encodingHint?: string,
): Promise<ReadResult> {
  const read = await readBytes(
    source,
    (chunk) => {
      reader.push(chunk);
      progress.records = reader.records;
    },
    (bytes) => (progress.bytes = bytes),
    encoding,
    encodingHint,
  );
  // What follows (sorting millions of numbers) takes a moment: let the progress display show first.
  await new Promise<void>((resolve) => setImmediate(resolve));
  return read;
}

/**
 * The error for NUL bytes in what should be text. The line is named when the NUL is in the file's first chunk
 * (counting lines across chunks is not worth it for a file that is not text at all).
 */
export function binaryData(chunk: Buffer, file: string, firstChunk: boolean, hint: string): CallscrubError {
  return binaryDataAt(chunk, file, firstChunk ? 1 : undefined, hint);
}

/** The error for a NUL byte in `chunk`, named by its line when the line `chunk` starts on is known. */
export function binaryDataAt(chunk: Buffer, file: string, firstLine: number | undefined, hint: string): CallscrubError {
  const line = firstLine === undefined ? undefined : firstLine + lineBreaks(chunk, 0, chunk.indexOf(0));
  return new CallscrubError('input', 'binary data (NUL bytes): not a text file', { file, ...(line === undefined ? {} : { line }), hint });
}


export type LineHandler = (bytes: Buffer, start: number, end: number, lineNumber: number) => void;

/**
 * Splits streamed bytes into lines without decoding them, calling `onLine` with the line's byte range (line ending
 * excluded) and its 1-based number. Takes LF, CRLF, lone CR (old Mac exports) and a mix of them.
 */
export class LineSplitter {
  private carry: Buffer | undefined;
  protected lineNumber = 0;

  constructor(
    protected readonly onLine: LineHandler,
    private readonly maxLineLength: number,
    private readonly fileName: string,
  ) {}

  push(chunk: Buffer): void {
    const data = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
    const start = data.indexOf(13) < 0 ? this.scanLf(data) : this.scanAny(data);
    this.carry = start < data.length ? data.subarray(start) : undefined;
    if (this.carry !== undefined && this.carry.length > this.maxLineLength) {
      throw new CallscrubError('input', `line ${this.lineNumber + 1} is longer than ${this.maxLineLength} bytes`, {
        file: this.fileName,
        line: this.lineNumber + 1,
        hint: 'check that this is the right file and format',
      });
    }
  }

  /** Emits the complete lines of LF-only data; returns where the unfinished last line starts. */
  protected scanLf(data: Buffer): number {
    let start = 0;
    for (;;) {
      const end = data.indexOf(10, start);
      if (end < 0) return start;
      this.onLine(data, start, end, ++this.lineNumber);
      start = end + 1;
    }
  }

  private scanAny(data: Buffer): number {
    let start = 0;
    for (let i = 0; i < data.length; i++) {
      const c = data[i];
      if (c === 10) {
        this.onLine(data, start, i, ++this.lineNumber);
        start = i + 1;
      } else if (c === 13) {
        if (i + 1 === data.length) break; // maybe the first half of a CRLF: wait for the next chunk
        this.onLine(data, start, i, ++this.lineNumber);
        if (data[i + 1] === 10) i++;
        start = i + 1;
      }
    }
    return start;
  }

  end(): void {
    if (this.carry === undefined) return;
    const data = this.carry;
    this.carry = undefined;
    const end = data[data.length - 1] === 13 ? data.length - 1 : data.length;
    if (end > 0) this.onLine(data, 0, end, ++this.lineNumber);
  }
}
