// What a consent ledger records of one number, and the rules that make it one entry: the latest grant counts, a
// withdrawal dated on or after it ends it, a withdrawal is kept even without a grant (it ends any grant before it),
// and a consent is in force on a day when it was given on or before that day, not withdrawn on or before it, not
// expired, and not older than the list allows. Pure: texts and day numbers.

import { createHash, hash } from 'node:crypto';
import { dayOf } from '../dates.js';
import { noDate, type NumberSet } from '../numbers/set.js';

/** The evidence of one entry as the ledger gave it: stored in the registry, never written to a report or a log. */
export interface Evidence {
  /** The date or instant the consent was given, as written (ISO 8601); null: a withdrawal without a consent. */
  readonly granted: string | null;
  /** How and where it was collected (a form's URL, a supplier, a recorded call). */
  readonly source: string | null;
  /** A reference to the evidence (a record id, a URL, a file's SHA-256). */
  readonly proof: string | null;
  /** The brand or purpose consented to. */
  readonly scope: string | null;
  /** The date the consent was withdrawn, as written (or the import's date, see `note`). */
  readonly withdrawn: string | null;
  /** The date the consent expires (not in force from that day), as written. */
  readonly expires: string | null;
  /** Why callscrub recorded a withdrawal the ledger did not date (`line 12: withdrawal 'oui' has no date`). */
  readonly note: string | null;
  /**
   * The latest withdrawal recorded for the number, when it is not `withdrawn` (one before a later grant, or after
   * the withdrawal that ended it): kept so that no grant dated before it can ever make the number callable again.
   */
  readonly lastWithdrawn: string | null;
}

/** One entry: its evidence and the days screening uses. */
export interface Consent {
  readonly evidence: Evidence;
  /** `noDate` for a withdrawal without a consent: never in force. */
  readonly grantedDay: number;
  /** Milliseconds since 1970 of the grant (its day's start, UTC, for a date without a time): orders two grants. */
  readonly grantedAt: number;
  /** `noDate`: not withdrawn, never expires. */
  readonly withdrawnDay: number;
  readonly expiresDay: number;
}

/** The limits a ledger's dates are checked against: its --as-of day, and the instant of the import. */
export interface ConsentLimits {
  readonly asOfDay: number;
  readonly importedAt: number;
}

/** No limit: for evidence already checked at its import. */
const noLimits: ConsentLimits = { asOfDay: Number.MAX_SAFE_INTEGER, importedAt: Number.MAX_VALUE };

/** A grant before this day is a placeholder (1970-01-01, 1900-01-01), not a consent. */
const earliestGrant = dayOf('2000-01-01') as number;

// 2026-03-04 (or 2026/03/04, as Gnumeric writes it), or an instant: 2026-03-04T10:15, 2026-03-04 10:15:00.123+01:00.
const isoDateOrInstant = /^(\d{4})([-/])(\d{2})\2(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * A consent date (`YYYY-MM-DD` or an ISO 8601 instant): its calendar day as written, its day in UTC (the same for a
 * date), and its instant; undefined if not one. A day as written and a day in UTC may differ by one: a grant counts
 * from the later, a withdrawal or expiry from the earlier.
 */
export function readConsentDate(text: string): { day: number; utcDay: number; at: number } | undefined {
  const match = isoDateOrInstant.exec(text);
  if (match === null) return undefined;
  const day = dayOf(`${match[1]}-${match[3]}-${match[4]}`);
  if (day === undefined) return undefined;
  if (match[5] === undefined) return { day, utcDay: day, at: day * 86_400_000 };
  const [hours, minutes, seconds] = [Number(match[5]), Number(match[6]), Number(match[7] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const zone = match[8];
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
    if (Math.abs(offsetMinutes) > 18 * 60) return undefined;
  }
  const at = day * 86_400_000 + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000;
  return { day, utcDay: Math.floor(at / 86_400_000), at };
}

/** The day a withdrawal or an expiry takes effect: the earlier of its day as written and in UTC. */
function endDay(text: string | null): number | undefined | 'unreadable' {
  if (text === null) return undefined;
  const read = readConsentDate(text);
  return read === undefined ? 'unreadable' : Math.min(read.day, read.utcDay);
}

/** The day a withdrawal written `text` takes effect; undefined when it is not a date, or is after the limits. */
export function withdrawalDay(text: string, limits: ConsentLimits): number | undefined {
  const day = endDay(text);
  return day === undefined || day === 'unreadable' || day > limits.asOfDay ? undefined : day;
}

/**
 * Why a record cannot give a consent (a reject reason), or what it gives: a consent, or (no grant, a withdrawal) a
 * withdrawal alone.
 */
export function consentOf(evidence: Evidence, limits: ConsentLimits = noLimits, stored = false): Consent | string {
  const withdrawn = endDay(evidence.withdrawn);
  const expires = endDay(evidence.expires);
  if (withdrawn === 'unreadable' || expires === 'unreadable') return 'bad-date';
  if (withdrawn !== undefined && withdrawn > limits.asOfDay) return 'withdrawn-after-as-of';
  if (evidence.granted === null) {
    if (withdrawn === undefined) return 'missing-granted';
    return { evidence: { ...evidence, expires: null }, grantedDay: noDate, grantedAt: -Infinity, withdrawnDay: withdrawn, expiresDay: noDate };
  }
  if (evidence.source === null) return 'missing-source';
  if (evidence.proof === null) return 'missing-proof';
  const granted = readConsentDate(evidence.granted);
  if (granted === undefined) return 'bad-date';
  // Checked against the later of its two days (written, UTC), aged from the earlier: the cautious way both times.
  const latest = Math.max(granted.day, granted.utcDay);
  if (latest < earliestGrant) return 'implausible-date';
  if (latest > limits.asOfDay || granted.at > limits.importedAt) return 'granted-after-as-of';
  // A stored entry may pair a grant with a withdrawal of its own day as the grant's earlier day reads it (two
  // records combined): only a record read from a file is held to the order of its dates.
  if (!stored && withdrawn !== undefined && withdrawn < latest) return 'withdrawn-before-granted';
  if (!stored && expires !== undefined && expires < latest) return 'expires-before-granted';
  return { evidence, grantedDay: Math.min(granted.day, granted.utcDay), grantedAt: granted.at, withdrawnDay: withdrawn ?? noDate, expiresDay: expires ?? noDate };
}

/**
 * The entry that several records of one number give, in the order they come (an older ledger's entry first, then a
 * file's lines): the latest grant counts (on the same instant, the one that comes last), with the earliest expiry of
 * the grants of its day; the earliest withdrawal dated on or after its day ends it. Without any grant: the latest
 * withdrawal, which ends any grant dated on or before it that a later import brings.
 */
export function combineConsents(records: readonly Consent[]): Consent {
  const all = records.flatMap(recordsOf);
  const grants = all.filter((r) => r.grantedDay !== noDate);
  // The latest withdrawal of all: remembered, whatever the grants.
  let last: Consent | undefined;
  for (const record of all) if (record.withdrawnDay !== noDate && (last === undefined || record.withdrawnDay >= last.withdrawnDay)) last = record;
  if (grants.length === 0) return last as Consent;
  let latest = grants[0] as Consent;
  for (const record of grants) if (record.grantedAt >= latest.grantedAt) latest = record;
  // Two records of the same day's grant that disagree on its expiry: the earlier expiry.
  for (const record of grants) {
    if (record.grantedDay === latest.grantedDay && record.expiresDay < latest.expiresDay) {
      latest = { ...latest, evidence: { ...latest.evidence, expires: record.evidence.expires }, expiresDay: record.expiresDay };
    }
  }
  let ending: Consent | undefined;
  for (const record of all) {
    if (record.withdrawnDay === noDate || record.withdrawnDay < latest.grantedDay) continue;
    if (ending === undefined || record.withdrawnDay < ending.withdrawnDay) ending = record;
  }
  let entry: Consent = { ...latest, evidence: { ...latest.evidence, withdrawn: null, note: null, lastWithdrawn: null }, withdrawnDay: noDate };
  if (ending !== undefined) entry = withdrawn(entry, ending.evidence.withdrawn as string, ending.withdrawnDay, ending.evidence.note);
  return remember(entry, last);
}

/** The records an entry stands for: itself, and its latest withdrawal when that is another. */
export function recordsOf(entry: Consent): Consent[] {
  const text = entry.evidence.lastWithdrawn;
  if (text === null || entry.grantedDay === noDate) return [entry];
  const day = withdrawalDay(text, noLimits);
  return day === undefined ? [entry] : [{ ...entry, evidence: { ...entry.evidence, lastWithdrawn: null } }, withdrawalOnly(text, day)];
}

/** The withdrawals an entry holds, as withdrawals alone: what a full ledger, which replaces the grants, keeps. */
export function withdrawalsOf(entry: Consent): Consent[] {
  return recordsOf(entry)
    .filter((r) => r.withdrawnDay !== noDate)
    .map((r) => (r.grantedDay === noDate ? r : withdrawalOnly(r.evidence.withdrawn as string, r.withdrawnDay, r.evidence.note)));
}

/** The entry, remembering `last` as its latest withdrawal when that is not the one that ended it. */
function remember(entry: Consent, last: Consent | undefined): Consent {
  if (last === undefined || last.withdrawnDay === entry.withdrawnDay) return entry;
  return { ...entry, evidence: { ...entry.evidence, lastWithdrawn: last.evidence.withdrawn } };
}

/** The entry withdrawn on `day` (written `text`); one withdrawn earlier stays so, and remembers this one if later. */
export function withdrawn(consent: Consent, text: string, day: number, note: string | null = null): Consent {
  if (consent.withdrawnDay <= day) {
    const last = consent.evidence.lastWithdrawn === null ? consent.withdrawnDay : (withdrawalDay(consent.evidence.lastWithdrawn, noLimits) ?? consent.withdrawnDay);
    return day > last ? { ...consent, evidence: { ...consent.evidence, lastWithdrawn: text } } : consent;
  }
  return { ...consent, evidence: { ...consent.evidence, withdrawn: text, note }, withdrawnDay: day };
}

/** A withdrawal without a consent: what a remove file records for a number the ledger holds no consent for. */
export function withdrawalOnly(text: string, day: number, note: string | null = null): Consent {
  return {
    evidence: { granted: null, source: null, proof: null, scope: null, withdrawn: text, expires: null, note, lastWithdrawn: null },
    grantedDay: noDate,
    grantedAt: -Infinity,
    withdrawnDay: day,
    expiresDay: noDate,
  };
}

/** The stored form of the evidence: a JSON array, the same text for the same evidence. */
export function evidenceText(e: Evidence): string {
  return JSON.stringify([e.granted, e.source, e.proof, e.scope, e.withdrawn, e.expires, e.note, e.lastWithdrawn]);
}

/** The evidence from its stored form; undefined when the text is not one (a damaged registry). */
export function parseEvidence(text: string): Evidence | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 8 || !value.every((v) => v === null || typeof v === 'string')) return undefined;
  const [granted, source, proof, scope, withdrawnOn, expires, note, lastWithdrawn] = value as Array<string | null>;
  return { granted, source, proof, scope, withdrawn: withdrawnOn, expires, note, lastWithdrawn } as Evidence;
}

/** Whether a consent is in force on `day`, and if not, why: the day it was withdrawn or expired, or was given. */
export type ConsentState =
  | { readonly inForce: true }
  | { readonly inForce: false; readonly why: 'not-yet-given' | 'withdrawn' | 'expired' | 'too-old'; readonly since: number };

/**
 * In force on `day`: given on or before it, not withdrawn on or before it, `day` before its expiry, and (with a
 * maximum age) given at most `maxAgeDays` days before it. Said as a word, without making an object: a scrub asks it
 * of each of a million consents.
 */
export function consentWhy(grantedDay: number, withdrawnDay: number, expiresDay: number, day: number, maxAgeDays: number | null): 'in-force' | Exclude<ConsentState, { inForce: true }>['why'] {
  // A withdrawal without a consent: never in force.
  if (grantedDay === noDate) return 'withdrawn';
  if (grantedDay > day) return 'not-yet-given';
  if (withdrawnDay <= day) return 'withdrawn';
  if (expiresDay <= day) return 'expired';
  if (maxAgeDays !== null && day - grantedDay > maxAgeDays) return 'too-old';
  return 'in-force';
}

/** The same, with the day it stopped (withdrawn, expired) or the day it was given (not yet given, too old). */
export function consentState(grantedDay: number, withdrawnDay: number, expiresDay: number, day: number, maxAgeDays: number | null): ConsentState {
  const why = consentWhy(grantedDay, withdrawnDay, expiresDay, day, maxAgeDays);
  if (why === 'in-force') return { inForce: true };
  return { inForce: false, why, since: why === 'withdrawn' ? withdrawnDay : why === 'expired' ? expiresDay : grantedDay };
}

/**
 * How many consents an import compares or writes at a time: their evidence is read from the spool in one forward
 * pass per batch (65,536 texts, some 10 MB).
 */
export const consentBatch = 1 << 16;

/** A consent as the registry stores it: the number, the version it was first recorded in, its evidence. */
export interface StoredConsent {
  readonly number: number;
  readonly fromVersion: number;
  readonly evidence: string;
  readonly checksum: Buffer;
}

/**
 * The digest of a consent version's evidence: SHA-256 over one line per consent, `+E164`, a tab, its stored form and
 * a newline, in number order. Recorded with the version and in the signed report, so that the evidence shown later
 * can be proved to be what the registry held when a scrub used it.
 */
export class EvidenceDigest {
  private readonly hash = createHash('sha256');

  add(value: number, evidence: string): void {
    this.hash.update(`+${value}\t${evidence}\n`);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** SHA-256 of a stored consent's number and evidence, checked whenever it is read. */
export function consentChecksum(value: number, evidence: string): Buffer {
  // One-shot: 0.8 µs a consent against 1.3 for createHash, a second in a national ledger's import.
  return hash('sha256', `+${value}\t${evidence}`, 'buffer');
}

/** The days of a consent stored with `evidence`; undefined when its stored form is damaged. */
export function storedConsent(evidence: string): Consent | undefined {
  const parsed = parseEvidence(evidence);
  if (parsed === undefined) return undefined;
  // The dates were checked at import against its limits, and combined there.
  const consent = consentOf(parsed, noLimits, true);
  return typeof consent === 'string' ? undefined : consent;
}

/** Stored consents (in number order) as a set: numbers, withdrawal days (`until`), grant and expiry days. */
export function consentSet(rows: readonly StoredConsent[]): NumberSet | undefined {
  const set = { numbers: new Float64Array(rows.length), until: new Int32Array(rows.length), granted: new Int32Array(rows.length), expires: new Int32Array(rows.length) };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as StoredConsent;
    const consent = storedConsent(row.evidence);
    if (consent === undefined) return undefined;
    set.numbers[i] = row.number;
    set.until[i] = consent.withdrawnDay;
    set.granted[i] = consent.grantedDay;
    set.expires[i] = consent.expiresDay;
  }
  return set;
}
