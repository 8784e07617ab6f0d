// Scrubbing .xlsx workbooks (issue 14): workbooks written by Gnumeric's ssconvert (a program nobody on the project
// wrote) from Gnumeric XML with explicit cell types, scrubbed, and their outputs read back by our reader and by
// ssconvert. Each verdict is the one the CSV scrub gives the same cells written as a CSV export would have them.

import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayOf, localDate } from '../src/dates.js';
import { CallscrubError } from '../src/errors.js';
import { hashSink } from '../src/io/sink.js';
import { openSource } from '../src/io/source.js';
import { pinLists } from '../src/scrub/pinned.js';
import { Screening } from '../src/scrub/screening.js';
import { CsvRowWriter, integerDigits, phoneText, scrubWorkbook, XlsxRowWriter } from '../src/scrub/workbook-scrub.js';
import type { Cell, SheetRow } from '../src/workbook/cell.js';
import { readWorkbook } from '../src/workbook/reader.js';
import { gnumeric } from './gnumeric.js';
import { daysAgo, Workdir } from './workdir.js';

const hasSsconvert = spawnSync('sh', ['-c', 'command -v ssconvert']).status === 0;
if (!hasSsconvert) console.warn('workbook scrub tests skipped: ssconvert not installed (apt-get install --no-install-recommends gnumeric)');

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: wrk.dir, encoding: 'utf8', timeout: 120_000 });
  expect(result.status, `${command} ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

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
  ['Gaëlle', '=SUM(1)', '-5'], // text that would act as a formula in a CSV
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

  it('reads numbers and dates by their stored value, marks formulas, and stops at an error value naming the cell', () => {
    const at = () => 'sheet Feuil1, cell C12';
    expect(phoneText({ kind: 'number', value: 612345678, text: '6.12345678E8', format: 'General' }, at, 'p.xlsx')).toBe('612345678');
    expect(phoneText({ kind: 'number', value: 612345.5, text: '612345.5', format: 'General' }, at, 'p.xlsx')).toBe('612345.5');
    expect(phoneText({ kind: 'date', value: 612345678, text: '612345678', format: 'yyyy-mm-dd' }, at, 'p.xlsx')).toBe('612345678');
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
});

describe.skipIf(!hasSsconvert)('scrubWorkbook', () => {
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
      "Gaëlle;1;'-5;formula;Téléphone: formula (=SUM(1)), not a stored number",
      '',
    ]);
  });
});
