// Scrubbing .xlsx workbooks (issue 14): workbooks written by Gnumeric's ssconvert (a program nobody on the project
// wrote) from Gnumeric XML with explicit cell types, scrubbed, and their outputs read back by our reader and by
// ssconvert. Each verdict is the one the CSV scrub gives the same cells written as a CSV export would have them.

import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { dayOf, localDate } from '../src/dates.js';
import { CallscrubError } from '../src/errors.js';
import { hashSink } from '../src/io/sink.js';
import { openSource } from '../src/io/source.js';
import { pinLists } from '../src/scrub/pinned.js';
import { Screening } from '../src/scrub/screening.js';
import { CsvRowWriter, integerDigits, phoneText, scrubWorkbook, XlsxRowWriter } from '../src/scrub/workbook-scrub.js';
import type { Cell, SheetRow } from '../src/workbook/cell.js';
import { readWorkbook } from '../src/workbook/reader.js';
import { hidesDigits, isScientificFormat, longestDateDigits, textSection } from '../src/workbook/number-formats.js';
import { gnumeric } from './gnumeric.js';
import { daysAgo, projectRoot, Workdir } from './workdir.js';

const hasSsconvert = spawnSync('sh', ['-c', 'command -v ssconvert']).status === 0;
if (!hasSsconvert) console.warn('workbook scrub tests skipped: ssconvert not installed (apt-get install --no-install-recommends gnumeric)');

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

const run = (command: string, args: string[]): string => wrk.program(command, args);

/** An .xlsx written by ssconvert from these sheets (cells as in gnumeric.ts: 'n:...' a number, '=...' a formula). */
function workbook(name: string, sheets: { name: string; rows: string[][] }[]): string {
  wrk.write(`${name}.gnumeric`, gnumeric(sheets));
  run('ssconvert', [`${name}.gnumeric`, `${name}.xlsx`]);
  return wrk.path(`${name}.xlsx`);
}

async function registry(opposition: string[]): Promise<void> {
  wrk.write('opposition.txt', `${opposition.join('\n')}\n`);
  const imported = await wrk.run(['registry', 'import', 'opposition.txt', '--list', 'bloctel', '--as-of', daysAgo(2), '--covers', '33,262,590,594,596,508', '--quiet']);
  expect(imported.stderr).toBe('');
}

async function rowsOf(file: string, sheet?: string): Promise<Cell[][]> {
  const rows: SheetRow[] = [];
  for await (const row of await readWorkbook(file, sheet === undefined ? {} : { sheet })) rows.push(row);
  return rows.map((r) => r.cells);
}

/** The prospects of most tests: numbers stored as numbers (as Excel stores a column typed in), as text, a formula. */
const prospects = [
  ['Nom', 'Téléphone', 'Ville'],
  ['Alice', 'n:612345678', 'Lyon'], // a French mobile that lost its 0: repaired, as the CSV cell 612345678 is
  ['Bruno', 'n:33612345679', 'Paris'], // listed
  ['Chloé', 'n:6.12345680E8', '=1+1'], // stored with an exponent: read exactly; a formula outside the phone column
  ['Denis', '0612345681', 'Nice'], // text, as typed with a quote
  ['Eve', '=CONCATENATE("06","12345682")', 'Brest'], // a formula in the phone column: invalid
  ['Félix', 'n:612345.5', 'Metz'], // not an integer: refused by the normalizer
  ['Gaëlle', '=SUM(1)', '-5+A1'], // text that would act as a formula in a CSV (a signed number alone would not: -5)
];

describe('cells as the classifier reads them', () => {
  it('takes an integer from its stored text exactly, and nothing else for one', () => {
    expect(integerDigits('612345678')).toBe('612345678');
    expect(integerDigits('6.12345678E8')).toBe('612345678');
    expect(integerDigits('6.12345678E+08')).toBe('612345678');
    expect(integerDigits('3.3612345678E+10')).toBe('33612345678');
    expect(integerDigits('1.2345678901234567E+19')).toBe('12345678901234567000');
    expect(integerDigits('612345678.0')).toBe('612345678');
    expect(integerDigits('612345.5')).toBeUndefined();
    expect(integerDigits('1E-3')).toBeUndefined();
    expect(integerDigits('0')).toBe('0');
    expect(integerDigits('-612345678')).toBe('-612345678');
  });

  it('reads numbers by their stored value, a date as unreadable (it shows a date), marks formulas, and stops at an error value naming the cell', () => {
    const at = () => 'sheet Feuil1, cell C12';
    expect(phoneText({ kind: 'number', value: 612345678, text: '6.12345678E8', format: 'General' }, at, 'p.xlsx')).toBe('612345678');
    expect(phoneText({ kind: 'number', value: 612345.5, text: '612345.5', format: 'General' }, at, 'p.xlsx')).toBe('612345.5');
    expect(phoneText({ kind: 'date', value: 612345678, text: '612345678', format: 'yyyy-mm-dd' }, at, 'p.xlsx')).toEqual({ unreadable: 'number-format' });
    expect(phoneText({ kind: 'boolean', value: true }, at, 'p.xlsx')).toBe('TRUE');
    expect(phoneText({ kind: 'formula', formula: 'A1', cached: { kind: 'text', text: '0612345678' } }, at, 'p.xlsx')).toEqual({ formula: 'A1' });
    let error: unknown;
    try {
      phoneText({ kind: 'error', text: '#N/A' }, at, 'p.xlsx');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CallscrubError);
    expect((error as CallscrubError).toLine()).toBe('p.xlsx: sheet Feuil1, cell C12: #N/A in a phone column (correct the cell in the workbook (or clear it), save it and run again)');
    expect((error as CallscrubError).exitCode).toBe(1);
  });

  it('reads a number in scientific notation whose digits end in zeros (a rounded number) as unreadable, by its value otherwise', () => {
    const at = () => 'sheet Feuil1, cell C12';
    const sci = (value: number, format: string) => phoneText({ kind: 'number', value, text: String(value), format }, at, 'p.xlsx');
    expect(['0.00E+00', '##0.0E+0', '0.00E-00', '0.00e+00', '#,##0.00E+00;[Red]-0.00E+00'].every(isScientificFormat)).toBe(true);
    expect(['General', '0', '"E+"0', '[$E+-40C]0', '\\E+0', '0000000000', 'yyyy-mm-dd'].some(isScientificFormat)).toBe(false);
    const mangled = { unreadable: 'excel-mangled' };
    expect(sci(612345000, '0.00E+00')).toEqual(mangled);
    expect(sci(600000000, '0.00E+00')).toEqual(mangled);
    expect(sci(33612345670, '##0.0E+0')).toEqual(mangled);
    expect(sci(-536496000, '0.00E+00')).toEqual(mangled);
    expect(sci(612345678, '0.00E+00')).toBe('612345678');
    expect(sci(612345000, 'General')).toBe('612345000');
    expect(sci(612345000, '"E-"0')).toBe('612345000');
  });

  it('reads a number whose format shows other digits than it stores as unreadable (number-format); a format that only arranges them is read', () => {
    const at = () => 'sheet Feuil1, cell C12';
    const shown = (value: number, format: string) => phoneText({ kind: 'number', value, text: String(value), format }, at, 'p.xlsx');
    for (const format of ['"05364"00000', '[=96475]"0536496475";0', '\\0#########', '0%', '0,', '#,##0,,', '"+33 "0 00 00 00 00']) {
      expect([format, shown(96475, format)]).toEqual([format, { unreadable: 'number-format' }]);
    }
    for (const format of ['00 00 00 00 00', '0000000000', '#,##0', '[<=9999999]###-####;(###) ###-####', '"Tel: "0', '[Red]0', '[$-40C]0', '@', '# ?/?']) {
      expect([format, hidesDigits(format)]).toEqual([format, false]);
    }
    expect(shown(612345678, '00 00 00 00 00')).toBe('612345678');
    // digits in a currency text, bare digits, elapsed time: other digits than stored (a second hostile pass)
    for (const format of ['[$05364]00000', '[$05364-40C]00000', '053#######', '[hhhhhhhhhh]', '[ss]']) {
      expect([format, shown(96475, format)]).toEqual([format, { unreadable: 'number-format' }]);
    }
    const date = (format: string) => phoneText({ kind: 'date', value: 1671712, text: '1671712', format }, at, 'p.xlsx');
    expect(date('"053649"yyyy')).toEqual({ unreadable: 'number-format' });
    expect(date('yyyy-mm-dd')).toEqual({ unreadable: 'number-format' });
    // how long a run of digits a date format may show: a phone number's length is refused by the writer
    expect(['mmyyyydd""dd', 'hhmmssyyyy', '"053649"yyyy', '[h]', 'yyyy-mm-dd', 'dd/mm/yyyy hh:mm', 'dddd d mmmm yyyy'].map(longestDateDigits)).toEqual([10, 10, 10, Infinity, 4, 4, 4]);
    // only the sections that show a number count for a number: digits in the text section do not
    expect(shown(612345678, '0;-0;0;"Tel 1: "@')).toBe('612345678');
    expect(['[$€-40C]0', '[$-40C]0', '0;0;0;"Tel 1: "@', '0_@', '0*@'].some(hidesDigits)).toBe(false);
    // `@` as a padding or fill character is no text section: the number is shown through the literal (a third hostile pass)
    expect(['"0536496475"_@', '"05364"00000*@', '"0536496475"@;0;0'].every(hidesDigits)).toBe(true);
    // a text cell: only its format's text section counts (the fourth, or the one holding @)
    expect(['"05"@', '0;0;0;"05"@', '\\+@', '0;"+33 "@'].map(textSection)).toEqual(['"05"@', '"05"@', '\\+@', '"+33 "@']);
    expect(['@', 'General', '"05"0', '0;0;0;@', '"Tel"0;0'].map(textSection)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(phoneText({ kind: 'text', text: '36496475', shown: '"05"@' }, at, 'p.xlsx')).toEqual({ unreadable: 'number-format' });
    expect(phoneText({ kind: 'text', text: '0612345678', shown: '"Tél. "@' }, at, 'p.xlsx')).toBe('0612345678');
  });
});

describe.skipIf(!hasSsconvert)('scrubWorkbook', () => {
  it('refuses a workbook written to while it was scrubbed: the report would name other bytes than those read', async () => {
    await registry(['0612345679']);
    const file = workbook('prospects', [{ name: 'Feuil1', rows: prospects }]);
    const scrubDate = localDate(new Date());
    const screening = new Screening(pinLists(wrk.path('callscrub.db'), undefined, scrubDate, false).lists, dayOf(scrubDate) as number);
    const fs = await import('node:fs');
    const clean = new CsvRowWriter(hashSink(), ',');
    // Saved again by its program as its second row is written.
    let rows = 0;
    const touching = { ...clean, begin: clean.begin.bind(clean), header: clean.header.bind(clean), end: clean.end.bind(clean), abort: clean.abort.bind(clean), row: async (cells: readonly Cell[]) => {
      if (++rows === 2) fs.appendFileSync(file, Buffer.from('x'));
      await clean.row(cells);
    } };
    const settings = { phoneColumns: [], notPhoneColumns: [], checkContent: true, header: true, country: 'FR', policy: 'row' as const, encoding: 'auto' as const, delimiter: 'auto' as const, allowUnscreened: false, dedupe: false };
    const failed = await scrubWorkbook(openSource(file, process.stdin, 'prospects.xlsx'), screening, settings, { clean: touching, excluded: undefined, invalid: undefined }, { rows: 0, bytes: 0 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(CallscrubError);
    expect((failed as CallscrubError).toLine()).toBe('prospects.xlsx: the workbook changed while it was scrubbed (scrub it again once it is saved and closed)');
  });

  it('classifies each row as the CSV scrub does the same cells, and writes CSV and workbook outputs', async () => {
    await registry(['0612345679']);
    const file = workbook('prospects', [{ name: 'Feuil1', rows: prospects }]);
    const scrubDate = localDate(new Date());
    const pinned = pinLists(wrk.path('callscrub.db'), undefined, scrubDate, false);
    const screening = new Screening(pinned.lists, dayOf(scrubDate) as number);
    const sinks = { clean: hashSink(), excluded: hashSink(), invalid: hashSink() };
    const chunks = { clean: [] as Buffer[], invalid: [] as Buffer[] };
    const clean = hashSink((b) => chunks.clean.push(Buffer.from(b)));
    const invalid = hashSink((b) => chunks.invalid.push(Buffer.from(b)));
    const result = await scrubWorkbook(
      openSource(file, process.stdin, 'prospects.xlsx'),
      screening,
      {
        phoneColumns: [],
        notPhoneColumns: [],
        checkContent: true,
        header: true,
        country: 'FR',
        policy: 'row',
        encoding: 'auto',
        delimiter: 'auto',
        allowUnscreened: false,
        dedupe: false,
      },
      { clean: new CsvRowWriter(clean, ','), excluded: new XlsxRowWriter(sinks.excluded, 'excluded.xlsx'), invalid: new CsvRowWriter(invalid, ';') },
      { rows: 0, bytes: 0 },
    );
    expect(result.sheet).toBe('Feuil1');
    expect(result.header).toEqual(['Nom', 'Téléphone', 'Ville']);
    expect(result.phoneColumns).toEqual([{ index: 1, name: 'Téléphone' }]);
    expect(result.counts).toMatchObject({ rowsIn: 7, rowsClean: 3, rowsExcluded: 1, rowsInvalid: 3, byReason: { listed: 1, formula: 2, 'invalid-number': 1 } });
    expect([...result.exclusions.entries()].map((e) => [e.row, e.reason])).toEqual([
      [2, 'listed'],
      [5, 'formula'],
      [6, 'invalid-number'],
      [7, 'formula'],
    ]);
    const cleanText = Buffer.concat(chunks.clean).toString('utf8');
    expect(cleanText).toBe('\ufeffNom,Téléphone,Ville\r\nAlice,612345678,Lyon\r\nChloé,612345680,2\r\nDenis,0612345681,Nice\r\n');
    const invalidText = Buffer.concat(chunks.invalid).toString('utf8');
    expect(invalidText.split('\r\n')).toEqual([
      '\ufeffNom;Téléphone;Ville;callscrub_reason;callscrub_detail',
      'Eve;0612345682;Brest;formula;"Téléphone: formula (=CONCATENATE(""06"",""12345682"")), not a stored number"',
      expect.stringMatching(/^Félix;612345\.5;Metz;invalid-number;Téléphone: /),
      "Gaëlle;1;'-5+A1;formula;Téléphone: formula (=SUM(1)), not a stored number",
      '',
    ]);
  });
});

/** The CSV an Excel export of `prospects` gives (numbers as Excel shows them, formulas by their value). */
const prospectsCsv = 'Nom,Téléphone,Ville\r\nAlice,612345678,Lyon\r\nBruno,33612345679,Paris\r\nChloé,612345680,2\r\nDenis,0612345681,Nice\r\nFélix,612345.5,Metz\r\n';

describe.skipIf(!hasSsconvert)('callscrub scrub INPUT.xlsx', () => {
  const scrub = async (argv: string[]) => {
    const outcome = await wrk.run(['scrub', ...argv, '--json']);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    return JSON.parse(outcome.stdout);
  };

  it('gives each row the verdict the CSV scrub gives the same cells, and writes CSV outputs in UTF-8 with a BOM', async () => {
    await registry(['0612345679']);
    workbook('prospects', [{ name: 'Feuil1', rows: prospects }]);
    const summary = await scrub(['prospects.xlsx', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv']);
    expect(summary).toMatchObject({ rowsIn: 7, rowsClean: 3, rowsExcluded: 1, rowsInvalid: 3, byReason: { formula: 2, 'invalid-number': 1, listed: 1 } });
    expect(summary.input).toMatchObject({ path: 'prospects.xlsx', sheet: 'Feuil1', phoneColumns: ['Téléphone'], encoding: 'utf-8', delimiter: ',' });
    const { createHash } = await import('node:crypto');
    const fs = await import('node:fs');
    expect(summary.input.sha256).toBe(createHash('sha256').update(fs.readFileSync(wrk.path('prospects.xlsx'))).digest('hex'));
    expect(summary.input.bytes).toBe(fs.statSync(wrk.path('prospects.xlsx')).size);
    expect(wrk.read('clean.csv')).toBe('\ufeffNom,Téléphone,Ville\r\nAlice,612345678,Lyon\r\nChloé,612345680,2\r\nDenis,0612345681,Nice\r\n');
    expect(wrk.read('excluded.csv')).toMatch(/^\ufeffNom,Téléphone,Ville,callscrub_reason,callscrub_detail\r\nBruno,33612345679,Paris,listed,Téléphone: listed \(bloctel v1\)\r\n$/);
    expect(wrk.read('invalid.csv').split('\r\n').map((l) => l.split(',')[0])).toEqual(['\ufeffNom', 'Eve', 'Félix', 'Gaëlle', '']);

    // The same cells as a CSV export: the same verdicts, the same details.
    wrk.write('prospects.csv', prospectsCsv);
    const csv = await scrub(['prospects.csv', '--out', 'clean-csv.csv', '--excluded', 'excluded-csv.csv', '--invalid', 'invalid-csv.csv']);
    expect(csv.byNumberStatus).toEqual(
      Object.fromEntries(Object.entries(summary.byNumberStatus as Record<string, number>).filter(([, n]) => n > 0)),
    );
    expect(wrk.read('excluded-csv.csv').replace(/^\ufeff/, '')).toBe(wrk.read('excluded.csv').replace(/^\ufeff/, ''));
    const detail = (text: string, name: string) => text.split('\r\n').find((l) => l.startsWith(name));
    expect(detail(wrk.read('invalid.csv'), 'Félix')).toBe(detail(wrk.read('invalid-csv.csv'), 'Félix'));
  });

  it('writes .xlsx outputs cell for cell: types kept, the reason columns as text, read back by our reader and by Gnumeric', async () => {
    await registry(['0612345679']);
    workbook('prospects', [{ name: 'Feuil1', rows: prospects }]);
    const summary = await scrub(['prospects.xlsx', '--out', 'clean.xlsx', '--excluded', 'excluded.xlsx', '--invalid', 'invalid.csv']);
    expect(summary.rowsClean).toBe(3);
    const clean = await rowsOf(wrk.path('clean.xlsx'));
    expect(clean.map((cells) => cells.map((c) => c.kind))).toEqual([
      ['text', 'text', 'text'],
      ['text', 'number', 'text'],
      ['text', 'number', 'number'],
      ['text', 'text', 'text'],
    ]);
    expect(clean[1]?.[1]).toMatchObject({ kind: 'number', value: 612345678 });
    // a formula is written as its value: its references would point at other rows once rows are removed
    expect(clean[2]?.[2]).toMatchObject({ kind: 'number', value: 2 });
    const excluded = await rowsOf(wrk.path('excluded.xlsx'));
    expect(excluded).toEqual([
      ['Nom', 'Téléphone', 'Ville', 'callscrub_reason', 'callscrub_detail'].map((text) => ({ kind: 'text', text })),
      [{ kind: 'text', text: 'Bruno' }, expect.objectContaining({ kind: 'number', value: 33612345679 }), { kind: 'text', text: 'Paris' }, { kind: 'text', text: 'listed' }, { kind: 'text', text: 'Téléphone: listed (bloctel v1)' }],
    ]);
    run('ssconvert', ['clean.xlsx', 'clean-by-gnumeric.csv']);
    expect(wrk.read('clean-by-gnumeric.csv')).toBe('Nom,Téléphone,Ville\nAlice,612345678,Lyon\nChloé,612345680,2\nDenis,0612345681,Nice\n');
    run('ssconvert', ['excluded.xlsx', 'excluded-by-gnumeric.csv']);
    expect(wrk.read('excluded-by-gnumeric.csv')).toBe('Nom,Téléphone,Ville,callscrub_reason,callscrub_detail\nBruno,33612345679,Paris,listed,"Téléphone: listed (bloctel v1)"\n');
  });

  it('scrubs the sheet --sheet names (by name or position); refuses --sheet for a CSV or standard input, a workbook on standard input, and .xlsx outputs of a CSV', async () => {
    await registry(['0612345679']);
    workbook('two', [
      { name: 'Notes', rows: [['Sujet'], ['rien']] },
      { name: 'Rappels', rows: [['Nom', 'Mobile'], ['Alice', 'n:612345679'], ['Bruno', 'n:612345678']] },
    ]);
    for (const sheet of ['Rappels', '2']) {
      const outcome = await wrk.run(['scrub', 'two.xlsx', '--sheet', sheet, '--out', `clean-${sheet}.csv`, '--json']);
      expect(outcome.code).toBe(0);
      expect(outcome.stderr).toBe("warning: only sheet 'Rappels' was scrubbed; the workbook's other sheets were not: 'Notes'. Scrub another with --sheet NAME\n");
      const summary = JSON.parse(outcome.stdout);
      expect(summary).toMatchObject({ rowsIn: 2, rowsClean: 1, rowsExcluded: 1, input: { sheet: 'Rappels', phoneColumns: ['Mobile'], otherSheets: [{ name: 'Notes', state: 'visible' }] } });
    }
    const first = await wrk.run(['scrub', 'two.xlsx', '--out', 'clean.csv']);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/no phone column found in the header/);
    wrk.write('p.csv', 'nom,tel\na,0612345678\n');
    const csv = await wrk.run(['scrub', 'p.csv', '--sheet', '1', '--out', 'c.csv']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/--sheet goes with a workbook input/);
    const stdin = await wrk.run(['scrub', '-', '--sheet', '1', '--out', 'c.csv']);
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toMatch(/cannot be read from standard input/);
    const xlsxOut = await wrk.run(['scrub', 'p.csv', '--out', 'c.csv', '--excluded', 'e.xlsx']);
    expect(xlsxOut.code).toBe(2);
    expect(xlsxOut.stderr).toMatch(/--excluded e\.xlsx: the outputs of a CSV input are CSV/);
    const fs = await import('node:fs');
    const piped = await wrk.run(['scrub', '-', '--out', 'c.csv'], { stdin: fs.readFileSync(wrk.path('two.xlsx')) });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toBe('callscrub: <stdin> holds an Excel workbook, which cannot be read from standard input or a pipe (a zip is read from its end) (give the .xlsx file by its path)\n');
    expect(wrk.exists('c.csv')).toBe(false);
  });

  it('reads a sheet without a header with --no-header --phone-column N, and refuses --encoding for a workbook', async () => {
    await registry(['0612345679']);
    workbook('bare', [{ name: 'Feuil1', rows: [['Alice', 'n:612345679'], ['Bruno', 'n:612345678']] }]);
    const summary = await scrub(['bare.xlsx', '--no-header', '--phone-column', '2', '--out', 'clean.csv']);
    expect(summary).toMatchObject({ rowsIn: 2, rowsClean: 1, rowsExcluded: 1, input: { header: false, phoneColumns: ['column 2'] } });
    expect(wrk.read('clean.csv')).toBe('\ufeffBruno,612345678\r\n');
    const encoding = await wrk.run(['scrub', 'bare.xlsx', '--no-header', '--phone-column', '2', '--encoding', 'utf-8', '--out', 'other.csv']);
    expect(encoding.code).toBe(2);
    expect(encoding.stderr).toMatch(/--encoding is for a CSV input/);
  });

  it('scrubs a workbook LibreOffice saved from a French CSV: numbers that lost their 0 or + repaired, dates as ISO 8601 in CSV', async () => {
    await registry(['0612345678']);
    const fs = await import('node:fs');
    fs.copyFileSync(`${projectRoot}/test/fixtures/workbooks/libreoffice-fr.xlsx`, wrk.path('fr.xlsx'));
    const summary = await scrub(['fr.xlsx', '--out', 'clean.csv', '--excluded', 'excluded.csv']);
    expect(summary).toMatchObject({ rowsIn: 2, rowsExcluded: 2, byNumberStatus: { listed: 4 }, input: { sheet: 'fr', phoneColumns: ['telephone', 'mobile'] } });
    expect(wrk.read('excluded.csv')).toBe(
      '\ufeffnom,telephone,montant,rappel,mobile,callscrub_reason,callscrub_detail\r\n' +
        'Élise,612345678,1234.56,2024-03-15,06 12 34 56 78,listed,telephone: listed (bloctel v1); mobile: listed (bloctel v1)\r\n' +
        'Bruno,33612345678,-0.5,2026-12-01,33612345678,listed,telephone: listed (bloctel v1); mobile: listed (bloctel v1)\r\n',
    );
  });

  it('blanks a blocked number in its cell with --policy number, and excludes a repeated number with --dedupe', async () => {
    await registry(['0612345679']);
    workbook('two-numbers', [
      {
        name: 'Feuil1',
        rows: [
          ['Nom', 'Mobile', 'Fixe'],
          ['Alice', 'n:612345679', 'n:153010000'],
          ['Bruno', 'n:612345678', ''],
          ['Chloé', '0612345678', ''],
        ],
      },
    ]);
    const blanked = await scrub(['two-numbers.xlsx', '--policy', 'number', '--out', 'clean.xlsx']);
    expect(blanked).toMatchObject({ rowsClean: 3, rowsRewritten: 1 });
    const clean = await rowsOf(wrk.path('clean.xlsx'));
    expect(clean[1]).toEqual([{ kind: 'text', text: 'Alice' }, { kind: 'empty' }, expect.objectContaining({ kind: 'number', value: 153010000 })]);
    const deduped = await scrub(['two-numbers.xlsx', '--dedupe', '--out', 'clean.csv', '--excluded', 'excluded.csv']);
    expect(deduped).toMatchObject({ rowsClean: 1, rowsExcluded: 2, byReason: { listed: 1, duplicate: 1 } });
    expect(wrk.read('excluded.csv')).toContain('Chloé,0612345678,,duplicate,Mobile: duplicate\r\n');
  });

  it('ends a bad workbook in one line, exit 1, with no output file', async () => {
    await registry(['0612345679']);
    workbook('errors', [{ name: 'Feuil1', rows: [['Nom', 'Mobile'], ['Alice', 'n:612345678'], ['Bruno', 'e:#N/A']] }]);
    workbook('two', [{ name: 'Feuil1', rows: [['Nom', 'Mobile'], ['Alice', 'n:612345678']] }]);
    wrk.write('empty.gnumeric', gnumeric([{ name: 'Vide', rows: [] }]));
    run('ssconvert', ['empty.gnumeric', 'empty.xlsx']);
    wrk.write('legacy.gnumeric', gnumeric([{ name: 'Feuil1', rows: [['Nom', 'Mobile'], ['Alice', 'n:612345678']] }]));
    run('ssconvert', ['-T', 'Gnumeric_Excel:excel_biff8', 'legacy.gnumeric', 'legacy.xls']);
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('not a workbook'), 'notes.txt');
    zip.end();
    const zipped: Buffer[] = [];
    for await (const chunk of zip.outputStream) zipped.push(chunk as Buffer);
    wrk.write('archive.xlsx', Buffer.concat(zipped));
    const cases: Array<[string[], RegExp]> = [
      [['archive.xlsx'], /^callscrub: archive\.xlsx: a zip file, but not an \.xlsx workbook \(no xl\/workbook\.xml\) \(.+\)\n$/],
      [['errors.xlsx'], /^callscrub: errors\.xlsx: sheet Feuil1, cell B3: #N\/A in a phone column \(.+\)\n$/],
      [['two.xlsx', '--sheet', 'Absente'], /^callscrub: two\.xlsx: no sheet 'Absente' in the workbook \(its sheets: 'Feuil1'\) \(.+\)\n$/],
      [['empty.xlsx'], /^callscrub: empty\.xlsx: sheet 'Vide' is empty: it has no row \(.+\)\n$/],
      [['legacy.xls'], /^callscrub: legacy\.xls: this is an Excel 97-2003 workbook \(\.xls\), not an \.xlsx \(.+\)\n$/],
    ];
    for (const [argv, message] of cases) {
      const outcome = await wrk.run(['scrub', ...argv, '--out', 'clean.xlsx', '--excluded', 'excluded.csv']);
      expect(outcome.stderr).toMatch(message);
      expect(outcome.code).toBe(1);
      expect(wrk.exists('clean.xlsx')).toBe(false);
      expect(wrk.exists('excluded.csv')).toBe(false);
    }
  });

  it('records the sheet and the SHA-256 of the file in the signed report; verify --replay passes, and fails once a cell changed', async () => {
    await registry(['0612345679']);
    expect((await wrk.run(['keygen', '--out', 'signer'])).code).toBe(0);
    workbook('prospects', [{ name: 'Feuil1', rows: prospects }]);
    const scrubbed = await wrk.run(['scrub', 'prospects.xlsx', '--out', 'clean.xlsx', '--excluded', 'excluded.csv', '--invalid', 'invalid.xlsx', '--report', 'report.json', '--key', 'signer.key', '--quiet']);
    expect(scrubbed.stderr).toBe('');
    expect(scrubbed.code).toBe(0);
    const { createHash } = await import('node:crypto');
    const fs = await import('node:fs');
    const statement = JSON.parse(Buffer.from(JSON.parse(wrk.read('report.json')).payload, 'base64').toString('utf8'));
    const input = statement.predicate.input;
    expect(input).toMatchObject({ name: 'prospects.xlsx', sheet: 'Feuil1', rows: 7, sha256: createHash('sha256').update(fs.readFileSync(wrk.path('prospects.xlsx'))).digest('hex') });
    const shown = await wrk.run(['report', 'show', 'report.json']);
    expect(shown.stdout + shown.stderr).toContain('input prospects.xlsx: 7 rows, workbook, sheet Feuil1, phone columns Téléphone, SHA-256');
    expect((await wrk.run(['report', 'html', 'report.json', '--pubkey', 'signer.pub', '--html', 'report.html'])).code).toBe(0);
    expect(wrk.read('report.html')).toMatch(/Sheet \(an Excel workbook\)<\/[a-z]+>\s*<[a-z]+[^>]*><code>Feuil1<\/code>/);
    const verify = () => wrk.spawn(['verify', 'report.json', '--pubkey', 'signer.pub', '--input', 'prospects.xlsx', '--out', 'clean.xlsx', '--excluded', 'excluded.csv', '--invalid', 'invalid.xlsx', '--replay']);
    const verified = await verify();
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    // Bruno's number changed in the workbook: the file's digest and the replay both differ.
    workbook('prospects', [{ name: 'Feuil1', rows: prospects.map((row) => (row[0] === 'Bruno' ? ['Bruno', 'n:33612345699', 'Paris'] : row)) }]);
    const changed = await verify();
    expect(changed.code).toBe(4);
    expect(changed.stderr).toMatch(/input differs/);
    // The replay on its own (verify stops at the first check that fails): Bruno's row is clean now.
    const { replay } = await import('../src/report/replay.js');
    const replayed = await replay(statement, openSource(wrk.path('prospects.xlsx'), process.stdin, 'prospects.xlsx'), wrk.path('callscrub.db'), 'report.json').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(replayed).toBeInstanceOf(CallscrubError);
    expect((replayed as CallscrubError).exitCode).toBe(4);
    expect((replayed as CallscrubError).message).toBe('the replay differs: rowsClean is 4, the report has 3');
  });
});
