// `npm run bench`: the figures the issues set, measured on generated data in one run on this machine.
//   normalizer rate on a messy mix; start-up time of --help and registry status; a 5,000,000-line import against
//   the sqlite3 CLI's .import of the same file; a second import with 1 % changed; peak RSS.
//   With issue 10: a 1,000,000-record consent ledger's import, and the scrub with --require-consent FR against
//   it and the opposition list, against the same scrub without consent screening.
// Options: --quick (500,000 lines, 100,000 rows and consents), --huge (also import 100,000,000 numbers), --keep
// (keep bench-data/), --only CASES (comma-separated: normalizer, import, scrub, consent, startup; the
// opposition registry the others need is then imported untimed).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { messyCells, prospectNumbers, writeChangedListFile, writeConsentLedgerFile, writeListFile, writeProspectsFile } from './generate.js';
import { normalize } from '../src/phone/normalize.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.join(root, 'bench-data');
const bin = path.join(root, 'bin/callscrub.js');
const child = path.join(root, 'dist/bench/measure.js');
const args = new Set(process.argv.slice(2));
const lines = args.has('--quick') ? 500_000 : 5_000_000;
const rows = args.has('--quick') ? 100_000 : 1_000_000;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt < 0 ? undefined : new Set((process.argv[onlyAt + 1] ?? '').split(','));
const cases = ['normalizer', 'import', 'scrub', 'consent', 'startup'];
for (const name of only ?? []) {
  if (!cases.includes(name)) {
    console.error(`--only takes ${cases.join(', ')} (comma-separated), not '${name}'`);
    process.exit(2);
  }
}
const selected = (name: string): boolean => only === undefined || only.has(name);
// An option the bench does not know (--help, a typo) would otherwise start the whole run, minutes of both CPUs.
for (const [i, arg] of process.argv.slice(2).entries()) {
  if (!['--quick', '--huge', '--keep', '--only'].includes(arg) && process.argv[i + 1] !== '--only') {
    console.error(`npm run bench -- [--quick] [--huge] [--keep] [--only ${cases.join(',')}]: '${arg}' is not an option of the bench`);
    process.exit(2);
  }
}

interface Figure {
  name: string;
  value: string;
  target: string;
  ok: boolean | undefined;
}
const figures: Figure[] = [];
function record(name: string, value: string, target: string, ok: boolean | undefined): void {
  figures.push({ name, value, target, ok });
  console.log(`${ok === undefined ? ' ' : ok ? '✓' : '✗'} ${name}: ${value}${target ? `  (target ${target})` : ''}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs the CLI in a child process that reports its wall time and peak RSS. */
function measure(argv: string[]): { ms: number; maxRssMb: number; stdout: string } {
  const result = spawnSync(process.execPath, [child, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const report = /BENCH (\{.*\})/.exec(result.stderr ?? '');
  if (result.status !== 0 || report === null) throw new Error(`callscrub ${argv.join(' ')} failed:\n${result.stderr}`);
  const { ms, maxRssKb } = JSON.parse(report[1] as string) as { ms: number; maxRssKb: number };
  return { ms, maxRssMb: maxRssKb / 1024, stdout: result.stdout };
}

function medianRun<T extends { ms: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)] as T;
}

function time(command: string, argv: string[], input?: string): number {
  const started = performance.now();
  const result = spawnSync(command, argv, { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed: ${result.stderr}`);
  return performance.now() - started;
}

function benchNormalizer(): void {
  const cells = messyCells(1_000_000, 7);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    let valid = 0;
    for (const cell of cells) if (normalize(cell).ok) valid++;
    best = Math.min(best, performance.now() - started);
    if (valid === 0) throw new Error('no valid number in the mix');
  }
  const rate = cells.length / (best / 1000);
  record('normalizer, messy mix', `${Math.round(rate).toLocaleString('en-US')} numbers/s`, '>= 1,000,000/s', rate >= 1_000_000);
}

function benchStartup(db: string): void {
  const baseline = median(Array.from({ length: 11 }, () => time(process.execPath, ['-e', '0'])));
  for (const [name, argv] of [
    ['callscrub --help', ['--help']],
    ['callscrub registry status', ['registry', 'status', '--db', db]],
  ] as const) {
    const runs = Array.from({ length: 21 }, () => time(process.execPath, [bin, ...argv]));
    const ms = median(runs);
    record(
      `start-up, ${name}`,
      `${ms.toFixed(0)} ms (median of 21, fastest ${Math.min(...runs).toFixed(0)} ms; node -e 0 alone: ${baseline.toFixed(0)} ms)`,
      '< 150 ms',
      ms < 150,
    );
  }
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

/** The Bloctel-style list file of `lines` numbers, generated once. */
function listFile(): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `bloctel-${lines}.txt`);
  if (!fs.existsSync(file)) {
    console.log(`  generating ${lines.toLocaleString('en-US')} numbers…`);
    writeListFile(file, lines, 42);
  }
  return file;
}

/** The opposition registry, imported untimed, for the cases that need one when the import case is not run. */
function oppositionDb(): string {
  const db = path.join(dataDir, 'bench.db');
  removeDb(db);
  measure(['registry', 'import', listFile(), '--list', 'bloctel', '--db', db, '--as-of', '2026-11-01', '--quiet']);
  return db;
}

function benchImport(): string {
  const first = listFile();
  const second = path.join(dataDir, `bloctel-${lines}-changed.txt`);
  if (!fs.existsSync(second)) writeChangedListFile(first, second, 0.01, 43);

  // Each command runs five times from the same starting state; the median counts (this machine's timings vary
  // by 20 % from one run to the next).
  const sqliteDb = path.join(dataDir, 'sqlite-import.db');
  let sqliteMs: number | undefined;
  if (spawnSync('sqlite3', ['-version']).status === 0) {
    sqliteMs = median(
      [1, 2, 3, 4, 5].map(() => {
        fs.rmSync(sqliteDb, { force: true });
        return time('sqlite3', [sqliteDb, 'CREATE TABLE t(number TEXT);', `.import ${first} t`]);
      }),
    );
    record('sqlite3 CLI .import into a bare one-column table', `${(sqliteMs / 1000).toFixed(2)} s (median of 5)`, '', undefined);
  } else {
    console.log('  sqlite3 is not installed (apt-get install sqlite3): the import ratio cannot be measured');
  }
  fs.rmSync(sqliteDb, { force: true });

  const db = path.join(dataDir, 'bench.db');
  const afterFirst = path.join(dataDir, 'bench-after-first.db');
  const firstRuns = [1, 2, 3, 4, 5].map(() => {
    removeDb(db);
    return measure(['registry', 'import', first, '--list', 'bloctel', '--db', db, '--as-of', '2026-11-01', '--quiet']);
  });
  removeDb(afterFirst);
  fs.copyFileSync(db, afterFirst);
  const one = medianRun(firstRuns);
  const ratio = sqliteMs === undefined ? undefined : one.ms / sqliteMs;
  record(
    `first full import, ${lines.toLocaleString('en-US')} lines`,
    `${(one.ms / 1000).toFixed(2)} s (median of 5)${ratio === undefined ? '' : `, ${ratio.toFixed(3)} x sqlite3 .import`}`,
    '<= 0.333 x',
    ratio === undefined ? undefined : ratio <= 1 / 3,
  );
  record('peak RSS, first import', `${Math.max(...firstRuns.map((r) => r.maxRssMb)).toFixed(0)} MB`, '<= 400 MB', Math.max(...firstRuns.map((r) => r.maxRssMb)) <= 400);
  const secondRuns = [1, 2, 3, 4, 5].map(() => {
    removeDb(db);
    fs.copyFileSync(afterFirst, db);
    return measure(['registry', 'import', second, '--list', 'bloctel', '--db', db, '--as-of', '2026-11-02', '--quiet']);
  });
  removeDb(afterFirst);
  const two = medianRun(secondRuns);
  record('second full import, 1 % changed', `${(two.ms / 1000).toFixed(2)} s (median of 5), ${(two.ms / one.ms).toFixed(2)} x the first`, '<= 1.2 x', two.ms / one.ms <= 1.2);
  record('peak RSS, second import', `${Math.max(...secondRuns.map((r) => r.maxRssMb)).toFixed(0)} MB`, '<= 400 MB', Math.max(...secondRuns.map((r) => r.maxRssMb)) <= 400);
  record('database size', `${(fs.statSync(db).size / 1e6).toFixed(1)} MB for 2 versions`, '', undefined);
  return db;
}

function benchHuge(): void {
  const count = 100_000_000;
  const file = path.join(dataDir, `bloctel-${count}.txt`);
  if (!fs.existsSync(file)) {
    console.log(`  generating ${count.toLocaleString('en-US')} numbers…`);
    writeListFile(file, count, 99);
  }
  const db = path.join(dataDir, 'huge.db');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
  const run = measure(['registry', 'import', file, '--list', 'huge', '--db', db, '--quiet']);
  record(
    `import of ${count.toLocaleString('en-US')} numbers`,
    `${(run.ms / 1000).toFixed(1)} s, peak RSS ${run.maxRssMb.toFixed(0)} MB, database ${(fs.statSync(db).size / 1e9).toFixed(2)} GB`,
    '',
    undefined,
  );
}

/**
 * Scrub of a 1,000,000-row export against the 5,000,000-number list: against csv-parse's parse of the same file,
 * peak RSS, RSS at 4,000,000 rows, and the same scrub against a 50,000,000-number list.
 */
/** The prospects export of `count` rows, about 10 % of its numbers from the list file, generated once. */
function prospectsFile(count: number, seed: number): string {
  const file = path.join(dataDir, `prospects-${count}.csv`);
  if (!fs.existsSync(file)) {
    const listed = fs.readFileSync(listFile(), 'latin1').slice(0, 11 * 200_000).split('\n').filter((l) => l.length === 10);
    writeProspectsFile(file, count, listed, 0.1, seed);
  }
  return file;
}

async function benchScrub(db: string): Promise<void> {
  const prospects = prospectsFile(rows, 5);
  const big = prospectsFile(rows * 4, 6);

  const { parse } = await import('csv-parse');
  const csvParse = async () => {
    const started = performance.now();
    let records = 0;
    for await (const _ of fs.createReadStream(prospects).pipe(parse({ delimiter: ';' }))) records++;
    if (records !== rows + 1) throw new Error(`csv-parse read ${records} records`);
    return performance.now() - started;
  };
  const parseMs = median([await csvParse(), await csvParse(), await csvParse()]);
  record(`csv-parse alone, ${rows.toLocaleString('en-US')} rows (${(fs.statSync(prospects).size / 1e6).toFixed(0)} MB)`, `${(parseMs / 1000).toFixed(2)} s (median of 3)`, '', undefined);

  const scrubRun = (input: string, registry: string) =>
    measure(['scrub', input, '--db', registry, '--out', path.join(dataDir, 'clean.csv'), '--excluded', path.join(dataDir, 'excluded.csv'), '--invalid', path.join(dataDir, 'invalid.csv'), '--quiet', '--allow-stale']);
  const runs = [1, 2, 3].map(() => scrubRun(prospects, db));
  const one = medianRun(runs);
  record(`scrub, ${rows.toLocaleString('en-US')} rows against ${lines.toLocaleString('en-US')} numbers`, `${(one.ms / 1000).toFixed(2)} s (median of 3), ${(one.ms / parseMs).toFixed(2)} x csv-parse alone`, '<= 1.25 x', one.ms / parseMs <= 1.25);
  const rss = Math.max(...runs.map((r) => r.maxRssMb));
  record('peak RSS, scrub', `${rss.toFixed(0)} MB`, '<= 200 MB', rss <= 200);
  const four = scrubRun(big, db);
  record('peak RSS, scrub of 4 x the rows', `${four.maxRssMb.toFixed(0)} MB (${(((four.maxRssMb - rss) / rss) * 100).toFixed(0)} %)`, 'within 10 %', four.maxRssMb <= rss * 1.1);

  if (args.has('--quick')) return;
  const hugeDb = path.join(dataDir, 'bench-50m.db');
  if (!fs.existsSync(hugeDb)) {
    const file50 = path.join(dataDir, 'bloctel-50000000.txt');
    // The first 5,000,000 lines of both files are the same numbers (same generator and seed), so the listed share stays.
    if (!fs.existsSync(file50)) writeListFile(file50, 50_000_000, 42);
    measure(['registry', 'import', file50, '--list', 'bloctel', '--db', hugeDb, '--as-of', '2026-11-01', '--quiet']);
  }
  const fifty = medianRun([1, 2, 3].map(() => scrubRun(prospects, hugeDb)));
  record('scrub against 50,000,000 numbers', `${(fifty.ms / 1000).toFixed(2)} s, ${(fifty.ms / one.ms).toFixed(2)} x against 5,000,000`, '<= 1.3 x', fifty.ms / one.ms <= 1.3);
}

/**
 * Issue 10. The import of a consent ledger of `rows` records (1,000,000; 100,000 with --quick) into the opposition
 * registry: time and peak RSS. Then the scrub of the `rows`-row prospects file with --require-consent FR against
 * that ledger and the opposition list, against the same scrub of the registry without the ledger and without
 * --require-consent, alternating, five of each: the ratio of the medians. The ledger holds about 40 % of the
 * prospects' numbers, so lookups hit; the same scrub of the registry with the ledger but without
 * --require-consent is measured alongside (what a consent list costs a scrub that does not ask for consent).
 */
function benchConsent(db: string): void {
  const asOf = '2026-11-30';
  const prospects = prospectsFile(rows, 5);
  const ledger = path.join(dataDir, `consents-${rows}.csv`);
  if (!fs.existsSync(ledger)) {
    console.log(`  generating a ${rows.toLocaleString('en-US')}-record consent ledger…`);
    // The numbers the scrub reads as French (0700 and the like are machine-to-machine: unreadable).
    const known = prospectNumbers(prospects).filter((n) => normalize(n).ok);
    const stats = writeConsentLedgerFile(ledger, rows, known, 0.4, asOf, 11);
    console.log(
      `  ${stats.distinct.toLocaleString('en-US')} numbers (${stats.fromKnown.toLocaleString('en-US')}, ${((stats.fromKnown / known.length) * 100).toFixed(0)} %, of the prospects' ${known.length.toLocaleString('en-US')}), ${stats.withdrawn.toLocaleString('en-US')} withdrawn, ${stats.expiring.toLocaleString('en-US')} with an expiry, ${stats.regranted.toLocaleString('en-US')} re-granted`,
    );
  }

  const consentDb = path.join(dataDir, 'bench-consent.db');
  const importRuns = [1, 2, 3].map(() => {
    removeDb(consentDb);
    fs.copyFileSync(db, consentDb);
    return measure(['registry', 'import', ledger, '--list', 'consents', '--kind', 'consent', '--db', consentDb, '--as-of', asOf, '--json', '--quiet']);
  });
  const imported = medianRun(importRuns);
  const importRss = Math.max(...importRuns.map((r) => r.maxRssMb));
  record(
    `consent ledger import, ${rows.toLocaleString('en-US')} records (${(fs.statSync(ledger).size / 1e6).toFixed(0)} MB)`,
    `${(imported.ms / 1000).toFixed(2)} s (median of 3)${rejectedNote(imported.stdout)}`,
    '',
    undefined,
  );
  record('peak RSS, consent import', `${importRss.toFixed(0)} MB`, '<= 400 MB', importRss <= 400);

  const scrubRun = (registry: string, extra: string[]) =>
    measure(['scrub', prospects, '--db', registry, '--out', path.join(dataDir, 'clean.csv'), '--excluded', path.join(dataDir, 'excluded.csv'), '--invalid', path.join(dataDir, 'invalid.csv'), '--quiet', '--allow-stale', '--json', ...extra]);
  const without: ReturnType<typeof measure>[] = [];
  const required: ReturnType<typeof measure>[] = [];
  const present: ReturnType<typeof measure>[] = [];
  for (let round = 0; round < 5; round++) {
    // Alternating, and the order turns each round, so the machine's drift falls on all three alike.
    const order = [
      () => without.push(scrubRun(db, [])),
      () => required.push(scrubRun(consentDb, ['--require-consent', 'FR'])),
      () => present.push(scrubRun(consentDb, [])),
    ];
    for (let i = 0; i < 3; i++) (order[(round + i) % 3] as () => void)();
  }
  const base = medianRun(without);
  const gated = medianRun(required);
  const listedOnly = medianRun(present);
  const ratio = gated.ms / base.ms;
  record(
    `scrub, ${rows.toLocaleString('en-US')} rows, --require-consent FR against ${rows.toLocaleString('en-US')} consents and ${lines.toLocaleString('en-US')} numbers`,
    `${(gated.ms / 1000).toFixed(2)} s against ${(base.ms / 1000).toFixed(2)} s without consent screening (medians of 5, alternating): ${ratio.toFixed(2)} x; ${statusNote(gated.stdout)}`,
    '<= 1.2 x',
    ratio <= 1.2,
  );
  record(
    'the same scrub with the consent list present, without --require-consent',
    `${(listedOnly.ms / 1000).toFixed(2)} s (median of 5): ${(listedOnly.ms / base.ms).toFixed(2)} x`,
    '',
    undefined,
  );
  const gatedRss = Math.max(...required.map((r) => r.maxRssMb));
  const baseRss = Math.max(...without.map((r) => r.maxRssMb));
  record('peak RSS, scrub with --require-consent', `${gatedRss.toFixed(0)} MB (without: ${baseRss.toFixed(0)} MB)`, '', undefined);
  removeDb(consentDb);
}

/** ', N rejected (reason n, ...)' from an import's --json, when any. */
function rejectedNote(stdout: string): string {
  try {
    const rejected = findKey(JSON.parse(stdout), 'rejected');
    if (typeof rejected === 'number') return rejected === 0 ? ', none rejected' : `, ${rejected.toLocaleString('en-US')} rejected`;
    if (rejected !== null && typeof rejected === 'object') {
      const entries = Object.entries(rejected as Record<string, unknown>).filter(([, n]) => typeof n === 'number' && n > 0);
      return entries.length === 0 ? ', none rejected' : `, rejected: ${entries.map(([k, n]) => `${k} ${(n as number).toLocaleString('en-US')}`).join(', ')}`;
    }
  } catch {
    // no JSON: no note
  }
  return '';
}

/** 'numbers: consented n, no-consent n, listed n, ...' from a scrub's --json. */
function statusNote(stdout: string): string {
  try {
    const counts = findKey(JSON.parse(stdout), 'byNumberStatus') as Record<string, number> | undefined;
    if (counts !== undefined && counts !== null) return `numbers: ${Object.entries(counts).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ')}`;
  } catch {
    // no JSON: no note
  }
  return 'no byNumberStatus in --json';
}

function findKey(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  if (key in value) return (value as Record<string, unknown>)[key];
  for (const child of Object.values(value)) {
    const found = findKey(child, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

fs.mkdirSync(dataDir, { recursive: true });
if (selected('normalizer')) benchNormalizer();
const db = selected('import') ? benchImport() : oppositionDb();
if (selected('scrub')) await benchScrub(db);
if (selected('consent')) benchConsent(db);
if (selected('startup')) benchStartup(db);
if (args.has('--huge')) benchHuge();
fs.writeFileSync(path.join(dataDir, 'results.json'), `${JSON.stringify({ at: new Date().toISOString(), figures }, null, 2)}\n`);
if (!args.has('--keep')) {
  for (const name of fs.readdirSync(dataDir)) if (name.endsWith('.db') || name.endsWith('-wal') || name.endsWith('-shm')) fs.rmSync(path.join(dataDir, name));
}
const failed = figures.filter((f) => f.ok === false);
console.log(failed.length === 0 ? '\nall targets met' : `\n${failed.length} target(s) missed`);
process.exitCode = failed.length === 0 ? 0 : 1;
