import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from '../src/registry/store.js';
import { logicalDigest } from '../src/numbers/digest.js';
import { daysAgo, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

const today = daysAgo(0);

async function importJson(argv: string[], options: { now?: Date } = {}) {
  const outcome = await wrk.run(['registry', 'import', ...argv, '--json'], options);
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  return JSON.parse(outcome.stdout) as Record<string, unknown>;
}

function fileDigest(name: string): string {
  return createHash('sha256').update(fs.readFileSync(wrk.path(name))).digest('hex');
}

function versionsOf(list: string) {
  const registry = Registry.open(wrk.path('callscrub.db'), { readonly: true });
  try {
    return registry.versions(list);
  } finally {
    registry.close();
  }
}

function setAt(list: string, version: number): string[] | undefined {
  const registry = Registry.open(wrk.path('callscrub.db'), { readonly: true });
  try {
    const set = registry.setAt(registry.list(list)!, version);
    return set === undefined ? undefined : Array.from(set.numbers, (n) => `+${n}`);
  } finally {
    registry.close();
  }
}

describe('registry import', () => {
  it('imports a Bloctel-style file as version 1, counting rejects by reason', async () => {
    wrk.write('bloctel.txt', 'Telephone;Identifiant\n0612345678;1\n06 12 34 56 79;2\n+33781234567;3\nnot a number;4\n3949;5\n0692123456;6\n');
    const result = await importJson(['bloctel.txt', '--list', 'bloctel', '--as-of', today]);
    expect(result).toMatchObject({
      list: 'bloctel',
      kind: 'opposition',
      version: 1,
      mode: 'full',
      asOf: today,
      format: 'lines',
      numbersAdded: 4,
      numbersRemoved: 0,
      numbersTotal: 4,
      rejected: 2,
      rejectedByReason: { letters: 1, 'short-code': 1 },
      firstRejects: [
        { line: 5, reason: 'letters' },
        { line: 6, reason: 'short-code' },
      ],
      covers: ['262', '33'],
      maxAgeDays: 30,
      sourceName: 'bloctel.txt',
      sourceSha256: fileDigest('bloctel.txt'),
    });
    expect(setAt('bloctel', 1)).toEqual(['+33612345678', '+33612345679', '+33781234567', '+262692123456']);
    expect(fs.statSync(wrk.path('callscrub.db')).mode & 0o777).toBe(0o600);
  });

  it('gives the same logical digest to the same set in other notations and orders', async () => {
    wrk.write('a.txt', '0612345678\n0692123456\n0142685300\n');
    wrk.write('b.csv', 'nom;telephone\nB;"+262 692 12 34 56"\nA;01.42.68.53.00\nC;+33 (0)6 12 34 56 78\nC;0612345678\n');
    const a = await importJson(['a.txt', '--list', 'one']);
    const b = await importJson(['b.csv', '--list', 'two', '--format', 'csv']);
    expect(a.logicalSha256).toBe(b.logicalSha256);
    expect(a.sourceSha256).not.toBe(b.sourceSha256);
    // The digest is what standard tools give: one number a line, byte order.
    const lines = ['+262692123456', '+33142685300', '+33612345678'].map((n) => `${n}\n`).join('');
    expect(a.logicalSha256).toBe(createHash('sha256').update(lines).digest('hex'));
  });

  it('records what each full import adds and removes, and rebuilds every version', async () => {
    wrk.write('v1.txt', '0612345601\n0612345602\n0612345603\n0612345604\n0612345605\n');
    wrk.write('v2.txt', '0612345601\n0612345602\n0612345603\n0612345604\n0612345606\n');
    wrk.write('v3.txt', '0612345601\n0612345602\n0612345603\n0612345605\n0612345606\n');
    await importJson(['v1.txt', '--list', 'l', '--as-of', daysAgo(3)]);
    const two = await importJson(['v2.txt', '--list', 'l', '--as-of', daysAgo(2)]);
    expect(two).toMatchObject({ version: 2, numbersAdded: 1, numbersRemoved: 1, numbersTotal: 5 });
    const three = await importJson(['v3.txt', '--list', 'l', '--as-of', daysAgo(1)]);
    expect(three).toMatchObject({ version: 3, numbersAdded: 1, numbersRemoved: 1 });
    expect(setAt('l', 1)).toEqual(['+33612345601', '+33612345602', '+33612345603', '+33612345604', '+33612345605']);
    expect(setAt('l', 2)).toEqual(['+33612345601', '+33612345602', '+33612345603', '+33612345604', '+33612345606']);
    const registry = Registry.open(wrk.path('callscrub.db'), { readonly: true });
    for (const v of registry.versions('l')) expect(logicalDigest(registry.setAt(registry.list('l')!, v.version)!)).toBe(v.logicalSha256);
    registry.close();
  });

  it('applies change lists with --mode add and remove', async () => {
    wrk.write('full.txt', '0612345601\n0612345602\n');
    wrk.write('add.txt', '0612345603\n0612345601\n');
    wrk.write('remove.txt', '0612345602\n0699999999\n');
    await importJson(['full.txt', '--list', 'l']);
    expect(await importJson(['add.txt', '--list', 'l', '--mode', 'add'])).toMatchObject({ numbersAdded: 1, numbersRemoved: 0, numbersTotal: 3 });
    // One of three is over the fifth a change list may remove without --allow-shrink.
    expect(await importJson(['remove.txt', '--list', 'l', '--mode', 'remove', '--allow-shrink'])).toMatchObject({ numbersAdded: 0, numbersRemoved: 1, numbersTotal: 2 });
    expect(setAt('l', 3)).toEqual(['+33612345601', '+33612345603']);
    expect(setAt('l', 2)).toEqual(['+33612345601', '+33612345602', '+33612345603']);
  });

  it('refuses a full import that would drop much of the list, unless --allow-shrink', async () => {
    wrk.write('big.txt', Array.from({ length: 50 }, (_, i) => `06123456${String(i).padStart(2, '0')}`).join('\n'));
    wrk.write('small.txt', '0612345600\n');
    await importJson(['big.txt', '--list', 'l']);
    const refused = await wrk.run(['registry', 'import', 'small.txt', '--list', 'l']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^callscrub: small\.txt: this full import would remove 49 of the 50 numbers of 'l' \(98 %\): the file may be truncated \(check the file, or pass --allow-shrink if the list really shrank\)\n$/);
    expect(versionsOf('l')).toHaveLength(1);
    expect(await importJson(['small.txt', '--list', 'l', '--allow-shrink'])).toMatchObject({ version: 2, numbersTotal: 1 });
  });

  it('refuses a file older than the newest version', async () => {
    wrk.write('new.txt', '0612345678\n');
    await importJson(['new.txt', '--list', 'l', '--as-of', daysAgo(1)]);
    const before = fileDigest('callscrub.db');
    const refused = await wrk.run(['registry', 'import', 'new.txt', '--list', 'l', '--as-of', daysAgo(10)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('older than version 1');
    expect(fileDigest('callscrub.db')).toBe(before);
  });

  it('imports internal lists with expiry dates and exempt lists with end dates', async () => {
    wrk.write('optout.txt', '0612345678;2027-01-31\n0612345679\n0612345670;31/12/2026\n0612345671;soon\n');
    const internal = await importJson(['optout.txt', '--list', 'optout', '--kind', 'internal']);
    // An unreadable expiry keeps the entry, never expiring (see test/list-dates.test.ts).
    expect(internal).toMatchObject({ kind: 'internal', numbersTotal: 4, rejected: 0, unreadableDates: 1, firstUnreadableDates: [4], maxAgeDays: null });
    wrk.write('contracts.txt', '0612345678;2027-06-30\n0612345679\n');
    const exempt = await importJson(['contracts.txt', '--list', 'contracts', '--kind', 'exempt']);
    expect(exempt).toMatchObject({ kind: 'exempt', numbersTotal: 1, rejectedByReason: { 'missing-end-date': 1 } });
    const check = await wrk.run(['registry', 'check', '0612345678', '0612345679', '--json']);
    const [first, second] = JSON.parse(check.stdout);
    expect(first.lists).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ list: 'optout', listed: true, until: '2027-01-31' }),
        expect.objectContaining({ list: 'contracts', listed: true, until: '2027-06-30' }),
      ]),
    );
    expect(second.lists).toEqual(expect.arrayContaining([expect.objectContaining({ list: 'optout', listed: true, until: 'never' })]));
    const wrongKind = await wrk.run(['registry', 'import', 'optout.txt', '--list', 'optout', '--kind', 'opposition']);
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toContain("list 'optout' is an internal list");
  });

  it('reads the national formats, with their coverage and maximum ages', async () => {
    wrk.write('us.txt', '201,2345678\n201,3456789\n212,5550123\n101,2345678\n');
    expect(await importJson(['us.txt', '--list', 'us', '--as-of', today])).toMatchObject({
      format: 'us-dnc',
      numbersTotal: 3,
      rejectedByReason: { 'invalid-number': 1 },
      covers: ['1201', '1212'],
      maxAgeDays: 31,
    });
    wrk.write('tps.txt', '01632 960001\r\n07700900123 \r\n');
    expect(await importJson(['tps.txt', '--list', 'tps'])).toMatchObject({ format: 'tps', numbersTotal: 2, covers: ['44'], maxAgeDays: 28 });
    wrk.write('be.txt', '0475 12 34 56;2024-01-15\n+32 2 123 45 67;2024-01-16\n');
    expect(await importJson(['be.txt', '--list', 'dncm', '--format', 'dncm'])).toMatchObject({ format: 'dncm', numbersTotal: 2, covers: ['32'], maxAgeDays: 5 });
    expect(await importJson(['be.txt', '--list', 'dncm2', '--format', 'dncm', '--covers', '+32', '--max-age', '7'])).toMatchObject({ covers: ['32'], maxAgeDays: 7 });
  });

  it('warns about numbers of the file outside --covers', async () => {
    wrk.write('list.txt', '0612345678\n0692123456\n+44 20 7946 0958\n');
    const outcome = await wrk.run(['registry', 'import', 'list.txt', '--list', 'l', '--covers', '33']);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toContain('warning: 2 numbers of the file are outside --covers');
  });

  it('keeps --covers and --max-age for the imports that follow', async () => {
    wrk.write('list.txt', '0612345678\n');
    await importJson(['list.txt', '--list', 'l', '--covers', '33,262,590', '--max-age', '20', '--as-of', daysAgo(2)]);
    expect(await importJson(['list.txt', '--list', 'l', '--as-of', daysAgo(1)])).toMatchObject({ version: 2, covers: ['262', '33', '590'], maxAgeDays: 20 });
  });

  it('writes every rejected line number and reason, never the text, readable by the owner only', async () => {
    wrk.write('list.txt', '0612345678\n06 12 34\nhello 0699\n');
    await importJson(['list.txt', '--list', 'l', '--rejects', 'rejects.tsv']);
    expect(wrk.read('rejects.tsv')).toBe('line\treason\n2\ttoo-short\n3\tletters\n');
    expect(fs.statSync(wrk.path('rejects.tsv')).mode & 0o777).toBe(0o600);
  });

  it('reads standard input and UTF-16 files with a BOM', async () => {
    const fromStdin = await wrk.run(['registry', 'import', '-', '--list', 'l', '--json'], { stdin: '0612345678\n' });
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({ numbersTotal: 1, sourceName: '<stdin>' });
    wrk.write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Téléphone\r\n0612345678\r\n', 'utf16le')]));
    expect(await importJson(['utf16.txt', '--list', 'u'])).toMatchObject({ numbersTotal: 1 });
  });
});

describe('registry import: bad input ends in one line and leaves the registry as it was', () => {
  beforeEach(async () => {
    wrk.write('good.txt', '0612345678\n');
    await importJson(['good.txt', '--list', 'l', '--as-of', daysAgo(1)]);
  });

  const cases: Array<[string, () => string[], number, RegExp]> = [
    ['an empty file', () => (wrk.write('empty.txt', ''), ['empty.txt', '--list', 'l']), 1, /^callscrub: empty\.txt: the file holds no phone number \(check that this is the right file\)$/],
    ['binary data', () => (wrk.write('bin.dat', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 1, 2])), ['bin.dat', '--list', 'l']), 1, /^callscrub: bin\.dat:1: binary data \(NUL bytes\): not a text file/],
    ['only invalid numbers', () => (wrk.write('bad.txt', '12 ab\n12\n#N/A\n'), ['bad.txt', '--list', 'l']), 1, /^callscrub: bad\.txt: no valid phone number in the file \(3 records rejected: /],
    ['an unknown format', () => ['good.txt', '--list', 'l', '--format', 'xlsx'], 2, /^callscrub: --format must be one of auto, lines, csv, us-dnc, tps, dncm, not 'xlsx'$/],
    ['a missing --list', () => ['good.txt'], 2, /^callscrub: registry import needs --list NAME \(for example --list bloctel\)$/],
    ['a path that does not exist', () => ['nope.txt', '--list', 'l'], 1, /^callscrub: nope\.txt: cannot read the file: no such file or directory \(check the path\)$/],
    ['a directory', () => (fs.mkdirSync(wrk.path('dir')), ['dir', '--list', 'l']), 1, /^callscrub: dir: cannot read the file: is a directory/],
    ['a bad --as-of', () => ['good.txt', '--list', 'l', '--as-of', '2026-13-01'], 2, /^callscrub: --as-of takes a date as YYYY-MM-DD, not '2026-13-01'$/],
    ['a csv without a phone column', () => (wrk.write('x.csv', 'a;b;c\n1;2;3\n'), ['x.csv', '--list', 'l', '--format', 'csv']), 2, /no phone column found in the header \(the header has a, b, c\) \(name it with --column NAME\)/],
  ];
  it.each(cases)('%s', async (_, setup, code, message) => {
    const argv = setup();
    const before = fileDigest('callscrub.db');
    const outcome = await wrk.run(['registry', 'import', ...argv]);
    expect(outcome.code).toBe(code);
    expect(outcome.stderr.trimEnd()).toMatch(message);
    expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(outcome.stdout).toBe('');
    expect(fileDigest('callscrub.db')).toBe(before);
    expect(versionsOf('l')).toHaveLength(1);
  });

  it('refuses a file that is not a registry, another SQLite database, and a newer schema', async () => {
    wrk.write('notes.db', 'these are my notes, not a database\n'.repeat(50));
    const text = await wrk.run(['registry', 'status', '--db', 'notes.db']);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^callscrub: .*notes\.db: not a callscrub registry database/);
    expect(wrk.read('notes.db')).toBe('these are my notes, not a database\n'.repeat(50));

    const other = new Database(wrk.path('other.db'));
    other.exec('CREATE TABLE t(x)');
    other.close();
    const foreign = await wrk.run(['registry', 'import', 'good.txt', '--list', 'l', '--db', 'other.db']);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('not a callscrub registry database');

    const newer = new Database(wrk.path('callscrub.db'));
    newer.pragma('user_version = 99');
    newer.close();
    const refused = await wrk.run(['registry', 'status']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/schema version 99, newer than this callscrub reads \(4\) \(upgrade callscrub\)/);
  });
});

describe('registry status, versions, check, prune', () => {
  it('tells fresh from stale, and --require-fresh exits 3 on a stale list', async () => {
    wrk.write('list.txt', '0612345678\n');
    await importJson(['list.txt', '--list', 'fresh', '--as-of', daysAgo(5)]);
    await importJson(['list.txt', '--list', 'old', '--as-of', daysAgo(42)]);
    await importJson(['list.txt', '--list', 'mine', '--kind', 'internal']);
    const status = await wrk.run(['registry', 'status', '--json']);
    const lists = JSON.parse(status.stdout).lists;
    expect(lists).toEqual([
      expect.objectContaining({ name: 'fresh', kind: 'opposition', numbers: 1, ageDays: 5, maxAgeDays: 30, fresh: true }),
      expect.objectContaining({ name: 'mine', kind: 'internal', fresh: true, maxAgeDays: null }),
      expect.objectContaining({ name: 'old', ageDays: 42, fresh: false }),
    ]);
    const required = await wrk.run(['registry', 'status', '--require-fresh']);
    expect(required.code).toBe(3);
    expect(required.stderr).toContain(`callscrub: list 'old' is 42 days old (as of ${daysAgo(42)}), the maximum is 30 (import a newer list)`);
  });

  it('says there is no registry yet, and --require-fresh exits 3', async () => {
    const status = await wrk.run(['registry', 'status']);
    expect(status.code).toBe(0);
    expect(status.stderr).toContain('no registry at');
    expect(wrk.exists('callscrub.db')).toBe(false);
    expect((await wrk.run(['registry', 'status', '--require-fresh'])).code).toBe(3);
  });

  it('lists versions as JSON with the documented fields', async () => {
    wrk.write('list.txt', '0612345678\n');
    await importJson(['list.txt', '--list', 'l']);
    const versions = JSON.parse((await wrk.run(['registry', 'versions', '--json'])).stdout);
    expect(Object.keys(versions[0])).toEqual(
      expect.arrayContaining(['list', 'kind', 'version', 'mode', 'asOf', 'numbersAdded', 'numbersRemoved', 'numbersTotal', 'rejected', 'logicalSha256', 'sourceSha256']),
    );
  });

  it('checks numbers in any notation, ambiguous ones under every form, with the version they entered', async () => {
    wrk.write('v1.txt', '0612345678\n+262801234567\n');
    wrk.write('v2.txt', '0612345678\n+262801234567\n0612345679\n');
    await importJson(['v1.txt', '--list', 'b', '--as-of', daysAgo(2)]);
    await importJson(['v2.txt', '--list', 'b', '--as-of', daysAgo(1)]);
    const check = JSON.parse((await wrk.run(['registry', 'check', '+33 6 12 34 56 78', '06.12.34.56.79', '0801234567', '0699999999', 'bad', '--json'])).stdout);
    expect(check[0].lists[0]).toMatchObject({ listed: true, sinceVersion: 1, sinceExact: true });
    expect(check[1].lists[0]).toMatchObject({ listed: true, sinceVersion: 2 });
    expect(check[2].lists[0]).toMatchObject({ listed: true, matched: '+262801234567' });
    expect(check[3].lists[0]).toMatchObject({ listed: false });
    expect(check[4]).toMatchObject({ ok: false, reason: 'letters' });
  });

  it('prunes history older than N days and says which versions can no longer be replayed', async () => {
    const day = 86_400_000;
    const at = (daysBack: number) => new Date(Date.now() - daysBack * day);
    wrk.write('v1.txt', '0612345601\n0612345602\n0612345603\n0612345604\n0612345605\n');
    wrk.write('v2.txt', '0612345601\n0612345602\n0612345603\n0612345604\n0612345606\n');
    wrk.write('v3.txt', '0612345601\n0612345602\n0612345603\n0612345604\n0612345607\n');
    await importJson(['v1.txt', '--list', 'l', '--as-of', daysAgo(100)], { now: at(100) });
    await importJson(['v2.txt', '--list', 'l', '--as-of', daysAgo(50)], { now: at(50) });
    await importJson(['v3.txt', '--list', 'l', '--as-of', daysAgo(5)], { now: at(5) });
    const dry = JSON.parse((await wrk.run(['registry', 'prune', '--keep-days', '30', '--dry-run', '--json'])).stdout);
    expect(dry.noLongerReplayable.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(setAt('l', 1)).toHaveLength(5);
    const pruned = await wrk.run(['registry', 'prune', '--keep-days', '30']);
    expect(pruned.code).toBe(0);
    expect(pruned.stderr).toContain('l v1 (as of');
    expect(setAt('l', 1)).toBeUndefined();
    expect(setAt('l', 2)).toEqual(['+33612345601', '+33612345602', '+33612345603', '+33612345604', '+33612345606']);
    const check = JSON.parse((await wrk.run(['registry', 'check', '0612345601', '--json'])).stdout);
    expect(check[0].lists[0]).toMatchObject({ listed: true, sinceVersion: 2, sinceExact: false });
    expect((await wrk.run(['registry', 'prune', '--keep-days', '30'])).stderr).toContain('nothing to prune');
    const registry = Registry.open(wrk.path('callscrub.db'), { readonly: true });
    expect(registry.integrityCheck()).toBe('ok');
    registry.close();
  });
});
