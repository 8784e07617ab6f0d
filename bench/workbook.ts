// Issue 14's workbook figures, a measurement and not a test: a 1,000,000-row workbook written by our writer
// (src/workbook/writer.ts), then read back by our reader (src/workbook/reader.ts), each in its own process so that
// each peak RSS is its own. Prints wall time and peak RSS (process.resourceUsage().maxRSS) for each.
// Then the case that costs the reader most memory, a workbook as LibreOffice saves one: every text in shared strings
// (two unique ones a row, 2,000,000 in all), which the reader must hold while the sheet streams. Our writer writes
// inline strings only, so that workbook is generated here, directly as XML (untimed).
// Then `callscrub scrub` of each (issue 14's budget: 1,000,000 rows in constant memory, peak RSS <= 300 MB).
//   node dist/bench/workbook.js [ROWS] [--keep] [--json]   (the workbooks go to bench-data/workbook-ROWS*.xlsx;
//   --json: every phase's figures as one JSON line on stdout at the end, for `npm run bench -- --only workbook`)

import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import yazl from 'yazl';
import { fileURLToPath } from 'node:url';
import type { Cell } from '../src/workbook/cell.js';
import { readWorkbook } from '../src/workbook/reader.js';
import { WorkbookWriter } from '../src/workbook/writer.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const self = fileURLToPath(import.meta.url);

const header = ['id', 'name', 'phone', 'phone2', 'calc', 'date', 'flag', 'err', 'formula_like', 'callscrub_reason'];

/** Data row r (1-based): ten typed cells, some text with characters XML escapes, a formula with its cached value. */
function row(r: number): Cell[] {
  const phone2 = 33600000000 + (r % 99999999);
  return [
    { kind: 'number', value: r, text: String(r), format: 'General' },
    { kind: 'text', text: r % 7 === 0 ? `Élise "Lé" & Co <${r}>` : `Name ${r}` },
    { kind: 'text', text: '06' + String(12345678 + (r % 87654321)).padStart(8, '0') },
    { kind: 'number', value: phone2, text: String(phone2), format: 'General' },
    { kind: 'formula', formula: `D${r + 1}*1`, cached: { kind: 'number', value: phone2, text: String(phone2), format: 'General' } },
    { kind: 'date', value: 45366 + (r % 3000), text: String(45366 + (r % 3000)), format: 'yyyy-mm-dd' },
    { kind: 'boolean', value: r % 2 === 1 },
    { kind: 'error', text: '#N/A' },
    { kind: 'text', text: '=HYPERLINK("http://example.com")' },
    r % 3 === 0 ? { kind: 'text', text: 'dnc' } : { kind: 'empty' },
  ];
}

async function write(file: string, rows: number): Promise<Record<string, number>> {
  const writer = new WorkbookWriter(file, { sheetName: 'clean' });
  await writer.header(header);
  for (let r = 1; r <= rows; r++) await writer.row(row(r));
  await writer.finish();
  return { rows, bytes: fs.statSync(file).size };
}

async function read(file: string): Promise<Record<string, number>> {
  const sheet = await readWorkbook(file);
  let rows = 0;
  let cells = 0;
  for await (const r of sheet) {
    rows++;
    cells += r.cells.length;
  }
  return { rows, cells };
}

/** The same rows but the last two columns, every text a shared string, as LibreOffice writes them (the sheet part first). */
async function writeShared(file: string, rows: number): Promise<Record<string, number>> {
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const zip = new yazl.ZipFile();
  const out = fs.createWriteStream(file);
  zip.outputStream.pipe(out);
  const add = (name: string, xml: string) => zip.addBuffer(Buffer.from(xml), name);
  add('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  add('_rels/.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  add('xl/workbook.xml', `<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`);
  add(
    'xl/_rels/workbook.xml.rels',
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  );
  const part = async (name: string, lines: (push: (text: string) => Promise<void>) => Promise<void>) => {
    const stream = new PassThrough();
    zip.addReadStream(stream, name);
    let batch = '';
    const push = async (text: string) => {
      batch += text;
      if (batch.length > 1 << 16) {
        if (!stream.write(batch)) await once(stream, 'drain');
        batch = '';
      }
    };
    await lines(push);
    stream.end(batch);
  };
  const texts = (r: number) => [r % 7 === 0 ? `Élise "Lé" &amp; Co &lt;${r}&gt;` : `Name ${r}`, '06' + String(12345678 + (r % 87654321)).padStart(8, '0')];
  // The sheet first, then the strings, as LibreOffice orders them; zip.end() after both parts are queued.
  const sheet = part('xl/worksheets/sheet1.xml', async (push) => {
    await push(`<worksheet xmlns="${main}"><sheetData><row r="1">`);
    for (let c = 0; c < header.length; c++) await push(`<c t="inlineStr"><is><t>${header[c]}</t></is></c>`);
    await push('</row>');
    for (let r = 1; r <= rows; r++) {
      const phone2 = 33600000000 + (r % 99999999);
      await push(
        `<row r="${r + 1}"><c><v>${r}</v></c><c t="s"><v>${2 * (r - 1)}</v></c><c t="s"><v>${2 * (r - 1) + 1}</v></c><c><v>${phone2}</v></c>` +
          `<c><f>D${r + 1}*1</f><v>${phone2}</v></c><c><v>${45366 + (r % 3000)}</v></c><c t="b"><v>${r % 2}</v></c><c t="e"><v>#N/A</v></c></row>`,
      );
    }
    await push('</sheetData></worksheet>');
  });
  const strings = part('xl/sharedStrings.xml', async (push) => {
    await push(`<sst xmlns="${main}" count="${2 * rows}" uniqueCount="${2 * rows}">`);
    for (let r = 1; r <= rows; r++) for (const t of texts(r)) await push(`<si><t>${t}</t></si>`);
    await push('</sst>');
  });
  zip.end();
  await Promise.all([sheet, strings, once(out, 'close')]);
  return { rows, sharedStrings: 2 * rows, bytes: fs.statSync(file).size };
}

/**
 * `callscrub scrub` of the workbook, in this process (its peak RSS is the scrub's): against a registry of two numbers
 * (the cost is the workbook's, not the lists'), the clean rows to a workbook, the excluded to CSV, the invalid to a
 * workbook. The `calc` column (=D*1) holds the phone2 numbers again: the content check would stop the scrub for it.
 */
async function scrubFile(file: string, db: string): Promise<Record<string, number>> {
  const { run } = await import('../src/cli.js');
  const dir = path.dirname(file);
  const stdout = new PassThrough();
  let json = '';
  stdout.on('data', (b: Buffer) => (json += b.toString()));
  const argv = ['scrub', file, '--not-phone-column', 'calc', '--db', db, '--out', 'workbook-clean.xlsx', '--excluded', 'workbook-excluded.csv', '--invalid', 'workbook-invalid.xlsx', '--json', '--quiet'];
  const code = await run(argv, { cwd: dir, stdin: new PassThrough(), stdout, stderr: process.stderr, interactive: false, color: false, now: () => new Date(), defaultDb: undefined });
  if (code !== 0) throw new Error(`callscrub scrub exited with ${code}`);
  const summary = JSON.parse(json) as { rowsIn: number; rowsClean: number; rowsExcluded: number; outputs: { clean: { bytes: number } } };
  for (const name of ['workbook-clean.xlsx', 'workbook-excluded.csv', 'workbook-invalid.xlsx']) fs.rmSync(path.join(dir, name), { force: true });
  return { rowsIn: summary.rowsIn, rowsClean: summary.rowsClean, rowsExcluded: summary.rowsExcluded, cleanBytes: summary.outputs.clean.bytes };
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'write' || mode === 'read' || mode === 'write-shared' || mode === 'scrub') {
  // A child: one phase, its figures on stdout as JSON.
  const file = rest[0] as string;
  const started = performance.now();
  const figures =
    mode === 'write' ? await write(file, Number(rest[1])) : mode === 'write-shared' ? await writeShared(file, Number(rest[1])) : mode === 'scrub' ? await scrubFile(file, rest[1] as string) : await read(file);
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ...figures, ms, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
} else {
  const rows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  const keep = process.argv.includes('--keep');
  const json = process.argv.includes('--json');
  const phases: Record<string, number | string>[] = [];
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  const dataDir = path.join(root, 'bench-data');
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `workbook-${rows}.xlsx`);
  const phase = (name: string, args: string[], workbook: string) => {
    const result = spawnSync(process.execPath, [self, name, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    const figures = JSON.parse(result.stdout) as Record<string, number>;
    phases.push({ phase: name, workbook, ...figures });
    const mb = ((figures.maxRssKb ?? 0) / 1024).toFixed(0);
    const extra = Object.entries(figures)
      .filter(([key]) => key !== 'ms' && key !== 'maxRssKb')
      .map(([key, value]) => `${key} ${value.toLocaleString('en')}`)
      .join(', ');
    say(`${name.padEnd(12)} ${((figures.ms ?? 0) / 1000).toFixed(1).padStart(6)} s   peak RSS ${mb.padStart(4)} MB   (${extra})`);
  };
  say(`workbook bench: ${rows.toLocaleString('en')} data rows of ${header.length} columns, Node ${process.version}`);
  // The registry the scrubs judge by: one listed number the workbooks hold (row 66 of the shared-strings one).
  const db = path.join(dataDir, 'workbook-bench.db');
  const list = path.join(dataDir, 'workbook-opposition.txt');
  fs.rmSync(db, { force: true });
  fs.writeFileSync(list, '0612345744\n0600000001\n');
  const asOf = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const imported = spawnSync(process.execPath, [path.join(root, 'bin/callscrub.js'), 'registry', 'import', list, '--list', 'bloctel', '--as-of', asOf, '--covers', '33', '--db', db, '--quiet'], { encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`registry import failed: ${imported.stderr}`);
  phase('write', [file, String(rows)], 'inline');
  phase('read', [file], 'inline');
  phase('scrub', [file, db], 'inline');
  if (!keep) fs.rmSync(file);
  const shared = path.join(dataDir, `workbook-${rows}-shared.xlsx`);
  say(`as LibreOffice saves it: ${(2 * rows).toLocaleString('en')} shared strings, the sheet part first (generated as XML here, not by our writer)`);
  phase('write-shared', [shared, String(rows)], 'shared');
  phase('read', [shared], 'shared');
  phase('scrub', [shared, db], 'shared');
  if (!keep) fs.rmSync(shared);
  for (const name of [db, `${db}-wal`, `${db}-shm`, list]) fs.rmSync(name, { force: true });
  if (json) process.stdout.write(`${JSON.stringify(phases)}\n`);
}
