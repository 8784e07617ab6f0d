// Set algebra on sorted number sets: what changed between two versions, and a version rebuilt from another and
// its changes. Each is one merge over the sorted typed arrays.

import { NumberSetBuilder } from './builder.js';
import { blockSize, blocksOf, type Block, type SortedEntries } from './entries.js';
import { emptySet, indexOf, noDate, type NumberSet } from './set.js';

export interface SetDiff {
  /** Entries in `next` and not in `previous` (a changed date counts as added and removed). */
  readonly added: NumberSet;
  readonly removed: NumberSet;
}

/**
 * What changes from `previous` to `next`, in one merge over the sorted typed arrays (millions of numbers in a few
 * tens of milliseconds). For dated sets a number whose date changed counts as removed and added.
 */
export function diff(previous: NumberSet, next: NumberSet): SetDiff {
  const p = previous.numbers;
  const q = next.numbers;
  const pDays = previous.until;
  const qDays = next.until;
  const dated = pDays !== undefined || qDays !== undefined;
  if (p.length === 0) return { added: next, removed: dated ? { numbers: new Float64Array(0), until: new Int32Array(0) } : emptySet };
  const added = new Float64Array(q.length);
  const removed = new Float64Array(p.length);
  const addedDays = dated ? new Int32Array(q.length) : undefined;
  const removedDays = dated ? new Int32Array(p.length) : undefined;
  let na = 0;
  let nr = 0;
  let i = 0;
  let j = 0;
  const remove = (k: number): void => {
    if (removedDays !== undefined) removedDays[nr] = pDays?.[k] ?? noDate;
    removed[nr++] = p[k] as number;
  };
  const add = (k: number): void => {
    if (addedDays !== undefined) addedDays[na] = qDays?.[k] ?? noDate;
    added[na++] = q[k] as number;
  };
  while (i < p.length && j < q.length) {
    const a = p[i] as number;
    const b = q[j] as number;
    if (a === b) {
      if (dated && (pDays?.[i] ?? noDate) !== (qDays?.[j] ?? noDate)) {
        remove(i);
        add(j);
      }
      i++;
      j++;
    } else if (a < b) remove(i++);
    else add(j++);
  }
  while (i < p.length) remove(i++);
  while (j < q.length) add(j++);
  const part = (numbers: Float64Array, days: Int32Array | undefined, n: number): NumberSet =>
    days === undefined ? { numbers: numbers.slice(0, n) } : { numbers: numbers.slice(0, n), until: days.slice(0, n) };
  return { added: part(added, addedDays, na), removed: part(removed, removedDays, nr) };
}

/** `base` with `plus` added (its dates win) and `minus` taken away, matching by number. */
export function apply(base: NumberSet, plus: NumberSet, minus: NumberSet): NumberSet {
  const dated = base.until !== undefined || plus.until !== undefined;
  const out = new NumberSetBuilder(dated);
  const b = base.numbers;
  const a = plus.numbers;
  let i = 0;
  let j = 0;
  while (i < b.length || j < a.length) {
    const x = i < b.length ? (b[i] as number) : Infinity;
    const y = j < a.length ? (a[j] as number) : Infinity;
    if (y <= x) {
      out.add(y, plus.until?.[j]);
      j++;
      if (x === y) i++;
    } else {
      if (indexOf(minus, x) < 0) out.add(x, base.until?.[i]);
      i++;
    }
  }
  return out.finishSorted();
}

/** `set` without the numbers of `minus`. */
export function subtract(set: NumberSet, minus: NumberSet): NumberSet {
  return apply(set, emptySet, minus);
}

/** The previous version's set from this one and this version's changes. */
export function undo(set: NumberSet, added: NumberSet, removed: NumberSet): NumberSet {
  return apply(subtract(set, added), removed, emptySet);
}

export type CombineMode = 'full' | 'add' | 'remove';

/** A new version's entries, and what it adds to and removes from the previous one. */
export interface Combined {
  readonly next: SortedEntries;
  readonly added: SortedEntries;
  readonly removed: SortedEntries;
}

/**
 * The version a file makes of the previous one, read a block at a time (an import streams it from the registry):
 * `full` replaces it with the file, `add` adds the file's entries (their dates win), `remove` takes them away; with
 * what changed, as `diff` counts it, in the same merge. The file's entries are `file`, sorted.
 */
export function combine(previous: Iterable<Block>, file: SortedEntries, mode: CombineMode): Combined {
  const dated = file.dateColumns > 0;
  const olds = previous[Symbol.iterator]();
  let old = olds.next();
  while (old.done !== true && old.value.numbers.length === 0) old = olds.next();
  if (old.done === true) {
    const none = new NumberSetBuilder(dated).finishSortedEntries();
    return mode === 'remove' ? { next: none, added: none, removed: none } : { next: file, added: file, removed: none };
  }
  const next = mode === 'add' ? new NumberSetBuilder(dated, file.length + blockSize) : mode === 'remove' ? new NumberSetBuilder(dated, 1 << 16) : undefined;
  const added = new NumberSetBuilder(dated);
  const removed = new NumberSetBuilder(dated);
  const news = blocksOf(file);
  let fresh = news.next();
  let i = 0;
  let j = 0;
  // What becomes of an entry of the previous version that the file does not hold, and of one the file holds.
  const keepOld = mode !== 'full';
  const takeNew = mode !== 'remove';
  for (;;) {
    const a = old.done === true ? undefined : old.value;
    const b = fresh.done === true ? undefined : fresh.value;
    if (a === undefined && b === undefined) break;
    if (a !== undefined && i === a.numbers.length) {
      old = olds.next();
      i = 0;
      continue;
    }
    if (b !== undefined && j === b.numbers.length) {
      fresh = news.next();
      j = 0;
      continue;
    }
    const x = a === undefined ? Infinity : (a.numbers[i] as number);
    const y = b === undefined ? Infinity : (b.numbers[j] as number);
    if (x < y) {
      const day = a?.until?.[i] ?? noDate;
      if (keepOld) next?.add(x, day);
      else removed.add(x, day);
      i++;
    } else if (y < x) {
      if (takeNew) {
        const day = b?.until?.[j] ?? noDate;
        next?.add(y, day);
        added.add(y, day);
      }
      j++;
    } else {
      const oldDay = a?.until?.[i] ?? noDate;
      const newDay = b?.until?.[j] ?? noDate;
      if (!takeNew) removed.add(x, oldDay);
      else {
        next?.add(y, newDay);
        if (oldDay !== newDay) {
          removed.add(x, oldDay);
          added.add(y, newDay);
        }
      }
      i++;
      j++;
    }
  }
  return { next: next?.finishSortedEntries() ?? file, added: added.finishSortedEntries(), removed: removed.finishSortedEntries() };
}
