// Ambiguous 08/09 numbers in lists: a list is counted, digested and covered as published, and matched under every
// reading of its numbers (issue 8, item 3 and "numbers = distinct numbers as published").

import { execSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalize } from '../src/phone/normalize.js';
import { decode, decodeChunk, encode } from '../src/numbers/chunks.js';
import { logicalDigest } from '../src/numbers/digest.js';
import type { NumberSet } from '../src/numbers/set.js';
import { otherReadings, otherReadingsOf, primaryReadingOf, withOtherReadings } from '../src/registry/readings.js';
import { Registry } from '../src/registry/store.js';
import { daysAgo, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

async function ok(argv: string[]) {
  const outcome = await wrk.run(argv);
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  return JSON.parse(outcome.stdout);
}

/** 100 distinct numbers, 65 of them ambiguous 08/09 numbers with other readings overseas. */
function hundredNumbers(): string[] {
  const numbers: string[] = [];
  for (let i = 0; numbers.length < 65; i++) {
    const candidate = `08012345${String(i).padStart(2, '0')}`;
    const n = normalize(candidate, { lenient: true });
    if (n.ok && n.alternates.length > 0) numbers.push(candidate);
  }
  for (let i = 0; numbers.length < 100; i++) numbers.push(`061234${String(i).padStart(4, '0')}`);
  return numbers;
}

const prospects = (phones: string[]) => `nom;telephone\n${phones.map((p, i) => `P${i};${p}`).join('\n')}\n`;

describe('a list holding ambiguous 08/09 numbers', () => {
  it('covers only the calling codes of its numbers as published (0801234567 covers +33, not +590 +594 +596)', async () => {
    wrk.write('list.txt', '0801234567\n0612345678\n');
    const imported = await ok(['registry', 'import', 'list.txt', '--list', 'bloctel', '--json']);
    expect(imported).toMatchObject({ numbersTotal: 2, covers: ['33'] });
  });

  it('scrubs a Martinique or Guyane prospect as unscreened when the list only holds a mainland 08 number', async () => {
    wrk.write('list.txt', '0801234567\n0612345678\n');
    await ok(['registry', 'import', 'list.txt', '--list', 'bloctel', '--json']);
    wrk.write('prospects.csv', prospects(['0696 12 34 56', '0694 12 34 56', '0612345679']));
    const scrub = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--json']);
    expect(scrub.code).toBe(0);
    expect(wrk.read('clean.csv')).toBe('nom;telephone\nP2;0612345679\n');
    expect(wrk.read('excluded.csv').match(/;unscreened;/g)).toHaveLength(2);
  });

  it('counts the distinct numbers as published: a file of 100 distinct numbers shows 100, not 165', async () => {
    wrk.write('list.txt', `${hundredNumbers().join('\n')}\n`);
    const imported = await ok(['registry', 'import', 'list.txt', '--list', 'bloctel', '--as-of', daysAgo(1), '--json']);
    expect(imported).toMatchObject({ numbersTotal: 100, numbersAdded: 100 });
    const status = await ok(['registry', 'status', '--json']);
    expect(status.lists[0].numbers).toBe(100);
    const versions = await ok(['registry', 'versions', '--json']);
    expect(versions[0].numbersTotal).toBe(100);
    const human = await wrk.run(['registry', 'import', 'list.txt', '--list', 'bloctel']);
    expect(human.stderr).toContain('  100 numbers: 0 added, 0 removed');
  });

  it("has the logical digest of the README's recipe, LC_ALL=C sort -u | sha256sum over the numbers as published", async () => {
    const numbers = hundredNumbers();
    wrk.write('list.txt', `${numbers.join('\n')}\n${numbers.slice(0, 10).join('\n')}\n`);
    const imported = await ok(['registry', 'import', 'list.txt', '--list', 'bloctel', '--json']);
    const e164 = numbers.map((n) => (normalize(n, { lenient: true }) as { e164: string }).e164);
    wrk.write('numbers.txt', `${e164.join('\n')}\n`);
    const recipe = execSync('LC_ALL=C sort -u numbers.txt | sha256sum', { cwd: wrk.dir, encoding: 'utf8' }).split(' ')[0];
    expect(imported.logicalSha256).toBe(recipe);
  });

  it('still excludes a prospect written under another reading of a listed ambiguous number', async () => {
    wrk.write('list.txt', '0801234567\n0612345678\n');
    await ok(['registry', 'import', 'list.txt', '--list', 'bloctel', '--covers', '33,262,508,590,594,596', '--json']);
    wrk.write('prospects.csv', prospects(['+590 801 23 45 67', '0801234567', '+262801234567', '0612345679']));
    const scrub = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv']);
    expect(scrub.code).toBe(0);
    expect(wrk.read('clean.csv')).toBe('nom;telephone\nP3;0612345679\n');
    expect(wrk.read('excluded.csv').match(/;listed;/g)).toHaveLength(3);
    const check = await ok(['registry', 'check', '+590801234567', '--json']);
    expect(check[0].lists[0]).toMatchObject({ listed: true, matched: '+33801234567' });
  });

  it('does not shrink-refuse a list whose numbers are unchanged when the old version counted every reading', async () => {
    const numbers = hundredNumbers();
    wrk.write('list.txt', `${numbers.join('\n')}\n`);
    await ok(['registry', 'import', 'list.txt', '--list', 'bloctel', '--as-of', daysAgo(2), '--json']);
    makeSchemaOne(wrk.path('callscrub.db'));
    // A schema-1 registry is read as it is: its counts are those it stored, its chunks checked by digest.
    const readings = numbers.reduce((sum, n) => sum + (normalize(n, { lenient: true }) as { alternates: string[] }).alternates.length, 0);
    expect((await ok(['registry', 'status', '--json'])).lists[0].numbers).toBe(100 + readings);
    wrk.write('prospects.csv', prospects(['+590 801 23 45 00', '0612340001']));
    expect((await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv'])).code).toBe(0);
    expect(wrk.read('clean.csv')).toBe('nom;telephone\n');
    // The next import upgrades it and counts the numbers as published.
    const again = await ok(['registry', 'import', 'list.txt', '--list', 'bloctel', '--as-of', daysAgo(1), '--json']);
    expect(again).toMatchObject({ numbersTotal: 100, numbersAdded: 0, numbersRemoved: readings });
    const db = new Database(wrk.path('callscrub.db'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    db.close();
    const versions = await ok(['registry', 'versions', '--json']);
    expect(versions.map((v: { replayable: boolean }) => v.replayable)).toEqual([true, true]);
  });
});

describe('the readings stored at import', () => {
  it('are those the loaded numbers give, for full imports and change lists, dated or not', async () => {
    const numbers = hundredNumbers();
    wrk.write('list.txt', `${numbers.join('\n')}\n+33 9 76 01 23 45\n`);
    wrk.write('dated.txt', `${numbers.map((n, i) => `${n};2030-01-${String((i % 28) + 1).padStart(2, '0')}`).join('\n')}\n`);
    wrk.write('more.txt', '0801234599\n0939901234\n');
    await ok(['registry', 'import', 'list.txt', '--list', 'full', '--as-of', daysAgo(1), '--json']);
    await ok(['registry', 'import', 'dated.txt', '--list', 'dated', '--kind', 'internal', '--json']);
    await ok(['registry', 'import', 'list.txt', '--list', 'changed', '--as-of', daysAgo(1), '--json']);
    await ok(['registry', 'import', 'more.txt', '--list', 'changed', '--mode', 'add', '--json']);
    const registry = Registry.open(wrk.path('callscrub.db'), { readonly: true });
    try {
      for (const name of ['full', 'dated', 'changed']) {
        const list = registry.list(name)!;
        const latest = registry.latestSet(list)!;
        const stored = registry.storedReadings(list, latest.version.version)!;
        const worked = otherReadingsOf(latest.set);
        expect(stored.numbers.length, name).toBeGreaterThan(0);
        expect(Array.from(stored.numbers), name).toEqual(Array.from(worked.numbers));
        expect(Array.from(stored.until ?? []), name).toEqual(Array.from(worked.until ?? []));
      }
    } finally {
      registry.close();
    }
  });
});

describe('readings', () => {
  it('gives the other readings of a primary reading only', () => {
    expect(otherReadings(33801234567)).toEqual([262801234567, 590801234567, 594801234567, 596801234567, 508801234567]);
    expect(otherReadings(590801234567)).toEqual([]);
    expect(otherReadings(33612345678)).toEqual([]);
    expect(otherReadings(33912345678)).toEqual([]);
    expect(primaryReadingOf(590801234567)).toBe(33801234567);
    expect(primaryReadingOf(33801234567)).toBeUndefined();
  });

  it('adds them to a set, dated ones with the date of the number they read', () => {
    const set: NumberSet = { numbers: Float64Array.from([33612345678, 33801234567, 590801234567]), until: Int32Array.from([5, 10, 20]) };
    const latest = withOtherReadings(set, 'latest');
    expect(Array.from(latest.numbers)).toEqual([33612345678, 33801234567, 262801234567, 508801234567, 590801234567, 594801234567, 596801234567]);
    expect(Array.from(latest.until ?? [])).toEqual([5, 10, 10, 10, 20, 10, 10]);
    expect(Array.from(withOtherReadings(set, 'earliest').until ?? [])).toEqual([5, 10, 10, 10, 10, 10, 10]);
  });
});

/**
 * Turns a registry written by this callscrub into one as schema 1 wrote it: no checksum column, and every number's
 * other readings stored in its set and counted.
 */
function makeSchemaOne(file: string): void {
  const db = new Database(file);
  const version = db.prepare('SELECT list_id, version FROM versions ORDER BY version DESC LIMIT 1').get() as { list_id: number; version: number };
  const rows = db.prepare("SELECT numbers, count FROM chunks WHERE part = 'snapshot' AND list_id = ? AND version = ?").all(version.list_id, version.version);
  expect(rows).toHaveLength(1);
  const stored = decodeChunk({ ...(rows[0] as { numbers: Buffer; count: number }), first: 0, last: 0, until: null });
  const all = withOtherReadings(stored);
  const [chunk] = encode(all);
  db.prepare("UPDATE chunks SET numbers = ?, count = ?, first = ?, last = ? WHERE part = 'snapshot'").run(chunk!.numbers, chunk!.count, chunk!.first, chunk!.last);
  db.prepare('UPDATE versions SET numbers_total = ?, numbers_added = ?, logical_sha256 = ?').run(all.numbers.length, all.numbers.length, logicalDigest(all));
  db.exec('ALTER TABLE chunks DROP COLUMN checksum; DROP TABLE readings; ALTER TABLE versions DROP COLUMN readings_total; DROP TABLE consents; ALTER TABLE lists DROP COLUMN consent_max_age_days; ALTER TABLE versions DROP COLUMN evidence_sha256');
  db.pragma('user_version = 1');
  db.close();
}

describe('readings merged in place', () => {
  it('give the same set as a merge into a new array, dated or not', () => {
    const values = [33612345678, 33801234567, 33976012345, 262801234567, 590801234567, 596976012345, 594976012346];
    for (const dated of [false, true]) {
      const chunks = encode(dated ? { numbers: Float64Array.from(values).sort(), until: Int32Array.from(values, (_, i) => 100 + i) } : { numbers: Float64Array.from(values).sort() });
      const plain = decode(chunks, values.length, dated ? 'dated' : 'plain');
      for (const keep of ['latest', 'earliest'] as const) {
        const readings = otherReadingsOf(plain);
        const copied = withOtherReadings(plain, keep, readings);
        const inPlace = withOtherReadings(decode(chunks, values.length, dated ? 'dated' : 'plain', readings.numbers.length), keep, readings);
        expect(inPlace.numbers.buffer).not.toBe(copied.numbers.buffer);
        expect(Array.from(inPlace.numbers)).toEqual(Array.from(copied.numbers));
        expect(Array.from(inPlace.until ?? [])).toEqual(Array.from(copied.until ?? []));
        expect(Array.from(copied.numbers)).toEqual([...copied.numbers].sort((a, b) => a - b));
      }
    }
  });
});
