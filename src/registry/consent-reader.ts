// Reading a consent ledger: a CSV file with a header whose columns say which number, when the consent was given, how
// it was collected and where its proof is (and, optionally, its scope, withdrawal and expiry). Each record becomes a
// consent or a reject with its reason; the records of one number are then combined into one consent
// (consent-records.ts). The evidence is kept in its stored form as bytes in a few large buffers, not as a string a
// record: a million strings held on the heap took 200 MB and kept the collector busy.

import { CallscrubError } from '../errors.js';
import { readListDate } from '../dates.js';
import { findColumn } from '../csv/columns.js';
import { delimiters, detectDelimiter } from '../csv/dialect.js';
import { allFields } from '../csv/fields.js';
import { CsvScanner, isBlankRecord, type CsvRecord } from '../csv/scanner.js';
import { readBytes, type Source } from '../io/source.js';
import { headerWords, isPhoneHeader } from '../phone/column-names.js';
import { holdsNumber, readCell } from '../phone/cell.js';
import { normalize, type InvalidNumber } from '../phone/normalize.js';
import { printable } from '../ui/printable.js';
import { combineConsents, consentOf, evidenceText, parseEvidence, type Consent, type Evidence } from './consent-records.js';
import type { Reject } from './list-reader.js';

/** The columns of a consent ledger beside the number. */
export const consentRoles = ['granted', 'source', 'proof', 'scope', 'withdrawn', 'expires'] as const;
export type ConsentRole = (typeof consentRoles)[number];
const requiredRoles: readonly ConsentRole[] = ['granted', 'source', 'proof'];

const roleDescriptions: Record<ConsentRole, string> = {
  granted: 'the date the consent was given',
  source: 'how the consent was collected',
  proof: 'the reference of its proof',
  scope: 'its scope',
  withdrawn: 'its withdrawal date',
  expires: 'its expiry date',
};

export interface ConsentReaderOptions {
  readonly country: string;
  /** The number column (--column); undefined: every column whose name says phone. */
  readonly column: string | undefined;
  /** Columns named with --granted-column and the like. */
  readonly roleColumns: Partial<Record<ConsentRole, string>>;
  /** The import's --as-of date as a day number: a consent given after it is rejected. */
  readonly asOfDay: number;
}

/** The consents of a ledger file, one a number, sorted by number: their days, and their evidence in stored form. */
export interface ConsentLedger {
  readonly numbers: Float64Array;
  readonly granted: Int32Array;
  readonly withdrawn: Int32Array;
  readonly expires: Int32Array;
  /** The stored form of the evidence of the consent at `i`. */
  evidence(i: number): string;
}

export interface ReadConsentFile {
  /** The combined consent of each number the file names, given what the registry held for it (see `combine`). */
  combine(previous: (value: number) => Consent | undefined): ConsentLedger;
  readonly records: number;
  readonly rejects: Reject[];
  readonly rejectedByReason: Record<string, number>;
  readonly sha256: string;
  readonly bytes: number;
  /** What the header's columns were taken for, for the summary: role -> column name. */
  readonly columns: Readonly<Record<string, string>>;
}

// Words of a header name (folded, see headerWords) that say which column is which. A name with a date word is a
// date (granted, withdrawn or expires), never a source, proof or scope.
const dateWords = new Set(['date', 'dt', 'le', 'on', 'at', 'timestamp', 'horodatage', 'jour', 'day', 'when', 'time', 'heure', 'datetime']);
const roleWords: Record<ConsentRole, ReadonlySet<string>> = {
  withdrawn: new Set(['withdrawn', 'withdrawal', 'withdraw', 'retrait', 'retire', 'retiree', 'revoked', 'revocation', 'revoque', 'revoquee', 'optout', 'desinscription', 'desinscrit', 'unsubscribed', 'unsubscribe', 'revoke']),
  expires: new Set(['expires', 'expire', 'expiry', 'expiration', 'echeance', 'until', 'jusqu', 'validite', 'valable', 'fin', 'end']),
  granted: new Set(['granted', 'grant', 'consent', 'consented', 'consentement', 'consenti', 'consentie', 'optin', 'accord', 'recueil', 'recueilli', 'recueillie', 'given', 'donne', 'obtained', 'obtenu', 'collected', 'collecte']),
  proof: new Set(['proof', 'preuve', 'evidence', 'justificatif', 'attestation']),
  source: new Set(['source', 'origine', 'origin', 'canal', 'channel', 'collecte', 'provenance', 'fournisseur', 'supplier', 'vendor', 'partenaire', 'partner', 'methode', 'method', 'moyen', 'via', 'formulaire', 'form']),
  scope: new Set(['scope', 'portee', 'perimetre', 'marque', 'brand', 'finalite', 'purpose', 'objet', 'produit', 'product']),
};

/** The role a header name gives its column, if any. */
export function roleOfHeader(name: string): ConsentRole | undefined {
  const words = headerWords(name);
  const joined = ` ${words.join(' ')} `;
  const has = (role: ConsentRole) => words.some((w) => roleWords[role].has(w));
  if (has('withdrawn') || joined.includes(' opt out ')) return 'withdrawn';
  if (has('expires')) return 'expires';
  const isDate = words.some((w) => dateWords.has(w));
  if (has('granted') || joined.includes(' opt in ')) {
    // `source du consentement`, `canal de collecte`, `preuve de consentement`: the consent's source or proof, not its
    // date; `date de collecte` is its date.
    if (!isDate && has('proof')) return 'proof';
    if (!isDate && has('source')) return 'source';
    if (!isDate && has('scope')) return 'scope';
    return 'granted';
  }
  if (isDate) return undefined;
  if (has('proof')) return 'proof';
  if (has('source')) return 'source';
  if (has('scope')) return 'scope';
  return undefined;
}

interface Layout {
  readonly phone: readonly number[];
  readonly roles: Readonly<Record<ConsentRole, number | undefined>>;
}

/** Reads a whole consent ledger. */
export async function readConsentFile(source: Source, options: ConsentReaderOptions, progress: { records: number; bytes: number }): Promise<ReadConsentFile> {
  const reader = new ConsentReader(options, source.name, source.size);
  const read = await readBytes(
    source,
    (chunk) => {
      reader.push(chunk);
      progress.records = reader.records;
    },
    (bytes) => (progress.bytes = bytes),
  );
  reader.end();
  await new Promise<void>((resolve) => setImmediate(resolve));
  return {
    combine: (previous) => reader.combine(previous),
    records: reader.records,
    rejects: reader.rejects,
    rejectedByReason: reader.rejectedByReason,
    sha256: read.sha256,
    bytes: read.bytes,
    columns: reader.columnNames(),
  };
}

/** Texts kept as UTF-8 bytes in blocks of 8 MiB, read back by index. */
class TextStore {
  private static readonly blockBytes = 1 << 23;
  private readonly blocks: Buffer[] = [];
  private used = TextStore.blockBytes;
  private position = new Float64Array(1024);
  private size = new Uint32Array(1024);
  private count = 0;

  add(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.used + bytes > TextStore.blockBytes) {
      this.blocks.push(Buffer.allocUnsafe(Math.max(TextStore.blockBytes, bytes)));
      this.used = 0;
    }
    const block = this.blocks.length - 1;
    (this.blocks[block] as Buffer).write(text, this.used);
    if (this.count === this.size.length) {
      const position = new Float64Array(this.count * 2);
      position.set(this.position);
      this.position = position;
      const size = new Uint32Array(this.count * 2);
      size.set(this.size);
      this.size = size;
    }
    this.position[this.count] = block * TextStore.blockBytes * 2 + this.used;
    this.size[this.count++] = bytes;
    this.used += bytes;
  }

  get(i: number): string {
    const position = this.position[i] as number;
    const block = Math.floor(position / (TextStore.blockBytes * 2));
    const start = position - block * TextStore.blockBytes * 2;
    return (this.blocks[block] as Buffer).toString('utf8', start, start + (this.size[i] as number));
  }
}

/** Growable parallel arrays of the accepted records. */
class Records {
  length = 0;
  numbers: Float64Array;
  grantedAt: Float64Array;
  grantedDay: Int32Array;
  withdrawnDay: Int32Array;
  expiresDay: Int32Array;
  readonly evidence = new TextStore();

  /** `expected`: how many records to make room for at first (pages never written cost no memory). */
  constructor(expected: number) {
    this.numbers = new Float64Array(expected);
    this.grantedAt = new Float64Array(expected);
    this.grantedDay = new Int32Array(expected);
    this.withdrawnDay = new Int32Array(expected);
    this.expiresDay = new Int32Array(expected);
  }

  add(value: number, consent: Consent): void {
    if (this.length === this.numbers.length) this.grow();
    const i = this.length++;
    this.numbers[i] = value;
    this.grantedAt[i] = consent.grantedAt;
    this.grantedDay[i] = consent.grantedDay;
    this.withdrawnDay[i] = consent.withdrawnDay;
    this.expiresDay[i] = consent.expiresDay;
    this.evidence.add(evidenceText(consent.evidence));
  }

  /** Lets the days go once the records are combined: only the evidence is still needed. */
  release(): void {
    this.numbers = new Float64Array(0);
    this.grantedAt = new Float64Array(0);
    this.grantedDay = new Int32Array(0);
    this.withdrawnDay = new Int32Array(0);
    this.expiresDay = new Int32Array(0);
  }

  consent(i: number): Consent {
    return {
      evidence: parseEvidence(this.evidence.get(i)) as Evidence,
      grantedAt: this.grantedAt[i] as number,
      grantedDay: this.grantedDay[i] as number,
      withdrawnDay: this.withdrawnDay[i] as number,
      expiresDay: this.expiresDay[i] as number,
    };
  }

  private grow(): void {
    const grown = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.numbers = grown(this.numbers);
    this.grantedAt = grown(this.grantedAt);
    this.grantedDay = grown(this.grantedDay);
    this.withdrawnDay = grown(this.withdrawnDay);
    this.expiresDay = grown(this.expiresDay);
  }
}

const utf8 = { decode: (b: Buffer, start = 0, end = b.length) => b.toString('utf8', start, end), encode: (t: string) => Buffer.from(t, 'utf8') };

class ConsentReader {
  records = 0;
  readonly rejects: Reject[] = [];
  readonly rejectedByReason: Record<string, number> = {};
  private readonly accepted: Records;
  private scanner: CsvScanner | undefined;
  private header: readonly string[] | undefined;
  private layout: Layout | undefined;

  constructor(
    private readonly options: ConsentReaderOptions,
    private readonly fileName: string,
    size: number | undefined,
  ) {
    // A ledger's record is rarely under 50 bytes: room for that many at first saves copies while growing.
    this.accepted = new Records(Math.max(1024, Math.min(Math.ceil((size ?? 0) / 50), 1 << 26)));
  }

  push(chunk: Buffer): void {
    if (this.scanner === undefined) {
      const delimiter = detectDelimiter(chunk) ?? ';';
      this.scanner = new CsvScanner({ delimiter: delimiters[delimiter], maxRecordBytes: 1 << 20, fileName: this.fileName }, (record) => this.record(record));
    }
    this.scanner.push(chunk);
  }

  end(): void {
    this.scanner?.end();
    if (this.layout === undefined) {
      throw new CallscrubError('input', 'the file holds no consent record', { file: this.fileName, hint: 'check that this is the right file' });
    }
  }

  columnNames(): Record<string, string> {
    const layout = this.layout as Layout;
    const names = this.header as readonly string[];
    const out: Record<string, string> = { number: layout.phone.map((i) => names[i]).join(', ') };
    for (const role of consentRoles) {
      const at = layout.roles[role];
      if (at !== undefined) out[role] = names[at] as string;
    }
    return out;
  }

  private reject(line: number, reason: string): void {
    this.rejects.push({ line, reason });
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
  }

  private record(record: CsvRecord): void {
    if (isBlankRecord(record)) return;
    const fields = allFields(record, utf8);
    if (this.layout === undefined) {
      if (/^\s*#(\s|$)/.test(fields[0] ?? '')) return; // a comment above the header
      this.header = fields;
      this.layout = this.chooseLayout(fields, record.line);
      return;
    }
    this.records++;
    const line = record.line;
    const layout = this.layout;
    const parts = layout.phone.flatMap((i) => readCell(fields[i] ?? '', this.options.country, true));
    const refused = parts.find((part) => !part.normalized.ok);
    if (refused !== undefined) return this.reject(line, refused.kind === 'unreadable' ? 'unreadable' : (refused.normalized as InvalidNumber).reason);
    if (parts.length === 0) {
      const text = layout.phone.map((i) => fields[i] ?? '').find((cell) => cell.trim().length > 0);
      return this.reject(line, text === undefined ? 'empty' : (normalize(text) as InvalidNumber).reason);
    }
    const values = [...new Set(parts.map((part) => (part.normalized.ok ? part.normalized.e164 : '')))];
    // A consent is given for one number: a record naming two cannot say which.
    if (values.length > 1) return this.reject(line, 'several-numbers');
    const cell = (role: ConsentRole): string | null => {
      const at = layout.roles[role];
      const text = at === undefined ? '' : (fields[at] ?? '').trim();
      return text.length === 0 ? null : text;
    };
    const granted = cell('granted');
    const source = cell('source');
    const proof = cell('proof');
    if (granted === null) return this.reject(line, 'missing-granted');
    if (source === null) return this.reject(line, 'missing-source');
    if (proof === null) return this.reject(line, 'missing-proof');
    // `never`, `-`, `N/A` in a withdrawal or expiry column say there is none.
    const optionalDate = (role: ConsentRole) => {
      const text = cell(role);
      return text === null || readListDate(text, 'day-first') === 'none' ? null : text;
    };
    const consent = consentOf({ granted, source, proof, scope: cell('scope'), withdrawn: optionalDate('withdrawn'), expires: optionalDate('expires') }, this.options.asOfDay);
    if (typeof consent === 'string') return this.reject(line, consent);
    this.accepted.add(Number((values[0] as string).slice(1)), consent);
  }

  private chooseLayout(names: readonly string[], line: number): Layout {
    const file = this.fileName;
    // A header names its columns: a first row holding a phone number is data, and the ledger has no header.
    if (names.some((name) => holdsNumber(name, this.options.country, true))) {
      throw new CallscrubError('usage', 'a consent file needs a header row naming its columns: its first row holds a phone number', { file, line, hint: 'add a header such as telephone;granted;source;proof' });
    }
    const bad = (message: string, hint: string) => new CallscrubError('usage', message, { file, line, hint });
    const named = (option: string, wanted: string): number => {
      const at = findColumn(names, wanted);
      if (at < 0) throw bad(`no column '${printable(wanted)}' (the header has ${names.map(printable).join(', ')})`, `check ${option}`);
      return at;
    };
    const explicit = new Set<number>();
    const roles: Record<ConsentRole, number | undefined> = { granted: undefined, source: undefined, proof: undefined, scope: undefined, withdrawn: undefined, expires: undefined };
    for (const role of consentRoles) {
      const wanted = this.options.roleColumns[role];
      if (wanted === undefined) continue;
      roles[role] = named(`--${role}-column`, wanted);
      explicit.add(roles[role] as number);
    }
    const phone = this.options.column === undefined ? [] : [named('--column', this.options.column)];
    for (const at of phone) explicit.add(at);
    for (const role of consentRoles) {
      if (roles[role] !== undefined) continue;
      const candidates = names.map((name, i) => ({ name, i })).filter(({ name, i }) => !explicit.has(i) && roleOfHeader(name) === role);
      if (candidates.length > 1) {
        throw bad(`columns ${candidates.map((c) => `'${printable(c.name)}'`).join(' and ')} all look like ${roleDescriptions[role]}`, `name the right one with --${role}-column`);
      }
      roles[role] = candidates[0]?.i;
    }
    if (phone.length === 0) {
      const taken = new Set(Object.values(roles).filter((i) => i !== undefined));
      phone.push(...names.map((_, i) => i).filter((i) => !taken.has(i) && isPhoneHeader(names[i] as string)));
    }
    if (phone.length === 0) {
      throw bad(`no phone number column in the header (${names.map(printable).join(', ')})`, 'name it with --column');
    }
    for (const role of requiredRoles) {
      if (roles[role] === undefined) {
        throw bad(`no column for ${roleDescriptions[role]} (${role}) in the header (${names.map(printable).join(', ')})`, `name it with --${role}-column`);
      }
    }
    return { phone, roles };
  }

  /**
   * The consent of each number the file names: its records, after what the registry held for it (`previous`: the
   * newest version's consent, for an added file; none for a full one), combined.
   */
  combine(previous: (value: number) => Consent | undefined): ConsentLedger {
    const r = this.accepted;
    const order = new Uint32Array(r.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    // By number, then in file order: a stable grouping (the records of one number keep their order).
    order.sort((a, b) => (r.numbers[a] as number) - (r.numbers[b] as number) || a - b);
    const ledger = { numbers: new Float64Array(order.length), granted: new Int32Array(order.length), withdrawn: new Int32Array(order.length), expires: new Int32Array(order.length) };
    // Where each consent's evidence is: a record's (its index), or one made by combining records (-1 - its index).
    const slot = new Int32Array(order.length);
    const combined: string[] = [];
    let n = 0;
    for (let k = 0; k < order.length; ) {
      const first = order[k] as number;
      const value = r.numbers[first] as number;
      let end = k + 1;
      while (end < order.length && r.numbers[order[end] as number] === value) end++;
      const before = previous(value);
      ledger.numbers[n] = value;
      if (before === undefined && end === k + 1) {
        // One record and nothing before it (most numbers): its stored form as read, nothing to parse.
        ledger.granted[n] = r.grantedDay[first] as number;
        ledger.withdrawn[n] = r.withdrawnDay[first] as number;
        ledger.expires[n] = r.expiresDay[first] as number;
        slot[n] = first;
      } else {
        const group: Consent[] = before === undefined ? [] : [before];
        for (let j = k; j < end; j++) group.push(r.consent(order[j] as number));
        const consent = combineConsents(group);
        ledger.granted[n] = consent.grantedDay;
        ledger.withdrawn[n] = consent.withdrawnDay;
        ledger.expires[n] = consent.expiresDay;
        slot[n] = -1 - combined.length;
        combined.push(evidenceText(consent.evidence));
      }
      n++;
      k = end;
    }
    r.release();
    return {
      numbers: ledger.numbers.slice(0, n),
      granted: ledger.granted.slice(0, n),
      withdrawn: ledger.withdrawn.slice(0, n),
      expires: ledger.expires.slice(0, n),
      evidence: (i) => {
        const at = slot[i] as number;
        return at >= 0 ? r.evidence.get(at) : (combined[-1 - at] as string);
      },
    };
  }
}
