// Read (yauzl+saxes) -> write (yazl) in one pass: what a scrub costs minus classification.
// usage: node diy-pipe.mjs IN.xlsx OUT.xlsx [--sheet NAME|N]
import { readWorkbook } from './diy-read.mjs';
import { writeWorkbook } from './diy-write.mjs';
const [inp, out] = process.argv.slice(2);
const sheet = process.argv.includes('--sheet') ? process.argv[process.argv.indexOf('--sheet') + 1] : undefined;
const t0 = performance.now();
const it = readWorkbook(inp, { sheet });
let header = null, rows = 0;
const first = await it.next(); // sheet info
async function* body() {
  for await (const ev of it) {
    const cells = [];
    for (const c of ev.cells) {
      const w = c.formula !== undefined
        ? (c.type === 'error' ? { type: 'error', value: c.value } : { type: 'formula', formula: c.formula || '', result: c.value })
        : c.type === 'string' || c.type === 'isodate' ? { type: 'text', value: c.value }
        : c.type === 'empty' ? null : c;
      cells[c.col - 1] = w;
    }
    if (!header) { header = cells.map((c) => String(c?.value ?? '')); continue; }
    if (cells.every((c) => c == null)) continue; // skip blank rows
    rows++;
    yield cells;
  }
}
// header must be known before writing starts: pull first row
const gen = body();
const firstRow = await gen.next();
async function* all() { if (!firstRow.done) yield firstRow.value; yield* gen; }
await writeWorkbook(out, first.value.name, header, all());
console.log(JSON.stringify({ lib: 'diy read->write', inp, rows, ms: Math.round(performance.now() - t0), rssMB: Math.round(process.memoryUsage().rss / 1048576) }));
