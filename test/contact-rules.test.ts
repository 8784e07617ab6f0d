// Contact rules, the pure parts (issue 11): which limits govern a number, the judge of one number's attempts at
// the boundaries of France's cap (the 4th and 5th attempt, an attempt exactly 30 days old) and refusal pause (day
// 59, 60 and 61), the 24-hour cap of Florida, Oklahoma and Maryland, the strongest verdict over an ambiguous
// number's readings, the detail's "may be called again from" in the number's own zone, and the history's digest.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttemptParts, GroupedBuilder } from '../src/numbers/attempts.js';
import { contactLimitsOf, judgeContact, lookbackSeconds, type ContactLimits, type ContactVerdict } from '../src/rules/contact-limits.js';
import { ContactRules, describeContact, historyDigest } from '../src/scrub/contact-rules.js';

const day = 86_400;
const hour = 3_600;
/** Friday 2026-11-20 12:00 in Paris (11:00 UTC), in seconds: the instant judged. */
const T = Date.UTC(2026, 10, 20, 11) / 1000;
const all = ['fr', 'us', 'ca'] as const;

const fr = contactLimitsOf('33612345678', all) as ContactLimits;
const florida = contactLimitsOf('13055550100', all) as ContactLimits;

/** One number's attempts (seconds, oldest first; one call each) and which of them were refusals, judged at `at`. */
function judge(seconds: number[], limits: ContactLimits, at = T, refused: number[] = []): ContactVerdict {
  const sorted = [...seconds].sort((a, b) => a - b);
  const refusals = Uint8Array.from(sorted, (s) => (refused.includes(s) ? 1 : 0));
  return judgeContact(Uint32Array.from(sorted), refusals, new Uint8Array(sorted.length).fill(1), 0, sorted.length, limits, at);
}

/** Attempts of several numbers: [number, second, refusal] in any order. */
function grouped(attempts: Array<[number, number, 0 | 1]>): AttemptParts {
  const sorted = [...attempts].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const builder = new GroupedBuilder();
  for (const [value, second, refusal] of sorted) builder.add(value, second, refusal, 1);
  return new AttemptParts([builder.finish()]);
}

describe('the limits that govern a number', () => {
  it.each([
    ['33612345678', 'a French mobile'],
    ['33142685300', 'a Paris number'],
    ['262692123456', 'a Réunion mobile'],
    ['262262123456', 'a Réunion fixed line'],
    ['590590123456', 'a Guadeloupe fixed line'],
    ['596596123456', 'a Martinique fixed line'],
    ['594594123456', 'a Guyane fixed line'],
    ['508412345', 'a Saint-Pierre-et-Miquelon number'],
  ])('France caps %s (%s) at 4 in 30 days and pauses 60 days after a refusal', (digits) => {
    expect(contactLimitsOf(digits, all)).toEqual({ rule: 'fr', cap: { attempts: 4, windowSeconds: 30 * day, label: '4 in 30 days' }, pauseSeconds: 60 * day });
  });

  it.each([
    ['13055550100', 'Florida (305, Miami)'],
    ['14075550100', 'Florida (407, Orlando)'],
    ['14055550100', 'Oklahoma (405)'],
    ['14105550100', 'Maryland (410)'],
  ])('caps %s in %s at 3 in 24 hours, with no pause', (digits) => {
    expect(contactLimitsOf(digits, all)).toEqual({ rule: 'us', cap: { attempts: 3, windowSeconds: day, label: '3 in 24 hours' }, pauseSeconds: undefined });
  });

  it.each([
    ['12125550100', 'New York (212)'],
    ['13105550100', 'California (310)'],
    ['12065550100', 'Washington (206): hours only, no cap'],
    ['14165550100', 'Canada (416, Toronto)'],
    ['15145550100', 'Canada (514, Montréal)'],
    ['16045550100', 'Canada (604, Vancouver)'],
  ])('never caps %s (%s)', (digits) => {
    expect(contactLimitsOf(digits, all)).toBeUndefined();
  });

  it('holds a North American number whose state it cannot tell to the 24-hour cap (it may be in Florida)', () => {
    expect(contactLimitsOf('18005550100', ['us'])?.cap?.attempts).toBe(3);
  });

  it('applies only the rule sets named', () => {
    expect(contactLimitsOf('33612345678', ['us', 'ca'])).toBeUndefined();
    expect(contactLimitsOf('13055550100', ['fr'])).toBeUndefined();
    expect(contactLimitsOf('13055550100', ['ca'])).toBeUndefined();
    expect(contactLimitsOf('442079460958', all)).toBeUndefined();
    expect(contactLimitsOf('3225551212', all)).toBeUndefined();
  });

  it('looks back no further than the longest rule (France\'s 60-day pause)', () => {
    expect(lookbackSeconds).toBe(60 * day);
  });
});

describe("France's frequency cap: 4 calls or attempts in 30 rolling days", () => {
  it('leaves a number with 3 attempts in the window callable', () => {
    expect(judge([T - 10 * day, T - 5 * day, T - hour], fr)).toEqual({ blocked: false });
  });

  it('caps the 4th attempt, until the oldest of the 4 leaves the window', () => {
    const verdict = judge([T - 10 * day, T - 8 * day, T - 6 * day, T - day], fr);
    expect(verdict).toMatchObject({ blocked: true, reason: 'frequency-cap', rule: 'fr', attempts: 4, label: '4 in 30 days', until: T + 20 * day });
  });

  it('caps the 5th attempt, until the window holds 3 again (the 4th latest leaves it)', () => {
    const verdict = judge([T - 5 * day, T - 4 * day, T - 3 * day, T - 2 * day, T - day], fr);
    expect(verdict).toMatchObject({ blocked: true, reason: 'frequency-cap', attempts: 5, until: T - 4 * day + 30 * day });
  });

  it('drops an attempt exactly 30 days old from the window, and counts one a second younger', () => {
    const recent = [T - 3 * day, T - 2 * day, T - day];
    expect(judge([T - 30 * day, ...recent], fr)).toEqual({ blocked: false });
    expect(judge([T - 30 * day + 1, ...recent], fr)).toMatchObject({ blocked: true, reason: 'frequency-cap', attempts: 4, until: T + 1 });
    expect(judge([T - 31 * day, T - 30 * day, ...recent], fr)).toEqual({ blocked: false });
  });

  it('counts 30 days as 30 x 24 hours, whatever DST does in between (Paris, 25 October 2026)', () => {
    // 2026-10-21 11:00 UTC is 13:00 in Paris (summer time); exactly 30 x 86,400 s later is 2026-11-20 11:00 UTC, 12:00.
    const oldest = Date.UTC(2026, 9, 21, 11) / 1000;
    expect(oldest).toBe(T - 30 * day);
    expect(judge([oldest, T - 3 * day, T - 2 * day, T - day], fr)).toEqual({ blocked: false });
  });

  it('counts attempts recorded after the instant judged: the history never undercounts', () => {
    expect(judge([T - 2 * day, T - day, T + hour, T + 2 * hour], fr)).toMatchObject({ blocked: true, attempts: 4 });
  });

  it('is callable again exactly at `until`, and not a second before (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -45 * day, max: 0 }), { minLength: 4, maxLength: 12 }), (offsets) => {
        const seconds = offsets.map((o) => T + o);
        const verdict = judge(seconds, fr);
        const inWindow = seconds.filter((s) => s > T - 30 * day).length;
        expect(verdict.blocked).toBe(inWindow >= 4);
        if (!verdict.blocked) return;
        expect(verdict.until).toBeGreaterThan(T);
        expect(judge(seconds, fr, verdict.until - 1).blocked).toBe(true);
        expect(judge(seconds, fr, verdict.until)).toEqual({ blocked: false });
      }),
    );
  });
});

describe("France's refusal pause: no call for 60 days after a refusal", () => {
  it('excludes a number refused 59 days ago, until the 60th day', () => {
    const refusal = T - 59 * day;
    expect(judge([refusal], fr, T, [refusal])).toEqual({ blocked: true, reason: 'refusal-pause', rule: 'fr', until: T + day, refusedAt: refusal });
  });

  it('makes a number callable exactly 60 days after the refusal, and on day 61', () => {
    expect(judge([T - 60 * day], fr, T, [T - 60 * day])).toEqual({ blocked: false });
    expect(judge([T - 61 * day], fr, T, [T - 61 * day])).toEqual({ blocked: false });
    expect(judge([T - 60 * day + 1], fr, T, [T - 60 * day + 1])).toMatchObject({ blocked: true, reason: 'refusal-pause', until: T + 1 });
  });

  it('counts from the latest refusal', () => {
    const refusals = [T - 70 * day, T - 10 * day];
    expect(judge(refusals, fr, T, refusals)).toMatchObject({ reason: 'refusal-pause', refusedAt: T - 10 * day, until: T + 50 * day });
  });

  it('is not started by an attempt that was not a refusal', () => {
    expect(judge([T - 61 * day, T - day], fr, T, [T - 61 * day])).toEqual({ blocked: false });
  });

  it('beats the cap when a number is both paused and capped', () => {
    const seconds = [T - 5 * day, T - 4 * day, T - 3 * day, T - 2 * day];
    expect(judge(seconds, fr, T, [T - 5 * day])).toMatchObject({ blocked: true, reason: 'refusal-pause', until: T + 55 * day });
  });

  it('does not exist in the US rules: a refusal there counts as an attempt only', () => {
    expect(judge([T - hour], florida, T, [T - hour])).toEqual({ blocked: false });
  });
});

describe('the 24-hour cap of Florida, Oklahoma and Maryland: 3 calls', () => {
  it('leaves a Florida number called twice in 24 hours callable, and caps the 3rd call', () => {
    expect(judge([T - 5 * hour, T - hour], florida)).toEqual({ blocked: false });
    expect(judge([T - 20 * hour, T - 5 * hour, T - hour], florida)).toMatchObject({ blocked: true, reason: 'frequency-cap', rule: 'us', attempts: 3, label: '3 in 24 hours', until: T + 4 * hour });
  });

  it('drops a call exactly 24 hours old', () => {
    expect(judge([T - day, T - 5 * hour, T - hour], florida)).toEqual({ blocked: false });
    expect(judge([T - day + 1, T - 5 * hour, T - hour], florida)).toMatchObject({ blocked: true, until: T + 1 });
  });
});

describe('a scrub\'s contact rules over the history', () => {
  const paris = 33612345678;
  const miami = 13055550100;
  const newYork = 12125550100;
  const toronto = 14165550100;
  const history = grouped([
    [paris, T - 10 * day, 0],
    [paris, T - 8 * day, 0],
    [paris, T - 6 * day, 0],
    [paris, T - day, 0],
    [33612345679, T - 20 * day, 1],
    [miami, T - 3 * hour, 0],
    [miami, T - 2 * hour, 0],
    [miami, T - hour, 0],
    ...[1, 2, 3, 4, 5, 6].map((h): [number, number, 0 | 1] => [newYork, T - h * hour, 0]),
    ...[1, 2, 3, 4, 5, 6].map((h): [number, number, 0 | 1] => [toronto, T - h * hour, 0]),
  ]);
  const rules = new ContactRules(history, all, T);

  it('judges each number by the rule of its jurisdiction', () => {
    expect(rules.check([paris])).toMatchObject({ blocked: true, reason: 'frequency-cap', rule: 'fr' });
    expect(rules.check([33612345679])).toMatchObject({ blocked: true, reason: 'refusal-pause', rule: 'fr' });
    expect(rules.check([miami])).toMatchObject({ blocked: true, reason: 'frequency-cap', rule: 'us' });
    expect(rules.check([newYork])).toEqual({ blocked: false });
    expect(rules.check([toronto])).toEqual({ blocked: false });
    expect(rules.check([33699999999])).toEqual({ blocked: false });
  });

  it('applies only the rule sets named', () => {
    expect(new ContactRules(history, ['fr'], T).check([miami])).toEqual({ blocked: false });
    expect(new ContactRules(history, ['us'], T).check([paris])).toEqual({ blocked: false });
  });

  it('judges an ambiguous number under every reading, the strongest verdict standing', () => {
    expect(rules.check([33699999999, paris])).toMatchObject({ reason: 'frequency-cap' });
    expect(rules.check([paris, 33612345679])).toMatchObject({ reason: 'refusal-pause' });
    expect(rules.check([33612345679, paris])).toMatchObject({ reason: 'refusal-pause' });
  });
});

describe('the detail of a blocked number', () => {
  const cap = (until: number, attempts = 4): ContactVerdict & { blocked: true } => ({ blocked: true, reason: 'frequency-cap', rule: 'fr', until, attempts, label: '4 in 30 days' });

  it('says when the number may be called again, in its own zone with the offset', () => {
    expect(describeContact(cap(T + 20 * day), 33612345678)).toBe('fr: 4 attempts, the cap is 4 in 30 days; may be called again from 2026-12-10T12:00:00+01:00');
    expect(describeContact(cap(T + 20 * day, 5), 262692123456)).toBe('fr: 5 attempts, the cap is 4 in 30 days; may be called again from 2026-12-10T15:00:00+04:00');
    expect(describeContact(cap(T + 20 * day), 590590123456)).toBe('fr: 4 attempts, the cap is 4 in 30 days; may be called again from 2026-12-10T07:00:00-04:00');
    expect(describeContact(cap(T + 20 * day), 508412345)).toBe('fr: 4 attempts, the cap is 4 in 30 days; may be called again from 2026-12-10T08:00:00-03:00');
    // Summer time in Paris and Miquelon.
    const july = Date.UTC(2026, 6, 1, 10) / 1000;
    expect(describeContact(cap(july), 33612345678)).toBe('fr: 4 attempts, the cap is 4 in 30 days; may be called again from 2026-07-01T12:00:00+02:00');
    expect(describeContact(cap(july), 508412345)).toBe('fr: 4 attempts, the cap is 4 in 30 days; may be called again from 2026-07-01T08:00:00-02:00');
  });

  it('gives the US cap in the number\'s zone', () => {
    const verdict: ContactVerdict & { blocked: true } = { blocked: true, reason: 'frequency-cap', rule: 'us', until: T + 4 * hour, attempts: 3, label: '3 in 24 hours' };
    expect(describeContact(verdict, 13055550100)).toBe('us: 3 attempts, the cap is 3 in 24 hours; may be called again from 2026-11-20T10:00:00-05:00');
  });

  it('gives a refusal\'s day in the number\'s zone', () => {
    // 2026-09-21 23:30 UTC is already 22 September in Paris and in Réunion, still 21 September in Guadeloupe.
    const refusedAt = Date.UTC(2026, 8, 21, 23, 30) / 1000;
    const pause: ContactVerdict & { blocked: true } = { blocked: true, reason: 'refusal-pause', rule: 'fr', until: refusedAt + 60 * day, refusedAt };
    expect(describeContact(pause, 33612345678)).toBe('fr: refused on 2026-09-22; may be called again from 2026-11-21T00:30:00+01:00');
    expect(describeContact(pause, 262692123456)).toBe('fr: refused on 2026-09-22; may be called again from 2026-11-21T03:30:00+04:00');
    expect(describeContact(pause, 590590123456)).toBe('fr: refused on 2026-09-21; may be called again from 2026-11-20T19:30:00-04:00');
  });
});

describe("the history's digest", () => {
  const since = T - 60 * day;
  it('is the same for the same attempts, and changes with a refusal flag or one more second', () => {
    const base: Array<[number, number, 0 | 1]> = [
      [33612345678, T - day, 0],
      [33612345678, T - 2 * day, 0],
      [13055550100, T - hour, 0],
    ];
    const digest = historyDigest(grouped(base), since);
    expect(digest).toMatchObject({ attempts: 3, numbers: 2 });
    expect(digest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(historyDigest(grouped([...base].reverse()), since)).toEqual(digest);
    expect(historyDigest(grouped([[33612345678, T - day, 1], ...base.slice(1)]), since).sha256).not.toBe(digest.sha256);
    expect(historyDigest(grouped([...base, [33612345678, T - 3 * day, 0]]), since).sha256).not.toBe(digest.sha256);
  });

  it('leaves out the attempts out of reach, so that a prune of older calls does not change it', () => {
    const base: Array<[number, number, 0 | 1]> = [
      [33612345678, T - day, 0],
      [13055550100, T - hour, 0],
    ];
    const older: Array<[number, number, 0 | 1]> = [
      [33612345678, since - day, 1],
      [33699999999, since, 0],
    ];
    expect(historyDigest(grouped([...base, ...older]), since)).toEqual(historyDigest(grouped(base), since));
  });
});

describe('several calls at one instant', () => {
  it('counts each: four redials written in the same minute reach the cap of 4, and free it when that minute leaves the window', () => {
    const second = T - 5 * day;
    const four = judgeContact(Uint32Array.of(second), Uint8Array.of(0), Uint8Array.of(4), 0, 1, fr, T);
    expect(four).toMatchObject({ blocked: true, reason: 'frequency-cap', attempts: 4, until: second + 30 * day });
    expect(judgeContact(Uint32Array.of(second), Uint8Array.of(0), Uint8Array.of(3), 0, 1, fr, T)).toEqual({ blocked: false });
    // Two calls a week ago, three yesterday: the cap is reached counting back from the newest at the older instant.
    const mixed = judgeContact(Uint32Array.of(T - 7 * day, T - day), Uint8Array.of(0, 0), Uint8Array.of(2, 3), 0, 2, fr, T);
    expect(mixed).toMatchObject({ blocked: true, attempts: 5, until: T - 7 * day + 30 * day });
    // Four yesterday alone: callable again when yesterday leaves the window.
    expect(judgeContact(Uint32Array.of(T - 7 * day, T - day), Uint8Array.of(0, 0), Uint8Array.of(1, 4), 0, 2, fr, T)).toMatchObject({ until: T - day + 30 * day });
  });
});
