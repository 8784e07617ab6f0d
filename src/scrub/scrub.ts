// The scrub: a prospect file streams through the CSV scanner; each row's phone cells go through the pure classifier
// against the pinned lists; the row goes to exactly one of three outputs. Kept rows are copied byte for byte;
// excluded and invalid rows are rewritten with the reason, their formula-like cells neutralized. Memory stays flat:
// a few blocks of input and their outputs at a time.
//
// The first bytes tell the dialect, the header and the phone columns (the plan). Then the file is scrubbed in blocks
// (block.ts): on one thread one block takes every chunk; on several, the file is cut after line endings into blocks
// of about a megabyte, each scrubbed by a worker thread, and the main thread writes each block's outputs, counts
// and exclusions in the file's order. A cut that fell inside a quoted cell spanning lines shows as a block ending
// in an unfinished record: the main thread then scrubs from that block on itself until a block ends where a record
// does, so the outputs are the same bytes whatever the number of threads.

import { CallscrubError } from '../errors.js';
import { codec, delimiters, detectDialect, isSepLine, type DelimiterName, type Dialect, type Encoding } from '../csv/dialect.js';
import { allFields } from '../csv/fields.js';
import { sampleRecords } from '../csv/sample.js';
import { CsvScanner, isBlankRecord } from '../csv/scanner.js';
import { binaryData, readChunks, type Source } from '../io/source.js';
import type { Policy } from './classify.js';
import { addCounts, emptyCounts, layoutOf, RowRouter, type ScrubCounts, type ScrubOutputs } from './router.js';
import { choosePhoneColumns, ColumnWatch, type ColumnChoice, type PhoneColumn } from '../csv/columns.js';
import { ExclusionLog } from './exclusion-log.js';
import { NumberSeenSet } from './seen.js';
import type { Screening } from './screening.js';
import type { ContactRules } from './contact-rules.js';
import { scheduleColumns, type Schedule } from './schedule.js';
import { printable } from '../ui/printable.js';
import { BlockScrubber, collectorsFor, scrubBlock, type BlockJob, type BlockPlan, type BlockReply, type BlockResult } from './block.js';
import { specOf } from './shared-judges.js';
import { ScrubWorkers } from './workers.js';

/** How to read the file and judge its rows; which columns to screen (see columns.ts). */
export interface ScrubSettings extends ColumnChoice {
  readonly policy: Policy;
  readonly encoding: Encoding | 'auto';
  readonly delimiter: DelimiterName | 'auto';
  readonly allowUnscreened: boolean;
  readonly dedupe: boolean;
  /** --rules: the call history and the rules that judge it. */
  readonly contact?: ContactRules | undefined;
  /** --schedule: each clean row's next calling window. */
  readonly schedule?: Schedule | undefined;
  /** Threads to scrub on (--threads; default 1). --dedupe, standard input and small files use one. */
  readonly threads?: number | undefined;
  /** Bytes of a block for the worker threads (default 1 MiB; tests make it small to cut files in many places). */
  readonly blockBytes?: number | undefined;
  /** Whether to log the excluded and invalid rows (a report lists them; default true). */
  readonly logExclusions?: boolean | undefined;
  /** Worker threads started early (startWorkers), or none: started here when the file calls for them. */
  readonly workers?: ScrubWorkers | undefined;
}

/**
 * The worker threads a scrub of a file of `size` bytes (undefined: standard input) will use, started now so that
 * they load while the lists do, or none: one thread where each row's verdict depends on the rows before it
 * (--dedupe), where the size is unknown, or where the file is small.
 */
export function startWorkers(settings: Pick<ScrubSettings, 'threads' | 'blockBytes' | 'dedupe'>, size: number | undefined): ScrubWorkers | undefined {
  const threads = settings.threads ?? 1;
  const parallel = threads > 1 && !settings.dedupe && size !== undefined && size >= 4 * (settings.blockBytes ?? defaultBlockBytes);
  // The main thread is one of them: it scrubs a block itself whenever every worker has one.
  return parallel ? new ScrubWorkers(threads - 1) : undefined;
}

export type { ScrubCounts, ScrubOutputs };

export interface ScrubProgress {
  rows: number;
  bytes: number;
}

export interface ScrubResult {
  readonly counts: ScrubCounts;
  readonly dialect: Dialect;
  readonly header: readonly string[] | undefined;
  readonly phoneColumns: readonly PhoneColumn[];
  readonly input: { readonly sha256: string; readonly bytes: number };
  /** Row numbers (1-based data rows) of excluded and invalid rows with their reasons, for the report. */
  readonly exclusions: ExclusionLog;
}

const sampleBytes = 64 * 1024;
/** Data rows read ahead to check what the unscreened columns hold. */
const sampleRows = 1000;
export const maxRecordBytes = 1 << 20;
const defaultBlockBytes = 1 << 20;
/** Room beyond a block's size in the buffer it is gathered in: the end of its last record, cut off for the next. */
const gatherRoom = 1 << 16;

export async function scrub(
  source: Source,
  screening: Screening,
  settings: ScrubSettings,
  outputs: ScrubOutputs,
  progress: ScrubProgress,
): Promise<ScrubResult> {
  const counts = emptyCounts();
  let exclusions = new ExclusionLog();
  const seen = settings.dedupe ? new NumberSeenSet() : undefined;
  let dialect: Dialect | undefined;
  let sample: string[][] = [];
  /** `firstEnd`: where the first record ends in the file, which the first block must reach. */
  let planned: { plan: BlockPlan; watch: ColumnWatch | undefined; firstEnd: number } | undefined;
  let run: FileRun | undefined;
  // Where the next block's rows and lines start: each block counts its own from 1.
  let rowsBefore = 0;
  let nextLine = 1;
  const merge = (result: BlockResult): void => {
    addCounts(counts, result.counts);
    if (rowsBefore === 0 && exclusions.length === 0) exclusions = ExclusionLog.of(result.exclusions);
    else exclusions.append(result.exclusions, rowsBefore);
    planned?.watch?.tally.addCounts(result.tally);
    settings.schedule?.add(result.schedule);
    rowsBefore += result.counts.rowsIn;
    nextLine += result.lines;
  };
  // A block the main thread scrubs itself, writing straight to the outputs.
  const inline = (first: boolean): BlockScrubber =>
    new BlockScrubber(
      (planned as NonNullable<typeof planned>).plan,
      { screening, contact: settings.contact, schedule: settings.schedule?.fresh(), seen },
      { first, firstLine: nextLine },
      outputs,
    );

  /**
   * Whether `bytes` hold the file's first record (the header, or the first row); if so the plan is made from it:
   * the phone columns chosen and the outputs started.
   */
  const planFrom = (bytes: Buffer, whole: boolean): boolean => {
    const d = (dialect ??= detectDialect(bytes, settings, source.name));
    const text = codec(d.encoding);
    if (settings.checkContent && sample.length === 0) sample = sampleRecords(bytes, whole, d, text, maxRecordBytes, sampleRows + 1);
    let preamble: Buffer | undefined;
    const stop = new Error('first record');
    const scanner = new CsvScanner({ delimiter: delimiters[d.delimiter], maxRecordBytes, fileName: source.name }, (record) => {
      if (isBlankRecord(record)) return;
      if (isSepLine(record)) {
        preamble = Buffer.from(record.bytes.subarray(record.start, record.next));
        return;
      }
      const header = settings.header ? allFields(record, text) : undefined;
      const chosen = choosePhoneColumns(header, record.fieldCount, settings.header ? sample.slice(1) : sample, settings, source.name, record.line);
      sample = [];
      const watch = chosen.watched.length > 0 || chosen.countryColumns.length > 0 ? new ColumnWatch(chosen.watched, chosen.countryColumns, header, settings.country, text, source.name) : undefined;
      // A file scheduled before holds the old windows: a dialer mapping columns by name could take them.
      const stale = settings.schedule === undefined ? undefined : header?.find((name) => (scheduleColumns as readonly string[]).includes(name.trim()));
      if (stale !== undefined) {
        throw new CallscrubError('input', `the file already has a column '${printable(stale)}' (a clean file scheduled before?): its old windows would stand beside the new ones`, {
          file: source.name,
          line: record.line,
          hint: 'scrub the original export, or remove the callscrub_ columns first',
        });
      }
      const layout = layoutOf(record, header, chosen.columns);
      new RowRouter(layout, { dialect: d, text }, outputs, counts, exclusions, settings.schedule).start(record, header, preamble);
      const plan: BlockPlan = {
        fileName: source.name,
        dialect: d,
        layout,
        watched: chosen.watched,
        countryColumns: chosen.countryColumns,
        country: settings.country,
        policy: settings.policy,
        allowUnscreened: settings.allowUnscreened,
        validateUtf8: settings.encoding === 'utf-8',
        maxRecordBytes,
        logExclusions: settings.logExclusions !== false,
      };
      planned = { plan, watch, firstEnd: record.next };
      throw stop;
    });
    try {
      scanner.push(bytes);
      if (whole) scanner.end();
    } catch (error) {
      if (error !== stop) throw error;
    }
    return planned !== undefined;
  };

  /**
   * planFrom, but a NUL byte before the first record ends is binary data (or UTF-16 with its byte-order mark, which
   * the dialect detection refuses with the way to save it as CSV). One after it is told by the block it is in, after
   * any problem before it.
   */
  const planStart = (bytes: Buffer, whole: boolean): boolean => {
    const nul = bytes[0] === 0xff || bytes[0] === 0xfe ? -1 : bytes.indexOf(0);
    if (nul < 0) return planFrom(bytes, whole);
    if (planFrom(bytes.subarray(0, nul), false)) return true;
    throw binaryData(bytes, source.name, true, 'give a CSV export');
  };

  let workers = settings.workers;
  // The main thread's outputs of the blocks it scrubs itself are gathered in these buffers, given back once written.
  const ownPool: ArrayBuffer[] = [];
  const begin = (): FileRun => {
    const { plan, firstEnd } = planned as NonNullable<typeof planned>;
    workers ??= startWorkers(settings, source.size);
    // Blocks are cut after a line feed: a file whose lines end in a bare CR is scrubbed on one thread.
    if (workers === undefined || plan.layout.lineEnding === '\r') return new OneThread(inline(true), merge);
    const excluded = outputs.excluded !== undefined;
    const invalid = outputs.invalid !== undefined;
    const blockBytes = settings.blockBytes ?? defaultBlockBytes;
    const outputBytes = 2 * (blockBytes + gatherRoom);
    workers.init({ plan, spec: specOf(screening, settings.contact, settings.schedule), excluded, invalid, outputBytes });
    const collectors = collectorsFor(excluded, invalid, ownPool, outputBytes);
    const here = (job: BlockJob) => scrubBlock(plan, { screening, contact: settings.contact, schedule: settings.schedule?.fresh(), seen: undefined }, collectors, job);
    return new Threads(workers, blockBytes, firstEnd, here, ownPool, inline, merge, outputs);
  };

  let head: Buffer[] = [];
  let headBytes = 0;
  try {
    const read = await readChunks(
      source,
      async (chunk, bytesSoFar) => {
        if (run === undefined) {
          head.push(Buffer.from(chunk)); // a copy: the chunk's memory is reused for the next read
          headBytes += chunk.length;
          if (headBytes < sampleBytes) return;
          const bytes = Buffer.concat(head);
          head = [bytes];
          if (!planStart(bytes, false)) return;
          head = [];
          run = begin();
          await run.push(bytes);
        } else await run.push(chunk);
        progress.rows = rowsBefore + run.rows;
        progress.bytes = bytesSoFar;
        await Promise.all([outputs.clean.drained(), outputs.excluded?.drained(), outputs.invalid?.drained()]);
      },
      { reuseBuffer: true },
    );
    if (run === undefined) {
      const bytes = Buffer.concat(head);
      if (bytes.length === 0) throw new CallscrubError('input', 'the file is empty', { file: source.name, hint: 'check that this is the right file' });
      if (!planStart(bytes, true)) throw new CallscrubError('input', 'the file holds no row', { file: source.name, hint: 'check that this is the right file' });
      run = begin();
      await run.push(bytes);
    }
    await run.end();
    const { plan, watch } = planned as NonNullable<typeof planned>;
    if (counts.rowsIn === 0) {
      throw new CallscrubError('input', 'the file has a header but no rows', { file: source.name, line: 2, hint: 'check that this is the right file' });
    }
    watch?.check(source.name, plan.layout.header, plan.layout.phoneColumns);
    progress.rows = counts.rowsIn;
    return {
      counts,
      dialect: plan.dialect,
      header: plan.layout.header,
      phoneColumns: plan.layout.phoneColumns,
      input: { sha256: read.sha256, bytes: read.bytes },
      exclusions,
    };
  } finally {
    await workers?.close();
  }
}

/** How the file's bytes after the plan are scrubbed: on this thread, or on worker threads. */
interface FileRun {
  /** Rows scrubbed and not yet merged. */
  readonly rows: number;
  push(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
}

class OneThread implements FileRun {
  constructor(
    private readonly block: BlockScrubber,
    private readonly merge: (result: BlockResult) => void,
  ) {}

  get rows(): number {
    return this.block.rows;
  }

  async push(chunk: Buffer): Promise<void> {
    this.block.push(chunk);
  }

  async end(): Promise<void> {
    this.block.end();
    this.merge(this.block.result());
  }
}

class Threads implements FileRun {
  private readonly queue: Array<{ readonly first: boolean; readonly last: boolean; readonly reply: Promise<BlockReply>; settled: boolean; readonly here: boolean }> = [];
  /** The workers' output buffers, written: given back with the next block sent. */
  private readonly written: ArrayBuffer[] = [];
  private nextId = 0;
  /** The bytes of the block being gathered: a buffer of its own (often one given back), moved to the worker that scrubs it. */
  private gathering: Uint8Array;
  private gathered = 0;
  private first = true;
  /** A block that ended in an unfinished record, continued on this thread until one ends where a record does. */
  private catchUp: BlockScrubber | undefined;
  /** Block buffers back from their workers, for the next blocks to be gathered in. */
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    private readonly workers: ScrubWorkers,
    private readonly blockBytes: number,
    /**
     * Where the file's first record ends: the first block reaches it, so that the worker that takes it knows its
     * first record is the header (blank lines before it could fill a block).
     */
    private readonly firstEnd: number,
    /** Scrubs a block on this thread into memory, as a worker would, in buffers from `ownPool`. */
    private readonly here: (job: BlockJob) => BlockReply,
    private readonly ownPool: ArrayBuffer[],
    private readonly inline: (first: boolean) => BlockScrubber,
    private readonly merge: (result: BlockResult) => void,
    private readonly outputs: ScrubOutputs,
  ) {
    this.gathering = this.fresh(0);
  }

  get rows(): number {
    return this.catchUp?.rows ?? 0;
  }

  async push(chunk: Buffer): Promise<void> {
    for (let at = 0; at < chunk.length; ) {
      if (this.gathered === this.gathering.length) this.grow();
      // Up to a block's size, then beyond only while no cut is found.
      const room = this.gathered < this.blockBytes ? this.blockBytes - this.gathered : this.gathering.length - this.gathered;
      const n = Math.min(chunk.length - at, room);
      this.gathering.set(chunk.subarray(at, at + n), this.gathered);
      this.gathered += n;
      at += n;
      if (this.gathered >= this.blockBytes) await this.cut();
    }
  }

  /** Sends what was gathered up to its last line feed; keeps the rest for the next block. */
  private async cut(): Promise<void> {
    const data = this.gathering.subarray(0, this.gathered);
    const lf = data.lastIndexOf(10);
    const floor = this.first ? this.firstEnd : 0;
    // No line feed in a block (past the first record): a record longer than the scanner takes (it will say so),
    // unless more bytes end it.
    const cuttable = lf >= 0 && lf + 1 >= floor;
    if (!cuttable && this.gathered < floor + this.blockBytes + 2 * maxRecordBytes) return;
    const end = cuttable ? lf + 1 : this.gathered;
    const next = this.fresh(this.gathered - end);
    next.set(data.subarray(end));
    this.send(this.gathering.subarray(0, end), false);
    this.gathering = next;
    this.gathered = this.gathered - end;
    // Blocks done are written as soon as those before them are; a long queue waits for its first.
    while (this.queue.length > 0 && (this.queue[0]?.settled === true || this.queue.length > 3 * this.workers.count + 2)) await this.takeHead();
  }

  /** A buffer to gather a block in, holding at least `bytes`. */
  private fresh(bytes: number): Uint8Array {
    const size = this.blockBytes + gatherRoom;
    if (bytes > size) return new Uint8Array(bytes);
    const spare = this.spare.pop();
    return spare === undefined ? new Uint8Array(size) : new Uint8Array(spare);
  }

  private grow(): void {
    const grown = new Uint8Array(this.gathering.length * 2);
    grown.set(this.gathering);
    this.gathering = grown;
  }

  /**
   * To a worker while each has fewer than three (so that none waits for its next), else scrubbed here: this thread
   * also reads, hashes and writes, so it takes the blocks the workers cannot.
   */
  private send(bytes: Uint8Array, last: boolean): void {
    const first = this.first;
    this.first = false;
    if (this.workers.busy >= 3 * this.workers.count) {
      this.queue.push({ first, last, reply: Promise.resolve(this.here({ id: this.nextId++, bytes, first, last })), settled: true, here: true });
      return;
    }
    const job = { first, last, reply: this.workers.run(bytes, first, last, this.written.splice(0)), settled: false, here: false };
    void job.reply.then(() => (job.settled = true));
    this.queue.push(job);
  }

  async end(): Promise<void> {
    this.send(this.gathering.subarray(0, this.gathered), true);
    while (this.queue.length > 0) await this.takeHead();
  }

  /** Takes the next block's reply in the file's order: its outputs written, its counts merged. */
  private async takeHead(): Promise<void> {
    const job = this.queue.shift() as (typeof this.queue)[number];
    const reply = await job.reply;
    if (reply.bytes === undefined) throw new CallscrubError('internal', `the scrub's worker threads failed: ${reply.failed}`);
    const bytes = Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength);
    let block = this.catchUp;
    if (block === undefined && reply.result !== undefined && reply.result.pending === 0) {
      for (const [sink, written] of [[this.outputs.clean, reply.clean], [this.outputs.excluded, reply.excluded], [this.outputs.invalid, reply.invalid]] as const) {
        if (written === undefined) continue;
        if (sink !== undefined && written.length > 0) sink.write(Buffer.from(written.buffer, written.byteOffset, written.byteLength));
        const back = job.here ? this.ownPool : this.written;
        if (back.length < 3) back.push(written.buffer as ArrayBuffer);
      }
      this.merge(reply.result);
      this.recycle(reply.bytes);
      return;
    }
    // Scrubbed here: a block after one that ended in an unfinished record (its worker started it at the wrong
    // place), one that itself ends so, or one that failed (scrubbed again here, the error tells its line in the file).
    block ??= this.inline(job.first);
    block.push(bytes);
    this.recycle(reply.bytes); // what the scanner keeps of an unfinished record, it copies
    if (job.last) block.end();
    if (block.pending > 0 && !job.last) {
      this.catchUp = block;
      return;
    }
    this.catchUp = undefined;
    this.merge(block.result());
  }

  /** Keeps a block's buffer for another once its reply is taken. */
  private recycle(bytes: Uint8Array): void {
    if (bytes.buffer.byteLength === this.blockBytes + gatherRoom && this.spare.length < this.workers.count + 2) this.spare.push(bytes.buffer as ArrayBuffer);
  }
}
