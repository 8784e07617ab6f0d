// The call history in the registry: append-only imports of the dialer's call log, each keeping the attempts it
// added (an attempt already held adds nothing), and the merged history of every import, made again at each import
// so that a scrub reads one sorted run in number order. Every chunk is checked against its checksum when read, and
// each part (an import's chunks, the merged history's) against the count of chunks and attempts recorded with it: a
// damaged or truncated history stops the work. The history as it stood at any instant is the union of the imports
// made by then, which is how a replay sees only the calls its scrub saw.

import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { CallscrubError } from '../errors.js';
import { attemptChunkChecksum, AttemptChunkWriter, ChunkCursor, decodeColumns, groupedView, type AttemptChunk, type ChunkLayout } from '../numbers/attempt-chunks.js';
import { AttemptParts, GroupedBuilder, mergeAttempts, RunCursor, type AttemptCursor, type AttemptRun, type GroupedAttempts } from '../numbers/attempts.js';

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
  /** Calls the file gave (an ambiguous number gives one for each number it may be). */
  readonly attemptsRead: number;
  /** Calls the history did not hold (at an instant it held, those beyond the count it held). */
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
  /** Calls: every attempt counted as often as the log recorded it at its instant. */
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
   * transaction: the merged history is made again with them, and the import keeps those it added or changed (a
   * refusal, or more calls at an instant, than the history held). Calls before the history's prune cut are left out:
   * pruned calls do not come back with an old log. `dropped` counts them.
   */
  add(record: NewHistoryImport, runs: readonly AttemptRun[], attemptsRead: number, progress?: (done: number) => void): HistoryImport & { dropped: number } {
    // The imports' own chunks are what a replay rebuilds from: an import into a damaged history stops. The merged
    // history is read whole (about eight bytes an attempt) before this import is listed and it is written again.
    this.checkImports();
    const old = this.storedChunks(merged);
    const info = this.db
      .prepare(
        `INSERT INTO history_imports(imported_at, source_name, source_sha256, rows, rejected, attempts_read, attempts_added, refusals_added, settings)
         VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?)`,
      )
      .run(record.importedAt, record.sourceName, record.sourceSha256, record.rows, record.rejected, attemptsRead, JSON.stringify(record.settings));
    const id = Number(info.lastInsertRowid);
    const cut = this.pruning().prunedBefore ?? 0;
    const mergedPart = this.writePart(merged, mergedChunkSize, 'grouped', id);
    const addedPart = this.writePart(id);
    let attemptsAdded = 0;
    let refusalsAdded = 0;
    let dropped = 0;
    let firstSecond = Infinity;
    let lastSecond = -Infinity;
    let done = 0;
    const cursors: AttemptCursor[] = [new ChunkCursor(old[Symbol.iterator]()), ...runs.map((run) => new RunCursor(run))];
    mergeAttempts(cursors, true, (value, second, refusal, count, held) => {
      if (++done % 1_000_000 === 0) progress?.(done);
      if (held === undefined && second < cut) {
        dropped += count;
        return;
      }
      mergedPart.add(value, second, refusal, count);
      // An attempt held already, that this log says was a refusal or holds more calls at, is kept again: a replay of
      // the history as of this import sees it as it is now.
      if (held === undefined || held.refusal < refusal || held.count < count) {
        addedPart.add(value, second, refusal, count);
        attemptsAdded += count - (held?.count ?? 0);
        if (refusal > (held?.refusal ?? 0)) refusalsAdded++;
        if (second < firstSecond) firstSecond = second;
        if (second > lastSecond) lastSecond = second;
      }
    });
    mergedPart.finish();
    const kept = addedPart.finish();
    this.db
      .prepare('UPDATE history_imports SET attempts_added = ?, refusals_added = ?, first_second = ?, last_second = ? WHERE id = ?')
      .run(attemptsAdded, refusalsAdded, kept === 0 ? null : firstSecond, kept === 0 ? null : lastSecond, id);
    return { ...(this.imports().find((i) => i.id === id) as HistoryImport), dropped };
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
      for (let i = 0; i < chunk.count; i++) {
        attempts += columns.counts[i] as number;
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

  /**
   * The merged history, grouped by number: what a scrub judges by. Chunks whose attempts are all at or before
   * `sinceSecond` are left out; a chunk with some later ones comes whole (older attempts change no verdict, and the
   * report's digest counts only the later ones: historyDigest).
   */
  current(sinceSecond: number): AttemptParts {
    const parts: GroupedAttempts[] = [];
    for (const chunk of this.storedChunks(merged)) {
      if (chunk.maxSecond <= sinceSecond) continue;
      // Viewed where SQLite put it: no copy of ten million attempts into arrays of their own.
      let view: GroupedAttempts | undefined;
      try {
        view = groupedView(chunk);
      } catch {
        view = undefined;
      }
      if (view === undefined) throw this.damaged(merged, 'a chunk is not laid out as the merged history is');
      parts.push(view);
    }
    return new AttemptParts(parts);
  }

  /**
   * The merged history's attempts of some numbers only, later than `sinceSecond`: the few chunks that hold them are
   * read, found by the chunks' bounds, each checked, and the merged history's recorded totals checked so that a lost
   * chunk is noticed. For a lookup of a few numbers (callscrub when).
   */
  of(values: readonly number[], sinceSecond: number): AttemptParts {
    if (!this.present) return new AttemptParts([]);
    const bounds = this.db.prepare('SELECT seq, count, first, last FROM history_chunks WHERE import_id = ? ORDER BY seq').all(merged) as Array<{ seq: number; count: number; first: number; last: number }>;
    this.checkTotals(merged, bounds);
    const wanted = new Set(values);
    const seqs = new Set<number>();
    for (const value of wanted) {
      // The first chunk whose last number is not below the value, and the next ones that start with it.
      let lo = 0;
      let hi = bounds.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((bounds[mid] as { last: number }).last < value) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < bounds.length && (bounds[i] as { first: number }).first <= value; i++) seqs.add(i);
    }
    const one = this.db.prepare('SELECT seq, count, first, last, min_second, max_second, data, checksum FROM history_chunks WHERE import_id = ? AND seq = ?');
    const builder = new GroupedBuilder(0);
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const chunk = this.checked(merged, one.get(merged, seq) as ChunkRow);
      if (chunk.maxSecond <= sinceSecond) continue;
      const columns = decodeColumns(chunk);
      for (let i = 0; i < chunk.count; i++) {
        if (wanted.has(columns.numbers[i] as number) && (columns.seconds[i] as number) > sinceSecond) {
          builder.add(columns.numbers[i] as number, columns.seconds[i] as number, columns.refusals[i] as number, columns.counts[i] as number);
        }
      }
    }
    return new AttemptParts([builder.finish()]);
  }

  /**
   * The history as it stood once import `throughId` was committed (imports are numbered in the order they were
   * committed), attempts later than `sinceSecond` only: what a replay judges by. Each import's chunks hold its
   * attempts as they stood after it, so the union takes the larger count of each.
   */
  asOf(throughId: number, sinceSecond: number): { attempts: AttemptParts; imports: number } {
    const imports = this.imports().filter((i) => i.id <= throughId);
    const cursors = imports.map((i) => new ChunkCursor(this.storedChunks(i.id).filter((c) => c.maxSecond > sinceSecond)[Symbol.iterator]()));
    const builder = new GroupedBuilder(0);
    mergeAttempts(cursors, false, (value, second, refusal, count) => {
      if (second > sinceSecond) builder.add(value, second, refusal, count);
    });
    return { attempts: new AttemptParts([builder.finish()]), imports: imports.length };
  }

  /**
   * Drops the attempts before `beforeSecond` from every import and from the merged history, in the caller's write
   * transaction; later imports leave out calls before it too. Scrubs whose windows reached back before it can no
   * longer be replayed. The calls removed from the merged history.
   */
  prune(beforeSecond: number, prunedAt: string): number {
    const previous = this.pruning().prunedBefore;
    const cut = Math.max(previous ?? 0, beforeSecond);
    // A cut before 1970 removes nothing and is no cut.
    if (cut <= 0) return 0;
    let removed = 0;
    for (const id of [merged, ...this.imports().map((i) => i.id)]) {
      const chunks = this.storedChunks(id);
      if (!chunks.some((c) => c.minSecond < cut)) continue;
      const part = id === merged ? this.writePart(id, mergedChunkSize, 'grouped', this.lastImportId()) : this.writePart(id);
      for (const chunk of chunks) {
        const { numbers, seconds, refusals, counts } = decodeColumns(chunk);
        for (let i = 0; i < chunk.count; i++) {
          if ((seconds[i] as number) >= cut) part.add(numbers[i] as number, seconds[i] as number, refusals[i] as number, counts[i] as number);
          else if (id === merged) removed += counts[i] as number;
        }
      }
      part.finish();
    }
    this.db
      .prepare('INSERT INTO history_state(id, pruned_before, pruned_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET pruned_before = excluded.pruned_before, pruned_at = excluded.pruned_at')
      .run(cut, prunedAt);
    return removed;
  }

  /** Reads every chunk of the history and checks it; the number of stored attempts checked. */
  check(): number {
    this.checkOrphans();
    let attempts = 0;
    for (const id of [merged, ...this.imports().map((i) => i.id)]) {
      for (const chunk of this.storedChunks(id)) {
        decodeColumns(chunk);
        attempts += chunk.count;
      }
    }
    return attempts;
  }

  /** Checks every import's chunks against their checksums and recorded totals, without decoding them. */
  checkImports(): void {
    this.checkOrphans();
    for (const i of this.imports()) this.storedChunks(i.id);
  }

  /** Chunks or parts of an import the registry does not list: an import's row was lost. */
  private checkOrphans(): void {
    if (!this.present) return;
    const orphan = this.db
      .prepare(
        'SELECT import_id AS id FROM history_parts WHERE import_id <> 0 AND import_id NOT IN (SELECT id FROM history_imports) UNION SELECT DISTINCT import_id FROM history_chunks WHERE import_id <> 0 AND import_id NOT IN (SELECT id FROM history_imports)',
      )
      .get() as { id: number } | undefined;
    if (orphan !== undefined) throw this.damaged(orphan.id, 'its chunks are stored but the import is not listed');
  }

  /** The chunks stored under an import id, in order, each checked against its checksum, all against the totals recorded. */
  private storedChunks(id: number): AttemptChunk[] {
    if (!this.present) return [];
    const rows = this.db.prepare('SELECT seq, count, first, last, min_second, max_second, data, checksum FROM history_chunks WHERE import_id = ? ORDER BY seq').all(id) as ChunkRow[];
    this.checkTotals(id, rows);
    return rows.map((row) => this.checked(id, row));
  }

  /**
   * Chunks numbered from 0 without a gap, as many, holding as many attempts, with the same bounds, as recorded when
   * they were written; the merged history, that of the last import.
   */
  private checkTotals(id: number, rows: ReadonlyArray<{ seq: number; count: number; first: number; last: number }>): void {
    const recorded = this.db.prepare('SELECT chunks, entries, bounds, through FROM history_parts WHERE import_id = ?').get(id) as
      | { chunks: number; entries: number; bounds: Buffer; through: number | null }
      | undefined;
    rows.forEach((row, position) => {
      if (row.seq !== position) throw this.damaged(id, `chunk ${position + 1} is missing`);
    });
    const entries = rows.reduce((n, r) => n + r.count, 0);
    if ((recorded?.chunks ?? 0) !== rows.length || (recorded?.entries ?? 0) !== entries) {
      throw this.damaged(id, `${rows.length} chunks of ${entries} attempts where ${recorded?.chunks ?? 0} of ${recorded?.entries ?? 0} were written`);
    }
    if (recorded !== undefined && !boundsDigest(rows).equals(recorded.bounds)) throw this.damaged(id, 'the bounds of its chunks are not those written');
    if (id === merged) {
      const last = this.lastImportId();
      if ((recorded?.through ?? 0) !== last) throw this.damaged(id, `it holds the calls up to import ${recorded?.through ?? 0}, and the last import is ${last}`);
    }
  }

  /** The id of the last import (0: none). */
  private lastImportId(): number {
    return (this.db.prepare('SELECT max(id) AS id FROM history_imports').get() as { id: number | null }).id ?? 0;
  }

  /** A stored chunk, checked against its checksum. */
  private checked(id: number, row: ChunkRow): AttemptChunk {
    const chunk: AttemptChunk = { count: row.count, first: row.first, last: row.last, minSecond: row.min_second, maxSecond: row.max_second, data: row.data };
    if (!attemptChunkChecksum(scope(id), row.seq, chunk).equals(row.checksum)) throw this.damaged(id, `chunk ${row.seq + 1} does not match its checksum`);
    return chunk;
  }

  /**
   * Writes an import's chunks (or the merged history's) anew: what it held is deleted, attempts are added in order,
   * and `finish` records how many chunks and attempts were written. The attempts written.
   */
  private writePart(
    id: number,
    chunkSize?: number,
    layout?: ChunkLayout,
    through?: number,
  ): { add(value: number, second: number, refusal: number, count: number): void; finish(): number } {
    this.db.prepare('DELETE FROM history_chunks WHERE import_id = ?').run(id);
    const insert = this.db.prepare('INSERT INTO history_chunks(import_id, seq, count, first, last, min_second, max_second, data, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const bounds: Array<{ seq: number; count: number; first: number; last: number }> = [];
    const writer = new AttemptChunkWriter((chunk) => {
      const seq = bounds.length;
      insert.run(id, seq, chunk.count, chunk.first, chunk.last, chunk.minSecond, chunk.maxSecond, chunk.data, attemptChunkChecksum(scope(id), seq, chunk));
      bounds.push({ seq, count: chunk.count, first: chunk.first, last: chunk.last });
    }, chunkSize, layout);
    return {
      add: (value, second, refusal, count) => writer.add(value, second, refusal, count),
      finish: () => {
        writer.flush();
        this.db
          .prepare(
            'INSERT INTO history_parts(import_id, chunks, entries, bounds, through) VALUES (?, ?, ?, ?, ?) ON CONFLICT(import_id) DO UPDATE SET chunks = excluded.chunks, entries = excluded.entries, bounds = excluded.bounds, through = excluded.through',
          )
          .run(id, bounds.length, writer.written, boundsDigest(bounds), through ?? null);
        return writer.written;
      },
    };
  }

  private damaged(id: number, what: string): CallscrubError {
    return new CallscrubError('database', `the call history is damaged in the registry (${id === merged ? 'the merged history' : `import ${id}`}: ${what}): it cannot be used`, {
      file: this.path,
      hint: 'restore the registry from a backup',
    });
  }
}

/** SHA-256 of the chunks' places and bounds, which lookups trust to find a number's chunk without reading the others. */
function boundsDigest(rows: ReadonlyArray<{ seq: number; count: number; first: number; last: number }>): Buffer {
  const hash = createHash('sha256');
  for (const r of rows) hash.update(`${r.seq} ${r.count} ${r.first} ${r.last}\n`);
  return hash.digest();
}

function scope(id: number): string {
  return `history ${id}`;
}
