// Reading a dialer's call log: a CSV file with a header naming the number called, when, and the outcome. Each record
// is one attempt, handed to the caller as it is read (nothing is kept: a month's log holds millions of rows), under
// every number its cell may denote; a record that cannot be an attempt is rejected with its line and reason, never
// its text. A local time without an offset is read in --timezone's zone; without one the import stops.

import { CallscrubError } from '../errors.js';
import { findColumn } from '../csv/columns.js';
import { feedReader, type ReadResult, type Source, type SourceEncoding } from '../io/source.js';
import { holdsNumber, readCell } from '../phone/cell.js';
import { reasons as phoneReasons, type InvalidNumber, type Reason } from '../phone/normalize.js';
import { knownTimeZone, laterInstant } from '../rules/local-time.js';
import { printable } from '../ui/printable.js';
import { defaultRefusalOutcomes, isCalledNumberHeader, isOutcomeHeader, refusalMatcher, timeRoleOfHeader, type TimeRole } from './call-log-columns.js';
import type { Reject } from './list-reader.js';
import { HeadedCsvReader } from './headed-csv.js';
import { readCallTime, type DateOrder } from '../instants.js';

export { defaultRefusalOutcomes, isRefusal, parseRefusalOutcomes } from './call-log-columns.js';

export interface CallLogOptions {
  /** Region of numbers written without their country code (`FR`). */
  readonly country: string;
  /** --timezone: the zone of local times written without an offset (IANA). */
  readonly timeZone: string | undefined;
  /** --refusal-outcomes: replaces defaultRefusalOutcomes. */
  readonly refusalOutcomes: readonly string[] | undefined;
  /** --column, --time-column (`Date+Heure` combines two), --outcome-column: a header name or a 1-based number. */
  readonly numberColumn: string | undefined;
  readonly timeColumn: string | undefined;
  readonly outcomeColumn: string | undefined;
  /** The import's instant (epoch ms): a call later than 5 minutes after it is rejected. */
  readonly now: number;
  /** --date-order: which of a slash or dot date's first two numbers is the day (default `dmy`). */
  readonly dateOrder?: DateOrder;
  /** --encoding (default `auto`). */
  readonly encoding?: SourceEncoding;
  /** Takes each rejected record as it is read (only the first few are kept in `rejects`). */
  readonly onReject?: (reject: Reject) => void;
}

export interface CallLogRead {
  /** Data records read (not the header, nor blank lines). */
  readonly rows: number;
  /** Records that gave an attempt. */
  readonly accepted: number;
  /** Accepted records whose outcome is a refusal. */
  readonly refusals: number;
  /** Records rejected, and the first few of them (`onReject` takes them all). */
  readonly rejected: number;
  readonly rejects: Reject[];
  readonly rejectedByReason: Record<string, number>;
  readonly sha256: string;
  readonly bytes: number;
  /** The log's encoding, as read (detected, or given). */
  readonly encoding: ReadResult['encoding'];
  /** The header names read; `time` is `Date + Heure` when a date and a time-of-day column combine. */
  readonly columns: { readonly number: string; readonly time: string; readonly outcome: string };
  readonly refusalTerms: readonly string[];
}

/** Why a record gives no attempt. Closed set: the phone normalizer's reasons (but `empty`), and the log's own. */
export const callLogRejectReasons = [
  ...phoneReasons.filter((reason): reason is Exclude<Reason, 'empty'> => reason !== 'empty'),
  'unreadable',
  'no-number',
  'several-numbers',
  'bad-time',
  'implausible-time',
  'future-time',
  'wrong-field-count',
] as const;
export type CallLogRejectReason = (typeof callLogRejectReasons)[number];

/** Calls before this are typos or a spreadsheet's zero date, not calls (2000-01-01T00:00Z, in seconds). */
const earliestCall = Date.UTC(2000, 0, 1) / 1000;
/** A dialer's clock may run a little ahead of this machine's. */
const clockSkewMs = 5 * 60_000;
/** A call's cells do not hold pages of text: a record over this many lines is a quote left open. */
const maxRecordLines = 20;
/** Rejects kept in memory for the summary; the others go to `onReject` only (10M of them took 500 MB). */
const keptRejects = 5;

/**
 * Reads a whole call log, calling `onAttempt` for each accepted record once per number it may denote (an ambiguous
 * 08/09 number is recorded under every reading: conservative), with the instant in whole seconds.
 */
export async function readCallLog(
  source: Source,
  options: CallLogOptions,
  onAttempt: (value: number, seconds: number, refusal: boolean) => void,
  progress?: (rows: number, bytes: number) => void,
): Promise<CallLogRead> {
  if (options.timeZone !== undefined && !knownTimeZone(options.timeZone)) {
    throw new CallscrubError('usage', `unknown time zone '${printable(options.timeZone)}'`, { hint: 'give an IANA zone such as Europe/Paris' });
  }
  const reader = new CallLogReader(options, source.name, onAttempt);
  const counts = {
    records: 0,
    set bytes(bytes: number) {
      progress?.(reader.records, bytes);
    },
  };
  const read = await feedReader(source, reader, counts, options.encoding, "save the log in one encoding, or give --encoding windows-1252 if it is Windows-1252 throughout");
  reader.end();
  return {
    rows: reader.records,
    accepted: reader.accepted,
    refusals: reader.refusals,
    rejected: reader.rejected,
    rejects: reader.rejects,
    rejectedByReason: reader.rejectedByReason,
    sha256: read.sha256,
    bytes: read.bytes,
    encoding: read.encoding,
    columns: reader.columnNames(),
    refusalTerms: reader.refusalTerms,
  };
}

interface Layout {
  readonly number: number;
  /** The time column, or a date column and the time-of-day column that completes it. */
  readonly time: number;
  readonly clock: number | undefined;
  readonly outcome: number;
}

class CallLogReader extends HeadedCsvReader<Layout> {
  accepted = 0;
  refusals = 0;
  readonly refusalTerms: readonly string[];
  private readonly refusal: (outcome: string) => boolean;

  constructor(
    private readonly options: CallLogOptions,
    fileName: string,
    private readonly onAttempt: (value: number, seconds: number, refusal: boolean) => void,
  ) {
    super(fileName);
    this.keptRejects = keptRejects;
    this.onReject = options.onReject;
    this.maxRecordLines = maxRecordLines;
    this.refusalTerms = options.refusalOutcomes ?? defaultRefusalOutcomes;
    this.refusal = refusalMatcher(this.refusalTerms);
  }

  end(): void {
    this.endScan();
    if (this.layout === undefined) throw new CallscrubError('input', 'the file holds no header and no call', { file: this.fileName, hint: 'check that this is the right file' });
  }

  columnNames(): CallLogRead['columns'] {
    const layout = this.layout as Layout;
    const names = this.header as readonly string[];
    const name = (i: number) => names[i] as string;
    return { number: name(layout.number), time: layout.clock === undefined ? name(layout.time) : `${name(layout.time)} + ${name(layout.clock)}`, outcome: name(layout.outcome) };
  }

  protected read(fields: string[], line: number, layout: Layout): void {
    // A record whose cells do not line up with the header cannot say which cell is the number or the time.
    const width = (this.header as readonly string[]).length;
    if (fields.length < width || fields.slice(width).some((f) => f.trim() !== '')) return this.reject(line, 'wrong-field-count');
    // The time first: a local time without --timezone stops the import at its line, whatever else the record holds.
    const time = this.instantOf(fields[layout.time] as string, layout.clock === undefined ? undefined : (fields[layout.clock] as string), line);
    const cell = fields[layout.number] as string;
    // Strict, as a scrub reads prospects: a number the normalizer calls invalid is no attempt to remember.
    const parts = readCell(cell, this.options.country);
    if (parts.length === 0) return this.reject(line, 'no-number');
    const refused = parts.find((part) => !part.normalized.ok);
    if (refused !== undefined) {
      // A well-formed number no numbering plan allocates keeps the normalizer's reason (`invalid-number`).
      const why = (refused.normalized as InvalidNumber).reason;
      const reason = refused.kind === 'unreadable' && why !== 'invalid-number' ? 'unreadable' : why;
      return this.reject(line, reason === 'empty' ? 'no-number' : reason);
    }
    const readings = new Set<string>();
    const primaries = new Set<string>();
    for (const part of parts) {
      if (!part.normalized.ok) continue;
      primaries.add(part.normalized.e164);
      readings.add(part.normalized.e164);
      for (const alternate of part.normalized.alternates) readings.add(alternate);
    }
    // An attempt is a call to one number: a cell naming two cannot say which was dialed.
    if (primaries.size > 1) return this.reject(line, 'several-numbers');
    if (typeof time === 'string') return this.reject(line, time);
    const seconds = Math.floor(time / 1000);
    if (seconds < earliestCall) return this.reject(line, 'implausible-time');
    if (time > this.options.now + clockSkewMs) return this.reject(line, 'future-time');
    const refusal = this.refusal(fields[layout.outcome] as string);
    this.accepted++;
    if (refusal) this.refusals++;
    for (const e164 of readings) this.onAttempt(Number(e164.slice(1)), seconds, refusal);
  }

  /** The instant (epoch ms) of a record's time cells, or `bad-time`. */
  private instantOf(timeCell: string, clockCell: string | undefined, line: number): number | 'bad-time' {
    const read = readCallTime(timeCell, clockCell, this.options.dateOrder ?? 'dmy');
    if (read === undefined) return 'bad-time';
    if (read.offset !== undefined) return read.wall - read.offset;
    const zone = this.options.timeZone;
    if (zone === undefined) {
      throw new CallscrubError('input', 'a call time without a time zone offset: callscrub cannot know which instant it was', {
        file: this.fileName,
        line,
        hint: "give --timezone Europe/Paris, the zone of the dialer's clock",
      });
    }
    return laterInstant(read.wall, zone);
  }

  protected chooseLayout(names: readonly string[], line: number): Layout {
    const file = this.fileName;
    const bad = (message: string, hint: string) => new CallscrubError('usage', message, { file, line, hint });
    // A cell of 6 digits or more may be a phone number (a log without a header): never printed.
    const shown = (name: string) => (/(?:\d\D*){6}/.test(name) ? '(a cell of digits)' : `'${printable(name)}'`);
    const described = `the header has ${names.map(shown).join(', ')}`;
    // A header names its columns: a first row holding a phone number is a call, and the log has no header.
    if (names.some((name) => holdsNumber(name, this.options.country, true))) {
      throw bad('a call log needs a header row naming its columns: its first row holds a phone number', 'add a header such as telephone;date;outcome');
    }
    const named = (option: string, wanted: string): number => {
      const at = findColumn(names, wanted);
      if (at < 0) throw bad(`no column '${printable(wanted)}' (${described})`, `check ${option}`);
      // Two columns of that name (a lead's status and the call's): the first is not necessarily the one meant.
      const same = names.flatMap((name, i) => (findColumn([name], wanted) === 0 && !/^[1-9]\d*$/.test(wanted) ? [i + 1] : []));
      if (same.length > 1) throw bad(`${shown(wanted)} names columns ${same.join(' and ')}`, `give ${option} the number of the right one: ${same.map((n) => `${option} ${n}`).join(' or ')}`);
      return at;
    };
    const one = (candidates: number[], what: string, option: string): number | undefined => {
      if (candidates.length > 1) throw bad(`columns ${candidates.map((i) => shown(names[i] as string)).join(' and ')} all look like ${what}`, `name the right one with ${option}`);
      return candidates[0];
    };
    const indices = names.map((_, i) => i);
    const taken = new Set<number>();

    let time: number | undefined;
    let clock: number | undefined;
    const wantedTime = this.options.timeColumn;
    if (wantedTime !== undefined) {
      // `--time-column Date+Heure`: a date column and the time-of-day column that completes it.
      const both = findColumn(names, wantedTime) < 0 && wantedTime.includes('+') ? wantedTime.split('+').map((part) => part.trim()) : [wantedTime];
      time = named('--time-column', both[0] as string);
      clock = both.length === 2 ? named('--time-column', both[1] as string) : undefined;
    } else {
      const roles = (role: TimeRole) => indices.filter((i) => timeRoleOfHeader(names[i] as string) === role);
      const [datetimes, dates, clocks] = [roles('datetime'), roles('date'), roles('clock')];
      const what = 'the time of the call';
      time = one(datetimes, what, '--time-column');
      if (time === undefined) {
        const date = one(dates, what, '--time-column');
        clock = one(clocks, what, '--time-column');
        // A date column alone, or a time column alone, holds the date and the time; the two together combine.
        time = date ?? clock;
        if (date === undefined) clock = undefined;
      }
    }
    if (time === undefined) throw bad(`no column for the time of the call (${described})`, 'name it with --time-column (a date and a time-of-day column: --time-column Date+Heure)');
    taken.add(time);
    if (clock !== undefined) taken.add(clock);

    const outcome =
      this.options.outcomeColumn !== undefined
        ? named('--outcome-column', this.options.outcomeColumn)
        : one(indices.filter((i) => !taken.has(i) && isOutcomeHeader(names[i] as string)), 'the outcome of the call', '--outcome-column');
    if (outcome === undefined) throw bad(`no column for the outcome of the call (${described})`, 'name it with --outcome-column');
    taken.add(outcome);

    const number =
      this.options.numberColumn !== undefined
        ? named('--column', this.options.numberColumn)
        : one(indices.filter((i) => !taken.has(i) && isCalledNumberHeader(names[i] as string)), 'the number called', '--column');
    if (number === undefined) throw bad(`no phone number column (${described})`, 'name it with --column');
    if (taken.has(number)) throw bad(`column ${shown(names[number] as string)} cannot be both the number and the time or outcome`, 'check --column');
    return { number, time, clock, outcome };
  }
}
