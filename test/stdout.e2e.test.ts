// Standard output that fails: the built binary with its stdout on /dev/full (every write: ENOSPC) must exit 1 with
// one line; one whose reader goes away (EPIPE, `| head`) exits 0 without a word.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/cli.js';
import { fixturesDir } from '../src/package.js';
import { binary, daysAgo, Workdir, type Outcome } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

/** Runs the binary with standard output opened on `/dev/full`. */
function spawnIntoFullDisk(argv: string[], stdin = ''): Promise<Outcome> {
  const full = fs.openSync('/dev/full', 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binary, ...argv], { cwd: wrk.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', full, 'pipe'] });
    fs.closeSync(full);
    const err: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

const fullDiskLine = /^callscrub: <stdout>: cannot write: no space left on the device \(free some space and run again\)\n$/;

async function withRegistry(): Promise<void> {
  for (const name of fs.readdirSync(fixturesDir())) fs.copyFileSync(path.join(fixturesDir(), name), wrk.path(name));
  expect((await wrk.run(['registry', 'import', 'bloctel-sample.txt', '--list', 'bloctel', '--as-of', daysAgo(2), '--covers', '33,262', '--quiet'])).code).toBe(0);
  expect((await wrk.run(['registry', 'import', 'optout-internal.csv', '--list', 'optout', '--kind', 'internal', '--quiet'])).code).toBe(0);
}

describe('when standard output is a full disk', () => {
  it('fails normalize of arguments, plain and --json, with one line and exit 1', async () => {
    for (const argv of [['normalize', '0612345678'], ['normalize', '--json', '0612345678']]) {
      const outcome = await spawnIntoFullDisk(argv);
      expect(outcome.stderr).toMatch(fullDiskLine);
      expect(outcome.code).toBe(1);
    }
  });

  it('stops normalize of standard input at the first lost write, with one line and exit 1', async () => {
    const outcome = await spawnIntoFullDisk(['normalize'], '0612345678\n'.repeat(200_000));
    expect(outcome.stderr).toMatch(fullDiskLine);
    expect(outcome.code).toBe(1);
  });

  it('fails registry status --json with one line and exit 1', async () => {
    await withRegistry();
    const outcome = await spawnIntoFullDisk(['registry', 'status', '--json']);
    expect(outcome.stderr).toMatch(fullDiskLine);
    expect(outcome.code).toBe(1);
  });

  it('fails scrub --json with one line and exit 1', async () => {
    await withRegistry();
    const outcome = await spawnIntoFullDisk(['scrub', 'prospects.csv', '--out', 'clean.csv', '--json']);
    expect(outcome.stderr).toMatch(fullDiskLine);
    expect(outcome.code).toBe(1);
  });

  it('fails scrub --out - without a stack trace, publishing no other output and leaving no temporary file', async () => {
    await withRegistry();
    const before = fs.readdirSync(wrk.dir).sort();
    const outcome = await spawnIntoFullDisk(['scrub', 'prospects.csv', '--out', '-', '--excluded', 'excluded.csv', '--report', 'report.json', '--unsigned']);
    expect(outcome.stderr).toMatch(fullDiskLine);
    expect(outcome.code).toBe(1);
    expect(fs.readdirSync(wrk.dir).filter((name) => !name.startsWith('callscrub.db')).sort()).toEqual(before.filter((name) => !name.startsWith('callscrub.db')));
  });

  it('fails --help with one line and exit 1', async () => {
    const outcome = await spawnIntoFullDisk(['--help']);
    expect(outcome.stderr).toMatch(fullDiskLine);
    expect(outcome.code).toBe(1);
  });
});

describe('when the reader of standard output goes away (EPIPE)', () => {
  it('ends normalize of a long standard input with exit 0 and nothing on stderr', async () => {
    const outcome = await new Promise<Outcome>((resolve, reject) => {
      const child = spawn(process.execPath, [binary, 'normalize'], { cwd: wrk.dir, env: { ...process.env, NO_COLOR: '1' } });
      const err: Buffer[] = [];
      child.stderr.on('data', (b: Buffer) => err.push(b));
      // Like `| head -1`: read one chunk, then close the pipe.
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr: Buffer.concat(err).toString('utf8') }));
      child.stdin.on('error', () => undefined);
      child.stdin.end('0612345678\n'.repeat(500_000));
    });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
  });
});

describe('when the reader of a scrub --out - goes away', () => {
  it('ends with exit 0, publishing no other output and leaving no temporary file', async () => {
    await withRegistry();
    const rows = ['nom;tel'];
    for (let i = 0; i < 200_000; i++) rows.push(`n${i};06${String((i * 7919) % 100_000_000).padStart(8, '0')}`);
    wrk.write('big.csv', `${rows.join('\n')}\n`);
    const outcome = await new Promise<Outcome>((resolve, reject) => {
      const child = spawn(process.execPath, [binary, 'scrub', 'big.csv', '--out', '-', '--excluded', 'excluded.csv', '--quiet'], { cwd: wrk.dir, env: { ...process.env, NO_COLOR: '1' } });
      const err: Buffer[] = [];
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr: Buffer.concat(err).toString('utf8') }));
    });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(fs.readdirSync(wrk.dir).filter((name) => name.endsWith('.tmp') || name === 'excluded.csv')).toEqual([]);
  });
});

describe('run(), in process, with a standard output that refuses writes', () => {
  const refusing = (code: string) =>
    new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error(`${code}: refused`), { code }));
      },
    });
  const context = (stdout: Writable) => {
    const err: Buffer[] = [];
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        err.push(chunk);
        callback();
      },
    });
    return {
      err,
      context: { cwd: wrk.dir, stdin: Readable.from([]), stdout, stderr, interactive: false, color: false, now: () => new Date(), defaultDb: undefined },
    };
  };

  it('turns a lost write (EIO) into exit 1 and one line once the command ends', async () => {
    const { err, context: ctx } = context(refusing('EIO'));
    const code = await run(['normalize', '0612345678'], ctx);
    expect(code).toBe(1);
    expect(Buffer.concat(err).toString()).toBe("callscrub: <stdout>: cannot write: EIO: refused (check the path and try again)\n");
  });

  it('ends with exit 0 and no message when the reader went away (EPIPE)', async () => {
    const { err, context: ctx } = context(refusing('EPIPE'));
    const code = await run(['normalize', '0612345678', '0612345679'], ctx);
    expect(code).toBe(0);
    expect(Buffer.concat(err).toString()).toBe('');
  });
});
