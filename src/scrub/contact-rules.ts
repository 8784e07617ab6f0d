// The contact rules a scrub applies (--rules): the call history pinned at the scrub's start, looked up by number, and
// each number's attempts judged by the rule set of its jurisdiction (rules/contact-limits.ts) at one instant. An
// ambiguous 08/09 number is judged under every number it may be, and the strongest verdict stands.

import { createHash } from 'node:crypto';
import type { AttemptParts } from '../numbers/attempts.js';
import type { RuleSetName } from '../rules/calling-hours.js';
import { contactLimitsOfValue, judgeContact, notBlocked, type ContactVerdict } from '../rules/contact-limits.js';
import { isoInZone } from '../rules/local-time.js';
import { isMainlandFrench, timeZonesOf } from '../rules/time-zones.js';

export class ContactRules {
  constructor(
    readonly history: AttemptParts,
    readonly rules: readonly RuleSetName[],
    /** The instant judged, in seconds since 1970. */
    readonly atSecond: number,
  ) {}

  /** The verdict on a number given as every form it may take (see Screening.check), at `atSecond` (default: the scrub's). */
  check(forms: readonly number[], atSecond = this.atSecond): ContactVerdict {
    let verdict = notBlocked;
    for (const value of forms) {
      const found = this.history.find(value);
      if (found === undefined) continue;
      const limits = contactLimitsOfValue(value, this.rules);
      if (limits === undefined) continue;
      const judged = judgeContact(found.seconds, found.refusals, found.counts, found.start, found.end, limits, atSecond);
      if (stronger(judged, verdict)) verdict = judged;
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
  const zone = isMainlandFrench(value) ? 'Europe/Paris' : (timeZonesOf(String(value))?.[0] ?? 'UTC');
  const again = `may be called again from ${isoInZone(verdict.until * 1000, zone)}`;
  if (verdict.reason === 'refusal-pause') return `${verdict.rule}: refused on ${isoInZone((verdict.refusedAt as number) * 1000, zone).slice(0, 10)}; ${again}`;
  return `${verdict.rule}: ${verdict.attempts} attempts, the cap is ${verdict.label}; ${again}`;
}

/** The attempts within the rules' reach of a history, counted and digested for a report. */
export interface HistoryDigest {
  /** Attempts later than the reach's start (each counted once, whatever its count of calls), and their numbers. */
  readonly attempts: number;
  readonly numbers: number;
  readonly sha256: string;
}

/**
 * SHA-256 of the attempts later than `sinceSecond`, for a report: for each number that has one, in number order, the
 * number (float64), how many (uint32), then each attempt's second (uint32), refusal flag and count (a byte each), all
 * little-endian. Older attempts a history still holds are left out, so that a replay from the imports, which reads
 * only those within reach, finds the same digest, even after a prune of older calls.
 */
export function historyDigest(history: AttemptParts, sinceSecond: number): HistoryDigest {
  const hash = createHash('sha256');
  const buffer = new ArrayBuffer(1 << 16);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  let pos = 0;
  const room = (n: number) => {
    if (pos + n > buffer.byteLength) {
      hash.update(bytes.subarray(0, pos));
      pos = 0;
    }
  };
  let attempts = 0;
  let numbers = 0;
  history.forEach((value, { seconds, refusals, counts, start, end }) => {
    let first = start;
    while (first < end && (seconds[first] as number) <= sinceSecond) first++;
    if (first === end) return;
    numbers++;
    attempts += end - first;
    room(12);
    view.setFloat64(pos, value, true);
    view.setUint32(pos + 8, end - first, true);
    pos += 12;
    for (let i = first; i < end; i++) {
      room(6);
      view.setUint32(pos, seconds[i] as number, true);
      bytes[pos + 4] = refusals[i] as number;
      bytes[pos + 5] = counts[i] as number;
      pos += 6;
    }
  });
  hash.update(bytes.subarray(0, pos));
  return { attempts, numbers, sha256: hash.digest('hex') };
}
