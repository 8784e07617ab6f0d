// The lists a scrub uses, pinned in memory at one version each, and what they say of one phone number: listed,
// exempt, internal, unscreened or callable. Pure lookups: binary search in sorted arrays.

import { indexOf as find, noDate, type NumberSet } from '../registry/number-set.js';
import type { ListKind } from '../registry/store.js';

export interface PinnedList {
  readonly name: string;
  readonly kind: ListKind;
  readonly version: number;
  readonly asOf: string;
  readonly numbersTotal: number;
  readonly logicalSha256: string;
  readonly covers: readonly string[];
  readonly set: NumberSet;
}

export type NumberStatus = 'callable' | 'exempt' | 'listed' | 'internal' | 'unscreened';

export interface Screened {
  readonly status: NumberStatus;
  /** The list that decided (listed, internal, exempt). */
  readonly list?: PinnedList;
}

const callable: Screened = Object.freeze({ status: 'callable' });
const unscreened: Screened = Object.freeze({ status: 'unscreened' });

export class Screening {
  private readonly opposition: PinnedList[];
  private readonly internal: PinnedList[];
  private readonly exempt: PinnedList[];
  /** Coverage prefixes of the opposition lists, by length. */
  private readonly covers: Array<Set<string>>;

  /** `scrubDay`: the scrub date as a day number; internal entries and exemptions ending before it are over. */
  constructor(
    lists: readonly PinnedList[],
    private readonly scrubDay: number,
  ) {
    this.opposition = lists.filter((l) => l.kind === 'opposition');
    this.internal = lists.filter((l) => l.kind === 'internal');
    this.exempt = lists.filter((l) => l.kind === 'exempt');
    this.covers = [];
    for (const list of this.opposition) {
      for (const prefix of list.covers) (this.covers[prefix.length] ??= new Set()).add(prefix);
    }
  }

  /**
   * What the lists say of a number, given as the E.164 digit values of every form it may take (the number and its
   * alternates). An internal entry in force wins over everything; a listed number is exempt only while a contract
   * is in force; a number no opposition list covers is unscreened.
   */
  check(forms: readonly number[]): Screened {
    for (const list of this.internal) if (this.inForce(list, forms)) return { status: 'internal', list };
    for (const list of this.opposition) {
      if (forms.some((value) => find(list.set, value) >= 0)) {
        for (const exempt of this.exempt) if (this.inForce(exempt, forms)) return { status: 'exempt', list: exempt };
        return { status: 'listed', list };
      }
    }
    return this.covered(forms[0] as number) ? callable : unscreened;
  }

  private inForce(list: PinnedList, forms: readonly number[]): boolean {
    for (const value of forms) {
      const at = find(list.set, value);
      if (at < 0) continue;
      const until = list.set.until?.[at] ?? noDate;
      if (until >= this.scrubDay) return true;
    }
    return false;
  }

  private covered(value: number): boolean {
    const digits = String(value);
    for (let length = 1; length < this.covers.length; length++) {
      if (this.covers[length]?.has(digits.slice(0, length))) return true;
    }
    return false;
  }
}
