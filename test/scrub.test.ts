import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalize } from '../src/phone/normalize.js';
import { fixturesDir } from '../src/package.js';
import { CsvScanner, fieldBytes } from '../src/csv/scanner.js';
import { run } from '../src/cli.js';
import { daysAgo, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

/** A registry: an opposition list (as of `asOf`), an internal list and an exempt list. */
async function registry(opposition: string[], options: { asOf?: string; internal?: string[]; exempt?: string[]; covers?: string } = {}) {
  wrk.write('opposition.txt', `${opposition.join('\n')}\n`);
  const imported = await wrk.run(['registry', 'import', 'opposition.txt', '--list', 'bloctel', '--as-of', options.asOf ?? daysAgo(2), '--covers', options.covers ?? '33,262,590,594,596,508', '--quiet']);
  expect(imported.stderr).toBe('');
  if (options.internal !== undefined) {
    wrk.write('internal.txt', `${options.internal.join('\n')}\n`);
    expect((await wrk.run(['registry', 'import', 'internal.txt', '--list', 'optout', '--kind', 'internal', '--quiet'])).code).toBe(0);
  }
  if (options.exempt !== undefined) {
    wrk.write('exempt.txt', `${options.exempt.join('\n')}\n`);
    expect((await wrk.run(['registry', 'import', 'exempt.txt', '--list', 'contracts', '--kind', 'exempt', '--quiet'])).code).toBe(0);
  }
}

async function scrubJson(argv: string[], stdin?: string) {
  const outcome = await wrk.run(['scrub', ...argv, '--json'], stdin === undefined ? {} : { stdin });
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  return JSON.parse(outcome.stdout);
}

const rowsOf = (text: string) => text.split(/\r?\n/).filter((l) => l.length > 0);

describe('scrub', () => {
  it('puts every row in exactly one output, and no listed number in the clean one, whatever its notation', async () => {
    await registry(['0612345601', '0612345602', '+33612345603', '0692123456']);
    const input = [
      'nom;telephone;ville',
      'a;06 12 34 56 01;Paris', // listed
      'b;+33 6 12 34 56 02;Lyon', // listed, other notation
      'c;612345603;Lille', // listed, leading zero lost
      'd;0033 692 12 34 56;Nice', // listed overseas number written with +33 (corrected)
      'e;06 12 34 56 99;Brest', // clean
      'f;;Dijon', // no number
      'g;123;Metz', // invalid
      'h;+33 (0)6 12 34 56 98;Pau', // clean
    ];
    wrk.write('in.csv', `${input.join('\r\n')}\r\n`);
    const summary = await scrubJson(['in.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv']);
    expect(summary).toMatchObject({ rowsIn: 8, rowsClean: 2, rowsExcluded: 4, rowsInvalid: 2, byReason: { listed: 4, 'no-number': 1, 'invalid-number': 1 } });
    const clean = rowsOf(wrk.read('clean.csv'));
    const excluded = rowsOf(wrk.read('excluded.csv'));
    const invalid = rowsOf(wrk.read('invalid.csv'));
    expect(clean.slice(1)).toEqual(['e;06 12 34 56 99;Brest', 'h;+33 (0)6 12 34 56 98;Pau']);
    expect(excluded.slice(1).map((r) => r.split(';')[0])).toEqual(['a', 'b', 'c', 'd']);
    expect(invalid.slice(1).map((r) => r.split(';')[0])).toEqual(['f', 'g']);
    expect(excluded[0]).toBe('nom;telephone;ville;callscrub_reason;callscrub_detail');
    expect(excluded[1]).toBe('a;06 12 34 56 01;Paris;listed;telephone: listed (bloctel v1)');
    for (const name of ['clean.csv', 'excluded.csv', 'invalid.csv']) expect(fs.statSync(wrk.path(name)).mode & 0o777).toBe(0o600);
  });

  it('copies kept rows byte for byte: Windows-1252 with ";" and CRLF, UTF-8 with BOM and ",", tabs and LF', async () => {
    await registry(['0612345601']);
    const cases: Array<[string, Buffer]> = [
      ['cp1252', iconv.encode('Nom;Téléphone;Note\r\nCafé;06 12 34 56 77;"prix: 5 €; ""promo"""\r\nÉlise;0612345601;x\r\nZoë;0612345678;\r\n', 'win1252')],
      ['utf8-bom', Buffer.from('\ufeffname,phone,note\n"Dupont, Jean",+33612345677,"multi\nline"\nX,0612345601,y\nY,0612345678,z', 'utf8')],
      ['tab', Buffer.from('name\tmobile\nA\t0612345677\nB\t0612345601\n', 'utf8')],
    ];
    for (const [name, bytes] of cases) {
      wrk.write(`${name}.csv`, bytes);
      const summary = await scrubJson([`${name}.csv`, '--out', `${name}-clean.csv`]);
      expect(summary.rowsExcluded, name).toBe(1);
      const kept = fs.readFileSync(wrk.path(`${name}-clean.csv`));
      const expected = removeLine(bytes, 3); // the listed row is the second record of each
      expect(kept.equals(expected), `${name}: ${kept.toString('latin1')}`).toBe(true);
    }
  });

  it('reads several numbers in one cell, but 06/12/34/56/78 as one', async () => {
    await registry(['0781234567']);
    wrk.write('in.csv', 'n;tel\na;06 12 34 56 78 / 07 81 23 45 67\nb;06/12/34/56/78\nc;0612345678 et 0612345679\n');
    const summary = await scrubJson(['in.csv', '--out', 'clean.csv', '--excluded', 'ex.csv']);
    expect(summary).toMatchObject({ rowsClean: 2, rowsExcluded: 1, numbersChecked: 5 });
    expect(rowsOf(wrk.read('ex.csv'))[1]).toContain('tel: listed (bloctel v1)');
  });

  it('lets a contract in force exempt a listed number, never an internal one; expired entries no longer count', async () => {
    const past = daysAgo(10);
    const future = daysAgo(-100);
    await registry(['0612345601', '0612345602', '0612345603'], {
      internal: ['0612345602', `0612345604;${past}`],
      exempt: [`0612345601;${future}`, `0612345602;${future}`, `0612345603;${past}`],
    });
    wrk.write('in.csv', 'n;tel\nexempt;0612345601\ninternal;0612345602\nexpired-exemption;0612345603\nexpired-internal;0612345604\n');
    const summary = await scrubJson(['in.csv', '--out', 'clean.csv', '--excluded', 'ex.csv']);
    expect(rowsOf(wrk.read('clean.csv')).slice(1).map((r) => r.split(';')[0])).toEqual(['exempt', 'expired-internal']);
    expect(rowsOf(wrk.read('ex.csv')).slice(1).map((r) => r.split(';').slice(0, 3).join(';'))).toEqual([
      'internal;0612345602;internal',
      'expired-exemption;0612345603;listed',
    ]);
    expect(summary.lists.map((l: { name: string; kind: string }) => `${l.name}:${l.kind}`)).toEqual(['bloctel:opposition', 'optout:internal', 'contracts:exempt']);
  });

  it('excludes numbers no list covers unless --allow-unscreened, and neutralizes formula-like cells', async () => {
    await registry(['0612345601'], { covers: '33' });
    wrk.write('in.csv', 'n;tel;note\na;+44 20 7946 0958;=HYPERLINK("x")\nb;0692123456;@SUM(1)\nc;0612345678;-2\n');
    const summary = await scrubJson(['in.csv', '--out', 'clean.csv', '--excluded', 'ex.csv']);
    expect(summary).toMatchObject({ rowsClean: 1, rowsExcluded: 2, byReason: { unscreened: 2 } });
    const excluded = rowsOf(wrk.read('ex.csv'));
    expect(excluded[1]).toBe(`a;'+44 20 7946 0958;"'=HYPERLINK(""x"")";unscreened;tel: unscreened`);
    expect(excluded[2]).toBe(`b;0692123456;'@SUM(1);unscreened;tel: unscreened`);
    // Kept rows stay as they were, formula or not: the dialer gets the user's own bytes.
    expect(rowsOf(wrk.read('clean.csv'))[1]).toBe('c;0612345678;-2');
    const allowed = await wrk.run(['scrub', 'in.csv', '--out', 'clean2.csv', '--allow-unscreened', '--json']);
    expect(allowed.stderr).toBe('warning: 2 unscreened numbers kept because of --allow-unscreened\n');
    expect(JSON.parse(allowed.stdout)).toMatchObject({ rowsClean: 3, settings: { allowUnscreened: true } });
  });

  it('blanks blocked numbers with --policy number and keeps the row when a callable one remains', async () => {
    await registry(['0612345601']);
    wrk.write('in.csv', 'n;fixe;mobile\na;0199001234;0612345601\nb;;0612345601\n');
    const summary = await scrubJson(['in.csv', '--out', 'clean.csv', '--excluded', 'ex.csv', '--policy', 'number']);
    expect(summary).toMatchObject({ rowsClean: 1, rowsExcluded: 1, rowsRewritten: 1 });
    expect(rowsOf(wrk.read('clean.csv'))).toEqual(['n;fixe;mobile', 'a;0199001234;']);
  });

  it('excludes later occurrences of a number with --dedupe', async () => {
    await registry(['0612345601']);
    wrk.write('in.csv', 'n;tel\na;0612345678\nb;+33612345678\nc;0612345679\n');
    const summary = await scrubJson(['in.csv', '--out', 'clean.csv', '--excluded', 'ex.csv', '--dedupe']);
    expect(summary).toMatchObject({ rowsClean: 2, rowsExcluded: 1, byReason: { duplicate: 1 } });
  });

  it('takes columns by number with --no-header, and reads standard input', async () => {
    await registry(['0612345601']);
    const summary = await scrubJson(['-', '--out', 'clean.csv', '--no-header', '--phone-column', '2'], 'a,0612345601\nb,0612345678\n');
    expect(summary).toMatchObject({ rowsIn: 2, rowsClean: 1 });
    expect(wrk.read('clean.csv')).toBe('b,0612345678\n');
  });

  it('refuses a stale opposition list with exit 3, unless --allow-stale, which it records', async () => {
    const asOf = daysAgo(42);
    await registry(['0612345601'], { asOf });
    wrk.write('in.csv', 'n;tel\na;0612345678\n');
    const refused = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe(
      `callscrub: list 'bloctel' is 42 days old (as of ${asOf}), the maximum is 30: import a newer list, or pass --allow-stale (the report will record it)\n`,
    );
    expect(wrk.exists('clean.csv')).toBe(false);
    const allowed = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv', '--allow-stale', '--json']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('used because of --allow-stale');
    expect(JSON.parse(allowed.stdout)).toMatchObject({ staleLists: [{ name: 'bloctel', ageDays: 42, maxAgeDays: 30 }], settings: { allowStale: true } });
  });

  it('refuses to scrub without an opposition or internal list (exit 3)', async () => {
    wrk.write('in.csv', 'n;tel\na;0612345678\n');
    const none = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('no registry: there is no list to scrub against');
    wrk.write('exempt.txt', '0612345678;2030-01-01\n');
    await wrk.run(['registry', 'import', 'exempt.txt', '--list', 'contracts', '--kind', 'exempt', '--quiet']);
    const onlyExempt = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv']);
    expect(onlyExempt.code).toBe(3);
    expect(onlyExempt.stderr).toContain('no opposition or internal list to scrub against');
  });

  it('uses the list versions it started with while an import commits', async () => {
    await registry(['0612345601']);
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let json = '';
    stdout.on('data', (b: Buffer) => (json += b.toString()));
    const scrubbing = run(['scrub', '-', '--out', 'clean.csv', '--excluded', 'ex.csv', '--json'], {
      cwd: wrk.dir,
      stdin,
      stdout,
      stderr: new PassThrough(),
      interactive: false,
      color: false,
      now: () => new Date(),
      defaultDb: undefined,
    });
    stdin.write('n;tel\na;0612345601\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A newer list, committed while the scrub runs, lists b's number.
    wrk.write('newer.txt', '0612345601\n0612345602\n');
    expect((await wrk.run(['registry', 'import', 'newer.txt', '--list', 'bloctel', '--quiet'])).code).toBe(0);
    stdin.end('b;0612345602\n');
    expect(await scrubbing).toBe(0);
    const summary = JSON.parse(json);
    expect(summary.lists[0]).toMatchObject({ name: 'bloctel', version: 1 });
    expect(summary).toMatchObject({ rowsClean: 1, rowsExcluded: 1 });
  });

  it('scrubs the shipped sample prospect file', async () => {
    for (const name of fs.readdirSync(fixturesDir())) fs.copyFileSync(path.join(fixturesDir(), name), wrk.path(name));
    await wrk.run(['registry', 'import', 'bloctel-sample.txt', '--list', 'bloctel', '--as-of', daysAgo(3), '--covers', '33,262', '--quiet']);
    await wrk.run(['registry', 'import', 'optout-internal.csv', '--list', 'optout', '--kind', 'internal', '--quiet']);
    await wrk.run(['registry', 'import', 'contracts-exempt.txt', '--list', 'contracts', '--kind', 'exempt', '--quiet']);
    const summary = await scrubJson(['prospects.csv', '--out', 'clean.csv', '--excluded', 'ex.csv', '--invalid', 'inv.csv']);
    expect(summary.input).toMatchObject({ encoding: 'windows-1252', delimiter: ';', phoneColumns: ['Téléphone', 'Portable'] });
    expect(summary.rowsClean + summary.rowsExcluded + summary.rowsInvalid).toBe(summary.rowsIn);
    // Every number left in the clean file is off the opposition list.
    const registered = new Set(
      fs
        .readFileSync(wrk.path('bloctel-sample.txt'), 'utf8')
        .split(/\r?\n/)
        .map((l) => normalize(l.split(';')[0] ?? ''))
        .flatMap((r) => (r.ok ? [r.e164] : [])),
    );
    const clean = iconv.decode(fs.readFileSync(wrk.path('clean.csv')), 'win1252');
    for (const row of clean.split('\r\n').slice(1).filter(Boolean)) {
      for (const cell of row.split(';').slice(4, 6)) {
        const r = normalize(cell);
        if (r.ok) expect(registered.has(r.e164) && !['+33536491111', '+262639983333'].includes(r.e164), row).toBe(false);
      }
    }
    expect(clean).toContain('€'); // the euro sign read and written back as Windows-1252
  });
});

describe('scrub: bad input ends in one line, no output under its final name', () => {
  beforeEach(async () => {
    await registry(['0612345601']);
    wrk.write('clean.csv', 'my previous clean file\n');
  });

  const cases: Array<[string, () => string, number, RegExp]> = [
    ['an empty file', () => wrk.write('in.csv', ''), 1, /in\.csv: the file is empty/],
    ['a header-only file', () => wrk.write('in.csv', 'n;tel\n'), 1, /in\.csv:2: the file has a header but no rows/],
    ['an unclosed quote', () => wrk.write('in.csv', 'n;tel\na;0612345678\nb;"0612\n345678\n'), 1, /in\.csv:3: a quoted field opened on line 3 is never closed/],
    ['NUL bytes', () => wrk.write('in.csv', Buffer.from('n;tel\na;06\0\n')), 1, /in\.csv:2: binary data \(NUL bytes\)/],
    ['a UTF-16 file', () => wrk.write('in.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('n;tel\r\n', 'utf16le')])), 1, /UTF-16 text/],
    ['a directory', () => (fs.mkdirSync(wrk.path('dir')), 'dir'), 1, /dir: cannot read the file: is a directory/],
    ['no phone column', () => wrk.write('in.csv', 'a;b\n1;2\n'), 2, /no phone column found in the header \(the header has a, b\)/],
    ['no phone column in a header after blank lines (its own line named)', () => wrk.write('in.csv', '\n\na;b\n1;2\n'), 2, /^callscrub: in\.csv:3: no phone column found in the header/],
    ['a record over 1 MB', () => wrk.write('in.csv', `n;tel\na;"${'x'.repeat(1_100_000)}`), 1, /longer than 1048576 bytes/],
  ];
  it.each(cases)('%s', async (_, setup, code, message) => {
    const made = setup();
    const input = made.endsWith('dir') ? 'dir' : 'in.csv';
    const outcome = await wrk.run(['scrub', input, '--out', 'clean.csv', '--excluded', 'ex.csv']);
    expect(outcome.code).toBe(code);
    expect(outcome.stderr).toMatch(message);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrk.read('clean.csv')).toBe('my previous clean file\n');
    expect(wrk.exists('ex.csv')).toBe(false);
    expect(fs.readdirSync(wrk.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves no temporary file when an output cannot be created after others were', async () => {
    wrk.write('in.csv', 'n;tel\na;0612345678\n');
    fs.mkdirSync(wrk.path('folder'));
    for (const [option, name] of [['--excluded', 'nodir/ex.csv'], ['--invalid', 'folder']]) {
      const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv', '--excluded', 'ex.csv', option as string, name as string]);
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toMatch(/cannot create the file/);
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(fs.readdirSync(wrk.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(wrk.read('clean.csv')).toBe('my previous clean file\n');
    }
  });

  it('refuses undecodable bytes under --encoding utf-8, naming the line', async () => {
    wrk.write('in.csv', Buffer.concat([Buffer.from('n;tel\na;0612345678\nb;06123456'), Buffer.from([0xe9]), Buffer.from('9\n')]));
    const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv', '--encoding', 'utf-8']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^callscrub: in\.csv:3: bytes that are not UTF-8/);
  });

  it('refuses an output that is the input', async () => {
    wrk.write('in.csv', 'n;tel\na;0612345678\n');
    const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'in.csv']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe('callscrub: --out in.csv is the input: writing it would destroy it (write the output to another file)\n');
  });
});

describe('scrub: properties', () => {
  it('gives the same records whatever the chunk boundaries', () => {
    const text = Buffer.from('a;"b;c"\r\n"multi\nline";x\n"q""q";\r\nlast;row', 'utf8');
    const records = (chunks: Buffer[]) => {
      const out: string[][] = [];
      const scanner = new CsvScanner({ delimiter: 59, maxRecordBytes: 1000, fileName: 'f' }, (r) =>
        out.push(Array.from({ length: r.fieldCount }, (_, i) => fieldBytes(r, i).toString('utf8')).concat(String(r.line))),
      );
      for (const chunk of chunks) scanner.push(chunk);
      scanner.end();
      return out;
    };
    const whole = records([text]);
    expect(whole).toEqual([['a', 'b;c', '1'], ['multi\nline', 'x', '2'], ['q"q', '', '4'], ['last', 'row', '5']]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 6 }), (cuts) => {
        const sorted = [...cuts].sort((a, b) => a - b);
        const chunks = [0, ...sorted].map((start, i) => text.subarray(start, sorted[i] ?? text.length));
        expect(records(chunks)).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('writes the same files whatever the chunks standard input arrives in', async () => {
    await registry(['0612345601', '0612345602']);
    // Over the 64 KB sample, so that the scanner itself sees the chunks.
    const rows = 'a;0612345601;"x;y"\r\nb;"06 12 34 56 78";"multi\r\nline"\r\nc;;\r\nd;+33 6 12 34 56 02;\r\n'.repeat(1200);
    const input = Buffer.from(`nom;"tel";note\r\n${rows}e;0612345679;"q""q"`, 'utf8');
    const outputs = async (chunks: Buffer[]) => {
      const outcome = await wrk.run(['scrub', '-', '--out', 'c.csv', '--excluded', 'e.csv', '--invalid', 'i.csv', '--quiet'], { stdin: chunks });
      expect(outcome.code).toBe(0);
      return ['c.csv', 'e.csv', 'i.csv'].map((f) => wrk.read(f)).join('|');
    };
    const whole = await outputs([input]);
    expect(whole.split('|')[0]).toBe(`nom;"tel";note\r\n${'b;"06 12 34 56 78";"multi\r\nline"\r\n'.repeat(1200)}e;0612345679;"q""q"`);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: input.length - 1 }), { maxLength: 8 }), async (cuts) => {
        const sorted = [...cuts].sort((a, b) => a - b);
        const chunks = [0, ...sorted].map((start, i) => input.subarray(start, sorted[i] ?? input.length));
        expect(await outputs(chunks)).toBe(whole);
      }),
      { numRuns: 15 },
    );
  });

  it('keeps every row when scrubbing a clean output again', async () => {
    await registry(['0612345601', '0612345602', '0612345603']);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('0612345601', '06 12 34 56 02', '0612345678', '+33 6 12 34 56 79', '', 'x', '612345603'), fc.string({ maxLength: 5 })), {
          minLength: 1,
          maxLength: 12,
        }),
        async (rows) => {
          const csv = ['n;tel', ...rows.map(([tel, note]) => `"${note.replace(/"/g, '""')}";${tel}`)].join('\n');
          wrk.write('p.csv', csv);
          const first = await wrk.run(['scrub', 'p.csv', '--out', 'c1.csv', '--json']);
          if (first.code !== 0) return; // a file without any row
          const again = await wrk.run(['scrub', 'c1.csv', '--out', 'c2.csv', '--json']);
          if (JSON.parse(first.stdout).rowsClean === 0) return;
          expect(again.code).toBe(0);
          expect(wrk.read('c2.csv')).toBe(wrk.read('c1.csv'));
        },
      ),
      { numRuns: 30 },
    );
  });
});

/** `bytes` without its line number `n` (1-based, the header being line 1), line endings kept. */
function removeLine(bytes: Buffer, n: number): Buffer {
  const text = bytes.toString('latin1');
  const lines = text.match(/[^\r\n]*(\r\n|\n|$)/g)?.filter((l) => l.length > 0) ?? [];
  // Quoted line breaks: rejoin lines while a quote is open.
  const records: string[] = [];
  let current = '';
  for (const line of lines) {
    current += line;
    if ((current.match(/"/g)?.length ?? 0) % 2 === 0) {
      records.push(current);
      current = '';
    }
  }
  records.splice(n - 1, 1);
  return Buffer.from(records.join(''), 'latin1');
}
