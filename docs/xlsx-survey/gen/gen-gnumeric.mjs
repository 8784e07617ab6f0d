// Writes a Gnumeric XML workbook (.gnumeric, uncompressed) with explicit cell types,
// then convert with: ssconvert in.gnumeric out.xlsx
// usage: node gen-gnumeric.mjs ROWS OUT.gnumeric [--extras]
// columns: id(num) name(text) phone(text '0612..') phone2(number) calc(formula =D*1) date(num, date fmt) flag(bool) [extras: err(#N/A value) naf(=NA()) big(6.12345678E8)]
import { createWriteStream } from 'node:fs';
const rows = Number(process.argv[2] ?? 1000);
const out = process.argv[3] ?? 'out.gnumeric';
const extras = process.argv.includes('--extras');
const w = createWriteStream(out);
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
let buf = [];
const put = (s) => { buf.push(s); if (buf.length > 2000) { const ok = w.write(buf.join('')); buf = []; return ok; } return true; };
const lastCol = extras ? 9 : 6;
put(`<?xml version="1.0" encoding="UTF-8"?>
<gnm:Workbook xmlns:gnm="http://www.gnumeric.org/v10.dtd">
<gnm:Version Epoch="1" Major="12" Minor="55" Full="1.12.55"/>
<gnm:Calculation ManualRecalc="0" EnableIteration="1" MaxIterations="100" IterationTolerance="0.001" FloatRadix="2" FloatDigits="64"/>
<gnm:SheetNameIndex><gnm:SheetName gnm:Cols="16384" gnm:Rows="1048576">Prospects</gnm:SheetName></gnm:SheetNameIndex>
<gnm:Sheets><gnm:Sheet>
<gnm:Name>Prospects</gnm:Name><gnm:MaxCol>${lastCol}</gnm:MaxCol><gnm:MaxRow>${rows}</gnm:MaxRow>
<gnm:Styles>
<gnm:StyleRegion startCol="0" startRow="0" endCol="16383" endRow="1048575"><gnm:Style Format="General"/></gnm:StyleRegion>
<gnm:StyleRegion startCol="5" startRow="1" endCol="5" endRow="${rows}"><gnm:Style Format="yyyy-mm-dd"/></gnm:StyleRegion>
</gnm:Styles>
<gnm:Cells>
`);
const hdr = ['id', 'name', 'phone', 'phone2', 'calc', 'date', 'flag'];
if (extras) hdr.push('err', 'naf', 'big');
hdr.forEach((h, c) => put(`<gnm:Cell Row="0" Col="${c}" ValueType="60">${h}</gnm:Cell>\n`));
let r = 1;
function more() {
  while (r <= rows) {
    const R = r + 1; // 1-based excel row
    const phone = '06' + String(12345678 + (r % 87654321)).padStart(8, '0');
    const phone2 = 33600000000 + (r % 99999999);
    let s = `<gnm:Cell Row="${r}" Col="0" ValueType="40">${r}</gnm:Cell>
<gnm:Cell Row="${r}" Col="1" ValueType="60">${esc(r % 7 === 0 ? `Élise "Lé" & Co ${r}` : `Name ${r}`)}</gnm:Cell>
<gnm:Cell Row="${r}" Col="2" ValueType="60">${phone}</gnm:Cell>
<gnm:Cell Row="${r}" Col="3" ValueType="40">${phone2}</gnm:Cell>
<gnm:Cell Row="${r}" Col="4">=D${R}*1</gnm:Cell>
<gnm:Cell Row="${r}" Col="5" ValueType="40">${45366 + (r % 3000)}</gnm:Cell>
<gnm:Cell Row="${r}" Col="6" ValueType="20">${r % 2 ? 'TRUE' : 'FALSE'}</gnm:Cell>
`;
    if (extras) s += `<gnm:Cell Row="${r}" Col="7" ValueType="50">#N/A</gnm:Cell>
<gnm:Cell Row="${r}" Col="8">=NA()</gnm:Cell>
<gnm:Cell Row="${r}" Col="9" ValueType="40">612345678</gnm:Cell>
`;
    r++;
    if (!put(s)) { w.once('drain', more); return; }
  }
  put(`</gnm:Cells>
</gnm:Sheet></gnm:Sheets></gnm:Workbook>
`);
  w.end(buf.join(''));
}
more();
