// Generated benchmark data, reproducible from a seed: Bloctel-style list files, messy spreadsheet cells, prospect
// exports, consent ledgers and call logs.
// Nothing here is committed data; the files are written under bench-data/ (ignored by git).

import { createHash } from 'node:crypto';
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

/** The national form (0 and 9 digits) of a French number as writeProspectsFile writes it, or undefined. */
function nationalOf(cell: string): string | undefined {
  const digits = cell.replace(/\D/g, '');
  if (digits.length === 10 && digits.startsWith('0')) return digits;
  if (digits.length === 9) return `0${digits}`;
  if (digits.length === 11 && digits.startsWith('33')) return `0${digits.slice(2)}`;
  return undefined;
}

/** The distinct numbers of a file written by writeProspectsFile (its telephone and mobile columns), national form. */
export function prospectNumbers(file: string): string[] {
  const numbers = new Set<string>();
  const lines = fs.readFileSync(file, 'utf8').split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    // The company may hold a quoted ';', the last four fields never do: telephone;mobile;email;ville.
    const fields = (lines[i] as string).split(';');
    if (fields.length < 9) continue;
    for (const cell of [fields[fields.length - 4] as string, fields[fields.length - 3] as string]) {
      const national = nationalOf(cell);
      if (national !== undefined) numbers.add(national);
    }
  }
  return [...numbers];
}

export interface ConsentLedgerStats {
  records: number;
  distinct: number;
  /** Distinct numbers taken from `known`. */
  fromKnown: number;
  withdrawn: number;
  expiring: number;
  regranted: number;
}

const DAY = 86_400_000;
const dayOf = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
const isoDay = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

/** The ledger's collection channels: web forms, lead suppliers, recorded calls, a fair (about 50). */
function consentSources(): string[] {
  const sites = ['assurances-horizon', 'energie-verte-direct', 'isolation-confort', 'mutuelle-avenir', 'solaire-habitat', 'fibre-express', 'credit-serein', 'voyages-azur', 'cuisines-durand', 'pompe-chaleur-plus'];
  const pages = ['/devis', '/contact', '/simulateur/etape-3', '/jeu-concours-ete-2025', '/newsletter?utm_source=facebook&utm_campaign=printemps'];
  const sources: string[] = [];
  for (let i = 0; i < 35; i++) sources.push(`https://www.${sites[i % sites.length]}.fr${pages[Math.floor(i / sites.length) % pages.length]}`);
  for (const supplier of ['LeadMedia SAS', 'Data Prospect France', 'Comparateur MonDevis', 'Affiliation Nova', 'Opti Leads', 'Qualifio partenaire', 'Webhelp lot 2025-09', 'Leads & Co']) {
    sources.push(`fournisseur: ${supplier}`);
  }
  sources.push('appel entrant enregistré', 'appel sortant enregistré, script v3', 'formulaire papier en agence', 'espace client, case à cocher');
  sources.push('"Salon de l\'Habitat; Lyon 2025"', '"stand ""Foire de Paris"" 2026"', 'SMS réponse OUI au 38123');
  return sources;
}

const scopes = ['assurance habitation', 'Énergie — offres électricité et gaz', 'Marque Solaris', 'rénovation énergétique', 'mutuelle santé', 'fibre et box', 'crédit à la consommation', 'toutes offres du groupe'];

/**
 * A consent ledger as a French call centre exports it since opt-in: `records` records, header
 * `telephone;date_consentement;source;preuve;portee;date_retrait;expiration`, E.164 and national numbers mixed,
 * dates and ISO instants with offsets, grants from 2023-06-01 to the day before `asOf`. About `knownShare` of the
 * distinct numbers of `known` are in it (the rest are other numbers); about 3 % of records are withdrawn (on or
 * before `asOf`), 2 % have an expiry, 1 % repeat an earlier number with a later grant (after its withdrawal when
 * it has one); sources from about 50 forms and suppliers; proofs unique ids or SHA-256 hex.
 */
export function writeConsentLedgerFile(file: string, records: number, known: readonly string[], knownShare: number, asOf: string, seed: number): ConsentLedgerStats {
  const next = random(seed);
  const first = dayOf('2023-06-01');
  const last = dayOf(asOf) - 1;
  const sources = consentSources();
  const repeatShare = 0.01;
  const distinctTarget = Math.round(records * (1 - repeatShare));

  // The distinct numbers: a share of the known ones, then others, in a shuffled order.
  const chosen = new Set<string>();
  for (const number of known) if (chosen.size < distinctTarget && next() < knownShare) chosen.add(number);
  const fromKnown = chosen.size;
  const knownSet = new Set(known);
  while (chosen.size < distinctTarget) {
    const fresh = frenchNational(next);
    if (!knownSet.has(fresh)) chosen.add(fresh);
  }
  const numbers = [...chosen];
  for (let i = numbers.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [numbers[i], numbers[j]] = [numbers[j] as string, numbers[i] as string];
  }

  const offsets = ['+01:00', '+02:00', 'Z', '+00:00', '+04:00', '-04:00'];
  const two = (n: number) => String(n).padStart(2, '0');
  const dateText = (day: number): string => {
    const k = next();
    if (k < 0.55) return isoDay(day);
    const time = `${two(Math.floor(next() * 24))}:${two(Math.floor(next() * 60))}:${two(Math.floor(next() * 60))}`;
    if (k < 0.65) return `${isoDay(day)}T${time}.${String(Math.floor(next() * 1000)).padStart(3, '0')}Z`;
    return `${isoDay(day)}T${time}${offsets[Math.floor(next() * offsets.length)]}`;
  };
  const numberText = (national: string): string => {
    const k = next();
    if (k < 0.5) return `+33${national.slice(1)}`;
    if (k < 0.9) return national;
    return national.replace(/(\d\d)(?=\d)/g, '$1 ');
  };
  const proofText = (i: number): string =>
    next() < 0.5 ? `CNS-${(1_000_000_000 + i * 7919).toString(36).toUpperCase()}-${Math.floor(next() * 46656).toString(36).padStart(3, '0')}` : createHash('sha256').update(`${seed}:${i}`).digest('hex');

  // Per emitted distinct number: its grant day and withdrawal day (0: none), for the re-grants.
  const grantDay = new Int32Array(numbers.length);
  const withdrawnDay = new Int32Array(numbers.length);
  const stats: ConsentLedgerStats = { records: 0, distinct: 0, fromKnown, withdrawn: 0, expiring: 0, regranted: 0 };
  const fd = fs.openSync(file, 'w');
  let out = 'telephone;date_consentement;source;preuve;portee;date_retrait;expiration\n';
  let emitted = 0;
  const row = (national: string, granted: number, proof: string, withdrawn: number, expires: number): void => {
    const scope = next() < 0.7 ? (scopes[Math.floor(next() * scopes.length)] as string) : '';
    out += `${numberText(national)};${dateText(granted)};${sources[Math.floor(next() * sources.length)]};${proof};${scope};${withdrawn === 0 ? '' : dateText(withdrawn)};${expires === 0 ? '' : dateText(expires)}\n`;
    stats.records++;
    if (withdrawn !== 0) stats.withdrawn++;
    if (expires !== 0) stats.expiring++;
    if (out.length > 1 << 20) {
      fs.writeSync(fd, out);
      out = '';
    }
  };
  while (stats.records < records) {
    const remaining = records - stats.records;
    const mustRepeat = emitted === numbers.length;
    if (emitted > 0 && (mustRepeat || (next() < repeatShare && remaining > numbers.length - emitted))) {
      const j = Math.floor(next() * emitted);
      const after = Math.max(grantDay[j] as number, withdrawnDay[j] as number);
      if (after < last) {
        const regrant = Math.min(last, after + 1 + Math.floor(next() * 200));
        grantDay[j] = regrant;
        withdrawnDay[j] = 0;
        stats.regranted++;
        row(numbers[j] as string, regrant, proofText(numbers.length + stats.regranted), 0, 0);
        continue;
      }
      continue;
    }
    const granted = first + Math.floor(next() * (last - first + 1));
    const k = next();
    const withdrawn = k < 0.03 && granted < last + 1 ? granted + 1 + Math.floor(next() * (last + 1 - granted)) : 0;
    const expires = k >= 0.03 && k < 0.05 ? granted + 180 + Math.floor(next() * 900) : 0;
    grantDay[emitted] = granted;
    withdrawnDay[emitted] = withdrawn;
    row(numbers[emitted] as string, granted, proofText(emitted), withdrawn, expires);
    emitted++;
  }
  fs.writeSync(fd, out);
  fs.closeSync(fd);
  stats.distinct = emitted;
  return stats;
}

/**
 * The significant numbers (9 digits, 6xxxxxxxx or 7xxxxxxxx) of `count` distinct French mobiles for a call history:
 * about `knownShare` of the mobiles among `known` (national numbers, as prospectNumbers returns them), so that a
 * scrub of those prospects finds history for them, then fresh ones. Held as integers, not strings: 8 MB for 2,000,000.
 */
export function historyNumbers(count: number, known: readonly string[], knownShare: number, seed: number): Uint32Array {
  const next = random(seed);
  const chosen = new Set<number>();
  for (const national of known) {
    if (chosen.size >= count) break;
    if ((national[1] === '6' || national[1] === '7') && next() < knownShare) chosen.add(Number(national.slice(1)));
  }
  while (chosen.size < count) {
    const national = frenchNational(next);
    if (national[1] === '6' || national[1] === '7') chosen.add(Number(national.slice(1)));
  }
  return Uint32Array.from(chosen);
}

export interface CallLogStats {
  rows: number;
  refusals: number;
  first: string;
  last: string;
}

/**
 * A dialer's call log of `attempts` rows, header `telephone,date_appel,resultat`, in time order over the calling
 * hours (Monday to Friday, 10:00-13:00 and 14:00-20:00 at +01:00) of the 30 days before `nowMs`, each row a number
 * drawn from `numbers` (so about attempts / numbers.length attempts a number), written +33 6... or 06... About 3 %
 * of outcomes are `refus`, the others `pas de réponse`, `messagerie` or `ok`. Streamed in 1 MB pieces. The offset
 * is fixed at +01:00: the bench's now is in November, after the change to winter time.
 */
export function writeCallLogFile(file: string, attempts: number, numbers: Uint32Array, nowMs: number, seed: number): CallLogStats {
  const next = random(seed);
  const offsetSeconds = 3600;
  const nowSecond = Math.floor(nowMs / 1000);
  const fromSecond = nowSecond - 30 * 86_400;
  // The calling windows, their first instants and lengths in seconds, clipped to the 30 days.
  const starts: number[] = [];
  const lengths: number[] = [];
  const firstDay = Math.floor((fromSecond + offsetSeconds) / 86_400);
  for (let day = firstDay; day * 86_400 - offsetSeconds < nowSecond; day++) {
    const weekday = new Date(day * DAY).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const [startHour, endHour] of [[10, 13], [14, 20]] as const) {
      const start = Math.max(fromSecond + 1, day * 86_400 + startHour * 3600 - offsetSeconds);
      const end = Math.min(nowSecond, day * 86_400 + endHour * 3600 - offsetSeconds);
      if (start < end) {
        starts.push(start);
        lengths.push(end - start);
      }
    }
  }
  const total = lengths.reduce((sum, length) => sum + length, 0);
  const stats: CallLogStats = { rows: 0, refusals: 0, first: '', last: '' };
  const fd = fs.openSync(file, 'w');
  let out = 'telephone,date_appel,resultat\n';
  let window = 0;
  let passed = 0; // seconds of calling time in the windows before `window`
  let textSecond = -1;
  let text = '';
  for (let i = 0; i < attempts; i++) {
    const offset = Math.floor(((i + next()) * total) / attempts);
    while (offset - passed >= (lengths[window] as number)) passed += lengths[window++] as number;
    const second = (starts[window] as number) + offset - passed;
    if (second !== textSecond) {
      textSecond = second;
      text = `${new Date((second + offsetSeconds) * 1000).toISOString().slice(0, 19)}+01:00`;
    }
    const significant = numbers[Math.floor(next() * numbers.length)] as number;
    const k = next();
    const outcome = k < 0.03 ? 'refus' : k < 0.55 ? 'pas de réponse' : k < 0.8 ? 'messagerie' : 'ok';
    if (k < 0.03) stats.refusals++;
    out += `${next() < 0.5 ? '+33' : '0'}${significant},${text},${outcome}\n`;
    if (i === 0) stats.first = text;
    if (out.length > 1 << 20) {
      fs.writeSync(fd, out);
      out = '';
    }
  }
  stats.last = text;
  stats.rows = attempts;
  fs.writeSync(fd, out);
  fs.closeSync(fd);
  return stats;
}
