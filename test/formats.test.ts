import { describe, expect, it } from 'vitest';
import { readLine, readTps, readUsDnc, sniffFormat } from '../src/registry/formats.js';
import { findColumn } from '../src/csv/columns.js';
import { LineSplitter } from '../src/io/source.js';
import { ListReader } from '../src/registry/list-reader.js';
import { toNumberSet } from '../src/numbers/entries.js';
import { parseLooseDate, dayOf } from '../src/dates.js';

describe('list file formats', () => {
  it('reads Pacitel/Bloctel lines', () => {
    expect(readLine('Telephone;Identifiant', true)).toBeUndefined();
    expect(readLine('', false)).toBeUndefined();
    expect(readLine('0612345678;A12', false)).toEqual({ text: '0612345678', fields: ['A12'] });
    expect(readLine('06 12 34 56 78 , 2024-03-01', false)).toEqual({ text: '06 12 34 56 78', fields: ['2024-03-01'] });
    expect(readLine('6,12345E+08', false)).toEqual({ text: '6,12345E+08', fields: [] });
    expect(readLine('+33 6 12 34 56 78', true)).toEqual({ text: '+33 6 12 34 56 78', fields: [] });
  });

  it('reads US/Canada DNC lines', () => {
    expect(readUsDnc('201,2345678')).toBe(12012345678);
    expect(readUsDnc('"416","5551234"')).toBe(14165551234);
    expect(readUsDnc('101,2345678')).toBe('invalid-number');
    expect(readUsDnc('201,1345678')).toBe('invalid-number');
    expect(readUsDnc('201;2345678')).toBe('bad-record');
    expect(readUsDnc('areacode,number')).toBeUndefined();
  });

  it('reads UK TPS records', () => {
    expect(readTps('01632 960001')).toBe(441632960001);
    expect(readTps('02079460958 ')).toBe(442079460958);
    expect(readTps('07700900123 ')).toBe(447700900123);
    expect(readTps('00441632960')).toBe('invalid-number');
    expect(readTps('01632-96000 ')).toBe('bad-record');
  });

  it('sniffs the format', () => {
    expect(sniffFormat(['201,2345678', '202,3456789']).format).toBe('us-dnc');
    expect(sniffFormat(['01632 960001', '07700900123 ']).format).toBe('tps');
    expect(sniffFormat(['nom;prenom;telephone', 'Dupont;Jean;0612345678']).format).toBe('csv');
    expect(sniffFormat(['Telephone;Identifiant', '0612345678;1']).format).toBe('lines');
    expect(sniffFormat(['0612345678', '06 12 34 56 79']).format).toBe('lines');
  });
});

describe('columns', () => {
  it('finds columns by name, case and accents ignored, or by index', () => {
    const header = ['Nom', 'Téléphone', 'Date de fin'];
    expect(findColumn(header, 'telephone')).toBe(1);
    expect(findColumn(header, 'DATE DE FIN')).toBe(2);
    expect(findColumn(header, '1')).toBe(0);
    expect(findColumn(header, 'mobile')).toBe(-1);
  });
});

describe('line splitting', () => {
  const split = (chunks: string[]) => {
    const lines: Array<[string, number]> = [];
    const splitter = new LineSplitter((b, s, e, n) => lines.push([b.toString('utf8', s, e), n]), 1000, 'f');
    for (const chunk of chunks) splitter.push(Buffer.from(chunk));
    splitter.end();
    return lines;
  };

  it('takes LF, CRLF, lone CR and a mix, across chunk boundaries', () => {
    const expected = [['a', 1], ['b', 2], ['c', 3], ['d', 4]];
    expect(split(['a\nb\nc\nd\n'])).toEqual(expected);
    expect(split(['a\r\nb\r', '\nc\r\nd'])).toEqual(expected);
    expect(split(['a\rb\rc\rd\r'])).toEqual(expected);
    expect(split(['a\r\nb\rc\nd'])).toEqual(expected);
    expect(split(['a\n\nb'])).toEqual([['a', 1], ['', 2], ['b', 3]]);
  });

  it('refuses a line over the limit, naming its number', () => {
    expect(() => split(['ok\n', 'x'.repeat(2000)])).toThrow(/line 2 is longer than 1000 bytes/);
  });

  it('reads ten-digit lines straight from the bytes, but not a shorter line that ends where one would', () => {
    // `061\n234567\n` has a line feed ten bytes after its start, like a ten-digit line: it is two lines all the same.
    const reader = new ListReader({ kind: 'opposition', format: 'lines', country: undefined, column: undefined, dateColumn: undefined, fileName: 'f', expected: undefined });
    reader.push(Buffer.from('0612345678\n061\n234567\n0612345679\n0700000001\n0612345678;2024-01-01\n'));
    const read = reader.finish();
    expect(Array.from(toNumberSet(read.set).numbers)).toEqual([33612345678, 33612345679]);
    expect(read.records).toBe(6);
    expect(read.rejects.map((r) => r.line)).toEqual([2, 3, 5]);
  });
});

describe('dates', () => {
  it('reads registry date forms', () => {
    expect(parseLooseDate('2026-10-11')).toBe(dayOf('2026-10-11'));
    expect(parseLooseDate('2026-10-11T08:30:00Z')).toBe(dayOf('2026-10-11'));
    expect(parseLooseDate('11/10/2026')).toBe(dayOf('2026-10-11'));
    expect(parseLooseDate('2026-02-30')).toBeUndefined();
    expect(parseLooseDate('A12')).toBeUndefined();
  });
});
