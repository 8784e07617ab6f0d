// Call history and contact rules at the command level and end to end (issue 11): `history import|status|prune`,
// `scrub --rules` at the boundaries of each rule (the 4th and 5th attempt, day 59/60/61 of a pause, Florida's 24
// hours), the strength of each reason in a row, `--schedule` windows (lunch break, evening, weekend, holidays,
// overseas, DST in Paris and Miquelon), replay of a scrub with rules after later imports and after a prune, bad call
// logs (one line, no number anywhere), and a call log written by Python's csv module.
//
// Command tests run callscrub in this process with the clock pinned (Workdir.run's `now`); the end-to-end ones spawn
// the built binary, whose clock is the machine's: their times are taken from Date.now().

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { daysAgo, Workdir, type Outcome } from './workdir.js';

const day = 86_400;
const hour = 3_600;
/** The pinned clock: Friday 2026-11-20, 12:00 in Paris (11:00 UTC). */
const NOW = new Date(Date.UTC(2026, 10, 20, 11));
const T = NOW.getTime() / 1000;
const at = (seconds: number) => new Date(seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString().replace('.000Z', 'Z');

const rowsOf = (text: string) => text.split(/\r?\n/).filter((l) => l.length > 0);

/** A call log: header `numero,date_appel,resultat`, one row per [number, second, outcome]. */
function callLog(rows: Array<[string, number, string]>): string {
  return `numero,date_appel,resultat\n${rows.map(([n, s, o]) => `${n},${iso(s)},${o}`).join('\n')}\n`;
}

async function ok(wrk: Workdir, argv: string[], now: Date = NOW): Promise<Outcome> {
  const outcome = await wrk.run(argv, { now });
  expect(outcome.stderr.split('\n').filter((l) => l.startsWith('callscrub:')), outcome.stderr).toEqual([]);
  expect(outcome.code, outcome.stderr).toBe(0);
  return outcome;
}

/** Lists for every number these tests use: bloctel (French plan), usdnc (+1), an internal list, a +32 consent ledger. */
async function registry(wrk: Workdir, now: Date = NOW): Promise<void> {
  wrk.write('bloctel.txt', '0612345601\n0612345602\n');
  await ok(wrk, ['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(1, now), '--covers', '33,262,508,590,594,596', '--quiet'], now);
  wrk.write('usdnc.txt', '+13055550199\n');
  await ok(wrk, ['registry', 'import', 'usdnc.txt', '--list', 'usdnc', '--as-of', daysAgo(1, now), '--covers', '1', '--quiet'], now);
  wrk.write('optout.txt', '0199000001\n');
  await ok(wrk, ['registry', 'import', 'optout.txt', '--list', 'optout', '--kind', 'internal', '--quiet'], now);
  wrk.write('consents.csv', 'telephone;date_consentement;source;preuve\n+32470123456;2026-01-01;web;p1\n');
  await ok(wrk, ['registry', 'import', 'consents.csv', '--list', 'consents', '--kind', 'consent', '--quiet'], now);
}

async function importLog(wrk: Workdir, rows: Array<[string, number, string]>, now: Date = NOW, name = 'calls.csv') {
  wrk.write(name, callLog(rows));
  return JSON.parse((await ok(wrk, ['history', 'import', name, '--json'], now)).stdout);
}

/** Scrubs `rows` (`nom;telephone[;telephone2]`) and returns the summary and the outputs' rows. */
async function scrub(wrk: Workdir, name: string, header: string, rows: string[], options: string[], now: Date = NOW) {
  wrk.write(`${name}.csv`, `${header}\n${rows.join('\n')}\n`);
  const outcome = await ok(wrk, ['scrub', `${name}.csv`, '--out', `${name}-clean.csv`, '--excluded', `${name}-excluded.csv`, '--invalid', `${name}-invalid.csv`, '--not-phone-column', 'nom', '--json', ...options], now);
  return {
    summary: JSON.parse(outcome.stdout),
    stderr: outcome.stderr,
    clean: rowsOf(wrk.read(`${name}-clean.csv`)),
    excluded: rowsOf(wrk.read(`${name}-excluded.csv`)),
  };
}

/** Excluded rows by their first cell: [reason, detail]. */
function reasonsByName(excluded: string[]): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const line of excluded.slice(1)) {
    const cells = line.match(/("([^"]|"")*"|[^;]*)(;|$)/g)?.map((c) => c.replace(/;$/, '').replace(/^"(.*)"$/s, '$1').replace(/""/g, '"')) ?? [];
    const n = cells.length - (cells[cells.length - 1] === '' ? 1 : 0);
    out[cells[0] as string] = [cells[n - 2] as string, cells[n - 1] as string];
  }
  return out;
}

// The one history every scrub of the next two sections judges by: numbers at each boundary of each rule.
const history: Array<[string, number, string]> = [
  // France's cap: 3 attempts callable; the 4th and 5th capped; an attempt exactly 30 days old drops out.
  ...[T - 10 * day, T - 5 * day, T - hour].map((s): [string, number, string] => ['0612000003', s, 'NRP']),
  ...[T - 10 * day, T - 8 * day, T - 6 * day, T - day].map((s): [string, number, string] => ['0612000004', s, 'occupé']),
  ...[T - 5 * day, T - 4 * day, T - 3 * day, T - 2 * day, T - day].map((s): [string, number, string] => ['0612000005', s, 'répondeur']),
  ...[T - 30 * day, T - 3 * day, T - 2 * day, T - day].map((s): [string, number, string] => ['0612000030', s, 'no answer']),
  ...[T - 30 * day + 1, T - 3 * day, T - 2 * day, T - day].map((s): [string, number, string] => ['0612000031', s, 'no answer']),
  // Capped overseas: the detail is in Réunion's time.
  ...[T - 10 * day, T - 8 * day, T - 6 * day, T - day].map((s): [string, number, string] => ['0692000004', s, 'NRP']),
  // A listed number at its cap: listed is stronger.
  ...[T - 10 * day, T - 8 * day, T - 6 * day, T - day].map((s): [string, number, string] => ['0612345601', s, 'NRP']),
  // US: Florida (305) capped at 3 in 24 hours, not at 2, nor when the oldest of 3 is exactly 24 hours old; New York
  // (212) and Toronto (416) never.
  ...[T - 20 * hour, T - 5 * hour, T - hour].map((s): [string, number, string] => ['+13055550103', s, 'no answer']),
  ...[T - 5 * hour, T - hour].map((s): [string, number, string] => ['+13055550102', s, 'no answer']),
  ...[T - day, T - 5 * hour, T - hour].map((s): [string, number, string] => ['+13055550124', s, 'no answer']),
  ...[1, 2, 3, 4, 5, 6].map((h): [string, number, string] => ['+12125550110', T - h * hour, 'no answer']),
  ...[1, 2, 3, 4, 5, 6].map((h): [string, number, string] => ['+14165550110', T - h * hour, 'no answer']),
  // France's refusal pause: day 59 paused, day 60 exactly and day 61 callable; outcomes in any case and accents.
  ['0613000059', T - 59 * day, 'Refusé'],
  ['0613000060', T - 60 * day, 'Refusé'],
  ['0613000061', T - 61 * day, 'REFUSÉ'],
  ['0613000062', T - 20 * day, 'NOT INTERESTED'],
  ['0613000064', T - 3 * day, 'répondeur'],
  // Paused and capped at once: the pause wins.
  ...[T - 5 * day, T - 4 * day, T - 3 * day].map((s): [string, number, string] => ['0613000063', s, 'NRP']),
  ['0613000063', T - 2 * day, 'refus client'],
];

describe('scrub --rules', () => {
  const wrk = Workdir.create();
  let imported: Record<string, unknown>;
  beforeAll(async () => {
    await registry(wrk);
    imported = await importLog(wrk, history, new Date(NOW.getTime() - 60_000));
  });
  afterAll(() => wrk.remove());

  it('imported every row as an attempt and counted the refusals', () => {
    expect(imported).toMatchObject({ rows: history.length, accepted: history.length, rejected: 0, attemptsAdded: history.length, refusals: 5, refusalsAdded: 5 });
  });

  it("caps France's 4th and 5th attempt in 30 days, not the 3rd, and drops an attempt exactly 30 days old", async () => {
    const names = ['0612000003', '0612000004', '0612000005', '0612000030', '0612000031', '0692000004'];
    const { summary, clean, excluded } = await scrub(wrk, 'fr-cap', 'nom;telephone', names.map((n) => `${n};${n}`), ['--rules', 'fr']);
    expect(clean.slice(1)).toEqual(['0612000003;0612000003', '0612000030;0612000030']);
    expect(summary.byReason).toEqual({ 'frequency-cap': 4 });
    expect(reasonsByName(excluded)).toEqual({
      '0612000004': ['frequency-cap', 'telephone: frequency-cap (fr: 4 attempts, the cap is 4 in 30 days; may be called again from 2026-12-10T12:00:00+01:00)'],
      '0612000005': ['frequency-cap', 'telephone: frequency-cap (fr: 5 attempts, the cap is 4 in 30 days; may be called again from 2026-12-16T12:00:00+01:00)'],
      '0612000031': ['frequency-cap', 'telephone: frequency-cap (fr: 4 attempts, the cap is 4 in 30 days; may be called again from 2026-11-20T12:00:01+01:00)'],
      '0692000004': ['frequency-cap', 'telephone: frequency-cap (fr: 4 attempts, the cap is 4 in 30 days; may be called again from 2026-12-10T15:00:00+04:00)'],
    });
  });

  it('is callable again at the instant the detail gives, and not a second before', async () => {
    const again = Date.UTC(2026, 11, 10, 11) / 1000;
    const before = await scrub(wrk, 'fr-again-1', 'nom;telephone', ['a;0612000004'], ['--rules', 'fr', '--allow-stale'], at(again - 1));
    expect(before.summary.byReason).toEqual({ 'frequency-cap': 1 });
    const then = await scrub(wrk, 'fr-again-2', 'nom;telephone', ['a;0612000004'], ['--rules', 'fr', '--allow-stale'], at(again));
    expect(then.summary.rowsClean).toBe(1);
  });

  it('caps a Florida number called 3 times in 24 hours, not twice, never a New York or Canadian one', async () => {
    const names = ['+13055550103', '+13055550102', '+13055550124', '+12125550110', '+14165550110'];
    const { clean, excluded } = await scrub(wrk, 'us-cap', 'nom;telephone', names.map((n) => `${n.slice(1)};${n}`), ['--rules', 'fr,us,ca']);
    expect(clean.slice(1).map((r) => r.split(';')[0])).toEqual(['13055550102', '13055550124', '12125550110', '14165550110']);
    expect(reasonsByName(excluded)).toEqual({
      '13055550103': ['frequency-cap', 'telephone: frequency-cap (us: 3 attempts, the cap is 3 in 24 hours; may be called again from 2026-11-20T10:00:00-05:00)'],
    });
    // The US rules apply only when named.
    const frOnly = await scrub(wrk, 'us-cap-fr', 'nom;telephone', ['a;+13055550103'], ['--rules', 'fr']);
    expect(frOnly.summary.rowsClean).toBe(1);
  });

  it('pauses a number refused 59 days ago, not 60 days exactly nor 61; refusals in any case and accents', async () => {
    const names = ['0613000059', '0613000060', '0613000061', '0613000062', '0613000063', '0613000064'];
    const { summary, clean, excluded } = await scrub(wrk, 'fr-pause', 'nom;telephone', names.map((n) => `${n};${n}`), ['--rules', 'fr']);
    expect(clean.slice(1).map((r) => r.split(';')[0])).toEqual(['0613000060', '0613000061', '0613000064']);
    expect(summary.byReason).toEqual({ 'refusal-pause': 3 });
    expect(reasonsByName(excluded)).toEqual({
      '0613000059': ['refusal-pause', 'telephone: refusal-pause (fr: refused on 2026-09-22; may be called again from 2026-11-21T12:00:00+01:00)'],
      '0613000062': ['refusal-pause', 'telephone: refusal-pause (fr: refused on 2026-10-31; may be called again from 2026-12-30T12:00:00+01:00)'],
      // 4 attempts in 30 days and a refusal: the pause, the stronger, is the reason.
      '0613000063': ['refusal-pause', 'telephone: refusal-pause (fr: refused on 2026-11-18; may be called again from 2027-01-17T12:00:00+01:00)'],
    });
  });

  it('orders the reasons: internal > listed > no-consent > refusal-pause > frequency-cap > unscreened > duplicate', async () => {
    const rows = [
      'first;0612000003;', // callable: seen first
      'internal;0199000001;0612345602',
      'listed;0612345602;+32470123457',
      'no-consent;+32470123457;0613000059',
      'refusal-pause;0613000059;0612000004',
      'frequency-cap;0612000004;+442079460958',
      'unscreened;+442079460958;0612000003',
      'duplicate;0612000003;',
      'listed-and-capped;0612345601;',
    ];
    const { summary, clean, excluded } = await scrub(wrk, 'strength', 'nom;telephone;portable', rows, ['--rules', 'fr,us,ca', '--require-consent', '32', '--dedupe']);
    expect(clean.slice(1)).toEqual(['first;0612000003;']);
    const reasons = Object.fromEntries(Object.entries(reasonsByName(excluded)).map(([k, [reason]]) => [k, reason]));
    expect(reasons).toEqual({
      internal: 'internal',
      listed: 'listed',
      'no-consent': 'no-consent',
      'refusal-pause': 'refusal-pause',
      'frequency-cap': 'frequency-cap',
      unscreened: 'unscreened',
      duplicate: 'duplicate',
      'listed-and-capped': 'listed',
    });
    expect(summary.byReason).toEqual({ internal: 1, listed: 2, 'no-consent': 1, 'refusal-pause': 1, 'frequency-cap': 1, unscreened: 1, duplicate: 1 });
  });

  it('with --policy number, blanks a capped or paused number and keeps the row when another is callable', async () => {
    const rows = ['both;0612000004;0692123456', 'none;0612000004;0613000059', 'paused;0613000059;0612999999'];
    const { clean, excluded } = await scrub(wrk, 'policy', 'nom;telephone;portable', rows, ['--rules', 'fr', '--policy', 'number', '--schedule', '--from', '2026-11-20T12:59:00+01:00']);
    expect(clean).toEqual([
      'nom;telephone;portable;callscrub_timezone;callscrub_window_start;callscrub_window_end',
      // The window is the first callable number's: the Réunion mobile's, in Réunion's time.
      'both;;0692123456;Indian/Reunion;2026-11-20T15:59:00+04:00;2026-11-20T20:00:00+04:00',
      'paused;;0612999999;Europe/Paris;2026-11-20T12:59:00+01:00;2026-11-20T13:00:00+01:00',
    ]);
    expect(reasonsByName(excluded).none?.[0]).toBe('refusal-pause');
  });

  it('without --rules changes nothing: the same bytes as before the history was imported', async () => {
    const other = Workdir.create();
    try {
      await registry(other);
      const input = ['0612000004', '0613000059', '0612345602', '+13055550103', '0612000003', '0612000003'].map((n, i) => `p${i};${n}`);
      const before = await scrub(other, 'plain', 'nom;telephone', input, ['--dedupe']);
      const bytes = () => ['plain-clean.csv', 'plain-excluded.csv', 'plain-invalid.csv'].map((f) => fs.readFileSync(other.path(f)));
      const first = bytes();
      await importLog(other, history, new Date(NOW.getTime() - 60_000));
      const after = await scrub(other, 'plain', 'nom;telephone', input, ['--dedupe']);
      expect(bytes()).toEqual(first);
      expect(after.summary.byReason).toEqual(before.summary.byReason);
      expect(after.summary.byNumberStatus).toEqual(before.summary.byNumberStatus);
      expect(after.summary.contactRules).toBeUndefined();
      expect(after.stderr).not.toMatch(/contact rules|call history/);
    } finally {
      other.remove();
    }
  });
});

describe('scrub --schedule', () => {
  const wrk = Workdir.create();
  beforeAll(async () => {
    await registry(wrk);
  });
  afterAll(() => wrk.remove());

  /** The schedule cells of a one-row scrub of `number` from `from`, scrubbed an hour before (--from is for calls to come; the lists may be stale by then). */
  async function windowOf(number: string, from: string, rules = 'fr,us,ca'): Promise<string[]> {
    const { clean } = await scrub(wrk, 'schedule', 'nom;telephone', [`x;${number}`], ['--rules', rules, '--schedule', '--from', from, '--allow-stale'], new Date(Date.parse(from) - 3_600_000));
    expect(clean[0]).toBe('nom;telephone;callscrub_timezone;callscrub_window_start;callscrub_window_end');
    return (clean[1] as string).split(';').slice(2);
  }

  it.each([
    ['12:59 in Paris: the morning window, ending at 13:00', '0612999999', '2026-11-20T12:59:00+01:00', ['Europe/Paris', '2026-11-20T12:59:00+01:00', '2026-11-20T13:00:00+01:00']],
    ['13:00 in Paris: the afternoon, from 14:00', '0612999999', '2026-11-20T13:00:00+01:00', ['Europe/Paris', '2026-11-20T14:00:00+01:00', '2026-11-20T20:00:00+01:00']],
    ['14:00 in Paris: the afternoon in progress', '0612999999', '2026-11-20T14:00:00+01:00', ['Europe/Paris', '2026-11-20T14:00:00+01:00', '2026-11-20T20:00:00+01:00']],
    ['20:00 on a Thursday: Friday 10:00', '0612999999', '2026-11-19T20:00:00+01:00', ['Europe/Paris', '2026-11-20T10:00:00+01:00', '2026-11-20T13:00:00+01:00']],
    ['a Saturday: Monday 10:00', '0612999999', '2026-11-21T11:00:00+01:00', ['Europe/Paris', '2026-11-23T10:00:00+01:00', '2026-11-23T13:00:00+01:00']],
    ['the eve of Christmas 2026 (a Friday, holiday): Monday 28', '0142685300', '2026-12-24T20:00:00+01:00', ['Europe/Paris', '2026-12-28T10:00:00+01:00', '2026-12-28T13:00:00+01:00']],
    ['Christmas morning, given in UTC', '0612999999', '2026-12-25T09:00:00Z', ['Europe/Paris', '2026-12-28T10:00:00+01:00', '2026-12-28T13:00:00+01:00']],
    ['a Réunion fixed line at 12:59 Paris (15:59 there)', '0262123456', '2026-11-20T12:59:00+01:00', ['Indian/Reunion', '2026-11-20T15:59:00+04:00', '2026-11-20T20:00:00+04:00']],
    ['a Réunion mobile at 17:00 Paris (20:00 there): Monday', '0692123456', '2026-11-20T17:00:00+01:00', ['Indian/Reunion', '2026-11-23T10:00:00+04:00', '2026-11-23T13:00:00+04:00']],
    ['Réunion before its 20 December holiday (a Monday in 2027)', '0262123456', '2027-12-17T20:00:00+04:00', ['Indian/Reunion', '2027-12-21T10:00:00+04:00', '2027-12-21T13:00:00+04:00']],
    ['a Guadeloupe number at 12:00 Paris (07:00 there)', '0590123456', '2026-11-20T12:00:00+01:00', ['America/Guadeloupe', '2026-11-20T10:00:00-04:00', '2026-11-20T13:00:00-04:00']],
    ['+590 before 27 May (Guadeloupe) and 28 May (Saint-Martin)', '0590123456', '2026-05-26T20:00:00-04:00', ['America/Guadeloupe', '2026-05-29T10:00:00-04:00', '2026-05-29T13:00:00-04:00']],
    ['Miquelon (0508) across its DST start, 8 March 2026', '0508412345', '2026-03-06T20:00:00-03:00', ['America/Miquelon', '2026-03-09T10:00:00-02:00', '2026-03-09T13:00:00-02:00']],
    ['Miquelon (+508) at 12:00 UTC on 9 March: 10:00 in summer time, callable', '+508 41 23 45', '2026-03-09T12:00:00Z', ['America/Miquelon', '2026-03-09T10:00:00-02:00', '2026-03-09T13:00:00-02:00']],
    ['Miquelon (+508) across its DST end, 1 November 2026', '+508412345', '2026-10-30T20:00:00-02:00', ['America/Miquelon', '2026-11-02T10:00:00-03:00', '2026-11-02T13:00:00-03:00']],
    ['Miquelon (0508) at 12:00 UTC on 2 November: 09:00 in winter time, not yet', '0508412345', '2026-11-02T12:00:00Z', ['America/Miquelon', '2026-11-02T10:00:00-03:00', '2026-11-02T13:00:00-03:00']],
    ['Paris across its DST start, 29 March 2026', '0612999999', '2026-03-27T20:00:00+01:00', ['Europe/Paris', '2026-03-30T10:00:00+02:00', '2026-03-30T13:00:00+02:00']],
    ['Paris at 07:59 UTC on 30 March: 09:59 in summer time', '0612999999', '2026-03-30T07:59:00Z', ['Europe/Paris', '2026-03-30T10:00:00+02:00', '2026-03-30T13:00:00+02:00']],
    ['Paris across its DST end, 25 October 2026', '0612999999', '2026-10-23T20:00:00+02:00', ['Europe/Paris', '2026-10-26T10:00:00+01:00', '2026-10-26T13:00:00+01:00']],
    ['Paris at 09:00 UTC on 26 October: 10:00 in winter time, callable', '0612999999', '2026-10-26T09:00:00Z', ['Europe/Paris', '2026-10-26T10:00:00+01:00', '2026-10-26T13:00:00+01:00']],
    ['Florida: 8:00-20:00', '+13055550100', '2026-11-20T19:59:00-05:00', ['America/New_York', '2026-11-20T19:59:00-05:00', '2026-11-20T20:00:00-05:00']],
    ['Toronto on a Saturday: 10:00-18:00', '+14165550100', '2026-11-21T09:00:00-05:00', ['America/Toronto', '2026-11-21T10:00:00-05:00', '2026-11-21T18:00:00-05:00']],
  ])('%s', async (_what, number, from, cells) => {
    expect(await windowOf(number, from)).toEqual(cells);
  });

  it('keeps the row as it was, its line ending after the three cells (CRLF)', async () => {
    wrk.write('crlf.csv', 'nom;telephone;ville\r\n"Dupont; Jean";06 12 99 99 99;Paris\r\n');
    await ok(wrk, ['scrub', 'crlf.csv', '--out', 'crlf-clean.csv', '--rules', 'fr', '--schedule', '--from', '2026-11-20T12:59:00+01:00', '--quiet']);
    expect(wrk.read('crlf-clean.csv')).toBe(
      'nom;telephone;ville;callscrub_timezone;callscrub_window_start;callscrub_window_end\r\n"Dupont; Jean";06 12 99 99 99;Paris;Europe/Paris;2026-11-20T12:59:00+01:00;2026-11-20T13:00:00+01:00\r\n',
    );
  });

  it('leaves the cells empty for a number no rule named governs, and says so', async () => {
    const { clean, stderr } = await scrub(wrk, 'unruled', 'nom;telephone', ['x;+13055550100'], ['--rules', 'fr', '--schedule', '--from', '2026-11-20T12:00:00+01:00']);
    expect(clean[1]).toBe('x;+13055550100;;;');
    expect(stderr).toMatch(/1 clean rows have no calling window: no rule set in --rules fr governs their number/);
  });

  it('is a usage error without --rules, and --from without --schedule too (exit 2)', async () => {
    wrk.write('u.csv', 'nom;telephone\nx;0612999999\n');
    for (const argv of [
      ['--schedule'],
      ['--schedule', '--from', '2026-11-20T12:00:00+01:00'],
      ['--rules', 'fr', '--from', '2026-11-20T12:00:00+01:00'],
      ['--rules', 'fr', '--schedule', '--from', '2026-11-20T12:00:00'],
      ['--rules', 'fr', '--schedule', '--from', 'tomorrow'],
      ['--rules', 'fr,de'],
    ]) {
      const outcome = await wrk.spawn(['scrub', 'u.csv', '--out', 'u-clean.csv', ...argv]);
      expect(outcome.code, argv.join(' ')).toBe(2);
      expect(outcome.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(outcome.stderr).toMatch(/^callscrub: /);
      expect(wrk.exists('u-clean.csv')).toBe(false);
    }
  });
});

describe('history import, status and prune', () => {
  let wrk: Workdir;
  beforeEach(() => {
    wrk = Workdir.create();
  });
  afterEach(() => wrk.remove());

  const log: Array<[string, number, string]> = [
    ['0612000001', T - 3 * day, 'NRP'],
    ['0612000001', T - 2 * day, 'occupé'],
    ['+33 6 12 00 00 02', T - day, 'répondeur'],
    ['0612000003', T - hour, 'rappel'],
  ];

  it('adds nothing when the same log is imported twice', async () => {
    const first = await importLog(wrk, log);
    expect(first).toMatchObject({ import: 1, rows: 4, accepted: 4, attemptsAdded: 4, duplicates: 0, refusals: 0, history: { attempts: 4, numbers: 3, refusals: 0 } });
    const second = await importLog(wrk, log, new Date(NOW.getTime() + 1000));
    expect(second).toMatchObject({ import: 2, rows: 4, attemptsRead: 4, attemptsAdded: 0, refusalsAdded: 0, duplicates: 4, firstCall: null, lastCall: null, history: { attempts: 4, numbers: 3, refusals: 0 } });
    // The same attempts in another notation and time zone are the same attempts.
    wrk.write('other.csv', `tel;horodatage;statut\n${log.map(([n, s, o]) => `${n.replace(/^0/, '+33')};${new Date((s + 3600) * 1000).toISOString().slice(0, 19)}+01:00;${o}`).join('\n')}\n`);
    const third = JSON.parse((await ok(wrk, ['history', 'import', 'other.csv', '--json'])).stdout);
    expect(third).toMatchObject({ attemptsAdded: 0, history: { attempts: 4 } });
  });

  it('counts a refusal a re-exported log adds to an attempt already held, without counting the attempt again', async () => {
    await importLog(wrk, log);
    const reexported = log.map(([n, s, o], i): [string, number, string] => [n, s, i === 2 ? 'Refusé' : o]);
    const second = await importLog(wrk, reexported, new Date(NOW.getTime() + 1000));
    expect(second).toMatchObject({ refusals: 1, refusalsAdded: 1, history: { attempts: 4, numbers: 3, refusals: 1 } });
    await registry(wrk);
    const { summary } = await scrub(wrk, 'after', 'nom;telephone', ['a;0612000002'], ['--rules', 'fr'], new Date(NOW.getTime() + 2000));
    expect(summary.byReason).toEqual({ 'refusal-pause': 1 });
  });

  it('says what the history holds (status --json)', async () => {
    await importLog(wrk, log, new Date(NOW.getTime() - 60_000));
    await importLog(wrk, [['0612000004', T - 10 * day, 'refus'], ...log], NOW, 'more.csv');
    const status = JSON.parse((await ok(wrk, ['history', 'status', '--json'])).stdout);
    expect(status).toMatchObject({ attempts: 5, numbers: 4, refusals: 1, firstCall: at(T - 10 * day).toISOString(), lastCall: at(T - hour).toISOString(), prunedBefore: null });
    expect(status.imports).toHaveLength(2);
    expect(status.imports.map((i: { attemptsAdded: number; refusalsAdded: number; file: string }) => [i.file, i.attemptsAdded, i.refusalsAdded])).toEqual([
      ['calls.csv', 4, 0],
      ['more.csv', 1, 1],
    ]);
    const text = await ok(wrk, ['history', 'status']);
    expect(text.stdout).toContain('call history: 5 attempts to 4 numbers, 1 refusals');
    expect(text.stdout).not.toMatch(/0612|612000/);
  });

  it('refuses to prune closer than 60 days (exit 2), and drops older calls at 60', async () => {
    await importLog(wrk, [['0612000001', T - 70 * day, 'NRP'], ['0612000001', T - 60 * day - 1, 'refus'], ['0612000001', T - 60 * day, 'NRP'], ['0612000002', T - 59 * day, 'refus'], ['0612000002', T - day, 'NRP']]);
    const refused = await wrk.run(['history', 'prune', '--keep-days', '59'], { now: NOW });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^callscrub: --keep-days 59 would drop calls the rules still count/);
    const pruned = JSON.parse((await ok(wrk, ['history', 'prune', '--keep-days', '60', '--json'])).stdout);
    expect(pruned).toMatchObject({ keepDays: 60, removed: 2, prunedBefore: at(T - 60 * day).toISOString(), history: { attempts: 3, numbers: 2, refusals: 1 } });
    const status = JSON.parse((await ok(wrk, ['history', 'status', '--json'])).stdout);
    expect(status).toMatchObject({ attempts: 3, firstCall: at(T - 60 * day).toISOString(), prunedBefore: at(T - 60 * day).toISOString() });
  });
});

describe('replay of a scrub with rules', () => {
  const wrk = Workdir.create();
  afterAll(() => wrk.remove());
  const verify = () => wrk.spawn(['verify', 'report.json', '--pubkey', 'k.pub', '--input', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--replay']);

  it('verifies, still verifies after a later import and a prune of calls it did not count, and fails once a prune removed some it did', async () => {
    await registry(wrk);
    await ok(wrk, ['keygen', '--out', 'k']);
    await importLog(
      wrk,
      [
        ['0612000001', T - 65 * day, 'NRP'], // beyond the rules' reach: not counted
        ['0612000002', T - 55 * day, 'refus'], // counted: a pause until T + 5 days
        ...[T - 4 * day, T - 3 * day, T - 2 * day, T - day].map((s): [string, number, string] => ['0612000003', s, 'NRP']),
        ['0612000004', T - day, 'NRP'],
      ],
      new Date(NOW.getTime() - 3_600_000),
    );
    wrk.write('prospects.csv', 'nom;telephone\na;0612000001\nb;0612000002\nc;0612000003\nd;0612000004\ne;0612345601\n');
    const scrubbed = JSON.parse(
      (await ok(wrk, ['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--rules', 'fr', '--schedule', '--from', '2026-11-23T09:00:00+01:00', '--report', 'report.json', '--key', 'k.key', '--json'])).stdout,
    );
    expect(scrubbed.byReason).toEqual({ 'refusal-pause': 1, 'frequency-cap': 1, listed: 1 });
    const payload = JSON.parse(Buffer.from(JSON.parse(wrk.read('report.json')).payload, 'base64').toString('utf8'));
    expect(payload.predicate.settings).toMatchObject({ rules: ['fr'] });
    expect(payload.predicate.contactRules).toMatchObject({ at: NOW.toISOString(), history: { imports: 1, attempts: 6 } });

    const first = await verify();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/replay/);

    // Later calls: 0612000004 reaches its cap and 0612000001 refuses. A scrub now would differ; the replay must not see them.
    await importLog(wrk, [...[T + 60, T + 120, T + 180].map((s): [string, number, string] => ['0612000004', s, 'NRP']), ['0612000001', T + 240, 'Refusé']], new Date(NOW.getTime() + 3_600_000), 'later.csv');
    const now = await scrub(wrk, 'again', 'nom;telephone', ['d;0612000004', 'a;0612000001'], ['--rules', 'fr'], new Date(NOW.getTime() + 3_600_000));
    expect(now.summary.byReason).toEqual({ 'frequency-cap': 1, 'refusal-pause': 1 });
    const second = await verify();
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);

    // A prune of calls beyond the scrub's reach (before T - 58 days) changes nothing it judged by.
    const cut1 = JSON.parse((await ok(wrk, ['history', 'prune', '--keep-days', '60', '--json'], at(T + 2 * day))).stdout);
    expect(cut1.removed).toBe(1);
    const third = await verify();
    expect(third.stderr).toBe('');
    expect(third.code).toBe(0);

    // A prune that removes the refusal the scrub counted: the replay cannot be made, and says why in one line.
    const cut2 = JSON.parse((await ok(wrk, ['history', 'prune', '--keep-days', '60', '--json'], at(T + 10 * day))).stdout);
    expect(cut2.removed).toBe(1);
    const fourth = await verify();
    expect(fourth.code).toBe(1);
    expect(fourth.stdout).toBe('');
    const lines = fourth.stderr.trim().split('\n');
    expect(lines, fourth.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^callscrub: .*the call history the scrub judged by was pruned on .*\(calls before .* are gone\)/);
    expect(fourth.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('bad call logs (end to end)', () => {
  let wrk: Workdir;
  beforeEach(() => {
    wrk = Workdir.create();
  });
  afterEach(() => wrk.remove());

  async function fails(file: string, content: string | Buffer, extra: string[] = []): Promise<Outcome> {
    wrk.write(file, content);
    const outcome = await wrk.spawn(['history', 'import', file, ...extra]);
    expect(outcome.stdout).toBe('');
    const lines = outcome.stderr.trim().split('\n');
    expect(lines, outcome.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^callscrub: /);
    expect(outcome.stderr).not.toMatch(/\n\s+at |Error:/);
    return outcome;
  }

  it('stops at a time without an offset when no --timezone is given (exit 1, file:line)', async () => {
    const outcome = await fails('local.csv', 'numero,date_appel,resultat\n0612000001,2025-11-03T10:00:00Z,NRP\n0612000002,2025-11-03 10:00:00,NRP\n');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^callscrub: local\.csv:3: a call time without a time zone offset/);
    expect(outcome.stderr).not.toContain('0612000002');
    // With --timezone it is read.
    const read = await wrk.spawn(['history', 'import', 'local.csv', '--timezone', 'Europe/Paris', '--json']);
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ attemptsAdded: 2, lastCall: '2025-11-03T10:00:00.000Z' });
  });

  it('refuses an unknown --timezone (exit 2)', async () => {
    const outcome = await fails('log.csv', 'numero,date_appel,resultat\n0612000001,2025-11-03 10:00:00,NRP\n', ['--timezone', 'Europe/Atlantis']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("unknown time zone 'Europe/Atlantis'");
  });

  it('refuses a log with no number column, naming the columns it has', async () => {
    const outcome = await fails('nonumber.csv', 'nom,date_appel,resultat\nDupont,2025-11-03T10:00:00Z,NRP\n');
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^callscrub: nonumber\.csv:1: no phone number column/);
  });

  it('refuses a binary file and an empty file (exit 1)', async () => {
    const binary = await fails('calls.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xff, 0xfe]));
    expect(binary.code).toBe(1);
    expect(binary.stderr).toMatch(/calls\.xlsx/);
    const empty = await fails('empty.csv', '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^callscrub: empty\.csv: /);
    const headerOnly = await fails('header.csv', 'numero,date_appel,resultat\n');
    expect(headerOnly.code).toBe(1);
    expect(headerOnly.stderr).toContain('header but no rows');
  });

  it('lists rejected rows by line and reason, and never writes a number anywhere', async () => {
    const now = Date.now();
    const past = new Date(now - 2 * day * 1000).toISOString();
    const rows = [
      ['0612000001', past, 'NRP'], // accepted
      ['06123', past, 'NRP'], // too short
      ['0612000002', 'hier', 'NRP'], // bad time
      ['0612000003', new Date(now + 2 * day * 1000).toISOString(), 'NRP'], // future
      ['0612000004', '1999-12-31T23:00:00Z', 'NRP'], // implausible
      ['0612000005 / 0612000006', past, 'NRP'], // several numbers
      ['0612000007', past], // wrong field count
      ['', past, 'NRP'], // no number
    ];
    wrk.write('log.csv', `numero,date_appel,resultat\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const outcome = await wrk.spawn(['history', 'import', 'log.csv', '--rejects', 'rejects.tsv']);
    expect(outcome.code, outcome.stderr).toBe(0);
    const rejects = wrk.read('rejects.tsv');
    expect(rejects.split('\n').filter((l) => l.length > 0)).toEqual(['line\treason', '3\ttoo-short', '4\tbad-time', '5\tfuture-time', '6\timplausible-time', '7\tseveral-numbers', '8\twrong-field-count', '9\tno-number']);
    const json = await wrk.spawn(['history', 'import', 'log.csv', '--rejects', 'rejects2.tsv', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ accepted: 1, rejected: 7, attemptsAdded: 0 });
    for (const text of [outcome.stdout, outcome.stderr, json.stdout, json.stderr, rejects, wrk.read('rejects2.tsv')]) {
      expect(text).not.toMatch(/06123|0612000|612000|33612/);
    }
  });
});

describe('call logs written by programs nobody here wrote', () => {
  let wrk: Workdir;
  beforeEach(() => {
    wrk = Workdir.create();
  });
  afterEach(() => wrk.remove());

  it("imports a log written by Python's csv module (CRLF, quoted cells, a line break in a cell) and scrubs by it", async (context) => {
    if (spawnSync('python3', ['--version']).error !== undefined) {
      console.warn('python3 is not installed: the Python csv call-log test is skipped');
      return context.skip();
    }
    const now = Math.floor(Date.now() / 1000);
    const script = [
      'import csv, sys, datetime',
      'now = int(sys.argv[2])',
      "stamp = lambda s: datetime.datetime.fromtimestamp(s, datetime.timezone(datetime.timedelta(hours=1))).isoformat()",
      "with open(sys.argv[1], 'w', newline='', encoding='utf-8') as f:",
      '    w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC)',
      "    w.writerow(['Phone Number', 'Call Start Time', 'Disposition', 'Agent notes'])",
      "    for d in (4, 3, 2, 1):",
      "        w.writerow(['+33 6 12 00 00 01', stamp(now - d * 86400), 'No answer', 'left a message, \"call back\"'])",
      "    w.writerow(['06 12 00 00 02', stamp(now - 10 * 86400), 'Pas intéressé', 'said:\\nnever again'])",
      "    w.writerow(['06 12 00 00 03', stamp(now - 86400), 'Busy', ''])",
    ].join('\n');
    const written = spawnSync('python3', ['-c', script, wrk.path('dialer.csv'), String(now)]);
    expect(written.status, written.stderr.toString()).toBe(0);
    expect(fs.readFileSync(wrk.path('dialer.csv'), 'utf8')).toContain('\r\n');
    const imported = await wrk.spawn(['history', 'import', 'dialer.csv', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 6, accepted: 6, rejected: 0, refusals: 1, attemptsAdded: 6, columns: { number: 'Phone Number', time: 'Call Start Time', outcome: 'Disposition' } });
    wrk.write('bloctel.txt', '0612345601\n');
    expect((await wrk.spawn(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(1), '--quiet'])).code).toBe(0);
    wrk.write('prospects.csv', 'nom;telephone\na;0612000001\nb;0612000002\nc;0612000003\n');
    const scrubbed = await wrk.spawn(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--rules', 'fr', '--json']);
    expect(scrubbed.code, scrubbed.stderr).toBe(0);
    expect(JSON.parse(scrubbed.stdout).byReason).toEqual({ 'frequency-cap': 1, 'refusal-pause': 1 });
    expect(rowsOf(wrk.read('clean.csv'))).toEqual(['nom;telephone', 'c;0612000003']);
  });
});
