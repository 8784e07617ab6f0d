// Reading an input file or standard input as text chunks, hashing every byte on the way (the report and the
// registry record the SHA-256 of exactly what was read). Refuses what is not text before reading it all.

import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { TextDecoder } from 'node:util';
import { CallscrubError, ioError } from '../errors.js';

export interface Source {
  /** How the user named it: a path, or `-` for standard input. */
  readonly name: string;
  readonly open: () => Readable;
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
    open: () => fs.createReadStream(filePath, { highWaterMark: readChunkBytes }),
    size: stat.isFile() ? stat.size : undefined,
  };
}

export interface TextReadResult {
  readonly bytes: number;
  readonly sha256: string;
  readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
}

/**
 * Streams a source as decoded text to `onText`, detecting a BOM (UTF-8, UTF-16) and refusing binary data (NUL
 * bytes in UTF-8 text). `onText` may be called with any slice of the text; the caller splits lines.
 */
export async function readText(
  source: Source,
  onText: (text: string) => void,
  onBytes?: (bytesSoFar: number) => void,
): Promise<TextReadResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  let decoder: StringDecoder | TextDecoder | undefined;
  let encoding: TextReadResult['encoding'] = 'utf-8';
  const stream = source.open();
  try {
    for await (const raw of stream) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : (raw as Buffer);
      hash.update(chunk);
      let body = chunk;
      if (decoder === undefined) {
        if (chunk[0] === 0xff && chunk[1] === 0xfe) {
          encoding = 'utf-16le';
          decoder = new TextDecoder('utf-16le');
          body = chunk.subarray(2);
        } else if (chunk[0] === 0xfe && chunk[1] === 0xff) {
          encoding = 'utf-16be';
          decoder = new TextDecoder('utf-16be');
          body = chunk.subarray(2);
        } else {
          decoder = new StringDecoder('utf8');
          if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) body = chunk.subarray(3);
        }
      }
      if (encoding === 'utf-8' && body.includes(0)) {
        throw new CallscrubError('input', 'binary data (NUL bytes): not a text file', {
          file: source.name,
          line: lineOfNul(body),
          hint: 'give a text or CSV export',
        });
      }
      bytes += chunk.length;
      onText(decoder instanceof StringDecoder ? decoder.write(body) : decoder.decode(body, { stream: true }));
      onBytes?.(bytes);
    }
  } catch (error) {
    if (error instanceof CallscrubError) throw error;
    throw ioError(error, source.name, 'read the file');
  } finally {
    if (stream !== undefined && 'destroy' in stream && stream !== process.stdin) stream.destroy();
  }
  if (decoder !== undefined) onText(decoder instanceof StringDecoder ? decoder.end() : decoder.decode());
  return { bytes, sha256: hash.digest('hex'), encoding };
}

// The line within this chunk only: good enough to point at the damage in the first megabyte, where it usually is.
function lineOfNul(chunk: Buffer): number | undefined {
  const at = chunk.indexOf(0);
  let line = 1;
  for (let i = 0; i < at; i++) if (chunk[i] === 10) line++;
  return line;
}

/**
 * Splits streamed text into lines, calling `onLine` with the 1-based line number. Takes LF and CRLF, lone CR
 * (old Mac exports) and a mix of them: a CR not followed by LF also ends a line.
 */
export class LineSplitter {
  private pending = '';
  private lineNumber = 0;

  constructor(
    private readonly onLine: (line: string, lineNumber: number) => void,
    private readonly maxLineLength: number,
    private readonly fileName: string,
  ) {}

  push(text: string): void {
    const data = this.pending + text;
    let start = 0;
    const length = data.length;
    for (let i = 0; i < length; i++) {
      const c = data.charCodeAt(i);
      if (c === 10) {
        this.emit(data.slice(start, i));
        start = i + 1;
      } else if (c === 13) {
        if (i + 1 === length) break; // maybe the first half of a CRLF: wait for the next chunk
        this.emit(data.slice(start, i));
        if (data.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    this.pending = data.slice(start);
    if (this.pending.length > this.maxLineLength) {
      throw new CallscrubError('input', `line ${this.lineNumber + 1} is longer than ${this.maxLineLength} characters`, {
        file: this.fileName,
        line: this.lineNumber + 1,
        hint: 'check that this is the right file and format',
      });
    }
  }

  end(): void {
    let line = this.pending;
    this.pending = '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > 0) this.emit(line);
  }

  private emit(line: string): void {
    this.lineNumber++;
    this.onLine(line, this.lineNumber);
  }
}
