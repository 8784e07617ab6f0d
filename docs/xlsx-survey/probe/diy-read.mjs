// DIY streaming reader: yauzl (zip, random access) + saxes (SAX XML). Shows what a ~200-line reader needs.
// usage: node diy-read.mjs FILE [--dump N] [--sheet NAME|N]
import yauzl from 'yauzl';
import { SaxesParser } from 'saxes';
import { open as fsOpen } from 'node:fs/promises';

const OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
export class WorkbookError extends Error { constructor(code, msg) { super(msg); this.code = code; } }

export async function sniff(file) {
  const fh = await fsOpen(file, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(size, 1 << 20));
    await fh.read(head, 0, head.length, 0);
    if (head.subarray(0, 8).equals(OLE)) {
      // CFB container: encrypted OOXML has streams "EncryptionInfo"/"EncryptedPackage"; BIFF8 .xls has "Workbook" (or "Book")
      const u16 = (s) => Buffer.from(s, 'utf16le');
      if (head.includes(u16('EncryptedPackage')) || head.includes(u16('EncryptionInfo'))) return 'encrypted';
      if (head.includes(u16('Workbook')) || head.includes(u16('Book'))) return 'xls';
      return 'ole';
    }
    if (head.subarray(0, 4).toString('latin1') === 'PK\x03\x04') return 'zip';
    return 'unknown';
  } finally { await fh.close(); }
}

const openZip = (file) => new Promise((res, rej) => yauzl.open(file, { lazyEntries: true, autoClose: false }, (e, z) => e ? rej(e) : res(z)));
async function listEntries(zip) {
  const m = new Map();
  await new Promise((res, rej) => { zip.on('entry', (e) => { m.set(e.fileName, e); zip.readEntry(); }); zip.on('end', res); zip.on('error', rej); zip.readEntry(); });
  return m;
}
const entryStream = (zip, e) => new Promise((res, rej) => zip.openReadStream(e, (err, s) => err ? rej(err) : res(s)));
async function* saxEvents(zip, e) {
  const p = new SaxesParser({ xmlns: false, position: false });
  let q = [];
  p.on('opentag', (n) => q.push(['o', n.name, n.attributes]));
  p.on('closetag', (n) => q.push(['c', n.name]));
  p.on('text', (t) => q.push(['t', t]));
  const s = await entryStream(zip, e);
  s.setEncoding('utf8');
  for await (const chunk of s) { p.write(chunk); const out = q; q = []; yield out; }
  p.close(); if (q.length) yield q;
}
async function readSmallXml(zip, entries, name, onOpen, onText, onClose) {
  const e = entries.get(name); if (!e) return false;
  for await (const evs of saxEvents(zip, e)) for (const [k, a, b] of evs) { if (k === 'o') onOpen?.(a.replace(/^\w+:/, ''), b); else if (k === 't') onText?.(a); else onClose?.(a.replace(/^\w+:/, '')); }
  return true;
}
class SstStore {
  constructor() { this.buf = Buffer.allocUnsafe(1 << 20); this.len = 0; this.off = new Uint32Array(1 << 16); this.n = 0; }
  push(str) {
    const need = Buffer.byteLength(str);
    if (this.len + need > this.buf.length) { const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + need)); this.buf.copy(b, 0, 0, this.len); this.buf = b; }
    if (this.n + 2 > this.off.length) { const o = new Uint32Array(this.off.length * 2); o.set(this.off); this.off = o; }
    this.len += this.buf.write(str, this.len); this.off[++this.n] = this.len;
  }
  seal() { this.buf = this.buf.subarray(0, this.len); }
  get(i) { return i >= 0 && i < this.n ? this.buf.toString('utf8', this.off[i], this.off[i + 1]) : undefined; }
}
const BUILTIN_DATE = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);
const isDateFmt = (code) => !!code && /[dmyhs]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, ''));

export async function* readWorkbook(file, { sheet } = {}) {
  const kind = await sniff(file);
  if (kind === 'encrypted') throw new WorkbookError('ENCRYPTED', 'password-protected workbook (encrypted OOXML in an OLE container): remove the password and save again');
  if (kind === 'xls' || kind === 'ole') throw new WorkbookError('XLS', 'this is an Excel 97-2003 .xls file, not .xlsx: save it as .xlsx');
  if (kind !== 'zip') throw new WorkbookError('NOT_ZIP', 'not an .xlsx workbook (not a zip file)');
  const zip = await openZip(file);
  try {
    const entries = await listEntries(zip);
    if (!entries.has('[Content_Types].xml') || !entries.has('xl/workbook.xml')) throw new WorkbookError('NOT_WORKBOOK', 'zip file is not an .xlsx workbook (no xl/workbook.xml)');
    const sheets = []; let date1904 = false;
    await readSmallXml(zip, entries, 'xl/workbook.xml', (n, a) => {
      if (n === 'sheet') sheets.push({ name: a.name, rid: a['r:id'], state: a.state ?? 'visible' });
      if (n === 'workbookPr' && (a.date1904 === '1' || a.date1904 === 'true')) date1904 = true;
    });
    const rels = new Map();
    await readSmallXml(zip, entries, 'xl/_rels/workbook.xml.rels', (n, a) => { if (n === 'Relationship') rels.set(a.Id, a.Target); });
    for (const s of sheets) { const t = rels.get(s.rid) ?? ''; s.path = t.startsWith('/') ? t.slice(1) : 'xl/' + t.replace(/^\.\//, ''); }
    let pick;
    if (sheet === undefined) pick = sheets[0];
    else if (/^\d+$/.test(String(sheet))) pick = sheets[Number(sheet) - 1];
    else pick = sheets.find((s) => s.name === sheet);
    if (!pick) throw new WorkbookError('NO_SHEET', `sheet ${JSON.stringify(sheet ?? 1)} not found; sheets: ${sheets.map((s) => s.name).join(', ')}`);
    if (!entries.has(pick.path)) throw new WorkbookError('NOT_WORKBOOK', `sheet part ${pick.path} missing`);
    // styles: cellXfs index -> numFmt code
    const fmts = new Map(); const xfFmt = []; let inXfs = false;
    await readSmallXml(zip, entries, 'xl/styles.xml', (n, a) => {
      if (n === 'numFmt') fmts.set(Number(a.numFmtId), a.formatCode);
      if (n === 'cellXfs') inXfs = true;
      if (n === 'xf' && inXfs) xfFmt.push(Number(a.numFmtId ?? 0));
    }, null, (n) => { if (n === 'cellXfs') inXfs = false; });
    const isDateXf = xfFmt.map((id) => BUILTIN_DATE.has(id) || isDateFmt(fmts.get(id)));
    const fmtOf = (s) => { const id = xfFmt[s] ?? 0; return fmts.get(id) ?? (id === 0 ? 'General' : `builtin:${id}`); };
    // shared strings (kept in memory: the main RSS cost for big sst)
    // compact store: UTF-8 bytes in one growing Buffer + Uint32Array offsets (2M strings: ~30 MB instead of ~125 MB as JS strings)
    const sst = new SstStore(); let si = null, inT = false, inRph = false;
    await readSmallXml(zip, entries, 'xl/sharedStrings.xml', (n) => {
      if (n === 'si') si = ''; else if (n === 't' && !inRph) inT = true; else if (n === 'rPh') inRph = true;
    }, (t) => { if (inT) si += t; }, (n) => { if (n === 't') inT = false; else if (n === 'rPh') inRph = false; else if (n === 'si') { sst.push(si); si = null; } });
    sst.seal();
    yield { type: 'sheet', name: pick.name, sheets: sheets.map((s) => s.name), date1904 };
    // sheet data
    let row = null, c = null, where = null, rowNo = 0, colNo = 0, inIs = false, isRph = false;
    const colIdx = (ref) => { let n = 0; for (let i = 0; i < ref.length; i++) { const k = ref.charCodeAt(i); if (k < 65) break; n = n * 26 + (k & 31); } return n; };
    for await (const evs of saxEvents(zip, entries.get(pick.path))) {
      const out = [];
      for (const [k, a, b] of evs) {
        if (k === 'o') {
          const n = a.replace(/^\w+:/, '');
          if (n === 'row') { rowNo = b.r ? Number(b.r) : rowNo + 1; colNo = 0; row = { r: rowNo, cells: [] }; }
          else if (n === 'c' && row) { colNo = b.r ? colIdx(b.r) : colNo + 1; c = { col: colNo, t: b.t ?? 'n', s: Number(b.s ?? 0), raw: '', f: undefined }; }
          else if (c && n === 'v') { where = 'v'; }
          else if (c && n === 'f') { where = 'f'; c.f = ''; if (b.t === 'shared') c.fShared = b.si; }
          else if (c && n === 'is') inIs = true;
          else if (c && inIs && n === 'rPh') isRph = true;
          else if (c && inIs && n === 't' && !isRph) where = 'v';
        } else if (k === 't') {
          if (where === 'v') c.raw += a; else if (where === 'f') c.f += a;
        } else {
          const n = a.replace(/^\w+:/, '');
          if (n === 'v' || n === 'f' || n === 't') where = null;
          else if (n === 'rPh') isRph = false;
          else if (n === 'is') inIs = false;
          else if (n === 'c' && c) { row.cells.push(finish(c)); c = null; }
          else if (n === 'row') { out.push(row); row = null; }
        }
      }
      for (const r of out) yield { type: 'row', ...r };
    }
    function finish(c) {
      const cell = { col: c.col };
      if (c.f !== undefined) { cell.formula = c.f; if (c.fShared !== undefined) cell.sharedFormula = c.fShared; }
      switch (c.t) {
        case 's': cell.type = 'string'; cell.value = sst.get(Number(c.raw)); cell.sharedString = true; break;
        case 'inlineStr': cell.type = 'string'; cell.value = c.raw; cell.inline = true; break;
        case 'str': cell.type = 'string'; cell.value = c.raw; break;
        case 'b': cell.type = 'boolean'; cell.value = c.raw === '1' || c.raw === 'true'; break;
        case 'e': cell.type = 'error'; cell.value = c.raw; break;
        case 'd': cell.type = 'isodate'; cell.value = c.raw; break;
        default:
          if (c.raw === '') { cell.type = 'empty'; cell.value = null; break; }
          cell.type = 'number'; cell.value = Number(c.raw); cell.raw = c.raw;
          if (isDateXf[c.s]) { cell.type = 'date'; cell.serial = cell.value; }
      }
      cell.numFmt = fmtOf(c.s);
      return cell;
    }
  } finally { zip.close(); }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const file = args[0];
  const dump = args.includes('--dump') ? Number(args[args.indexOf('--dump') + 1]) : 0;
  const sheet = args.includes('--sheet') ? args[args.indexOf('--sheet') + 1] : undefined;
  const t0 = performance.now(); let rows = 0, cells = 0, info; const kinds = {};
  try {
    for await (const ev of readWorkbook(file, { sheet })) {
      if (ev.type === 'sheet') { info = ev; continue; }
      rows++;
      for (const cell of ev.cells) { cells++; const k = cell.formula !== undefined ? 'formula:' + cell.type : cell.type; kinds[k] = (kinds[k] ?? 0) + 1; if (rows <= dump) console.log(JSON.stringify({ r: ev.r, ...cell })); }
    }
    if (rows === 0) throw new WorkbookError('EMPTY', `sheet ${JSON.stringify(info?.name)} is empty`);
    console.log(JSON.stringify({ lib: 'yauzl+saxes', file, sheet: info.name, sheets: info.sheets, rows, cells, kinds, ms: Math.round(performance.now() - t0), rssMB: Math.round(process.memoryUsage().rss / 1048576) }));
  } catch (e) { console.log(JSON.stringify({ lib: 'yauzl+saxes', file, error: e.message, code: e.code })); process.exitCode = 2; }
}
