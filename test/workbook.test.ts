// Reading and writing .xlsx workbooks (src/workbook/, issue 14), tested on workbooks written by programs nobody on
// the project wrote: Gnumeric's ssconvert (from Debian's packages; .ci/run installs it) converts Gnumeric XML written
// here with explicit cell types, and reads back what our writer writes; LibreOffice's files are committed under
// test/fixtures/workbooks/ (its README says how each was made), and LibreOffice itself is used where installed.
// Cases that need a missing program are skipped, saying why.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallscrubError } from '../src/errors.js';
import type { Cell, SheetRow } from '../src/workbook/cell.js';
import { columnName, columnOf } from '../src/workbook/cell.js';
import { PartDecoder, sniffEncoding } from '../src/workbook/decode.js';
import { readWorkbook, type ReadOptions } from '../src/workbook/reader.js';
import { WorkbookWriter } from '../src/workbook/writer.js';
import { gnumeric } from './gnumeric.js';
import { projectRoot, Workdir } from './workdir.js';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const hasSsconvert = has('ssconvert');
const hasSoffice = has('soffice');
if (!hasSsconvert) console.warn('workbook tests with Gnumeric skipped: ssconvert not installed (apt-get install --no-install-recommends gnumeric)');
if (!hasSoffice) console.warn('workbook test with a live LibreOffice skipped: soffice not installed (its committed files are still read)');

const fixtures = path.join(projectRoot, 'test/fixtures/workbooks');

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

const run = (command: string, args: string[]): string => wrk.program(command, args);

/** Every row of a sheet, with the sheet's name and position. */
async function readAll(file: string, options: ReadOptions = {}): Promise<{ name: string; index: number; sheets: readonly string[]; rows: SheetRow[] }> {
  const sheet = await readWorkbook(file, options);
  const rows: SheetRow[] = [];
  for await (const row of sheet) rows.push(row);
  return { name: sheet.name, index: sheet.index, sheets: sheet.sheets, rows };
}

/** The error a read ends in. */
async function failure(file: string, options: ReadOptions = {}): Promise<CallscrubError> {
  try {
    await readAll(file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(CallscrubError);
    return error as CallscrubError;
  }
  throw new Error(`${file} was read without an error`);
}

/** A part of a zip package, as text. */
async function part(file: string, name: string): Promise<string> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        zip.once('entry', resolve);
        zip.once('end', () => resolve(undefined));
        zip.once('error', reject);
        zip.readEntry();
      });
      if (entry === undefined) throw new Error(`no part ${name} in ${file}`);
      if (entry.fileName !== name) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
  } finally {
    zip.close();
  }
}

/** A zip package of these parts, each as its text (in UTF-8) or its bytes. */
async function packageOf(parts: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, xml] of Object.entries(parts)) zip.addBuffer(Buffer.isBuffer(xml) ? xml : Buffer.from(xml), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const num = (value: number, text = String(value), format = 'General'): Cell => ({ kind: 'number', value, text, format });
const text = (t: string): Cell => ({ kind: 'text', text: t });
/** A cell as the writer writes it: a formula as its cached value (empty without one), anything else as it is. */
const asWritten = (cell: Cell): Cell => (cell.kind === 'formula' ? (cell.cached ?? { kind: 'empty' }) : cell);

describe('cell references', () => {
  it('turns column letters into numbers and back', () => {
    for (const [letters, n] of [['A', 1], ['Z', 26], ['AA', 27], ['AZ', 52], ['BA', 53], ['ZZ', 702], ['AAA', 703], ['XFD', 16384]] as const) {
      expect(columnOf(`${letters}12`)).toBe(n);
      expect(columnName(n)).toBe(letters);
    }
  });
});

describe.skipIf(!hasSsconvert)('a workbook saved by Gnumeric', () => {
  const convert = () => {
    fs.copyFileSync(path.join(fixtures, 'prospects.gnumeric'), wrk.path('prospects.gnumeric'));
    run('ssconvert', ['prospects.gnumeric', 'prospects.xlsx']);
    return wrk.path('prospects.xlsx');
  };

  it('gives each cell as stored: numbers as numbers with their exact text, text as text, formulas with their cached value', async () => {
    const { name, index, sheets, rows } = await readAll(convert());
    expect({ name, index, sheets }).toEqual({ name: 'Prospects', index: 1, sheets: ['Prospects', 'Rappels'] });
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    const [header, elise, bruno, last] = rows.map((r) => r.cells) as [Cell[], Cell[], Cell[], Cell[]];
    expect(header).toEqual(['nom', 'téléphone', 'mobile', 'montant', 'rappel', 'actif', 'calcul', 'erreur', 'na'].map(text));
    expect(elise).toEqual([
      text('Élise & Co'),
      text('0612345678'), // stored as text: the leading zero is there
      num(33612345678),
      // Gnumeric stores the decimal expansion of the double; the value is the number typed
      num(1234.56, '1234.56000000000000005', '#,##0.00\\ [$€-40C]'),
      { kind: 'date', value: 45366, text: '45366', format: 'dd/mm/yyyy' },
      { kind: 'boolean', value: true },
      { kind: 'formula', formula: 'C2*1', cached: num(33612345678) },
      { kind: 'error', text: '#N/A' },
      { kind: 'formula', formula: 'NA()', cached: { kind: 'error', text: '#N/A' } },
    ]);
    // 612345678 typed as a number, and 6.12345678E8: the same number exactly, with the French phone format kept
    expect(bruno.slice(0, 3)).toEqual([text('Bruno'), num(612345678), num(612345678, '612345678', '00\\ 00\\ 00\\ 00\\ 00')]);
    expect(bruno[6]).toEqual({ kind: 'formula', formula: 'B3&""', cached: text('612345678') });
    expect(bruno).toHaveLength(7);
    // formula-looking text stays text; a gap is filled with empty cells up to column I
    expect(last.slice(0, 2)).toEqual([text('=HYPERLINK("http://example.com")'), text('+33 6 12 34 56 78')]);
    expect(last.slice(2, 8).every((c) => c.kind === 'empty')).toBe(true);
    expect(last[8]).toEqual(num(0.30000000000000004, '0.300000000000000039991'));
  });

  it('reads the sheet asked for, by name or by number, and names the sheets when it does not exist', async () => {
    const file = convert();
    const rappels = [[text('numero'), text('quand')], [text('0712345678'), text('demain')]];
    for (const sheet of ['Rappels', 'rappels', 2, '2']) {
      const read = await readAll(file, { sheet });
      expect({ name: read.name, index: read.index, cells: read.rows.map((r) => r.cells) }).toEqual({ name: 'Rappels', index: 2, cells: rappels });
    }
    expect((await readAll(file, { sheet: 1 })).name).toBe('Prospects');

    const missing = await failure(file, { sheet: 'Nope', name: 'prospects.xlsx' });
    expect(missing.code).toBe('input');
    expect(missing.exitCode).toBe(1);
    expect(missing.toLine()).toBe(
      "prospects.xlsx: no sheet 'Nope' in the workbook (its sheets: 'Prospects', 'Rappels') (name a sheet with --sheet NAME, or --sheet N for the Nth)",
    );
    expect((await failure(file, { sheet: 3 })).message).toBe("no sheet 3 in the workbook (its sheets: 'Prospects', 'Rappels')");
    expect((await failure(file, { sheet: '0' })).message).toBe("no sheet '0' in the workbook (its sheets: 'Prospects', 'Rappels')");
  });

  it('places cells by their column, up to AA and beyond, and skips the empty rows Gnumeric writes below the data', async () => {
    const row = (cells: Record<number, string>) => Array.from({ length: 30 }, (_, c) => cells[c] ?? '');
    // A style on part of a column makes Gnumeric write an empty styled cell in each row it covers (on 1,000,000 rows
    // the survey saw them down to row 1,048,576).
    const styles =
      '<gnm:Styles><gnm:StyleRegion startCol="0" startRow="0" endCol="16383" endRow="1048575"><gnm:Style Format="General"/></gnm:StyleRegion>' +
      '<gnm:StyleRegion startCol="5" startRow="0" endCol="5" endRow="3"><gnm:Style Format="0000000000"/></gnm:StyleRegion>' +
      '<gnm:StyleRegion startCol="7" startRow="0" endCol="7" endRow="99"><gnm:Style Format="0.00"/></gnm:StyleRegion></gnm:Styles>';
    wrk.write('wide.gnumeric', gnumeric([{ name: 'Wide', styles, rows: [row({ 0: 'id', 2: 'tel', 26: 'AA', 29: 'AD' }), row({}), row({ 0: 'n:1', 5: 'n:612345678', 26: '0612345678' })] }]));
    run('ssconvert', ['wide.gnumeric', 'wide.xlsx']);
    expect(await part(wrk.path('wide.xlsx'), 'xl/worksheets/sheet1.xml')).toMatch(/<row r="100" [^>]*>\s*<c r="H100" s="\d+"\/>\s*<\/row>/);
    const sheet = await readWorkbook(wrk.path('wide.xlsx'));
    const rows: SheetRow[] = [];
    for await (const r of sheet) rows.push(r);
    expect(rows.map((r) => r.row)).toEqual([1, 3]);
    const [header, data] = rows.map((r) => r.cells) as [Cell[], Cell[]];
    expect(header).toHaveLength(30);
    expect([header[0], header[2], header[26], header[29]]).toEqual([text('id'), text('tel'), text('AA'), text('AD')]);
    expect(header[1]).toEqual({ kind: 'empty' });
    expect(data[5]).toEqual(num(612345678, '612345678', '0000000000'));
    expect(data[26]).toEqual(text('0612345678'));
    // row 2 (empty styled cells only) is skipped and counted; rows 4 to 100 below the data are skipped, not counted
    expect(sheet.blankRows).toBe(1);
  });

  it('refuses an empty sheet, and reads the other one', async () => {
    wrk.write('two.gnumeric', gnumeric([{ name: 'Vide', rows: [] }, { name: 'Data', rows: [['tel'], ['0612345678']] }]));
    run('ssconvert', ['two.gnumeric', 'two.xlsx']);
    const empty = await failure(wrk.path('two.xlsx'), { name: 'two.xlsx' });
    expect(empty.toLine()).toBe("two.xlsx: sheet 'Vide' is empty: it has no row (choose another sheet with --sheet (its sheets: 'Vide', 'Data'))");
    expect((await readAll(wrk.path('two.xlsx'), { sheet: 'Data' })).rows.map((r) => r.cells)).toEqual([[text('tel')], [text('0612345678')]]);
  });

  it('refuses an Excel 97-2003 .xls, whatever its name says', async () => {
    fs.copyFileSync(path.join(fixtures, 'prospects.gnumeric'), wrk.path('prospects.gnumeric'));
    run('ssconvert', ['-T', 'Gnumeric_Excel:excel_biff8', 'prospects.gnumeric', 'legacy.xls']);
    fs.copyFileSync(wrk.path('legacy.xls'), wrk.path('renamed.xlsx'));
    for (const name of ['legacy.xls', 'renamed.xlsx']) {
      const error = await failure(wrk.path(name), { name });
      expect(error.toLine()).toBe(
        `${name}: this is an Excel 97-2003 workbook (.xls), not an .xlsx (open it in Excel or LibreOffice, save it as an Excel workbook (.xlsx) and run again)`,
      );
    }
  });

  it('reads back what our writer wrote, cell for cell, as Gnumeric does', async () => {
    const writer = new WorkbookWriter(wrk.path('out.xlsx'), { sheetName: 'clean' });
    await writer.header(['nom', 'tel', 'n', 'big', 'calc', 'flag', 'err', 'date']);
    const rows: Cell[][] = [
      [
        text('Élise "Lé" & <Co>'),
        text('0612345678'),
        num(612345678),
        num(612345678, '6.12345678E8'),
        { kind: 'formula', formula: 'C2*1', cached: num(612345678) },
        { kind: 'boolean', value: true },
        { kind: 'error', text: '#N/A' },
        { kind: 'date', value: 45366, text: '45366', format: 'yyyy-mm-dd' },
      ],
      [text('=HYPERLINK("http://x")'), text('+33612345678'), num(33612345678), num(0.1 + 0.2), { kind: 'formula', formula: 'C3&""', cached: text('33612345678') }, { kind: 'boolean', value: false }],
      [text('tab\tand\r\nbreak'), { kind: 'empty' }, num(-1.5e-7, '-1.5E-7')],
    ];
    for (const cells of rows) await writer.row(cells);
    await writer.finish();

    const read = await readAll(wrk.path('out.xlsx'));
    expect(read.name).toBe('clean');
    const trim = (cells: Cell[]) => {
      const copy = [...cells];
      while (copy.length > 0 && copy[copy.length - 1]?.kind === 'empty') copy.pop();
      return copy;
    };
    expect(read.rows.slice(1).map((r) => r.cells)).toEqual(rows.map((cells) => trim(cells.map(asWritten))));
    // values, never formulas: the rows of an output are not at their input's rows, and a formula's references would move
    expect(await part(wrk.path('out.xlsx'), 'xl/worksheets/sheet1.xml')).not.toContain('<f>');
    expect(await part(wrk.path('out.xlsx'), 'xl/worksheets/sheet1.xml')).toContain('<c r="D2"><v>6.12345678E8</v></c>');

    run('ssconvert', ['out.xlsx', 'out.csv']);
    expect(wrk.read('out.csv')).toBe(
      [
        'nom,tel,n,big,calc,flag,err,date',
        '"Élise ""Lé"" & <Co>",0612345678,612345678,612345678,612345678,TRUE,#N/A,2024/03/15',
        '"=HYPERLINK(""http://x"")",+33612345678,33612345678,0.30000000000000004,33612345678,FALSE,,',
        '"tab\tand\r\nbreak",,-1.5E-07,,,,,',
        '',
      ].join('\n'),
    );
  });

  it('writes the header bold and frozen, as Gnumeric sees it', async () => {
    const writer = new WorkbookWriter(wrk.path('out.xlsx'));
    await writer.header(['tel', '=not a formula']);
    await writer.row([text('0612345678'), text('@mention')]);
    await writer.finish();
    const sheet = await part(wrk.path('out.xlsx'), 'xl/worksheets/sheet1.xml');
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    const style = (ref: string) => Number(new RegExp(`<c r="${ref}"(?: s="(\\d+)")?`).exec(sheet)?.[1] ?? 0);
    const styles = await part(wrk.path('out.xlsx'), 'xl/styles.xml');
    const xfs = [...(/<cellXfs[^>]*>(.*)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf [^>]*\/>/g)].map((m) => m[0]);
    const fonts = [...(/<fonts[^>]*>(.*)<\/fonts>/.exec(styles)?.[1] ?? '').matchAll(/<font>.*?<\/font>/g)].map((m) => m[0]);
    const bold = (ref: string) => fonts[Number(/fontId="(\d+)"/.exec(xfs[style(ref)] ?? '')?.[1])]?.includes('<b/>') ?? false;
    const quoted = (ref: string) => (xfs[style(ref)] ?? '').includes('quotePrefix="1"');
    expect([bold('A1'), bold('B1'), bold('A2'), bold('B2')]).toEqual([true, true, false, false]);
    expect([quoted('A1'), quoted('B1'), quoted('A2'), quoted('B2')]).toEqual([false, true, false, true]);

    run('ssconvert', ['-T', 'Gnumeric_XmlIO:sax:0', 'out.xlsx', 'out.gnumeric']);
    const saved = wrk.read('out.gnumeric');
    expect(saved).toContain('<gnm:FreezePanes FrozenTopLeft="A1" UnfrozenTopLeft="A2"/>');
    expect(saved).toMatch(/<gnm:StyleRegion startCol="0" startRow="0" endCol="1" endRow="0">\s*<gnm:Style [^>]*>\s*<gnm:Font Unit="11" Bold="1"/);
    // Gnumeric keeps both formula-looking cells as text, not formulas
    expect(saved).toMatch(/<gnm:Cell Row="0" Col="1" ValueType="60">=not a formula<\/gnm:Cell>/);
    expect(saved).toMatch(/<gnm:Cell Row="1" Col="1" ValueType="60">@mention<\/gnm:Cell>/);
  });

  it('reads a workbook, writes every row, and reads the same cells again', async () => {
    const original = await readAll(convert());
    const writer = new WorkbookWriter(wrk.path('copy.xlsx'), { sheetName: original.name });
    const [header, ...rows] = original.rows;
    await writer.header(header?.cells ?? []);
    for (const row of rows) await writer.row(row.cells);
    await writer.finish();
    const copy = await readAll(wrk.path('copy.xlsx'));
    expect(copy.rows).toEqual(original.rows.map((row) => ({ ...row, cells: row.cells.map(asWritten) })));
    expect(original.rows.some((row) => row.cells.some((cell) => cell.kind === 'formula'))).toBe(true);
    expect(copy.name).toBe('Prospects');
  });
});

describe('workbooks saved by LibreOffice', () => {
  it('reads shared strings, booleans saved as formulas, and error values saved as formulas', async () => {
    const { sheets, rows } = await readAll(path.join(fixtures, 'libreoffice.xlsx'));
    expect(sheets).toEqual(['Prospects', 'Rappels']);
    const [header, elise, bruno] = rows.map((r) => r.cells) as [Cell[], Cell[], Cell[]];
    expect(header.map((c) => (c.kind === 'text' ? c.text : c.kind))).toEqual(['nom', 'téléphone', 'mobile', 'montant', 'rappel', 'actif', 'calcul', 'erreur', 'na']);
    expect(elise).toEqual([
      text('Élise & Co'),
      text('0612345678'),
      num(33612345678),
      num(1234.56, '1234.56', '#,##0.00\\ [$€-40C]'),
      { kind: 'date', value: 45366, text: '45366', format: 'dd/mm/yyyy' },
      { kind: 'formula', formula: 'TRUE()', cached: { kind: 'boolean', value: true } },
      { kind: 'formula', formula: 'C2*1', cached: num(33612345678) },
      { kind: 'formula', formula: '#N/A', cached: { kind: 'error', text: '#N/A' } },
      { kind: 'formula', formula: 'NA()', cached: { kind: 'error', text: '#N/A' } },
    ]);
    expect(bruno[2]).toEqual(num(612345678, '612345678', '00\\ 00\\ 00\\ 00\\ 00'));
    expect((await readAll(path.join(fixtures, 'libreoffice.xlsx'), { sheet: 'Rappels' })).rows[1]?.cells).toEqual([text('0712345678'), text('demain')]);
  });

  it('reads a French CSV import as LibreOffice typed it: numbers that lost their 0 or + are numbers', async () => {
    const { rows } = await readAll(path.join(fixtures, 'libreoffice-fr.xlsx'));
    expect(rows.map((r) => r.cells)).toEqual([
      ['nom', 'telephone', 'montant', 'rappel', 'mobile'].map(text),
      [text('Élise'), num(612345678), num(1234.56), { kind: 'date', value: 45366, text: '45366', format: 'mm/dd/yy' }, text('06 12 34 56 78')],
      [text('Bruno'), num(33612345678), num(-0.5), { kind: 'date', value: 46357, text: '46357', format: 'mm/dd/yy' }, num(33612345678)],
    ]);
  });

  it.skipIf(!hasSoffice)('reads our writer\'s workbook after LibreOffice has opened and saved it', async () => {
    const cells: Cell[] = [text('0612345678'), num(33612345678), num(612345678, '6.12345678E8'), { kind: 'formula', formula: 'B2*1', cached: num(33612345678) }, text('=1+1')];
    const writer = new WorkbookWriter(wrk.path('ours.xlsx'));
    await writer.header(['tel', 'n', 'big', 'calc', 'formula_like']);
    await writer.row(cells);
    await writer.finish();
    fs.mkdirSync(wrk.path('lo'));
    run('soffice', [`-env:UserInstallation=file://${wrk.path('profile')}`, '--headless', '--convert-to', 'xlsx', '--outdir', 'lo', 'ours.xlsx']);
    const { rows } = await readAll(wrk.path('lo/ours.xlsx'));
    expect(rows[1]?.cells).toEqual([text('0612345678'), num(33612345678), num(612345678), num(33612345678), text('=1+1')]);
  });
});

// What Excel and other writers put in a package that Gnumeric and LibreOffice do not write here: parts in another
// order and under other names, prefixed elements, rich text, phonetic guides, shared formulas, cells without a
// reference, exponents. Written by hand in the test (the XML as ECMA-376 shows it), since no such program runs here.
describe('a package written the way Excel writes it', () => {
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const excelLike = (sheet2: string, sharedStrings: string) =>
    packageOf({
      // sheets first, in the zip's order opposite to the workbook's
      'xl/worksheets/sheet1.xml': `<worksheet xmlns="${main}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>second tab</t></is></c></row></sheetData></worksheet>`,
      'xl/worksheets/data.xml': sheet2,
      'xl/sharedStrings.xml': sharedStrings,
      '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      '_rels/.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="/xl/workbook.xml"/></Relationships>`,
      'xl/workbook.xml': `\ufeff<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${main}" xmlns:rel="${rel}"><workbookPr date1904="1"/><sheets><sheet name="Data" sheetId="7" rel:id="rId9"/><sheet name="Other" sheetId="1" rel:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels':
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId9" Type="${rel}/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId3" Type="${rel}/styles" Target="styles.xml"/>` +
        `<Relationship Id="rId4" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      'xl/styles.xml': `<styleSheet xmlns="${main}"><numFmts count="1"><numFmt numFmtId="14" formatCode="MM/DD/YY"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`,
    });
  const strings = `<sst xmlns="${main}" count="3" uniqueCount="3"><si><r><t xml:space="preserve">rich </t></r><r><rPr><b/></rPr><t>0612</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si><si><t>a_x000D_b</t></si><si><t/></si></sst>`;
  const data =
    `<x:worksheet xmlns:x="${main}"><x:sheetData>` +
    '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:r><x:t>06</x:t></x:r><x:r><x:t>12</x:t></x:r></x:is></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c><x:c r="D1" t="s"><x:v>2</x:v></x:c></x:row>' +
    '<x:row><x:c><x:v>3.3612345678E+10</x:v></x:c><x:c><x:v>6.12345678E8</x:v></x:c><x:c r="C2"><x:f t="shared" ref="C2:C3" si="0">A2*1</x:f><x:v>33612345678</x:v></x:c><x:c s="1"><x:v>45366</x:v></x:c></x:row>' +
    '<x:row r="3"><x:c r="C3"><x:f t="shared" si="0"/><x:v>612345678</x:v></x:c><x:c r="D3" t="str"><x:f>A1&amp;""</x:f><x:v>rich 0612</x:v></x:c>' +
    '<x:c r="E3" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c><x:c r="F3" t="b"><x:f>TRUE()</x:f><x:v>1</x:v></x:c><x:c r="G3"><x:f>NOW()</x:f></x:c></x:row>' +
    '</x:sheetData></x:worksheet>';

  it('reads the sheets in the workbook\'s order and every cell as stored', async () => {
    const file = wrk.write('excel.xlsx', await excelLike(data, strings));
    const sheet = await readWorkbook(file);
    expect({ name: sheet.name, index: sheet.index, sheets: sheet.sheets, date1904: sheet.date1904 }).toEqual({ name: 'Data', index: 1, sheets: ['Data', 'Other'], date1904: true });
    const rows: SheetRow[] = [];
    for await (const row of sheet) rows.push(row);
    expect(rows).toEqual([
      { row: 1, cells: [text('rich 0612'), text('0612'), text('a\rb'), text('')] },
      { row: 2, cells: [num(33612345678, '3.3612345678E+10'), num(612345678, '6.12345678E8'), { kind: 'formula', formula: 'A2*1', cached: num(33612345678), shared: '0' }, { kind: 'date', value: 45366, text: '45366', format: 'mm-dd-yy' }] },
      {
        row: 3,
        cells: [
          { kind: 'empty' },
          { kind: 'empty' },
          { kind: 'formula', formula: '', cached: num(612345678), shared: '0' },
          { kind: 'formula', formula: 'A1&""', cached: text('rich 0612') },
          { kind: 'formula', formula: '1/0', cached: { kind: 'error', text: '#DIV/0!' } },
          { kind: 'formula', formula: 'TRUE()', cached: { kind: 'boolean', value: true } },
          { kind: 'formula', formula: 'NOW()', cached: undefined },
        ],
      },
    ]);
    expect((await readAll(file, { sheet: 'Other' })).rows).toEqual([{ row: 1, cells: [text('second tab')] }]);

    // Written again, every formula is its cached value (none: empty); everything else is the same.
    const writer = new WorkbookWriter(wrk.path('copy.xlsx'));
    const [header, ...others] = rows;
    await writer.header(header?.cells ?? []);
    for (const row of others) await writer.row(row.cells);
    await writer.finish();
    const copy = (await readAll(wrk.path('copy.xlsx'))).rows;
    expect(copy[2]?.cells[2]).toEqual(num(612345678));
    expect(copy[1]?.cells[2]).toEqual(num(33612345678));
    expect(copy[2]?.cells.slice(3)).toEqual(rows[2]?.cells.slice(3).map(asWritten).slice(0, -1));
  });

  it('says which cell is wrong when a cell points to no shared string or a number is not one', async () => {
    const broken = (cell: string) => `<worksheet xmlns="${main}"><sheetData><row r="4"><c r="B4" ${cell}</c></row></sheetData></worksheet>`;
    const line = async (cell: string) => (await failure(wrk.write('bad.xlsx', await excelLike(broken(cell), strings)), { name: 'bad.xlsx' })).toLine();
    expect(await line('t="s"><v>7</v>')).toBe(
      "bad.xlsx: sheet 'Data', cell B4: shared string 7 does not exist (the workbook has 3) (open the workbook in Excel or LibreOffice, save it again as .xlsx and run again)",
    );
    expect(await line('><v>12 34</v>')).toMatch(/^bad\.xlsx: sheet 'Data', cell B4: '12 34' is stored as a number but is not one \(/);
    expect(await line('><v>1</v')).toMatch(/^bad\.xlsx: not a readable \.xlsx workbook: its part xl\/worksheets\/data\.xml is not well-formed XML: /);
  });
});

// A workbook of one sheet, 'Data', for the cases below: the parts given replace the defaults, each as text or bytes.
const sheetNs = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const relNs = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const oneSheet = (parts: { sheet: string | Buffer; strings?: string | Buffer; styles?: string | Buffer; workbook?: string | Buffer; rels?: string | Buffer }) =>
  packageOf({
    '_rels/.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': parts.workbook ?? `<workbook xmlns="${sheetNs}" xmlns:r="${relNs}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      parts.rels ??
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relNs}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${relNs}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${relNs}/styles" Target="styles.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': parts.sheet,
    'xl/sharedStrings.xml': parts.strings ?? `<sst xmlns="${sheetNs}"><si><t>tel</t></si></sst>`,
    'xl/styles.xml': parts.styles ?? `<styleSheet xmlns="${sheetNs}"><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>`,
  });
const sheetOf = (rows: string) => `<worksheet xmlns="${sheetNs}"><sheetData>${rows}</sheetData></worksheet>`;

// What a hostile pass found the reader got wrong in hand-written parts: each as a program may write it.
describe('text and values as a program may store them', () => {
  it('reads text in a CDATA section, in an inline string, a shared string and a <v>', async () => {
    const sheet = sheetOf(
      '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' +
        '<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[0536496475]]></t></is></c></row>' +
        '<row r="3"><c r="A3" t="s"><v><![CDATA[1]]></v></c></row>' +
        '<row r="4"><c r="A4"><v><![CDATA[536496475]]></v></c></row>',
    );
    const strings = `<sst xmlns="${sheetNs}"><si><t>tel</t></si><si><t><![CDATA[05 36 49 64 75]]></t></si></sst>`;
    const { rows } = await readAll(wrk.write('cdata.xlsx', await oneSheet({ sheet, strings })));
    expect(rows.map((r) => r.cells)).toEqual([[text('tel')], [text('0536496475')], [text('05 36 49 64 75')], [num(536496475)]]);
  });

  it('tells a formula with no stored text from one that stored an empty text, and takes a cell style\'s number format', async () => {
    const sheet = sheetOf('<row r="1"><c r="A1" t="str"><f>B1&amp;""</f></c><c r="B1" t="str"><f>""</f><v></v></c><c r="C1" s="1"><v>536496000</v></c></row>');
    const styles = `<styleSheet xmlns="${sheetNs}"><cellStyleXfs><xf numFmtId="0"/><xf numFmtId="11"/></cellStyleXfs><cellXfs><xf numFmtId="0"/><xf xfId="1"/></cellXfs></styleSheet>`;
    const { rows } = await readAll(wrk.write('str.xlsx', await oneSheet({ sheet, styles })));
    expect(rows[0]?.cells).toEqual([
      { kind: 'formula', formula: 'B1&""', cached: undefined },
      { kind: 'formula', formula: '""', cached: text('') },
      num(536496000, '536496000', '0.00E+00'),
    ]);
  });

  it('refuses a workbook whose worksheets are all hidden unless one is named, and skips rows of formulas that show nothing', async () => {
    const workbook = `<workbook xmlns="${sheetNs}" xmlns:r="${relNs}"><sheets><sheet name="Data" sheetId="1" state="hidden" r:id="rId1"/></sheets></workbook>`;
    const sheet = sheetOf(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>tel</t></is></c></row><row r="2"><c r="A2" t="str"><f>IF(B2="","",B2)</f><v></v></c></row>' +
        '<row r="3"><c r="A3" t="inlineStr"><is><t>0612345678</t></is></c></row>',
    );
    const file = wrk.write('hidden.xlsx', await oneSheet({ workbook, sheet }));
    expect((await failure(file, { name: 'hidden.xlsx' })).toLine()).toBe(
      "hidden.xlsx: no visible worksheet in the workbook (its sheets: 'Data' (hidden)) (name the sheet to scrub with --sheet NAME: a hidden sheet is scrubbed only when named)",
    );
    const sheetRead = await readWorkbook(file, { sheet: 'Data' });
    const rows: SheetRow[] = [];
    for await (const row of sheetRead) rows.push(row);
    expect(rows.map((r) => r.row)).toEqual([1, 3]);
    // rows hidden, or of no height, are marked
    const hiddenRows = sheetOf('<row r="1" hidden="1"><c r="A1"><v>1</v></c></row><row r="2" ht="0" customHeight="1"><c r="A2"><v>2</v></c></row><row r="3" ht="15"><c r="A3"><v>3</v></c></row>');
    expect((await readAll(wrk.write('hidden-rows.xlsx', await oneSheet({ sheet: hiddenRows })))).rows.map((r) => r.hidden ?? false)).toEqual([true, true, false]);
    expect(sheetRead.blankRows).toBe(1);
  });

  it('refuses a shared string index that is not a whole number, and a part whose CRC-32 does not match', async () => {
    const sheet = sheetOf('<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>0.5</v></c></row>');
    const fractional = wrk.write('half.xlsx', await oneSheet({ sheet }));
    expect((await failure(fractional, { name: 'half.xlsx' })).message).toBe("sheet 'Data', cell A2: shared string 0.5 does not exist (the workbook has 1)");
    // one byte of the stored (not deflated) sheet changed, its CRC-32 left as it was
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(sheetOf('<row r="1"><c r="A1" t="inlineStr"><is><t>tel</t></is></c></row><row r="2"><c r="A2"><v>612345678</v></c></row>')), 'xl/worksheets/sheet1.xml', { compress: false });
    for (const [name, xml] of Object.entries({
      '_rels/.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      'xl/workbook.xml': `<workbook xmlns="${sheetNs}" xmlns:r="${relNs}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relNs}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    })) zip.addBuffer(Buffer.from(xml), name);
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    const at = bytes.indexOf('612345678');
    bytes[at + 8] = '9'.charCodeAt(0);
    const damaged = wrk.write('damaged.xlsx', bytes);
    expect((await failure(damaged, { name: 'damaged.xlsx' })).toLine()).toMatch(
      /^damaged\.xlsx: not a readable \.xlsx workbook: the zip is corrupt \(part xl\/worksheets\/sheet1\.xml\): its CRC-32 does not match its content \(/,
    );
  });

  it('writes a number whose format writes digits of its own, or a date shown as a long run of digits, with the General format: a clean sheet shows only stored digits', async () => {
    const writer = new WorkbookWriter(wrk.path('formats.xlsx'), { date1904: true });
    await writer.header(['ref', 'kept', 'rdv', 'date', 'padded']);
    const date = (format: string): Cell => ({ kind: 'date', value: 1671712, text: '1671712', format });
    await writer.row([num(96475, '96475', '"05364"00000'), num(612345678, '612345678', '00 00 00 00 00'), date('mmyyyydd""dd'), date('yyyy-mm-dd'), num(612345600, '612345600', '"0536496475"_@')]);
    await writer.finish();
    const { rows } = await readAll(wrk.path('formats.xlsx'));
    expect(rows[1]?.cells).toEqual([num(96475), num(612345678, '612345678', '00 00 00 00 00'), num(1671712), date('yyyy-mm-dd'), num(612345600)]);
    // the 1904 date system is kept, so that a date stays the same date
    expect((await readWorkbook(wrk.path('formats.xlsx'))).date1904).toBe(true);
    // columns wide enough for an international number stored as a number (Excel's default shows 3.36E+10)
    expect(await part(wrk.path('formats.xlsx'), 'xl/worksheets/sheet1.xml')).toContain('<cols><col min="1" max="1" width="14" customWidth="1"/>');
  });

  it('refuses a cell stored in a row its reference does not name, and judges a redefined built-in format by the file\'s code when it shows other digits', async () => {
    const moved = sheetOf('<row r="1"><c r="A1" t="inlineStr"><is><t>tel</t></is></c></row><row r="3"><c r="B7"><v>612345678</v></c></row>');
    expect((await failure(wrk.write('moved.xlsx', await oneSheet({ sheet: moved })), { name: 'moved.xlsx' })).message).toBe("sheet 'Data', cell B3: cell reference 'B7' is not in row 3, the row it is stored in");
    const hex = sheetOf('<row r="1"><c r="A1"><v>0x1FFA7D1B</v></c></row>');
    expect((await failure(wrk.write('hex.xlsx', await oneSheet({ sheet: hex })), { name: 'hex.xlsx' })).message).toBe("sheet 'Data', cell A1: '0x1FFA7D1B' is stored as a number but is not one");
    const zero = sheetOf('<row r="1"><c r="A0"><v>612345678</v></c></row>');
    expect((await failure(wrk.write('zero.xlsx', await oneSheet({ sheet: zero })), { name: 'zero.xlsx' })).message).toBe("sheet 'Data', cell A1: cell reference 'A0' is not in row 1, the row it is stored in");
    const styles = `<styleSheet xmlns="${sheetNs}"><numFmts><numFmt numFmtId="1" formatCode="&quot;05364&quot;00000"/><numFmt numFmtId="14" formatCode="dd/mm/yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="1"/><xf numFmtId="14"/></cellXfs></styleSheet>`;
    const sheet = sheetOf('<row r="1"><c r="A1" s="1"><v>96475</v></c><c r="B1" s="2"><v>45366</v></c></row>');
    const { rows } = await readAll(wrk.write('redefined.xlsx', await oneSheet({ sheet, styles })));
    expect(rows[0]?.cells).toEqual([num(96475, '96475', '"05364"00000'), { kind: 'date', value: 45366, text: '45366', format: 'mm-dd-yy' }]);
  });

  it('writes the same bytes for the same rows in any time zone', async () => {
    const script = `import { WorkbookWriter } from ${JSON.stringify(path.join(projectRoot, 'dist/src/workbook/writer.js'))};
const w = new WorkbookWriter(process.argv[1]);
await w.header(['tel']);
await w.row([{ kind: 'text', text: '0612345678' }]);
await w.finish();`;
    const digests = ['UTC', 'Europe/Paris', 'Pacific/Kiritimati'].map((zone) => {
      const file = wrk.path(`tz-${zone.replace('/', '-')}.xlsx`);
      const made = spawnSync(process.execPath, ['--input-type=module', '-e', script, file], { env: { ...process.env, TZ: zone }, encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    });
    expect(new Set(digests).size).toBe(1);
  });
});

describe('parts in UTF-16, or with a byte order mark', () => {
  const declared = (encoding: string, xml: string) => `<?xml version="1.0" encoding="${encoding}" standalone="yes"?>\r\n${xml}`;
  const encodings: Record<string, (xml: string) => Buffer> = {
    'UTF-8 with a BOM': (xml) => Buffer.from(`\ufeff${declared('UTF-8', xml)}`),
    'UTF-16LE with a BOM': (xml) => Buffer.from(`\ufeff${declared('UTF-16', xml)}`, 'utf16le'),
    'UTF-16BE with a BOM': (xml) => Buffer.from(`\ufeff${declared('UTF-16', xml)}`, 'utf16le').swap16(),
    'UTF-16LE without one': (xml) => Buffer.from(declared('UTF-16', xml), 'utf16le'),
    'UTF-16BE without one': (xml) => Buffer.from(declared('UTF-16', xml), 'utf16le').swap16(),
  };
  // characters of one, two, three and four bytes in UTF-8, and a surrogate pair in UTF-16, in each part
  const sheet = sheetOf('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Élise ☎ 📞</t></is></c><c r="C1" s="1"><v>45366</v></c></row>');
  const strings = `<sst xmlns="${sheetNs}"><si><t>téléphone 📞</t></si></sst>`;
  const workbook = `<workbook xmlns="${sheetNs}" xmlns:r="${relNs}"><sheets><sheet name="Données ☎" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const styles = `<styleSheet xmlns="${sheetNs}"><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`;

  for (const [name, encode] of Object.entries(encodings)) {
    it(`reads every part in ${name}`, async () => {
      const file = wrk.write('encoded.xlsx', await oneSheet({ sheet: encode(sheet), strings: encode(strings), workbook: encode(workbook), styles: encode(styles) }));
      const read = await readAll(file);
      expect(read.name).toBe('Données ☎');
      expect(read.rows).toEqual([{ row: 1, cells: [text('téléphone 📞'), text('Élise ☎ 📞'), { kind: 'date', value: 45366, text: '45366', format: 'dd/mm/yyyy' }] }]);
    });
  }

  it('decodes a character split between chunks, whatever the chunk sizes', () => {
    const xml = '<t>a é € 📞 z</t>';
    for (const [name, encode] of Object.entries(encodings)) {
      const bytes = encode(xml);
      const whole = declared(name.startsWith('UTF-8') ? 'UTF-8' : 'UTF-16', xml);
      for (const size of [1, 2, 3, 5]) {
        const decoder = new PartDecoder();
        let decoded = '';
        for (let at = 0; at < bytes.length; at += size) decoded += decoder.write(bytes.subarray(at, at + size));
        expect(decoded + decoder.end(), `${name}, chunks of ${size}`).toBe(whole);
      }
    }
    // a part shorter than the 4 bytes that tell the encoding
    const short = new PartDecoder();
    expect(short.write(Buffer.from('<a')) + short.end()).toBe('<a');
    expect(sniffEncoding(Buffer.from('<?xml'))).toEqual({ encoding: 'utf-8', bom: 0 });
  });
});

// Workbooks of a few KB that inflate to parts of tens of MB (the hostile pass on issue 14 found a 1 MB workbook that
// took 2.3 GB): each is refused in one line naming the part or the cell, before it is held whole.
describe('workbooks built to take memory', () => {
  const line = async (zip: Buffer) => (await failure(wrk.write('bomb.xlsx', zip), { name: 'bomb.xlsx' })).toLine();
  const tooLarge = '(open it in Excel or LibreOffice and save the sheet as CSV, or split it, and scrub that)';
  const cellTooLong = (cell: string) => `bomb.xlsx: sheet 'Data', cell ${cell}: more than 32,767 characters (Excel's limit for a cell) (shorten that cell, or save the sheet as CSV and scrub that)`;
  /** A part of `size` characters of `fill` between two pieces of XML, as bytes. */
  const padded = (before: string, size: number, after: string, fill = '0') => Buffer.concat([Buffer.from(before), Buffer.alloc(size, fill), Buffer.from(after)]);
  const header = '<row r="1"><c r="A1" t="inlineStr"><is><t>tel</t></is></c></row>';

  /** The zip with the size its central directory declares for a part changed (as a hostile writer could). */
  const declaring = (zip: Buffer, part: string, size: number) => {
    const copy = Buffer.from(zip);
    for (let at = copy.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1')); at >= 0; at = copy.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'), at - 1)) {
      const name = copy.toString('utf8', at + 46, at + 46 + copy.readUInt16LE(at + 28));
      if (name === part) {
        copy.writeUInt32LE(size, at + 24);
        return copy;
      }
    }
    throw new Error(`no part ${part}`);
  };

  it('refuses a cell of more than 32,767 characters, inline, in <v> or in a formula, and reads one of 32,767', async () => {
    const inline = (t: string) => sheetOf(`${header}<row r="2"><c r="B2" t="inlineStr"><is><t>${t}</t></is></c></row>`);
    const at = await readAll(wrk.write('limit.xlsx', await oneSheet({ sheet: inline('1'.repeat(32_767)) })));
    expect(at.rows[1]?.cells[1]).toEqual(text('1'.repeat(32_767)));
    // Excel's escapes count as the one character they stand for: 32,767 of them are 229,369 characters as stored
    const escaped = await readAll(wrk.write('escaped.xlsx', await oneSheet({ sheet: inline('_x0041_'.repeat(32_767)) })));
    expect(escaped.rows[1]?.cells[1]).toEqual(text('A'.repeat(32_767)));
    expect(await line(await oneSheet({ sheet: inline('1'.repeat(32_768)) }))).toBe(cellTooLong('B2'));
    expect(await line(await oneSheet({ sheet: inline('_x0041_'.repeat(32_768)) }))).toBe(cellTooLong('B2'));
    expect(await line(await oneSheet({ sheet: sheetOf(`${header}<row r="7"><c r="B7"><v>${'1'.repeat(32_768)}</v></c></row>`) }))).toBe(cellTooLong('B7'));
    expect(await line(await oneSheet({ sheet: sheetOf(`${header}<row r="3"><c r="C3" t="str"><v>${'a'.repeat(40_000)}</v></c></row>`) }))).toBe(cellTooLong('C3'));
    expect(await line(await oneSheet({ sheet: sheetOf(`${header}<row r="3"><c r="D3"><f>${'1+'.repeat(20_000)}1</f><v>1</v></c></row>`) }))).toBe(cellTooLong('D3'));
  });

  it('refuses a 40 MB cell in a 40 KB workbook as it streams, not once it is held', async () => {
    const zip = await oneSheet({ sheet: padded(sheetOf(`${header}<row r="2"><c r="B2" t="inlineStr"><is><t>`).replace('</sheetData></worksheet>', ''), 40_000_000, '</t></is></c></row></sheetData></worksheet>') });
    expect(zip.length).toBeLessThan(100_000);
    expect(await line(zip)).toBe(cellTooLong('B2'));
    // the same run of characters elsewhere (a comment, an attribute) is refused for the part
    const comment = padded(sheetOf(`${header}<!--`).replace('</sheetData></worksheet>', ''), 40_000_000, '--></sheetData></worksheet>');
    expect(await line(await oneSheet({ sheet: comment }))).toBe(`bomb.xlsx: its part xl/worksheets/sheet1.xml holds more than 917,476 characters between two tags (a text, attribute or comment) ${tooLarge}`);
    const attribute = padded(`<worksheet xmlns="${sheetNs}"><sheetData>${header}<row r="2" x="`, 40_000_000, '"/></sheetData></worksheet>');
    expect(await line(await oneSheet({ sheet: attribute }))).toMatch(/^bomb\.xlsx: its part xl\/worksheets\/sheet1\.xml holds more than 917,476 characters between two tags/);
  });

  it('refuses a shared string of more than 32,767 characters, and one of 40 MB as it streams', async () => {
    const sheet = sheetOf(`${header}<row r="2"><c r="B2" t="s"><v>0</v></c></row>`);
    const strings = (t: string) => `<sst xmlns="${sheetNs}"><si><t>ok</t></si><si><r><t>${t}</t></r></si></sst>`;
    const message = `bomb.xlsx: shared string 1: more than 32,767 characters (Excel's limit for a cell) ${tooLarge}`;
    expect(await line(await oneSheet({ sheet, strings: strings('x'.repeat(32_768)) }))).toBe(message);
    expect(await line(await oneSheet({ sheet, strings: padded(`<sst xmlns="${sheetNs}"><si><t>ok</t></si><si><t>`, 40_000_000, '</t></si></sst>') }))).toBe(message);
    const fine = await readAll(wrk.write('fine.xlsx', await oneSheet({ sheet, strings: strings('x'.repeat(32_767)) })));
    expect(fine.rows[1]?.cells[1]).toEqual(text('ok'));
  });

  it('refuses more than 16,777,216 shared strings, even empty ones', async () => {
    const many = (count: number) => padded(`<sst xmlns="${sheetNs}">`, count * 5, '</sst>', '<si/>');
    expect(await line(await oneSheet({ sheet: sheetOf(header), strings: many(2 ** 24 + 1) }))).toBe(`bomb.xlsx: the workbook holds more than 16,777,216 shared strings ${tooLarge}`);
  }, 60_000);

  it('refuses a part larger than it can be from the size the zip declares, before reading it', async () => {
    const zip = await oneSheet({ sheet: sheetOf(header) });
    expect(await line(declaring(zip, 'xl/sharedStrings.xml', 1_500_000_000))).toBe(
      `bomb.xlsx: its part xl/sharedStrings.xml is 1,500,000,000 bytes once inflated, more than the 1,024 MiB such a part can be ${tooLarge}`,
    );
    for (const part of ['xl/styles.xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels']) {
      expect(await line(declaring(zip, part, 100_000_000))).toBe(`bomb.xlsx: its part ${part} is 100,000,000 bytes once inflated, more than the 64 MiB such a part can be ${tooLarge}`);
    }
  });

  it('refuses more than 64,000 cell formats or number formats, and reads 64,000', async () => {
    const styles = (xfs: number, formats: number) =>
      `<styleSheet xmlns="${sheetNs}"><numFmts>${Array.from({ length: formats }, (_, i) => `<numFmt numFmtId="${164 + i}" formatCode="0"/>`).join('')}</numFmts>` +
      `<cellXfs>${'<xf numFmtId="0"/>'.repeat(xfs)}</cellXfs></styleSheet>`;
    const sheet = sheetOf(header);
    expect((await readAll(wrk.write('styles.xlsx', await oneSheet({ sheet, styles: styles(64_000, 64_000) })))).rows).toHaveLength(1);
    expect(await line(await oneSheet({ sheet, styles: styles(64_001, 1) }))).toBe(`bomb.xlsx: its part xl/styles.xml holds more than 64,000 cell formats (Excel's limit) ${tooLarge}`);
    expect(await line(await oneSheet({ sheet, styles: styles(1, 64_001) }))).toBe(`bomb.xlsx: its part xl/styles.xml holds more than 64,000 number formats (Excel's limit) ${tooLarge}`);
  });
});

describe('files that are not workbooks', () => {
  const compound = (streams: string[] = []) => {
    const bytes = Buffer.alloc(4096);
    Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(bytes);
    streams.forEach((name, i) => bytes.write(name, 1024 + i * 128, 'utf16le'));
    return bytes;
  };
  const line = async (name: string, content: Buffer | string) => (await failure(wrk.write(name, content), { name })).toLine();

  it('says a compound file named .xlsx is password-protected, and an encrypted one whatever its name', async () => {
    expect(await line('protected.xlsx', compound())).toBe(
      'protected.xlsx: the workbook is password-protected (encrypted) or a legacy .xls: an .xlsx is a zip, this is an OLE compound file ' +
        '(remove any password, or open it in Excel or LibreOffice, save it as an Excel workbook (.xlsx) and run again)',
    );
    expect(await line('export.bin', compound(['EncryptionInfo', 'EncryptedPackage']))).toBe(
      'export.bin: the workbook is password-protected (encrypted) (open it in Excel, remove the password (File > Info > Protect Workbook), save it and run again)',
    );
    expect(await line('old.xlsx', compound(['Workbook']))).toMatch(/^old\.xlsx: this is an Excel 97-2003 workbook \(\.xls\), not an \.xlsx/);
    expect(await line('old.xls', compound())).toMatch(/^old\.xls: this is an Excel 97-2003 workbook \(\.xls\), not an \.xlsx/);
  });

  it('says a zip of other files is not a workbook', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('hello'), 'readme.txt');
    zip.addBuffer(Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) % 256)), 'data/random.bin');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(await line('archive.xlsx', Buffer.concat(chunks))).toBe(
      'archive.xlsx: a zip file, but not an .xlsx workbook (no xl/workbook.xml) (check the file; open it in Excel or LibreOffice, save it as an Excel workbook (.xlsx) and run again)',
    );
  });

  it('says random bytes, an empty file and a text file are not workbooks', async () => {
    const random = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 2654435761) % 251));
    expect(await line('noise.xlsx', random)).toMatch(/^noise\.xlsx: not an \.xlsx workbook \(not a zip file\) \(check the file; to scrub a CSV, name it \.csv;/);
    expect(await line('prospects.xlsx', 'nom,tel\nA,0612345678\n')).toMatch(/^prospects\.xlsx: not an \.xlsx workbook \(not a zip file\)/);
    expect(await line('empty.xlsx', '')).toBe('empty.xlsx: the file is empty, not an .xlsx workbook (check the path, or export the workbook again)');
  });

  it('says a workbook cut short is corrupt', async () => {
    const writer = new WorkbookWriter(wrk.path('whole.xlsx'));
    await writer.header(['tel']);
    for (let i = 0; i < 2000; i++) await writer.row([text(`06${String(i).padStart(8, '0')}`)]);
    await writer.finish();
    const whole = fs.readFileSync(wrk.path('whole.xlsx'));
    expect(await line('cut.xlsx', whole.subarray(0, Math.floor(whole.length / 2)))).toMatch(
      /^cut\.xlsx: not a readable \.xlsx workbook: the zip is corrupt: .+ \(the file is damaged or was cut short: open it in Excel or LibreOffice, save it again as \.xlsx and run again\)$/,
    );
  });

  it('says a missing file is missing', async () => {
    const error = await failure(wrk.path('nowhere.xlsx'), { name: 'nowhere.xlsx' });
    expect(error.code).toBe('io');
    expect(error.toLine()).toBe('nowhere.xlsx: cannot read the workbook: no such file or directory (check the path)');
  });
});

describe('the writer', () => {
  it('leaves no file under its name until finished, and none after an abort', async () => {
    const writer = new WorkbookWriter(wrk.path('out.xlsx'));
    await writer.header(['tel']);
    await writer.row([text('0612345678')]);
    expect(wrk.exists('out.xlsx')).toBe(false);
    await writer.finish();
    expect(wrk.exists('out.xlsx')).toBe(true);

    const aborted = new WorkbookWriter(wrk.path('aborted.xlsx'));
    await aborted.header(['tel']);
    aborted.abort();
    expect(fs.readdirSync(wrk.dir).sort()).toEqual(['out.xlsx']);
  });

  it('writes to a stream, and the same rows give the same bytes', async () => {
    const write = async () => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      const writer = new WorkbookWriter(out);
      await writer.header(['tel', 'n']);
      await writer.row([text('0612345678'), num(33612345678)]);
      await writer.finish();
      return Buffer.concat(chunks);
    };
    const first = await write();
    expect(first.equals(await write())).toBe(true);
    const file = wrk.write('stream.xlsx', first);
    expect((await readAll(file)).rows.map((r) => r.cells)).toEqual([[text('tel'), text('n')], [text('0612345678'), num(33612345678)]]);
  });

  it('keeps text with escapes, control characters and _xHHHH_ as written', async () => {
    const odd = ['a & b < c > d " e', 'line\r\nbreak\rreturn', 'bell\u0007 and nul\u0000', 'literal _x0041_ stays', 'emoji 📞 and lone \ud800'];
    const writer = new WorkbookWriter(wrk.path('odd.xlsx'));
    await writer.header(odd);
    await writer.finish();
    expect((await readAll(wrk.path('odd.xlsx'))).rows[0]?.cells).toEqual(odd.map(text));
  });
});
