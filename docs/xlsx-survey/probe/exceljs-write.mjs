// Streaming write with exceljs WorkbookWriter. usage: node exceljs-write.mjs ROWS OUT.xlsx [--shared]
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const PKG = process.env.EXCELJS_PKG ?? 'exceljs';
const ExcelJS = PKG === 'excelts' ? { stream: { xlsx: { WorkbookWriter: (await import('@cj-tech-master/excelts')).WorkbookWriter } } } : require(PKG);
const rows = Number(process.argv[2] ?? 1000); const out = process.argv[3] ?? '/tmp/out.xlsx';
const YIELD = !process.argv.includes('--no-yield');
const t0 = performance.now();
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true, useSharedStrings: process.argv.includes('--shared') });
const ws = wb.addWorksheet('clean', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
const header = ws.addRow(['id', 'name', 'phone', 'phone2', 'calc', 'date', 'flag', 'err', 'formula_like_text', 'callscrub_reason']);
header.font = { bold: true }; // row style -> every header cell gets a bold xf
header.commit();
const dateFmt = 'yyyy-mm-dd';
for (let r = 1; r <= rows; r++) {
  const row = ws.addRow([
    r,
    r % 7 === 0 ? `Élise "Lé" & Co <${r}>` : `Name ${r}`,
    '06' + String(12345678 + r).padStart(8, '0'),          // text stays text
    33600000000 + r,                                       // number stays number
    { formula: `D${r + 1}*1`, result: 33600000000 + r },   // formula with cached value
    new Date(Date.UTC(2024, 2, 15 + (r % 3000))),          // date (serial + numFmt)
    r % 2 === 1,                                           // boolean
    { error: '#N/A' },                                     // error cell
    '=HYPERLINK("http://x")',                              // text that looks like a formula: written as a string cell
    r % 3 ? '' : 'dnc',
  ]);
  row.getCell(6).numFmt = dateFmt;
  row.commit();
  if (YIELD && r % 1000 === 0) await new Promise((res) => setImmediate(res)); // let archiver/zlib drain
}
ws.commit();
await wb.commit();
console.log(JSON.stringify({ lib: PKG + '-writer', rows, out, ms: Math.round(performance.now() - t0), rssMB: Math.round(process.memoryUsage().rss / 1048576) }));
