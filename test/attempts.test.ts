// Call attempts in memory and stored (issue 11): sorting a block counts the rows of one instant, merging sums a log's
// own repeats and keeps the larger count against the stored history, and both chunk layouts (compact for imports,
// grouped for the merged history) give back what was written, whichever way they are read.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttemptChunkWriter, decodeColumns, groupedView, type AttemptChunk, type ChunkLayout } from '../src/numbers/attempt-chunks.js';
import { AttemptCollector, AttemptParts, GroupedBuilder, mergeAttempts, RunCursor, sortBlock, type AttemptRun, type GroupedAttempts } from '../src/numbers/attempts.js';

type Row = [number, number, 0 | 1];

function sortedRun(rows: Row[]): AttemptRun {
  return sortBlock(Float64Array.from(rows, (r) => r[0]), Uint32Array.from(rows, (r) => r[1]), Uint8Array.from(rows, (r) => r[2]));
}

function entries(run: { numbers: Float64Array; seconds: Uint32Array; refusals: Uint8Array; counts: Uint8Array }): Array<[number, number, number, number]> {
  return Array.from(run.numbers, (value, i) => [value, run.seconds[i] as number, run.refusals[i] as number, run.counts[i] as number]);
}

const rows = fc.array(fc.tuple(fc.integer({ min: 33600000000, max: 33600000040 }), fc.integer({ min: 1_700_000_000, max: 1_700_000_010 }), fc.constantFrom<0 | 1>(0, 1)), { maxLength: 400 });

describe('a block of rows', () => {
  it('sorts by number then instant, and counts the rows of one instant as that many calls, refused if any was', () => {
    const run = sortedRun([
      [33612345678, 20, 0],
      [33612345678, 10, 0],
      [33612345678, 20, 1],
      [33600000000, 30, 0],
      [33612345678, 20, 0],
    ]);
    expect(entries(run)).toEqual([
      [33600000000, 30, 0, 1],
      [33612345678, 10, 0, 1],
      [33612345678, 20, 1, 3],
    ]);
  });
});

describe('merging', () => {
  it("sums one log's blocks, keeps the larger count against the stored history, and says what it held", () => {
    const stored = sortedRun([[1, 10, 0], [1, 10, 0], [2, 10, 0]]);
    const blockA = sortedRun([[1, 10, 0], [2, 10, 1]]);
    const blockB = sortedRun([[1, 10, 0], [3, 5, 0]]);
    const out: unknown[] = [];
    mergeAttempts([new RunCursor(stored), new RunCursor(blockA), new RunCursor(blockB)], true, (...args) => out.push(args));
    expect(out).toEqual([
      [1, 10, 0, 2, { refusal: 0, count: 2 }], // the log's two rows are the history's two calls
      [2, 10, 1, 1, { refusal: 0, count: 1 }],
      [3, 5, 0, 1, undefined],
    ]);
    const union: unknown[] = [];
    mergeAttempts([new RunCursor(stored), new RunCursor(blockA)], false, (...args) => union.push(args.slice(0, 4)));
    expect(union).toEqual([[1, 10, 0, 2], [2, 10, 1, 1]]);
  });

  it('gives every attempt once, whatever the blocks, for any rows (property)', () => {
    fc.assert(
      fc.property(rows, (list) => {
        const collector = new AttemptCollector();
        for (const [value, second, refusal] of list) collector.push(value, second, refusal === 1);
        const out: Array<[number, number, number, number]> = [];
        mergeAttempts(collector.runs().map((r) => new RunCursor(r)), true, (value, second, refusal, count) => out.push([value, second, refusal, count]));
        expect(out).toEqual(entries(sortedRun(list)));
      }),
    );
  });
});

describe('stored chunks', () => {
  function write(list: Row[], layout: ChunkLayout, size: number): AttemptChunk[] {
    const chunks: AttemptChunk[] = [];
    const writer = new AttemptChunkWriter((chunk) => chunks.push(chunk), size, layout);
    const run = sortedRun(list);
    entries(run).forEach(([value, second, refusal, count]) => writer.add(value, second, refusal, count));
    writer.flush();
    return chunks;
  }

  it.each(['compact', 'grouped'] as const)('%s: give back what was written, read as columns or grouped', (layout) => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 64 }), (list, size) => {
        const chunks = write(list, layout, size);
        const expected = entries(sortedRun(list));
        expect(chunks.flatMap((chunk) => entries(decodeColumns(chunk)))).toEqual(expected);
        // Grouped chunks are viewed as they are, one part each; compact ones decoded and grouped.
        const parts: GroupedAttempts[] = chunks.map((chunk) => {
          const view = groupedView(chunk);
          if (view !== undefined) return view;
          expect(layout).toBe('compact');
          const columns = decodeColumns(chunk);
          const builder = new GroupedBuilder(0);
          for (let i = 0; i < chunk.count; i++) builder.add(columns.numbers[i] as number, columns.seconds[i] as number, columns.refusals[i] as number, columns.counts[i] as number);
          return builder.finish();
        });
        // Every number once, with all its attempts, even when they run across chunks; and found by lookup.
        const history = new AttemptParts(parts);
        const flat: number[][] = [];
        history.forEach((value, a) => {
          for (let i = a.start; i < a.end; i++) flat.push([value, a.seconds[i] as number, a.refusals[i] as number, a.counts[i] as number]);
          const found = history.find(value);
          expect(found === undefined ? [] : Array.from(found.seconds.subarray(found.start, found.end))).toEqual(Array.from(a.seconds.subarray(a.start, a.end)));
        });
        expect(flat).toEqual(expected);
        for (const absent of [33599999999, 33600000041]) expect(history.find(absent)).toBeUndefined();
      }),
    );
  });

  it('refuses a grouped chunk whose blob does not add up', () => {
    const [chunk] = write([[33612345678, 10, 0], [33612345679, 10, 0]], 'grouped', 8) as [AttemptChunk];
    const cut = { ...chunk, data: chunk.data.subarray(0, chunk.data.length - 1) };
    expect(() => decodeColumns(cut)).toThrow(/wrong length/);
  });
});
