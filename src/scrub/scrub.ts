// The scrub: a prospect file streams through the CSV scanner; each row's phone cells go through the pure classifier
// against the pinned lists; the row goes to exactly one of three outputs. Kept rows are copied byte for byte;
// excluded and invalid rows are rewritten with the reason, their formula-like cells neutralized. Memory stays flat:
// one chunk of input and one buffer per output at a time.

import { CallscrubError } from '../errors.js';
import { codec, delimiters, detectDialect, isSepLine, type DelimiterName, type Dialect, type Encoding } from '../csv/dialect.js';
import { allFields } from '../csv/fields.js';
import { sampleRecords } from '../csv/sample.js';
import { CsvScanner, isBlankRecord } from '../csv/scanner.js';
import { utf8Validator } from '../io/utf8.js';
import { binaryData, readChunks, type Source } from '../io/source.js';
import { classifyRow, type Policy } from './classify.js';
import { emptyCounts, RowRouter, type ScrubCounts, type ScrubOutputs } from './router.js';
import { choosePhoneColumns, ColumnWatch, type ColumnChoice, type PhoneColumn } from '../csv/columns.js';
import { ExclusionLog } from './exclusion-log.js';
import { NumberSeenSet } from './seen.js';
import type { Screening } from './screening.js';
import type { ContactRules } from './contact-rules.js';
import { scheduleColumns, type Schedule } from './schedule.js';
import { printable } from '../ui/printable.js';

/** How to read the file and judge its rows; which columns to screen (see columns.ts). */
export interface ScrubSettings extends ColumnChoice {
  readonly policy: Policy;
  readonly encoding: Encoding | 'auto';
  readonly delimiter: DelimiterName | 'auto';
  readonly allowUnscreened: boolean;
  readonly dedupe: boolean;
  /** --rules: the call history and the rules that judge it. */
  readonly contact?: ContactRules | undefined;
  /** --schedule: each clean row's next calling window. */
  readonly schedule?: Schedule | undefined;
}

export type { ScrubCounts, ScrubOutputs };

export interface ScrubProgress {
  rows: number;
  bytes: number;
}

export interface ScrubResult {
  readonly counts: ScrubCounts;
  readonly dialect: Dialect;
  readonly header: readonly string[] | undefined;
  readonly phoneColumns: readonly PhoneColumn[];
  readonly input: { readonly sha256: string; readonly bytes: number };
  /** Row numbers (1-based data rows) of excluded and invalid rows with their reasons, for the report. */
  readonly exclusions: ExclusionLog;
}

const sampleBytes = 64 * 1024;
/** Data rows read ahead to check what the unscreened columns hold. */
const sampleRows = 1000;
export const maxRecordBytes = 1 << 20;

export async function scrub(
  source: Source,
  screening: Screening,
  settings: ScrubSettings,
  outputs: ScrubOutputs,
  progress: ScrubProgress,
): Promise<ScrubResult> {
  const counts = emptyCounts();
  const exclusions = new ExclusionLog();
  const seen = settings.dedupe ? new NumberSeenSet() : undefined;
  const classifyOptions = { country: settings.country, policy: settings.policy, allowUnscreened: settings.allowUnscreened, seen, contact: settings.contact };
  const validate = settings.encoding === 'utf-8' ? utf8Validator(source.name) : undefined;
  let scan: { dialect: Dialect; scanner: CsvScanner; router: () => RowRouter | undefined; watch: () => ColumnWatch | undefined } | undefined;
  const judge = (phoneCells: string[]) => classifyRow(phoneCells, screening, classifyOptions);

  // The scan proper starts once the first bytes have told the dialect; the first record then starts the router.
  const begin = (first: Buffer, whole: boolean): void => {
    const dialect = detectDialect(first, settings, source.name);
    const text = codec(dialect.encoding);
    validate?.(first, 1);
    let sample = settings.checkContent ? sampleRecords(first, whole, dialect, text, maxRecordBytes, sampleRows + 1) : [];
    let router: RowRouter | undefined;
    let watch: ColumnWatch | undefined;
    let preamble: Buffer | undefined;
    const scanner = new CsvScanner({ delimiter: delimiters[dialect.delimiter], maxRecordBytes, fileName: source.name }, (record) => {
      if (isBlankRecord(record)) {
        counts.blankLines++;
        return;
      }
      if (router === undefined && isSepLine(record)) {
        preamble = Buffer.from(record.bytes.subarray(record.start, record.next));
        return;
      }
      if (router === undefined) {
        const header = settings.header ? allFields(record, text) : undefined;
        const chosen = choosePhoneColumns(header, record.fieldCount, settings.header ? sample.slice(1) : sample, settings, source.name);
        sample = [];
        if (chosen.watched.length > 0 || chosen.countryColumns.length > 0) {
          watch = new ColumnWatch(chosen.watched, chosen.countryColumns, header, settings.country, text, source.name);
        }
        // A file scheduled before holds the old windows: a dialer mapping columns by name could take them.
        const stale = settings.schedule === undefined ? undefined : header?.find((name) => (scheduleColumns as readonly string[]).includes(name.trim()));
        if (stale !== undefined) {
          throw new CallscrubError('input', `the file already has a column '${printable(stale)}' (a clean file scheduled before?): its old windows would stand beside the new ones`, {
            file: source.name,
            line: record.line,
            hint: 'scrub the original export, or remove the callscrub_ columns first',
          });
        }
        router = new RowRouter(record, header, chosen.columns, { dialect, text }, outputs, counts, exclusions, preamble, settings.schedule);
        if (header !== undefined) return;
      }
      counts.rowsIn++;
      watch?.observe(record);
      router.route(record, judge);
    });
    scanner.push(first);
    scan = { dialect, scanner, router: () => router, watch: () => watch };
  };

  let sample: Buffer[] = [];
  let sampled = 0;
  const read = await readChunks(
    source,
    async (chunk, bytesSoFar) => {
      // A UTF-16 file holds NULs: let the dialect detection refuse it with the way to save it as CSV.
      const firstChunk = bytesSoFar === chunk.length;
      if (!(firstChunk && (chunk[0] === 0xff || chunk[0] === 0xfe)) && chunk.includes(0)) throw binaryData(chunk, source.name, firstChunk, 'give a CSV export');
      if (scan === undefined) {
        sample.push(Buffer.from(chunk)); // a copy: the chunk's memory is reused for the next read
        sampled += chunk.length;
        if (sampled < sampleBytes) return;
        begin(Buffer.concat(sample), false);
        sample = [];
      } else {
        validate?.(chunk, scan.scanner.currentLine);
        scan.scanner.push(chunk);
      }
      progress.rows = counts.rowsIn;
      progress.bytes = bytesSoFar;
      await Promise.all([outputs.clean.drained(), outputs.excluded?.drained(), outputs.invalid?.drained()]);
    },
    { reuseBuffer: true },
  );
  if (scan === undefined) {
    const first = Buffer.concat(sample);
    if (first.length === 0) throw new CallscrubError('input', 'the file is empty', { file: source.name, hint: 'check that this is the right file' });
    begin(first, true);
  }
  const { dialect, scanner, router, watch } = scan as NonNullable<typeof scan>;
  scanner.end();
  validate?.(Buffer.alloc(0), scanner.currentLine, true);
  const routed = router();
  if (routed === undefined) throw new CallscrubError('input', 'the file holds no row', { file: source.name, hint: 'check that this is the right file' });
  if (counts.rowsIn === 0) {
    throw new CallscrubError('input', 'the file has a header but no rows', { file: source.name, line: 2, hint: 'check that this is the right file' });
  }
  watch()?.check(source.name, routed.header, routed.phoneColumns);
  progress.rows = counts.rowsIn;
  return {
    counts,
    dialect,
    header: routed.header,
    phoneColumns: routed.phoneColumns,
    input: { sha256: read.sha256, bytes: read.bytes },
    exclusions,
  };
}
