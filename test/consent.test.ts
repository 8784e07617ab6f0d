// Consent ledgers and opt-in screening (issue 10): reading a ledger, combining a number's records, the consent in
// force on a day, each status and precedence rule of a scrub, withdrawals and expiries across imports, history
// (`registry check --at`), replay of an opt-in scrub, bad ledgers, and evidence kept out of every output.

import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayOf } from '../src/dates.js';
import { noDate } from '../src/numbers/set.js';
import { combineConsents, consentChecksum, consentOf, consentState, readConsentDate, type Consent, type Evidence } from '../src/registry/consent-records.js';
import { roleOfHeader } from '../src/registry/consent-columns.js';
import type { List } from '../src/registry/records.js';
import { Registry } from '../src/registry/store.js';
import { daysAgo, Workdir } from './workdir.js';

const day = (date: string) => dayOf(date) as number;

describe('consent dates', () => {
  it.each([
    ['2026-03-04', '2026-03-04', '2026-03-04', Date.UTC(2026, 2, 4)],
    ['2026/03/04', '2026-03-04', '2026-03-04', Date.UTC(2026, 2, 4)],
    ['2026-03-04T10:15:00+01:00', '2026-03-04', '2026-03-04', Date.UTC(2026, 2, 4, 9, 15)],
    ['2026-03-04T10:15Z', '2026-03-04', '2026-03-04', Date.UTC(2026, 2, 4, 10, 15)],
    ['2026-03-04 10:15:30.250', '2026-03-04', '2026-03-04', Date.UTC(2026, 2, 4, 10, 15, 30)],
    ['2026/11/01 10:00:00', '2026-11-01', '2026-11-01', Date.UTC(2026, 10, 1, 10)],
    // Late at night in Polynesia is already the next day in UTC (and in Paris).
    ['2026-12-01T23:30:00-10:00', '2026-12-01', '2026-12-02', Date.UTC(2026, 11, 2, 9, 30)],
    ['2026-12-02T00:30:00+14:00', '2026-12-02', '2026-12-01', Date.UTC(2026, 11, 1, 10, 30)],
  ])('reads %s as the day %s (%s in UTC)', (text, written, utc, at) => {
    expect(readConsentDate(text)).toEqual({ day: day(written), utcDay: day(utc), at });
  });

  it.each(['15/01/2026', '01/15/2026', '2026-02-30', '20260115', '46035', '2026-01-15T25:00', '2026/1/5', 'hier', ''])('refuses %j', (text) => {
    expect(readConsentDate(text)).toBeUndefined();
  });
});

describe('one number, several records', () => {
  const limits = { asOfDay: day('2026-11-30'), importedAt: Date.UTC(2026, 10, 30, 12) };
  const evidence = (granted: string | null, withdrawn: string | null = null, expires: string | null = null, proof: string | null = 'p'): Evidence => ({
    granted,
    source: 's',
    proof,
    scope: null,
    withdrawn,
    expires,
    note: null,
  });
  const record = (granted: string | null, withdrawn: string | null = null, expires: string | null = null, proof = 'p'): Consent => consentOf(evidence(granted, withdrawn, expires, proof), limits) as Consent;

  it('rejects what cannot be a consent, with the reason', () => {
    expect(consentOf(evidence('2026-12-01'), limits)).toBe('granted-after-as-of');
    // The day of the import, but later than the import itself.
    expect(consentOf(evidence('2026-11-30T18:00:00Z'), limits)).toBe('granted-after-as-of');
    // The day as written is the as-of day, but it is already the next day in UTC.
    expect(consentOf(evidence('2026-11-30T23:30:00-10:00'), limits)).toBe('granted-after-as-of');
    expect(consentOf(evidence('01/02/2026'), limits)).toBe('bad-date');
    expect(consentOf(evidence('1970-01-01'), limits)).toBe('implausible-date');
    expect(consentOf(evidence('2026-02-01', '1er mars'), limits)).toBe('bad-date');
    expect(consentOf(evidence('2026-02-01', '2026-01-31'), limits)).toBe('withdrawn-before-granted');
    expect(consentOf(evidence('2026-02-01', '2027-06-01'), limits)).toBe('withdrawn-after-as-of');
    expect(consentOf(evidence('2026-02-01', null, '2026-01-31'), limits)).toBe('expires-before-granted');
    expect(consentOf(evidence('2026-02-01', null, null, null), limits)).toBe('missing-proof');
    expect(consentOf(evidence(null), limits)).toBe('missing-granted');
  });

  it('takes a record with a withdrawal and no grant (or proof) for a withdrawal alone', () => {
    expect(consentOf(evidence(null, '2026-05-01', null, null), limits)).toMatchObject({ grantedDay: noDate, withdrawnDay: day('2026-05-01') });
    expect(consentState(noDate, day('2026-05-01'), noDate, day('2026-12-01'), null)).toEqual({ inForce: false, why: 'withdrawn', since: day('2026-05-01') });
  });

  it('ends a grant with a withdrawal alone dated on or after it, not with one before it', () => {
    const grant = record('2026-02-01');
    expect(combineConsents([grant, record(null, '2026-03-01')]).withdrawnDay).toBe(day('2026-03-01'));
    expect(combineConsents([record(null, '2026-01-01'), grant]).withdrawnDay).toBe(noDate);
    // Withdrawals alone keep the latest: it ends any grant a later import brings dated on or before it.
    expect(combineConsents([record(null, '2026-01-01'), record(null, '2026-03-01')]).withdrawnDay).toBe(day('2026-03-01'));
  });

  it('takes the earliest expiry of records of the same day\'s grant, in any order or notation', () => {
    const withExpiry = record('2026-10-01', null, '2026-11-15');
    const without = record('2026-10-01T09:00:00+02:00');
    expect(combineConsents([withExpiry, without]).expiresDay).toBe(day('2026-11-15'));
    expect(combineConsents([without, withExpiry]).expiresDay).toBe(day('2026-11-15'));
  });

  it('keeps the latest grant, whatever the order of the records', () => {
    const old = record('2025-01-01', null, null, 'old');
    const recent = record('2026-02-01', null, null, 'recent');
    expect(combineConsents([old, recent]).evidence.proof).toBe('recent');
    expect(combineConsents([recent, old]).evidence.proof).toBe('recent');
  });

  it('ends the latest grant with the earliest withdrawal dated on or after its day, from any record', () => {
    const grant = record('2026-02-01T09:00', null, null, 'grant');
    const withdrawalBefore = record('2025-01-01', '2025-06-01');
    const withdrawalAfter = record('2025-01-01', '2026-05-01');
    const sameDay = record('2025-01-01', '2026-02-01');
    expect(combineConsents([withdrawalBefore, grant]).withdrawnDay).toBe(noDate);
    const ended = combineConsents([grant, withdrawalAfter]);
    expect(ended.evidence).toMatchObject({ proof: 'grant', withdrawn: '2026-05-01' });
    expect(ended.withdrawnDay).toBe(day('2026-05-01'));
    expect(combineConsents([grant, withdrawalAfter, sameDay]).withdrawnDay).toBe(day('2026-02-01'));
  });

  it('takes the later record of two grants at the same instant', () => {
    expect(combineConsents([record('2026-02-01', null, null, 'first'), record('2026-02-01', null, null, 'second')]).evidence.proof).toBe('second');
  });
});

describe('a consent in force', () => {
  const granted = day('2026-01-10');
  it('is in force from the day it was given, up to the day before its withdrawal or expiry', () => {
    expect(consentState(granted, noDate, noDate, granted - 1, null)).toEqual({ inForce: false, why: 'not-yet-given', since: granted });
    expect(consentState(granted, noDate, noDate, granted, null)).toEqual({ inForce: true });
    expect(consentState(granted, day('2026-03-01'), noDate, day('2026-02-28'), null)).toEqual({ inForce: true });
    expect(consentState(granted, day('2026-03-01'), noDate, day('2026-03-01'), null)).toEqual({ inForce: false, why: 'withdrawn', since: day('2026-03-01') });
    expect(consentState(granted, noDate, day('2026-03-01'), day('2026-03-01'), null)).toEqual({ inForce: false, why: 'expired', since: day('2026-03-01') });
  });

  it('is too old one day after its maximum age', () => {
    expect(consentState(granted, noDate, noDate, granted + 30, 30)).toEqual({ inForce: true });
    expect(consentState(granted, noDate, noDate, granted + 31, 30)).toEqual({ inForce: false, why: 'too-old', since: granted });
  });
});

describe('consent ledger columns', () => {
  it.each([
    ['granted', 'granted'],
    ['Date du consentement', 'granted'],
    ['date_consentement', 'granted'],
    ['Consent Timestamp', 'granted'],
    ['Opt-in date', 'granted'],
    ['optinDate', 'granted'],
    ['date de collecte', 'granted'],
    ['source', 'source'],
    ['Canal de collecte', 'source'],
    ['Source du consentement', 'source'],
    ['proof', 'proof'],
    ['Preuve (ID)', 'proof'],
    ['preuve_consentement', 'proof'],
    ['Portée', 'scope'],
    ['brand', 'scope'],
    ['date_retrait', 'withdrawn'],
    ['Date de retrait du consentement', 'withdrawn'],
    ['opt-out date', 'withdrawn'],
    ['expiration', 'expires'],
    ['Expire le', 'expires'],
    ['valid until', 'expires'],
  ])('takes %j for %s', (name, role) => {
    expect(roleOfHeader(name)).toBe(role);
  });

  it.each([
    // Refusals, lapses and renewals are no grants.
    ['Date de refus du consentement', 'withdrawn'],
    ['Consent refused on', 'withdrawn'],
    ['Opposition', 'withdrawn'],
    ['Stop date', 'withdrawn'],
    ['STOP SMS', 'withdrawn'],
    ['Do not call since', 'withdrawn'],
    ['Date de désabonnement', 'withdrawn'],
    ['Consent valid to', 'expires'],
    ['Consent lapsed', 'expires'],
    ['Consent renewal due', 'expires'],
  ])('takes %j for %s, not for the grant', (name, role) => {
    expect(roleOfHeader(name)).toBe(role);
  });

  it.each(['date', 'created_at', 'telephone', 'nom', 'date de naissance', 'Consentement', 'consent'])('takes %j for none', (name) => {
    expect(roleOfHeader(name)).toBeUndefined();
  });
});

// Command level: a registry, a consent ledger, an opposition list, and scrubs against them.
let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

const header = 'telephone;date_consentement;source;preuve;portee;date_retrait;expiration';
/** Distinctive evidence strings: none may appear anywhere but in `registry check`. */
const secret = (n: number) => `PROOF-XYZZY-${n}`;

async function ok(argv: string[], now?: Date) {
  const outcome = await wrk.run(argv, { now });
  expect(outcome.stderr.split('\n').filter((l) => l.startsWith('callscrub:'))).toEqual([]);
  expect(outcome.code).toBe(0);
  return outcome;
}

async function importLedger(rows: string[], extra: string[] = []) {
  wrk.write('ledger.csv', `${header}\n${rows.join('\n')}\n`);
  return JSON.parse((await ok(['registry', 'import', 'ledger.csv', '--list', 'consents', '--kind', 'consent', '--json', ...extra])).stdout);
}

function prospects(numbers: string[]): void {
  wrk.write('prospects.csv', `nom;telephone\n${numbers.map((n, i) => `P${i + 1};${n}`).join('\n')}\n`);
}

/** The excluded file's rows as [name, reason, detail]: the first cell and the two callscrub adds last. */
function excludedRows(): string[][] {
  return wrk
    .read('excluded.csv')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const cells = line.match(/("(?:[^"]|"")*"|[^;]*)(;|$)/g)?.map((c) => c.replace(/;$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')) ?? [];
      const used = cells.filter((_, i) => i < cells.length - 1 || cells[i] !== '');
      return [used[0] as string, used[used.length - 2] as string, used[used.length - 1] as string];
    });
}

async function scrub(extra: string[]) {
  return JSON.parse((await ok(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--json', ...extra])).stdout);
}

const cleanNames = () =>
  wrk
    .read('clean.csv')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(';')[0]);

describe('registry import --kind consent', () => {
  it('finds the columns by name, rejects records by reason and line, and never prints the evidence', async () => {
    const result = await importLedger(
      [
        `0612345601;2026-01-15T10:00:00+01:00;https://form.example/a;${secret(1)};Marque;;`,
        `0612345602;15/01/2026;web;${secret(2)};;;`,
        `0612345603;2026-01-15;;${secret(3)};;;`,
        `0612345604;2026-01-15;web;;;;`,
        `;2026-01-15;web;${secret(5)};;;`,
        `0612345606 / 0612345607;2026-01-15;web;${secret(6)};;;`,
        `0612345608;${daysAgo(-3)};web;${secret(8)};;;`,
        `0612345609;2026-01-15;web;${secret(9)};;2026-01-01;`,
        `0612345610;2026-01-15;web;${secret(10)};;;2026-01-01`,
        `0612345611;2026-01-15;web;${secret(11)};;never;N/A`,
      ],
      ['--rejects', 'rejects.tsv'],
    );
    // Line 9's consent is rejected, but its withdrawal is kept: a withdrawal needs no valid grant.
    expect(result).toMatchObject({ kind: 'consent', numbersTotal: 3, records: 10, rejected: 8, withdrawals: 1 });
    expect(result.rejectedByReason).toEqual({
      'bad-date': 1,
      'missing-source': 1,
      'missing-proof': 1,
      empty: 1,
      'several-numbers': 1,
      'granted-after-as-of': 1,
      'withdrawn-before-granted': 1,
      'expires-before-granted': 1,
    });
    expect(result.columns).toEqual({ number: 'telephone', granted: 'date_consentement', source: 'source', proof: 'preuve', scope: 'portee', withdrawn: 'date_retrait', expires: 'expiration' });
    expect(wrk.read('rejects.tsv')).toBe('line\treason\n3\tbad-date\n4\tmissing-source\n5\tmissing-proof\n6\tempty\n7\tseveral-numbers\n8\tgranted-after-as-of\n9\twithdrawn-before-granted\n10\texpires-before-granted\n');
    expect(JSON.stringify(result)).not.toMatch(/XYZZY|form\.example|Marque/);
    const text = await wrk.run(['registry', 'import', 'ledger.csv', '--list', 'consents', '--kind', 'consent']);
    expect(text.stderr).not.toMatch(/XYZZY|form\.example|Marque/);
    expect(text.stderr).toContain("columns: number 'telephone', granted 'date_consentement'");
  });

  it.each([
    ['no header', '0612345601;2026-01-15;web;pr-1\n', /needs a header row/],
    ['no granted column', 'telephone;source;preuve\n0612345601;web;pr-1\n', /no column for the date the consent was given \(granted\).*name it with --granted-column/],
    ['no proof column', 'telephone;date_consentement;source\n0612345601;2026-01-15;web\n', /\(proof\).*--proof-column/],
    ['two granted columns', 'telephone;date_consentement;date opt-in;source;preuve\n0612345601;2026-01-15;2026-01-15;web;pr-1\n', /all look like the date the consent was given.*--granted-column/],
    ['a named column that is not there', 'telephone;date_consentement;source;preuve\n0612345601;2026-01-15;web;pr-1\n', /no column 'signed'.*check --granted-column/, ['--granted-column', 'signed']],
  ])('refuses a ledger with %s (exit 2), leaving the registry as it was', async (_what, content, message, extra: string[] = []) => {
    await importLedger([`0612345601;2026-01-15;web;pr-1;;;`]);
    wrk.write('bad.csv', content);
    const outcome = await wrk.run(['registry', 'import', 'bad.csv', '--list', 'consents', '--kind', 'consent', ...extra]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.stderr).toMatch(message);
    expect(JSON.parse((await ok(['registry', 'versions', '--json'])).stdout)).toHaveLength(1);
  });

  it('refuses a ledger whose every record is rejected (exit 1), saying why and how to fix the dates', async () => {
    wrk.write('bad.csv', `${header}\n0612345601;15/01/2026;web;pr-1;;;\n0612345602;16/01/2026;web;pr-1;;;\n`);
    const outcome = await wrk.run(['registry', 'import', 'bad.csv', '--list', 'consents', '--kind', 'consent', '--rejects', 'rejects.tsv']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/no valid consent in the file \(2 records rejected: 2 bad-date\).*YYYY-MM-DD or as an ISO 8601 instant/);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrk.exists('callscrub.db') ? JSON.parse((await wrk.run(['registry', 'versions', '--json'])).stdout) : []).toEqual([]);
    // The lines to fix are written all the same.
    expect(wrk.read('rejects.tsv')).toBe('line\treason\n2\tbad-date\n3\tbad-date\n');
  });

  it('keeps the withdrawal of a record that gives no consent, and withdraws as of --as-of when its date cannot be read', async () => {
    const result = await importLedger(
      [
        `0612345601;2026-01-15;web;${secret(1)};;;`,
        `0612345601;;;;;2026-03-01;`,
        `0612345602;2026-01-15;web;${secret(2)};;;`,
        `0612345602;2026-01-15;web;N/A;;2026-04-01;`,
        `0612345603;2026-01-15;web;${secret(3)};;oui;`,
        `0612345604;2026-01-15;web;${secret(4)};;2027-06-01;`,
        `0612345605;2026-01-15;web;#N/A;;;`,
        `0612345606;2026-01-15;inconnu;${secret(6)};;non;`,
      ],
      ['--as-of', '2026-11-30'],
    );
    expect(result).toMatchObject({ numbersTotal: 4, withdrawals: 2, undatedWithdrawals: 2, firstUndatedWithdrawals: [6, 7] });
    expect(result.rejectedByReason).toEqual({ 'missing-proof': 2, 'missing-source': 1 });
    const state = async (number: string) => JSON.parse((await ok(['registry', 'check', number, '--json'])).stdout)[0].lists[0].consent;
    expect(await state('0612345601')).toMatchObject({ inForce: false, why: 'withdrawn', whyDate: '2026-03-01' });
    expect(await state('0612345602')).toMatchObject({ inForce: false, why: 'withdrawn', whyDate: '2026-04-01' });
    expect(await state('0612345603')).toMatchObject({ inForce: false, withdrawn: '2026-11-30', note: 'line 6: a withdrawal without a readable date on or before 2026-11-30, recorded as of 2026-11-30' });
    expect(await state('0612345604')).toMatchObject({ inForce: false, withdrawn: '2026-11-30' });
    expect(await state('0612345605')).toBeUndefined();
  });

  it('stops on a column about the consent that it would not read, or one of phone numbers, until told', async () => {
    wrk.write('flags.csv', 'telephone;Consentement;Date;source;preuve\n0612345601;non;2026-01-15;web;pr-1\n');
    const flag = await wrk.run(['registry', 'import', 'flags.csv', '--list', 'consents', '--kind', 'consent', '--granted-column', 'Date']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/column not read that may matter: 'Consentement' \(about the consent\).*--opt-in-column for yes\/no.*--ignore-column 'Consentement'/);
    // Said yes or no: an opt-in column. A record that does not say yes withdraws its number.
    await ok(['registry', 'import', 'flags.csv', '--list', 'consents', '--kind', 'consent', '--granted-column', 'Date', '--opt-in-column', 'Consentement']);
    expect(JSON.parse((await ok(['registry', 'check', '0612345601', '--json'])).stdout)[0].lists[0].consent).toMatchObject({ inForce: false, note: expect.stringMatching(/opt-in column 'Consentement' does not say yes/) });
    wrk.write('two.csv', 'Tel conseiller;Tel client;date du consentement;source;preuve\n0612345601;0698765432;2026-01-15;web;pr-1\n0612345601;0698765433;2026-01-15;web;pr-1\n');
    const phones = await wrk.run(['registry', 'import', 'two.csv', '--list', 'consents', '--kind', 'consent', '--column', 'Tel conseiller']);
    expect(phones.code).toBe(2);
    expect(phones.stderr).toMatch(/column not read that may matter: 'Tel client' \(phone numbers\)/);
    await ok(['registry', 'import', 'two.csv', '--list', 'consents2', '--kind', 'consent', '--column', 'Tel client', '--ignore-column', 'Tel conseiller']);
    expect(wrk.exists('callscrub.db')).toBe(true);
  });

  it('reads every withdrawal column, skips a sep= line, and refuses a format that is not csv', async () => {
    wrk.write('stops.csv', 'sep=;\ntelephone;date opt-in;source;preuve;STOP SMS;Opposition\n0612345601;2026-01-15;web;pr-1;;2026-05-01\n0612345602;2026-01-15;web;pr-1;X;\n0612345603;2026-01-15;web;pr-1;;\n');
    const result = JSON.parse((await ok(['registry', 'import', 'stops.csv', '--list', 'consents', '--kind', 'consent', '--json'])).stdout);
    expect(result.columns).toMatchObject({ withdrawn: 'STOP SMS, Opposition', granted: 'date opt-in' });
    expect(result.undatedWithdrawals).toBe(1);
    expect(JSON.parse((await ok(['registry', 'check', '0612345601', '0612345602', '0612345603', '--json'])).stdout).map((r: { lists: Array<{ consent: { inForce: boolean } }> }) => r.lists[0]?.consent.inForce)).toEqual([
      false,
      false,
      true,
    ]);
    const format = await wrk.run(['registry', 'import', 'stops.csv', '--list', 'consents', '--format', 'lines']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/a consent ledger is a csv file, not --format lines/);
  });

  it('refuses options that are not for consent lists, and consent options for other lists', async () => {
    for (const [argv, message] of [
      [['--kind', 'consent', '--max-age', '30'], /never go stale.*--consent-max-age/],
      [['--kind', 'consent', '--covers', '33'], /--covers is for opposition lists/],
      [['--kind', 'consent', '--date-column', 'fin'], /--date-column is for internal and exempt lists/],
      [['--kind', 'internal', '--consent-max-age', '30'], /--consent-max-age is for consent lists/],
      [['--kind', 'opposition', '--granted-column', 'x'], /--granted-column is for consent lists/],
    ] as const) {
      const outcome = await wrk.run(['registry', 'import', 'x.csv', '--list', 'l', ...argv]);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(message);
    }
  });

  it('stores the evidence in the registry, mode 0600, and a damaged evidence row stops registry check', async () => {
    await importLedger([`0612345601;2026-01-15;web;${secret(1)};;;`]);
    expect(fs.statSync(wrk.path('callscrub.db')).mode & 0o777).toBe(0o600);
    const db = new Database(wrk.path('callscrub.db'));
    db.prepare("UPDATE consents SET evidence = replace(evidence, 'XYZZY', 'FORGED')").run();
    db.close();
    const check = await wrk.run(['registry', 'check', '0612345601']);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/consents' version 1 is damaged.*a stored consent does not match its checksum/);
  });
});

describe('scrub --require-consent', () => {
  // A French prospect is callable only with a consent in force; the others are screened as before.
  const ledger = [
    `0612345601;2026-01-15T10:00:00+01:00;https://form.example/a;${secret(1)};Marque;;`,
    `0612345602;2025-11-02;Fournisseur X;${secret(2)};;2026-06-01;`,
    `0612345603;2024-01-02;call-123;${secret(3)};;;2026-05-01`,
    `0612345604;2026-02-01;web;${secret(4)};;;`,
    `0612345605;2026-02-01;web;${secret(5)};;;`,
    `0612345606;2026-02-01;web;${secret(6)};;;`,
    `+262692123456;2026-02-01;web;${secret(7)};;;`,
  ];

  beforeEach(async () => {
    await importLedger(ledger);
    wrk.write('bloctel.txt', '0612345604\n0612345699\n0612345698\n');
    await ok(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(1)]);
    wrk.write('optout.csv', 'telephone\n0612345605\n');
    await ok(['registry', 'import', 'optout.csv', '--list', 'optout', '--kind', 'internal']);
    wrk.write('contracts.csv', 'telephone;fin\n0612345697\n0612345699;2099-12-31\n');
    await ok(['registry', 'import', 'contracts.csv', '--list', 'contracts', '--kind', 'exempt']);
  });

  it('gives each number its status, and each excluded row its reason and why', async () => {
    prospects(['0612345601', '0612345602', '0612345603', '0612345604', '0612345605', '0612345606', '0612345607', '0612345699', '+262 692 12 34 56', '+32 470 12 34 56']);
    const summary = await scrub(['--require-consent', 'FR']);
    expect(cleanNames()).toEqual(['P1', 'P6', 'P8', 'P9']);
    expect(excludedRows()).toEqual([
      ['P2', 'no-consent', 'telephone: no-consent (withdrawn on 2026-06-01, consents v1)'],
      ['P3', 'no-consent', 'telephone: no-consent (expired on 2026-05-01, consents v1)'],
      ['P4', 'listed', 'telephone: listed (bloctel v1; the consent in consents v1 does not override it)'],
      ['P5', 'internal', 'telephone: internal (optout v1)'],
      ['P7', 'no-consent', 'telephone: no-consent (no consent)'],
      // Belgium is not opt-in here: screened as before, and no opposition list covers it.
      ['P10', 'unscreened', 'telephone: unscreened'],
    ]);
    expect(summary.byNumberStatus).toEqual({ consented: 3, exempt: 1, internal: 1, listed: 1, 'no-consent': 3, unscreened: 1 });
    expect(summary.byReason).toEqual({ internal: 1, listed: 1, 'no-consent': 3, unscreened: 1 });
    expect(summary.consentOverListing).toEqual({ overrode: 0, beaten: 1 });
    expect(summary.settings).toMatchObject({ requireConsent: ['262', '33', '508', '590', '594', '596'], consentOverridesOpposition: false });
    expect(summary.lists.find((l: { kind: string }) => l.kind === 'consent')).toMatchObject({ name: 'consents', version: 1, numbers: 7, consentMaxAgeDays: null });
    const everything = [wrk.read('clean.csv'), wrk.read('excluded.csv'), JSON.stringify(summary)].join('\n');
    expect(everything).not.toMatch(/XYZZY|form\.example|Fournisseur|Marque|call-123/);
  });

  it('lets a consent beat an opposition listing only with --consent-overrides-opposition, and says so', async () => {
    prospects(['0612345604', '0612345698']);
    const outcome = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--require-consent', '33', '--consent-overrides-opposition', '--json']);
    expect(outcome.code).toBe(0);
    expect(cleanNames()).toEqual(['P1']);
    expect(excludedRows()).toEqual([['P2', 'listed', 'telephone: listed (bloctel v1)']]);
    expect(JSON.parse(outcome.stdout)).toMatchObject({ consentOverListing: { overrode: 1, beaten: 0 }, byNumberStatus: { consented: 1, listed: 1 } });
    expect(outcome.stderr).toMatch(/warning: 1 listed numbers kept because a consent in force overrides the listing/);
  });

  it('applies the override without --require-consent (the US rule), the rest screened as before', async () => {
    prospects(['0612345604', '0612345606', '0612345607']);
    const summary = await scrub(['--consent-overrides-opposition']);
    expect(cleanNames()).toEqual(['P1', 'P2', 'P3']);
    expect(summary.byNumberStatus).toEqual({ callable: 2, consented: 1 });
  });

  it('does not use a consent older than the list\'s maximum age', async () => {
    await importLedger(ledger, ['--consent-max-age', '200']);
    prospects(['0612345601', '0612345606']);
    // Scrubs dated in the past, so that the ages are known whatever today is.
    const now = new Date(2026, 7, 3); // 2026-08-03: the consent of 2026-01-15 is 200 days old, that of 2026-02-01 183
    await ok(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--require-consent', 'FR'], now);
    expect(cleanNames()).toEqual(['P1', 'P2']);
    const later = new Date(2026, 7, 4); // 201 days: too old
    await ok(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--require-consent', 'FR'], later);
    expect(cleanNames()).toEqual(['P2']);
    expect(excludedRows()).toEqual([['P1', 'no-consent', 'telephone: no-consent (given on 2026-01-15, older than the 200-day maximum, consents v2)']]);
  });

  it('writes excluded rows as writing each cell again would: copied when their quoting is what it must be', async () => {
    wrk.write(
      'prospects.csv',
      [
        'nom;societe;telephone',
        'P1;"Petit & Fils; SARL";0612345607',
        'P2;"Moreau SAS";0612345607',
        'P3;"Dit ""le Grand""";0612345607',
        'P4;=HYPERLINK("x");0612345607',
        'P5;a"b;0612345607',
        'P6;-;0612345607',
        'P7;"multi\nligne";0612345607',
        '',
      ].join('\n'),
    );
    await scrub(['--require-consent', 'FR']);
    const detail = 'no-consent;telephone: no-consent (no consent)';
    expect(wrk.read('excluded.csv')).toBe(
      [
        'nom;societe;telephone;callscrub_reason;callscrub_detail',
        `P1;"Petit & Fils; SARL";0612345607;${detail}`,
        `P2;Moreau SAS;0612345607;${detail}`,
        `P3;"Dit ""le Grand""";0612345607;${detail}`,
        `P4;"'=HYPERLINK(""x"")";0612345607;${detail}`,
        `P5;"a""b";0612345607;${detail}`,
        `P6;'-;0612345607;${detail}`,
        `P7;"multi\nligne";0612345607;${detail}`,
        '',
      ].join('\n'),
    );
  });

  it('warns when --lists leaves out an internal list, and when a consent list is not used', async () => {
    prospects(['0612345601']);
    const left = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--require-consent', 'FR', '--lists', 'consents']);
    expect(left.code).toBe(0);
    expect(left.stderr).toMatch(/warning: internal list 'optout' is not used \(--lists leaves it out\)/);
    const plain = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv']);
    expect(plain.stderr).toMatch(/warning: consent list 'consents' not used: this scrub requires no consent/);
  });

  it('stops with exit 3 when consent is required and no consent list is in use', async () => {
    prospects(['0612345601']);
    const left = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--require-consent', 'FR', '--lists', 'bloctel,optout']);
    expect(left.code).toBe(3);
    expect(left.stderr).toMatch(/--require-consent needs a consent list, and --lists leaves out 'consents'.*name the consent list in --lists too/);
    expect(wrk.exists('clean.csv')).toBe(false);
    wrk.write('empty.db', '');
    fs.rmSync(wrk.path('empty.db'));
    await ok(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--db', 'other.db']);
    const none = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--require-consent', 'FR', '--db', 'other.db']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/the registry has none.*--kind consent/);
  });

  it('refuses codes it does not know', async () => {
    for (const codes of ['XX', '999', 'US', '']) {
      const outcome = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--require-consent', codes]);
      expect(outcome.code).toBe(2);
    }
  });

  it('blanks the numbers without consent under --policy number, keeping a consented one', async () => {
    wrk.write('prospects.csv', 'nom;mobile;fixe\nP1;0612345601;0612345607\nP2;0612345607;0612345602\n');
    await scrub(['--require-consent', 'FR', '--policy', 'number']);
    expect(wrk.read('clean.csv')).toBe('nom;mobile;fixe\nP1;0612345601;\n');
    expect(excludedRows().map((r) => r.slice(0, 2))).toEqual([['P2', 'no-consent']]);
  });

  it('needs a consent under every reading of an ambiguous 08/09 number, as the ledger wrote it', async () => {
    // 08 01 23 45 67 may be the mainland number or one of five overseas ones: a consent for one explicit overseas
    // number is no consent for it.
    await importLedger([...ledger, `+590801234567;2026-02-01;web;pr-1;;;`]);
    prospects(['08 01 23 45 67', '+590 801 23 45 67']);
    await scrub(['--require-consent', 'FR', '--allow-unscreened']);
    expect(cleanNames()).toEqual(['P2']);
    expect(excludedRows()).toEqual([['P1', 'no-consent', 'telephone: no-consent (no consent)']]);
    // A consent recorded for the number as written nationally is for whichever number that is: every reading.
    await importLedger([...ledger, `08 01 23 45 67;2026-02-01;web;pr-1;;;`]);
    await scrub(['--require-consent', 'FR', '--allow-unscreened']);
    expect(cleanNames()).toEqual(['P1', 'P2']);
  });

  it('lets a withdrawal in one consent list beat a consent in another', async () => {
    wrk.write('brand-b.csv', `${header}\n0612345601;2026-01-01;web;pr-1;;2026-03-01;\n`);
    await ok(['registry', 'import', 'brand-b.csv', '--list', 'brand-b', '--kind', 'consent']);
    prospects(['0612345601', '0612345606']);
    await scrub(['--require-consent', 'FR']);
    expect(cleanNames()).toEqual(['P2']);
    expect(excludedRows()).toEqual([['P1', 'no-consent', 'telephone: no-consent (withdrawn on 2026-03-01, brand-b v1)']]);
  });
});

describe('consents across imports', () => {
  const check = async (number: string, at?: string) => {
    const outcome = await ok(['registry', 'check', number, '--json', ...(at === undefined ? [] : ['--at', at])]);
    return JSON.parse(outcome.stdout)[0].lists.find((l: { kind: string }) => l.kind === 'consent');
  };

  it('withdraws with a remove file as of its date, and keeps the withdrawal through a later full ledger', async () => {
    await importLedger([`0612345601;2026-01-15;web;${secret(1)};;;`, `0612345602;2026-01-15;web;${secret(2)};;;`], ['--as-of', '2026-11-01']);
    wrk.write('withdrawn.txt', '0612345601\n0612345699\n');
    const removed = JSON.parse((await ok(['registry', 'import', 'withdrawn.txt', '--list', 'consents', '--mode', 'remove', '--as-of', '2026-11-10', '--json'])).stdout);
    // 0612345699 had no consent: its withdrawal is recorded, so that an older consent brought later stays ended.
    expect(removed).toMatchObject({ version: 2, numbersTotal: 3, notInLedger: 1 });
    expect((await check('0612345601')).consent).toMatchObject({ withdrawn: '2026-11-10', inForce: false, why: 'withdrawn', whyDate: '2026-11-10' });
    // The CRM's next export still shows the consent, without the withdrawal: the withdrawal stands.
    await importLedger([`0612345601;2026-01-15;web;${secret(1)};;;`, `0612345602;2026-01-15;web;${secret(2)};;;`], ['--as-of', '2026-11-20']);
    expect((await check('0612345601')).consent).toMatchObject({ withdrawn: '2026-11-10', inForce: false });
    // Only a consent given again after it makes the number consented again.
    await importLedger([`0612345601;2026-11-25;phone call;${secret(3)};;;`, `0612345602;2026-01-15;web;${secret(2)};;;`], ['--as-of', '2026-11-26']);
    expect((await check('0612345601')).consent).toMatchObject({ granted: '2026-11-25', proof: secret(3), withdrawn: null, inForce: true, recordedInVersion: 4 });
  });

  it('never forgets a withdrawal: a full ledger that drops the number, then one that brings its old grant back', async () => {
    await importLedger([`0612345601;2026-01-15;web;pr-1;;2026-11-10;`, `0612345602;2026-01-15;web;pr-1;;;`], ['--as-of', '2026-11-15']);
    const dropped = await importLedger([`0612345602;2026-01-15;web;pr-1;;;`], ['--as-of', '2026-11-16']);
    expect(dropped).toMatchObject({ numbersTotal: 2, withdrawalsKept: 1 });
    await importLedger([`0612345601;2026-01-15;web;pr-1;;;`, `0612345602;2026-01-15;web;pr-1;;;`], ['--as-of', '2026-11-17']);
    expect((await check('0612345601')).consent).toMatchObject({ inForce: false, withdrawn: '2026-11-10' });
    // A remove file names a number the list holds no consent for: an older consent brought later stays withdrawn.
    wrk.write('optout.txt', '0612345609\n');
    await ok(['registry', 'import', 'optout.txt', '--list', 'consents', '--mode', 'remove', '--as-of', '2026-11-18']);
    wrk.write('late.csv', `${header}\n0612345609;2026-10-01;web;pr-1;;;\n`);
    await ok(['registry', 'import', 'late.csv', '--list', 'consents', '--mode', 'add', '--as-of', '2026-11-19']);
    expect((await check('0612345609')).consent).toMatchObject({ granted: '2026-10-01', inForce: false, withdrawn: '2026-11-18' });
  });

  it('withdraws a remove file\'s ambiguous national number under each of its readings', async () => {
    await importLedger([`+262939901240;2026-01-15;web;pr-1;;;`], ['--as-of', '2026-11-15']);
    wrk.write('optout.txt', '09 39 90 12 40\n');
    await ok(['registry', 'import', 'optout.txt', '--list', 'consents', '--mode', 'remove', '--as-of', '2026-11-16']);
    expect((await check('+262939901240')).consent).toMatchObject({ inForce: false, withdrawn: '2026-11-16' });
  });

  it('says, for a past date, when what is recorded now differs from what was recorded then', async () => {
    await importLedger([`0612345601;2026-01-15;web;pr-1;;;`], ['--as-of', '2026-11-05']);
    await importLedger([`0612345601;2026-01-15;web;pr-1;;2026-11-12;`], ['--as-of', '2026-11-20']);
    const then = await check('0612345601', '2026-11-15');
    expect(then).toMatchObject({ version: 1, consent: { inForce: true }, nowRecorded: { inForce: false, withdrawn: '2026-11-12', recordedInVersion: 2 } });
    const text = await ok(['registry', 'check', '0612345601', '--at', '2026-11-15']);
    expect(text.stdout).toMatch(/CONSENT IN FORCE on 2026-11-15[\s\S]*as recorded now \(v2, as of 2026-11-20\): CONSENT NOT IN FORCE on 2026-11-15 \(withdrawn on 2026-11-12\)/);
  });

  it('combines an added file with the consents held: a later grant renews, a later withdrawal ends', async () => {
    await importLedger([`0612345601;2026-01-15;web;${secret(1)};;;`, `0612345602;2026-01-15;web;${secret(2)};;;`], ['--as-of', '2026-11-01']);
    wrk.write('changes.csv', `${header}\n0612345601;2025-06-01;old;pr-8;;2026-03-01;\n0612345602;2026-10-01;renewal;${secret(4)};;;\n0612345603;2026-10-01;web;pr-9;;;\n`);
    const added = JSON.parse((await ok(['registry', 'import', 'changes.csv', '--list', 'consents', '--mode', 'add', '--as-of', '2026-11-02', '--json'])).stdout);
    expect(added).toMatchObject({ numbersTotal: 3, numbersAdded: 3, numbersRemoved: 2 });
    expect((await check('0612345601')).consent).toMatchObject({ granted: '2026-01-15', proof: secret(1), withdrawn: '2026-03-01', inForce: false });
    expect((await check('0612345602')).consent).toMatchObject({ granted: '2026-10-01', proof: secret(4), inForce: true });
  });

  it('answers for a past date from the version then current, with the evidence then recorded', async () => {
    await importLedger([`0612345601;2026-01-15;https://form.example/a;${secret(1)};Marque;;`], ['--as-of', '2026-09-01']);
    await importLedger([`0612345601;2026-01-15;https://form.example/a;${secret(1)};Marque;2026-10-15;`], ['--as-of', '2026-10-20']);
    const september = await check('0612345601', '2026-09-15');
    expect(september).toMatchObject({ version: 1, asOf: '2026-09-01', listed: true });
    expect(september.consent).toMatchObject({ granted: '2026-01-15', source: 'https://form.example/a', proof: secret(1), scope: 'Marque', withdrawn: null, expires: null, inForce: true, recordedInVersion: 1 });
    const november = await check('0612345601', '2026-11-01');
    expect(november).toMatchObject({ version: 2 });
    expect(november.consent).toMatchObject({ withdrawn: '2026-10-15', inForce: false, why: 'withdrawn', recordedInVersion: 2 });
    // Before the first version: nothing to say, and it says so.
    expect(await check('0612345601', '2026-08-01')).toMatchObject({ version: null, listed: false });
    const text = await ok(['registry', 'check', '0612345601', '--at', '2026-09-15']);
    expect(text.stdout).toContain('CONSENT IN FORCE on 2026-09-15');
    expect(text.stdout).toContain(`proof ${secret(1)}`);
  });

  it('replays an opt-in scrub exactly, after later imports', async () => {
    await importLedger([`0612345601;2026-01-15;web;${secret(1)};;;`, `0612345602;2026-01-15;web;${secret(2)};;2026-06-01;`]);
    wrk.write('bloctel.txt', '0612345699\n');
    await ok(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(1)]);
    await ok(['keygen', '--out', 'k']);
    prospects(['0612345601', '0612345602', '0612345603', '0612345699']);
    await ok(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--require-consent', 'FR', '--report', 'report.json', '--key', 'k.key']);
    const report = wrk.read('report.json');
    const payload = JSON.parse(Buffer.from(JSON.parse(report).payload, 'base64').toString('utf8'));
    expect(payload.predicate.settings).toMatchObject({ requireConsent: ['262', '33', '508', '590', '594', '596'], consentOverridesOpposition: false });
    expect(payload.predicate.exclusions).toEqual([
      [2, 'no-consent', ['consents']],
      [3, 'no-consent', []],
      [4, 'listed', ['bloctel']],
    ]);
    expect(`${report}${JSON.stringify(payload)}`).not.toMatch(/XYZZY/);
    // The ledger changes afterwards: the replay rebuilds the version the report names.
    await importLedger([`0612345603;2026-01-15;web;${secret(3)};;;`]);
    const verify = await wrk.run(['verify', 'report.json', '--pubkey', 'k.pub', '--replay', '--input', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv']);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('replay');
  });
});

describe('a second hostile pass', () => {
  const check = async (number: string, at?: string) => {
    const outcome = await ok(['registry', 'check', number, '--json', ...(at === undefined ? [] : ['--at', at])]);
    return JSON.parse(outcome.stdout)[0].lists.find((l: { kind: string }) => l.kind === 'consent');
  };
  const importFile = async (name: string, content: string, extra: string[]) => {
    wrk.write(name, content);
    return JSON.parse((await ok(['registry', 'import', name, '--list', 'consents', '--kind', 'consent', '--json', ...extra])).stdout);
  };

  it('remembers every withdrawal: a later file\'s grant dated before one of them does not bring the consent back', async () => {
    // (a) add: a withdrawal after the one that ended the grant is remembered.
    await importLedger([`0612345601;2026-01-10;web;pr-1;;2026-03-01;`, `0612345601;;;;;2026-09-01;`], ['--as-of', '2026-11-01']);
    await importFile('lead.csv', `${header}\n0612345601;2026-05-01;supplier;pr-2;;;\n`, ['--mode', 'add', '--as-of', '2026-11-02']);
    expect((await check('0612345601')).consent).toMatchObject({ inForce: false, granted: '2026-05-01', withdrawn: '2026-09-01' });
    // (b) remove: a consent withdrawn earlier remembers the later withdrawal.
    await importLedger([`0612345602;2026-01-10;web;pr-1;;2026-03-01;`], ['--as-of', '2026-11-03']);
    wrk.write('optout.txt', '0612345602\n');
    await ok(['registry', 'import', 'optout.txt', '--list', 'consents', '--mode', 'remove', '--as-of', '2026-11-10']);
    await importFile('lead2.csv', `${header}\n0612345602;2026-06-01;supplier;pr-2;;;\n`, ['--mode', 'add', '--as-of', '2026-11-11']);
    expect((await check('0612345602')).consent).toMatchObject({ inForce: false, withdrawn: '2026-11-10' });
    // (c) full: a re-grant after a withdrawal, then a full ledger with only the old grant.
    await importLedger([`0612345603;2026-01-10;web;pr-1;;2026-03-01;`, `0612345603;2026-06-01;web;pr-3;;;`], ['--as-of', '2026-11-12']);
    expect((await check('0612345603')).consent).toMatchObject({ inForce: true, lastWithdrawn: '2026-03-01' });
    await importLedger([`0612345603;2026-01-10;web;pr-1;;;`], ['--as-of', '2026-11-13']);
    expect((await check('0612345603')).consent).toMatchObject({ inForce: false, withdrawn: '2026-03-01' });
    // A full ledger that leaves out a number in force that remembers a withdrawal keeps the withdrawal alone.
    await importLedger([`0612345604;2026-01-10;web;pr-1;;2026-03-01;`, `0612345604;2026-06-01;web;pr-3;;;`], ['--as-of', '2026-11-14']);
    await importLedger([`0612345605;2026-01-10;web;pr-1;;;`], ['--as-of', '2026-11-15']);
    await importLedger([`0612345604;2026-02-01;web;pr-1;;;`, `0612345605;2026-01-10;web;pr-1;;;`], ['--as-of', '2026-11-16']);
    expect((await check('0612345604')).consent).toMatchObject({ inForce: false });
  });

  it('keeps the withdrawal of a record whose number cell holds several numbers or an unreadable part', async () => {
    const result = await importLedger([
      `0612345601;2026-01-10;web;pr-1;;;`,
      `0612345602;2026-01-10;web;pr-1;;;`,
      `0612345603;2026-01-10;web;pr-1;;;`,
      `06 12 34 56 01 / 06 12 34 56 02;;;;;2026-11-10;`,
      `06 12 34 56 03 (ancien 06 12 34 56 7);;;;;2026-11-10;`,
    ]);
    expect(result.rejectedByReason).toEqual({ 'several-numbers': 1, unreadable: 1 });
    for (const number of ['0612345601', '0612345602', '0612345603']) expect((await check(number)).consent).toMatchObject({ inForce: false, withdrawn: '2026-11-10' });
  });

  it('stops on an unread column of dates, reads withdrawal words in other languages, and never ignores a withdrawal', async () => {
    wrk.write('de.csv', 'telefon;Einwilligung erteilt am;quelle;nachweis;Widerruf\n0612345601;2026-01-10;web;pr-1;2026-11-15\n');
    const german = JSON.parse((await ok(['registry', 'import', 'de.csv', '--list', 'consents', '--kind', 'consent', '--column', 'telefon', '--source-column', 'quelle', '--proof-column', 'nachweis', '--json'])).stdout);
    expect(german.columns).toMatchObject({ granted: 'Einwilligung erteilt am', withdrawn: 'Widerruf' });
    wrk.write('dates.csv', 'telephone;date du consentement;source;preuve;Fin de contrat client\n0612345601;2026-01-10;web;pr-1;2026-11-15\n');
    wrk.write('dates.csv', 'telephone;date du consentement;source;preuve;Suivi\n0612345601;2026-01-10;web;pr-1;2026-11-15\n0612345602;2026-01-10;web;pr-1;\n');
    const dated = await wrk.run(['registry', 'import', 'dates.csv', '--list', 'c2', '--kind', 'consent']);
    expect(dated.code).toBe(2);
    expect(dated.stderr).toMatch(/column not read that may matter: 'Suivi' \(dates\).*--withdrawn-column.*--ignore-column 'Suivi'/);
    wrk.write('stop.csv', 'telephone;date du consentement;source;preuve;Date de retrait\n0612345601;2026-01-10;web;pr-1;2026-11-15\n');
    const ignored = await wrk.run(['registry', 'import', 'stop.csv', '--list', 'c3', '--kind', 'consent', '--ignore-column', 'Date de retrait']);
    expect(ignored.code).toBe(2);
    expect(ignored.stderr).toMatch(/column 'Date de retrait' holds withdrawals: it cannot be ignored/);
    const asGrant = await wrk.run(['registry', 'import', 'stop.csv', '--list', 'c3', '--kind', 'consent', '--granted-column', 'Date de retrait']);
    expect(asGrant.code).toBe(2);
    expect(asGrant.stderr).toMatch(/holds withdrawals, not the date the consent was given/);
  });

  it('rejects a record whose cells do not line up with the header, and withdraws its number', async () => {
    const result = await importLedger([`0612345601;2026-01-10;web;pr-1;;;`, `0612345601;2026-10-01;web form;2026-11-10`]);
    expect(result.rejectedByReason).toEqual({ 'wrong-field-count': 1 });
    expect((await check('0612345601')).consent).toMatchObject({ inForce: false, withdrawn: daysAgo(0) });
  });

  it('names a column without a name by its number, as the options take it', async () => {
    wrk.write('nameless.csv', 'telephone;date du consentement;source;preuve;\n0612345601;2026-01-01;web;pr-1;2026-05-01\n');
    const outcome = await wrk.run(['registry', 'import', 'nameless.csv', '--list', 'consents', '--kind', 'consent']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/column 5 \(no name\) \(dates\).*--ignore-column 5\)/);
    await ok(['registry', 'import', 'nameless.csv', '--list', 'consents', '--kind', 'consent', '--ignore-column', '5']);
  });

  it('does not print the first row of a ledger without a header', async () => {
    wrk.write('noheader.csv', ';2026-10-01;https://form.example/SECRET;PROOF-SECRET-1;Marque\n');
    const outcome = await wrk.run(['registry', 'import', 'noheader.csv', '--list', 'c', '--kind', 'consent']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/needs a header row naming its columns: its first row looks like a record/);
    expect(outcome.stderr).not.toMatch(/SECRET/);
  });

  it('requires a consent for an ambiguous number when any of its readings is in the codes', async () => {
    await importLedger([`0612345699;2026-01-10;web;pr-1;;;`]);
    prospects(['09 39 90 12 38', '0612345699']);
    await scrub(['--require-consent', '262', '--allow-unscreened']);
    expect(cleanNames()).toEqual(['P2']);
  });

  it('ages a consent from the earlier of its two days', async () => {
    await importLedger([`0612345601;2025-12-01T23:30:00-10:00;web;pr-1;;;`, `0612345602;2025-12-02;web;pr-1;;;`], ['--consent-max-age', '364', '--as-of', '2026-11-30']);
    prospects(['0612345601', '0612345602']);
    // On 2026-12-01 the first is 365 days old from 1 December (its day as written), though 2 December in UTC.
    await ok(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--require-consent', 'FR'], new Date(2026, 11, 1, 12));
    expect(cleanNames()).toEqual(['P2']);
  });

  it('answers check --at on a pruned version from what is recorded now', async () => {
    const longAgo = new Date(Date.now() - 500 * 86_400_000);
    const later = new Date(Date.now() - 300 * 86_400_000);
    wrk.write('ledger.csv', `${header}\n0612345601;2024-01-15;web;pr-1;;;\n`);
    await ok(['registry', 'import', 'ledger.csv', '--list', 'consents', '--kind', 'consent'], longAgo);
    wrk.write('ledger.csv', `${header}\n0612345601;2024-01-15;web;pr-1;;${daysAgo(0, later)};\n`);
    await ok(['registry', 'import', 'ledger.csv', '--list', 'consents', '--kind', 'consent'], later);
    await ok(['registry', 'import', 'ledger.csv', '--list', 'consents', '--kind', 'consent']);
    await ok(['registry', 'prune', '--keep-days', '100']);
    const answer = await check('0612345601', daysAgo(0, longAgo));
    // In force that day, as recorded now: withdrawn only later, which it says.
    expect(answer).toMatchObject({ version: 1, pruned: true, listed: false, nowRecorded: { inForce: true, withdrawn: daysAgo(0, later) } });
  });

  it('says when the temporary folder cannot hold the evidence, and refuses a UTF-16 ledger without its mark', async () => {
    wrk.write('ledger.csv', `${header}\n0612345601;2026-01-10;web;pr-1;;;\n`);
    const outcome = await wrk.spawn(['registry', 'import', 'ledger.csv', '--list', 'consents', '--kind', 'consent'], { env: { TMPDIR: wrk.path('no-such-folder') } });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/cannot write the ledger's evidence to the temporary folder while it is read: no such file or directory \(point TMPDIR to a folder this user can write to\)/);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    wrk.write('utf16.csv', Buffer.from(`${header}\n0612345601;2026-01-10;web;pr-1;;;\n`, 'utf16le'));
    const utf16 = await wrk.run(['registry', 'import', 'utf16.csv', '--list', 'consents', '--kind', 'consent']);
    expect(utf16.code).toBe(1);
    expect(utf16.stderr).toMatch(/NUL|binary|text or CSV/i);
  });

  it('warns when --lists leaves out a consent list, whose withdrawals then do not count', async () => {
    await importLedger([`0612345601;2026-01-10;web;pr-1;;;`]);
    wrk.write('brand-b.csv', `${header}\n0612345601;2026-01-01;web;pr-1;;2026-03-01;\n`);
    await ok(['registry', 'import', 'brand-b.csv', '--list', 'brand-b', '--kind', 'consent']);
    wrk.write('bloctel.txt', '0612345699\n');
    await ok(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(1)]);
    prospects(['0612345601']);
    const outcome = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--require-consent', 'FR', '--lists', 'consents,bloctel']);
    expect(outcome.stderr).toMatch(/warning: consent list 'brand-b' not used \(--lists leaves it out\): its withdrawals do not count/);
  });
});

describe('a third hostile pass', () => {
  const check = async (number: string) => JSON.parse((await ok(['registry', 'check', number, '--json'])).stdout)[0].lists.find((l: { kind: string }) => l.kind === 'consent');

  it('stores a grant and a withdrawal of the same day across time zones so that the list can still be read and updated', async () => {
    await importLedger([`0612345601;2026-10-01;web;pr-1;;2026-10-25;`, `0612345601;2026-10-25T23:30:00-10:00;web;pr-2;;;`], ['--as-of', '2026-11-01']);
    expect((await check('0612345601')).consent).toMatchObject({ inForce: false, withdrawn: '2026-10-25' });
    await importLedger([`0612345601;2026-10-01;web;pr-1;;2026-10-25;`, `0612345602;2026-10-01;web;pr-3;;;`], ['--as-of', '2026-11-02']);
    expect((await check('0612345601')).consent).toMatchObject({ inForce: false });
  });

  it('lets a full import replace a damaged consent row, withdrawing its number as of its date', async () => {
    await importLedger([`0612345601;2026-01-10;web;pr-1;;;`, `0612345602;2026-01-10;web;pr-2;;;`], ['--as-of', '2026-11-01']);
    const db = new Database(wrk.path('callscrub.db'));
    db.prepare("UPDATE consents SET evidence = 'not json' WHERE number = 33612345601").run();
    db.close();
    expect((await wrk.run(['registry', 'check', '0612345601'])).code).toBe(1);
    await importLedger([`0612345601;2026-01-10;web;pr-1;;;`, `0612345602;2026-01-10;web;pr-2;;;`], ['--as-of', '2026-11-02']);
    expect((await check('0612345601')).consent).toMatchObject({ inForce: false, withdrawn: '2026-11-02' });
    expect((await check('0612345602')).consent).toMatchObject({ inForce: true });
  });

  it('withdraws every number a misaligned record holds, wherever it moved', async () => {
    await importLedger([`0612345601;2026-01-10;web;pr-1;;;`, `0612345602;2026-01-10;web;pr-2;;;`], ['--as-of', '2026-11-01']);
    wrk.write('shifted.csv', `${header}\nJean;0612345601;2026-09-01;web;pr-3;2026-11-01;\n2026-11-02;0612345602\n`);
    const result = JSON.parse((await ok(['registry', 'import', 'shifted.csv', '--list', 'consents', '--mode', 'add', '--as-of', '2026-11-03', '--json'])).stdout);
    // The first is as long as the header (its number cell reads `Jean`), the second shorter: both withdraw.
    expect(result.rejectedByReason).toEqual({ letters: 1, 'wrong-field-count': 1 });
    expect((await check('0612345601')).consent).toMatchObject({ inForce: false });
    expect((await check('0612345602')).consent).toMatchObject({ inForce: false });
  });

  it.each(['néant', 'NC', 'à compléter', 'A RENSEIGNER', '000000', '.', '_', '…', '–', "'", 'oui', 'true', '1', 'ok', '01/10/2026', '01.10.2026', '20261001', 'voir CRM'])(
    'takes the proof %j for no proof',
    async (proof) => {
      wrk.write('ledger.csv', `${header}\n0612345601;2026-01-10;web;${proof};;;\n0612345602;2026-01-10;web;pr-2;;;\n`);
      const result = JSON.parse((await ok(['registry', 'import', 'ledger.csv', '--list', 'consents', '--kind', 'consent', '--json'])).stdout);
      expect(result.rejectedByReason).toEqual({ 'missing-proof': 1 });
    },
  );

  it('warns when --lists leaves out every opposition list', async () => {
    await importLedger([`0612345601;2026-01-10;web;pr-1;;;`]);
    wrk.write('bloctel.txt', '0612345699\n');
    await ok(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(1)]);
    prospects(['0612345601']);
    const outcome = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--require-consent', 'FR', '--lists', 'consents']);
    expect(outcome.stderr).toMatch(/warning: no opposition list is used \(--lists leaves out 'bloctel'\)/);
  });
});

describe('the evidence a scrub relied on', () => {
  it('is recorded in the signed report by digest, and a replay notices evidence changed since', async () => {
    await importLedger([`0612345601;2026-01-10;web;PROOF-A;;;`, `0612345602;2026-01-10;web;PROOF-B;;;`]);
    wrk.write('bloctel.txt', '0612345699\n');
    await ok(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(1)]);
    await ok(['keygen', '--out', 'k']);
    prospects(['0612345601', '0612345602']);
    await ok(['scrub', 'prospects.csv', '--out', 'clean.csv', '--require-consent', 'FR', '--report', 'report.json', '--key', 'k.key']);
    const payload = JSON.parse(Buffer.from(JSON.parse(wrk.read('report.json')).payload, 'base64').toString('utf8'));
    const consents = payload.predicate.lists.find((l: { kind: string }) => l.kind === 'consent');
    expect(consents.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
    const verify = () => wrk.run(['verify', 'report.json', '--pubkey', 'k.pub', '--replay', '--input', 'prospects.csv', '--out', 'clean.csv']);
    expect((await verify()).code).toBe(0);
    // A proof rewritten in the registry, its checksum made again to match: the days are the same, the evidence not.
    const db = new Database(wrk.path('callscrub.db'));
    const row = db.prepare('SELECT number, evidence FROM consents WHERE number = 33612345601').get() as { number: number; evidence: string };
    const forged = row.evidence.replace('PROOF-A', 'FORGED');
    db.prepare('UPDATE consents SET evidence = ?, checksum = ? WHERE number = 33612345601').run(forged, consentChecksum(row.number, forged));
    db.close();
    const replay = await verify();
    expect(replay.code).toBe(4);
    expect(replay.stderr).toMatch(/the evidence of 'consents' v1 in the registry is not what the scrub relied on/);
  });

  it('records for each version the digest its rows give, whatever the mode', async () => {
    await importLedger([`0612345601;2026-01-10;web;pr-1;;2026-03-01;`, `0612345601;2026-06-01;web;pr-2;;;`, `0612345602;2026-01-10;web;pr-3;;2026-05-01;`, `0612345603;2026-01-10;web;pr-4;;;`], ['--as-of', '2026-11-01']);
    // Leaves out a withdrawn number (kept) and one that remembers a withdrawal (kept as that withdrawal alone).
    await importLedger([`0612345603;2026-01-10;web;pr-4;;;`, `0612345604;2026-02-10;web;pr-5;;;`], ['--as-of', '2026-11-02']);
    wrk.write('optout.txt', '0612345603\n0612345699\n');
    await ok(['registry', 'import', 'optout.txt', '--list', 'consents', '--mode', 'remove', '--as-of', '2026-11-03']);
    wrk.write('add.csv', `${header}\n0612345605;2026-03-10;web;pr-6;;;\n`);
    await ok(['registry', 'import', 'add.csv', '--list', 'consents', '--mode', 'add', '--as-of', '2026-11-04']);
    const registry = Registry.open(wrk.path('callscrub.db'), { readonly: true });
    try {
      const list = registry.list('consents') as List;
      const versions = registry.versions('consents');
      expect(versions).toHaveLength(4);
      for (const v of versions) expect(registry.recordedEvidenceDigest(list, v.version)).toBe(registry.evidenceDigestOf(list, v.version));
    } finally {
      registry.close();
    }
  });

});

describe('registry status --require-fresh', () => {
  it('takes a consent list for something to scrub against, where no opposition list is left', async () => {
    expect((await wrk.run(['registry', 'status', '--require-fresh'])).code).toBe(3);
    await importLedger([`0612345601;2026-01-10;web;pr-1;;;`]);
    expect((await wrk.run(['registry', 'status', '--require-fresh'])).code).toBe(0);
  });
});

describe('registry prune', () => {
  it('drops the evidence only older versions held, and says a pruned version cannot be told', async () => {
    const longAgo = new Date(Date.now() - 500 * 86_400_000);
    const later = new Date(Date.now() - 300 * 86_400_000);
    const recently = new Date(Date.now() - 10 * 86_400_000);
    const at = (date: Date) => daysAgo(0, date);
    wrk.write('ledger.csv', `${header}\n0612345601;2024-01-15;web;${secret(1)};;;\n0612345602;2024-01-15;web;${secret(2)};;;\n`);
    await ok(['registry', 'import', 'ledger.csv', '--list', 'consents', '--kind', 'consent'], longAgo);
    wrk.write('ledger.csv', `${header}\n0612345601;2024-01-15;web;${secret(1)};;;\n0612345602;2025-01-01;renewed;${secret(3)};;;\n`);
    await ok(['registry', 'import', 'ledger.csv', '--list', 'consents', '--kind', 'consent'], later);
    // The version in force 100 days ago (version 2) stays replayable; version 1 does not.
    await ok(['registry', 'import', 'ledger.csv', '--list', 'consents', '--kind', 'consent'], recently);
    const pruned = JSON.parse((await ok(['registry', 'prune', '--keep-days', '100', '--json'])).stdout);
    expect(JSON.stringify(pruned)).toContain('consents');
    const db = new Database(wrk.path('callscrub.db'), { readonly: true });
    const rows = db.prepare('SELECT number, from_version AS f, to_version AS t FROM consents ORDER BY number, f').all();
    db.close();
    // 0612345601's consent, unchanged since version 1, stays; the one 0612345602 had in version 1 goes.
    expect(rows).toEqual([
      { number: 33612345601, f: 1, t: null },
      { number: 33612345602, f: 2, t: null },
    ]);
    const old = JSON.parse((await ok(['registry', 'check', '0612345602', '--at', at(longAgo), '--json'])).stdout)[0].lists[0];
    expect(old).toMatchObject({ version: 1, pruned: true, listed: false });
    const now = JSON.parse((await ok(['registry', 'check', '0612345602', '--json'])).stdout)[0].lists[0];
    expect(now.consent).toMatchObject({ proof: secret(3), recordedInVersion: 2, inForce: true });
  });
});

describe('a registry of schema 2', () => {
  it('is upgraded by the first import, its lists kept, and then takes consent lists', async () => {
    wrk.write('bloctel.txt', '0612345699\n');
    await ok(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(1)]);
    const db = new Database(wrk.path('callscrub.db'));
    db.pragma('foreign_keys = OFF');
    db.exec(`DROP TABLE consents; ALTER TABLE versions DROP COLUMN evidence_sha256;
      CREATE TABLE lists_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL CHECK (kind IN ('opposition', 'internal', 'exempt')), max_age_days INTEGER, covers TEXT, created_at TEXT NOT NULL);
      INSERT INTO lists_old SELECT id, name, kind, max_age_days, covers, created_at FROM lists; DROP TABLE lists; ALTER TABLE lists_old RENAME TO lists;`);
    db.pragma('user_version = 2');
    db.close();
    // Read as it is, without an upgrade.
    expect(JSON.parse((await ok(['registry', 'status', '--json'])).stdout).lists[0]).toMatchObject({ name: 'bloctel', numbers: 1 });
    await importLedger([`0612345601;2026-01-15;web;pr-1;;;`]);
    const upgraded = new Database(wrk.path('callscrub.db'), { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(4);
    expect(upgraded.pragma('foreign_key_check')).toEqual([]);
    upgraded.close();
    prospects(['0612345601', '0612345699']);
    await scrub(['--require-consent', 'FR']);
    expect(cleanNames()).toEqual(['P1']);
  });
});
