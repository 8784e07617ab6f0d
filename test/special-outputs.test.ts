// Outputs that are not regular files, after a hostile test pass in which `scrub --out /dev/null` (run as root)
// renamed a file of clean rows over /dev/null, and `--excluded /dev/stderr` replaced the link with a file nobody
// read. A device, a FIFO or a descriptor's name is written in place; a link to a file is followed and kept.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binary, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(async () => {
  wrk = Workdir.create();
  wrk.write('list.txt', '0100000001\n');
  expect((await wrk.run(['registry', 'import', 'list.txt', '--list', 'l', '--quiet'])).code).toBe(0);
  wrk.write('in.csv', 'id;tel\n1;0142685300\n2;0100000001\n');
});
afterEach(() => wrk.remove());

const cleanRows = 'id;tel\n1;0142685300\n';
const excludedRow = /^2;0100000001;listed;/m;

/** The names in the work folder besides the ones the test made: no temporary file left behind. */
function strayFiles(): string[] {
  return fs.readdirSync(wrk.dir).filter((name) => name.endsWith('.tmp'));
}

describe('an output that is not a regular file', () => {
  it('writes into a FIFO in place, for the process reading it, and leaves the FIFO a FIFO', async () => {
    expect(spawnSync('mkfifo', [wrk.path('pipe')]).status).toBe(0);
    const reader = spawn('cat', [wrk.path('pipe')]);
    const read: Buffer[] = [];
    reader.stdout.on('data', (b: Buffer) => read.push(b));
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    const outcome = await wrk.spawn(['scrub', 'in.csv', '--out', 'clean.csv', '--excluded', 'pipe', '--quiet']);
    await readerDone;
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(Buffer.concat(read).toString()).toMatch(excludedRow);
    expect(fs.lstatSync(wrk.path('pipe')).isFIFO()).toBe(true);
    expect(wrk.read('clean.csv')).toBe(cleanRows);
    expect(strayFiles()).toEqual([]);
  });

  it('writes to /dev/null, named by two outputs and the report, and leaves it a character device', async () => {
    const outcome = await wrk.spawn(['scrub', 'in.csv', '--out', '/dev/null', '--excluded', '/dev/null', '--report', '/dev/null', '--unsigned', '--json']);
    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toMatchObject({ rowsClean: 1, rowsExcluded: 1 });
    expect(fs.lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(fs.readFileSync('/dev/null')).toHaveLength(0);
    expect(fs.readdirSync('/dev').filter((name) => name.startsWith('.null.'))).toEqual([]);
  });

  it('writes through a link to standard error (/proc/self/fd/2) and keeps the link', async () => {
    fs.symlinkSync('/proc/self/fd/2', wrk.path('to-stderr'));
    const outcome = await wrk.spawn(['scrub', 'in.csv', '--out', 'clean.csv', '--excluded', 'to-stderr', '--quiet']);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(excludedRow);
    expect(fs.lstatSync(wrk.path('to-stderr')).isSymbolicLink()).toBe(true);
    expect(strayFiles()).toEqual([]);
  });

  it('appends to the file standard output is redirected to (`--out /dev/stdout >> file`), never replacing it', async () => {
    wrk.write('all.csv', 'earlier\n');
    const fd = fs.openSync(wrk.path('all.csv'), 'a');
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [binary, 'scrub', 'in.csv', '--out', '/dev/stdout', '--quiet'], { cwd: wrk.dir, stdio: ['ignore', fd, 'ignore'] });
      child.on('close', resolve);
    });
    fs.closeSync(fd);
    expect(code).toBe(0);
    expect(wrk.read('all.csv')).toBe(`earlier\n${cleanRows}`);
  });
});

describe('a link to a regular file', () => {
  it('replaces the file it leads to and keeps the link', async () => {
    fs.mkdirSync(wrk.path('real'));
    wrk.write('real/clean.csv', 'old\n');
    fs.symlinkSync('real/clean.csv', wrk.path('clean.csv'));
    const outcome = await wrk.spawn(['scrub', 'in.csv', '--out', 'clean.csv', '--quiet']);
    expect(outcome.code).toBe(0);
    expect(fs.lstatSync(wrk.path('clean.csv')).isSymbolicLink()).toBe(true);
    expect(wrk.read('real/clean.csv')).toBe(cleanRows);
    expect(fs.statSync(wrk.path('real/clean.csv')).mode & 0o777).toBe(0o600);
    expect(strayFiles()).toEqual([]);
    expect(fs.readdirSync(wrk.path('real'))).toEqual(['clean.csv']);
  });

  it('creates the file a dangling link leads to', async () => {
    fs.symlinkSync('made.csv', wrk.path('clean.csv'));
    expect((await wrk.spawn(['scrub', 'in.csv', '--out', 'clean.csv', '--quiet'])).code).toBe(0);
    expect(fs.lstatSync(wrk.path('clean.csv')).isSymbolicLink()).toBe(true);
    expect(wrk.read('made.csv')).toBe(cleanRows);
  });
});

describe('outputs that would mix', () => {
  it('refuses /dev/stdout as an output while --json writes there', async () => {
    const outcome = await wrk.spawn(['scrub', 'in.csv', '--out', 'clean.csv', '--excluded', '/dev/stdout', '--json']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/--excluded \/dev\/stdout is standard output/);
    expect(wrk.exists('clean.csv')).toBe(false);
  });

  it('refuses one FIFO named by two outputs, before opening it', async () => {
    expect(spawnSync('mkfifo', [wrk.path('pipe')]).status).toBe(0);
    const outcome = await wrk.spawn(['scrub', 'in.csv', '--out', 'pipe', '--excluded', 'pipe']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/name the same file/);
    expect(fs.lstatSync(wrk.path('pipe')).isFIFO()).toBe(true);
  });
});
