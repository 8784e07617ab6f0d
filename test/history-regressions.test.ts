// Call history and contact rules: what the first test pass found wrong, kept from coming back. A history import
// that fails leaves no registry; a refusal added to an attempt already held is no new attempt; --schedule gives an
// ambiguous 08/09 number only the hours legal under every number it may be.

import { afterEach, beforeEach, expect, it } from 'vitest';
import { daysAgo, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

it('creates no registry when the import is refused for an unknown --timezone (exit 2)', async () => {
  wrk.write('log.csv', 'numero,date_appel,resultat\n0612000001,2025-11-03 10:00:00,NRP\n');
  const outcome = await wrk.spawn(['history', 'import', 'log.csv', '--timezone', 'Europe/Atlantis']);
  expect(outcome.code).toBe(2);
  expect(wrk.exists('callscrub.db')).toBe(false);
});

it('creates no registry when the log cannot be read (a local time and no --timezone, exit 1)', async () => {
  wrk.write('log.csv', 'numero,date_appel,resultat\n0612000001,2025-11-03 10:00:00,NRP\n');
  const outcome = await wrk.spawn(['history', 'import', 'log.csv']);
  expect(outcome.code).toBe(1);
  expect(wrk.exists('callscrub.db')).toBe(false);
});

it('counts a refusal added to a held attempt as a refusal, not as an attempt', async () => {
  const now = new Date(Date.UTC(2026, 10, 20, 11));
  wrk.write('a.csv', 'numero,date_appel,resultat\n0612000009,2026-11-19T10:00:00Z,NRP\n');
  expect((await wrk.run(['history', 'import', 'a.csv', '--quiet'], { now })).code).toBe(0);
  wrk.write('b.csv', 'numero,date_appel,resultat\n0612000009,2026-11-19T10:00:00Z,Refus\n');
  const second = JSON.parse((await wrk.run(['history', 'import', 'b.csv', '--json'], { now })).stdout);
  expect(second).toMatchObject({ refusalsAdded: 1, history: { attempts: 1, refusals: 1 } });
  expect(second).toMatchObject({ attemptsAdded: 0, duplicates: 1 });
  const status = JSON.parse((await wrk.run(['history', 'status', '--json'], { now })).stdout);
  const added = status.imports.reduce((n: number, i: { attemptsAdded: number }) => n + i.attemptsAdded, 0);
  expect(added).toBe(status.attempts);
});

it('schedules an ambiguous 08 number only in the hours legal under every reading', async () => {
  const now = new Date(Date.UTC(2026, 10, 20, 11));
  wrk.write('bloctel.txt', '0612345601\n');
  expect((await wrk.run(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(1, now), '--covers', '33,262,508,590,594,596', '--quiet'], { now })).code).toBe(0);
  wrk.write('p.csv', 'nom;telephone\nx;0801234567\n');
  const outcome = await wrk.run(['scrub', 'p.csv', '--out', 'clean.csv', '--rules', 'fr', '--schedule', '--from', '2026-11-20T12:59:00+01:00', '--quiet'], { now });
  expect(outcome.code, outcome.stderr).toBe(0);
  const [, start, end] = (wrk.read('clean.csv').split('\n')[1] as string).split(';').slice(2);
  // 08:59 in Guadeloupe, 15:59 in Réunion: not legal everywhere the number may be.
  expect(Date.parse(start as string)).toBeGreaterThanOrEqual(Date.parse('2026-11-20T15:00:00+01:00'));
  expect(Date.parse(end as string)).toBeLessThanOrEqual(Date.parse('2026-11-20T17:00:00+01:00'));
});
