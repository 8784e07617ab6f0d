// `callscrub scrub`: a prospect file in; the callable rows, the excluded rows and the rows without a usable number
// out, each input row in exactly one of them.

import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { dayOf, localDate } from '../dates.js';
import { usageError } from '../errors.js';
import type { ScrubSummary } from '../scrub/summary.js';
import { count, Reporter } from '../ui/reporter.js';
import { checkOutputPaths } from '../io/output-paths.js';
import { checkOutputName, isWorkbookInput, isWorkbookName, refusingWorkbooks } from '../workbook/input.js';
import { isPhoneHeader } from '../phone/column-names.js';
import { printable } from '../ui/printable.js';
import type { RuleSetName } from '../rules/rule-sets.js';
import type { PinnedLists } from '../scrub/pinned.js';
import type { ScrubWorkers } from '../scrub/workers.js';
import type { Source } from '../io/source.js';
import type { WorkbookScrubResult } from '../scrub/workbook-scrub.js';
import { displayPath, parseWholeNumber, parseChoice, parseConsentCodes, parseCountry, parseInstant, parseRuleSets, resolveDb, resolvePath, writeJson } from './common.js';

export const help = `
Every row of INPUT goes to exactly one output:
  --out       the callable rows, byte for byte as in the input (same encoding, delimiter, quoting, line endings)
  --excluded  rows with a listed, internal (your do-not-call list) or unscreened number, or a duplicate (--dedupe)
  --invalid   rows with no usable number
Excluded and invalid rows get two more columns, callscrub_reason and callscrub_detail.

INPUT may be an Excel workbook (.xlsx): its first visible worksheet, or --sheet NAME|N, is scrubbed cell for cell
(numbers from their stored value; a formula in a phone cell makes its row invalid, reason formula). Each output
keeps the format of its file name: .xlsx a workbook (the input's cells with their types and values, formulas as
their values), anything else CSV in UTF-8 with a BOM.

--rules fr,us,ca applies the contact rules of each jurisdiction to its numbers, from the call history (callscrub
history import) as it stands at the scrub's start: a number refused within the pause (France: 60 days) is excluded
as refusal-pause, one called as often as the cap allows (France: 4 in 30 days; Florida, Oklahoma, Maryland: 3 in 24
hours) as frequency-cap; the detail says when it may be called again. --schedule (with --rules) is the one option
that rewrites clean rows: it appends callscrub_timezone, callscrub_window_start and callscrub_window_end, the next
legal calling window in which every callable number of the row may be called, from --from (default: now; a day back
to a year ahead).

A row is excluded when any of its numbers is on an opposition list in use (unless a contract in force exempts it),
on your internal list, or outside what every opposition list covers (unscreened; --allow-unscreened keeps such
rows). With --policy number, blocked numbers are blanked instead and the row stays if a callable number remains.

The scrub refuses (exit 3) when an opposition list in use is older than its maximum age, unless --allow-stale.

Examples:
  callscrub scrub prospects.csv --out clean.csv --excluded excluded.csv --invalid invalid.csv
  callscrub scrub export.csv --out - --phone-column Mobile --phone-column Fixe > clean.csv
  callscrub scrub prospects.csv --out clean.csv --json | jq .byReason
  callscrub scrub prospects.csv --out clean.csv --excluded excluded.csv --require-consent FR --rules fr --schedule`;

interface RawOptions {
  threads?: string;
  out?: string;
  excluded?: string;
  invalid?: string;
  lists?: string;
  phoneColumn: string[];
  notPhoneColumn: string[];
  header: boolean;
  country: string;
  policy: string;
  encoding: string;
  delimiter: string;
  allowStale?: boolean;
  allowUnscreened?: boolean;
  dedupe?: boolean;
  requireConsent?: string;
  consentOverridesOpposition?: boolean;
  rules?: string;
  schedule?: boolean;
  from?: string;
  report?: string;
  key?: string;
  unsigned?: boolean;
  db?: string;
  json?: boolean;
  quiet?: boolean;
  sheet?: string;
}

export interface ScrubOptions {
  readonly input: string;
  /** Threads to scrub on (--threads; default: every core). */
  readonly threads: number;
  /** Whether --threads was given (a workbook is scrubbed on one thread: the command says so). */
  readonly threadsGiven: boolean;
  readonly out: string;
  readonly excluded: string | undefined;
  readonly invalid: string | undefined;
  readonly lists: readonly string[] | undefined;
  readonly phoneColumns: readonly string[];
  readonly notPhoneColumns: readonly string[];
  readonly header: boolean;
  readonly country: string;
  readonly policy: 'row' | 'number';
  readonly encoding: 'auto' | 'utf-8' | 'windows-1252';
  readonly delimiter: 'auto' | ';' | ',' | 'tab';
  readonly allowStale: boolean;
  readonly allowUnscreened: boolean;
  readonly dedupe: boolean;
  /** Calling codes where a consent is required (empty: nowhere). */
  readonly requireConsent: readonly string[];
  readonly consentOverridesOpposition: boolean;
  /** Contact rule sets (--rules; empty: none). */
  readonly rules: readonly RuleSetName[];
  /** --schedule: the instant (epoch ms) windows are given from (--from, else the scrub's start); undefined: no schedule. */
  readonly scheduleFrom: number | 'now' | undefined;
  /** Where to write the signed report, and the private key to sign it with (none: --unsigned). */
  readonly report: string | undefined;
  readonly key: string | undefined;
  readonly keyPassphrase: string | undefined;
  readonly db: string;
  readonly json: boolean;
  readonly quiet: boolean;
  /** --sheet: the worksheet of a workbook input (a name, or its 1-based position). */
  readonly sheet: string | undefined;
}

export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  program
    .command('scrub')
    .description('split a prospect file into callable, excluded and invalid rows')
    .argument('<input>', 'the prospect file (CSV, or an .xlsx workbook), or - for standard input (CSV only)')
    .option('--out <file>', 'callable rows (- for standard output)')
    .option('--excluded <file>', 'excluded rows, with the reason')
    .option('--invalid <file>', 'rows with no usable number, with the reason')
    .option('--lists <names>', 'opposition, internal and consent lists to use, comma-separated (default: all; exempt lists always apply)')
    .option('--phone-column <name>', 'a phone column (repeatable; a 1-based number with --no-header)', (v: string, all: string[]) => [...all, v], [])
    .option('--not-phone-column <name>', 'a column that holds no number to call, though it looks like it (repeatable; recorded)', (v: string, all: string[]) => [...all, v], [])
    .option('--sheet <name>', 'a workbook input: the worksheet to scrub, by name or 1-based position (default: the first visible one)')
    .option('--no-header', 'the first row is data, not a header')
    .option('--country <CC>', 'region of numbers written without a country code', 'FR')
    .option('--policy <policy>', 'row: exclude the row for any blocked number; number: blank blocked numbers, keep the row if one remains', 'row')
    .option('--encoding <encoding>', 'auto, utf-8 or windows-1252', 'auto')
    .option('--delimiter <delimiter>', "auto, ';', ',' or tab", 'auto')
    .option('--allow-stale', 'use opposition lists older than their maximum age (recorded)')
    .option('--allow-unscreened', 'keep rows whose numbers no opposition list covers (recorded)')
    .option('--dedupe', 'exclude a row whose number appeared earlier in the file')
    .option('--require-consent <codes>', 'calling codes where only a consent in force makes a number callable (opt-in), e.g. FR (33,262,508,590,594,596) or 34,49')
    .option('--consent-overrides-opposition', 'a consent in force makes a number on an opposition list callable (the US and Italian rule; recorded)')
    .option('--rules <sets>', 'contact rules to apply from the call history, comma-separated: fr, us, ca (frequency caps, refusal pauses)')
    .option('--schedule', 'append each clean row\'s next legal calling window (3 columns; needs --rules)')
    .option('--from <datetime>', 'with --schedule: windows from this instant (ISO 8601 with an offset), not now')
    .option('--report <file>', 'write the signed exclusion report (a DSSE envelope) here')
    .option('--key <file>', 'the Ed25519 private key that signs the report (callscrub keygen); passphrase from $CALLSCRUB_KEY_PASSPHRASE')
    .option('--unsigned', 'write the report without a signature (it says so)')
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--threads <n>', 'threads to scrub on (default: every core; the outputs are the same bytes whatever the number)')
    .option('--json', 'print one JSON document on stdout')
    .option('--quiet', 'print nothing on stderr but errors')
    .addHelpText('after', help)
    .action((input: string, raw: RawOptions) =>
      run(async () => {
        await runScrub(resolveOptions(input, raw, context), context);
      }),
    );
}

export function resolveOptions(input: string, raw: RawOptions, context: Context): ScrubOptions {
  if (raw.out === undefined) throw usageError('scrub needs --out FILE (or --out - for standard output)');
  const json = raw.json === true;
  for (const [option, file] of [['--out', raw.out], ['--excluded', raw.excluded], ['--invalid', raw.invalid]] as const) {
    if (file === '-' && json) throw usageError(`${option} - and --json both want standard output`, `write the ${option === '--out' ? 'clean' : option.slice(2)} rows to a file`);
  }
  const lists = raw.lists?.split(',').map((n) => n.trim()).filter((n) => n.length > 0);
  if (raw.lists !== undefined && lists?.length === 0) throw usageError('--lists names no list', 'name lists separated by commas, or leave --lists out to use them all');
  if (raw.report !== undefined && raw.key === undefined && raw.unsigned !== true) {
    throw usageError('--report needs --key PRIVATE.key to sign it', 'or pass --unsigned for a report without a signature');
  }
  if (raw.report === undefined && (raw.key !== undefined || raw.unsigned === true)) throw usageError('--key and --unsigned go with --report FILE');
  if (raw.key !== undefined && raw.unsigned === true) throw usageError('--key and --unsigned exclude each other');
  if (raw.schedule === true && raw.rules === undefined) throw usageError('--schedule needs --rules to know the calling hours', 'for example --rules fr,us,ca');
  if (raw.from !== undefined && raw.schedule !== true) throw usageError('--from goes with --schedule');
  if (raw.sheet !== undefined && input === '-') throw usageError('--sheet reads a workbook, and a workbook cannot be read from standard input', 'give the .xlsx file by its path');
  for (const [option, file] of [['--out', raw.out], ['--excluded', raw.excluded], ['--invalid', raw.invalid]] as const) if (file !== undefined) checkOutputName(option, file);
  const db = resolveDb(raw.db, context);
  const named = (role: string, file: string | undefined) => (file === undefined ? [] : [{ role, path: resolvePath(file, context), name: file }]);
  checkOutputPaths(
    [...named('--out', raw.out), ...named('--excluded', raw.excluded), ...named('--invalid', raw.invalid), ...named('--report', raw.report)],
    [
      ...named('the input', input),
      { role: 'the registry', path: db, name: db },
      ...named('the signing key', raw.key),
      ...named('the public key', raw.key?.replace(/\.key$/, '.pub')),
    ],
    // Any output may be standard output (`--excluded -` too): wherever it leads is then an output as well.
    { stdinFd: input === '-' ? context.stdinFd : undefined, stdoutFd: [raw.out, raw.excluded, raw.invalid, raw.report].includes('-') || json ? context.stdoutFd : undefined },
  );
  return Object.freeze({
    input,
    threads: raw.threads === undefined ? availableParallelism() : (parseWholeNumber(raw.threads, '--threads', 1, 64) as number),
    threadsGiven: raw.threads !== undefined,
    out: raw.out,
    excluded: raw.excluded,
    invalid: raw.invalid,
    lists,
    phoneColumns: raw.phoneColumn,
    notPhoneColumns: raw.notPhoneColumn,
    header: raw.header,
    country: parseCountry(raw.country) as string,
    policy: parseChoice(raw.policy, '--policy', ['row', 'number'] as const) as 'row' | 'number',
    encoding: parseChoice(raw.encoding.toLowerCase().replace(/^utf8$/, 'utf-8').replace(/^(cp1252|win1252)$/, 'windows-1252'), '--encoding', ['auto', 'utf-8', 'windows-1252'] as const) as ScrubOptions['encoding'],
    delimiter: parseChoice(raw.delimiter === '\t' || raw.delimiter === '\\t' ? 'tab' : raw.delimiter, '--delimiter', ['auto', ';', ',', 'tab'] as const) as ScrubOptions['delimiter'],
    allowStale: raw.allowStale === true,
    allowUnscreened: raw.allowUnscreened === true,
    dedupe: raw.dedupe === true,
    requireConsent: raw.requireConsent === undefined ? [] : parseConsentCodes(raw.requireConsent, '--require-consent'),
    consentOverridesOpposition: raw.consentOverridesOpposition === true,
    rules: raw.rules === undefined ? [] : parseRuleSets(raw.rules),
    scheduleFrom: raw.schedule !== true ? undefined : raw.from === undefined ? 'now' : parseInstant(raw.from, '--from'),
    report: raw.report,
    key: raw.key,
    keyPassphrase: context.keyPassphrase,
    db,
    json,
    quiet: raw.quiet === true,
    sheet: raw.sheet,
  });
}

export async function runScrub(options: ScrubOptions, context: Context): Promise<ScrubSummary> {
  // The worker threads start first, sized by the input (its size tells whether they pay): they load their modules
  // while this thread loads the lists.
  const [{ startWorkers }, { openSource }] = await Promise.all([import('../scrub/scrub.js'), import('../io/source.js')]);
  const opened = openSource(resolvePath(options.input, context), context.stdin, options.input === '-' ? '-' : options.input);
  const source = opened.file === undefined ? refusingWorkbooks(opened) : opened;
  const workbook = await isWorkbookInput(source);
  if (!workbook && options.sheet !== undefined) throw usageError(`--sheet goes with a workbook input (.xlsx), and ${printable(source.name)} is not one`, 'leave --sheet out for a CSV file');
  if (!workbook) {
    const named = [['--out', options.out], ['--excluded', options.excluded], ['--invalid', options.invalid]].find(([, file]) => file !== undefined && isWorkbookName(file));
    if (named !== undefined) {
      throw usageError(`${named[0]} ${printable(named[1] as string)}: the outputs of a CSV input are CSV (the clean rows byte for byte), not a workbook`, 'name the output .csv, or scrub the workbook itself');
    }
  }
  if (workbook && options.encoding !== 'auto') throw usageError(`--encoding is for a CSV input: the text of a workbook (${printable(source.name)}) is Unicode`, 'leave --encoding out');
  // A workbook is scrubbed on this thread: its rows come from a zip, not from blocks of bytes.
  const workers = workbook ? undefined : startWorkers({ threads: options.threads, blockBytes: context.blockBytes, dedupe: options.dedupe }, source.size);
  try {
    return await scrubWith(options, context, source, workers, workbook);
  } finally {
    await workers?.close();
  }
}

async function scrubWith(options: ScrubOptions, context: Context, source: Source, workers: ScrubWorkers | undefined, workbook: boolean): Promise<ScrubSummary> {
  const [{ pinLists }, { Screening }, scrubber, { fileSink, stdoutSink }, contactRules, { Schedule }] = await Promise.all([
    import('../scrub/pinned.js'),
    import('../scrub/screening.js'),
    import('../scrub/scrub.js'),
    import('../io/sink.js'),
    import('../scrub/contact-rules.js'),
    import('../scrub/schedule.js'),
  ]);
  const reporter = new Reporter(context, options);
  const started = Date.now();
  const now = context.now();
  const scrubDate = localDate(now);
  // The instant the contact rules judge at: the scrub's start, in whole seconds like the history.
  const atSecond = Math.floor(now.getTime() / 1000);
  const keys = options.key === undefined ? undefined : await loadSigningKeys(resolvePath(options.key, context), options.key, options.keyPassphrase);
  const consentOption = options.requireConsent.length > 0 ? '--require-consent' : options.consentOverridesOpposition ? '--consent-overrides-opposition' : '';
  const pinned = pinLists(options.db, options.lists, scrubDate, options.allowStale, { needed: consentOption !== '', option: consentOption }, options.rules.length > 0 ? { atSecond, checkImports: options.report !== undefined } : undefined);
  for (const name of pinned.unused.internal) reporter.warn(`internal list '${name}' is not used (--lists leaves it out): numbers on it may be in the clean file`);
  // Leaving out some opposition lists is a normal choice; leaving out all of them, when the registry has some, is
  // worth a word (a scrub that names only consent lists).
  if (!pinned.lists.some((l) => l.kind === 'opposition') && pinned.unused.opposition.length > 0) {
    reporter.warn(`no opposition list is used (--lists leaves out ${pinned.unused.opposition.map((n) => `'${n}'`).join(', ')}): numbers on them may be in the clean file`);
  }
  if (pinned.unused.consent.length > 0) {
    const names = `consent list${pinned.unused.consent.length > 1 ? 's' : ''} ${pinned.unused.consent.map((n) => `'${n}'`).join(', ')}`;
    reporter.warn(
      consentOption === ''
        ? `${names} not used: this scrub requires no consent (France is opt-in since 11 August 2026: --require-consent FR)`
        : `${names} not used (--lists leaves ${pinned.unused.consent.length > 1 ? 'them' : 'it'} out): ${pinned.unused.consent.length > 1 ? 'their' : 'its'} withdrawals do not count`,
    );
  }
  for (const s of pinned.stale) reporter.warn(`list '${s.name}' is ${s.ageDays} days old (as of ${s.asOf}), over its maximum of ${s.maxAgeDays}: used because of --allow-stale`);
  const screening = new Screening(pinned.lists, dayOf(scrubDate) as number, { codes: options.requireConsent, overridesOpposition: options.consentOverridesOpposition });
  const history = pinned.history;
  const contact = history === undefined ? undefined : new contactRules.ContactRules(history.attempts, options.rules, atSecond);
  if (history !== undefined) {
    if (history.lastImport === null) {
      reporter.warn(`--rules ${options.rules.join(',')}: the registry has no call history, so no call counts against a cap or a pause (import your dialer's log with callscrub history import)`);
    } else {
      const hours = Math.floor((now.getTime() - Date.parse(history.lastImport.importedAt)) / 3_600_000);
      if (hours >= 24) reporter.warn(`the call history was last imported ${hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} hours`} ago (${history.lastImport.importedAt}): calls made since do not count`);
    }
  }
  const scheduleFrom = options.scheduleFrom === 'now' ? now.getTime() : options.scheduleFrom;
  // Windows are for calls to come, judged by the history as it stands now: a day back at most (a campaign planned
  // this morning), a year ahead at most (the calls made meanwhile would change them).
  if (scheduleFrom !== undefined && (scheduleFrom < now.getTime() - 86_400_000 || scheduleFrom > now.getTime() + 366 * 86_400_000)) {
    throw usageError(`--from ${new Date(scheduleFrom).toISOString()} is ${scheduleFrom < now.getTime() ? 'more than a day before now' : 'more than a year after now'}: windows are for the calls to come`, 'give an instant from now to a year ahead, or leave --from out for now');
  }
  const schedule = scheduleFrom === undefined ? undefined : new Schedule(options.rules, scheduleFrom, options.allowUnscreened);

  // Each output opened in turn: one that cannot be (a missing folder, a directory) removes those opened before it.
  const opened: { abort(): void }[] = [];
  const sink = (file: string | undefined) => {
    if (file === undefined) return undefined;
    try {
      const made = file === '-' ? stdoutSink(context.stdout) : fileSink(resolvePath(file, context));
      opened.push(made);
      return made;
    } catch (error) {
      for (const s of opened) s.abort();
      throw error;
    }
  };
  const outputs = { clean: sink(options.out) as NonNullable<ReturnType<typeof sink>>, excluded: sink(options.excluded), invalid: sink(options.invalid) };
  const all = [outputs.clean, outputs.excluded, outputs.invalid].filter((s) => s !== undefined);
  const progressState = { rows: 0, bytes: 0 };
  const progress = reporter.progress(() => {
    const share = source.size && !workbook ? ` (${Math.floor((100 * progressState.bytes) / source.size)} %)` : '';
    const seconds = (Date.now() - started) / 1000;
    return `scrubbing: ${count(progressState.rows)} rows${share}, ${count(Math.round(progressState.rows / Math.max(seconds, 0.001)))} rows/s`;
  });
  let result: Awaited<ReturnType<typeof scrubber.scrub>> & Partial<Pick<WorkbookScrubResult, 'sheet' | 'otherSheets' | 'formulasWithoutValue' | 'hiddenRows'>>;
  const settings = {
    phoneColumns: options.phoneColumns,
    notPhoneColumns: options.notPhoneColumns,
    checkContent: true,
    header: options.header,
    country: options.country,
    policy: options.policy,
    encoding: options.encoding,
    delimiter: options.delimiter,
    allowUnscreened: options.allowUnscreened,
    dedupe: options.dedupe,
    contact,
    schedule,
    threads: options.threads,
    blockBytes: context.blockBytes,
    logExclusions: options.report !== undefined,
    workers,
  };
  try {
    if (workbook) {
      const { scrubWorkbook, rowWriterFor } = await import('../scrub/workbook-scrub.js');
      const delimiter = options.delimiter === 'auto' ? ',' : options.delimiter;
      const writer = (file: string | undefined, s: (typeof all)[number] | undefined) => (file === undefined || s === undefined ? undefined : rowWriterFor(file, s, delimiter));
      result = await scrubWorkbook(
        source,
        screening,
        { ...settings, sheet: options.sheet },
        { clean: writer(options.out, outputs.clean) as NonNullable<ReturnType<typeof writer>>, excluded: writer(options.excluded, outputs.excluded), invalid: writer(options.invalid, outputs.invalid) },
        progressState,
      );
    } else result = await scrubber.scrub(source, screening, settings, outputs, progressState);
    // Every file is written and synced under a temporary name before any takes its final name, the report last:
    // a run stopped before the end leaves nothing under a final name.
    for (const s of all) s.finish();
  } catch (error) {
    for (const s of all) s.abort();
    throw error;
  } finally {
    progress.stop();
  }

  const elapsedMs = Date.now() - started;
  const c = result.counts;
  const outputOf = (file: string | undefined, s: (typeof all)[number] | undefined, rows: number) =>
    file === undefined || s === undefined ? undefined : { path: file === '-' ? '-' : displayPath(resolvePath(file, context), context), rows, bytes: s.bytes, sha256: s.sha256() };
  const summary: ScrubSummary = {
    rowsIn: c.rowsIn,
    rowsClean: c.rowsClean,
    rowsExcluded: c.rowsExcluded,
    rowsInvalid: c.rowsInvalid,
    rowsRewritten: c.rowsRewritten,
    rowsWiderThanHeader: c.rowsWiderThanHeader,
    numbersChecked: c.numbersChecked,
    byReason: sorted(c.byReason),
    byNumberStatus: sorted(c.byNumberStatus),
    consentOverListing: { ...c.consentOverListing },
    lists: pinned.lists.map((l) => ({
      name: l.name,
      kind: l.kind,
      version: l.version,
      asOf: l.asOf,
      numbers: l.numbersTotal,
      logicalSha256: l.logicalSha256,
      covers: [...l.covers],
      ...(typeof l.maxAgeDays === 'number' ? { maxAgeDays: l.maxAgeDays } : {}),
      ...(l.kind === 'consent' ? { consentMaxAgeDays: l.consentMaxAgeDays, evidenceSha256: l.evidenceSha256 ?? null } : {}),
    })),
    staleLists: pinned.stale,
    scrubDate,
    settings: {
      lists: options.lists === undefined ? null : [...options.lists],
      policy: options.policy,
      country: options.country,
      allowStale: options.allowStale,
      allowUnscreened: options.allowUnscreened,
      dedupe: options.dedupe,
      requireConsent: [...options.requireConsent],
      consentOverridesOpposition: options.consentOverridesOpposition,
      rules: [...options.rules],
      schedule: scheduleFrom === undefined ? null : new Date(scheduleFrom).toISOString(),
      phoneColumns: options.phoneColumns.length === 0 ? null : [...options.phoneColumns],
      notPhoneColumns: [...options.notPhoneColumns],
    },
    input: {
      path: options.input,
      sha256: result.input.sha256,
      bytes: result.input.bytes,
      encoding: result.dialect.encoding,
      encodingFrom: result.dialect.encodingFrom,
      delimiter: result.dialect.delimiter,
      delimiterFrom: result.dialect.delimiterFrom,
      header: options.header,
      phoneColumns: result.phoneColumns.map((p) => p.name),
      blankLines: c.blankLines,
      ...(result.sheet === undefined ? {} : { sheet: result.sheet, otherSheets: (result.otherSheets ?? []).map((s) => ({ ...s })), formulasWithoutValue: result.formulasWithoutValue ?? 0, hiddenRows: result.hiddenRows ?? 0 }),
    },
    outputs: {
      clean: outputOf(options.out, outputs.clean, c.rowsClean),
      excluded: outputOf(options.excluded, outputs.excluded, c.rowsExcluded),
      invalid: outputOf(options.invalid, outputs.invalid, c.rowsInvalid),
    },
    ...(history === undefined
      ? {}
      : {
          contactRules: {
            at: new Date(atSecond * 1000).toISOString(),
            since: new Date(history.sinceSecond * 1000).toISOString(),
            history: digestedLater(history, contactRules.historyDigest),
          },
        }),
    elapsedMs,
  };
  let report: { publish(): void; abort(): void } | undefined;
  try {
    if (options.report !== undefined) {
      const [{ buildStatement, writeReport, runDetails }, { metadataVersion }, { toolVersion }] = await Promise.all([
        import('../report/report.js'),
        import('../phone/metadata.js'),
        import('../package.js'),
      ]);
      const statement = buildStatement(summary, result.exclusions, { version: toolVersion(), phoneMetadata: metadataVersion() }, keys !== undefined);
      report = writeReport(resolvePath(options.report, context), statement, keys, runDetails(new Date(started), context.now()));
      summary.report = { path: options.report, signed: keys !== undefined, keyId: keys?.keyId ?? null };
    }
    for (const s of all) s.publish();
    report?.publish();
  } catch (error) {
    for (const s of all) s.abort();
    report?.abort();
    throw error;
  }
  if (options.json) writeJson(context, summary);
  const seconds = elapsedMs / 1000;
  const reasons = (byReason: Record<string, number>, pick: readonly string[]) =>
    Object.entries(byReason)
      .filter(([r]) => pick.includes(r))
      .map(([r, n]) => `${r} ${count(n)}`)
      .join(', ');
  const dest = (o: ScrubSummary['outputs']['clean']) => (o === undefined ? ' (not written: name a file to keep them)' : ` -> ${o.path}`);
  reporter.info(`${reporter.style('green', 'scrubbed')} ${printable(source.name)}: ${count(c.rowsIn)} rows in ${seconds.toFixed(1)} s (${count(Math.round(c.rowsIn / Math.max(seconds, 0.001)))} rows/s)`);
  reporter.info(`  clean     ${count(c.rowsClean).padStart(9)}${dest(summary.outputs.clean)}${c.rowsRewritten > 0 ? ` (${count(c.rowsRewritten)} with blocked numbers blanked)` : ''}`);
  reporter.info(`  excluded  ${count(c.rowsExcluded).padStart(9)}${dest(summary.outputs.excluded)}${c.rowsExcluded > 0 ? `: ${reasons(c.byReason, ['internal', 'listed', 'no-consent', 'refusal-pause', 'frequency-cap', 'unscreened', 'unreadable', 'duplicate'])}` : ''}`);
  reporter.info(`  invalid   ${count(c.rowsInvalid).padStart(9)}${dest(summary.outputs.invalid)}${c.rowsInvalid > 0 ? `: ${reasons(c.byReason, ['invalid-number', 'no-number', 'formula'])}` : ''}`);
  reporter.info(`  numbers checked ${count(c.numbersChecked)}: ${Object.entries(summary.byNumberStatus).map(([s, n]) => `${s} ${count(n)}`).join(', ')}`);
  reporter.info(`  lists: ${pinned.lists.map((l) => `${l.name} v${l.version} (${l.kind}${l.kind === 'opposition' || l.kind === 'consent' ? `, as of ${l.asOf}` : ''})`).join(', ')}`);
  if (result.sheet !== undefined) reporter.info(`  input: workbook, sheet ${printable(result.sheet)}, phone columns ${result.phoneColumns.map((p) => printable(p.name)).join(', ')}`);
  else reporter.info(
    `  input: ${result.dialect.encoding}${result.dialect.bom ? ' with BOM' : ''} (${result.dialect.encodingFrom}), delimiter ${result.dialect.delimiter === 'tab' ? 'tab' : `'${result.dialect.delimiter}'`} (${result.dialect.delimiterFrom}), phone columns ${result.phoneColumns.map((p) => printable(p.name)).join(', ')}`,
  );
  if (summary.report !== undefined) reporter.info(`  report ${summary.report.path} (${summary.report.signed ? `signed by key ${summary.report.keyId?.slice(0, 16)}…` : 'unsigned'})`);
  if (result.otherSheets !== undefined && result.otherSheets.length > 0) {
    const hidden = result.otherSheets.filter((s) => s.state !== 'visible');
    const names = result.otherSheets.map((s) => `'${printable(s.name)}'${s.state === 'visible' ? '' : ' (hidden)'}`).join(', ');
    reporter.warn(`only sheet '${printable(result.sheet ?? '')}' was scrubbed; the workbook's other sheets were not: ${names}${hidden.length > 0 && options.sheet === undefined ? ' (hidden sheets are never taken by default)' : ''}. Scrub another with --sheet NAME`);
  }
  if ((result.formulasWithoutValue ?? 0) > 0) {
    reporter.warn(`${count(result.formulasWithoutValue ?? 0)} formula cells have no stored value (the workbook was saved without being calculated): they are empty in the outputs. Open the workbook in Excel or LibreOffice, save it, and scrub it again to keep their values`);
  }
  if ((result.hiddenRows ?? 0) > 0) {
    reporter.warn(`${count(result.hiddenRows ?? 0)} rows are hidden in the sheet (by a filter, or by hand): they were scrubbed like the others, and the outputs show them`);
  }
  if (workbook && options.threadsGiven) reporter.warn('--threads has no effect on a workbook: its rows are read from one zip entry, on one thread');
  if (c.rowsWiderThanHeader > 0) reporter.warn(`${count(c.rowsWiderThanHeader)} rows have cells beyond the header's columns: those cells were screened as phone cells`);
  for (const name of options.notPhoneColumns.filter(isPhoneHeader)) reporter.warn(`column '${printable(name)}' is not screened though its name says phone, because of --not-phone-column (recorded)`);
  if (options.requireConsent.length > 0) {
    reporter.info(`  consent required for +${options.requireConsent.join(' +')}: ${count(c.byNumberStatus.consented ?? 0)} consented, ${count(c.byNumberStatus['no-consent'] ?? 0)} without a consent in force`);
  }
  if (history !== undefined) {
    const last = history.lastImport === null ? 'no import yet' : `last imported ${history.lastImport.importedAt}`;
    reporter.info(
      `  contact rules ${options.rules.join(',')} at ${new Date(atSecond * 1000).toISOString()}: ${numbers(c.byNumberStatus['refusal-pause'] ?? 0)} in a refusal pause, ${numbers(c.byNumberStatus['frequency-cap'] ?? 0)} at the frequency cap (history: ${count(history.attempts.attempts)} attempts read, ${last})`,
    );
  }
  if (schedule !== undefined) {
    reporter.info(`  schedule: next calling window from ${new Date(schedule.from).toISOString()} in callscrub_timezone, callscrub_window_start, callscrub_window_end`);
    if (schedule.unknownZones > 0) reporter.warn(`${count(schedule.unknownZones)} clean rows have no calling window: their number's time zone is unknown (callscrub_timezone says unknown)`);
    if (schedule.unrestricted > 0) reporter.warn(`${count(schedule.unrestricted)} clean rows have no calling window: no rule set in --rules ${options.rules.join(',')} governs their number`);
  }
  if (c.consentOverListing.overrode > 0) reporter.warn(`${count(c.consentOverListing.overrode)} listed numbers kept because a consent in force overrides the listing (--consent-overrides-opposition, recorded)`);
  if (c.consentOverListing.beaten > 0) reporter.info(`  ${count(c.consentOverListing.beaten)} listed numbers excluded though a consent is in force (a listing beats a consent without --consent-overrides-opposition)`);
  if (options.allowUnscreened && (c.byNumberStatus.unscreened ?? 0) > 0) reporter.warn(`${count(c.byNumberStatus.unscreened ?? 0)} unscreened numbers kept because of --allow-unscreened`);
  return summary;
}

/**
 * The history a scrub judged by as its summary records it; the digest over every attempt within reach is worked
 * out when first read (by --json or the report), not by every scrub.
 */
function digestedLater(
  history: NonNullable<PinnedLists['history']>,
  digestOf: (attempts: NonNullable<PinnedLists['history']>['attempts'], sinceSecond: number) => { attempts: number; numbers: number; sha256: string },
): NonNullable<ScrubSummary['contactRules']>['history'] {
  let digest: { attempts: number; numbers: number; sha256: string } | undefined;
  const get = () => (digest ??= digestOf(history.attempts, history.sinceSecond));
  return {
    imports: history.imports,
    lastImport: history.lastImport,
    get attempts() {
      return get().attempts;
    },
    get numbers() {
      return get().numbers;
    },
    get sha256() {
      return get().sha256;
    },
  };
}

function numbers(n: number): string {
  return `${count(n)} number${n === 1 ? '' : 's'}`;
}

function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}


async function loadSigningKeys(file: string, name: string, passphrase: string | undefined) {
  const [{ loadPrivateKey, keyId }, { createPublicKey }] = await Promise.all([import('../report/keys.js'), import('node:crypto')]);
  const privateKey = loadPrivateKey(file, passphrase, name);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyId(publicKey) };
}
