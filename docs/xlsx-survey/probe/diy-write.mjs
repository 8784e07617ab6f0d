// DIY streaming writer: SpreadsheetML written as text into a yazl zip entry (deflate), inline strings, typed cells.
// usage: node diy-write.mjs ROWS OUT.xlsx
import yazl from 'yazl';
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';

const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
  // XML 1.0 forbids most C0 controls; Excel writes them as _x000B_ escapes
  .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => `_x${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}_`);
const colName = (n) => { let s = ''; while (n > 0) { const m = (n - 1) % 26; s = String.fromCharCode(65 + m) + s; n = (n - m - 1) / 26; } return s; };
// styles: 0 default, 1 bold header, 2 date yyyy-mm-dd, 3 text with quotePrefix (Excel keeps "=..." typed text as text even after edit)
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;
export async function writeWorkbook(out, sheetName, header, rowsIter) {
  const zip = new yazl.ZipFile();
  const file = createWriteStream(out);
  zip.outputStream.pipe(file);
  const add = (name, text) => zip.addBuffer(Buffer.from(text), name);
  add('[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`);
  add('_rels/.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  add('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${esc(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`);
  add('xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`);
  add('xl/styles.xml', STYLES);
  const sheet = new PassThrough();
  zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml');
  zip.end();
  const write = async (s) => { if (!sheet.write(s)) await once(sheet, 'drain'); };
  await write(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetData>`);
  const cellXml = (ref, c) => {
    if (c == null) return '';
    switch (c.type) {
      case 'number': return `<c r="${ref}"><v>${c.value}</v></c>`;                 // JS Number -> shortest round-trip text: exact
      case 'date': return `<c r="${ref}" s="2"><v>${c.serial}</v></c>`;
      case 'boolean': return `<c r="${ref}" t="b"><v>${c.value ? 1 : 0}</v></c>`;
      case 'error': return `<c r="${ref}" t="e"><v>${esc(c.value)}</v></c>`;
      case 'formula': return `<c r="${ref}"${typeof c.result === 'string' ? ' t="str"' : ''}><f>${esc(c.formula)}</f><v>${esc(String(c.result))}</v></c>`;
      case 'header': return `<c r="${ref}" s="1" t="inlineStr"><is><t xml:space="preserve">${esc(c.value)}</t></is></c>`;
      default: { // text: always a string cell; formula-looking text also gets quotePrefix
        const s = String(c.value);
        return `<c r="${ref}"${/^[=+\-@]/.test(s) ? ' s="3"' : ''} t="inlineStr"><is><t xml:space="preserve">${esc(s)}</t></is></c>`;
      }
    }
  };
  let r = 1;
  let buf = `<row r="1">${header.map((h, i) => cellXml(colName(i + 1) + 1, { type: 'header', value: h })).join('')}</row>`;
  for await (const cells of rowsIter) {
    r++;
    buf += `<row r="${r}">` + cells.map((c, i) => cellXml(colName(i + 1) + r, c)).join('') + '</row>';
    if (buf.length > 65536) { await write(buf); buf = ''; }
  }
  await write(buf + `</sheetData></worksheet>`);
  sheet.end();
  await once(file, 'close');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = Number(process.argv[2] ?? 1000); const out = process.argv[3] ?? '/tmp/diy.xlsx';
  const t0 = performance.now();
  function* gen() {
    for (let r = 1; r <= rows; r++) yield [
      { type: 'number', value: r },
      { type: 'text', value: r % 7 === 0 ? `Élise "Lé" & Co <${r}>` : `Name ${r}` },
      { type: 'text', value: '06' + String(12345678 + r).padStart(8, '0') },
      { type: 'number', value: 33600000000 + r },
      { type: 'formula', formula: `D${r + 1}*1`, result: 33600000000 + r },
      { type: 'date', serial: 45366 + (r % 3000) },
      { type: 'boolean', value: r % 2 === 1 },
      { type: 'error', value: '#N/A' },
      { type: 'text', value: '=HYPERLINK("http://x")' },
      { type: 'text', value: r % 3 ? '' : 'dnc' },
    ];
  }
  await writeWorkbook(out, 'clean', ['id', 'name', 'phone', 'phone2', 'calc', 'date', 'flag', 'err', 'formula_like_text', 'callscrub_reason'], gen());
  console.log(JSON.stringify({ lib: 'yazl-diy-writer', rows, out, ms: Math.round(performance.now() - t0), rssMB: Math.round(process.memoryUsage().rss / 1048576) }));
}
