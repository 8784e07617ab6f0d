// SheetJS (@e965/xlsx 0.20.3 = registry republish of the SheetJS CDN build). NOT streaming: whole workbook in memory.
// usage: node sheetjs-read.mjs FILE [--dump N]
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const XLSX = require(process.env.SHEETJS_PKG ?? '@e965/xlsx');
const args = process.argv.slice(2); const file = args[0];
const dump = args.includes('--dump') ? Number(args[args.indexOf('--dump') + 1]) : 0;
const t0 = performance.now();
try {
  const wb = XLSX.readFile(file, { dense: true, cellFormula: true, cellNF: true, cellText: false, cellDates: false, sheetRows: Number(process.env.SHEETROWS ?? 0) });
  const ws = wb.Sheets[wb.SheetNames[0]];
  const data = ws['!data'] ?? [];
  let rows = 0, cells = 0; const kinds = {};
  data.forEach((row, r) => { if (!row) return; rows++; row.forEach((c, ci) => { if (!c) return; cells++; const k = (c.f ? 'formula:' : '') + c.t; kinds[k] = (kinds[k] ?? 0) + 1; if (r < dump) console.log(JSON.stringify({ r: r + 1, c: ci + 1, t: c.t, v: c.v, f: c.f, z: c.z, w: c.w })); }); });
  console.log(JSON.stringify({ lib: 'sheetjs ' + XLSX.version, file, sheets: wb.SheetNames, ref: ws['!ref'], rows, cells, kinds, ms: Math.round(performance.now() - t0), rssMB: Math.round(process.memoryUsage().rss / 1048576) }));
} catch (e) { console.log(JSON.stringify({ lib: 'sheetjs', file, error: String(e.message ?? e) })); process.exitCode = 2; }
