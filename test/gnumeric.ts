// Workbooks for tests, written by Gnumeric: this is Gnumeric's own XML file format, with explicit cell types,
// which its ssconvert converts to .xlsx (test/workbook.test.ts, test/workbook-scrub.test.ts).

/**
 * A Gnumeric XML workbook. A cell is written as in a sheet: 'n:612345678' a number, 'b:TRUE' a boolean, 'e:#N/A' an
 * error, '=D2*1' a formula, '' nothing, anything else text.
 */
export function gnumeric(sheets: { name: string; rows: string[][]; styles?: string }[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const cell = (row: number, col: number, spec: string) => {
    if (spec === '') return '';
    const at = `Row="${row}" Col="${col}"`;
    if (spec.startsWith('n:')) return `<gnm:Cell ${at} ValueType="40">${esc(spec.slice(2))}</gnm:Cell>\n`;
    if (spec.startsWith('b:')) return `<gnm:Cell ${at} ValueType="20">${esc(spec.slice(2))}</gnm:Cell>\n`;
    if (spec.startsWith('e:')) return `<gnm:Cell ${at} ValueType="50">${esc(spec.slice(2))}</gnm:Cell>\n`;
    if (spec.startsWith('=')) return `<gnm:Cell ${at}>${esc(spec)}</gnm:Cell>\n`;
    return `<gnm:Cell ${at} ValueType="60">${esc(spec)}</gnm:Cell>\n`;
  };
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gnm:Workbook xmlns:gnm="http://www.gnumeric.org/v10.dtd">\n' +
    `<gnm:SheetNameIndex>${sheets.map((s) => `<gnm:SheetName>${esc(s.name)}</gnm:SheetName>`).join('')}</gnm:SheetNameIndex>\n<gnm:Sheets>\n` +
    sheets
      .map(
        (s) =>
          `<gnm:Sheet><gnm:Name>${esc(s.name)}</gnm:Name>${s.styles ?? ''}<gnm:Cells>\n` +
          s.rows.map((cells, r) => cells.map((spec, c) => cell(r, c, spec)).join('')).join('') +
          '</gnm:Cells></gnm:Sheet>\n',
      )
      .join('') +
    '</gnm:Sheets>\n</gnm:Workbook>\n'
  );
}
