// What the registry commands print and where, and the option values they refuse (issue 8: a future --as-of, the
// tables a command exists to print on standard output).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

const now = new Date('2026-11-22T12:00:00Z');

describe('registry import --as-of', () => {
  it('refuses a future --as-of (a typo: 2027 for 2026) with exit 2 and one line, creating nothing', async () => {
    wrk.write('list.txt', '0612345678\n');
    const outcome = await wrk.run(['registry', 'import', 'list.txt', '--list', 'bloctel', '--as-of', '2027-11-20'], { now });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe('callscrub: --as-of 2027-11-20 is after today (2026-11-22) (give the day the file was published)\n');
    expect(wrk.exists('callscrub.db')).toBe(false);
  });

  it('accepts today, from the clock the command is given', async () => {
    wrk.write('list.txt', '0612345678\n');
    const outcome = await wrk.run(['registry', 'import', 'list.txt', '--list', 'bloctel', '--as-of', '2026-11-22', '--quiet'], { now });
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('the tables of registry status, versions and check', () => {
  it('go to standard output, so that they can be piped to less or grep; messages stay on standard error', async () => {
    wrk.write('list.txt', '0612345678\n0612345679\n');
    const imported = await wrk.run(['registry', 'import', 'list.txt', '--list', 'bloctel'], { now });
    expect(imported.stdout).toBe('');
    expect(imported.stderr).toContain('imported bloctel version 1');

    const status = await wrk.run(['registry', 'status'], { now });
    expect(status).toMatchObject({ code: 0, stderr: '' });
    expect(status.stdout).toMatch(/^registry callscrub\.db, today 2026-11-22\n {2}list +kind +version +numbers/);
    expect(status.stdout).toContain('  bloctel  opposition  v1       2        2026-11-22  0 d  max 30 d  fresh  +33\n');

    const versions = await wrk.run(['registry', 'versions'], { now });
    expect(versions).toMatchObject({ code: 0, stderr: '' });
    expect(versions.stdout).toMatch(/^list +version +mode .*\nbloctel +v1 +full +2026-11-22/);

    const check = await wrk.run(['registry', 'check', '06 12 34 56 78', '06 12 34 56 70'], { now });
    expect(check).toMatchObject({ code: 0, stderr: '' });
    expect(check.stdout).toBe(
      '06 12 34 56 78 = +33612345678\n  bloctel (opposition, v1): LISTED since v1 of 2026-11-22\n' +
        '06 12 34 56 70 = +33612345670\n  bloctel (opposition, v1): not listed\n',
    );
  });

  it('say on standard error that there is no registry yet', async () => {
    const status = await wrk.run(['registry', 'status'], { now });
    expect(status).toMatchObject({ code: 0, stdout: '' });
    expect(status.stderr).toContain('no registry at callscrub.db yet');
  });
});

describe('two imports of one list at once', () => {
  it('plans again under the write lock the one that finds another version committed since it compared', async () => {
    const numbers = (from: number, count: number) => Array.from({ length: count }, (_, i) => `06${String(10_000_000 + from + i).padStart(8, '0')}`).join('\n') + '\n';
    wrk.write('v1.txt', numbers(0, 200_000));
    wrk.write('a.txt', numbers(0, 190_000) + numbers(500_000, 1000));
    wrk.write('b.txt', numbers(700_000, 500));
    expect((await wrk.run(['registry', 'import', 'v1.txt', '--list', 'l', '--quiet'])).code).toBe(0);
    const [a, b] = await Promise.all([
      wrk.run(['registry', 'import', 'a.txt', '--list', 'l', '--json']),
      wrk.run(['registry', 'import', 'b.txt', '--list', 'l', '--mode', 'add', '--json']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const versions = JSON.parse((await wrk.run(['registry', 'versions', '--json'])).stdout) as Array<{ version: number; mode: string; numbersTotal: number; logicalSha256: string }>;
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    // Whichever committed second was applied to the version the first one made (a full import after the addition,
    // or the addition after the full import), and every version still rebuilds to its digest.
    expect([191_000, 191_500]).toContain(versions[2]!.numbersTotal);
    const { Registry } = await import('../src/registry/store.js');
    const { logicalDigest } = await import('../src/numbers/digest.js');
    const registry = Registry.open(wrk.path('callscrub.db'), { readonly: true });
    try {
      const list = registry.list('l')!;
      for (const v of versions) expect(logicalDigest(registry.setAt(list, v.version)!)).toBe(v.logicalSha256);
    } finally {
      registry.close();
    }
  });
});
