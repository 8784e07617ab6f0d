// Reliability, shown rather than claimed: imports and scrubs killed at random moments, a full disk, imports racing
// each other, hostile input, and file descriptors over a thousand scrubs. Each case is bounded in time.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvScanner, fieldBytes } from '../src/csv/scanner.js';
import { Registry } from '../src/registry/store.js';
import { binary, daysAgo, projectRoot, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

function listFile(name: string, count: number, offset = 0): void {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`06${String(10_000_000 + ((i * 7919 + offset) % 89_999_999)).padStart(8, '0')}`);
  wrk.write(name, `${lines.join('\n')}\n`);
}

/** Starts the built binary and kills it with SIGKILL after `ms`; resolves with its exit code (null when killed). */
function killAfter(argv: string[], ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binary, ...argv], { cwd: wrk.dir, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function registryState(db: string) {
  const registry = Registry.open(db, { readonly: true });
  try {
    return { integrity: registry.integrityCheck(), versions: registry.versions('l').map((v) => `${v.version}:${v.logicalSha256}`) };
  } finally {
    registry.close();
  }
}

describe('kills', () => {
  it('leaves the registry exactly at its previous version when an import is killed at any moment', async () => {
    listFile('v1.txt', 20_000);
    listFile('v2.txt', 400_000, 3);
    // What a finished import of v2 records, from a registry of its own.
    expect((await wrk.spawn(['registry', 'import', 'v2.txt', '--list', 'l', '--db', 'reference.db'])).code).toBe(0);
    const v2Digest = registryState(wrk.path('reference.db')).versions[0]?.split(':')[1];
    const fresh = async () => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(wrk.path(`callscrub.db${suffix}`), { force: true });
      expect((await wrk.spawn(['registry', 'import', 'v1.txt', '--list', 'l', '--as-of', daysAgo(2)])).code).toBe(0);
    };
    await fresh();
    const before = registryState(wrk.path('callscrub.db'));
    let completed = 0;
    const started = Date.now();
    for (let round = 0; round < 30 && Date.now() - started < 60_000; round++) {
      await killAfter(['registry', 'import', 'v2.txt', '--list', 'l', '--as-of', daysAgo(1), '--allow-shrink'], 50 + ((round * 37) % 700));
      const after = registryState(wrk.path('callscrub.db'));
      expect(after.integrity).toBe('ok');
      if (after.versions.length === before.versions.length) {
        expect(after.versions).toEqual(before.versions); // killed before the commit: exactly as before
        continue;
      }
      // Killed after the commit (or not at all): one whole new version, then start over.
      completed++;
      expect(after.versions).toEqual([...before.versions, `2:${v2Digest}`]);
      await fresh();
    }
    expect(completed).toBeLessThan(30); // most kills landed mid-import
  }, 120_000);

  it('leaves no output under its final name, and an existing one unchanged, when a scrub is killed', async () => {
    listFile('list.txt', 1000);
    await wrk.spawn(['registry', 'import', 'list.txt', '--list', 'l', '--as-of', daysAgo(1)]);
    const rows = ['nom;tel', ...Array.from({ length: 300_000 }, (_, i) => `p${i};06${String(10_000_000 + i * 13).padStart(8, '0')}`)];
    wrk.write('in.csv', `${rows.join('\n')}\n`);
    wrk.write('clean.csv', 'the previous clean file\n');
    const started = Date.now();
    for (let round = 0; round < 30 && Date.now() - started < 60_000; round++) {
      await killAfter(['scrub', 'in.csv', '--out', 'clean.csv', '--excluded', 'ex.csv', '--report', 'r.json', '--unsigned'], 40 + ((round * 53) % 900));
      if (wrk.read('clean.csv') === 'the previous clean file\n') {
        // Killed before the end: nothing under a final name, the old file as it was.
        expect(wrk.exists('ex.csv')).toBe(false);
        expect(wrk.exists('r.json')).toBe(false);
        continue;
      }
      // The scrub got to the end: every file is whole and the report names them (at most the report's rename was cut).
      const clean = wrk.read('clean.csv');
      expect(clean.endsWith('\n')).toBe(true);
      if (wrk.exists('r.json')) {
        const statement = JSON.parse(Buffer.from(JSON.parse(wrk.read('r.json')).payload, 'base64').toString());
        expect(statement.predicate.counts.rowsClean + 1).toBe(clean.split('\n').length - 1);
        fs.rmSync(wrk.path('r.json'));
      }
      wrk.write('clean.csv', 'the previous clean file\n');
      fs.rmSync(wrk.path('ex.csv'), { force: true });
    }
  }, 120_000);
});

describe('full disk and failing writes', () => {
  const mountPoint = () => path.join(wrk.dir, 'tiny');

  /** A 256 KB file system, where root may mount one; undefined elsewhere. */
  function tinyFileSystem(): string | undefined {
    fs.mkdirSync(mountPoint());
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint()]);
    return mounted.status === 0 ? mountPoint() : undefined;
  }
  afterEach(() => {
    spawnSync('umount', [mountPoint()]);
  });

  it('ends a scrub whose outputs fill the disk in one line, exit 1, nothing under a final name, the input untouched', async () => {
    const tiny = tinyFileSystem();
    if (tiny === undefined) return expect(process.getuid?.()).not.toBe(0); // only root can mount; CI runs as root
    listFile('list.txt', 100);
    await wrk.spawn(['registry', 'import', 'list.txt', '--list', 'l', '--as-of', daysAgo(1)]);
    const rows = ['nom;tel', ...Array.from({ length: 40_000 }, (_, i) => `p${i};06${String(20_000_000 + i).padStart(8, '0')}`)];
    wrk.write('in.csv', `${rows.join('\n')}\n`);
    const input = wrk.read('in.csv');
    const outcome = await wrk.spawn(['scrub', 'in.csv', '--out', path.join(tiny, 'clean.csv')]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^callscrub: .*clean\.csv: cannot write the file: no space left on the device \(free some space and run again\)\n$/);
    expect(fs.readdirSync(tiny)).toEqual([]);
    expect(wrk.read('in.csv')).toBe(input);
  });

  it('rolls an import back when the registry cannot grow, leaving it intact', async () => {
    const tiny = tinyFileSystem();
    if (tiny === undefined) return expect(process.getuid?.()).not.toBe(0);
    listFile('small.txt', 100);
    listFile('big.txt', 300_000, 5);
    const db = path.join(tiny, 'registry.db');
    expect((await wrk.spawn(['registry', 'import', 'small.txt', '--list', 'l', '--db', db, '--as-of', daysAgo(2)])).code).toBe(0);
    const before = registryState(db);
    const outcome = await wrk.spawn(['registry', 'import', 'big.txt', '--list', 'l', '--db', db, '--allow-shrink', '--as-of', daysAgo(1)]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.stderr).toMatch(/registry\.db: cannot write the registry/);
    expect(registryState(db)).toEqual(before);
  });

  it('fails cleanly when the output folder cannot be written', async () => {
    listFile('list.txt', 10);
    await wrk.run(['registry', 'import', 'list.txt', '--list', 'l', '--quiet']);
    wrk.write('in.csv', 'nom;tel\na;0612345678\n');
    const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'missing-folder/clean.csv']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('callscrub: missing-folder/clean.csv: cannot create the file: no such file or directory (check the path)\n'.replace('missing-folder/clean.csv', wrk.path('missing-folder/clean.csv')));
  });
});

describe('concurrency', () => {
  it('runs two imports at once one after the other, without corruption', async () => {
    listFile('a.txt', 200_000);
    listFile('b.txt', 200_000, 11);
    const [a, b] = await Promise.all([
      wrk.spawn(['registry', 'import', 'a.txt', '--list', 'l', '--as-of', daysAgo(2)]),
      wrk.spawn(['registry', 'import', 'b.txt', '--list', 'm', '--as-of', daysAgo(2)]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const registry = Registry.open(wrk.path('callscrub.db'), { readonly: true });
    expect(registry.integrityCheck()).toBe('ok');
    expect(registry.versions().map((v) => `${v.list}:${v.version}`)).toEqual(['l:1', 'm:1']);
    registry.close();
  }, 60_000);
});

describe('hostile input', () => {
  const spectrum = path.join(projectRoot, 'node_modules/csv-spectrum');

  it('reads every csv-spectrum case as its JSON says', () => {
    for (const name of fs.readdirSync(path.join(spectrum, 'csvs'))) {
      const bytes = fs.readFileSync(path.join(spectrum, 'csvs', name));
      const parsed = JSON.parse(fs.readFileSync(path.join(spectrum, 'json', name.replace(/\.csv$/, '.json')), 'utf8')) as Record<string, string> | Array<Record<string, string>>;
      const expected = Array.isArray(parsed) ? parsed : [parsed]; // one case holds its only row as an object
      const records: string[][] = [];
      const scanner = new CsvScanner({ delimiter: 44, maxRecordBytes: 1 << 20, fileName: name }, (r) =>
        records.push(Array.from({ length: r.fieldCount }, (_, i) => fieldBytes(r, i).toString('utf8'))),
      );
      scanner.push(bytes);
      scanner.end();
      const [header, ...rows] = records;
      const objects = rows.map((row) => Object.fromEntries((header as string[]).map((h, i) => [h, row[i] ?? ''])));
      // csv-spectrum 2.0.0's location_coordinates.json disagrees with its own CSV on the phone number (1234567890 in
      // the JSON, 2095257564 in the file): that field is the case's mistake, not a reading to match.
      if (name === 'location_coordinates.csv') {
        expect(objects[0]?.['Contact Phone Number']).toBe('2095257564');
        for (const o of [...objects, ...expected]) delete o['Contact Phone Number'];
      }
      expect(objects, name).toEqual(expected);
    }
  });

  const cases: Array<[string, () => string | Buffer, number | 'ok']> = [
    ['quotes inside unquoted fields', () => 'nom;tel\nsay "hi";0612345678\n', 'ok'],
    ['invalid UTF-8 (read as Windows-1252)', () => Buffer.concat([Buffer.from('nom;tel\n'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(';0612345678\n')]), 'ok'],
    ['duplicate and empty headers', () => 'tel;;tel;\n0612345678;x;0612345679;y\n', 'ok'],
    ['a __proto__ header', () => '__proto__;constructor;tel\n1;2;0612345678\n', 'ok'],
    ['mixed line endings and a lone CR', () => 'nom;tel\r\na;0612345678\rb;0612345679\nc;0612345670\r\n', 'ok'],
    ['100,000 columns', () => `${Array.from({ length: 100_000 }, (_, i) => (i === 5 ? 'tel' : `c${i}`)).join(';')}\n${Array.from({ length: 100_000 }, (_, i) => (i === 5 ? '0612345678' : '')).join(';')}\n`, 'ok'],
    ['a 50 MB single field', () => `nom;tel\n"${'x'.repeat(50 * 1024 * 1024)}";0612345678\n`, 1],
    ['unbalanced quotes', () => 'nom;tel\n"a;0612345678\nb;0612345679\n', 1],
    ['/dev/null', () => '/dev/null', 1],
  ];
  it.each(cases)('%s', async (_, make, expected) => {
    listFile('list.txt', 10);
    await wrk.run(['registry', 'import', 'list.txt', '--list', 'l', '--quiet']);
    const made = make();
    const input = made === '/dev/null' ? '/dev/null' : (wrk.write('in.csv', made), 'in.csv');
    const started = Date.now();
    const outcome = await wrk.spawn(['scrub', input, '--out', 'clean.csv', '--excluded', 'ex.csv', '--invalid', 'inv.csv', '--json']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(outcome.stderr).not.toMatch(/\n\s+at /); // no stack trace
    if (expected === 'ok') {
      expect(outcome.code).toBe(0);
      const summary = JSON.parse(outcome.stdout);
      expect(summary.rowsClean + summary.rowsExcluded + summary.rowsInvalid).toBe(summary.rowsIn);
    } else {
      expect(outcome.code).toBe(expected);
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(wrk.exists('clean.csv')).toBe(false);
    }
  }, 60_000);

  it('reads a FIFO', async () => {
    listFile('list.txt', 10);
    await wrk.run(['registry', 'import', 'list.txt', '--list', 'l', '--quiet']);
    expect(spawnSync('mkfifo', [wrk.path('pipe')]).status).toBe(0);
    const scrubbing = wrk.spawn(['scrub', 'pipe', '--out', 'clean.csv', '--json']);
    fs.writeFileSync(wrk.path('pipe'), 'nom;tel\na;0612345678\n');
    const outcome = await scrubbing;
    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toMatchObject({ rowsIn: 1 });
  });
});

describe('resources', () => {
  it('keeps the scrub within its memory bound on a 4,000,000-row file, no more than on 1,000,000 rows', async () => {
    listFile('list.txt', 100_000);
    await wrk.run(['registry', 'import', 'list.txt', '--list', 'l', '--quiet']);
    const write = (name: string, rows: number) => {
      const fd = fs.openSync(wrk.path(name), 'w');
      fs.writeSync(fd, 'nom;tel;ville\n');
      for (let start = 0; start < rows; start += 100_000) {
        let text = '';
        for (let i = start; i < start + 100_000; i++) text += `p${i};06${String(10_000_000 + ((i * 7919) % 89_999_999)).padStart(8, '0')};Lyon\n`;
        fs.writeSync(fd, text);
      }
      fs.closeSync(fd);
    };
    write('one.csv', 1_000_000);
    write('four.csv', 4_000_000);
    const peak = (input: string) => {
      const run = spawnSync(process.execPath, [path.join(projectRoot, 'dist/bench/measure.js'), 'scrub', input, '--out', 'c.csv', '--excluded', 'e.csv', '--invalid', 'i.csv', '--quiet'], {
        cwd: wrk.dir,
        encoding: 'utf8',
      });
      const report = /BENCH (\{.*\})/.exec(run.stderr)?.[1];
      expect(report, run.stderr).toBeDefined();
      return (JSON.parse(report as string) as { maxRssKb: number }).maxRssKb / 1024;
    };
    // The lower of two runs each: a loaded machine (other test files in parallel, a browser among them) delays the
    // collector of a threaded scrub and adds to its peak without the scrub needing more.
    const one = Math.min(peak('one.csv'), peak('one.csv'));
    const four = Math.min(peak('four.csv'), peak('four.csv'));
    expect(four).toBeLessThan(200);
    expect(four).toBeLessThan(one * 1.1 + 10);
  }, 240_000);

  it('leaks no file descriptor or database handle over 1,000 scrubs in one process', async () => {
    listFile('list.txt', 1000);
    await wrk.run(['registry', 'import', 'list.txt', '--list', 'l', '--quiet']);
    wrk.write('in.csv', 'nom;tel\na;0612345678\nb;bad\n');
    const open = () => fs.readdirSync('/proc/self/fd').length;
    await wrk.run(['scrub', 'in.csv', '--out', 'c.csv', '--quiet']); // modules loaded, caches warm
    const before = open();
    for (let i = 0; i < 1000; i++) {
      const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'c.csv', '--excluded', 'e.csv', '--invalid', 'i.csv', '--quiet']);
      if (outcome.code !== 0) throw new Error(outcome.stderr);
    }
    expect(open()).toBeLessThanOrEqual(before);
  }, 120_000);
});
