// The lists a scrub uses, pinned in memory at one version each, and what they say of one phone number: listed,
// exempt, internal, unscreened or callable, and where consent is required, consented or not. Pure lookups: bucketed
// searches in sorted arrays, or in a national list's compact chunks.

import { dayToDate } from '../dates.js';
import { coverageRanges, covered } from '../numbers/coverage.js';
import { CompactLookup, isCompact, type CompactSet } from '../numbers/compact.js';
import { noDate, type NumberSet } from '../numbers/set.js';
import { SortedIndex } from '../numbers/sorted-index.js';
import { consentState, consentWhy, type ConsentState } from '../registry/consent-records.js';
import type { ListKind } from '../registry/records.js';

export interface PinnedList {
  readonly name: string;
  readonly kind: ListKind;
  readonly version: number;
  readonly asOf: string;
  readonly numbersTotal: number;
  readonly logicalSha256: string;
  readonly covers: readonly string[];
  /** Opposition lists: the oldest a version may be on the scrub date, in days (the list's setting then). */
  readonly maxAgeDays?: number | null;
  /** Consent lists: how old a consent may be on the scrub date (null: any age). */
  readonly consentMaxAgeDays: number | null;
  /** Consent lists: the digest of the version's evidence, recorded at its import (see EvidenceDigest). */
  readonly evidenceSha256?: string | null;
  /**
   * What the list holds (for matching: see matchingSet); an opposition list may be kept compact. Plain typed arrays,
   * most on shared memory: a scrub's worker threads are posted the pinned lists and build their own Screening.
   */
  readonly set: NumberSet | CompactSet;
}

export type NumberStatus = 'callable' | 'exempt' | 'listed' | 'internal' | 'unscreened' | 'consented' | 'no-consent';

export interface Screened {
  readonly status: NumberStatus;
  /** The list that decided (listed, internal, exempt, consented; no-consent: the consent list that held an ended one). */
  readonly list?: PinnedList;
  /** No-consent: why, for the row's detail (`withdrawn on 2026-10-02`). */
  readonly why?: string;
  /** A consent in force held for a listed number: it made the number callable (override) or was beaten by the listing. */
  readonly consent?: { readonly list: PinnedList; readonly overrode: boolean };
}

/** Where consent is required (calling codes), and whether a consent beats an opposition listing. */
export interface ConsentRule {
  readonly codes: readonly string[];
  readonly overridesOpposition: boolean;
}

const callable: Screened = Object.freeze({ status: 'callable' });
const unscreened: Screened = Object.freeze({ status: 'unscreened' });
const noConsent: Screened = Object.freeze({ status: 'no-consent', why: 'no consent' });
const noConsentForAReading: Screened = Object.freeze({ status: 'no-consent', why: 'no consent for another number it may be (an 08/09 number of the mainland or overseas)' });


/** What screening asks of an opposition list: whether it holds a number. */
interface Membership {
  has(value: number): boolean;
}

interface IndexedList {
  readonly list: PinnedList;
  readonly set: NumberSet;
  readonly index: SortedIndex;
}

export class Screening {
  private readonly opposition: Array<{ readonly list: PinnedList; readonly members: Membership }>;
  private readonly internal: IndexedList[];
  private readonly exempt: IndexedList[];
  /** Consent lists, each entry's state on the scrub day worked out once (see consentStates). */
  private readonly consent: Array<IndexedList & { readonly states: Uint8Array }>;
  /** What the opposition lists cover, as sorted ranges of E.164 values [low, high). */
  private readonly coveredRanges: Float64Array;
  /** Where a consent is required, as ranges like `coveredRanges`; empty: nowhere. */
  private readonly consentRanges: Float64Array;
  private readonly overridesOpposition: boolean;
  /** One answer per consent list for a consented number, made once. */
  private readonly consented = new Map<PinnedList, Screened>();

  /** `scrubDay`: the scrub date as a day number; internal entries and exemptions ending before it are over. */
  constructor(
    /** What it was made from (a worker thread makes its own from them: see shared-judges.ts). */
    readonly lists: readonly PinnedList[],
    readonly scrubDay: number,
    readonly rule: ConsentRule = { codes: [], overridesOpposition: false },
  ) {
    const indexed = (kind: ListKind) =>
      lists
        .filter((l) => l.kind === kind)
        .map((list) => {
          const set = decoded(list);
          return { list, set, index: new SortedIndex(set.numbers) };
        });
    this.opposition = lists.filter((l) => l.kind === 'opposition').map((list) => ({ list, members: isCompact(list.set) ? new CompactLookup(list.set) : new SortedIndex(list.set.numbers) }));
    this.internal = indexed('internal');
    this.exempt = indexed('exempt');
    this.consent = indexed('consent').map((c) => ({ ...c, states: consentStates(c, scrubDay) }));
    this.coveredRanges = coverageRanges(this.opposition.flatMap((o) => o.list.covers));
    this.consentRanges = coverageRanges(rule.codes);
    this.overridesOpposition = rule.overridesOpposition;
    for (const { list } of this.consent) this.consented.set(list, Object.freeze({ status: 'consented', list }));
  }

  /**
   * What the lists say of a number, given as the E.164 digit values of every form it may take (the number and its
   * alternates). An internal entry in force wins over everything; a listed number is exempt only while a contract
   * is in force, and consented only if a consent overrides a listing; where consent is required, a number is
   * callable only with a consent or a contract in force; a number no opposition list covers is unscreened.
   */
  check(forms: readonly number[]): Screened {
    for (const internal of this.internal) if (this.inForce(internal, forms)) return { status: 'internal', list: internal.list };
    for (const { list, members } of this.opposition) if (containsAny(members, forms)) return this.listedOrExempt(list, forms);
    const value = forms[0] as number;
    // Consent is required when any number it may be is in a code that requires it (`09 39...` may be +262).
    if (this.consentRanges.length > 0 && forms.some((form) => covered(this.consentRanges, form))) {
      for (const exempt of this.exempt) if (this.inForceOne(exempt, value)) return { status: 'exempt', list: exempt.list };
      return this.consentOf(forms);
    }
    return covered(this.coveredRanges, value) ? callable : unscreened;
  }

  /**
   * A contract exempts a listed number only under every reading it is listed under, each on the exempt list as
   * published there: an exemption makes a number callable, so it never rests on a guess. A consent in force beats
   * the listing only when the rule says so (the US and Italian rule); either way it is reported.
   */
  private listedOrExempt(listedBy: PinnedList, forms: readonly number[]): Screened {
    const listed = forms.filter((value) => this.opposition.some(({ members }) => members.has(value)));
    const exemptBy = this.exempt.find((e) => listed.every((value) => this.inForceOne(e, value)));
    if (exemptBy !== undefined) return { status: 'exempt', list: exemptBy.list };
    const consent = this.consent.length === 0 ? undefined : this.consentOf(forms);
    if (consent?.status !== 'consented') return { status: 'listed', list: listedBy };
    const consentList = consent.list as PinnedList;
    if (this.overridesOpposition) return { status: 'consented', list: consentList, consent: { list: listedBy, overrode: true } };
    return { status: 'listed', list: listedBy, consent: { list: consentList, overrode: false } };
  }

  /**
   * Whether the consent lists hold a consent in force for the number under every reading it may take (a consent
   * makes a number callable: an ambiguous 08/09 number needs one for each number it may be, each as the ledger gave
   * it). A withdrawal in any list in use wins over a consent in another: the consumer withdrew. If none, why.
   */
  private consentOf(forms: readonly number[]): Screened {
    let inForce: PinnedList | undefined;
    let ended: { list: PinnedList; state: ConsentState & { inForce: false } } | undefined;
    let missing = -1;
    for (let f = 0; f < forms.length; f++) {
      const value = forms[f] as number;
      let held = false;
      for (const { list, set, index, states } of this.consent) {
        const at = index.find(value);
        if (at < 0) continue;
        const state = states[at] as number;
        if (state === inForceState) {
          held = true;
          inForce ??= list;
          continue;
        }
        const ended_ = this.stateOf(list, set, at);
        if (state === withdrawnState) return { status: 'no-consent', list, why: describeEnded(ended_, list.consentMaxAgeDays) };
        ended ??= { list, state: ended_ };
      }
      if (!held && missing < 0) missing = f;
    }
    if (missing < 0) return this.consented.get(inForce as PinnedList) as Screened;
    if (ended !== undefined) return { status: 'no-consent', list: ended.list, why: describeEnded(ended.state, ended.list.consentMaxAgeDays) };
    return missing === 0 ? noConsent : noConsentForAReading;
  }

  /** Why the consent at `at` is not in force (it is not). */
  private stateOf(list: PinnedList, set: NumberSet, at: number): ConsentState & { inForce: false } {
    return consentState(set.granted?.[at] as number, set.until?.[at] as number, set.expires?.[at] as number, this.scrubDay, list.consentMaxAgeDays) as ConsentState & { inForce: false };
  }

  private inForceOne({ set, index }: IndexedList, value: number): boolean {
    const at = index.find(value);
    return at >= 0 && (set.until?.[at] ?? noDate) >= this.scrubDay;
  }

  private inForce(list: IndexedList, forms: readonly number[]): boolean {
    for (const value of forms) if (this.inForceOne(list, value)) return true;
    return false;
  }
}

/** A consent's state on the scrub day: in force, withdrawn (wins over a consent in another list), or over otherwise. */
const inForceState = 0;
const withdrawnState = 1;
const overState = 2;

/** Each consent's state on the scrub day, worked out once for all the rows: a lookup then reads one byte, not three dates. */
function consentStates({ list, set }: IndexedList, day: number): Uint8Array {
  const { granted, until, expires } = set;
  const states = new Uint8Array(set.numbers.length);
  if (granted === undefined || until === undefined || expires === undefined) return states.fill(overState);
  for (let i = 0; i < states.length; i++) {
    const why = consentWhy(granted[i] as number, until[i] as number, expires[i] as number, day, list.consentMaxAgeDays);
    states[i] = why === 'in-force' ? inForceState : why === 'withdrawn' ? withdrawnState : overState;
  }
  return states;
}

/** Why a consent held is not in force, for a row's detail: its dates, never its evidence. */
function describeEnded(state: ConsentState & { inForce: false }, maxAgeDays: number | null): string {
  const day = dayToDate(state.since);
  if (state.why === 'withdrawn') return `withdrawn on ${day}`;
  if (state.why === 'expired') return `expired on ${day}`;
  if (state.why === 'too-old') return `given on ${day}, older than the ${maxAgeDays}-day maximum`;
  return `given after the scrub date, on ${day}`;
}

function containsAny(members: Membership, forms: readonly number[]): boolean {
  for (const value of forms) if (members.has(value)) return true;
  return false;
}

/** Only opposition lists are kept compact: the others carry dates a lookup reads. */
function decoded(list: PinnedList): NumberSet {
  if (isCompact(list.set)) throw new Error(`the ${list.kind} list '${list.name}' was pinned compact`);
  return list.set;
}
