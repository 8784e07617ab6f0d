// A damaged registry is never used (issue 8, item 4): every stored chunk carries a checksum checked when it is
// read, and a mismatch stops the scrub, `registry check` and a replay with exit 1 and one line.

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallscrubError } from '../src/errors.js';
import { DamagedVersion, Registry } from '../src/registry/store.js';
import { daysAgo, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

function numbers(count: number, from = 0): string {
  return Array.from({ length: count }, (_, i) => `06${String(10_000_000 + (from + i) * 7).padStart(8, '0')}`).join('\n') + '\n';
}

async function ok(argv: string[]) {
  const outcome = await wrk.run([...argv, '--quiet']);
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  return outcome;
}

/** Changes one byte in the middle of a stored chunk's `column`, as a failing disk or a stray write would. */
function flipByte(part: 'snapshot' | 'added' | 'removed', column: 'numbers' | 'until' = 'numbers', version?: number, list = 'bloctel', chunk: 'first' | 'last' = 'first'): void {
  const db = new Database(wrk.path('callscrub.db'));
  const where = `part = '${part}' AND list_id = (SELECT id FROM lists WHERE name = '${list}')${version === undefined ? '' : ` AND version = ${version}`}`;
  const row = db.prepare(`SELECT rowid, ${column} AS blob FROM chunks WHERE ${where} ORDER BY seq ${chunk === 'last' ? 'DESC' : ''} LIMIT 1`).get() as { rowid: number; blob: Buffer };
  const blob = Buffer.from(row.blob);
  const at = Math.floor(blob.length / 2);
  blob[at] = (blob[at] as number) ^ 0x01;
  db.prepare(`UPDATE chunks SET ${column} = ? WHERE rowid = ?`).run(blob, row.rowid);
  db.close();
}

const prospects = `nom;telephone\n${numbers(2000)
  .trim()
  .split('\n')
  .map((n, i) => `P${i};${n}`)
  .join('\n')}\n`;

describe('a damaged registry', () => {
  it('stops a scrub with exit 1 and no clean file when one byte of a stored chunk changed', async () => {
    wrk.write('list.txt', numbers(100_000));
    await ok(['registry', 'import', 'list.txt', '--list', 'bloctel']);
    wrk.write('prospects.csv', prospects);
    flipByte('snapshot');
    const scrub = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv']);
    expect(scrub.code).toBe(1);
    expect(scrub.stderr.trim().split('\n')).toHaveLength(1);
    expect(scrub.stderr).toMatch(/list 'bloctel' version 1 is damaged in the registry .*import the list's file again/);
    expect(wrk.exists('clean.csv')).toBe(false);
    expect(wrk.exists('excluded.csv')).toBe(false);
  });

  it('stops the built binary with one line and no stack trace', async () => {
    wrk.write('list.txt', numbers(1000));
    await ok(['registry', 'import', 'list.txt', '--list', 'bloctel']);
    wrk.write('prospects.csv', prospects);
    flipByte('snapshot');
    const scrub = await wrk.spawn(['scrub', 'prospects.csv', '--out', 'clean.csv']);
    expect(scrub.code).toBe(1);
    expect(scrub.stderr).toMatch(/^callscrub: .*callscrub\.db: list 'bloctel' version 1 is damaged/);
    expect(scrub.stderr).not.toMatch(/\n\s+at /);
    expect(wrk.exists('clean.csv')).toBe(false);
  });

  it("stops a scrub when the expiry dates of an internal list's chunk changed", async () => {
    wrk.write('optout.txt', numbers(500).replace(/\n/g, ';2030-01-01\n'));
    wrk.write('list.txt', numbers(10, 5000));
    await ok(['registry', 'import', 'list.txt', '--list', 'bloctel']);
    await ok(['registry', 'import', 'optout.txt', '--list', 'optout', '--kind', 'internal']);
    flipByte('snapshot', 'until', 1, 'optout');
    wrk.write('prospects.csv', prospects);
    const scrub = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv']);
    expect(scrub.code).toBe(1);
    expect(scrub.stderr).toContain("list 'optout' version 1 is damaged");
  });

  it('refuses a damaged chunk in registry check, and damaged history when a version is rebuilt', async () => {
    wrk.write('v1.txt', numbers(1000));
    wrk.write('v2.txt', numbers(1000, 100));
    await ok(['registry', 'import', 'v1.txt', '--list', 'bloctel', '--as-of', daysAgo(2)]);
    await ok(['registry', 'import', 'v2.txt', '--list', 'bloctel', '--as-of', daysAgo(1)]);
    flipByte('added', 'numbers', 2);
    const registry = Registry.open(wrk.path('callscrub.db'), { readonly: true });
    try {
      const list = registry.list('bloctel')!;
      expect(registry.latestSet(list)?.set.numbers.length).toBe(1000);
      expect(() => registry.setAt(list, 1)).toThrow(DamagedVersion);
      expect(() => registry.setAt(list, 1)).toThrow(CallscrubError);
    } finally {
      registry.close();
    }
    flipByte('snapshot');
    const check = await wrk.run(['registry', 'check', '0610000700']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("list 'bloctel' version 2 is damaged");
  });

  it('stops a scrub when the stored other readings of ambiguous 08/09 numbers changed', async () => {
    wrk.write('list.txt', numbers(100) + '0801234567\n0976012345\n');
    await ok(['registry', 'import', 'list.txt', '--list', 'bloctel']);
    const db = new Database(wrk.path('callscrub.db'));
    const row = db.prepare('SELECT rowid, numbers FROM readings').get() as { rowid: number; numbers: Buffer };
    const blob = Buffer.from(row.numbers);
    blob[1] = (blob[1] as number) ^ 0x01;
    db.prepare('UPDATE readings SET numbers = ? WHERE rowid = ?').run(blob, row.rowid);
    db.close();
    wrk.write('prospects.csv', prospects);
    const scrub = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv']);
    expect(scrub.code).toBe(1);
    expect(scrub.stderr).toContain("list 'bloctel' version 1 is damaged in the registry (a stored chunk of the other readings");
  });

  it('checks a schema-1 registry, whose chunks have no checksum, through the logical digest', async () => {
    wrk.write('list.txt', numbers(1000));
    await ok(['registry', 'import', 'list.txt', '--list', 'bloctel']);
    const db = new Database(wrk.path('callscrub.db'));
    db.exec('ALTER TABLE chunks DROP COLUMN checksum; DROP TABLE readings; ALTER TABLE versions DROP COLUMN readings_total');
    db.pragma('user_version = 1');
    db.close();
    wrk.write('prospects.csv', prospects);
    expect((await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv'])).code).toBe(0);
    flipByte('snapshot');
    const scrub = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean2.csv']);
    expect(scrub.code).toBe(1);
    expect(scrub.stderr).toContain("list 'bloctel' version 1 is damaged in the registry (its numbers do not match its logical digest)");
    expect(wrk.exists('clean2.csv')).toBe(false);
    const check = await wrk.run(['registry', 'check', '0610000700']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("list 'bloctel' version 1 is damaged in the registry (its numbers do not match its logical digest)");
  });

  it('is repaired by a full import of the list, which sets the older history aside', async () => {
    wrk.write('v1.txt', numbers(1000));
    wrk.write('v2.txt', numbers(1000, 10));
    await ok(['registry', 'import', 'v1.txt', '--list', 'bloctel', '--as-of', daysAgo(3)]);
    await ok(['registry', 'import', 'v2.txt', '--list', 'bloctel', '--as-of', daysAgo(2)]);
    flipByte('snapshot');
    const add = await wrk.run(['registry', 'import', 'v2.txt', '--list', 'bloctel', '--mode', 'add', '--as-of', daysAgo(1)]);
    expect(add.code).toBe(1);
    expect(add.stderr).toContain("list 'bloctel' version 2 is damaged");
    const repaired = await wrk.run(['registry', 'import', 'v2.txt', '--list', 'bloctel', '--as-of', daysAgo(1), '--json']);
    expect(repaired.code).toBe(0);
    expect(repaired.stderr).toContain("warning: version 2 of 'bloctel' was damaged: this import replaces it");
    expect(JSON.parse(repaired.stdout)).toMatchObject({ version: 3, numbersTotal: 1000, replacedDamagedVersion: 2 });
    const versions = JSON.parse((await wrk.run(['registry', 'versions', '--json'])).stdout);
    expect(versions.map((v: { replayable: boolean }) => v.replayable)).toEqual([false, false, true]);
    wrk.write('prospects.csv', prospects);
    expect((await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv'])).code).toBe(0);
  });
});

describe('a damaged chunk met while an import streams the newest version', () => {
  // An import reads the newest version a chunk at a time, merging as it goes (issue 12): a damaged chunk after the
  // first ones stops it all the same, before anything is written.
  it('stops an add import with exit 1 and leaves the registry as it was; a full import replaces the version', async () => {
    wrk.write('v1.txt', numbers(100_000));
    wrk.write('more.txt', numbers(10, 200_000));
    await ok(['registry', 'import', 'v1.txt', '--list', 'bloctel', '--as-of', daysAgo(2)]);
    flipByte('snapshot', 'numbers', undefined, 'bloctel', 'last');
    const add = await wrk.run(['registry', 'import', 'more.txt', '--list', 'bloctel', '--mode', 'add', '--as-of', daysAgo(1)]);
    expect(add.code).toBe(1);
    expect(add.stderr).toContain("list 'bloctel' version 1 is damaged in the registry (a stored chunk of its numbers does not match its checksum)");
    expect(JSON.parse((await wrk.run(['registry', 'versions', '--json'])).stdout)).toHaveLength(1);
    const repaired = await wrk.run(['registry', 'import', 'v1.txt', '--list', 'bloctel', '--as-of', daysAgo(1), '--json']);
    expect(repaired.code).toBe(0);
    expect(JSON.parse(repaired.stdout)).toMatchObject({ version: 2, numbersTotal: 100_000, numbersAdded: 100_000, numbersRemoved: 0, replacedDamagedVersion: 1 });
  });

  it('compares a full import with a version of several chunks: what changed, counted once', async () => {
    wrk.write('v1.txt', numbers(150_000));
    wrk.write('v2.txt', numbers(150_000, 5));
    await ok(['registry', 'import', 'v1.txt', '--list', 'bloctel', '--as-of', daysAgo(2)]);
    const second = await wrk.run(['registry', 'import', 'v2.txt', '--list', 'bloctel', '--as-of', daysAgo(1), '--json', '--quiet']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ version: 2, numbersTotal: 150_000, numbersAdded: 5, numbersRemoved: 5 });
  });
});

describe('a damaged version record', () => {
  it('ends in one line, not an internal error, when its coverage is not JSON', async () => {
    wrk.write('list.txt', numbers(10));
    await ok(['registry', 'import', 'list.txt', '--list', 'bloctel']);
    const db = new Database(wrk.path('callscrub.db'));
    db.prepare("UPDATE versions SET covers = '[\"33\"' WHERE version = 1").run();
    db.close();
    const status = await wrk.run(['registry', 'status']);
    expect(status.code).toBe(1);
    expect(status.stderr).toBe("callscrub: the registry's record of version 1 of list 'bloctel' is damaged (its coverage) (restore the registry from a backup)\n");
  });
});
