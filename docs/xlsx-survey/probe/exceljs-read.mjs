// Streaming read with exceljs WorkbookReader. usage: node exceljs-read.mjs FILE [--dump N] [--pkg exceljs|@zurmokeeper/exceljs] [--sheet NAME|N]
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const file = args[0];
const dump = args.includes('--dump') ? Number(args[args.indexOf('--dump') + 1]) : 0;
const pkg = args.includes('--pkg') ? args[args.indexOf('--pkg') + 1] : 'exceljs';
const ExcelJS = pkg === 'excelts' ? { stream: { xlsx: { WorkbookReader: (await import('@cj-tech-master/excelts')).WorkbookReader } } } : require(pkg);
const t0 = performance.now();
const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
  worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
});
let rows = 0, cells = 0, sheets = [];
const kinds = {};
const kind = (v) => v === null || v === undefined ? 'empty' : v instanceof Date ? 'date' : typeof v === 'object' ? ('formula' in v ? 'formula' : 'error' in v ? 'error' : 'richText' in v ? 'richText' : 'object') : typeof v;
try {
  for await (const ws of reader) {
    sheets.push({ id: ws.id, name: ws.name });
    for await (const row of ws) {
      rows++;
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        cells++;
        const k = kind(cell.value); kinds[k] = (kinds[k] ?? 0) + 1;
        if (rows <= dump) console.log(JSON.stringify({ sheet: ws.name, r: row.number, c: col, kind: k, value: cell.value, numFmt: cell.numFmt, cellType: cell.type }));
      });
    }
  }
  const ms = Math.round(performance.now() - t0);
  console.log(JSON.stringify({ lib: pkg, file, sheets, rows, cells, kinds, ms, rssMB: Math.round(process.memoryUsage().rss / 1048576) }));
} catch (e) {
  console.log(JSON.stringify({ lib: pkg, file, error: String(e?.message ?? e), code: e?.code }));
  process.exitCode = 2;
}
