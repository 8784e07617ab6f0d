// Generated benchmark data, reproducible from a seed: Bloctel-style list files and messy spreadsheet cells.
// Nothing here is committed data; the files are written under bench-data/ (ignored by git).

import fs from 'node:fs';

/** mulberry32: a small, fast, well-distributed 32-bit generator. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random valid French national number, 10 digits: mostly mobiles, then fixed lines and 09. */
export function frenchNational(next: () => number): string {
  const pick = next();
  const eight = String(Math.floor(next() * 1e8)).padStart(8, '0');
  if (pick < 0.45) return `06${eight[0] === '9' || eight.startsWith('39') ? `1${eight.slice(1)}` : eight}`;
  if (pick < 0.7) return `07${3 + Math.floor(next() * 7)}${eight.slice(1)}`;
  if (pick < 0.93) return `0${1 + Math.floor(next() * 5)}${eight.startsWith('6') || eight.startsWith('9') ? `1${eight.slice(1)}` : eight}`;
  return `09${eight}`;
}

/**
 * Writes `count` (at most 700,000,000) distinct French national numbers from 01 to 07, one per line, in a
 * scrambled order, without remembering them: a full-period linear congruential sequence over 2^30 visits every
 * value once, and the values below 7 * 10^8 are the significant numbers 1xxxxxxxx to 7xxxxxxxx.
 */
export function writeListFile(file: string, count: number, seed: number): void {
  if (count > 700_000_000) throw new Error('at most 700,000,000 distinct numbers');
  const modulus = 2 ** 30;
  let x = seed % modulus;
  const fd = fs.openSync(file, 'w');
  const line = Buffer.alloc(11 * 100_000);
  let pos = 0;
  for (let written = 0; written < count; ) {
    x = (1_664_525 * x + 1_013_904_223) % modulus; // a = 1 mod 4 and c odd: full period
    if (x >= 700_000_000) continue;
    const nsn = 100_000_000 + x;
    line.write(`0${nsn}\n`, pos, 'latin1');
    pos += 11;
    written++;
    if (pos === line.length) {
      fs.writeSync(fd, line, 0, pos);
      pos = 0;
    }
  }
  fs.writeSync(fd, line, 0, pos);
  fs.closeSync(fd);
}

/**
 * Streams a list file into a copy with `share` of its lines replaced by new numbers (and in a new order within
 * each block), as a newer publication of the same registry would be.
 */
export function writeChangedListFile(from: string, to: string, share: number, seed: number): void {
  const next = random(seed);
  const text = fs.readFileSync(from, 'latin1');
  const existing = new Set(text.split('\n'));
  const fd = fs.openSync(to, 'w');
  let lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    if (next() < share) {
      let fresh: string;
      do fresh = frenchNational(next);
      while (existing.has(fresh));
      existing.add(fresh);
      lines.push(fresh);
    } else lines.push(line);
    if (lines.length === 100_000) {
      fs.writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) fs.writeSync(fd, `${lines.join('\n')}\n`);
  fs.closeSync(fd);
}

/** Cells as call-centre exports hold them: every notation the normalizer handles, and some garbage. */
export function messyCells(count: number, seed: number): string[] {
  const next = random(seed);
  const cells: string[] = [];
  for (let i = 0; i < count; i++) {
    const national = frenchNational(next);
    const pairs = national.replace(/(\d\d)(?=\d)/g, '$1 ');
    const k = next();
    if (k < 0.3) cells.push(national);
    else if (k < 0.5) cells.push(pairs);
    else if (k < 0.58) cells.push(national.replace(/(\d\d)(?=\d)/g, '$1.'));
    else if (k < 0.66) cells.push(`+33 ${national.slice(1)}`);
    else if (k < 0.72) cells.push(national.slice(1)); // lost leading zero
    else if (k < 0.76) cells.push(`+33 (0)${pairs.slice(1)}`);
    else if (k < 0.8) cells.push(`0033${national.slice(1)}`);
    else if (k < 0.84) cells.push(`33${national.slice(1)}`);
    else if (k < 0.87) cells.push(`0692 ${national.slice(4)}`);
    else if (k < 0.89) cells.push(pairs.replace(/ /g, '\u00a0'));
    else if (k < 0.9) cells.push(`Tél. : ${pairs}`);
    else if (k < 0.91) cells.push(`${pairs} poste 12`);
    else if (k < 0.92) cells.push(`'${national}`);
    else if (k < 0.93) cells.push(`${national.slice(1)}.0`);
    else if (k < 0.94) cells.push('6,12345E+08');
    else if (k < 0.95) cells.push('#N/A');
    else if (k < 0.96) cells.push('');
    else if (k < 0.97) cells.push(national.slice(0, 8));
    else if (k < 0.98) cells.push(`+44 20 7946 0${String(Math.floor(next() * 1000)).padStart(3, '0')}`);
    else cells.push(`${national.slice(0, 4)}-${national.slice(4)}`);
  }
  return cells;
}

/**
 * A call-centre export of `rows` rows: 9 columns, two of them phone columns in mixed notations, about 90 bytes a
 * row, `;` and CRLF as Excel writes. About `listedShare` of the numbers come from `listed` (a list file's lines).
 */
export function writeProspectsFile(file: string, rows: number, listed: readonly string[], listedShare: number, seed: number): void {
  const next = random(seed);
  const fd = fs.openSync(file, 'w');
  let out = 'id;civilite;nom;prenom;societe;telephone;mobile;email;ville\r\n';
  const surnames = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau'];
  const firstNames = ['Jean', 'Marie', 'Pierre', 'Anne', 'Luc', 'Claire', 'Paul', 'Julie', 'Marc', 'Sophie'];
  const towns = ['Paris', 'Lyon', 'Marseille', 'Lille', 'Nantes', 'Bordeaux', 'Toulouse', 'Nice', 'Rennes', 'Dijon'];
  const notation = (national: string): string => {
    const k = next();
    if (k < 0.4) return national;
    if (k < 0.7) return national.replace(/(\d\d)(?=\d)/g, '$1 ');
    if (k < 0.8) return national.replace(/(\d\d)(?=\d)/g, '$1.');
    if (k < 0.9) return `+33 ${national.slice(1)}`;
    return national.slice(1);
  };
  const number = (): string => {
    const national = next() < listedShare ? (listed[Math.floor(next() * listed.length)] as string) : frenchNational(next);
    return notation(national);
  };
  for (let i = 1; i <= rows; i++) {
    const surname = surnames[Math.floor(next() * 10)] as string;
    const first = firstNames[Math.floor(next() * 10)] as string;
    const company = next() < 0.3 ? `"${surname} & Fils; SARL"` : `${surname} SAS`;
    const mobile = next() < 0.6 ? number() : '';
    out += `${i};M.;${surname};${first};${company};${number()};${mobile};${first.toLowerCase()}.${surname.toLowerCase()}@example.fr;${towns[Math.floor(next() * 10)]}\r\n`;
    if (out.length > 1 << 20) {
      fs.writeSync(fd, out);
      out = '';
    }
  }
  fs.writeSync(fd, out);
  fs.closeSync(fd);
}
