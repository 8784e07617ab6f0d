// The call history in the registry: append-only imports of the dialer's call log, each keeping the attempts it
// added (an attempt already held adds nothing), and the merged history of every import, made again at each import
// so that a scrub reads one sorted run in number order. Every chunk is checked against its checksum when read: a
// damaged history stops the work. The history as it stood at any instant is the union of the imports made by then,
// which is how a replay sees only the calls its scrub saw.

import type Database from 'better-sqlite3';
import { CallscrubError } from '../errors.js';
import { attemptChunkChecksum, AttemptChunkWriter, ChunkCursor, decodeColumns, type AttemptChunk } from '../numbers/attempt-chunks.js';
import { AttemptCollector, GroupedBuilder, mergeAttempts, RunCursor, type AttemptCursor, type AttemptRun, type GroupedAttempts } from '../numbers/attempts.js';

/** The merged history's chunks are kept under this import id. */
const merged = 0;
/**
 * Attempts in a chunk of the merged history: small, so that looking up a thousand numbers (callscrub when) decodes
 * a thousand small chunks, not the whole history; a scrub reads them all either way.
 */
const mergedChunkSize = 1024;

export interface HistoryImport {
  readonly id: number;
  readonly importedAt: string;
  readonly sourceName: string;
  readonly sourceSha256: string;
  readonly rows: number;
  readonly rejected: number;
  /** Attempts the file gave (an ambiguous number gives one for each number it may be). */
  readonly attemptsRead: number;
  /** Attempts the history did not hold. */
  readonly attemptsAdded: number;
  /** Refusals the history did not hold: on new attempts, or on attempts it held as no refusal. */
  readonly refusalsAdded: number;
  /** The earliest and latest attempt added, in seconds (null when it added none). */
  readonly firstSecond: number | null;
  readonly lastSecond: number | null;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface NewHistoryImport {
  readonly importedAt: string;
  readonly sourceName: string;
  readonly sourceSha256: string;
  readonly rows: number;
  readonly rejected: number;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface HistoryTotals {
  readonly attempts: number;
  readonly refusals: number;
  readonly numbers: number;
  readonly firstSecond: number | null;
  readonly lastSecond: number | null;
  /** Attempts before this second were pruned (null: never pruned). */
  readonly prunedBefore: number | null;
  readonly prunedAt: string | null;
}

interface ChunkRow {
  seq: number;
  count: number;
  first: number;
  last: number;
  min_second: number;
  max_second: number;
  data: Buffer;
  checksum: Buffer;
}

interface ImportRow {
  id: number;
  imported_at: string;
  source_name: string;
  source_sha256: string;
  rows: number;
  rejected: number;
  attempts_read: number;
  attempts_added: number;
  refusals_added: number;
  first_second: number | null;
  last_second: number | null;
  settings: string;
}

export class CallHistory {
  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    /** False for a registry older than schema 4 opened read-only: it has no history. */
    private readonly present: boolean,
  ) {}

  imports(): HistoryImport[] {
    if (!this.present) return [];
    const rows = this.db.prepare('SELECT * FROM history_imports ORDER BY id').all() as ImportRow[];
    return rows.map((r) => ({
      id: r.id,
      importedAt: r.imported_at,
      sourceName: r.source_name,
      sourceSha256: r.source_sha256,
      rows: r.rows,
      rejected: r.rejected,
      attemptsRead: r.attempts_read,
      attemptsAdded: r.attempts_added,
      refusalsAdded: r.refusals_added,
      firstSecond: r.first_second,
      lastSecond: r.last_second,
      settings: JSON.parse(r.settings) as Record<string, unknown>,
    }));
  }

  /**
   * Adds a call log's attempts (sorted runs, see AttemptCollector) to the history, in the caller's write
   * transaction: the merged history is made again with them, and the import keeps those it added. An attempt already
   * held adds nothing, unless this log says it was a refusal and the history did not.
   */
  add(record: NewHistoryImport, runs: readonly AttemptRun[], attemptsRead: number, progress?: (done: number) => void): HistoryImport {
    const info = this.db
      .prepare(
        `INSERT INTO history_imports(imported_at, source_name, source_sha256, rows, rejected, attempts_read, attempts_added, refusals_added, settings)
         VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?)`,
      )
      .run(record.importedAt, record.sourceName, record.sourceSha256, record.rows, record.rejected, attemptsRead, JSON.stringify(record.settings));
    const id = Number(info.lastInsertRowid);
    // The merged history is read whole before it is written again: compact, about four bytes an attempt.
    const old = this.storedChunks(merged);
    this.db.prepare('DELETE FROM history_chunks WHERE import_id = ?').run(merged);
    const insert = this.insertChunk();
    let mergedSeq = 0;
    let addedSeq = 0;
    const mergedWriter = new AttemptChunkWriter((chunk) => insert(merged, mergedSeq++, chunk), mergedChunkSize);
    const addedWriter = new AttemptChunkWriter((chunk) => insert(id, addedSeq++, chunk));
    let attemptsAdded = 0;
    let refusalsAdded = 0;
    let firstSecond = Infinity;
    let lastSecond = -Infinity;
    let done = 0;
    const cursors: AttemptCursor[] = [new ChunkCursor(old[Symbol.iterator]()), ...runs.map((run) => new RunCursor(run))];
    mergeAttempts(cursors, (value, second, refusal, fromOld) => {
      mergedWriter.add(value, second, refusal);
      // An attempt held already, that this log says was a refusal, is kept again with its refusal: a replay of the
      // history as of this import sees it, though it is no new attempt.
      if (fromOld === undefined || fromOld < refusal) {
        addedWriter.add(value, second, refusal);
        if (fromOld === undefined) attemptsAdded++;
        refusalsAdded += refusal;
        if (second < firstSecond) firstSecond = second;
        if (second > lastSecond) lastSecond = second;
      }
      if (++done % 1_000_000 === 0) progress?.(done);
    });
    mergedWriter.flush();
    addedWriter.flush();
    const kept = addedWriter.written;
    this.db
      .prepare('UPDATE history_imports SET attempts_added = ?, refusals_added = ?, first_second = ?, last_second = ? WHERE id = ?')
      .run(attemptsAdded, refusalsAdded, kept === 0 ? null : firstSecond, kept === 0 ? null : lastSecond, id);
    return this.imports().find((i) => i.id === id) as HistoryImport;
  }

  /** The totals of the merged history. */
  totals(): HistoryTotals {
    const state = this.pruning();
    let attempts = 0;
    let refusals = 0;
    let numbers = 0;
    let firstSecond = Infinity;
    let lastSecond = -Infinity;
    let previous = NaN;
    for (const chunk of this.storedChunks(merged)) {
      const columns = decodeColumns(chunk);
      attempts += chunk.count;
      for (let i = 0; i < chunk.count; i++) {
        refusals += columns.refusals[i] as number;
        if (columns.numbers[i] !== previous) numbers++;
        previous = columns.numbers[i] as number;
      }
      if (chunk.count > 0) {
        firstSecond = Math.min(firstSecond, chunk.minSecond);
        lastSecond = Math.max(lastSecond, chunk.maxSecond);
      }
    }
    return {
      attempts,
      refusals,
      numbers,
      firstSecond: attempts === 0 ? null : firstSecond,
      lastSecond: attempts === 0 ? null : lastSecond,
      ...state,
    };
  }

  /** What pruning removed: attempts before `prunedBefore` (seconds), on `prunedAt`; nulls when never pruned. */
  pruning(): { prunedBefore: number | null; prunedAt: string | null } {
    if (!this.present) return { prunedBefore: null, prunedAt: null };
    const row = this.db.prepare('SELECT pruned_before, pruned_at FROM history_state WHERE id = 1').get() as { pruned_before: number | null; pruned_at: string | null } | undefined;
    return { prunedBefore: row?.pruned_before ?? null, prunedAt: row?.pruned_at ?? null };
  }

  /** The merged history's attempts later than `sinceSecond`, grouped by number: what a scrub judges by. */
  current(sinceSecond: number): GroupedAttempts {
    const chunks = this.storedChunks(merged);
    const builder = new GroupedBuilder(chunks.reduce((n, c) => n + (c.maxSecond > sinceSecond ? c.count : 0), 0));
    for (const chunk of chunks) {
      if (chunk.maxSecond <= sinceSecond) continue;
      const { numbers, seconds, refusals } = decodeColumns(chunk);
      for (let i = 0; i < chunk.count; i++) if ((seconds[i] as number) > sinceSecond) builder.add(numbers[i] as number, seconds[i] as number, refusals[i] as number);
    }
    return builder.finish();
  }

  /**
   * The merged history's attempts of some numbers only, later than `sinceSecond`: the few chunks that hold them are
   * read (by the index on each chunk's last number), each checked. For a lookup of a few numbers (callscrub when).
   */
  of(values: readonly number[], sinceSecond: number): GroupedAttempts {
    if (!this.present) return new GroupedBuilder(0).finish();
    const wanted = new Set(values);
    const find = this.db.prepare('SELECT seq, count, first, last, min_second, max_second, data, checksum FROM history_chunks WHERE import_id = ? AND last >= ? ORDER BY last LIMIT 4');
    const rows = new Map<number, ChunkRow>();
    for (const value of wanted) {
      for (const row of find.all(merged, value) as ChunkRow[]) if (row.first <= value) rows.set(row.seq, row);
    }
    const builder = new GroupedBuilder(0);
    for (const row of [...rows.values()].sort((a, b) => a.seq - b.seq)) {
      const chunk = this.checked(merged, row);
      if (chunk.maxSecond <= sinceSecond) continue;
      const { numbers, seconds, refusals } = decodeColumns(chunk);
      for (let i = 0; i < chunk.count; i++) {
        if (wanted.has(numbers[i] as number) && (seconds[i] as number) > sinceSecond) builder.add(numbers[i] as number, seconds[i] as number, refusals[i] as number);
      }
    }
    return builder.finish();
  }

  /**
   * The history as it stood once import `throughId` was committed (imports are numbered in the order they were
   * committed), attempts later than `sinceSecond` only: what a replay judges by.
   */
  asOf(throughId: number, sinceSecond: number): { grouped: GroupedAttempts; imports: number } {
    const imports = this.imports().filter((i) => i.id <= throughId);
    const collector = new AttemptCollector();
    for (const i of imports) {
      for (const chunk of this.storedChunks(i.id)) {
        if (chunk.maxSecond <= sinceSecond) continue;
        const { numbers, seconds, refusals } = decodeColumns(chunk);
        for (let k = 0; k < chunk.count; k++) if ((seconds[k] as number) > sinceSecond) collector.push(numbers[k] as number, seconds[k] as number, refusals[k] === 1);
      }
    }
    const builder = new GroupedBuilder(collector.count);
    mergeAttempts(collector.runs().map((run) => new RunCursor(run)), (value, second, refusal) => builder.add(value, second, refusal));
    return { grouped: builder.finish(), imports: imports.length };
  }

  /**
   * Drops the attempts before `beforeSecond` from every import and from the merged history, in the caller's write
   * transaction. Scrubs whose windows reached back before it can no longer be replayed. The attempts removed.
   */
  prune(beforeSecond: number, prunedAt: string): number {
    const ids = [merged, ...this.imports().map((i) => i.id)];
    const insert = this.insertChunk();
    let removed = 0;
    for (const id of ids) {
      const chunks = this.storedChunks(id);
      if (!chunks.some((c) => c.minSecond < beforeSecond)) continue;
      this.db.prepare('DELETE FROM history_chunks WHERE import_id = ?').run(id);
      let seq = 0;
      const writer = new AttemptChunkWriter((chunk) => insert(id, seq++, chunk), id === merged ? mergedChunkSize : undefined);
      for (const chunk of chunks) {
        const { numbers, seconds, refusals } = decodeColumns(chunk);
        for (let i = 0; i < chunk.count; i++) {
          if ((seconds[i] as number) < beforeSecond) {
            if (id === merged) removed++;
            continue;
          }
          writer.add(numbers[i] as number, seconds[i] as number, refusals[i] as number);
        }
      }
      writer.flush();
    }
    const previous = this.pruning().prunedBefore;
    this.db
      .prepare('INSERT INTO history_state(id, pruned_before, pruned_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET pruned_before = excluded.pruned_before, pruned_at = excluded.pruned_at')
      .run(Math.max(previous ?? 0, beforeSecond), prunedAt);
    return removed;
  }

  /** Reads every chunk of the history and checks it; the number of attempts checked. */
  check(): number {
    let attempts = 0;
    for (const id of [merged, ...this.imports().map((i) => i.id)]) {
      for (const chunk of this.storedChunks(id)) {
        decodeColumns(chunk);
        attempts += chunk.count;
      }
    }
    return attempts;
  }

  /** The chunks stored under an import id, in order, each checked against its checksum. */
  private storedChunks(id: number): AttemptChunk[] {
    if (!this.present) return [];
    const rows = this.db.prepare('SELECT seq, count, first, last, min_second, max_second, data, checksum FROM history_chunks WHERE import_id = ? ORDER BY seq').all(id) as ChunkRow[];
    return rows.map((row, position) => {
      if (row.seq !== position) throw this.damaged(id, row.seq);
      return this.checked(id, row);
    });
  }

  /** A stored chunk, checked against its checksum. */
  private checked(id: number, row: ChunkRow): AttemptChunk {
    const chunk: AttemptChunk = { count: row.count, first: row.first, last: row.last, minSecond: row.min_second, maxSecond: row.max_second, data: row.data };
    if (!attemptChunkChecksum(scope(id), row.seq, chunk).equals(row.checksum)) throw this.damaged(id, row.seq);
    return chunk;
  }

  private insertChunk(): (id: number, seq: number, chunk: AttemptChunk) => void {
    const statement = this.db.prepare('INSERT INTO history_chunks(import_id, seq, count, first, last, min_second, max_second, data, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    return (id, seq, chunk) => {
      statement.run(id, seq, chunk.count, chunk.first, chunk.last, chunk.minSecond, chunk.maxSecond, chunk.data, attemptChunkChecksum(scope(id), seq, chunk));
    };
  }

  private damaged(id: number, seq: number): CallscrubError {
    return new CallscrubError('database', `the call history is damaged in the registry (${id === merged ? 'the merged history' : `import ${id}`}, chunk ${seq + 1}): it cannot be used`, {
      file: this.path,
      hint: 'restore the registry from a backup',
    });
  }
}

function scope(id: number): string {
  return `history ${id}`;
}
