// Reading an input file or standard input as text chunks, hashing every byte on the way (the report and the
// registry record the SHA-256 of exactly what was read). Refuses what is not text before reading it all.

import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { completeUtf8End } from './utf8.js';
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

/**
 * Streams a source to `onChunk` as UTF-8 bytes, hashing what was read, dropping a BOM, turning UTF-16 (Excel's
 * "Unicode text") into UTF-8, and refusing binary data (NUL bytes in what should be UTF-8 text).
 */
export async function readBytes(
  source: Source,
  onChunk: (chunk: Buffer) => void,
  onProgress?: (bytesSoFar: number) => void,
): Promise<ReadResult> {
  let utf16: TextDecoder | undefined;
  let encoding: ReadResult['encoding'] | undefined;
  const read = await readChunks(source, (chunk, bytesSoFar) => {
    let body = chunk;
    if (encoding === undefined) {
      if (chunk[0] === 0xff && chunk[1] === 0xfe) encoding = 'utf-16le';
      else if (chunk[0] === 0xfe && chunk[1] === 0xff) encoding = 'utf-16be';
      else encoding = 'utf-8';
      if (encoding !== 'utf-8') {
        utf16 = new TextDecoder(encoding);
        body = chunk.subarray(2);
      } else if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) body = chunk.subarray(3);
      // No BOM and not UTF-8: an Excel export in Windows-1252 (`Tél.` would not read as a phone header otherwise).
      else if (!isUtf8(chunk.subarray(0, completeUtf8End(chunk)))) encoding = 'windows-1252';
    }
    // NUL bytes: binary data, or UTF-16 without its byte-order mark (which no reading can make sense of).
    if (utf16 === undefined && body.includes(0)) throw binaryData(body, source.name, bytesSoFar === chunk.length, 'give a text or CSV export');
    if (encoding === 'windows-1252') body = Buffer.from(iconv.decode(chunk, 'win1252'), 'utf8');
    else if (utf16 !== undefined) body = Buffer.from(utf16.decode(body, { stream: true }));
    onChunk(body);
    onProgress?.(bytesSoFar);
  });
  if (utf16 !== undefined) onChunk(Buffer.from(utf16.decode()));
  return { ...read, encoding: encoding ?? 'utf-8' };
}

/** Reads a whole source into a reader of its records (a list or a ledger), keeping `progress` up to date. */
export async function feedReader(
  source: Source,
  reader: { push(chunk: Buffer): void; readonly records: number },
  progress: { records: number; bytes: number },
): Promise<ReadResult> {
  const read = await readBytes(
    source,
    (chunk) => {
      reader.push(chunk);
      progress.records = reader.records;
    },
    (bytes) => (progress.bytes = bytes),
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
  let line: number | undefined;
  if (firstChunk) {
    const at = chunk.indexOf(0);
    line = 1;
    for (let i = 0; i < at; i++) if (chunk[i] === 10) line++;
  }
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
