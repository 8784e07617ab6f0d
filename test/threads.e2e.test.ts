// Worker threads (--threads N): the built binary scrubs the same files on 1, 2 and 4 threads, with blocks made
// small (CALLSCRUB_BLOCK_BYTES) so that files are cut in hundreds of places, many inside quoted cells that span
// lines. The outputs, the summary and the report's exclusions must be the same bytes whatever the number of
// threads, and a bad file must fail with the same line on each.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, Workdir } from './workdir.js';

const hasPython = spawnSync('python3', ['--version']).error === undefined;
if (!hasPython) console.warn('python3 is not installed: the worker-thread tests are skipped (apt-get install python3)');

let wrk: Workdir;
const env = (extra: Record<string, string> = {}) => ({ CALLSCRUB_DB: wrk.path('registry.db'), CALLSCRUB_BLOCK_BYTES: '2048', ...extra });

/**
 * A prospect file written by Python's csv module: a BOM, `;`, CRLF, names with the delimiter and quotes, comments
 * spanning two or three lines in one quoted cell, phone numbers in many notations (some listed, some on the
 * internal list, some invalid, some two to a cell), blank lines.
 */
const writer = String.raw`
import csv, random, sys
random.seed(int(sys.argv[3]))
listed = [line.strip() for line in open(sys.argv[2])]
enc = sys.argv[4]
with open(sys.argv[1], 'w', newline='', encoding=enc) as f:
    if enc == 'utf-8-sig': pass
    w = csv.writer(f, delimiter=';', lineterminator='\r\n')
    w.writerow(['id', 'nom', 'telephone', 'mobile', 'commentaire'])
    seen = ['0611111111']
    def number():
        r = random.random()
        n = random.choice(listed) if r < 0.2 else random.choice(seen) if r < 0.3 else '06' + ''.join(random.choice('0123456789') for _ in range(8))
        seen.append(n)
        style = random.randrange(7)
        if style == 0: return n
        if style == 1: return ' '.join(n[i:i+2] for i in range(0, 10, 2))
        if style == 2: return '+33 ' + n[1:]
        if style == 3: return n[1:]
        if style == 4: return '0033' + n[1:]
        if style == 5: return n + ' / 07' + n[2:]
        return '6.' + n[2:] + 'E+08' if random.random() < 0.3 else 'n/a'
    for i in range(int(sys.argv[5])):
        name = random.choice(['Dupont', 'Lefèvre; père', 'Martin "le grand"', 'Zoé', 'Ng'])
        comment = random.choice(['', 'rappeler', 'ligne 1\nligne 2', 'a;b\r\n"c"\nd', 'x' * random.randrange(1, 300), 'note\n' + 'y' * random.randrange(0, 500)])
        w.writerow([i, name, number(), number() if random.random() < 0.5 else '', comment])
        if random.random() < 0.01: f.write('\r\n')
`;

function writeProspects(name: string, seed: number, encoding: string, rows: number): string {
  const file = wrk.path(name);
  const outcome = spawnSync('python3', ['-c', writer, file, wrk.path('list.txt'), String(seed), encoding, String(rows)]);
  if (outcome.status !== 0) throw new Error(outcome.stderr.toString());
  return file;
}

async function scrubOn(threads: number, input: string, extra: string[], tag: string) {
  const outs = ['clean', 'excluded', 'invalid'].map((o) => `${tag}-${threads}-${o}.csv`);
  const outcome = await wrk.spawn(['scrub', input, '--out', outs[0] as string, '--excluded', outs[1] as string, '--invalid', outs[2] as string, '--json', '--threads', String(threads), '--report', `${tag}-${threads}.report`, '--unsigned', ...extra], {
    env: env(),
  });
  expect(outcome.code).toBe(0);
  expect(outcome.stderr).not.toMatch(/error|worker/i);
  const summary = JSON.parse(outcome.stdout);
  delete summary.elapsedMs;
  // The instant the rules judge at is the scrub's start: one run's differs from another's by a second or so.
  if (summary.contactRules !== undefined) summary.contactRules = { ...summary.contactRules, at: undefined, since: undefined, history: { ...summary.contactRules.history, sha256: undefined } };
  for (const o of Object.values(summary.outputs) as Array<{ path: string }>) o.path = o.path.replace(`-${threads}-`, '-N-');
  summary.report.path = summary.report.path.replace(`-${threads}.`, '-N.');
  const report = JSON.parse(Buffer.from(JSON.parse(wrk.read(`${tag}-${threads}.report`)).payload, 'base64').toString('utf8'));
  return { summary, warnings: outcome.stderr, exclusions: JSON.stringify(report.predicate.exclusions), files: outs.map((o) => fs.readFileSync(wrk.path(o))) };
}

beforeAll(async () => {
  wrk = Workdir.create();
  if (!hasPython) return;
  const listed = Array.from({ length: 400 }, (_, i) => `06${String(10_000_000 + i * 7919).slice(0, 8)}`);
  wrk.write('list.txt', `${listed.join('\n')}\n`);
  wrk.write('internal.csv', `numero;fin\n${listed.slice(0, 40).map((n) => `${n.replace(/^06/, '07')};`).join('\n')}\n`);
  expect((await wrk.spawn(['registry', 'import', 'list.txt', '--list', 'bloctel', '--as-of', daysAgo(1)], { env: env() })).code).toBe(0);
  expect((await wrk.spawn(['registry', 'import', 'internal.csv', '--list', 'ours', '--kind', 'internal'], { env: env() })).code).toBe(0);
  writeProspects('utf8.csv', 1, 'utf-8-sig', 3000);
  writeProspects('cp1252.csv', 2, 'cp1252', 2000);
  // A call history (a cap reached, refusals) and a consent ledger over the file's numbers, for --rules and --require-consent.
  const numbers = [...new Set(wrk.read('utf8.csv').match(/(?<![0-9])06[0-9]{8}(?![0-9])/g) ?? [])];
  const hour = 3_600_000;
  const calls = numbers.slice(0, 400).flatMap((n, i) => Array.from({ length: i % 5 }, (_, k) => `${n},${new Date(Date.now() - (k + 1) * 26 * hour).toISOString()},${i % 7 === 0 && k === 0 ? 'refus' : 'pas de reponse'}`));
  wrk.write('calls.csv', `telephone,date_appel,resultat\n${calls.join('\n')}\n`);
  wrk.write('consents.csv', `telephone;date_consentement;source;preuve;portee\n${numbers.filter((_, i) => i % 2 === 0).map((n, i) => `${n};${daysAgo(20)};web;P-${i};offres`).join('\n')}\n`);
  expect((await wrk.spawn(['history', 'import', 'calls.csv'], { env: env() })).code).toBe(0);
  expect((await wrk.spawn(['registry', 'import', 'consents.csv', '--list', 'consents', '--kind', 'consent'], { env: env() })).code).toBe(0);
});
afterAll(() => wrk.remove());

describe.skipIf(!hasPython)('--threads', () => {
  it('gives the same outputs, summary and report on 1, 2 and 4 threads, with files cut inside quoted cells', async () => {
    for (const [input, extra] of [
      ['utf8.csv', []],
      ['cp1252.csv', ['--policy', 'number']],
      ['utf8.csv', ['--allow-unscreened', '--country', 'FR']],
      ['utf8.csv', ['--rules', 'fr', '--schedule', '--from', new Date(Date.now() + 86_400_000).toISOString(), '--require-consent', 'FR']],
    ] as const) {
      const one = await scrubOn(1, input, [...extra], 'run');
      expect(one.summary.rowsIn).toBeGreaterThan(1900);
      expect(one.summary.rowsExcluded).toBeGreaterThan(100);
      expect(one.summary.rowsInvalid).toBeGreaterThan(10);
      expect(fs.statSync(wrk.path(input)).size).toBeGreaterThan(50 * 2048);
      for (const threads of [2, 4]) {
        const many = await scrubOn(threads, input, [...extra], 'run');
        expect(many.summary).toEqual(one.summary);
        expect(many.warnings).toBe(one.warnings);
        expect(many.exclusions).toBe(one.exclusions);
        many.files.forEach((bytes, i) => expect(bytes.equals(one.files[i] as Buffer), `${input} ${extra.join(' ')}: output ${i} on ${threads} threads`).toBe(true));
      }
    }
  });

  it('keeps the clean rows as the input bytes, in order', async () => {
    const { files } = await scrubOn(4, 'utf8.csv', [], 'order');
    const input = fs.readFileSync(wrk.path('utf8.csv'), 'latin1');
    const clean = (files[0] as Buffer).toString('latin1');
    // Each clean record appears in the input, and in the same order.
    let from = 0;
    for (const record of clean.split(/\r\n(?=\d+;)/).slice(1, 200)) {
      const at = input.indexOf(record, from);
      expect(at).toBeGreaterThanOrEqual(from);
      from = at + record.length;
    }
  });

  it('stops on a bad record with the same message and line on every number of threads', async () => {
    const good = fs.readFileSync(wrk.path('utf8.csv'));
    const cut = good.indexOf('\r\n', Math.floor(good.length * 0.7)) + 2;
    const lineOf = good.subarray(0, cut).toString('latin1').split(/\r\n|\n|\r/).length;
    const lineIn = (stderr: string) => Number(/^callscrub: [\w-]+\.csv:(\d+): /.exec(stderr)?.[1]);
    wrk.write('open-quote.csv', Buffer.concat([good.subarray(0, cut), Buffer.from('9999;x;"0612345678;;never closed\r\n'), good.subarray(cut, cut + 300)]));
    wrk.write('bad-utf8.csv', Buffer.concat([good.subarray(0, cut), Buffer.from([0x39, 0x3b, 0xff, 0x3b, 0x0d, 0x0a]), good.subarray(cut)]));
    for (const [file, extra] of [['open-quote.csv', []], ['bad-utf8.csv', ['--encoding', 'utf-8']]] as const) {
      const errors = new Set<string>();
      for (const threads of [1, 2, 4]) {
        const outcome = await wrk.spawn(['scrub', file, '--out', 'x.csv', '--threads', String(threads), ...extra], { env: env() });
        expect(outcome.code).toBe(1);
        const failures = outcome.stderr.split('\n').filter((line) => line.startsWith('callscrub:'));
        expect(failures).toHaveLength(1);
        errors.add(failures[0] as string);
        expect(wrk.exists('x.csv')).toBe(false);
      }
      expect([...errors]).toHaveLength(1);
      // Bad bytes are told at their line; a quote left open where the scanner meets what follows its end.
      if (file === 'bad-utf8.csv') expect(lineIn([...errors][0] as string)).toBe(lineOf);
      else expect(lineIn([...errors][0] as string)).toBeGreaterThanOrEqual(lineOf);
    }
  });

  it('scrubs a header after blocks of blank lines as the header, on any number of threads', async () => {
    const rows = (wrk.read('utf8.csv').split('\r\n').slice(1, 400) as string[]).join('\r\n');
    wrk.write('blank-head.csv', `${'\r\n'.repeat(20_000)}${'\n'.repeat(5_000)}id;nom;telephone;mobile;commentaire\r\n${rows}\r\n`);
    const runs = await Promise.all([1, 2, 4].map((threads) => scrubOn(threads, 'blank-head.csv', [], 'blank')));
    expect(runs[0]?.summary.input.blankLines).toBeGreaterThanOrEqual(25_000);
    for (const run of runs) expect((run.files[2] as Buffer).toString('utf8')).not.toContain('commentaire;no-number');
    for (const run of runs.slice(1)) {
      expect(run.summary).toEqual(runs[0]?.summary);
      run.files.forEach((bytes, i) => expect(bytes.equals(runs[0]?.files[i] as Buffer)).toBe(true));
    }
  });

  it('tells the first problem of the file, at its line, whatever the threads and blocks: a bad quote before a NUL, a bad byte after a U+FFFD, a cut sequence at the end', async () => {
    const good = fs.readFileSync(wrk.path('utf8.csv'));
    const at = (share: number) => good.indexOf('\r\n', Math.floor(good.length * share)) + 2;
    const lineAt = (bytes: Buffer, offset: number) => bytes.subarray(0, offset).toString('latin1').split(/\r\n|\n|\r/).length;
    const a = at(0.3);
    const b = at(0.8);
    const quoteThenNul = Buffer.concat([good.subarray(0, a), Buffer.from('1;"ab"c;0612345678;;\r\n'), good.subarray(a, b), Buffer.from([0x31, 0x3b, 0x00, 0x0d, 0x0a]), good.subarray(b)]);
    wrk.write('quote-nul.csv', quoteThenNul);
    const fffdRow = Buffer.from('1;x\ufffdy;0612345678;;\r\n');
    const fffdThenBad = Buffer.concat([good.subarray(0, a), fffdRow, good.subarray(a, b), Buffer.from([0x31, 0x3b, 0xff, 0x0d, 0x0a]), good.subarray(b)]);
    wrk.write('fffd.csv', fffdThenBad);
    const nulLate = Buffer.concat([good.subarray(0, b), Buffer.from([0x31, 0x3b, 0x00, 0x0d, 0x0a]), good.subarray(b)]);
    wrk.write('nul-late.csv', nulLate);
    wrk.write('cut-end.csv', Buffer.concat([good, Buffer.from([0x31, 0x3b, 0x30, 0xc3])]));
    const cases = [
      ['quote-nul.csv', [], lineAt(quoteThenNul, a), 'a character follows the closing quote'],
      ['fffd.csv', ['--encoding', 'utf-8'], lineAt(fffdThenBad, b + fffdRow.length), 'not UTF-8'],
      ['nul-late.csv', [], lineAt(nulLate, b), 'NUL bytes'],
      ['cut-end.csv', ['--encoding', 'utf-8'], lineAt(good, good.length), 'not UTF-8'],
    ] as const;
    for (const [file, extra, line, what] of cases) {
      for (const threads of [1, 2, 4]) {
        for (const blocks of ['2048', '1048576']) {
          const outcome = await wrk.spawn(['scrub', file, '--out', 'x.csv', '--threads', String(threads), ...extra], { env: env({ CALLSCRUB_BLOCK_BYTES: blocks }) });
          const failure = outcome.stderr.split('\n').find((l) => l.startsWith('callscrub:')) ?? '';
          expect(failure, `${file} on ${threads} threads, blocks of ${blocks}`).toContain(`${file}:${line}: `);
          expect(failure).toContain(what);
          expect(outcome.code).toBe(1);
        }
      }
    }
  });

  it('rejects a number of threads out of range, and scrubs standard input and --dedupe on one', async () => {
    const bad = await wrk.spawn(['scrub', 'utf8.csv', '--out', 'x.csv', '--threads', '0'], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--threads takes a whole number from 1 to 64');
    const piped = await wrk.spawn(['scrub', '-', '--out', '-', '--quiet', '--threads', '4'], { env: env(), stdin: fs.readFileSync(wrk.path('utf8.csv')) });
    const one = await scrubOn(1, 'utf8.csv', [], 'pipe');
    expect(Buffer.from(piped.stdout, 'utf8').equals(one.files[0] as Buffer)).toBe(true);
    const dedupe1 = await scrubOn(1, 'utf8.csv', ['--dedupe'], 'dedupe');
    const dedupe4 = await scrubOn(4, 'utf8.csv', ['--dedupe'], 'dedupe');
    expect(dedupe4.summary).toEqual(dedupe1.summary);
    expect(dedupe1.summary.byReason.duplicate).toBeGreaterThan(0);
  });
});
