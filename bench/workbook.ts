// Issue 14's workbook figures, a measurement and not a test: a 1,000,000-row workbook written by our writer
// (src/workbook/writer.ts), then read back by our reader (src/workbook/reader.ts), each in its own process so that
// each peak RSS is its own. Prints wall time and peak RSS (process.resourceUsage().maxRSS) for each.
//   node dist/bench/workbook.js [ROWS] [--keep]   (the workbook goes to bench-data/workbook-ROWS.xlsx)

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
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

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'write' || mode === 'read') {
  // A child: one phase, its figures on stdout as JSON.
  const file = rest[0] as string;
  const started = performance.now();
  const figures = mode === 'write' ? await write(file, Number(rest[1])) : await read(file);
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ...figures, ms, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
} else {
  const rows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  const keep = process.argv.includes('--keep');
  const dataDir = path.join(root, 'bench-data');
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `workbook-${rows}.xlsx`);
  const phase = (name: string, args: string[]) => {
    const result = spawnSync(process.execPath, [self, name, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    const figures = JSON.parse(result.stdout) as Record<string, number>;
    const mb = ((figures.maxRssKb ?? 0) / 1024).toFixed(0);
    const extra = Object.entries(figures)
      .filter(([key]) => key !== 'ms' && key !== 'maxRssKb')
      .map(([key, value]) => `${key} ${value.toLocaleString('en')}`)
      .join(', ');
    console.log(`${name.padEnd(5)} ${((figures.ms ?? 0) / 1000).toFixed(1).padStart(6)} s   peak RSS ${mb.padStart(4)} MB   (${extra})`);
  };
  console.log(`workbook bench: ${rows.toLocaleString('en')} data rows of ${header.length} columns, Node ${process.version}`);
  phase('write', [file, String(rows)]);
  phase('read', [file]);
  if (!keep) fs.rmSync(file);
}
