// Interrupted runs (SIGINT from Ctrl-C, SIGTERM from a service manager): the built binary removes the temporary
// files it was writing, publishes nothing, and exits 128 + the signal's number (130, 143).

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binary, daysAgo, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

const temporaries = (): string[] => fs.readdirSync(wrk.dir).filter((name) => name.endsWith('.tmp'));

function start(argv: string[]): { child: ChildProcess; exit: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  const child = spawn(process.execPath, [binary, ...argv], { cwd: wrk.dir, env: { ...process.env, NO_COLOR: '1' } });
  const err: Buffer[] = [];
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  child.stdout?.resume();
  const exit = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr: Buffer.concat(err).toString('utf8') })),
  );
  return { child, exit };
}

async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A prospect file of `rows` rows, one in ten listed. */
function largeInput(rows: number): void {
  const lines = ['nom;tel'];
  for (let i = 0; i < rows; i++) lines.push(`n${i};06${String((i * 7919) % 100_000_000).padStart(8, '0')}`);
  wrk.write('prospects.csv', `${lines.join('\n')}\n`);
  const listed: string[] = [];
  for (let i = 0; i < rows; i += 10) listed.push(`06${String((i * 7919) % 100_000_000).padStart(8, '0')}`);
  wrk.write('bloctel.txt', `${listed.join('\n')}\n`);
}

describe('a scrub interrupted while it writes its outputs', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`removes its temporary files, publishes nothing and exits ${code} on ${signal}`, async () => {
      largeInput(300_000);
      expect((await wrk.run(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(1), '--quiet'])).code).toBe(0);
      wrk.write('clean.csv', 'an older clean file\n');
      const { child, exit } = start(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--report', 'report.json', '--unsigned', '--quiet']);
      await until(() => temporaries().length > 0);
      child.kill(signal);
      const outcome = await exit;
      expect(outcome.stderr).toBe('');
      expect(outcome.code).toBe(code);
      expect(temporaries()).toEqual([]);
      expect(wrk.exists('excluded.csv') || wrk.exists('invalid.csv') || wrk.exists('report.json')).toBe(false);
      expect(wrk.read('clean.csv')).toBe('an older clean file\n');
    });
  }
});

describe('an import interrupted at any moment', () => {
  // An import reads its file (asynchronously: a signal stops it there), then writes the rejects file and commits in
  // one synchronous step, which a signal cannot cut: it ends whole, with exit 0. Before callscrub's handlers are in
  // place (node's start-up), the signal's default action ends the process: nothing was written yet.
  it('exits 130 with the registry at its previous version, or 0 with the new version whole; no temporary left', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 400_000; i++) lines.push(`06${String((i * 104_729) % 100_000_000).padStart(8, '0')}`);
    wrk.write('big.txt', `${lines.join('\n')}\nnot a number\n`);
    // One number of the big list: the big import adds to it rather than looking like a truncated file.
    wrk.write('small.txt', `${lines[1]}\n`);
    const reset = async (): Promise<void> => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(wrk.path(`callscrub.db${suffix}`), { force: true });
      fs.rmSync(wrk.path('rejects.txt'), { force: true });
      expect((await wrk.run(['registry', 'import', 'small.txt', '--list', 'bloctel', '--as-of', daysAgo(3), '--quiet'])).code).toBe(0);
    };
    const outcomes: Array<number | string | null> = [];
    for (const delay of [150, 250, 350, 500, 800]) {
      await reset();
      const { child, exit } = start(['registry', 'import', 'big.txt', '--list', 'bloctel', '--as-of', daysAgo(2), '--rejects', 'rejects.txt', '--quiet']);
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGINT');
      const outcome = await exit;
      outcomes.push(outcome.code ?? outcome.signal);
      expect(outcome.stderr, `after ${delay} ms`).toBe('');
      expect(temporaries(), `after ${delay} ms`).toEqual([]);
      const list = JSON.parse((await wrk.run(['registry', 'status', '--json'])).stdout).lists[0];
      if (outcome.code === 0) {
        expect(list.version).toBe(2);
        expect(list.numbers).toBe(400_000);
        expect(wrk.exists('rejects.txt')).toBe(true);
      } else {
        expect(outcome.code === 130 || outcome.signal === 'SIGINT', `after ${delay} ms: ${outcome.code} ${outcome.signal}`).toBe(true);
        expect(list.version).toBe(1);
        expect(list.numbers).toBe(1);
        expect(wrk.exists('rejects.txt')).toBe(false);
      }
    }
    // Some run was stopped by callscrub's own handler while it read the file.
    expect(outcomes).toContain(130);
  }, 60_000);
});
