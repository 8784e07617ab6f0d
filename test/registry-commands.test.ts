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
