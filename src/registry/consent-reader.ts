// Reading a consent ledger: a CSV file with a header whose columns say which number, when the consent was given, how
// it was collected and where its proof is (and, optionally, its scope, withdrawals and expiry). Each record becomes a
// consent, a withdrawal, or a reject with its reason (a rejected record's withdrawal still counts: a withdrawal needs
// no proof); the records of one number are then combined into one entry (consent-records.ts). A column the import
// would not read but that looks like part of the consent, or like phone numbers, stops it. The evidence is spooled,
// in its stored form, to an unlinked temporary file: a million strings held on the heap took 200 MB.

import { CallscrubError } from '../errors.js';
import { readListDate } from '../dates.js';
import { findColumn, foldName, PhoneLikeTally } from '../csv/columns.js';
import { feedReader, type Source } from '../io/source.js';
import { TextSpool } from '../io/text-spool.js';
import { isPhoneHeader } from '../phone/column-names.js';
import { holdsNumber, readCell } from '../phone/cell.js';
import { normalize, type InvalidNumber } from '../phone/normalize.js';
import { printable } from '../ui/printable.js';
import { combineConsents, consentOf, evidenceText, parseEvidence, withdrawalDay, withdrawalOnly, type Consent, type ConsentLimits, type Evidence } from './consent-records.js';
import { noDate } from '../numbers/set.js';
import type { Reject } from './list-reader.js';
import { HeadedCsvReader } from './headed-csv.js';
import { aboutConsent, consentRoles, DateTally, isPlaceholder, notWithdrawn, optInYes, requiredRoles, roleDescriptions, roleOfHeader, type ConsentRole } from './consent-columns.js';

export interface ConsentReaderOptions {
  readonly country: string;
  /** The number column (--column); undefined: every column whose name says phone. */
  readonly column: string | undefined;
  /** Columns named with --granted-column and the like. */
  readonly roleColumns: Partial<Record<ConsentRole, string>>;
  /** Columns named with --ignore-column: not part of the consent, whatever their name says. */
  readonly ignoreColumns: readonly string[];
  /** Yes/no columns named with --opt-in-column: a record whose cell does not say yes withdraws its number. */
  readonly optInColumns: readonly string[];
  /** A consent given after the import's --as-of day or its instant is rejected, as is a withdrawal after that day. */
  readonly limits: ConsentLimits;
  /** The --as-of date as written: the date of a withdrawal the ledger does not date. */
  readonly asOf: string;
}

/** The consents of a ledger file, one a number, sorted by number: their days, and their evidence in stored form. */
export interface ConsentLedger {
  readonly numbers: Float64Array;
  readonly granted: Int32Array;
  readonly withdrawn: Int32Array;
  readonly expires: Int32Array;
  /** The stored form of the evidence of the consents at `indices` (in any order), read in the file's order. */
  evidenceMany(indices: ArrayLike<number>): string[];
}

export interface ReadConsentFile {
  /** The combined consent of each number the file names, after the records the registry holds for it (see `combine`). */
  combine(previous: (value: number) => readonly Consent[]): ConsentLedger;
  /** Lets the spooled evidence go: once the import is written, or has failed. */
  close(): void;
  readonly records: number;
  readonly rejects: Reject[];
  readonly rejectedByReason: Record<string, number>;
  readonly sha256: string;
  readonly bytes: number;
  /** What the header's columns were taken for, for the summary: role -> column names. */
  readonly columns: Readonly<Record<string, string>>;
  /** Lines whose withdrawal has no readable date (or one after --as-of): withdrawn as of --as-of. */
  readonly undatedWithdrawals: readonly number[];
  /** Records whose only use is a withdrawal (no consent in them, or a rejected one). */
  readonly withdrawals: number;
  /** Records that give a consent or a withdrawal. */
  readonly accepted: number;
}

interface Layout {
  readonly phone: readonly number[];
  readonly roles: Readonly<Record<Exclude<ConsentRole, 'withdrawn'>, number | undefined>>;
  /** Every withdrawal column (`date de retrait`, `STOP SMS`, `opposition`...): any of them withdraws. */
  readonly withdrawn: readonly number[];
  /** The columns not read, whose cells are counted to find phone numbers or dates left out. */
  readonly others: readonly number[];
  /** The columns --ignore-column sets aside. */
  readonly ignored: readonly number[];
  /** The yes/no columns of --opt-in-column. */
  readonly optIn: readonly number[];
}

/** Reads a whole consent ledger. */
export async function readConsentFile(source: Source, options: ConsentReaderOptions, progress: { records: number; bytes: number }): Promise<ReadConsentFile> {
  const reader = new ConsentReader(options, source.name, source.size);
  let read;
  try {
    read = await feedReader(source, reader, progress);
    reader.end();
  } catch (error) {
    reader.close();
    throw error;
  }
  return {
    combine: (previous) => reader.combine(previous),
    close: () => reader.close(),
    records: reader.records,
    rejects: reader.rejects,
    rejectedByReason: reader.rejectedByReason,
    sha256: read.sha256,
    bytes: read.bytes,
    columns: reader.columnNames(),
    undatedWithdrawals: reader.undatedWithdrawals,
    withdrawals: reader.withdrawals,
    accepted: reader.accepted,
  };
}

/** Growable parallel arrays of the accepted records. */
class Records {
  length = 0;
  numbers: Float64Array;
  grantedAt: Float64Array;
  grantedDay: Int32Array;
  withdrawnDay: Int32Array;
  expiresDay: Int32Array;
  readonly evidence = new TextSpool();

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

class ConsentReader extends HeadedCsvReader<Layout> {
  withdrawals = 0;
  readonly undatedWithdrawals: number[] = [];
  private readonly tally: PhoneLikeTally;
  private readonly dates = new DateTally();
  private readonly kept: Records;

  constructor(
    private readonly options: ConsentReaderOptions,
    fileName: string,
    size: number | undefined,
  ) {
    super(fileName);
    // A ledger's record is rarely under 50 bytes: room for that many at first saves copies while growing.
    this.kept = new Records(Math.max(1024, Math.min(Math.ceil((size ?? 0) / 50), 1 << 26)));
    this.tally = new PhoneLikeTally(options.country);
  }

  close(): void {
    this.kept.evidence.close();
  }

  /** Records kept: consents and withdrawals. */
  get accepted(): number {
    return this.kept.length;
  }

  end(): void {
    this.endScan();
    const layout = this.layout;
    if (layout === undefined) {
      throw new CallscrubError('input', 'the file holds no consent record', { file: this.fileName, hint: 'check that this is the right file' });
    }
    // Every column not read that may matter, in one message: one about the consent by its name (`Consentement` yes/no,
    // `Statut`), one of dates (it may be the withdrawals, under a name callscrub does not know), one of phone numbers
    // (`Tel client` beside `Tel conseiller`: the consents would go to the wrong number).
    const names = this.header as readonly string[];
    const quoted = (name: string) => `'${name.replace(/'/g, "'\\''")}'`;
    const problems = layout.others.flatMap((i) => {
      const why = aboutConsent(names[i] as string) ? 'about the consent' : this.dates.holdsDates(i) ? 'dates' : this.tally.phoneLike(i) ? 'phone numbers' : undefined;
      // A column without a name is named by its number (options take a 1-based column number too).
      const unnamed = (names[i] as string).trim() === '';
      const label = unnamed ? `column ${i + 1} (no name)` : quoted(printable(names[i] as string));
      const flag = unnamed ? String(i + 1) : quoted(printable(names[i] as string));
      return why === undefined ? [] : [{ label, flag, why }];
    });
    if (problems.length > 0) {
      throw new CallscrubError('usage', `column${problems.length > 1 ? 's' : ''} not read that may matter: ${problems.map((p) => `${p.label} (${p.why})`).join(', ')}`, {
        file: this.fileName,
        hint: `name each one's role (--column, --granted-column, --withdrawn-column, --expires-column, --opt-in-column for yes/no), or set aside those that change nothing: ${problems.map((p) => `--ignore-column ${p.flag}`).join(' ')}`,
      });
    }
  }

  columnNames(): Record<string, string> {
    const layout = this.layout as Layout;
    const names = this.header as readonly string[];
    const out: Record<string, string> = { number: layout.phone.map((i) => names[i]).join(', ') };
    for (const role of consentRoles) {
      const at = role === 'withdrawn' ? layout.withdrawn : [layout.roles[role]].filter((i) => i !== undefined);
      if (at.length > 0) out[role] = at.map((i) => names[i]).join(', ');
    }
    if (layout.ignored.length > 0) out.ignored = layout.ignored.map((i) => names[i]).join(', ');
    if (layout.optIn.length > 0) out.optIn = layout.optIn.map((i) => names[i]).join(', ');
    return out;
  }

  protected read(fields: string[], line: number, layout: Layout): void {
    for (const i of layout.others) this.tally.add(i, fields[i] ?? '');
    for (const i of layout.others) this.dates.add(i, fields[i] ?? '');
    const cell = (at: number | undefined): string | null => {
      const text = at === undefined ? '' : (fields[at] ?? '').trim();
      return text.length === 0 ? null : text;
    };
    // A placeholder (`N/A`, `#N/A`, `-`, `inconnu`), or a date where a proof should be, is no source and no proof.
    const stated = (at: number | undefined): string | null => {
      const text = cell(at);
      return text === null || isPlaceholder(text) ? null : text;
    };
    // `never`, `-`, `N/A`, `non` in an expiry or withdrawal column say there is none.
    const optionalDate = (at: number | undefined) => {
      const text = cell(at);
      return text === null || readListDate(text, 'day-first') === 'none' || notWithdrawn.has(foldName(text)) ? null : text;
    };
    // Every withdrawal column: the earliest dated withdrawal; one that is set but not a date (`oui`, `STOP`), or dated
    // after --as-of (a typo), withdraws as of the import's date.
    let withdrawal: { text: string; day: number } | undefined;
    let undated = false;
    for (const at of layout.withdrawn) {
      const text = optionalDate(at);
      if (text === null) continue;
      const day = withdrawalDay(text, this.options.limits);
      if (day === undefined) undated = true;
      else if (withdrawal === undefined || day < withdrawal.day) withdrawal = { text, day };
    }
    // A record whose cells do not line up with the header cannot say which cell is what: no consent, and its number
    // is withdrawn as of the import (it may have said so in a cell that moved).
    const width = (this.header as readonly string[]).length;
    const misaligned = fields.length < width || fields.slice(width).some((f) => f.trim() !== '');
    const parts = layout.phone.flatMap((i) => readCell(fields[i] ?? '', this.options.country, true));
    // Every number the record names, under every reading of an ambiguous 08/09 number as written: a consent or a
    // withdrawal recorded for `09 76 12 34 56` is for whichever number that is (a withdrawal of several numbers
    // withdraws each).
    const readingsOf = (from: typeof parts) => [...new Set(from.flatMap((part) => (part.normalized.ok ? [part.normalized.e164, ...part.normalized.alternates] : [])))].map((e164) => Number(e164.slice(1)));
    const primaries = new Set(parts.flatMap((part) => (part.normalized.ok ? [part.normalized.e164] : [])));
    let named = readingsOf(parts);
    // Every number the record holds in any cell (but dates), for a record that cannot say which cell is its number.
    const anyNumber = () => readingsOf(fields.filter((f) => typeof readListDate(f, 'day-first') !== 'number').flatMap((f) => readCell(f, this.options.country, true)));
    const withdrawEach = (why: string | undefined, alone = true): void => {
      for (const value of named) {
        if (why !== undefined) this.kept.add(value, withdrawalOnly(this.options.asOf, this.options.limits.asOfDay, `line ${line}: ${why}, recorded as of ${this.options.asOf}`));
        else if (withdrawal !== undefined) this.kept.add(value, withdrawalOnly(withdrawal.text, withdrawal.day));
      }
      if (alone && named.length > 0 && (why !== undefined || withdrawal !== undefined)) this.withdrawals++;
    };
    if (misaligned) {
      this.reject(line, 'wrong-field-count');
      // The number may have moved to another cell: every number the record holds anywhere is withdrawn.
      named = anyNumber();
      if (named.length > 0) this.undatedWithdrawals.push(line);
      return withdrawEach(`the record has ${fields.length} cells, the header ${width}: a withdrawal it may hold`);
    }
    // An opt-in column that does not say yes (`non`, `false`, empty) withdraws the number as of the import.
    const optedOut = layout.optIn.find((at) => !optInYes.has(foldName(fields[at] ?? '')));
    if (undated || optedOut !== undefined) {
      if (named.length > 0) this.undatedWithdrawals.push(line);
      const why = optedOut !== undefined ? `the opt-in column '${(this.header as readonly string[])[optedOut]}' does not say yes` : `a withdrawal without a readable date on or before ${this.options.asOf}`;
      withdrawEach(why, false);
    }
    // A number cell that cannot be read, beside a withdrawal: the number may sit in another cell (a shifted record),
    // and every number the record holds is withdrawn.
    const refused = parts.find((part) => !part.normalized.ok);
    if (refused !== undefined || parts.length === 0) {
      const text = layout.phone.map((i) => fields[i] ?? '').find((c) => c.trim().length > 0);
      this.reject(line, refused !== undefined ? (refused.kind === 'unreadable' ? 'unreadable' : (refused.normalized as InvalidNumber).reason) : text === undefined ? 'empty' : (normalize(text) as InvalidNumber).reason);
      if (withdrawal !== undefined && !undated) {
        named = [...new Set([...named, ...anyNumber()])];
        withdrawEach(undefined);
      }
      return;
    }
    // A consent is given for one number: a record naming two cannot say which (a withdrawal withdraws both).
    if (primaries.size > 1) {
      this.reject(line, 'several-numbers');
      return withdrawEach(undefined);
    }
    const evidence: Evidence = {
      granted: cell(layout.roles.granted),
      source: stated(layout.roles.source),
      proof: stated(layout.roles.proof),
      scope: cell(layout.roles.scope),
      withdrawn: withdrawal?.text ?? null,
      expires: optionalDate(layout.roles.expires),
      note: null,
      lastWithdrawn: null,
    };
    const consent = consentOf(evidence, this.options.limits);
    if (typeof consent !== 'string') {
      if (consent.grantedDay === noDate) this.withdrawals++;
      for (const value of named) this.kept.add(value, consent);
      return;
    }
    this.reject(line, consent);
    // The record gives no consent, but its withdrawal stands: a withdrawal needs no grant and no proof.
    if (withdrawal !== undefined && !undated) withdrawEach(undefined);
  }

  protected chooseLayout(names: readonly string[], line: number): Layout {
    const file = this.fileName;
    // A header names its columns: a first row holding a phone number is data, and the ledger has no header.
    if (names.some((name) => holdsNumber(name, this.options.country, true))) {
      throw new CallscrubError('usage', 'a consent file needs a header row naming its columns: its first row holds a phone number', { file, line, hint: 'add a header such as telephone;granted;source;proof' });
    }
    const bad = (message: string, hint: string) => new CallscrubError('usage', message, { file, line, hint });
    // A first row with digits, a date or an address in it is a record, not a header: it is not printed (its cells
    // may be a number or a consent's evidence).
    if (names.some((name) => /\d{4}|:\/\/|@/.test(name))) {
      throw bad('a consent file needs a header row naming its columns: its first row looks like a record', 'add a header such as telephone;granted;source;proof');
    }
    const named = (option: string, wanted: string): number => {
      const at = findColumn(names, wanted);
      if (at < 0) throw bad(`no column '${printable(wanted)}' (the header has ${names.map(printable).join(', ')})`, `check ${option}`);
      return at;
    };
    const ignored = new Set(this.options.ignoreColumns.map((name) => named('--ignore-column', name)));
    const optIn = this.options.optInColumns.map((name) => named('--opt-in-column', name));
    // Withdrawals are always read: no option sets one aside or reads it as something else.
    const withdrawal = (at: number) => roleOfHeader(names[at] as string) === 'withdrawn';
    for (const at of ignored) {
      if (withdrawal(at)) throw bad(`column '${printable(names[at] as string)}' holds withdrawals: it cannot be ignored`, 'withdrawals are always read; drop this --ignore-column');
    }
    const explicit = new Set<number>([...ignored, ...optIn]);
    const roles: Record<Exclude<ConsentRole, 'withdrawn'>, number | undefined> = { granted: undefined, source: undefined, proof: undefined, scope: undefined, expires: undefined };
    const withdrawn: number[] = [];
    for (const role of consentRoles) {
      const wanted = this.options.roleColumns[role];
      if (wanted === undefined) continue;
      const at = named(`--${role}-column`, wanted);
      if (role === 'withdrawn') withdrawn.push(at);
      else if (withdrawal(at)) throw bad(`column '${printable(names[at] as string)}' holds withdrawals, not ${roleDescriptions[role]}`, `name another column with --${role}-column`);
      else roles[role] = at;
      explicit.add(at);
    }
    const phone = this.options.column === undefined ? [] : [named('--column', this.options.column)];
    for (const at of phone) explicit.add(at);
    for (const role of consentRoles) {
      const candidates = names.map((name, i) => ({ name, i })).filter(({ name, i }) => !explicit.has(i) && roleOfHeader(name) === role);
      // Any withdrawal column withdraws: they are all read.
      if (role === 'withdrawn') {
        withdrawn.push(...candidates.map((c) => c.i));
        continue;
      }
      if (roles[role] !== undefined) continue;
      if (candidates.length > 1) {
        throw bad(`columns ${candidates.map((c) => `'${printable(c.name)}'`).join(' and ')} all look like ${roleDescriptions[role]}`, `name the right one with --${role}-column`);
      }
      roles[role] = candidates[0]?.i;
    }
    const taken = new Set([...explicit, ...withdrawn, ...Object.values(roles).filter((i) => i !== undefined)]);
    if (phone.length === 0) phone.push(...names.map((_, i) => i).filter((i) => !taken.has(i) && isPhoneHeader(names[i] as string)));
    if (phone.length === 0) {
      throw bad(`no phone number column in the header (${names.map(printable).join(', ')})`, 'name it with --column');
    }
    for (const role of requiredRoles) {
      if (roles[role as Exclude<ConsentRole, 'withdrawn'>] === undefined) {
        throw bad(`no column for ${roleDescriptions[role]} (${role}) in the header (${names.map(printable).join(', ')})`, `name it with --${role}-column`);
      }
    }
    const others = names.map((_, i) => i).filter((i) => !taken.has(i) && !phone.includes(i));
    return { phone, roles, withdrawn, others, ignored: [...ignored], optIn };
  }

  /**
   * The consent of each number the file names: its records, after what the registry held for it (`previous`: the
   * newest version's consent, for an added file; none for a full one), combined.
   */
  combine(previous: (value: number) => readonly Consent[]): ConsentLedger {
    const r = this.kept;
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
      if (before.length === 0 && end === k + 1) {
        // One record and nothing before it (most numbers): its stored form as read, nothing to parse.
        ledger.granted[n] = r.grantedDay[first] as number;
        ledger.withdrawn[n] = r.withdrawnDay[first] as number;
        ledger.expires[n] = r.expiresDay[first] as number;
        slot[n] = first;
      } else {
        const group: Consent[] = [...before];
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
      evidenceMany: (indices) => {
        const texts = new Array<string>(indices.length);
        const spooled: number[] = [];
        for (let k = 0; k < indices.length; k++) {
          const at = slot[indices[k] as number] as number;
          if (at >= 0) spooled.push(k);
          else texts[k] = combined[-1 - at] as string;
        }
        spooled.sort((a, b) => (slot[indices[a] as number] as number) - (slot[indices[b] as number] as number));
        const read = r.evidence.getSorted(spooled.map((k) => slot[indices[k] as number] as number));
        spooled.forEach((k, j) => (texts[k] = read[j] as string));
        return texts;
      },
    };
  }
}
