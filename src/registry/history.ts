// A list's history read from its versions: every version after the first records what it added and removed, so
// undoing those changes on the newest snapshot gives any retained version, and the additions say since when a
// number has been listed. `registry prune` drops the changes older versions need, which stop being replayable.

import { undo } from '../numbers/changes.js';
import type { NumberSet } from '../numbers/set.js';

interface InHistory {
  readonly version: number;
  readonly replayable: boolean;
}

/** One stored part of a version; `checked` is false when some chunk of it has no checksum (schema 1). */
export interface StoredPart {
  readonly set: NumberSet;
  readonly checked: boolean;
}

/**
 * The numbers of `target`, by undoing on the newest version's snapshot the changes of every later version than
 * `target` (`versions` in order, the newest last), newest first.
 */
export function rebuild<V extends InHistory>(
  versions: readonly V[],
  target: V,
  snapshot: StoredPart,
  changes: (version: V) => { added: StoredPart; removed: StoredPart },
): StoredPart {
  let { set, checked } = snapshot;
  for (let i = versions.length - 1; versions[i] !== target; i--) {
    const { added, removed } = changes(versions[i] as V);
    checked &&= added.checked && removed.checked;
    set = undo(set, added.set, removed.set);
  }
  return { set, checked };
}

/**
 * Since which version a number of the newest version has been listed without a break: the newest version that
 * added it (version 1 records no additions, so reaching it means "since 1"). `exact` is false when pruned history
 * hides where the run began: it began at `since` or earlier.
 */
export function listedSince<V extends InHistory>(versions: readonly V[], addedIn: (version: V) => boolean): { since: V; exact: boolean } {
  let since = versions[versions.length - 1] as V;
  for (let i = versions.length - 1; i > 0; i--) {
    const previous = versions[i - 1] as V;
    // Pruned history: the changes that would tell are gone.
    if (!previous.replayable) return { since, exact: false };
    if (addedIn(versions[i] as V)) break;
    since = previous;
  }
  return { since, exact: true };
}

/** The version in force at `cutoff` (an ISO time): the newest imported at or before it. */
export function inForceAt<V extends { readonly importedAt: string }>(versions: readonly V[], cutoff: string): V | undefined {
  return versions.filter((v) => v.importedAt <= cutoff).pop();
}
