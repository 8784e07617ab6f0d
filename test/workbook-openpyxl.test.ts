// Workbooks as openpyxl writes them (Python's Excel library, Debian's python3-openpyxl: a program nobody on the
// project wrote), with what openpyxl does and Gnumeric does not: formulas stored with no cached value (openpyxl
// never calculates), hidden sheets, number formats chosen by the writer (scientific notation, as Excel gives a number
// typed or pasted as 6,12E+08), rows of empty text. Each case is one a hostile pass found on issue 14's branch.

import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cell, SheetRow } from '../src/workbook/cell.js';
import { readWorkbook } from '../src/workbook/reader.js';
import { daysAgo, Workdir } from './workdir.js';

/** Debian's Python, which python3-openpyxl installs into (a python3 earlier on the PATH may lack it). */
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import openpyxl']).status === 0);
if (python === undefined) console.warn('openpyxl workbook tests skipped: python3-openpyxl not installed (apt-get install --no-install-recommends python3-openpyxl)');
const hasSsconvert = spawnSync('sh', ['-c', 'command -v ssconvert']).status === 0;

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

/** Runs a Python script with openpyxl imported as `op` and a workbook `wb`, saved as `name` at the end. */
function openpyxl(name: string, script: string): void {
  const program = `import openpyxl as op\nwb = op.Workbook()\nws = wb.active\n${script}\nwb.save(${JSON.stringify(name)})\n`;
  const result = spawnSync(python as string, ['-c', program], { cwd: wrk.dir, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
}

async function registry(): Promise<void> {
  // 0536496475 listed; 0612345000 listed too: the number a rounded 6,12E+08 would dial
  wrk.write('opposition.txt', '0536496475\n0612345000\n');
  const imported = await wrk.run(['registry', 'import', 'opposition.txt', '--list', 'bloctel', '--as-of', daysAgo(2), '--covers', '33', '--quiet']);
  expect(imported.stderr).toBe('');
}

async function rowsOf(file: string): Promise<Cell[][]> {
  const rows: SheetRow[] = [];
  for await (const row of await readWorkbook(file)) rows.push(row);
  return rows.map((r) => r.cells);
}

describe.skipIf(python === undefined)('workbooks written by openpyxl', () => {
  it('writes a formula outside the phone columns as its value, and one never calculated as empty, saying so: a clean sheet never computes a number', async () => {
    await registry();
    // C computes a listed number and has no cached value (openpyxl stores none); D is relative to its row.
    openpyxl(
      'p.xlsx',
      `ws.append(['Prenom', 'Telephone', 'Contact', 'Nom complet'])
for i, (name, tel) in enumerate([('Jean', '0612345678'), ('Paul', '0536496475'), ('Anne', '0612345679')], start=2):
    ws.append([name, tel, '=536496475+0', f'=A{i}&" "&B{i}'])`,
    );
    const scrubbed = await wrk.run(['scrub', 'p.xlsx', '--out', 'clean.xlsx', '--excluded', 'excluded.csv', '--not-phone-column', 'Contact', '--json']);
    expect(scrubbed.code).toBe(0);
    expect(scrubbed.stderr).toBe(
      'warning: 6 formula cells have no stored value (the workbook was saved without being calculated): they are empty in the outputs. Open the workbook in Excel or LibreOffice, save it, and scrub it again to keep their values\n',
    );
    expect(JSON.parse(scrubbed.stdout)).toMatchObject({ rowsIn: 3, rowsClean: 2, rowsExcluded: 1, input: { formulasWithoutValue: 6 } });
    const clean = await rowsOf(wrk.path('clean.xlsx'));
    expect(clean).toEqual([
      ['Prenom', 'Telephone', 'Contact', 'Nom complet'].map((text) => ({ kind: 'text', text })),
      [{ kind: 'text', text: 'Jean' }, { kind: 'text', text: '0612345678' }],
      [{ kind: 'text', text: 'Anne' }, { kind: 'text', text: '0612345679' }],
    ]);
    expect(wrk.read('excluded.csv')).toContain('Paul,0536496475,,,listed');
  });

  it.skipIf(!hasSsconvert)('keeps what a formula showed, not what it would compute in its new row, once calculated by a spreadsheet program', async () => {
    await registry();
    openpyxl(
      'calc.xlsx',
      `ws.append(['Prenom', 'Nom', 'Telephone', 'Nom complet'])
for i, (first, last, tel) in enumerate([('Jean', 'Martin', '0612345678'), ('Paul', 'Listed', '0536496475'), ('Anne', 'Durand', '0612345679'), ('Zoe', 'Roux', '0612345670')], start=2):
    ws.append([first, last, tel, f'=A{i}&" "&B{i}'])`,
    );
    // Gnumeric calculates the formulas and stores their values, as Excel would on saving.
    const converted = spawnSync('ssconvert', ['--recalc', 'calc.xlsx', 'calculated.xlsx'], { cwd: wrk.dir, encoding: 'utf8' });
    expect(converted.status, converted.stderr).toBe(0);
    expect((await wrk.run(['scrub', 'calculated.xlsx', '--out', 'clean.xlsx', '--excluded', 'excluded.xlsx', '--quiet'])).code).toBe(0);
    // Opened and calculated again, as a user's spreadsheet would: every row keeps its own full name.
    for (const output of ['clean', 'excluded']) {
      const again = spawnSync('ssconvert', ['--recalc', `${output}.xlsx`, `${output}.csv`], { cwd: wrk.dir, encoding: 'utf8' });
      expect(again.status, again.stderr).toBe(0);
    }
    expect(wrk.read('clean.csv')).toBe('Prenom,Nom,Telephone,"Nom complet"\nJean,Martin,0612345678,"Jean Martin"\nAnne,Durand,0612345679,"Anne Durand"\nZoe,Roux,0612345670,"Zoe Roux"\n');
    expect(wrk.read('excluded.csv')).toMatch(/^Prenom,Nom,Telephone,"Nom complet",callscrub_reason,callscrub_detail\nPaul,Listed,0536496475,"Paul Listed",listed,/);
  });

  it('reads a number shown in scientific notation as a CSV would show it: 612345000 shown 6,12E+08 is unreadable, 612345678 is read', async () => {
    await registry();
    openpyxl(
      'sci.xlsx',
      `ws.append(['Nom', 'Telephone'])
for name, value, fmt in [('Rounded', 612345000, '0.00E+00'), ('Exact', 612345678, '0.00E+00'), ('Engineering', 612345000, '##0.0E+0'), ('General', 612345000, 'General')]:
    ws.append([name, value])
    ws.cell(row=ws.max_row, column=2).number_format = fmt`,
    );
    const scrubbed = await wrk.run(['scrub', 'sci.xlsx', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--json']);
    expect(scrubbed.stderr).toBe('');
    expect(JSON.parse(scrubbed.stdout)).toMatchObject({ rowsIn: 4, rowsClean: 1, rowsExcluded: 3, byReason: { unreadable: 2, listed: 1 } });
    expect(wrk.read('clean.csv')).toBe('\ufeffNom,Telephone\r\nExact,612345678\r\n');
    const excluded = wrk.read('excluded.csv');
    expect(excluded).toContain('Rounded,612345000,unreadable,Telephone: unreadable (excel-mangled)');
    expect(excluded).toContain('Engineering,612345000,unreadable,Telephone: unreadable (excel-mangled)');
    // In the General format nothing says digits were lost: the number is read, and here it is listed.
    expect(excluded).toContain('General,612345000,listed,Telephone: listed (bloctel v1)');
  });

  it('never takes a number whose format shows other digits than it stores: unreadable in a phone column, and read as shown by the column check', async () => {
    await registry();
    // 96475 shown as 0536496475 by its format, beside a callable mobile: the clean file would show the listed number
    openpyxl(
      'shown.xlsx',
      `ws.append(['Nom', 'Telephone', 'Mobile'])
for name, value, fmt in [('Literal', 96475, '"05364"00000'), ('Condition', 96475, '[=96475]"0536496475";0'), ('Spaced', 612345679, '00 00 00 00 00'), ('Text', '36496475', '"05"@')]:
    ws.append([name, value, '0612345678'])
    ws.cell(row=ws.max_row, column=2).number_format = fmt`,
    );
    const scrubbed = await wrk.run(['scrub', 'shown.xlsx', '--out', 'clean.xlsx', '--excluded', 'excluded.csv', '--json']);
    expect(scrubbed.stderr).toBe('');
    expect(JSON.parse(scrubbed.stdout)).toMatchObject({ rowsIn: 4, rowsClean: 1, rowsExcluded: 3, byReason: { unreadable: 3 } });
    expect(wrk.read('excluded.csv')).toContain('Literal,96475,0612345678,unreadable,Telephone: unreadable (number-format)');
    // a text cell shown through "05"@ is 0536496475 on screen
    expect(wrk.read('excluded.csv')).toContain('Text,36496475,0612345678,unreadable,Telephone: unreadable (number-format)');
    // The same numbers in a column that is not screened: read as shown, so the column check stops the scrub.
    openpyxl(
      'refs.xlsx',
      `ws.append(['Nom', 'Telephone', 'Ref'])
for name, ref, fmt in [('A', 96475, '"05364"00000'), ('B', 536496475.0000001, 'General'), ('C', 536496475000, '0,'), ('D', 536496476.0000001, 'General')]:
    ws.append([name, '0612345678', ref])
    ws.cell(row=ws.max_row, column=3).number_format = fmt`,
    );
    const refs = await wrk.run(['scrub', 'refs.xlsx', '--out', 'refs-clean.csv']);
    expect(refs.code).toBe(2);
    expect(refs.stderr).toMatch(/^callscrub: refs\.xlsx: column 'Ref' looks like phone numbers but is not screened/);
    expect(wrk.exists('refs-clean.csv')).toBe(false);
    openpyxl(
      'text-refs.xlsx',
      `ws.append(['Nom', 'Telephone', 'Ref'])
for name, ref in [('A', '36496475'), ('B', '36496476'), ('C', '36496477')]:
    ws.append([name, '0612345678', ref])
    ws.cell(row=ws.max_row, column=3).number_format = '"05"@'`,
    );
    const textRefs = await wrk.run(['scrub', 'text-refs.xlsx', '--out', 'text-refs-clean.csv']);
    expect(textRefs.code).toBe(2);
    expect(textRefs.stderr).toMatch(/column 'Ref' looks like phone numbers but is not screened/);
  });

  it('lets a listed number beside a formula exclude its row, and writes a +33 number of a workbook to a clean CSV as it is', async () => {
    await registry();
    openpyxl(
      'mixed.xlsx',
      `ws.append(['Nom', 'Telephone', 'Mobile'])
ws.append(['Paul', '=536490001+0', '0536496475'])
ws.append(['Anne', '=536490001+0', '0612345679'])
ws.append(['Zoe', '+33 6 12 34 56 70', '=1+1'])`,
    );
    const scrubbed = await wrk.run(['scrub', 'mixed.xlsx', '--phone-column', 'Telephone', '--not-phone-column', 'Mobile', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--json']);
    expect(JSON.parse(scrubbed.stdout)).toMatchObject({ rowsIn: 3, rowsClean: 1, rowsInvalid: 2, byReason: { formula: 2 } });
    const both = await wrk.run(['scrub', 'mixed.xlsx', '--out', 'clean2.csv', '--excluded', 'excluded2.csv', '--invalid', 'invalid2.csv', '--json']);
    expect(JSON.parse(both.stdout)).toMatchObject({ rowsIn: 3, rowsClean: 0, rowsExcluded: 1, rowsInvalid: 2, byReason: { listed: 1, formula: 2 } });
    expect(wrk.read('excluded2.csv')).toContain('Paul,,0536496475,listed,Mobile: listed (bloctel v1)');
    expect(wrk.read('clean.csv')).toBe('\ufeffNom,Telephone,Mobile\r\nZoe,+33 6 12 34 56 70,\r\n');
  });

  it('scrubs the first visible sheet, not a hidden one before it, and names the sheets left out', async () => {
    await registry();
    openpyxl(
      'hidden.xlsx',
      `ws.title = 'Old'
ws.sheet_state = 'hidden'
ws.append(['Nom', 'Telephone'])
ws.append(['Old row', '0612345678'])
visible = wb.create_sheet('Prospects')
visible.append(['Nom', 'Telephone'])
visible.append(['Paul', '0536496475'])
visible.append(['Anne', '0612345679'])
wb.active = 1
notes = wb.create_sheet('Notes')
notes.append(['rien'])`,
    );
    const scrubbed = await wrk.run(['scrub', 'hidden.xlsx', '--out', 'clean.csv', '--json']);
    expect(scrubbed.code).toBe(0);
    expect(scrubbed.stderr).toBe(
      "warning: only sheet 'Prospects' was scrubbed; the workbook's other sheets were not: 'Old' (hidden), 'Notes' (hidden sheets are never taken by default). Scrub another with --sheet NAME\n",
    );
    expect(JSON.parse(scrubbed.stdout)).toMatchObject({ rowsIn: 2, rowsClean: 1, rowsExcluded: 1, input: { sheet: 'Prospects', otherSheets: [{ name: 'Old', state: 'hidden' }, { name: 'Notes', state: 'visible' }] } });
    expect(wrk.read('clean.csv')).toBe('\ufeffNom,Telephone\r\nAnne,0612345679\r\n');
    // Named, a hidden sheet is scrubbed.
    const named = await wrk.run(['scrub', 'hidden.xlsx', '--sheet', 'Old', '--out', 'old.csv', '--json']);
    expect(JSON.parse(named.stdout)).toMatchObject({ rowsIn: 1, input: { sheet: 'Old' } });
  });

  it('counts a row of empty text, and rows the file leaves out, as blank lines, not as rows; names the header row in its errors', async () => {
    await registry();
    openpyxl(
      'blank.xlsx',
      `ws['A3'] = 'Nom'
ws['B3'] = 'Telephone'
ws['A4'] = 'Anne'
ws['B4'] = '0612345679'
ws['A5'] = ''
ws['B5'] = ''
ws['A8'] = 'Paul'
ws['B8'] = '0536496475'`,
    );
    const scrubbed = await wrk.run(['scrub', 'blank.xlsx', '--out', 'clean.csv', '--invalid', 'invalid.csv', '--json']);
    expect(scrubbed.stderr).toBe('');
    // rows 1-2 above the header, and rows 5-7 between Anne and Paul
    expect(JSON.parse(scrubbed.stdout)).toMatchObject({ rowsIn: 2, rowsClean: 1, rowsExcluded: 1, rowsInvalid: 0, input: { blankLines: 5 } });
    expect(wrk.read('invalid.csv')).toBe('\ufeffNom,Telephone,callscrub_reason,callscrub_detail\r\n');
    // The header is on the sheet's row 3: errors about it say so.
    const unknown = await wrk.run(['scrub', 'blank.xlsx', '--phone-column', 'Mobile', '--out', 'c.csv']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^callscrub: blank\.xlsx:3: no column 'Mobile'/);
  });
});

describe.skipIf(python === undefined)('rows as a user leaves them (found by a hostile pass)', () => {
  it('says how many hidden rows were scrubbed, and gives a phone formula showing nothing the reason formula', async () => {
    await registry();
    openpyxl(
      'rows.xlsx',
      `ws.append(['Nom', 'Telephone', 'Source'])
ws.append(['Anne', '0612345679', ''])
ws.append(['Paul', '0536496475', ''])
ws.row_dimensions[3].hidden = True
ws.append(['Eve', '=IF(C4="","",C4)', ''])`,
    );
    // Gnumeric calculates the formula and stores its value, "", as Excel would on saving
    wrk.program('ssconvert', ['--recalc', 'rows.xlsx', 'calculated.xlsx']);
    const scrubbed = await wrk.run(['scrub', 'calculated.xlsx', '--out', 'clean.csv', '--invalid', 'invalid.csv', '--json']);
    expect(scrubbed.stderr).toBe('warning: 1 rows are hidden in the sheet (by a filter, or by hand): they were scrubbed like the others, and the outputs show them\n');
    expect(JSON.parse(scrubbed.stdout)).toMatchObject({ rowsIn: 3, rowsClean: 1, rowsExcluded: 1, rowsInvalid: 1, byReason: { listed: 1, formula: 1 }, input: { hiddenRows: 1 } });
  });

  it('puts the windows of --schedule under their headers, and the reason under its header, when a row is wider than the header', async () => {
    await registry();
    openpyxl('wide.xlsx', `ws.append(['Nom', 'Telephone'])\nws.append(['Zoe', '0612345679', 'note à droite'])\nws.append(['Paul', '0536496475', 'autre note'])`);
    const scrubbed = await wrk.run(['scrub', 'wide.xlsx', '--rules', 'fr', '--schedule', '--out', 'clean.xlsx', '--excluded', 'excluded.csv', '--json']);
    expect(scrubbed.code).toBe(0);
    const clean = await rowsOf(wrk.path('clean.xlsx'));
    expect(clean[0]?.map((c) => (c.kind === 'text' ? c.text : c.kind))).toEqual(['Nom', 'Telephone', 'callscrub_timezone', 'callscrub_window_start', 'callscrub_window_end']);
    expect(clean[1]?.[2]).toEqual({ kind: 'text', text: 'Europe/Paris' });
    expect(clean[1]?.[5]).toEqual({ kind: 'text', text: 'note à droite' });
    expect(wrk.read('excluded.csv').split('\r\n')[1]).toBe('Paul,0536496475,listed,Telephone: listed (bloctel v1),autre note');
    // the same rows as CSV: the windows under their headers too
    wrk.write('wide.csv', 'Nom,Telephone\nZoe,0612345679,note à droite\n');
    expect((await wrk.run(['scrub', 'wide.csv', '--rules', 'fr', '--schedule', '--out', 'clean-csv.csv', '--quiet'])).code).toBe(0);
    const line = wrk.read('clean-csv.csv').split('\n')[1]?.split(',') ?? [];
    expect([line[0], line[2], line[5]]).toEqual(['Zoe', 'Europe/Paris', 'note à droite']);
  });
});

describe.skipIf(python === undefined)('workbooks without a header', () => {
  it('screens with --no-header --phone-column N a column the first row leaves empty', async () => {
    await registry();
    openpyxl('nohead.xlsx', `ws.append(['Anne', 'Lyon'])\nws.append(['Paul', 'Paris', None, '0536496475'])\nws.append(['Zoe', 'Nice', None, '0612345679'])`);
    const scrubbed = await wrk.run(['scrub', 'nohead.xlsx', '--no-header', '--phone-column', '4', '--out', 'clean.csv', '--json']);
    expect(scrubbed.stderr).toBe('');
    expect(JSON.parse(scrubbed.stdout)).toMatchObject({ rowsIn: 3, rowsClean: 1, rowsExcluded: 1, rowsInvalid: 1 });
    expect(wrk.read('clean.csv')).toBe('\ufeffZoe,Nice,,0612345679\r\n');
  });
});

describe('workbook outputs and options', () => {
  it('refuses an output named as a spreadsheet callscrub does not write, before reading anything', async () => {
    wrk.write('p.csv', 'nom,tel\na,0612345678\n');
    for (const [option, name] of [['--out', 'clean.xlsm'], ['--excluded', 'ex.XLS'], ['--invalid', 'inv.ods']]) {
      const outcome = await wrk.run(['scrub', 'p.csv', '--out', 'c.csv', option as string, name as string]);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(new RegExp(`^callscrub: ${option} ${(name as string).replace('.', '\\.')}: callscrub writes an output as an \\.xlsx workbook or as CSV, not as \\.${(name as string).split('.')[1]?.toLowerCase()} \\(name it \\.xlsx for a workbook, or \\.csv\\)\\n$`));
      expect(wrk.exists(name as string)).toBe(false);
    }
  });

  it.skipIf(python === undefined)('says that --threads does not apply to a workbook', async () => {
    await registry();
    openpyxl('t.xlsx', `ws.append(['Nom', 'Telephone'])\nws.append(['Anne', '0612345679'])`);
    const outcome = await wrk.run(['scrub', 't.xlsx', '--threads', '4', '--out', 'c.csv', '--json']);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toBe('warning: --threads has no effect on a workbook: its rows are read from one zip entry, on one thread\n');
  });
});
