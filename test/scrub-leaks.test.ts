// Regression tests for the ways a listed number reached the clean file, or a scrub destroyed what the user had, when
// tried with files written by real CRMs, spreadsheets and people (issue 8). Each test is named after its case.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCell } from '../src/phone/cell.js';
import { normalize } from '../src/phone/normalize.js';
import { headerWords, isPhoneHeader } from '../src/phone/column-names.js';
import { binary, daysAgo, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

const listed = '05 36 49 64 75';
const callable = '06 12 34 56 78';

async function registry(numbers: string[] = ['0536496475']): Promise<void> {
  wrk.write('opposition.txt', `${numbers.join('\n')}\n`);
  const imported = await wrk.run(['registry', 'import', 'opposition.txt', '--list', 'bloctel', '--as-of', daysAgo(2), '--covers', '33,262,590,594,596,508', '--quiet']);
  expect(imported.code).toBe(0);
}

async function scrub(rows: string[], extra: string[] = []) {
  wrk.write('in.csv', `${rows.join('\n')}\n`);
  const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--json', ...extra]);
  return { ...outcome, summary: outcome.code === 0 ? JSON.parse(outcome.stdout) : undefined };
}

const dataRows = (name: string) => wrk.read(name).split('\n').filter((l) => l.length > 0).slice(1);

describe('a phone cell the normalizer cannot fully read never makes a row clean', () => {
  const annotated: Array<[string, string]> = [
    ['an annotation in parentheses', `${listed} (soir)`],
    ['a civility before the number', `M. ${listed}`],
    ['a time after the number', `${listed} après 18h`],
    ['labels before two numbers', `Fixe: ${listed} Mobile: ${callable}`],
    ['two numbers separated by a dash', `${callable} - ${listed}`],
    ['two numbers separated by two spaces', `0612345678  0536496475`],
    ['two numbers separated by a tab', `"0612345678\t0536496475"`],
    ['two numbers separated by &', `0612345678 & 0536496475`],
    ['two numbers separated by +', `0612345678 + 0536496475`],
    ['two numbers separated by "puis"', `0612345678 puis 0536496475`],
    ['an RFC 3966 extension', `"0536496475;ext=12"`],
    ['bidi marks that Outlook and Teams add when copying', `\u202a${listed}\u202c`],
    ['a zero-width space', `\u200b${listed}`],
  ];
  for (const [name, cell] of annotated) {
    it(`reads the listed number in ${name}, whatever the other phone column holds`, async () => {
      await registry();
      const { summary } = await scrub(['nom,telephone,portable', `a,${cell},07 81 23 45 67`]);
      expect(summary).toMatchObject({ rowsClean: 0, rowsExcluded: 1, byReason: { listed: 1 } });
      expect(dataRows('clean.csv')).toEqual([]);
    });
  }

  it('excludes as unreadable a number damaged by a spreadsheet (5.907E+11), naming the column', async () => {
    await registry();
    const { summary } = await scrub(['nom,telephone,portable', `a,5.907E+11,07 81 23 45 67`, `b,"5,36E+08",07 81 23 45 67`]);
    expect(summary).toMatchObject({ rowsClean: 0, rowsExcluded: 2, byReason: { unreadable: 2 } });
    expect(dataRows('excluded.csv')[0]).toBe('a,5.907E+11,07 81 23 45 67,unreadable,telephone: unreadable (excel-mangled)');
  });

  it('excludes as unreadable a cell whose digits are a number but not readable (06 12 34 56 7O)', async () => {
    await registry();
    const { summary } = await scrub(['nom,telephone,portable', 'a,06 12 34 56 7O,07 81 23 45 67']);
    expect(summary).toMatchObject({ rowsClean: 0, byReason: { unreadable: 1 } });
  });

  it('blanks an unreadable cell under --policy number and judges the row on the rest', async () => {
    await registry();
    const { summary } = await scrub(['nom,telephone,portable', 'a,5.907E+11,07 81 23 45 67', 'b,5.907E+11,'], ['--policy', 'number']);
    expect(summary).toMatchObject({ rowsClean: 1, rowsRewritten: 1, rowsExcluded: 1, byReason: { unreadable: 1 } });
    expect(dataRows('clean.csv')).toEqual(['a,,07 81 23 45 67']);
  });

  it('counts a cell with no number in it (N/A, inconnu, -, #REF!) as empty', async () => {
    await registry();
    const { summary } = await scrub(['nom,telephone,portable', 'a,N/A,07 81 23 45 67', 'b,inconnu,07 81 23 45 67', 'c,-,07 81 23 45 67', 'd,#REF!,07 81 23 45 67', 'e,N/A,']);
    expect(summary).toMatchObject({ rowsClean: 4, rowsInvalid: 1, byReason: { 'no-number': 1 } });
  });

  it('keeps a short fragment (0812, 06 12 34) invalid-number, as before', async () => {
    await registry();
    const { summary } = await scrub(['nom,telephone,portable', 'a,0812,', 'b,06 12 34,', 'c,06 12 34,07 81 23 45 67']);
    expect(summary).toMatchObject({ rowsClean: 1, rowsInvalid: 2, byReason: { 'invalid-number': 2 } });
  });

  it('gives the strongest reason: internal > listed > unscreened > unreadable > duplicate', async () => {
    await registry();
    const { summary } = await scrub(
      ['nom,telephone,portable', 'a,07 81 23 45 67,', 'b,5.907E+11,07 81 23 45 67', `c,5.907E+11,${listed}`, 'd,5.907E+11,+1 212 555 0134'],
      ['--dedupe'],
    );
    expect(summary.byReason).toEqual({ unreadable: 1, listed: 1, unscreened: 1 });
    expect(dataRows('excluded.csv').map((r) => r.split(',')[0] + ':' + r.split(',')[3])).toEqual(['b:unreadable', 'c:listed', 'd:unscreened']);
  });

  it('reads what can be read in a cell, and reports the rest as unreadable (unit)', () => {
    const kinds = (cell: string) => readCell(cell, 'FR').map((p) => (p.kind === 'number' ? p.normalized.e164 : p.kind));
    expect(kinds(`Fixe: ${listed} Mobile: ${callable}`)).toEqual(['+33536496475', '+33612345678']);
    expect(kinds('06 12 34 56 78 07 81 23 45 67')).toEqual(['+33612345678', '+33781234567']);
    expect(kinds('0612345678 18')).toEqual(['unreadable']);
    expect(kinds('06 12 34 56 78 / 0812')).toEqual(['+33612345678']);
    expect(kinds('6,12345678E+08')).toEqual(['+33612345678']);
    expect(kinds('#N/A')).toEqual([]);
  });
});

describe('CRM headers are recognised, and unrecognised phone columns stop the scrub', () => {
  const crmHeaders = ['MobilePhone', 'HomePhone', 'OtherPhone', 'AssistantPhone', 'TelPortable', 'TelFixe', 'NumTel', 'telMobile', 'Handy', 'Telefono', 'Mob', 'Ligne directe', 'Standard', 'Téléphone / Fax', 'PHONE_NUMBER', 'telephonenumber'];
  it('recognises the phone fields of Salesforce, French CRMs and other languages by name', () => {
    for (const name of crmHeaders) expect([name, isPhoneHeader(name)]).toEqual([name, true]);
    for (const name of ['Numéro client', 'Phone Type', 'PhoneExt', 'N° SIRET', 'Code postal', 'Portefeuille', 'Hotel', 'Email', 'Commentaire', 'Fax', 'DoNotCall', 'Numéro de rue'])
      expect([name, isPhoneHeader(name)]).toEqual([name, false]);
    expect(headerWords('MobilePhone')).toEqual(['mobile', 'phone']);
    expect(headerWords('telportable')).toEqual(['tel', 'portable']);
  });

  it('screens a listed number in a Salesforce MobilePhone column (only Phone was screened)', async () => {
    await registry();
    const { summary } = await scrub(['Name,Phone,MobilePhone,HomePhone', `A,07 81 23 45 67,${listed},`]);
    expect(summary).toMatchObject({ rowsClean: 0, byReason: { listed: 1 } });
    expect(summary.input.phoneColumns).toEqual(['Phone', 'MobilePhone', 'HomePhone']);
  });

  it('stops with exit 2 when a column not named as a phone column holds phone numbers, naming it', async () => {
    await registry();
    const rows = ['nom,telephone,contact', `a,07 81 23 45 67,${listed}`, 'b,07 81 23 45 68,06 12 34 56 78'];
    const stopped = await scrub(rows);
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toMatch(/^callscrub: in\.csv: column 'contact' looks like phone numbers but is not screened \(screen it with --phone-column telephone --phone-column contact, or say --not-phone-column contact\)\n$/);
    expect(wrk.exists('clean.csv')).toBe(false);

    const screened = await scrub(rows, ['--phone-column', 'telephone', '--phone-column', 'contact']);
    expect(screened.summary).toMatchObject({ rowsClean: 1, byReason: { listed: 1 } });
    const overruled = await scrub(rows, ['--not-phone-column', 'contact']);
    expect(overruled.summary).toMatchObject({ rowsClean: 2, settings: { notPhoneColumns: ['contact'], phoneColumns: null } });
  });

  it('records --not-phone-column in the signed report, and replays it', async () => {
    await registry();
    wrk.write('in.csv', `nom,telephone,contact\na,07 81 23 45 67,${listed}\n`);
    expect((await wrk.run(['keygen', '--out', 'k'])).code).toBe(0);
    const done = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv', '--not-phone-column', 'contact', '--report', 'r.json', '--key', 'k.key', '--quiet']);
    expect(done.code).toBe(0);
    const report = JSON.parse(wrk.read('r.json'));
    const payload = JSON.parse(Buffer.from(report.payload, 'base64').toString('utf8'));
    expect(payload.predicate.settings).toMatchObject({ phoneColumns: null, notPhoneColumns: ['contact'] });
    const verified = await wrk.run(['verify', 'r.json', '--pubkey', 'k.pub', '--input', 'in.csv', '--replay']);
    expect(verified.code).toBe(0);
  });

  it('stops when --phone-column leaves a column named as a phone column unscreened', async () => {
    await registry();
    const stopped = await scrub(['nom,telephone,portable', `a,07 81 23 45 67,`], ['--phone-column', 'telephone']);
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain("column 'portable' looks like phone numbers but is not screened");
  });
});

describe('an output path never replaces the registry, the input, a key or another output', () => {
  async function prepared() {
    await registry();
    wrk.write('prospects.csv', `nom;telephone\na;${listed}\nb;${callable}\n`);
    expect((await wrk.run(['keygen', '--out', 'k'])).code).toBe(0);
    return fs.readFileSync(wrk.path('callscrub.db'));
  }
  const refused = async (argv: string[], message: RegExp) => {
    const outcome = await wrk.run(['scrub', ...argv]);
    expect(outcome.stderr).toMatch(message);
    expect(outcome.stderr.split('\n').length).toBe(2);
    expect(outcome.code).toBe(2);
  };

  it('refuses --out, --excluded, --invalid or --report naming the registry or its -wal file', async () => {
    const before = await prepared();
    await refused(['prospects.csv', '--out', 'callscrub.db'], /--out .*callscrub\.db is the registry/);
    await refused(['prospects.csv', '--out', 'c.csv', '--excluded', 'callscrub.db-wal'], /is the registry's wal file/);
    await refused(['prospects.csv', '--out', 'c.csv', '--report', 'callscrub.db', '--unsigned'], /is the registry/);
    expect(fs.readFileSync(wrk.path('callscrub.db')).equals(before)).toBe(true);
    expect((await wrk.run(['registry', 'status', '--json'])).code).toBe(0);
  });

  it('refuses a symbolic or hard link to the input, and the signing key, as outputs', async () => {
    await prepared();
    fs.symlinkSync(wrk.path('prospects.csv'), wrk.path('link.csv'));
    fs.linkSync(wrk.path('prospects.csv'), wrk.path('hard.csv'));
    const input = wrk.read('prospects.csv');
    await refused(['prospects.csv', '--out', 'link.csv'], /--out .*link\.csv is the input/);
    await refused(['prospects.csv', '--out', 'c.csv', '--invalid', 'hard.csv'], /--invalid .*hard\.csv is the input/);
    await refused(['prospects.csv', '--out', 'c.csv', '--report', 'k.key', '--key', 'k.key'], /--report .*k\.key is the signing key/);
    await refused(['prospects.csv', '--out', 'c.csv', '--excluded', './c.csv'], /--excluded and --out name the same file/);
    expect(wrk.read('prospects.csv')).toBe(input);
  });

  it('refuses an output linked to another not written yet, and two new outputs whose names differ only by case', async () => {
    await prepared();
    // ex.csv -> clean.csv, which does not exist yet: the excluded rows would be written into the clean file
    fs.symlinkSync('clean.csv', wrk.path('ex.csv'));
    await refused(['prospects.csv', '--out', 'clean.csv', '--excluded', 'ex.csv'], /--excluded and --out name the same file \(ex\.csv\)/);
    expect(wrk.exists('clean.csv')).toBe(false);
    // one file on the disks of Windows and macOS: names differing by case, in the folder too, or by Unicode form
    await refused(['prospects.csv', '--out', 'new.csv', '--excluded', 'NEW.CSV'], /--excluded and --out name the same file \(NEW\.CSV\)/);
    fs.mkdirSync(wrk.path('sub'));
    await refused(['prospects.csv', '--out', 'sub/c.csv', '--excluded', 'Sub/c.csv'], /--excluded and --out name the same file/);
    await refused(['prospects.csv', '--out', 'caf\u00e9.csv', '--excluded', 'cafe\u0301.csv'], /--excluded and --out name the same file/);
    // standard output twice, or beside --json
    await refused(['prospects.csv', '--out', '-', '--excluded', '-'], /--excluded and --out both name standard output/);
    await refused(['prospects.csv', '--out', 'c.csv', '--invalid', '-', '--json'], /--invalid - and --json both want standard output/);
  });

  it('follows a link as the system does: through a folder link and .., to another output or the input', async () => {
    await prepared();
    const input = wrk.read('prospects.csv');
    // sl -> other/deep, and clean.csv -> sl/../c.csv: the system opens other/c.csv, not ./c.csv
    fs.mkdirSync(wrk.path('other/deep'), { recursive: true });
    fs.symlinkSync(wrk.path('other/deep'), wrk.path('sl'));
    fs.symlinkSync('sl/../c.csv', wrk.path('clean.csv'));
    await refused(['prospects.csv', '--out', 'clean.csv', '--excluded', 'other/c.csv'], /--excluded and --out name the same file \(other\/c\.csv\)/);
    // the same shape to the input, which exists: refused, the input left as it was
    fs.writeFileSync(wrk.path('other/prospects.csv'), input);
    fs.symlinkSync('sl/../prospects.csv', wrk.path('clean2.csv'));
    await refused(['other/prospects.csv', '--out', 'clean2.csv'], /--out .*clean2\.csv is the input/);
    // and a run through such a link writes where the system says
    fs.symlinkSync('sl/../fresh.csv', wrk.path('clean3.csv'));
    expect((await wrk.run(['scrub', 'prospects.csv', '--out', 'clean3.csv', '--quiet'])).code).toBe(0);
    expect(wrk.exists('other/fresh.csv')).toBe(true);
    expect(wrk.exists('fresh.csv')).toBe(false);
    expect(wrk.read('prospects.csv')).toBe(input);
  });

  it('refuses `scrub - --out prospects.csv < prospects.csv`, which replaced the input by its clean subset', async () => {
    await prepared();
    const input = wrk.read('prospects.csv');
    const fd = fs.openSync(wrk.path('prospects.csv'), 'r');
    try {
      const child = spawnSync(process.execPath, [binary, 'scrub', '-', '--out', 'prospects.csv'], { cwd: wrk.dir, stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
      expect(child.stderr).toMatch(/^callscrub: --out .*prospects\.csv is the input \(standard input\): writing it would destroy it/);
      expect(child.status).toBe(2);
    } finally {
      fs.closeSync(fd);
    }
    expect(wrk.read('prospects.csv')).toBe(input);
  });
});

describe('--out -', () => {
  it('records the digest of the clean rows written to standard output in the signed report', async () => {
    await registry();
    wrk.write('in.csv', `nom;telephone\na;${listed}\nb;${callable}\n`);
    const done = await wrk.run(['scrub', 'in.csv', '--out', '-', '--report', 'r.json', '--unsigned', '--quiet']);
    expect(done.code).toBe(0);
    const payload = JSON.parse(Buffer.from(JSON.parse(wrk.read('r.json')).payload, 'base64').toString('utf8'));
    const clean = payload.subject.find((s: { annotations: { role: string } }) => s.annotations.role === 'clean');
    expect(clean).toMatchObject({ name: '-', digest: { sha256: createHash('sha256').update(done.stdout).digest('hex') }, annotations: { rows: 1 } });
  });
});

describe('demo --dir', () => {
  it('refuses a folder in use, which it overwrote and whose real registry it gave a fictional list', async () => {
    wrk.write('campaign/prospects.csv', 'my real prospects\n');
    wrk.write('campaign/callscrub.db', 'not touched');
    const outcome = await wrk.run(['demo', '--dir', 'campaign']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^callscrub: --dir .*campaign is not empty: the demo writes its sample files and a registry there \(name a new or empty folder\)\n$/);
    expect(wrk.read('campaign/prospects.csv')).toBe('my real prospects\n');
    expect(wrk.read('campaign/callscrub.db')).toBe('not touched');
    fs.mkdirSync(wrk.path('empty'));
    expect((await wrk.run(['demo', '--dir', 'empty'])).code).toBe(0);
  });
});

describe('messages about a header-less file', () => {
  it('never print a cell of its first row, which may be a phone number', async () => {
    await registry();
    wrk.write('in.csv', 'Dupont;05 36 49 64 75\nMartin;06 12 34 56 78\n');
    for (const extra of [[], ['--phone-column', 'tel']]) {
      const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv', ...extra]);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toBe(
        'callscrub: in.csv:1: the first row holds a phone number (column 2): it is data, not a header (if the file has no header, say --no-header and name the phone columns with --phone-column N)\n',
      );
      expect(outcome.stderr).not.toMatch(/36 49|Dupont/);
    }
  });
});

describe('the record limit', () => {
  it('is the documented 1 MiB for a record read whole within a chunk, not only for one carried between chunks', async () => {
    await registry();
    wrk.write('in.csv', `n;tel;note\na;06 12 34 56 78;"${'x'.repeat(1_500_000)}"\nb;07 81 23 45 67;y\n`);
    const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv']);
    expect(outcome.stderr).toBe('callscrub: in.csv:2: the record starting on line 2 is longer than 1048576 bytes (1 MiB) (a quote may be left open; check the file, or give --delimiter)\n');
    expect(outcome.code).toBe(1);
    expect(wrk.exists('clean.csv')).toBe(false);
  });
});

describe('properties of reading a phone cell', () => {
  // Mainland mobiles and landlines that the French plan allocates, in the notations people type.
  const number = fc.tuple(fc.constantFrom('6', '7', '1', '2', '3', '4', '5', '9'), fc.integer({ min: 0, max: 99_999_999 })).filter(([first, rest]) => {
    const national = `0${first}${String(rest).padStart(8, '0')}`;
    return normalize(national).ok;
  });
  const notation = fc.constantFrom(
    (n: string) => n,
    (n: string) => n.replace(/(\d\d)(?=\d)/g, '$1 '),
    (n: string) => n.replace(/(\d\d)(?=\d)/g, '$1.'),
    (n: string) => n.slice(1),
    (n: string) => `+33 ${n.slice(1)}`,
    (n: string) => `+33 (0)${n.slice(1, 2)} ${n.slice(2)}`,
  );
  const separator = fc.constantFrom(' / ', ' - ', '  ', '\t', ' & ', ' + ', ' puis ', ' et ', ' ou ', '; ', ', ', ' | ', '\n', ' Mobile: ');
  const around = fc.constantFrom(['', ''], ['M. ', ''], ['Fixe: ', ''], ['', ' (soir)'], ['', ' après 18h'], ['\u202a', '\u202c'], ['\u200b', '']);

  it('finds both numbers of a cell, whatever the notation, separator and annotations, or calls the cell unreadable', () => {
    fc.assert(
      fc.property(number, number, notation, notation, separator, around, ([f1, r1], [f2, r2], n1, n2, sep, [before, after]) => {
        const a = `0${f1}${String(r1).padStart(8, '0')}`;
        const b = `0${f2}${String(r2).padStart(8, '0')}`;
        const parts = readCell(`${before}${n1(a)}${sep}${n2(b)}${after}`, 'FR');
        const found = parts.flatMap((p) => (p.kind === 'number' ? [p.normalized.e164] : []));
        const unreadable = parts.some((p) => p.kind === 'unreadable');
        const e164 = (n: string) => (normalize(n) as { e164: string }).e164;
        expect(unreadable || (found.includes(e164(n1(a))) && found.includes(e164(n2(b))))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws, and never yields a number from a cell with fewer than 9 digits of it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9 +().\-/eE,;:&a-z#'="]{0,30}$/)), (cell) => {
        for (const part of readCell(cell, 'FR')) {
          if (part.kind === 'number') expect(part.normalized.e164.length).toBeGreaterThanOrEqual(8);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('regressions from a hostile test pass', () => {
  it('excludes a listed number cut apart by a typo beside a readable number (06 39 98  12 34)', async () => {
    await registry(['0639981234']);
    const { summary } = await scrub(['nom;tel', 'a;0465710001 / 06 39 98  12 34', 'b;0465710002 / 06 39 98 l2 34', 'c;0465710003 (après 18h)']);
    expect(summary).toMatchObject({ rowsClean: 1, byReason: { unreadable: 2 } });
  });

  it('screens cells beyond the header, and a file whose first line is a title', async () => {
    await registry(['0639981234']);
    const wide = await scrub(['Tel;Nom', '0465710001;A;0639981234', '0465710002;B;']);
    expect(wide.summary).toMatchObject({ rowsClean: 1, rowsWiderThanHeader: 1, byReason: { listed: 1 } });
    expect(dataRows('excluded.csv')).toEqual(['0465710001;A;0639981234;listed;column 3: listed (bloctel v1)']);
    const titled = await scrub(['Fichier telephone campagne', 'Tel;Portable;Nom', '0465710001;0639981234;A']);
    expect(titled.summary).toMatchObject({ rowsClean: 0 });
  });

  it('stops on a column of phone numbers hidden among placeholders, e-mails, or after the first 1,000 rows', async () => {
    await registry();
    const placeholders = ['nom;tel;contact', ...Array.from({ length: 30 }, (_, i) => `p${i};07 81 23 45 ${String(i).padStart(2, '0')};${i % 3 === 0 ? '0536496475' : i % 3 === 1 ? '-' : 'N/A'}`)];
    expect((await scrub(placeholders)).code).toBe(2);
    const mails = ['nom;tel;contact', ...Array.from({ length: 30 }, (_, i) => `m${i};07 81 23 45 ${String(i).padStart(2, '0')};${i % 5 < 2 ? '0536496475' : `m${i}@example.fr`}`)];
    expect((await scrub(mails)).code).toBe(2);
    const late = ['nom;tel;note', ...Array.from({ length: 3000 }, (_, i) => `l${i};07 81 23 ${String(Math.floor(i / 100)).padStart(2, '0')} ${String(i % 100).padStart(2, '0')};${i < 2000 ? 'ok' : '0536496475'}`)];
    const stopped = await scrub(late);
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain("column 'note' looks like phone numbers but is not screened");
    expect(wrk.exists('clean.csv')).toBe(false);
  });

  it('reads the columns of an Excel "CSV UTF-8" file whose quoted first header holds the delimiter', async () => {
    await registry();
    wrk.write('in.csv', Buffer.from(`\ufeff"Nom; Prénom";Téléphone;Portable\r\n"A; B";${listed};-\r\n"C; D";-;07 81 23 45 67\r\n`, 'utf8'));
    const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv', '--json']);
    expect(JSON.parse(outcome.stdout)).toMatchObject({ rowsClean: 1, byReason: { listed: 1 }, input: { phoneColumns: ['Téléphone', 'Portable'] } });
  });

  it('reads digits of other scripts (Arabic-Indic, Devanagari, mathematical), and 6.E+08 as damaged', async () => {
    await registry(['0639981234']);
    const { summary } = await scrub(['nom;tel;portable', 'a;٠٦٣٩٩٨١٢٣٤;07 81 23 45 67', 'b;۰۶۳۹۹۸۱۲۳۴;07 81 23 45 67', 'c;०६३९९८१२३४;07 81 23 45 67', 'd;𝟎𝟔𝟑𝟗𝟗𝟖𝟏𝟐𝟑𝟒;07 81 23 45 67', 'e;6.E+08;07 81 23 45 67']);
    expect(summary).toMatchObject({ rowsClean: 0, byReason: { listed: 4, unreadable: 1 } });
  });

  it('suggests column numbers when two columns share a name, and the suggestion works', async () => {
    await registry();
    const rows = ['Tel;Tel;Nom', `07 81 23 45 67;${listed};A`];
    const stopped = await scrub(rows, ['--phone-column', 'Tel']);
    expect(stopped.stderr).toContain('screen it with --phone-column 1 --phone-column 2');
    expect((await scrub(rows, ['--phone-column', '1', '--phone-column', '2'])).summary).toMatchObject({ byReason: { listed: 1 } });
  });

  it('never writes standard output over the input or the registry, nor an output over any database or key', async () => {
    await registry();
    wrk.write('in.csv', `nom;tel\na;${listed}\nb;07 81 23 45 67\n`);
    expect((await wrk.run(['keygen', '--out', 'k'])).code).toBe(0);
    const db = fs.readFileSync(wrk.path('callscrub.db'));
    for (const target of ['callscrub.db', 'in.csv']) {
      const fd = fs.openSync(wrk.path(target), 'r+');
      try {
        const child = spawnSync(process.execPath, [binary, 'scrub', 'in.csv', '--out', '-'], { cwd: wrk.dir, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
        expect(child.stderr).toMatch(/standard output is the (registry|input): writing there would destroy it/);
        expect(child.status).toBe(2);
      } finally {
        fs.closeSync(fd);
      }
    }
    expect(fs.readFileSync(wrk.path('callscrub.db')).equals(db)).toBe(true);
    const fd = fs.openSync(wrk.path('callscrub.db'), 'r+');
    try {
      const child = spawnSync(process.execPath, [binary, 'registry', 'import', 'in.csv', '--list', 'x', '--kind', 'internal', '--json'], { cwd: wrk.dir, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      expect(child.stderr).toMatch(/standard output is the registry: writing there would destroy it/);
      expect(child.status).toBe(2);
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.readFileSync(wrk.path('callscrub.db')).equals(db)).toBe(true);
    // Regression: --excluded - (or --invalid -) appended to the input wrote the excluded rows into the prospect file.
    for (const option of ['--excluded', '--invalid']) {
      const before = wrk.read('in.csv');
      const out = fs.openSync(wrk.path('in.csv'), 'a');
      try {
        const child = spawnSync(process.execPath, [binary, 'scrub', 'in.csv', '--out', 'c.csv', option, '-'], { cwd: wrk.dir, stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
        expect(child.stderr).toMatch(/^callscrub: standard output is the input: writing there would destroy it/);
        expect(child.status).toBe(2);
      } finally {
        fs.closeSync(out);
      }
      expect(wrk.read('in.csv'), option).toBe(before);
    }
    // Regression: standard output appended to a key or another database, which no option names, was written to.
    fs.copyFileSync(wrk.path('callscrub.db'), wrk.path('archive.sqlite'));
    for (const target of ['k.key', 'archive.sqlite']) {
      const before = fs.readFileSync(wrk.path(target));
      const out = fs.openSync(wrk.path(target), 'a');
      try {
        const child = spawnSync(process.execPath, [binary, 'scrub', 'in.csv', '--out', '-'], { cwd: wrk.dir, stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
        expect(child.stderr).toMatch(/^callscrub: standard output is a file that holds (a PEM key or certificate|an SQLite database \(a registry\?\)): writing there would destroy it/);
        expect(child.status).toBe(2);
      } finally {
        fs.closeSync(out);
      }
      expect(fs.readFileSync(wrk.path(target)).equals(before), target).toBe(true);
    }
    for (const [option, target] of [['--excluded', 'k.pub'], ['--invalid', 'archive.sqlite']]) {
      const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'c.csv', option as string, target as string]);
      expect(outcome.code).toBe(2);
    }
    const rejects = await wrk.run(['registry', 'import', 'in.csv', '--list', 'x', '--kind', 'internal', '--rejects', 'callscrub.db']);
    expect(rejects.stderr).toMatch(/--rejects callscrub\.db is the registry/);
    expect((await wrk.run(['registry', 'import', 'in.csv', '--list', 'x', '--kind', 'internal', '--rejects', 'k.key'])).code).toBe(2);
    expect(fs.readFileSync(wrk.path('callscrub.db')).equals(db)).toBe(true);
  });
});

describe('encodings', () => {
  it('refuses a file that mixes UTF-8 text with bytes that are not UTF-8, whose digits would be misread', async () => {
    await registry();
    wrk.write('in.csv', Buffer.concat([Buffer.from('nom;tel\nRené;07 81 23 45 67\nRen'), Buffer.from([0xe9]), Buffer.from(';０５３６４９６４７５\n')]));
    const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv']);
    expect(outcome.stderr).toBe('callscrub: in.csv:3: mixes UTF-8 text with bytes that are not UTF-8 (fix that line, or say --encoding utf-8 or --encoding windows-1252)\n');
    expect(outcome.code).toBe(1);
  });
});

describe('exemptions', () => {
  it('never rest on another reading of an ambiguous number: a contract for 0801234567 does not exempt +590 801 23 45 67', async () => {
    await registry(['+590801234567']);
    wrk.write('contracts.txt', '0801234567;2099-12-31\n');
    expect((await wrk.run(['registry', 'import', 'contracts.txt', '--list', 'contracts', '--kind', 'exempt', '--quiet'])).code).toBe(0);
    const { summary } = await scrub(['nom;tel', 'a;+590 801 23 45 67', 'b;0801234567']);
    // b: listed under its +590 reading, which the contract's 0801234567 names only by a guess.
    expect(summary).toMatchObject({ rowsClean: 0, byReason: { listed: 2 } });
  });

  it('still exempt a listed number written as on the contract list', async () => {
    await registry(['0536496475']);
    wrk.write('contracts.txt', '+33 5 36 49 64 75;2099-12-31\n');
    expect((await wrk.run(['registry', 'import', 'contracts.txt', '--list', 'contracts', '--kind', 'exempt', '--quiet'])).code).toBe(0);
    const { summary } = await scrub(['nom;tel', 'a;05.36.49.64.75']);
    expect(summary).toMatchObject({ rowsClean: 1, byNumberStatus: { exempt: 1 } });
  });
});

describe('a remove import', () => {
  it('that would empty the list (the whole list given as --mode remove) is refused without --allow-shrink', async () => {
    await registry(['0536496475', '0639981234', '0465710001']);
    const outcome = await wrk.run(['registry', 'import', 'opposition.txt', '--list', 'bloctel', '--mode', 'remove', '--as-of', daysAgo(1)]);
    expect(outcome.stderr).toMatch(/this remove import would remove 3 of the 3 numbers of 'bloctel' \(100 %\): the file may be the whole list/);
    expect(outcome.code).toBe(1);
    const { summary } = await scrub(['nom;tel', `a;${listed}`]);
    expect(summary).toMatchObject({ rowsClean: 0, byReason: { listed: 1 } });
  });
});

describe('list files read as prospect files are', () => {
  it("imports an internal list's every phone column and every number of a cell, as a scrub reads them", async () => {
    await registry();
    wrk.write('optout.csv', 'Nom;Téléphone;Portable;Motif\nA;04 65 71 00 01;06 39 98 12 41;stop\nB;;06 39 98 12 46 (soir);stop\nC;06 39 98 12 42 / 06 39 98 12 43;;stop\nD;٠٦٣٩٩٨١٢٤٤;;stop\n');
    const imported = await wrk.run(['registry', 'import', 'optout.csv', '--list', 'optout', '--kind', 'internal', '--json']);
    expect(JSON.parse(imported.stdout)).toMatchObject({ numbersTotal: 6, rejected: 0 });
    const { summary } = await scrub(['nom;tel', 'a;0639981241', 'b;0639981246', 'c;0639981243', 'd;0639981244', 'e;0465710001']);
    expect(summary).toMatchObject({ rowsClean: 0, byReason: { internal: 5 } });
  });

  it('reads the number column of `Numéro client;Téléphone;Fin`, not the customer number (one column finder)', async () => {
    await registry();
    wrk.write('optout.csv', 'Numéro client;Téléphone;Fin\n0612345678;04 65 71 00 01;2099-12-31\n');
    // Customer numbers that look like phone numbers: the import asks which column holds the numbers.
    const asked = await wrk.run(['registry', 'import', 'optout.csv', '--list', 'optout', '--kind', 'internal']);
    expect(asked.stderr).toMatch(/^callscrub: optout\.csv: column 'Numéro client' looks like phone numbers but is not imported \(name the number column with --column/);
    expect(asked.code).toBe(2);
    const imported = await wrk.run(['registry', 'import', 'optout.csv', '--list', 'optout', '--kind', 'internal', '--column', 'Téléphone', '--json']);
    expect(JSON.parse(imported.stdout)).toMatchObject({ numbersTotal: 1, format: 'csv' });
    const { summary } = await scrub(['nom;tel', 'a;0465710001', 'b;0612345678']);
    expect(summary).toMatchObject({ rowsClean: 1, byReason: { internal: 1 } });
  });

  it('reads a list whose quoted header holds the delimiter, and a quoted number cell with a line break (one CSV reader)', async () => {
    await registry();
    wrk.write('optout.csv', '"Nom, prénom, société";telephone\n"Dupont, Jean, SA";04 65 71 00 01\n"Durand";"06 39 98 12 41\n06 39 98 12 42"\n');
    const imported = await wrk.run(['registry', 'import', 'optout.csv', '--list', 'optout', '--kind', 'internal', '--json']);
    expect(JSON.parse(imported.stdout)).toMatchObject({ numbersTotal: 3, rejected: 0 });
  });
});

describe('options', () => {
  it("refuse --lists '' (it meant every list) and print header names without escape sequences", async () => {
    await registry();
    wrk.write('in.csv', `nom;tel\x1b[31m\na;07 81 23 45 67\n`);
    const empty = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv', '--lists', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--lists names no list');
    const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv']);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toContain('phone columns tel\\u001b[31m');
    expect(outcome.stderr).not.toContain('\x1b');
  });
});

describe('a country column', () => {
  it('naming another country than --country stops the scrub: a Belgian 470123456 was read as the French +33 4 70 12 34 56', async () => {
    await registry();
    const stopped = await scrub(['Nom;Indicatif;Tel', 'A;+33;0536496475', 'B;+32;470123456']);
    expect(stopped.stderr).toBe(
      "callscrub: in.csv:3: column 'Indicatif' gives another country (+32) than --country FR: its rows' national numbers would be read as FR numbers (write the numbers with their country code (+32...), or scrub each country's rows with its --country; --not-phone-column 'Indicatif' if the column says nothing of the numbers)\n",
    );
    expect(stopped.code).toBe(1);
    expect(wrk.exists('clean.csv')).toBe(false);
    const pays = await scrub(['Nom;Pays;Tel', 'A;France;0781234567', 'B;Martinique;0696123456', 'C;Belgique;0470123456']);
    expect(pays.stderr).toContain("in.csv:4: column 'Pays' gives another country (+32)");
    const same = await scrub(['Nom;Pays;Tel', 'A;France;0781234567', 'B;FR;0781234568', 'C;;0781234569']);
    expect(same.summary).toMatchObject({ rowsClean: 3 });
  });
});

describe("Excel's sep= line", () => {
  it('names the delimiter, is no header, and starts every output', async () => {
    await registry();
    wrk.write('in.csv', `sep=;\r\nnom;tel;ville\r\na;${listed};Paris\r\nb;07 81 23 45 67;Lyon\r\n`);
    const outcome = await wrk.run(['scrub', 'in.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--json']);
    expect(JSON.parse(outcome.stdout)).toMatchObject({ rowsIn: 2, rowsClean: 1, byReason: { listed: 1 }, input: { delimiter: ';', delimiterFrom: 'given by the file (sep=)', phoneColumns: ['tel'] } });
    expect(wrk.read('clean.csv')).toBe('sep=;\r\nnom;tel;ville\r\nb;07 81 23 45 67;Lyon\r\n');
    expect(wrk.read('excluded.csv').split('\r\n').slice(0, 2)).toEqual(['sep=;', 'nom;tel;ville;callscrub_reason;callscrub_detail']);
  });
});

describe('--covers', () => {
  it('takes only calling codes and North American area codes (999999 was accepted)', async () => {
    wrk.write('l.txt', '0536496475\n');
    for (const bad of ['999999', '0', '1099', '4444']) {
      const outcome = await wrk.run(['registry', 'import', 'l.txt', '--list', 'b', '--covers', bad]);
      expect([bad, outcome.code]).toEqual([bad, 2]);
    }
    expect((await wrk.run(['registry', 'import', 'l.txt', '--list', 'b', '--covers', '+33,262,1201,44', '--quiet'])).code).toBe(0);
  });
});

describe('regressions from a second hostile pass', () => {
  const importList = async (name: string, content: string | Buffer, extra: string[] = []) => {
    wrk.write(name, content);
    const outcome = await wrk.run(['registry', 'import', name, '--list', `optout-${name.split('.')[0]}`, '--kind', 'internal', '--json', ...extra]);
    expect(outcome.stderr).toBe('');
    return JSON.parse(outcome.stdout);
  };
  const internal = async (numbers: string[]) => {
    const { summary } = await scrub(['nom;tel', ...numbers.map((n, i) => `r${i};${n}`)]);
    return summary;
  };

  it('imports both columns of Téléphone;Portable, a second number on a line, and cells beyond the header', async () => {
    await registry();
    expect(await importList('a.csv', 'Téléphone;Portable\n01 99 00 60 01;06 39 98 60 02\n')).toMatchObject({ format: 'csv', numbersTotal: 2 });
    expect(await importList('b.txt', '01 99 00 91 03, 06 39 98 91 04\n"01 99 00 91 07; 06 39 98 91 08"\n')).toMatchObject({ numbersTotal: 4 });
    expect(await importList('c.csv', 'Nom;Prenom;Telephone\nDupont;Jean;01 99 00 60 09;06 39 98 60 10\n')).toMatchObject({ numbersTotal: 2 });
    expect(await importList('d.csv', 'Nom;Tel2;Motif\nA;06 39 98 60 11;stop\n')).toMatchObject({ format: 'csv', numbersTotal: 1 });
    expect(await importList('e.csv', '# opt-outs of the week\nNom;Tel;Motif\nA;06 39 98 60 12;stop\n')).toMatchObject({ numbersTotal: 1 });
    expect(await importList('f.csv', Buffer.from('Nom;T\xe9l.;Portable\nDupont;01 99 00 80 01;06 39 98 80 02\n', 'latin1'))).toMatchObject({ numbersTotal: 2 });
    const summary = await internal(['06 39 98 60 02', '06 39 98 91 04', '06 39 98 91 08', '06 39 98 60 10', '06 39 98 60 11', '06 39 98 60 12', '01 99 00 80 01']);
    expect(summary).toMatchObject({ rowsClean: 0, byReason: { internal: 7 } });
  });

  it('keeps the readable number of an opt-out beside an unreadable part, and counts the part', async () => {
    await registry();
    expect(await importList('g.csv', 'Nom;Prenom;Tel\nA;a;06 39 98 90 01 / 6,12345E+08\n')).toMatchObject({ numbersTotal: 1, rejectedByReason: { unreadable: 1 } });
    expect(await internal(['06 39 98 90 01'])).toMatchObject({ byReason: { internal: 1 } });
  });

  it('does not let placeholder numbers (0000000000) dilute a column of phone numbers', async () => {
    await registry();
    const stopped = await scrub(['Nom;Telephone;Autre', 'A;0199001001;0000000000', 'B;0199001002;0000000000', `C;0199001003;${listed}`]);
    expect(stopped.code).toBe(2);
  });

  it("reads a country column's values as Excel and people write them, and its other names", async () => {
    await registry();
    for (const [header, value] of [['Pays', "'+32"], ['Indicatif', '(+32)'], ['Country code', '32.0'], ['Dial code', '+0032'], ['Nationalité', 'Belgique'], ['Indic.', '32'], ['CC', 'BE']]) {
      const stopped = await scrub([`Nom;Telephone;${header}`, `A;0470123456;${value}`]);
      expect([header, value, stopped.code]).toEqual([header, value, 1]);
    }
  });

  it('rejects a contract end holding more than one date or a note, rather than read its first date', async () => {
    await registry();
    wrk.write('contracts.txt', '01 99 00 70 23;31/12/2026 (résilié 01/06/2026)\n01 99 00 70 24;2030-12-31 / 2026-12-15\n01 99 00 70 25;2030-12-31\n');
    const imported = await wrk.run(['registry', 'import', 'contracts.txt', '--list', 'contracts', '--kind', 'exempt', '--json']);
    expect(JSON.parse(imported.stdout)).toMatchObject({ numbersTotal: 1, rejectedByReason: { 'bad-date': 2 } });
  });
});

describe('a list file', () => {
  it('with a column of phone numbers its name does not announce stops the import (Téléphone du client was left out)', async () => {
    await registry();
    wrk.write('optout.csv', 'Nom;Mobile;Téléphone du client;Motif\nDupont;01 99 00 11 11;06 39 98 11 11;refus\n');
    const asked = await wrk.run(['registry', 'import', 'optout.csv', '--list', 'optout', '--kind', 'internal']);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain("column 'Téléphone du client' looks like phone numbers but is not imported");
    expect((await wrk.run(['registry', 'import', 'optout.csv', '--list', 'optout', '--kind', 'internal', '--column', 'Mobile', '--quiet'])).code).toBe(0);
    const added = await wrk.run(['registry', 'import', 'optout.csv', '--list', 'optout', '--kind', 'internal', '--column', 'Téléphone du client', '--mode', 'add', '--json']);
    expect(JSON.parse(added.stdout)).toMatchObject({ numbersTotal: 2 });
  });
});
