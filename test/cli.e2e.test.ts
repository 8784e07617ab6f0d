// End to end: the built binary, as a shell or a cron job runs it.

import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binary, daysAgo, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

describe('callscrub (built binary)', () => {
  it('shows help and version on stdout, exit 0', async () => {
    const help = await wrk.spawn(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: callscrub');
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 failure');
    const version = await wrk.spawn(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('answers a usage error with one line and exit 2', async () => {
    const unknown = await wrk.spawn(['scrubb']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("callscrub: unknown command 'scrubb' (Did you mean scrub?) (see 'callscrub --help')\n");
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    const badOption = await wrk.spawn(['normalize', '--frobnicate']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toBe("callscrub: unknown option '--frobnicate' (see 'callscrub --help')\n");
    const group = await wrk.spawn(['registry']);
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('Usage: callscrub registry');
  });

  it('normalizes standard input, one result per line, in order, empty lines included', async () => {
    const outcome = await wrk.spawn(['normalize'], { stdin: '06 12 34 56 78\n\n#N/A\r\n+33 (0)6 12 34 56 79' });
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toBe('06 12 34 56 78\t+33612345678\t\n\tINVALID\tempty\n#N/A\tINVALID\texcel-error\n+33 (0)6 12 34 56 79\t+33612345679\ttrunk-zero\n');
    const json = await wrk.spawn(['normalize', '--json', '0692123456', 'x']);
    expect(JSON.parse(json.stdout)).toEqual([
      { input: '0692123456', ok: true, e164: '+262692123456', country: 'RE', type: 'mobile', flags: [] },
      { input: 'x', ok: false, reason: 'letters' },
    ]);
  });

  it('imports, reports status and checks through CALLSCRUB_DB', async () => {
    wrk.write('list.txt', 'Telephone;Identifiant\n0612345678;1\n');
    const env = { CALLSCRUB_DB: wrk.path('registry.db') };
    const imported = await wrk.spawn(['registry', 'import', 'list.txt', '--list', 'bloctel', '--as-of', daysAgo(3)], { env });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe('');
    expect(imported.stderr).toContain('imported bloctel version 1');
    expect(imported.stderr).not.toContain('0612345678');
    const status = await wrk.spawn(['registry', 'status', '--json', '--require-fresh'], { env });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).lists[0]).toMatchObject({ name: 'bloctel', ageDays: 3, fresh: true });
    const check = await wrk.spawn(['registry', 'check', '06 12 34 56 78'], { env });
    expect(check.stdout).toContain('LISTED since v1');
  });

  it('scrubs a prospect file to files, or its clean rows to standard output', async () => {
    const env = { CALLSCRUB_DB: wrk.path('registry.db') };
    wrk.write('list.txt', '0612345601\n');
    await wrk.spawn(['registry', 'import', 'list.txt', '--list', 'bloctel', '--as-of', daysAgo(1)], { env });
    wrk.write('in.csv', 'nom;tel\r\na;06 12 34 56 01\r\nb;06 12 34 56 02\r\n');
    const toFiles = await wrk.spawn(['scrub', 'in.csv', '--out', 'clean.csv', '--excluded', 'ex.csv', '--json'], { env });
    expect(toFiles.code).toBe(0);
    expect(JSON.parse(toFiles.stdout)).toMatchObject({ rowsIn: 2, rowsClean: 1, rowsExcluded: 1 });
    expect(wrk.read('clean.csv')).toBe('nom;tel\r\nb;06 12 34 56 02\r\n');
    expect(toFiles.stderr).not.toMatch(/06 12 34 56/);
    const toStdout = await wrk.spawn(['scrub', '-', '--out', '-', '--quiet'], { env, stdin: 'nom;tel\r\na;06 12 34 56 01\r\nb;06 12 34 56 02\r\n' });
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe('nom;tel\r\nb;06 12 34 56 02\r\n');
    expect(toStdout.stderr).toBe('');
  });

  it('fails without a stack trace', async () => {
    const outcome = await wrk.spawn(['registry', 'import', 'missing.txt', '--list', 'l']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('callscrub: missing.txt: cannot read the file: no such file or directory (check the path)\n');
    expect(wrk.exists('callscrub.db')).toBe(false); // nothing is created for an import that cannot start
  });

  it('exits 0 when the reader of stdout goes away', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `06${String(i).padStart(8, '0')}`).join('\n');
    const result = spawnSync('bash', ['-c', `node "${binary}" normalize | head -n 1; echo "status=\${PIPESTATUS[0]}"`], {
      input: lines,
      encoding: 'utf8',
    });
    expect(result.stdout).toContain('0600000000\t+33600000000');
    expect(result.stdout).toContain('status=0');
    expect(result.stderr).toBe('');
  });
});
