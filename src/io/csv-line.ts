// One CSV line split into fields (RFC 4180 quoting, no line breaks inside fields), and finding a column by name
// the way people type it: case and accents ignored, or a 1-based index.

/** The fields of one line, or undefined when a quote is left open. */
export function splitCsvLine(line: string, delimiter: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) return undefined;
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      // Tolerate spaces between the closing quote and the delimiter.
      while (line[i] === ' ') i++;
      fields.push(value);
      if (i >= line.length) return fields;
      if (line[i] !== delimiter) return undefined;
      i++;
    } else {
      const end = line.indexOf(delimiter, i);
      if (end < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
}

/** Lower case without accents, for comparing header names. */
export function foldName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase();
}

/** The index of the column `wanted` names (a header, or a 1-based number), or -1. */
export function findColumn(names: readonly string[], wanted: string): number {
  const folded = foldName(wanted);
  const byName = names.findIndex((n) => foldName(n) === folded);
  if (byName >= 0) return byName;
  if (/^[1-9]\d*$/.test(wanted) && Number(wanted) <= names.length) return Number(wanted) - 1;
  return -1;
}
