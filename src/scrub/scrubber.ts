// The scrub: a prospect file streams through the CSV scanner; each row's phone cells go through the pure classifier
// against the pinned lists; the row goes to exactly one of three outputs. Kept rows are copied byte for byte;
// excluded and invalid rows are rewritten with the reason, their formula-like cells neutralized. Memory stays flat:
// one chunk of input and one buffer per output at a time.

import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { AtomicFile } from '../io/atomic-file.js';
import { checkWritable } from '../io/standard-output.js';
import { binaryData, readChunkBytes, type Source } from '../io/source.js';
import { CallscrubError, ioError } from '../errors.js';
import { classifyRow, describeVerdict, type Policy, type RowReason, type Verdict } from './classify.js';
import { CsvScanner, fieldBytes, isPlainField, type CsvRecord } from './csv-scanner.js';
import { codec, delimiters, detectDialect, type Codec, type DelimiterName, type Dialect, type Encoding } from './dialect.js';
import { choosePhoneColumns } from './columns.js';
import { ExclusionLog } from './exclusion-log.js';
import { NumberSeenSet } from './seen.js';
import type { PinnedList, Screening } from './screening.js';

export interface ScrubSettings {
  readonly phoneColumns: readonly string[];
  readonly notPhoneColumns: readonly string[];
  /** Stop when an unscreened column holds phone numbers (off for replays, which screen the recorded columns). */
  readonly checkColumnContent: boolean;
  readonly header: boolean;
  readonly country: string;
  readonly policy: Policy;
  readonly encoding: Encoding | 'auto';
  readonly delimiter: DelimiterName | 'auto';
  readonly allowUnscreened: boolean;
  readonly dedupe: boolean;
}

/** Where rows go: a file written atomically, or standard output. */
export interface Sink {
  write(data: string | Buffer): void;
  /** Writes bytes [start, end) of `bytes` (no intermediate view). */
  writeRange(bytes: Buffer, start: number, end: number): void;
  /** Content final (written, synced, digested); the name not yet. */
  finish(): void;
  /** The final name. */
  publish(): void;
  abort(): void;
  sha256(): string;
  readonly bytes: number;
  /** Resolves when the sink can take more (standard output under backpressure). */
  drained(): Promise<void>;
}

export interface ScrubOutputs {
  readonly clean: Sink;
  readonly excluded: Sink | undefined;
  readonly invalid: Sink | undefined;
}

export interface ScrubProgress {
  rows: number;
  bytes: number;
}

export interface ScrubCounts {
  rowsIn: number;
  rowsClean: number;
  rowsExcluded: number;
  rowsInvalid: number;
  rowsRewritten: number;
  numbersChecked: number;
  blankLines: number;
  byReason: Record<string, number>;
  byNumberStatus: Record<string, number>;
}

export interface ScrubResult {
  readonly counts: ScrubCounts;
  readonly dialect: Dialect;
  readonly header: readonly string[] | undefined;
  readonly phoneColumns: ReadonlyArray<{ index: number; name: string }>;
  readonly input: { readonly sha256: string; readonly bytes: number };
  /** Row numbers (1-based data rows) of excluded and invalid rows with their reasons, for the report. */
  readonly exclusions: ExclusionLog;
}

const sampleBytes = 64 * 1024;
/** Data rows read ahead to check what the unscreened columns hold. */
const sampleRows = 1000;
export const maxRecordBytes = 1 << 20;

export async function scrub(
  source: Source,
  screening: Screening,
  settings: ScrubSettings,
  outputs: ScrubOutputs,
  progress: ScrubProgress,
): Promise<ScrubResult> {
  const counts: ScrubCounts = {
    rowsIn: 0,
    rowsClean: 0,
    rowsExcluded: 0,
    rowsInvalid: 0,
    rowsRewritten: 0,
    numbersChecked: 0,
    blankLines: 0,
    byReason: {},
    byNumberStatus: {},
  };
  const exclusions = new ExclusionLog();
  let dialect: Dialect | undefined;
  let text: Codec | undefined;
  let scanner: CsvScanner | undefined;
  let header: string[] | undefined;
  let phone: Array<{ index: number; name: string }> | undefined;
  let lineEnding = '\r\n';
  const seen = settings.dedupe ? new NumberSeenSet() : undefined;
  let sample: Buffer[] = [];
  let sampled = 0;
  let sampleCells: string[][] = [];

  const onRecord = (record: CsvRecord): void => {
    if (record.fieldCount === 1 && record.end === record.start) {
      counts.blankLines++;
      return;
    }
    if (phone === undefined) {
      const d = dialect as Dialect;
      const names = settings.header ? Array.from({ length: record.fieldCount }, (_, i) => decodeField(record, i, text as Codec, i === 0)) : undefined;
      header = names;
      const choice = { ...settings, checkContent: settings.checkColumnContent };
      phone = choosePhoneColumns(names, record.fieldCount, settings.header ? sampleCells.slice(1) : sampleCells, choice, source.name);
      sampleCells = [];
      lineEnding = record.next > record.end ? record.bytes.toString('latin1', record.end, record.next) : lineEnding;
      if (names !== undefined) {
        outputs.clean.writeRange(record.bytes, record.start, record.next);
        const extra = [...names, 'callscrub_reason', 'callscrub_detail'];
        const headerLine = (text as Codec).encode(serializeRow(extra, d.delimiter, true) + lineEnding);
        const bom = d.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
        outputs.excluded?.write(Buffer.concat([bom, headerLine]));
        outputs.invalid?.write(Buffer.concat([bom, headerLine]));
        return;
      }
    }
    counts.rowsIn++;
    const cells = (phone as Array<{ index: number }>).map((c) => (c.index < record.fieldCount ? decodeField(record, c.index, text as Codec, false) : ''));
    const verdict = classifyRow(cells, screening, {
      country: settings.country,
      policy: settings.policy,
      allowUnscreened: settings.allowUnscreened,
      seen,
    });
    counts.numbersChecked += verdict.numbers.length;
    for (const n of verdict.numbers) counts.byNumberStatus[n.status] = (counts.byNumberStatus[n.status] ?? 0) + 1;
    route(record, verdict);
  };

  const route = (record: CsvRecord, verdict: Verdict): void => {
    const d = dialect as Dialect;
    if (verdict.outcome === 'clean') {
      counts.rowsClean++;
      if (verdict.rewritten === undefined) {
        // The record exactly as in the input: a last line without a line ending stays without one.
        outputs.clean.writeRange(record.bytes, record.start, record.next);
        return;
      }
      counts.rowsRewritten++;
      const fields = allFields(record, text as Codec);
      (phone as Array<{ index: number }>).forEach((c, i) => {
        const replacement = verdict.rewritten?.[i];
        if (replacement !== undefined && c.index < fields.length) fields[c.index] = replacement;
      });
      outputs.clean.write((text as Codec).encode(serializeRow(fields, d.delimiter, false) + lineEnding));
      return;
    }
    const reason = verdict.reason as RowReason;
    counts.byReason[reason] = (counts.byReason[reason] ?? 0) + 1;
    if (verdict.outcome === 'excluded') counts.rowsExcluded++;
    else counts.rowsInvalid++;
    const lists = [...new Set(verdict.numbers.flatMap((n) => (n.list !== undefined && n.status !== 'exempt' ? [n.list.name] : [])))];
    exclusions.add(counts.rowsIn, reason, lists);
    const sink = verdict.outcome === 'excluded' ? outputs.excluded : outputs.invalid;
    if (sink === undefined) return;
    const fields = [...allFields(record, text as Codec), reason, describeVerdict(verdict, (phone as Array<{ name: string }>).map((c) => c.name))];
    sink.write((text as Codec).encode(serializeRow(fields, d.delimiter, true) + lineEnding));
  };

  const validate = settings.encoding === 'utf-8' ? utf8Validator(source.name) : undefined;
  const start = (first: Buffer, whole: boolean): CsvScanner => {
    dialect = detectDialect(first, settings, source.name);
    text = codec(dialect.encoding);
    validate?.(first, 1);
    sampleCells = settings.checkColumnContent ? readSample(first, whole, dialect, text, source.name) : [];
    const started = new CsvScanner({ delimiter: delimiters[dialect.delimiter], maxRecordBytes, fileName: source.name }, onRecord);
    started.push(first);
    return started;
  };
  const read = await readBytesRaw(source, async (chunk, bytesSoFar) => {
    if (scanner === undefined) {
      sample.push(Buffer.from(chunk)); // a copy: the chunk's memory is reused for the next read
      sampled += chunk.length;
      if (sampled < sampleBytes) return;
      const first = Buffer.concat(sample);
      sample = [];
      scanner = start(first, false);
    } else {
      validate?.(chunk, scanner.currentLine);
      scanner.push(chunk);
    }
    progress.rows = counts.rowsIn;
    progress.bytes = bytesSoFar;
    await Promise.all([outputs.clean.drained(), outputs.excluded?.drained(), outputs.invalid?.drained()]);
  });
  if (scanner === undefined) {
    const first = Buffer.concat(sample);
    if (first.length === 0) throw new CallscrubError('input', 'the file is empty', { file: source.name, hint: 'check that this is the right file' });
    scanner = start(first, true);
  }
  scanner.end();
  validate?.(Buffer.alloc(0), scanner.currentLine, true);
  if (phone === undefined) throw new CallscrubError('input', 'the file holds no row', { file: source.name, hint: 'check that this is the right file' });
  if (counts.rowsIn === 0) {
    throw new CallscrubError('input', 'the file has a header but no rows', { file: source.name, line: 2, hint: 'check that this is the right file' });
  }
  progress.rows = counts.rowsIn;
  return {
    counts,
    dialect: dialect as Dialect,
    header,
    phoneColumns: phone,
    input: { sha256: read.sha256, bytes: read.bytes },
    exclusions,
  };
}

/** Like readBytes, but hands over the raw bytes (BOM included: kept rows are copied as they are) and awaits. */
async function readBytesRaw(
  source: Source,
  onChunk: (chunk: Buffer, bytesSoFar: number) => Promise<void>,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = source.file === undefined ? source.open() : undefined;
  try {
    for await (const raw of stream ?? readReused(source.file as string)) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : (raw as Buffer);
      // A UTF-16 file holds NULs: let the dialect detection refuse it with the way to save it as CSV.
      const utf16 = bytes === 0 && (chunk[0] === 0xff || chunk[0] === 0xfe);
      if (!utf16 && chunk.includes(0)) throw binaryData(chunk, source.name, bytes === 0, 'give a CSV export');
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

/**
 * A regular file's bytes, read into one buffer used again and again (each chunk is valid until the next one): a
 * new megabyte per read left native memory growing with the file.
 */
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

/** Checks that the input is valid UTF-8 when --encoding utf-8 is given, naming the line of the first bad byte. */
function utf8Validator(fileName: string): (chunk: Buffer, firstLine: number, final?: boolean) => void {
  let pending = Buffer.alloc(0);
  return (chunk, firstLine, final = false) => {
    const data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let end = data.length;
    if (!final) {
      // Hold back an incomplete sequence at the end.
      let back = 0;
      while (back < 3 && end - back - 1 >= 0 && ((data[end - back - 1] as number) & 0xc0) === 0x80) back++;
      if (end - back - 1 >= 0 && (data[end - back - 1] as number) >= 0xc0) end = end - back - 1;
    }
    const body = data.subarray(0, end);
    if (!isUtf8(body)) {
      const text = body.toString('utf8');
      const bad = text.indexOf('\ufffd');
      const line = bad < 0 ? undefined : firstLine + countNewlines(text.slice(0, bad));
      throw new CallscrubError('input', 'bytes that are not UTF-8 (given --encoding utf-8)', {
        file: fileName,
        ...(line === undefined ? {} : { line }),
        hint: 'try --encoding windows-1252, or leave --encoding out to detect it',
      });
    }
    pending = Buffer.from(data.subarray(end));
  };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * The cells of the first rows of the sample (header included), for the column check. A record cut by the end of the
 * sample is left out; a structural problem is left for the scan proper to report with its line.
 */
function readSample(first: Buffer, whole: boolean, dialect: Dialect, text: Codec, fileName: string): string[][] {
  const rows: string[][] = [];
  const scanner = new CsvScanner({ delimiter: delimiters[dialect.delimiter], maxRecordBytes, fileName }, (record) => {
    if (rows.length > sampleRows || (record.fieldCount === 1 && record.end === record.start)) return;
    rows.push(Array.from({ length: record.fieldCount }, (_, i) => decodeField(record, i, text, record.start === 0 && i === 0)));
  });
  try {
    scanner.push(first);
    if (whole) scanner.end();
  } catch {
    // reported by the scan proper
  }
  return rows;
}

function decodeField(record: CsvRecord, i: number, text: Codec, stripBom: boolean): string {
  const value = isPlainField(record, i)
    ? text.decode(record.bytes, record.fieldStart[i] as number, record.fieldEnd[i] as number)
    : text.decode(fieldBytes(record, i));
  return stripBom && value.charCodeAt(0) === 0xfeff ? value.slice(1) : value;
}

function allFields(record: CsvRecord, text: Codec): string[] {
  return Array.from({ length: record.fieldCount }, (_, i) => decodeField(record, i, text, record.start === 0 && i === 0));
}

// Spreadsheets run a cell that starts with one of these as a formula (OWASP, CSV injection).
const formulaStart = /^[=+\-@\t\r]/;

/** One CSV line (no line ending): quotes where needed, formula-like cells made inert when `neutralize`. */
export function serializeRow(fields: readonly string[], delimiter: DelimiterName, neutralize: boolean): string {
  const separator = delimiter === 'tab' ? '\t' : delimiter;
  return fields
    .map((field) => {
      const value = neutralize && formulaStart.test(field) ? `'${field}` : field;
      return value.includes(separator) || value.includes('"') || value.includes('\n') || value.includes('\r') ? `"${value.replace(/"/g, '""')}"` : value;
    })
    .join(separator);
}

/**
 * An output that is hashed and handed to `onData` (nothing, when replaying a scrub only to compare digests).
 * `waitFor` tells when the receiver can take more; `check` throws when the receiver has failed.
 */
export function hashSink(onData?: (chunk: Buffer) => void, waitFor?: () => Promise<void>, check?: () => void): Sink {
  const hash = createHash('sha256');
  let bytes = 0;
  let digest = '';
  const take = (chunk: Buffer): void => {
    hash.update(chunk);
    bytes += chunk.length;
    onData?.(chunk);
  };
  return {
    write: (data) => take(typeof data === 'string' ? Buffer.from(data) : data),
    writeRange: (data, start, end) => take(data.subarray(start, end)),
    finish() {
      check?.();
      if (digest === '') digest = hash.digest('hex');
    },
    publish() {},
    abort() {},
    sha256: () => digest,
    get bytes() {
      return bytes;
    },
    drained: () => waitFor?.() ?? Promise.resolve(),
  };
}

/**
 * An output on standard output: not atomic, but respecting backpressure, and failing (one line, exit 1) at the
 * first write the system refused (a full disk), so that no report claims rows that were lost.
 */
export function stdoutSink(stdout: Writable): Sink {
  let waiting: Promise<void> | undefined;
  const check = (): void => checkWritable(stdout);
  return hashSink(
    (chunk) => {
      check();
      // A copy: the chunk may be a view of memory reused for the next input chunk.
      if (!stdout.write(Buffer.from(chunk)) && waiting === undefined) {
        // Settles on an error or a close too: a stream that failed never drains.
        waiting = new Promise((resolve) => {
          const done = (): void => {
            stdout.off('drain', done).off('error', done).off('close', done);
            waiting = undefined;
            resolve();
          };
          stdout.once('drain', done).once('error', done).once('close', done);
        });
      }
    },
    async () => {
      await waiting;
      check();
    },
    check,
  );
}

export function fileSink(path: string): Sink {
  const file = new AtomicFile(path);
  return {
    write: (data) => file.write(data),
    writeRange: (bytes, start, end) => file.writeRange(bytes, start, end),
    finish: () => file.finish(),
    publish: () => file.publish(),
    abort: () => file.abort(),
    sha256: () => file.sha256(),
    get bytes() {
      return file.bytes;
    },
    drained: () => Promise.resolve(),
  };
}

export type { PinnedList };
