// Reading a dialer's call log (issue 11): the columns found by name, each time form (offsets, epochs, local times in
// --timezone's zone through DST changes), every reject reason with its line, refusal outcomes, the readings of an
// ambiguous number, files as Excel and Python write them, and no number's text in any reject or error.

import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallscrubError } from '../src/errors.js';
import { openSource } from '../src/io/source.js';
import { defaultRefusalOutcomes, isOutcomeHeader, isRefusal, parseRefusalOutcomes, timeRoleOfHeader } from '../src/registry/call-log-columns.js';
import { laterInstant, localTime } from '../src/rules/local-time.js';
import { callLogRejectReasons, readCallLog, type CallLogOptions } from '../src/registry/call-log-reader.js';
import { readCallTime } from '../src/instants.js';
import type { Reject } from '../src/registry/list-reader.js';
import { Workdir } from './workdir.js';

const now = Date.UTC(2026, 11, 1, 12);
const defaults: CallLogOptions = { country: 'FR', timeZone: undefined, refusalOutcomes: undefined, numberColumn: undefined, timeColumn: undefined, outcomeColumn: undefined, now };
const seconds = (iso: string) => Date.parse(iso) / 1000;

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

async function read(content: string | Buffer, options: Partial<CallLogOptions> = {}, name = 'log.csv') {
  const file = wrk.write(name, content);
  const attempts: Array<[number, number, boolean]> = [];
  const progress: Array<[number, number]> = [];
  // Every reject, as the command's --rejects file takes them (the reader keeps the first few only).
  const rejects: Reject[] = [];
  const read = await readCallLog(
    openSource(file, Readable.from([])),
    { onReject: (reject) => rejects.push(reject), ...defaults, ...options },
    (value, at, refusal) => attempts.push([value, at, refusal]),
    (rows, bytes) => progress.push([rows, bytes]),
  );
  return { result: { ...read, rejects }, kept: read.rejects, attempts, progress };
}

async function failure(content: string, options: Partial<CallLogOptions> = {}): Promise<CallscrubError> {
  const error = await read(content, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CallscrubError);
  return error as CallscrubError;
}

describe('the time of a call', () => {
  it.each([
    ['2026-11-30T10:00:00Z', '2026-11-30T10:00:00Z'],
    ['2026-11-30T10:00:00.999Z', '2026-11-30T10:00:00Z'],
    ['2026-11-30 10:00Z', '2026-11-30T10:00:00Z'],
    ['2026-11-30T10:00:00+01:00', '2026-11-30T09:00:00Z'],
    ['2026-11-30T10:00:00+0100', '2026-11-30T09:00:00Z'],
    ['2026-11-30T10:00:00+01', '2026-11-30T09:00:00Z'],
    ['2026-11-30T10:00:00-05:30', '2026-11-30T15:30:00Z'],
    ['2026-11-30 10:00:00 UTC', '2026-11-30T10:00:00Z'],
    ['1796032800', '2026-11-30T10:00:00Z'],
    ['1796032800999', '2026-11-30T10:00:00Z'],
  ])('reads %s as the instant %s', async (cell, instant) => {
    const { result, attempts } = await read(`telephone,date,outcome\n0612345678,${cell},answered\n`);
    expect(result.rejects).toEqual([]);
    expect(attempts).toEqual([[33612345678, seconds(instant), false]]);
  });

  it.each([
    ['a summer time', '2026-07-01 10:00', '2026-07-01T08:00:00Z'],
    ['a winter time', '2026-12-01T10:00:00', '2026-12-01T09:00:00Z'],
    // 02:30 is shown twice on 25 October 2026 (CEST, then CET): the later instant counts the call longer.
    ['a time repeated by the autumn change: the later instant', '2026-10-25 02:30:00', '2026-10-25T01:30:00Z'],
    ['the hour before the repeated one', '2026-10-25 01:59:59', '2026-10-24T23:59:59Z'],
    ['the hour after it', '2026-10-25 03:00:00', '2026-10-25T02:00:00Z'],
    // 02:30 is never shown on 29 March 2026: the instant as far after the gap's start (03:30 CEST).
    ['a time skipped by the spring change: after the gap', '2026-03-29 02:30:00', '2026-03-29T01:30:00Z'],
    ['the first time after the gap', '2026-03-29 03:00:00', '2026-03-29T01:00:00Z'],
    ['a day-first date', '25/10/2026 14:05', '2026-10-25T13:05:00Z'],
  ])('reads a local time in --timezone: %s', async (_, cell, instant) => {
    const { attempts } = await read(`telephone;date;outcome\n0612345678;${cell};x\n`, { timeZone: 'Europe/Paris' });
    expect(attempts).toEqual([[33612345678, seconds(instant), false]]);
  });

  it.each([
    ['Europe/Paris', '2026-03-29'],
    ['Europe/Paris', '2026-10-25'],
    ['America/Miquelon', '2026-03-08'],
    ['America/Miquelon', '2026-11-01'],
    ['Australia/Lord_Howe', '2026-04-05'],
  ])('gives in %s on %s, minute by minute, the latest instant showing the wall time, or one after a gap', (zone, date) => {
    const day = Date.parse(`${date}T00:00:00Z`);
    for (let wall = day - 86_400_000; wall < day + 2 * 86_400_000; wall += 60_000) {
      const instant = laterInstant(wall, zone);
      const shown = localTime(instant, zone);
      const shownWall = shown.day * 86_400_000 + shown.minutes * 60_000;
      // Shown at `instant`, and not an hour (or half an hour) later: the later of two; or skipped, and shown after.
      const later = [30, 60].map((m) => localTime(instant + m * 60_000, zone)).map((t) => t.day * 86_400_000 + t.minutes * 60_000);
      if (shownWall === wall) expect(later.map((w) => w - wall)).not.toContain(0);
      else expect(shownWall).toBeGreaterThan(wall);
    }
  });

  it('combines a date column and a time-of-day column', () => {
    expect(readCallTime('2026-10-25', '02:30')).toEqual({ wall: Date.UTC(2026, 9, 25, 2, 30), offset: undefined });
    expect(readCallTime('25/10/2026', '14:30:15+02:00')).toEqual({ wall: Date.UTC(2026, 9, 25, 14, 30, 15), offset: 2 * 3600_000 });
    // A time cell with its own date is read alone; a date cell with an empty time cell must hold the time.
    expect(readCallTime('2026-10-25', '2026-10-24 23:00Z')).toEqual({ wall: Date.UTC(2026, 9, 24, 23), offset: 0 });
    expect(readCallTime('2026-10-25 10:00Z', '')).toEqual({ wall: Date.UTC(2026, 9, 25, 10), offset: 0 });
    expect(readCallTime('2026-10-25', '')).toBeUndefined();
    expect(readCallTime('2026-10-25 10:00', '11:00')).toBeUndefined();
  });

  it.each(['2026-02-30 10:00Z', '2026-11-30 24:00Z', '2026-11-30T10:00:00+25:00', '2026-11-30', '10/25/2026 10:00', 'hier', '', '176449680'])('refuses %j', (cell) => {
    expect(readCallTime(cell)).toBeUndefined();
  });

  it('stops at the first local time when no --timezone is given, with its line', async () => {
    const error = await failure('telephone,date,outcome\n0612345678,2026-11-30T10:00Z,x\n0612345678,2026-11-30 10:00,x\n');
    expect([error.code, error.line]).toEqual(['input', 3]);
    expect(error.hint).toBe("give --timezone Europe/Paris, the zone of the dialer's clock");
  });

  it('refuses an unknown --timezone', async () => {
    const error = await failure('telephone,date,outcome\n', { timeZone: 'Europe/Atlantis' });
    expect(error.code).toBe('usage');
  });
});

describe('records that give no attempt', () => {
  it('are rejected with their line and reason, and the others are attempts', async () => {
    const future = new Date(now + 6 * 60_000).toISOString();
    const nearlyNow = new Date(now + 4 * 60_000).toISOString();
    const log = [
      'telephone,date,outcome', // 1
      '0612345678,2026-11-30T10:00:00Z,answered', // 2
      '0612,2026-11-30T10:00:00Z,x', // 3: too-short
      '06123456789012,2026-11-30T10:00:00Z,x', // 4: unreadable
      ',2026-11-30T10:00:00Z,x', // 5: no-number
      'N/A,2026-11-30T10:00:00Z,x', // 6: no-number
      '06 12 34 56 78 / 07 81 23 45 67,2026-11-30T10:00:00Z,x', // 7: several-numbers
      '0612345678,yesterday,x', // 8: bad-time
      '0612345678,,x', // 9: bad-time
      '0612345678,1999-12-31T23:59:59Z,x', // 10: implausible-time
      `0612345678,${future},x`, // 11: future-time
      `0612345678,${nearlyNow},x`, // 12: a dialer's clock a little ahead
      '0612345678,2026-11-30T10:00:00Z', // 13: wrong-field-count
      '0612345678,2026-11-30T10:00:00Z,x,extra', // 14: wrong-field-count
      '', // 15: blank, not a row
      '0781234567,2026-11-30T11:00:00Z,refusé', // 16
      '0612345678,2026-11-30T10:00:00Z,x,', // 17: an empty cell past the header is no shift
    ].join('\n');
    const { result, attempts } = await read(`${log}\n`);
    expect(result.rejects).toEqual([
      { line: 3, reason: 'too-short' },
      { line: 4, reason: 'unreadable' },
      { line: 5, reason: 'no-number' },
      { line: 6, reason: 'no-number' },
      { line: 7, reason: 'several-numbers' },
      { line: 8, reason: 'bad-time' },
      { line: 9, reason: 'bad-time' },
      { line: 10, reason: 'implausible-time' },
      { line: 11, reason: 'future-time' },
      { line: 13, reason: 'wrong-field-count' },
      { line: 14, reason: 'wrong-field-count' },
    ]);
    expect(result.rejects.every((r) => (callLogRejectReasons as readonly string[]).includes(r.reason))).toBe(true);
    expect(result.rejectedByReason).toEqual({ 'too-short': 1, unreadable: 1, 'no-number': 2, 'several-numbers': 1, 'bad-time': 2, 'implausible-time': 1, 'future-time': 1, 'wrong-field-count': 2 });
    expect([result.rows, result.accepted, result.refusals]).toEqual([15, 4, 1]);
    expect(attempts).toEqual([
      [33612345678, seconds('2026-11-30T10:00:00Z'), false],
      [33612345678, Math.floor((now + 4 * 60_000) / 1000), false],
      [33781234567, seconds('2026-11-30T11:00:00Z'), true],
      [33612345678, seconds('2026-11-30T10:00:00Z'), false],
    ]);
    // No number's text in a reject.
    expect(JSON.stringify(result)).not.toMatch(/0612|612345678|0781/);
  });

  it('records an ambiguous 09 number under every number it may be', async () => {
    const { result, attempts } = await read('telephone,date,outcome\n09 76 12 34 56,2026-11-30T10:00:00Z,NI\n');
    expect(result.accepted).toBe(1);
    expect(result.refusals).toBe(1);
    const at = seconds('2026-11-30T10:00:00Z');
    expect(attempts).toEqual([
      [33976123456, at, true],
      [590976123456, at, true],
      [594976123456, at, true],
    ]);
  });

  it('reports progress as rows and bytes', async () => {
    const { result, progress } = await read('telephone,date,outcome\n0612345678,2026-11-30T10:00:00Z,x\n0612345678,2026-11-30T11:00:00Z,x\n');
    expect(progress.at(-1)).toEqual([2, result.bytes]);
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the columns of a call log', () => {
  it.each([
    ['timestamp', 'datetime'],
    ['called_at', 'datetime'],
    ['started_at', 'datetime'],
    ['Horodatage', 'datetime'],
    ['Date/heure', 'datetime'],
    ['Fecha y hora', 'datetime'],
    ['call_date', 'date'],
    ['Date', 'date'],
    ["Date de l'appel", 'date'],
    ['date_appel', 'date'],
    ['Datum', 'date'],
    ['Fecha', 'date'],
    ['Heure', 'clock'],
    ['call_time', 'clock'],
    ['start_time', 'clock'],
    ['Call Start', 'clock'],
    ["Début d'appel", 'clock'],
    ['Uhrzeit', 'clock'],
    ['Hora', 'clock'],
    ['end_time', undefined],
    ['date_rappel', undefined],
    ['created_at', undefined],
    ['start_epoch', undefined],
    ['Date de naissance', undefined],
    ['telephone', undefined],
  ])('takes %j for %s', (name, role) => {
    expect(timeRoleOfHeader(name)).toBe(role);
  });

  it.each([
    ['outcome', true],
    ['Résultat', true],
    ['Statut', true],
    ['status', true],
    ['Disposition', true],
    ['Qualification', true],
    ['Ergebnis', true],
    ['Resultado', true],
    ['Estado', true],
    ['Statut client', false],
    ['lead_status', false],
    ['telephone', false],
  ])('says %j is an outcome: %s', (name, yes) => {
    expect(isOutcomeHeader(name)).toBe(yes);
  });

  it('reads a French Excel export: semicolons, Windows-1252, a date and a time-of-day column', async () => {
    const text = 'Nom;Téléphone;Date;Heure;Résultat\r\nDupont;06 12 34 56 78;25/10/2026;02:30;Refusé\r\nMartin;07 81 23 45 67;25/10/2026;14:00:00;Répondeur\r\n';
    const { result, attempts } = await read(iconv.encode(text, 'win1252'), { timeZone: 'Europe/Paris' });
    expect(result.columns).toEqual({ number: 'Téléphone', time: 'Date + Heure', outcome: 'Résultat' });
    expect(attempts).toEqual([
      [33612345678, seconds('2026-10-25T01:30:00Z'), true],
      [33781234567, seconds('2026-10-25T13:00:00Z'), false],
    ]);
  });

  it('reads a VICIdial-like log and takes the columns the options name, by name or number', async () => {
    const log = 'lead_id,call_date,start_epoch,length_in_sec,status,phone_code,phone_number,alt_phone\n1,2026-11-30 10:00:00,1764496800,30,NI,33,612345678,0781234567\n';
    const { result, attempts } = await read(log, { timeZone: 'Europe/Paris', numberColumn: 'phone_number' });
    expect(result.columns).toEqual({ number: 'phone_number', time: 'call_date', outcome: 'status' });
    expect(attempts).toEqual([[33612345678, seconds('2026-11-30T09:00:00Z'), true]]);
    const byNumber = await read(log, { numberColumn: '8', timeColumn: 'START_EPOCH', outcomeColumn: '5' });
    expect(byNumber.result.columns).toEqual({ number: 'alt_phone', time: 'start_epoch', outcome: 'status' });
    expect(byNumber.attempts).toEqual([[33781234567, 1764496800, true]]);
    const combined = await read('tel;jour;heure;heure_fin;statut\n0612345678;2026-11-30;10:00;10:05;x\n', { timeColumn: 'jour+heure', timeZone: 'UTC' });
    expect(combined.result.columns.time).toBe('jour + heure');
    expect(combined.attempts).toEqual([[33612345678, seconds('2026-11-30T10:00:00Z'), false]]);
  });

  it('reads a file written by Python\'s csv module (CRLF, quoted fields, a line break in a cell)', async (context) => {
    const python = spawnSync('python3', ['--version']);
    if (python.error !== undefined) {
      console.warn('python3 is not installed: the Python csv test is skipped');
      return context.skip();
    }
    const file = wrk.path('python.csv');
    const script = [
      'import csv, sys',
      "with open(sys.argv[1], 'w', newline='', encoding='utf-8') as f:",
      '    w = csv.writer(f)',
      "    w.writerow(['phone', 'timestamp', 'disposition', 'notes'])",
      "    w.writerow(['+33 6 12 34 56 78', '2026-11-30T10:00:00+01:00', 'Not interested, \"callback\" refused', 'said:\\nnever again'])",
      "    w.writerow(['+33781234567', '2026-11-30T11:00:00Z', 'Busy', ''])",
    ].join('\n');
    const written = spawnSync('python3', ['-c', script, file]);
    expect(written.status, written.stderr.toString()).toBe(0);
    const attempts: Array<[number, number, boolean]> = [];
    const result = await readCallLog(openSource(file, Readable.from([])), defaults, (value, at, refusal) => attempts.push([value, at, refusal]));
    expect(result.rejects).toEqual([]);
    expect(result.rows).toBe(2);
    expect(attempts).toEqual([
      [33612345678, seconds('2026-11-30T09:00:00Z'), true],
      [33781234567, seconds('2026-11-30T11:00:00Z'), false],
    ]);
  });

  it('stops when a required column is missing, naming the columns the file has and the option', async () => {
    const noOutcome = await failure('telephone,date\n0612345678,2026-11-30T10:00Z\n');
    expect(noOutcome.code).toBe('usage');
    expect(noOutcome.message).toContain("'telephone', 'date'");
    expect(noOutcome.hint).toContain('--outcome-column');
    const noTime = await failure('telephone,outcome\n');
    expect(noTime.hint).toContain('--time-column');
    const noNumber = await failure('nom,date,outcome\n');
    expect(noNumber.hint).toContain('--column');
    const twoNumbers = await failure('mobile,fixe,date,outcome\n');
    expect(twoNumbers.message).toContain("'mobile' and 'fixe'");
    expect(twoNumbers.hint).toContain('--column');
    const unknown = await failure('telephone,date,outcome\n', { outcomeColumn: 'Résultat' });
    expect(unknown.hint).toContain('--outcome-column');
  });

  it('never puts a number in an error message', async () => {
    const errors = [
      await failure('0612345678,2026-11-30T10:00Z,x\n'),
      await failure('telephone,date,outcome\n0612345678,2026-11-30 10:00,x\n'),
    ];
    for (const error of errors) expect(`${error.message} ${error.hint}`).not.toMatch(/0612|612345678/);
    expect(errors[0]?.code).toBe('usage');
  });
});

describe('refusal outcomes', () => {
  it.each([
    ['Refusé', true],
    ['REFUS CLIENT', true],
    ['refusée', true],
    ['not interested - callback', true],
    ['Not Interested', true],
    ['Pas intéressé', true],
    ['STOP', true],
    ['stopped', false],
    ['NI', true],
    ['nice', false],
    ['DNC', true],
    ["Don't call", true],
    ['Ne plus appeler', true],
    ['Opposition', true],
    ['Kein Interesse', true],
    ['No llamar', true],
    ['Répondeur', false],
    ['Rappel', false],
    ['', false],
  ])('%j is a refusal: %s', (outcome, yes) => {
    expect(isRefusal(outcome, defaultRefusalOutcomes)).toBe(yes);
  });

  it('takes --refusal-outcomes instead of the default terms', async () => {
    const terms = parseRefusalOutcomes('Absent, Hors cible');
    expect(terms).toEqual(['Absent', 'Hors cible']);
    const { result, attempts } = await read('telephone,date,outcome\n0612345678,2026-11-30T10:00Z,Refusé\n0612345678,2026-11-30T11:00Z,ABSENT\n0612345678,2026-11-30T12:00Z,hors-cible\n', { refusalOutcomes: terms });
    expect(result.refusalTerms).toEqual(terms);
    expect(attempts.map(([, , refusal]) => refusal)).toEqual([false, true, true]);
    expect(result.refusals).toBe(2);
  });

  it('refuses an empty --refusal-outcomes', async () => {
    expect(() => parseRefusalOutcomes(' , ')).toThrow(CallscrubError);
    const error = await failure('telephone,date,outcome\n', { refusalOutcomes: [] });
    expect(error.code).toBe('usage');
  });
});

describe('call logs a hostile tester wrote (regressions)', () => {
  const asciiMiB = (rows: number) => Array.from({ length: rows }, (_, i) => `06${String(i).padStart(8, '0')};20/11/2026 10:00;NA`);

  it('a Windows-1252 log whose first megabytes are ASCII still reads its later accents (Pas intéressé is a refusal)', async () => {
    const text = ['telephone;date;resultat', ...asciiMiB(40_000), '0699999999;21/11/2026 10:00;Pas intéressé', ''].join('\r\n');
    const bytes = iconv.encode(text, 'win1252');
    expect(bytes.length).toBeGreaterThan(1 << 20);
    const { result } = await read(bytes, { timeZone: 'Europe/Paris' });
    expect(result).toMatchObject({ accepted: 40_001, refusals: 1, encoding: 'windows-1252' });
  });

  it('a log mixing UTF-8 accents with a later Windows-1252 byte stops at its line; --encoding windows-1252 reads it through', async () => {
    const head = ['telephone;date;resultat', '0600000001;20/11/2026 10:00;Refusé', ...asciiMiB(40_000)].join('\n');
    const bytes = Buffer.concat([Buffer.from(`${head}\n`), iconv.encode('0699999999;21/11/2026 10:00;Pas intéressé\n', 'win1252')]);
    const error = await read(bytes, { timeZone: 'Europe/Paris' }).then(() => undefined, (e: unknown) => e as CallscrubError);
    expect(error).toBeInstanceOf(CallscrubError);
    expect([error?.code, error?.line]).toEqual(['input', 40_003]);
    expect(error?.message).toContain('not UTF-8');
    expect(error?.hint).toContain('--encoding windows-1252');
    const utf8 = await read(bytes, { timeZone: 'Europe/Paris', encoding: 'utf-8' }).then(() => undefined, (e: unknown) => e as CallscrubError);
    expect([utf8?.code, utf8?.line]).toEqual(['input', 40_003]);
    const given = await read(bytes, { timeZone: 'Europe/Paris', encoding: 'windows-1252' });
    expect(given.result).toMatchObject({ accepted: 40_002, encoding: 'windows-1252' });
  });

  it('a list import still reads a Windows-1252 list whose first accent comes late (the switch is in the shared reader)', async () => {
    const lines = ['# liste', ...Array.from({ length: 100_000 }, (_, i) => `06${String(i).padStart(8, '0')}`), '# fin de la liste : numéros retirés', '0699999999', ''];
    wrk.write('list.txt', iconv.encode(lines.join('\n'), 'win1252'));
    const outcome = await wrk.run(['registry', 'import', 'list.txt', '--list', 'bloctel', '--db', 'r.db', '--json']);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(JSON.parse(outcome.stdout)).toMatchObject({ numbersTotal: 100_001, rejected: 0 });
  });

  it.each([
    'Non intéressé', 'Non interessee', 'Ne souhaite pas être rappelé', 'Opt-out', 'OPTOUT', 'NotInterested', 'DoNotCall',
    'Remove from list', 'Keine Werbung', 'Declined', 'decline', 'No quiere', 'DNCList',
  ])('%s is a refusal', (outcome) => {
    expect(isRefusal(outcome, defaultRefusalOutcomes)).toBe(true);
  });

  it.each(['Stopped by agent', 'Nicht erreicht', 'Rappel', 'Removed duplicate?'])('%s is no refusal', (outcome) => {
    // `Removed` is not the word `remove`; "Pas de refus" is (conservatively) a refusal: whole words, no negation.
    expect(isRefusal(outcome, defaultRefusalOutcomes)).toBe(false);
  });

  it('reads slash dates month first with dateOrder mdy, and a date impossible in that order is bad-time', async () => {
    const { result, attempts } = await read('phone,call date,disposition\n3055550123,11/02/2026 09:05,NA\n3055550124,13/02/2026 09:05,NA\n3055550125,2026-11-02 09:05,NA\n', {
      country: 'US',
      timeZone: 'America/New_York',
      dateOrder: 'mdy',
    });
    expect(result.rejects).toEqual([{ line: 3, reason: 'bad-time' }]);
    expect(attempts.map(([, at]) => new Date(at * 1000).toISOString())).toEqual(['2026-11-02T14:05:00.000Z', '2026-11-02T14:05:00.000Z']);
    expect(readCallTime('12/01/2026', '09:05', 'dmy')?.wall).toBe(Date.UTC(2026, 0, 12, 9, 5));
  });

  it('history import reads month first by default with --country US or CA, day first otherwise, and --date-order says', async () => {
    wrk.write('us.csv', 'Phone,Call Date,Disposition\n(305) 555-0123,11/02/2026 09:05,NA\n');
    const us = await wrk.run(['history', 'import', 'us.csv', '--db', 'us.db', '--country', 'US', '--timezone', 'America/New_York', '--json'], { now: new Date(now) });
    expect(us.code, us.stderr).toBe(0);
    expect(JSON.parse(us.stdout)).toMatchObject({ firstCall: '2026-11-02T14:05:00.000Z', dateOrder: 'mdy' });
    const dmy = await wrk.run(['history', 'import', 'us.csv', '--db', 'dmy.db', '--country', 'US', '--date-order', 'dmy', '--timezone', 'America/New_York', '--json'], { now: new Date(now) });
    expect(JSON.parse(dmy.stdout)).toMatchObject({ firstCall: '2026-02-11T14:05:00.000Z', dateOrder: 'dmy' });
    const bad = await wrk.run(['history', 'import', 'us.csv', '--db', 'x.db', '--date-order', 'ymd']);
    expect(bad.code).toBe(2);
  });

  it('stops at a quote left open that swallows the rows after it (file:line where the record starts)', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `06${String(i).padStart(8, '0')},2026-11-20T10:00:00+01:00,NA`);
    const error = await failure(`telephone,date,outcome\n0612345670,2026-11-20T10:00:00+01:00,"Rappel demain\n${rows.join('\n')}\n0699999999,2026-11-20T10:00:00+01:00,a dit non"\n`);
    expect([error.code, error.line]).toEqual(['input', 2]);
    expect(error.message).toBe('a quoted cell runs over 32 lines to line 33: a quote left open?');
    // A note of a few lines is a cell like any other.
    const { result } = await read('telephone,date,outcome,note\n0612345670,2026-11-20T10:00:00+01:00,NA,"one\ntwo\nthree"\n');
    expect(result.accepted).toBe(1);
  });

  it('asks for the column number when a name given to an option names two columns', async () => {
    const log = 'phone_number,call_date,status,status\n0612345678,2026-11-20T10:00:00+01:00,NEW,NI\n';
    const error = await failure(log, { outcomeColumn: 'status' });
    expect(error.code).toBe('usage');
    expect(error.message).toBe("'status' names columns 3 and 4");
    expect(error.hint).toBe('give --outcome-column the number of the right one: --outcome-column 3 or --outcome-column 4');
    const { result } = await read(log, { outcomeColumn: '4' });
    expect(result.refusals).toBe(1);
  });

  it('rejects a number the normalizer calls invalid (strict, as a scrub reads prospects)', async () => {
    const { result, attempts } = await read('phone,date,outcome\n0612345678,2026-11-20T10:00:00Z,NA\n1234567890,2026-11-20T10:00:00Z,NA\n2125550143,2026-11-20T10:00:00Z,NA\n', { country: 'US' });
    expect(result.rejects).toEqual([{ line: 2, reason: 'invalid-number' }, { line: 3, reason: 'invalid-number' }]);
    expect(attempts.map(([value]) => value)).toEqual([12125550143]);
  });

  it('keeps only the first 5 rejects in memory, hands every one on, and counts them all', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `06${String(i).padStart(8, '0')},hier,NA`);
    const { result, kept } = await read(`telephone,date,outcome\n${rows.join('\n')}\n0612345678,2026-11-20T10:00:00Z,NA\n`);
    expect(kept).toEqual([2, 3, 4, 5, 6].map((line) => ({ line, reason: 'bad-time' })));
    expect(result.rejects).toHaveLength(50);
    expect([result.rejected, result.rejectedByReason]).toEqual([50, { 'bad-time': 50 }]);
  });

  it('never prints a header cell of 6 digits or more (a log without a header)', async () => {
    const error = await failure('(305) 555-0123,2026-11-20 10:00:00,NA\n(305) 555-0124,2026-11-20 10:05:00,NA\n', { timeZone: 'America/New_York' });
    expect(error.message).toContain('(a cell of digits)');
    expect(`${error.message} ${error.hint}`).not.toMatch(/555|0123/);
  });

  it.each([
    ['Start Date', 'date'],
    ['Start Time', 'clock'],
    ['Call Start', 'clock'],
    ["Début d'appel", 'clock'],
    ['Date début', 'date'],
    ['Heure début', 'clock'],
    ['Date/heure début', 'datetime'],
  ] as const)('%s is a %s column', (name, role) => {
    expect(timeRoleOfHeader(name)).toBe(role);
  });

  it('joins Start Date and Start Time, as Date and Heure', async () => {
    const { result, attempts } = await read('Dialed Number;Start Date;Start Time;Disposition\n0612345678;20/11/2026;10:00:00;NA\n', { timeZone: 'Europe/Paris' });
    expect(result.columns).toEqual({ number: 'Dialed Number', time: 'Start Date + Start Time', outcome: 'Disposition' });
    expect(attempts).toEqual([[33612345678, seconds('2026-11-20T09:00:00Z'), false]]);
  });

  it.each(['Rufnummer', 'Dialed Number', 'Number Dialled', 'DNIS', 'Zielrufnummer'])('finds the number column %s', async (name) => {
    const { result } = await read(`${name};Datum;Uhrzeit;Ergebnis\n0612345678;20.11.2026;10:00;Kein Interesse\n`, { timeZone: 'Europe/Berlin' });
    expect(result).toMatchObject({ accepted: 1, refusals: 1, columns: { number: name } });
  });

  it('writes --rejects when every row is rejected, then fails', async () => {
    wrk.write('calls.csv', 'phone_number,call_date,status\n0612345678,11/30/26 10:00,NA\n0612345679,11/30/26 10:05,NA\n');
    const outcome = await wrk.run(['history', 'import', 'calls.csv', '--db', 'h.db', '--timezone', 'Europe/Paris', '--rejects', 'rej.tsv'], { now: new Date(now) });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('no call in the log could be read (2 rows rejected: bad-time 2)');
    expect(outcome.stderr).toContain('the reasons are in rej.tsv');
    expect(wrk.read('rej.tsv')).toBe('line\treason\n2\tbad-time\n3\tbad-time\n');
    expect(wrk.exists('h.db')).toBe(false);
  });

  it('prints file names with their control characters escaped, and counts in words (1 row)', async () => {
    const name = 'x\u001b[2K\rforged\nz.csv';
    wrk.write(name, 'phone_number,call_date,status\n0612345678,2026-11-20T10:00:00+01:00,NA\n');
    const imported = await wrk.run(['history', 'import', name, '--db', 'h.db'], { now: new Date(now) });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('call log x\\u001b[2K\\u000dforged\\u000az.csv: 1 row in');
    expect(imported.stderr).toContain('history: 1 attempt to 1 number, 0 refusals');
    const status = await wrk.run(['history', 'status', '--db', 'h.db'], { now: new Date(now) });
    expect(status.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(status.stdout).toContain('\\u000az.csv');
  });
});
