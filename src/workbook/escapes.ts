// Text in SpreadsheetML: XML escapes (a carriage return as &#13;, which XML's line-end handling leaves alone), and
// Excel's _xHHHH_ escapes for the characters XML 1.0 cannot hold at all (C0 controls but tab, line feed and carriage
// return; lone surrogates). A literal `_xHHHH_` in a text is written with its underscore escaped (`_x005F_xHHHH_`), so
// that Excel and LibreOffice, which decode these escapes, read back the text written. Gnumeric shows them as written.

/** Replaces Excel's _xHHHH_ escapes by the characters they stand for. */
export function decodeEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const xmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };

/** A text as element content or an attribute value: XML escapes, and _xHHHH_ for what XML cannot hold. */
export function encodeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\r_\ud800-\udfff\ufffe\uffff]/.test(text)) return text;
  return (
    text
      // a literal _xHHHH_ keeps its meaning: its underscore is escaped
      .replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_')
      .replace(/[&<>"\r]/g, (c) => xmlEntities[c] as string)
      // eslint-disable-next-line no-control-regex
      .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
  );
}
