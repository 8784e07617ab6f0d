// A streaming CSV scanner over bytes: it finds where each record starts and ends and where its fields are, without
// decoding anything, so that a kept row can be copied to the output byte for byte. RFC 4180 quoting (delimiters,
// quotes and line breaks inside quoted fields), LF, CRLF or CR line endings, as Excel and call-centre tools write.
// Delimiter, quote and line breaks are ASCII, so this works the same on UTF-8 and Windows-1252 bytes.

import { CallscrubError } from '../errors.js';
import { lineBreaks } from '../io/line-breaks.js';

export interface CsvRecord {
  /** The bytes the record lies in (valid only during the callback). */
  readonly bytes: Buffer;
  /** First byte of the record. */
  readonly start: number;
  /** End of the record's content, before its line ending. */
  readonly end: number;
  /** After its line ending: `bytes.subarray(start, next)` is the record exactly as in the file. */
  readonly next: number;
  /** The 1-based line the record starts on. */
  readonly line: number;
  readonly fieldCount: number;
  /** Field i spans [fieldStart[i], fieldEnd[i]); quoted fields exclude their quotes (and keep doubled quotes). */
  readonly fieldStart: Int32Array;
  readonly fieldEnd: Int32Array;
  readonly quoted: Uint8Array;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export interface ScannerOptions {
  readonly delimiter: number;
  /** A record longer than this is an error (a runaway quote, or not a CSV file). */
  readonly maxRecordBytes: number;
  readonly fileName: string;
  /** The line the first record starts on (default 1): a block of a file scanned apart from what comes before it. */
  readonly firstLine?: number;
  /** Whether the bytes start the file (default true): only then may a UTF-8 BOM come before the first field. */
  readonly atFileStart?: boolean;
}

export class CsvScanner {
  /** Where the unfinished record and the next chunk are put together: reused, so memory stays flat. */
  private work = Buffer.alloc(0);
  private carryLength = 0;
  private line: number;
  private fieldStart = new Int32Array(64);
  private fieldEnd = new Int32Array(64);
  private quoted = new Uint8Array(64);
  /** The file's first record is still to come: its first field starts after a UTF-8 BOM, if there is one. */
  private atFileStart: boolean;

  constructor(
    private readonly options: ScannerOptions,
    private readonly onRecord: (record: CsvRecord) => void,
  ) {
    this.line = options.firstLine ?? 1;
    this.atFileStart = options.atFileStart ?? true;
  }

  /** The line the next record starts on. */
  get currentLine(): number {
    return this.line;
  }

  /** The line the next chunk pushed starts on: the line of the next record, plus the line breaks of what is held of it. */
  get nextChunkLine(): number {
    return this.line + lineBreaks(this.work, 0, this.carryLength);
  }

  /** Bytes of an unfinished record held for the next chunk (0: the bytes pushed so far end where a record does). */
  get pending(): number {
    return this.carryLength;
  }

  /**
   * Scans the complete records of `chunk` (with what was left of the previous one). A record's bytes are valid
   * only during its callback: the memory is reused for the next chunk.
   */
  push(chunk: Buffer): void {
    let data = chunk;
    const fromWork = this.carryLength > 0;
    if (fromWork) {
      const length = this.carryLength + chunk.length;
      if (this.work.length < length) {
        const grown = Buffer.allocUnsafe(Math.max(length, this.work.length * 2));
        this.work.copy(grown, 0, 0, this.carryLength);
        this.work = grown;
      }
      chunk.copy(this.work, this.carryLength);
      data = this.work.subarray(0, length);
    }
    const consumed = this.scan(data, false);
    const rest = data.length - consumed;
    // Keep the unfinished record at the start of the work buffer (copyWithin handles the overlap).
    if (rest > 0) {
      if (fromWork) this.work.copyWithin(0, consumed, data.length);
      else {
        if (this.work.length < rest) this.work = Buffer.allocUnsafe(Math.max(rest, 1 << 20));
        data.copy(this.work, 0, consumed);
      }
    }
    this.carryLength = rest;
    if (rest > this.options.maxRecordBytes) this.tooLong();
  }

  private tooLong(): never {
    throw new CallscrubError('input', `the record starting on line ${this.line} is longer than ${this.options.maxRecordBytes} bytes (1 MiB)`, {
      file: this.options.fileName,
      line: this.line,
      hint: 'a quote may be left open; check the file, or give --delimiter',
    });
  }

  /** Scans the last record, which may have no line ending. */
  end(): void {
    if (this.carryLength === 0) return;
    const data = this.work.subarray(0, this.carryLength);
    this.carryLength = 0;
    this.scan(data, true);
  }

  /** Scans records from the start of `data`; returns where the first incomplete record starts. */
  private scan(data: Buffer, final: boolean): number {
    const delimiter = this.options.delimiter;
    const length = data.length;
    let recordStart = 0;
    let pos = 0;
    while (pos < length || (final && recordStart < length)) {
      // One record.
      let fields = 0;
      let lines = 0;
      // A BOM is part of the first record's bytes (copied as they are) but not of its first field: Excel's "CSV
      // UTF-8" writes it before a quoted first header, which would otherwise not be read as quoted.
      let at = this.atFileStart && recordStart === 0 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : recordStart;
      let complete = false;
      let end = length;
      let next = length;
      for (;;) {
        if (fields === this.fieldStart.length) this.growFields();
        if (at < length && data[at] === QUOTE) {
          // A quoted field: up to the quote not doubled.
          const contentStart = at + 1;
          let i = contentStart;
          let closed = -1;
          while (i < length) {
            const c = data[i] as number;
            if (c === QUOTE) {
              if (i + 1 < length && data[i + 1] === QUOTE) {
                i += 2;
                continue;
              }
              if (i + 1 >= length && !final) break; // the next byte decides
              closed = i;
              break;
            }
            if (c === LF || (c === CR && data[i + 1] !== LF)) lines++;
            i++;
          }
          if (closed < 0) {
            if (!final) return recordStart;
            throw new CallscrubError('input', `a quoted field opened on line ${this.line} is never closed`, {
              file: this.options.fileName,
              line: this.line,
              hint: 'close the quote, or check that the file is complete',
            });
          }
          this.fieldStart[fields] = contentStart;
          this.fieldEnd[fields] = closed;
          this.quoted[fields] = 1;
          fields++;
          at = closed + 1;
          if (at >= length) {
            if (!final) return recordStart;
            complete = true;
            end = next = length;
            break;
          }
          const c = data[at] as number;
          if (c === delimiter) {
            at++;
            continue;
          }
          if (c === LF || c === CR) {
            end = at;
            if (c === CR && at + 1 >= length && !final) return recordStart; // a CR that may start a CRLF
            next = c === CR && data[at + 1] === LF ? at + 2 : at + 1;
            complete = true;
            break;
          }
          throw new CallscrubError('input', `a character follows the closing quote of a field on line ${this.line + lines}`, {
            file: this.options.fileName,
            line: this.line + lines,
            hint: 'quote the whole field, or check --delimiter',
          });
        }
        // An unquoted field: up to the delimiter or the line ending.
        let i = at;
        while (i < length) {
          const c = data[i] as number;
          if (c === delimiter || c === LF || c === CR) break;
          i++;
        }
        this.fieldStart[fields] = at;
        this.fieldEnd[fields] = i;
        this.quoted[fields] = 0;
        fields++;
        if (i >= length) {
          if (!final) return recordStart;
          complete = true;
          end = next = length;
          break;
        }
        const c = data[i] as number;
        if (c === delimiter) {
          at = i + 1;
          continue;
        }
        end = i;
        if (c === CR && i + 1 >= length && !final) return recordStart;
        next = c === CR && data[i + 1] === LF ? i + 2 : i + 1;
        complete = true;
        break;
      }
      if (!complete) return recordStart;
      // Checked on every record, not only on what is carried between chunks: one that fits in a chunk counts too.
      if (end - recordStart > this.options.maxRecordBytes) this.tooLong();
      this.onRecord({
        bytes: data,
        start: recordStart,
        end,
        next,
        line: this.line,
        fieldCount: fields,
        fieldStart: this.fieldStart,
        fieldEnd: this.fieldEnd,
        quoted: this.quoted,
      });
      this.atFileStart = false;
      this.line += lines + 1;
      recordStart = pos = next;
    }
    return recordStart;
  }

  private growFields(): void {
    const size = this.fieldStart.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(from: T, make: (n: number) => T): T => {
      const to = make(size);
      to.set(from);
      return to;
    };
    this.fieldStart = grow(this.fieldStart, (n) => new Int32Array(n));
    this.fieldEnd = grow(this.fieldEnd, (n) => new Int32Array(n));
    this.quoted = grow(this.quoted, (n) => new Uint8Array(n));
  }
}

/** A blank line: one empty field. Not a row. */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.fieldCount === 1 && record.end === record.start;
}

/** Whether field `i` can be read straight from the record's bytes (no doubled quotes to undo). */
export function isPlainField(record: CsvRecord, i: number): boolean {
  return record.quoted[i] !== 1 || record.bytes.subarray(record.fieldStart[i] as number, record.fieldEnd[i] as number).indexOf(QUOTE) < 0;
}

/** The raw bytes of field `i`, doubled quotes undone for a quoted field. */
export function fieldBytes(record: CsvRecord, i: number): Buffer {
  const raw = record.bytes.subarray(record.fieldStart[i] as number, record.fieldEnd[i] as number);
  if (record.quoted[i] !== 1 || raw.indexOf(QUOTE) < 0) return raw;
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let j = 0; j < raw.length; j++) {
    out[n++] = raw[j] as number;
    if (raw[j] === QUOTE) j++; // skip the second quote of a pair
  }
  return out.subarray(0, n);
}
