// Option values the commands cannot use end in one line on stderr and exit 2 (usage), before any work: a region
// code the phone metadata does not know, a number of days out of range, an empty file name or registry path.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixturesDir } from '../src/package.js';
import { Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
  for (const name of fs.readdirSync(fixturesDir())) fs.copyFileSync(path.join(fixturesDir(), name), wrk.path(name));
});
afterEach(() => wrk.remove());

async function expectUsage(argv: string[], message: RegExp): Promise<void> {
  const outcome = await wrk.run(argv);
  expect(outcome.stderr).toMatch(message);
  expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(outcome.stderr).not.toContain('internal error');
  expect(outcome.code).toBe(2);
}

describe('--country', () => {
  const unknownRegion = /^callscrub: --country takes a two-letter region code the phone metadata knows, not '(ZZ|UK|xx|1|)' \(for example FR, US, GB, BE\)\n$/;

  it('refuses ZZ, a code no phone metadata knows, in every command that takes it', async () => {
    await expectUsage(['normalize', '--country', 'ZZ', '0612345678'], unknownRegion);
    await expectUsage(['registry', 'check', '--country', 'ZZ', '0612345678'], unknownRegion);
    await expectUsage(['registry', 'import', 'bloctel-sample.txt', '--list', 'bloctel', '--country', 'ZZ'], unknownRegion);
    await expectUsage(['scrub', 'prospects.csv', '--out', 'clean.csv', '--country', 'ZZ'], unknownRegion);
    expect(wrk.exists('callscrub.db')).toBe(false);
  });

  it('refuses UK (the United Kingdom is GB), an empty code and digits', async () => {
    for (const code of ['UK', 'xx', '1', '']) await expectUsage(['normalize', '--country', code, '0612345678'], unknownRegion);
  });

  it('takes known regions in any case', async () => {
    const outcome = await wrk.run(['normalize', '--country', 'gb', '020 7946 0958']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('+442079460958');
    expect((await wrk.run(['normalize', '--country', 'YT', '0269601234'])).code).toBe(0);
  });
});

describe('numbers of days', () => {
  it('refuses a --max-age beyond a century, which made a list never stale (usable for 1e20 days)', async () => {
    await expectUsage(['registry', 'import', 'bloctel-sample.txt', '--list', 'bloctel', '--max-age', '99999999999999999999'], /^callscrub: --max-age takes a whole number from 1 to 36525, not '99999999999999999999'\n$/);
    expect(wrk.exists('callscrub.db')).toBe(false);
  });

  it('refuses a --keep-days that ended prune in an internal error (Invalid time value)', async () => {
    await expectUsage(['registry', 'prune', '--keep-days', '99999999999999999999'], /^callscrub: --keep-days takes a whole number from 0 to 36525/);
    await expectUsage(['registry', 'prune', '--keep-days', '100000000'], /^callscrub: --keep-days takes a whole number from 0 to 36525/);
  });

  it('refuses negative, fractional and written-out values', async () => {
    for (const value of ['-1', '1.5', 'ten', '1e3', '']) {
      await expectUsage(['registry', 'prune', '--keep-days', value], /^callscrub: --keep-days takes a whole number from 0 to 36525/);
    }
  });
});

describe('empty paths', () => {
  it('refuses --db "" (it named the working directory: a disk I/O error, exit 1)', async () => {
    await expectUsage(['registry', 'status', '--db', ''], /^callscrub: --db takes a path, not an empty string \(name the registry file\)\n$/);
  });

  it('refuses an empty file name for a scrub output', async () => {
    await expectUsage(['scrub', 'prospects.csv', '--out', ''], /^callscrub: a file name is empty/);
  });

  it('refuses an empty report name in verify and report show', async () => {
    await expectUsage(['report', 'show', ''], /^callscrub: a file name is empty/);
    await expectUsage(['verify', '', '--pubkey', 'signer.pub'], /^callscrub: a file name is empty/);
  });
});

describe('dates', () => {
  it('refuses a day that does not exist', async () => {
    await expectUsage(['registry', 'import', 'bloctel-sample.txt', '--list', 'bloctel', '--as-of', '2026-02-30'], /^callscrub: --as-of takes a date as YYYY-MM-DD, not '2026-02-30'\n$/);
  });
});
