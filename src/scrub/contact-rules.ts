// The contact rules a scrub applies (--rules): the call history pinned at the scrub's start, looked up by number, and
// each number's attempts judged by the rule set of its jurisdiction (rules/contact-limits.ts) at one instant. An
// ambiguous 08/09 number is judged under every number it may be, and the strongest verdict stands.

import { createHash } from 'node:crypto';
import type { GroupedAttempts } from '../numbers/attempts.js';
import type { RuleSetName } from '../rules/calling-hours.js';
import { contactLimitsOf, judgeContact, notBlocked, type ContactVerdict } from '../rules/contact-limits.js';
import { isoInZone } from '../rules/local-time.js';
import { timeZonesOf } from '../rules/time-zones.js';
import { SortedIndex } from './screening.js';

export class ContactRules {
  private readonly index: SortedIndex;

  constructor(
    private readonly history: GroupedAttempts,
    readonly rules: readonly RuleSetName[],
    /** The instant judged, in seconds since 1970. */
    readonly atSecond: number,
  ) {
    this.index = new SortedIndex(history.numbers);
  }

  /** The verdict on a number given as every form it may take (see Screening.check), at `atSecond` (default: the scrub's). */
  check(forms: readonly number[], atSecond = this.atSecond): ContactVerdict {
    let verdict = notBlocked;
    for (const value of forms) {
      const at = this.index.find(value);
      if (at < 0) continue;
      const limits = contactLimitsOf(String(value), this.rules);
      if (limits === undefined) continue;
      const h = this.history;
      const found = judgeContact(h.seconds, h.refusals, h.counts, h.starts[at] as number, h.starts[at + 1] as number, limits, atSecond);
      if (stronger(found, verdict)) verdict = found;
    }
    return verdict;
  }
}

function stronger(a: ContactVerdict, b: ContactVerdict): boolean {
  if (!a.blocked) return false;
  if (!b.blocked) return true;
  if (a.reason !== b.reason) return a.reason === 'refusal-pause';
  return a.until > b.until;
}

/** A blocked verdict for a row's detail: the rule, what it counted, and when the number may be called again, in its own time. */
export function describeContact(verdict: ContactVerdict & { blocked: true }, value: number): string {
  const zone = timeZonesOf(String(value))?.[0] ?? 'UTC';
  const again = `may be called again from ${isoInZone(verdict.until * 1000, zone)}`;
  if (verdict.reason === 'refusal-pause') return `${verdict.rule}: refused on ${isoInZone((verdict.refusedAt as number) * 1000, zone).slice(0, 10)}; ${again}`;
  return `${verdict.rule}: ${verdict.attempts} attempts, the cap is ${verdict.label}; ${again}`;
}

/**
 * SHA-256 of the attempts a scrub judged by, for its report: the numbers, where each one's attempts start, the
 * seconds, the refusal flags and the counts, as little-endian arrays in that order. A replay computes it again from
 * the imports.
 */
export function historyDigest(history: GroupedAttempts): string {
  const hash = createHash('sha256');
  for (const array of [history.numbers, history.starts, history.seconds, history.refusals, history.counts]) {
    hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  return hash.digest('hex');
}
