// Expiry and contract-end dates of internal and exempt lists (issue 8, item 5): the common forms are read, an
// internal entry whose date cannot be read is kept as never expiring and said, an exemption whose end date cannot
// be read is not an exemption, and the date column is found by its name, never by its position.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayOf, readListDate } from '../src/dates.js';
import { endDateColumn } from '../src/registry/list-reader.js';
import { Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

async function importJson(argv: string[]) {
  const outcome = await wrk.run(['registry', 'import', ...argv, '--json']);
  expect(outcome.code).toBe(0);
  return { result: JSON.parse(outcome.stdout), stderr: outcome.stderr };
}

async function untilOf(numbers: string[]): Promise<Array<string | undefined>> {
  const check = JSON.parse((await wrk.run(['registry', 'check', ...numbers, '--json'])).stdout);
  return check.map((c: { lists: Array<{ listed: boolean; until?: string }> }) => (c.lists[0]?.listed ? c.lists[0].until : 'not listed'));
}

describe('reading list dates', () => {
  const day = (date: string) => dayOf(date) as number;
  it.each([
    ['2027-12-31', '2027-12-31'],
    ['2027-12-31T23:59:00Z', '2027-12-31'],
    ['2027-12-31 08:30', '2027-12-31'],
    ['2027/12/31', '2027-12-31'],
    ['20271231', '2027-12-31'],
    ['31/12/2027', '2027-12-31'],
    ['31.12.2027', '2027-12-31'],
    ['31-12-2027', '2027-12-31'],
    ['31/12/27', '2027-12-31'],
    ['31/12/2027 23:59', '2027-12-31'],
    // US style: 31 cannot be a month, so the first number is the month.
    ['12/31/2027', '2027-12-31'],
    ['2/28/2027', '2027-02-28'],
  ])('reads %s as %s', (text, expected) => {
    expect(readListDate(text, 'later')).toBe(day(expected));
    expect(readListDate(text, 'earlier')).toBe(day(expected));
  });

  it('reads a date that is possible both ways as the later or the earlier one, as asked', () => {
    expect(readListDate('03/04/2027', 'later')).toBe(day('2027-04-03'));
    expect(readListDate('03/04/2027', 'earlier')).toBe(day('2027-03-04'));
    expect(readListDate('03/04/2027', 'day-first')).toBe(day('2027-04-03'));
  });

  it.each(['never', 'Jamais', 'none', 'N/A', 'n/a', '', '  ', 'aucune', 'illimité', '-'])('reads %j as no end date', (text) => {
    expect(readListDate(text, 'later')).toBe('none');
  });

  it.each(['2027-02-30', '31/02/2027', '13/13/2027', 'soon', 'demande client', '2027', '46752'])('cannot read %j', (text) => {
    expect(readListDate(text, 'later')).toBeUndefined();
  });

  it('finds the end-date column by its name', () => {
    expect(endDateColumn(['tel', 'motif'])).toBe(-1);
    expect(endDateColumn(['Téléphone', 'Motif', 'Expire le'])).toBe(2);
    expect(endDateColumn(['tel', 'date_ajout', 'date_fin'])).toBe(2);
    expect(endDateColumn(['phone', 'contractEnd'])).toBe(1);
    expect(endDateColumn(['phone', 'valid until'])).toBe(1);
    expect(endDateColumn(['numero', 'échéance'])).toBe(1);
    expect(endDateColumn(['tel', 'date'])).toBe(-1);
    expect(endDateColumn(['tel', 'date de début'])).toBe(-1);
  });
});

describe('internal list entries', () => {
  it('keeps entries dated 12/31/2027, 31.12.2027, never and N/A with the date they say', async () => {
    wrk.write('optout.txt', '0612345671;12/31/2027\n0612345672;31.12.2027\n0612345673;never\n0612345674;N/A\n');
    const { result } = await importJson(['optout.txt', '--list', 'optout', '--kind', 'internal']);
    expect(result).toMatchObject({ numbersTotal: 4, rejected: 0, unreadableDates: 0 });
    expect(await untilOf(['0612345671', '0612345672', '0612345673', '0612345674'])).toEqual(['2027-12-31', '2027-12-31', 'never', 'never']);
  });

  it('keeps an entry whose expiry 2027-02-30 cannot be read, as never expiring, and says so', async () => {
    wrk.write('optout.txt', '0612345671;2027-02-30\n0612345672;2027-06-30\n0612345673;bientôt\n');
    const { result, stderr } = await importJson(['optout.txt', '--list', 'optout', '--kind', 'internal']);
    expect(stderr).toBe('');
    expect(result).toMatchObject({ numbersTotal: 3, rejected: 0, unreadableDates: 2, firstUnreadableDates: [1, 3] });
    expect(await untilOf(['0612345671', '0612345672', '0612345673'])).toEqual(['never', '2027-06-30', 'never']);
    const human = await wrk.run(['registry', 'import', 'optout.txt', '--list', 'optout']);
    expect(human.stderr).toContain('  2 expiry dates unreadable, kept as never expiring: line 1, line 3\n');
  });

  it('keeps them silently under --quiet, which prints nothing but errors', async () => {
    wrk.write('optout.txt', '0612345671;someday\n');
    const quiet = await wrk.run(['registry', 'import', 'optout.txt', '--list', 'optout', '--kind', 'internal', '--quiet']);
    expect(quiet).toMatchObject({ code: 0, stderr: '', stdout: '' });
    expect(await untilOf(['0612345671'])).toEqual(['never']);
  });

  it('finds the date column by its name: an internal list tel;motif keeps every row, never expiring', async () => {
    wrk.write('optout.txt', 'tel;motif\n0612345671;demande client\n0612345672;litige\n');
    const { result } = await importJson(['optout.txt', '--list', 'optout', '--kind', 'internal']);
    expect(result).toMatchObject({ format: 'lines', numbersTotal: 2, rejected: 0, unreadableDates: 0 });
    expect(await untilOf(['0612345671', '0612345672'])).toEqual(['never', 'never']);
  });

  it('finds a named expiry column wherever it is, in lines and csv files, and not a date the entry was added', async () => {
    wrk.write('optout.txt', 'tel;expiration;motif\n0612345671;2027-01-31;litige\n');
    await importJson(['optout.txt', '--list', 'optout', '--kind', 'internal']);
    wrk.write('crm.csv', 'nom;telephone;date_ajout;date_fin\nA;0612345672;2020-01-01;2028-01-31\nB;0612345673;2020-01-01;\n');
    await importJson(['crm.csv', '--list', 'crm', '--kind', 'internal']);
    wrk.write('added.csv', 'nom;telephone;date\nA;0612345674;2020-01-01\n');
    await importJson(['added.csv', '--list', 'added', '--kind', 'internal']);
    const check = JSON.parse((await wrk.run(['registry', 'check', '0612345671', '0612345672', '0612345673', '0612345674', '--json'])).stdout);
    const until = (i: number, list: string) => check[i].lists.find((l: { list: string }) => l.list === list).until;
    expect([until(0, 'optout'), until(1, 'crm'), until(2, 'crm'), until(3, 'added')]).toEqual(['2027-01-31', '2028-01-31', 'never', 'never']);
  });

  it('takes --date-column by name or position, also for a lines file', async () => {
    wrk.write('optout.txt', 'tel;motif;quand\n0612345671;litige;2027-03-31\n');
    await importJson(['optout.txt', '--list', 'optout', '--kind', 'internal', '--date-column', 'quand']);
    wrk.write('plain.txt', '0612345672;litige;2027-04-30\n');
    await importJson(['plain.txt', '--list', 'plain', '--kind', 'internal', '--date-column', '3']);
    const check = JSON.parse((await wrk.run(['registry', 'check', '0612345671', '0612345672', '--json'])).stdout);
    expect(check[0].lists.find((l: { list: string }) => l.list === 'optout').until).toBe('2027-03-31');
    expect(check[1].lists.find((l: { list: string }) => l.list === 'plain').until).toBe('2027-04-30');
  });

  it('reads an ambiguous 03/04/2027 as the later expiry', async () => {
    wrk.write('optout.txt', '0612345671;03/04/2027\n');
    await importJson(['optout.txt', '--list', 'optout', '--kind', 'internal']);
    expect(await untilOf(['0612345671'])).toEqual(['2027-04-03']);
  });
});

describe('exempt list entries', () => {
  it('rejects an exemption whose end date cannot be read (bad-date) or that never ends (missing-end-date)', async () => {
    wrk.write('contracts.txt', '0612345671;2027-02-30\n0612345672;never\n0612345673;12/31/2027\n0612345674;soon\n');
    const { result } = await importJson(['contracts.txt', '--list', 'contracts', '--kind', 'exempt']);
    expect(result).toMatchObject({ numbersTotal: 1, rejected: 3, rejectedByReason: { 'bad-date': 2, 'missing-end-date': 1 } });
    expect(await untilOf(['0612345671', '0612345672', '0612345673'])).toEqual(['not listed', 'not listed', '2027-12-31']);
  });

  it('reads an ambiguous 03/04/2027 as the earlier contract end', async () => {
    wrk.write('contracts.txt', '0612345671;03/04/2027\n');
    await importJson(['contracts.txt', '--list', 'contracts', '--kind', 'exempt']);
    expect(await untilOf(['0612345671'])).toEqual(['2027-03-04']);
  });

  it('says how to name the end-date column when a header names none', async () => {
    wrk.write('contracts.csv', 'nom;telephone;date\nA;0612345671;2027-01-01\n');
    const outcome = await wrk.run(['registry', 'import', 'contracts.csv', '--list', 'contracts', '--kind', 'exempt']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('1 missing-end-date');
    expect(outcome.stderr).toContain('--date-column');
  });
});
