// A read-only registry (an auditor's archived copy: file mode 0444 in a 0555 folder, or a read-only mount) serves
// status, versions, check and verify --replay, and nothing is created or changed beside it. Tests run as root,
// which may write anyway: what is checked is that no -wal, -shm or journal file appears and that the file's bytes
// and modification time stay the same.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => {
  fs.chmodSync(wrk.path('archive'), 0o755);
  wrk.remove();
});

const fingerprint = (file: string) => ({
  sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
  mtimeMs: fs.statSync(file).mtimeMs,
});

describe('a read-only registry', () => {
  it('serves registry status, versions, check and verify --replay without creating or changing a file', async () => {
    fs.mkdirSync(wrk.path('archive'));
    let db = wrk.path('callscrub.db');
    wrk.write('list.txt', '0612345678\n0612345679\n0801234567\n');
    wrk.write('prospects.csv', 'nom;telephone\nA;0612345678\nB;0612345670\n');
    const run = async (argv: string[]) => {
      const outcome = await wrk.run([...argv, '--db', db]);
      expect(outcome.stderr.includes('callscrub:') ? outcome.stderr : '').toBe('');
      expect(outcome.code).toBe(0);
      return outcome;
    };
    await run(['registry', 'import', 'list.txt', '--list', 'bloctel', '--quiet']);
    expect((await wrk.run(['keygen', '--out', 'signer'])).code).toBe(0);
    await run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--report', 'report.json', '--key', 'signer.key', '--quiet']);

    // The auditor's archived copy.
    fs.copyFileSync(db, wrk.path('archive/callscrub.db'));
    db = wrk.path('archive/callscrub.db');
    fs.chmodSync(db, 0o444);
    fs.chmodSync(wrk.path('archive'), 0o555);
    const before = fingerprint(db);
    expect(fs.readdirSync(wrk.path('archive'))).toEqual(['callscrub.db']);

    expect((await run(['registry', 'status'])).stdout).toContain('bloctel');
    expect((await run(['registry', 'versions', '--json'])).stdout).toContain('"numbersTotal": 3');
    expect((await run(['registry', 'check', '0612345678', '--json'])).stdout).toContain('"listed": true');
    await run(['verify', 'report.json', '--pubkey', 'signer.pub', '--input', 'prospects.csv', '--replay']);

    expect(fs.readdirSync(wrk.path('archive'))).toEqual(['callscrub.db']);
    expect(fingerprint(db)).toEqual(before);
  });
});
