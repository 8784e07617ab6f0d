// Call history and contact rules: what the test passes found wrong, kept from coming back. A history import that
// fails leaves no registry; a refusal added to an attempt already held is no new attempt; --schedule gives an
// ambiguous 08/09 number only the hours legal under every number it may be; redials written in the same minute are
// each a call, though the same log imported again adds none; a lost chunk stops the work; pruned calls stay gone;
// --schedule's window suits every callable number of a row and refuses old window columns and a far --from; a
// report's rules name their history; a registry made from an empty file is private; a report's scrub checks the
// imports its replay will need.

import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

it('counts redials a log writes at the same minute as that many calls, and adds none when the log comes again', async () => {
  const now = new Date('2026-11-20T11:00:00Z');
  const redials = Array.from({ length: 4 }, () => '0612000011,19/11/2026 10:00,occupé');
  wrk.write('calls.csv', `numero;date_appel;resultat\n${redials.join('\n')}\n0612000012,19/11/2026 10:00,occupé\n`.replace(/,/g, ';'));
  const first = JSON.parse((await wrk.run(['history', 'import', 'calls.csv', '--timezone', 'Europe/Paris', '--json'], { now })).stdout);
  expect(first).toMatchObject({ attemptsRead: 5, attemptsAdded: 5, history: { attempts: 5, numbers: 2 } });
  const again = JSON.parse((await wrk.run(['history', 'import', 'calls.csv', '--timezone', 'Europe/Paris', '--json'], { now })).stdout);
  expect(again).toMatchObject({ attemptsAdded: 0, duplicates: 5, history: { attempts: 5 } });
  wrk.write('prospects.csv', 'telephone\n0612000011\n0612000012\n');
  wrk.write('bloctel.txt', '0199000000\n');
  expect((await wrk.run(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--quiet'], { now })).code).toBe(0);
  const scrub = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--rules', 'fr', '--quiet'], { now });
  expect(scrub.code).toBe(0);
  expect(wrk.read('excluded.csv')).toContain('0612000011;frequency-cap');
  expect(wrk.read('clean.csv')).toContain('0612000012');
});

it('stops a scrub and history status when a chunk of the history is lost', async () => {
  const now = new Date('2026-11-20T11:00:00Z');
  // 3,000 numbers: three chunks of the merged history (1,024 attempts each).
  const rows = Array.from({ length: 3000 }, (_, i) => `+336${String(30_000_000 + i)},2026-11-19T10:00:00Z,refus`);
  wrk.write('calls.csv', `numero,date_appel,resultat\n${rows.join('\n')}\n`);
  wrk.write('bloctel.txt', '0199000000\n');
  wrk.write('prospects.csv', 'telephone\n+33630002999\n');
  expect((await wrk.run(['history', 'import', 'calls.csv', '--quiet'], { now })).code).toBe(0);
  expect((await wrk.run(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--quiet'], { now })).code).toBe(0);
  const db = new Database(wrk.path('callscrub.db'));
  db.prepare('DELETE FROM history_chunks WHERE import_id = 0 AND seq = (SELECT max(seq) FROM history_chunks WHERE import_id = 0)').run();
  db.close();
  for (const argv of [['history', 'status'], ['scrub', 'prospects.csv', '--out', 'clean.csv', '--rules', 'fr'], ['when', '+33630002999', '--rules', 'fr']]) {
    const outcome = await wrk.run(argv, { now });
    expect(outcome.code, argv.join(' ')).toBe(1);
    expect(outcome.stderr).toMatch(/the call history is damaged in the registry \(the merged history: 2 chunks of 2048 attempts where 3 of 3000 were written\)/);
  }
  expect(wrk.exists('clean.csv')).toBe(false);
});

it('leaves out calls before the prune cut when an old log is imported again', async () => {
  const now = new Date('2026-11-20T11:00:00Z');
  wrk.write('old.csv', 'numero,date_appel,resultat\n0612000021,2026-06-01T10:00:00Z,refus\n0612000021,2026-11-01T10:00:00Z,NRP\n');
  expect((await wrk.run(['history', 'import', 'old.csv', '--quiet'], { now })).code).toBe(0);
  expect((await wrk.run(['history', 'prune', '--keep-days', '90', '--json'], { now })).code).toBe(0);
  const again = JSON.parse((await wrk.run(['history', 'import', 'old.csv', '--json'], { now })).stdout);
  expect(again).toMatchObject({ attemptsAdded: 0, beforePruneCut: 1, history: { attempts: 1, refusals: 0, firstCall: '2026-11-01T10:00:00.000Z' } });
});

describe('--schedule', () => {
  const now = new Date('2026-11-20T08:00:00Z');
  beforeEach(async () => {
    wrk.write('bloctel.txt', '0199000000\n');
    expect((await wrk.run(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--covers', '33,262,508,590,594,596,1', '--quiet'], { now })).code).toBe(0);
  });

  it('gives a row the window in which every callable number of it may be called', async () => {
    // A Paris number and a Réunion one (three hours ahead): Paris 10:00-13:00 is Réunion 13:00-16:00, across its
    // lunch break; both may be called from Paris 11:00 (Réunion 14:00) to 13:00.
    wrk.write('p.csv', 'nom;fixe;mobile\nx;0142685300;0692123456\n');
    const outcome = await wrk.run(['scrub', 'p.csv', '--out', 'clean.csv', '--rules', 'fr', '--schedule', '--from', '2026-11-20T10:00:00+01:00', '--quiet'], { now });
    expect(outcome.code).toBe(0);
    expect(wrk.read('clean.csv').split('\n')[1]).toBe('x;0142685300;0692123456;Europe/Paris;2026-11-20T11:00:00+01:00;2026-11-20T13:00:00+01:00');
  });

  it('refuses a file that already holds callscrub_ window columns, and a --from far from now', async () => {
    wrk.write('p.csv', 'nom;telephone;callscrub_timezone;callscrub_window_start;callscrub_window_end\nx;0142685300;Europe/Paris;2026-11-21T10:00:00+01:00;2026-11-21T13:00:00+01:00\n');
    const stale = await wrk.run(['scrub', 'p.csv', '--out', 'clean.csv', '--rules', 'fr', '--schedule'], { now });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/p\.csv:1: the file already has a column 'callscrub_timezone'/);
    expect(wrk.exists('clean.csv')).toBe(false);
    wrk.write('q.csv', 'nom;telephone\nx;0142685300\n');
    for (const from of ['2020-01-06T10:00:00Z', '9999-12-31T23:00:00Z']) {
      const far = await wrk.run(['scrub', 'q.csv', '--out', 'clean.csv', '--rules', 'fr', '--schedule', '--from', from], { now });
      expect(far.code, from).toBe(2);
      expect(far.stderr).toMatch(/--from .* is more than a (day before now|year after now)/);
    }
  });
});

it('refuses a report whose rules and contactRules disagree (exit 4)', async () => {
  const now = new Date('2026-11-20T08:00:00Z');
  wrk.write('bloctel.txt', '0199000000\n');
  wrk.write('p.csv', 'telephone\n0142685300\n');
  expect((await wrk.run(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--quiet'], { now })).code).toBe(0);
  expect((await wrk.run(['scrub', 'p.csv', '--out', 'clean.csv', '--rules', 'fr', '--report', 'r.json', '--unsigned', '--quiet'], { now })).code).toBe(0);
  const envelope = JSON.parse(wrk.read('r.json'));
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
  delete statement.predicate.contactRules;
  wrk.write('r.json', JSON.stringify({ ...envelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') }));
  const shown = await wrk.run(['report', 'show', 'r.json'], { now });
  expect(shown.code).toBe(4);
  expect(shown.stderr).toMatch(/statement\.predicate\.contactRules is missing though settings\.rules names rules/);
});

it('makes an empty file given as the registry readable by its owner only', async () => {
  wrk.write('empty.db', '');
  fs.chmodSync(wrk.path('empty.db'), 0o644);
  wrk.write('calls.csv', 'numero,date_appel,resultat\n0612000001,2026-11-19T10:00:00Z,NRP\n');
  expect((await wrk.run(['history', 'import', 'calls.csv', '--db', 'empty.db', '--quiet'], { now: new Date('2026-11-20T08:00:00Z') })).code).toBe(0);
  expect(fs.statSync(wrk.path('empty.db')).mode & 0o777).toBe(0o600);
});

it('stops a scrub that writes a report when an import of the history is damaged: its replay would fail', async () => {
  const now = new Date('2026-11-20T08:00:00Z');
  wrk.write('bloctel.txt', '0199000000\n');
  wrk.write('p.csv', 'telephone\n0142685300\n');
  wrk.write('calls.csv', 'numero,date_appel,resultat\n0612000001,2026-11-19T10:00:00Z,NRP\n');
  expect((await wrk.run(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--quiet'], { now })).code).toBe(0);
  expect((await wrk.run(['history', 'import', 'calls.csv', '--quiet'], { now })).code).toBe(0);
  const db = new Database(wrk.path('callscrub.db'));
  db.prepare("UPDATE history_chunks SET data = CAST(data || x'00' AS BLOB) WHERE import_id = 1").run();
  db.close();
  // The scrub itself reads the merged history, which is sound; with --report the imports are checked too.
  expect((await wrk.run(['scrub', 'p.csv', '--out', 'clean.csv', '--rules', 'fr', '--quiet'], { now })).code).toBe(0);
  const reported = await wrk.run(['scrub', 'p.csv', '--out', 'clean2.csv', '--rules', 'fr', '--report', 'r.json', '--unsigned'], { now });
  expect(reported.code).toBe(1);
  expect(reported.stderr).toMatch(/the call history is damaged in the registry \(import 1: chunk 1 does not match its checksum\)/);
  expect(wrk.exists('r.json')).toBe(false);
});

it('says a folder given as the registry is a folder', async () => {
  fs.mkdirSync(wrk.path('folder'));
  const outcome = await wrk.run(['when', '0612345678', '--db', 'folder']);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toMatch(/folder: cannot open the registry: is a directory \(name a file\)/);
});

describe('a merged history that is not that of the imports', () => {
  const now = new Date('2026-11-20T11:00:00Z');
  // 0612000031 is in a refusal pause after the second log; 3,000 more numbers make three chunks of the merged history.
  async function twoImports(): Promise<{ first: Array<Record<string, unknown>>; firstPart: Record<string, unknown> }> {
    wrk.write('bloctel.txt', '0199000000\n');
    wrk.write('p.csv', 'telephone\n0612000031\n');
    expect((await wrk.run(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--quiet'], { now })).code).toBe(0);
    const rows = Array.from({ length: 3000 }, (_, i) => `+336${String(40_000_000 + i)},2026-11-19T10:00:00Z,NRP`);
    wrk.write('a.csv', `numero,date_appel,resultat\n${rows.join('\n')}\n`);
    expect((await wrk.run(['history', 'import', 'a.csv', '--quiet'], { now })).code).toBe(0);
    const db = new Database(wrk.path('callscrub.db'));
    const first = db.prepare('SELECT * FROM history_chunks WHERE import_id = 0').all() as Array<Record<string, unknown>>;
    const firstPart = db.prepare('SELECT * FROM history_parts WHERE import_id = 0').get() as Record<string, unknown>;
    db.close();
    wrk.write('b.csv', 'numero,date_appel,resultat\n0612000031,2026-11-19T10:00:00Z,refus\n');
    expect((await wrk.run(['history', 'import', 'b.csv', '--quiet'], { now })).code).toBe(0);
    return { first, firstPart };
  }

  async function stopsEverywhere(message: RegExp): Promise<void> {
    for (const argv of [['history', 'status'], ['scrub', 'p.csv', '--out', 'clean.csv', '--rules', 'fr'], ['when', '0612000031', '--rules', 'fr', '--check']]) {
      const outcome = await wrk.run(argv, { now });
      expect(outcome.code, argv.join(' ')).toBe(1);
      expect(outcome.stderr, argv.join(' ')).toMatch(message);
    }
    expect(wrk.exists('clean.csv')).toBe(false);
  }

  it('stops everything when the merged history is gone', async () => {
    await twoImports();
    const db = new Database(wrk.path('callscrub.db'));
    db.prepare('DELETE FROM history_chunks WHERE import_id = 0').run();
    db.prepare('DELETE FROM history_parts WHERE import_id = 0').run();
    db.close();
    await stopsEverywhere(/the merged history: .*0 chunks of 0 attempts|it holds the calls up to import 0, and the last import is 2/);
  });

  it('stops everything when the merged history is an older copy', async () => {
    const { first, firstPart } = await twoImports();
    const db = new Database(wrk.path('callscrub.db'));
    db.prepare('DELETE FROM history_chunks WHERE import_id = 0').run();
    const insert = db.prepare('INSERT INTO history_chunks(import_id, seq, count, first, last, min_second, max_second, data, checksum) VALUES (@import_id, @seq, @count, @first, @last, @min_second, @max_second, @data, @checksum)');
    for (const row of first) insert.run(row);
    db.prepare('UPDATE history_parts SET chunks = @chunks, entries = @entries, bounds = @bounds, through = @through WHERE import_id = 0').run(firstPart);
    db.close();
    await stopsEverywhere(/it holds the calls up to import 1, and the last import is 2/);
  });

  it('stops when, which finds chunks by their bounds, when a bound was changed', async () => {
    await twoImports();
    const db = new Database(wrk.path('callscrub.db'));
    db.prepare('UPDATE history_chunks SET last = first WHERE import_id = 0 AND seq = 0').run();
    db.close();
    await stopsEverywhere(/the bounds of its chunks are not those written|does not match its checksum/);
  });

  it('stops an import into a history whose import chunk is lost, and history status when an import is not listed', async () => {
    await twoImports();
    const db = new Database(wrk.path('callscrub.db'));
    db.prepare('DELETE FROM history_chunks WHERE import_id = 1 AND seq = 0').run();
    db.close();
    const again = await wrk.run(['history', 'import', 'b.csv'], { now });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/import 1: 0 chunks of 0 attempts where 1 of 3000 were written/);
    const db2 = new Database(wrk.path('callscrub.db'));
    db2.prepare('DELETE FROM history_imports WHERE id = 1').run();
    db2.close();
    const status = await wrk.run(['history', 'status'], { now });
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/import 1: its chunks are stored but the import is not listed/);
  });
});

it('warns that a fixed-offset --timezone has no summer time', async () => {
  wrk.write('calls.csv', 'numero,date_appel,resultat\n+12125550123,2026-07-01 10:00:00,NA\n');
  const outcome = await wrk.run(['history', 'import', 'calls.csv', '--timezone', 'EST', '--country', 'US'], { now: new Date('2026-07-02T12:00:00Z') });
  expect(outcome.code).toBe(0);
  expect(outcome.stderr).toMatch(/--timezone EST keeps one offset all year \(no summer time\): for a dialer in New York give America\/New_York/);
});
