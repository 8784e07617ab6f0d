// A stretch of a prospect file scrubbed on its own: its records scanned, judged and routed, with the counts, the
// exclusions and the column tallies of that stretch. A file is its blocks in order: on one thread a single block
// takes every chunk of the file; on several, each block (cut after a line ending) is scrubbed by a worker into
// buffers and the main thread writes the results in order (scrub.ts), so the outputs are the same bytes.

import { ColumnWatch } from '../csv/columns.js';
import { codec, delimiters, isSepLine, type Dialect } from '../csv/dialect.js';
import { CsvScanner, isBlankRecord } from '../csv/scanner.js';
import { binaryDataAt } from '../io/source.js';
import { utf8Validator } from '../io/utf8.js';
import { classifyRow, type NumberSeen, type Policy } from './classify.js';
import type { ContactRules } from './contact-rules.js';
import { ExclusionLog, type ExclusionData } from './exclusion-log.js';
import { emptyCounts, RowRouter, type RowLayout, type RowOutputs, type RowSink, type ScrubCounts } from './router.js';
import type { Schedule } from './schedule.js';
import type { Screening } from './screening.js';

/** How a file's blocks are read and routed: worked out from its first bytes, the same for every block. Plain data. */
export interface BlockPlan {
  readonly fileName: string;
  readonly dialect: Dialect;
  readonly layout: RowLayout;
  /** Unscreened columns whose cells are tallied, and country columns checked (see ColumnWatch). */
  readonly watched: readonly number[];
  readonly countryColumns: readonly number[];
  readonly country: string;
  readonly policy: Policy;
  readonly allowUnscreened: boolean;
  /** --encoding utf-8 was given: bytes that are not UTF-8 stop the scrub. */
  readonly validateUtf8: boolean;
  readonly maxRecordBytes: number;
  /** Whether the excluded and invalid rows are logged (for a report or a replay; a scrub without one needs no log). */
  readonly logExclusions: boolean;
}

/** What judges the rows. */
export interface Judges {
  readonly screening: Screening;
  readonly contact: ContactRules | undefined;
  /** A schedule of this block's own: its counters are the block's. */
  readonly schedule: Schedule | undefined;
  /** --dedupe: the numbers seen before (one thread only: a row's verdict then depends on every row before it). */
  readonly seen: NumberSeen | undefined;
}

/** What a block found, beside the bytes it wrote. Plain data, sent from a worker. */
export interface BlockResult {
  readonly counts: ScrubCounts;
  /** Row numbers from 1 at the block's first row. */
  readonly exclusions: ExclusionData;
  readonly tally: Array<[number, number, number]>;
  readonly schedule: { readonly unknownZones: number; readonly unrestricted: number };
  /** Lines the block's records span. */
  readonly lines: number;
  /** Bytes of a record left unfinished at the block's end (0: the block ends where a record does). */
  readonly pending: number;
}

export class BlockScrubber {
  private readonly counts = emptyCounts();
  private readonly exclusions: ExclusionLog;
  private readonly scanner: CsvScanner;
  private readonly watch: ColumnWatch | undefined;
  private readonly validate: ((chunk: Buffer, firstLine: number, final?: boolean) => void) | undefined;
  private readonly firstLine: number;
  /** The line of the last byte pushed. */
  private lastLine: number;

  /**
   * `first`: the block starts the file, so its first record that is not blank nor Excel's `sep=` line is the one
   * the plan was made from (the header, not routed again, or the first row). `firstLine`: the line it starts on.
   */
  constructor(
    private readonly plan: BlockPlan,
    private readonly judges: Judges,
    where: { readonly first: boolean; readonly firstLine: number },
    outputs: RowOutputs,
  ) {
    this.exclusions = new ExclusionLog(plan.logExclusions);
    const text = codec(plan.dialect.encoding);
    const options = { country: plan.country, policy: plan.policy, allowUnscreened: plan.allowUnscreened, seen: judges.seen, contact: judges.contact };
    const judge = (phoneCells: string[]) => classifyRow(phoneCells, judges.screening, options);
    const router = new RowRouter(plan.layout, { dialect: plan.dialect, text }, outputs, this.counts, this.exclusions, judges.schedule);
    const watch = plan.watched.length > 0 || plan.countryColumns.length > 0 ? new ColumnWatch(plan.watched, plan.countryColumns, plan.layout.header, plan.country, text, plan.fileName) : undefined;
    this.watch = watch;
    this.validate = plan.validateUtf8 ? utf8Validator(plan.fileName) : undefined;
    this.firstLine = where.firstLine;
    this.lastLine = where.firstLine;
    let beforeFirst = where.first;
    const counts = this.counts;
    this.scanner = new CsvScanner(
      { delimiter: delimiters[plan.dialect.delimiter], maxRecordBytes: plan.maxRecordBytes, fileName: plan.fileName, firstLine: where.firstLine, atFileStart: where.first },
      (record) => {
        if (isBlankRecord(record)) {
          counts.blankLines++;
          return;
        }
        if (beforeFirst) {
          if (isSepLine(record)) return;
          beforeFirst = false;
          if (plan.layout.header !== undefined) return;
        }
        counts.rowsIn++;
        watch?.observe(record);
        router.route(record, judge);
      },
    );
  }

  /** Rows so far. */
  get rows(): number {
    return this.counts.rowsIn;
  }

  get pending(): number {
    return this.scanner.pending;
  }

  /**
   * Scans `bytes`. A NUL byte stops the scrub where it is: what comes before it is scanned first, so that the first
   * problem in the file is the one told, wherever the file was cut into chunks or blocks.
   */
  push(bytes: Buffer): void {
    const line = this.scanner.nextChunkLine;
    const nul = bytes.indexOf(0);
    const text = nul < 0 ? bytes : bytes.subarray(0, nul);
    this.validate?.(text, line);
    this.scanner.push(text);
    if (nul >= 0) throw binaryDataAt(bytes, this.plan.fileName, line, 'give a CSV export');
    if (bytes.length > 0) this.lastLine = this.scanner.nextChunkLine - (bytes[bytes.length - 1] === 10 || bytes[bytes.length - 1] === 13 ? 1 : 0);
  }

  /** The end of the file: its last record may have no line ending. */
  end(): void {
    this.scanner.end();
    // An incomplete UTF-8 sequence held back is at the end of the last line.
    this.validate?.(Buffer.alloc(0), this.lastLine, true);
  }

  result(): BlockResult {
    return {
      counts: this.counts,
      exclusions: this.exclusions.data(),
      tally: this.watch?.tally.counts() ?? [],
      schedule: { unknownZones: this.judges.schedule?.unknownZones ?? 0, unrestricted: this.judges.schedule?.unrestricted ?? 0 },
      lines: this.scanner.currentLine - this.firstLine,
      pending: this.scanner.pending,
    };
  }
}

export interface BlockJob {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly first: boolean;
  readonly last: boolean;
  /** Memory of outputs the main thread has written, given back for the worker's next outputs. */
  readonly spare?: readonly ArrayBuffer[];
}

/**
 * A block scrubbed (its outputs, and what it found), or failed; either way with the block's bytes back, for the main
 * thread to scrub them itself when needed. A worker that died sends nothing back: `bytes` is then undefined.
 */
export type BlockReply =
  | {
      readonly id: number;
      readonly bytes: Uint8Array;
      readonly result: BlockResult;
      readonly clean: Uint8Array;
      readonly excluded: Uint8Array | undefined;
      readonly invalid: Uint8Array | undefined;
      readonly failed?: undefined;
    }
  | { readonly id: number; readonly bytes: Uint8Array | undefined; readonly failed: string; readonly result?: undefined; readonly clean?: undefined; readonly excluded?: undefined; readonly invalid?: undefined };

/** Outputs gathered in memory, kept from block to block. */
export interface Collectors {
  readonly clean: ByteCollector;
  readonly excluded: ByteCollector | undefined;
  readonly invalid: ByteCollector | undefined;
}

/**
 * Collectors for the outputs a scrub writes, drawing their buffers from `pool`: the memory of outputs already written,
 * given back, so that a long file does not leave a trail of buffers for the garbage collector to find.
 */
export function collectorsFor(excluded: boolean, invalid: boolean, pool: ArrayBuffer[] = [], capacity?: number): Collectors {
  const collector = () => new ByteCollector(pool, capacity);
  return { clean: collector(), excluded: excluded ? collector() : undefined, invalid: invalid ? collector() : undefined };
}

/**
 * Scrubs one block on its own (lines and rows counted from 1) into `outputs`, and takes what it wrote; a block that
 * fails leaves nothing (the main thread scrubs it again, and the error then tells its line in the file).
 */
export function scrubBlock(plan: BlockPlan, judges: Judges, outputs: Collectors, job: BlockJob): BlockReply {
  try {
    const block = new BlockScrubber(plan, judges, { first: job.first, firstLine: 1 }, outputs);
    block.push(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength));
    if (job.last) block.end();
    return { id: job.id, bytes: job.bytes, result: block.result(), clean: outputs.clean.take(), excluded: outputs.excluded?.take(), invalid: outputs.invalid?.take() };
  } catch (error) {
    for (const collector of [outputs.clean, outputs.excluded, outputs.invalid]) collector?.take();
    return { id: job.id, bytes: job.bytes, failed: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * A block's output gathered in memory, to be handed to the main thread. Ranges of the same bytes that follow each
 * other (the clean rows between two excluded ones) are copied in one go: the bytes they lie in must stay as they
 * are until the next write of other bytes, or the take (a worker's block does).
 */
export class ByteCollector implements RowSink {
  private buffer: Buffer;
  private length = 0;
  private run: { bytes: Buffer; start: number; end: number } | undefined;

  constructor(
    private readonly pool: ArrayBuffer[] = [],
    private readonly capacity = 1 << 16,
  ) {
    this.buffer = this.fresh();
  }

  /**
   * A buffer from the pool, or a new one: all of one size (a block's outputs fit in twice its bytes), so that
   * buffers are reused as they are, not grown and dropped: memory freed and taken again in pieces of other sizes
   * is not given back to the system (glibc's arenas), and a long scrub would grow.
   */
  private fresh(): Buffer {
    for (let given = this.pool.pop(); given !== undefined; given = this.pool.pop()) if (given.byteLength >= this.capacity) return Buffer.from(given);
    return Buffer.allocUnsafeSlow(this.capacity);
  }

  write(data: string | Buffer): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.flush();
    this.copy(bytes, 0, bytes.length);
  }

  writeRange(bytes: Buffer, start: number, end: number): void {
    const run = this.run;
    if (run !== undefined && run.bytes === bytes && run.end === start) {
      run.end = end;
      return;
    }
    this.flush();
    this.run = { bytes, start, end };
  }

  /**
   * What was written since the last take, in memory of its own (moved to the main thread, which gives it back for a
   * later block once written).
   */
  take(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.length);
    this.buffer = this.fresh();
    this.length = 0;
    return out;
  }

  private flush(): void {
    if (this.run === undefined) return;
    const { bytes, start, end } = this.run;
    this.run = undefined;
    this.copy(bytes, start, end);
  }

  private copy(bytes: Buffer, start: number, end: number): void {
    const needed = this.length + end - start;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    bytes.copy(this.buffer, this.length, start, end);
    this.length = needed;
  }
}
