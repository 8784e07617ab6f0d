// `callscrub history import|status|prune`: the dialer's call log into the registry's call history, what the history
// holds, and dropping calls too old for any rule. The history is append-only: importing the same log again adds
// nothing; only pruning removes calls.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { CallscrubError, usageError } from '../errors.js';
import { checkOutputPaths } from '../io/output-paths.js';
import { printable } from '../ui/printable.js';
import { count, rate, Reporter } from '../ui/reporter.js';
import { noRegistryHere, parseChoice, parseCountry, parseWholeNumber, resolveDb, resolvePath, writeJson } from './common.js';

export const importHelp = `
FILE is the dialer's call log, CSV with a header: every row is a call or an attempt, answered or not. Columns are
found by name (number; time, or a date and a time column; outcome), or named with --column, --time-column (two
columns joined with +, e.g. Date+Heure) and --outcome-column. Times are ISO 8601 with an offset (2026-11-30T14:03:22+01:00,
...Z) or epoch seconds; a local time without an offset needs --timezone, the zone of the dialer's clock. A date
with slashes or dots (30/11/2026, 11/30/2026) is read in --date-order: day first (dmy), or month first (mdy, the
default with --country US or CA); a date impossible in that order is rejected (bad-time), never flipped. ISO dates
(2026-11-30) read the same in both. The log is UTF-8 or Windows-1252, detected (--encoding says which).

An outcome saying the consumer refused (refus, refused, not interested, do not call, stop, opt out, declined, ...
case, accents and camelCase ignored; --refusal-outcomes replaces the list) starts France's 60-day pause. A refusal that means "never call me
again" belongs on your internal list too: callscrub does not guess it (see the README, "Call history").

An attempt is its number and its second: importing the same log twice adds nothing. Rejected rows are counted and
listed by line and reason (--rejects FILE), never with their content.

Examples:
  callscrub history import calls-2026-11.csv --timezone Europe/Paris
  callscrub history import vicidial.csv --timezone America/New_York --refusal-outcomes NI,DNC --rejects rejects.tsv`;

interface ImportRaw {
  timezone?: string;
  refusalOutcomes?: string;
  column?: string;
  timeColumn?: string;
  outcomeColumn?: string;
  country: string;
  dateOrder?: string;
  encoding: string;
  rejects?: string;
  db?: string;
  json?: boolean;
  quiet?: boolean;
}

export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  const history = program.command('history').description("the dialer's call history: how often and when numbers were called, and who refused");
  history.exitOverride();
  history
    .command('import')
    .description("add the dialer's call log to the registry's call history")
    .argument('<file>', 'the call log (CSV with a header), or - for standard input')
    .option('--timezone <zone>', "the IANA zone of times written without an offset (the dialer's clock), e.g. Europe/Paris")
    .option('--refusal-outcomes <list>', 'outcomes that mean the consumer refused, comma-separated (replaces the default list)')
    .option('--column <name>', 'the number column')
    .option('--time-column <name>', 'the time column (or two joined with +: Date+Heure)')
    .option('--outcome-column <name>', 'the outcome column')
    .option('--country <CC>', 'region of numbers written without a country code', 'FR')
    .option('--date-order <order>', 'dmy (30/11/2026) or mdy (11/30/2026); default mdy with --country US or CA, else dmy')
    .option('--encoding <encoding>', 'auto, utf-8 or windows-1252', 'auto')
    .option('--rejects <file>', 'write the line number and reason of every rejected row to this file')
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--json', 'print one JSON document on stdout')
    .option('--quiet', 'print nothing on stderr but errors')
    .addHelpText('after', importHelp)
    .action((file: string, raw: ImportRaw) => run(() => runHistoryImport(file, raw, context)));
  history
    .command('status')
    .description('what the call history holds: imports, calls, refusals, pruning')
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--json', 'print one JSON document on stdout')
    .action((raw: { db?: string; json?: boolean }) => run(() => runHistoryStatus(raw, context)));
  history
    .command('prune')
    .description('drop calls older than a number of days from the call history')
    .requiredOption('--keep-days <days>', 'keep the calls of the last N days (at least 60: France looks back 60 days)')
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      `
The rules look back 60 days at most (France's refusal pause), so --keep-days is at least 60. A scrub whose rules
reached back before the cut can no longer be replayed; keep as long as an auditor may ask (the report's history).

Example:
  callscrub history prune --keep-days 400`,
    )
    .action((raw: { keepDays: string; db?: string; json?: boolean }) => run(() => runHistoryPrune(raw, context)));
}

async function runHistoryImport(file: string, raw: ImportRaw, context: Context): Promise<void> {
  const db = resolveDb(raw.db, context);
  const rejectsPath = raw.rejects === undefined ? undefined : resolvePath(raw.rejects, context);
  checkOutputPaths(
    rejectsPath === undefined ? [] : [{ role: '--rejects', path: rejectsPath, name: raw.rejects as string }],
    [{ role: 'the input', path: resolvePath(file, context), name: file }, { role: 'the registry', path: db, name: db }],
    { stdinFd: file === '-' ? context.stdinFd : undefined, stdoutFd: raw.json === true ? context.stdoutFd : undefined },
  );
  const country = parseCountry(raw.country) as string;
  const dateOrder = parseChoice(raw.dateOrder?.toLowerCase(), '--date-order', ['dmy', 'mdy'] as const) ?? (country === 'US' || country === 'CA' ? 'mdy' : 'dmy');
  const encoding = parseChoice(raw.encoding.toLowerCase().replace(/^utf8$/, 'utf-8').replace(/^(cp1252|win1252)$/, 'windows-1252'), '--encoding', ['auto', 'utf-8', 'windows-1252'] as const) as 'auto' | 'utf-8' | 'windows-1252';
  const [{ Registry }, { readCallLog, parseRefusalOutcomes }, { openSource }, { AttemptCollector }, { AtomicFile }] = await Promise.all([
    import('../registry/store.js'),
    import('../registry/call-log-reader.js'),
    import('../io/source.js'),
    import('../numbers/attempts.js'),
    import('../io/atomic-file.js'),
  ]);
  const refusalOutcomes = raw.refusalOutcomes === undefined ? undefined : parseRefusalOutcomes(raw.refusalOutcomes);
  const reporter = new Reporter(context, { json: raw.json === true, quiet: raw.quiet === true });
  // EST, MST, HST and the Etc/ zones keep one offset all year: a dialer's clock in New York or Denver does not.
  if (raw.timezone !== undefined && /^(EST|MST|HST|Etc\/.*)$/i.test(raw.timezone)) {
    reporter.warn(`--timezone ${printable(raw.timezone)} keeps one offset all year (no summer time): for a dialer in New York give America/New_York, in Paris Europe/Paris`);
  }
  const now = context.now();
  const source = openSource(resolvePath(file, context), context.stdin, file);
  const started = Date.now();
  const state = { rows: 0, bytes: 0, merged: 0, phase: 'reading' as 'reading' | 'writing' };
  const progress = reporter.progress(() => {
    if (state.phase === 'writing') return `writing the history: ${count(state.merged)} attempts merged`;
    const share = source.size ? ` (${Math.floor((100 * state.bytes) / source.size)} %)` : '';
    return `reading ${count(state.rows)} rows${share}, ${rate(state.rows, started, Date.now())}`;
  });
  const collector = new AttemptCollector();
  const rejectsFile = rejectsPath === undefined ? undefined : new AtomicFile(rejectsPath);
  rejectsFile?.write('line\treason\n');
  // An existing registry is opened (and checked) first; a new one is made only once the log has been read, so that
  // a log that cannot be imported leaves no empty registry behind.
  let registry = Registry.exists(db) ? Registry.open(db) : undefined;
  try {
    const read = await readCallLog(
      source,
      {
        country,
        timeZone: raw.timezone,
        refusalOutcomes,
        numberColumn: raw.column,
        timeColumn: raw.timeColumn,
        outcomeColumn: raw.outcomeColumn,
        now: now.getTime(),
        dateOrder,
        encoding,
        // Written as they come: a log of millions of bad rows must not hold them all.
        onReject: rejectsFile === undefined ? undefined : (reject) => rejectsFile.write(`${reject.line}\t${reject.reason}\n`),
      },
      (value, seconds, refusal) => collector.push(value, seconds, refusal),
      (rows, bytes) => {
        state.rows = rows;
        state.bytes = bytes;
      },
    );
    const rejected = read.rejected;
    if (read.accepted === 0) {
      // The rejects are what the user needs to fix the log: they are written, though nothing is imported.
      rejectsFile?.commit();
      throw new CallscrubError('input', read.rows === 0 ? 'the call log has a header but no rows' : `no call in the log could be read (${rows(rejected)} rejected: ${reasonsOf(read.rejectedByReason)})`, {
        file: source.name,
        hint:
          rejected === 0
            ? 'check that this is the right file'
            : rejectsPath === undefined
              ? 'see the reasons with --rejects FILE, or name the columns with --column, --time-column, --outcome-column'
              : `the reasons are in ${printable(raw.rejects as string)}; name the columns with --column, --time-column, --outcome-column`,
      });
    }
    const attemptsRead = collector.count;
    const runs = collector.runs();
    state.phase = 'writing';
    const settings = { country, timeZone: raw.timezone ?? null, dateOrder, encoding: read.encoding, refusalOutcomes: [...read.refusalTerms], columns: read.columns };
    registry ??= Registry.open(db);
    const store = registry;
    const added = store.write(() =>
      store.callHistory().add(
        { importedAt: now.toISOString(), sourceName: source.name, sourceSha256: read.sha256, rows: read.rows, rejected, settings },
        runs,
        attemptsRead,
        (done) => {
          state.merged = done;
        },
      ),
    );
    rejectsFile?.commit();
    progress.stop();
    const totals = store.read(() => store.callHistory().totals());
    const seconds = (Date.now() - started) / 1000;
    const summary = {
      import: added.id,
      importedAt: added.importedAt,
      file: source.name,
      sha256: read.sha256,
      rows: read.rows,
      accepted: read.accepted,
      refusals: read.refusals,
      rejected,
      rejectedByReason: read.rejectedByReason,
      attemptsRead,
      attemptsAdded: added.attemptsAdded,
      refusalsAdded: added.refusalsAdded,
      // Attempts the history held already, or that the log gave twice (the same number and second).
      duplicates: attemptsRead - added.attemptsAdded - added.dropped,
      // Calls older than the history's prune cut: pruned calls do not come back.
      beforePruneCut: added.dropped,
      firstCall: added.firstSecond === null ? null : new Date(added.firstSecond * 1000).toISOString(),
      lastCall: added.lastSecond === null ? null : new Date(added.lastSecond * 1000).toISOString(),
      columns: read.columns,
      dateOrder,
      encoding: read.encoding,
      refusalOutcomes: read.refusalTerms,
      history: totalsJson(totals),
      elapsedMs: Date.now() - started,
    };
    if (raw.json === true) writeJson(context, summary);
    reporter.info(`${reporter.style('green', 'imported')} call log ${printable(source.name)}: ${rows(read.rows)} in ${seconds.toFixed(1)} s (import ${added.id})`);
    reporter.info(`  attempts  ${count(added.attemptsAdded).padStart(11)} added, ${count(summary.duplicates)} already held or repeated${added.firstSecond === null ? '' : ` (calls from ${summary.firstCall} to ${summary.lastCall})`}`);
    if (added.dropped > 0) reporter.warn(`${count(added.dropped)} calls before the history's prune cut left out: pruned calls do not come back`);
    reporter.info(`  refusals  ${count(added.refusalsAdded).padStart(11)} added (outcomes: ${read.refusalTerms.slice(0, 8).join(', ')}${read.refusalTerms.length > 8 ? ', ...' : ''})`);
    if (rejected > 0) reporter.warn(`${rows(rejected)} rejected: ${reasonsOf(read.rejectedByReason)}${rejectsPath === undefined ? ' (list them with --rejects FILE)' : ` (listed in ${printable(raw.rejects as string)})`}`);
    reporter.info(`  columns: number ${printable(read.columns.number)}, time ${printable(read.columns.time)}, outcome ${printable(read.columns.outcome)}`);
    reporter.info(`  history: ${counted(totals.attempts, 'attempt')} to ${counted(totals.numbers, 'number')}, ${counted(totals.refusals, 'refusal')}`);
  } catch (error) {
    rejectsFile?.abort();
    throw error;
  } finally {
    progress.stop();
    registry?.close();
  }
}

async function runHistoryStatus(raw: { db?: string; json?: boolean }, context: Context): Promise<void> {
  const db = resolveDb(raw.db, context);
  const { Registry } = await import('../registry/store.js');
  const registry = Registry.openExisting(db, () => noRegistryHere(db, "import a call log with callscrub history import, or name the registry with --db"), { readonly: true });
  try {
    // Every chunk is read and checked against its checksum: a damaged history fails here, before a scrub meets it.
    const { imports, totals, checked } = registry.read(() => {
      const history = registry.callHistory();
      return { imports: history.imports(), totals: history.totals(), checked: history.check() };
    });
    const last = imports[imports.length - 1];
    if (raw.json === true) {
      writeJson(context, {
        ...totalsJson(totals),
        attemptsChecked: checked,
        imports: imports.map((i) => ({
          id: i.id,
          importedAt: i.importedAt,
          file: i.sourceName,
          sha256: i.sourceSha256,
          rows: i.rows,
          rejected: i.rejected,
          attemptsAdded: i.attemptsAdded,
          refusalsAdded: i.refusalsAdded,
          firstCall: i.firstSecond === null ? null : new Date(i.firstSecond * 1000).toISOString(),
          lastCall: i.lastSecond === null ? null : new Date(i.lastSecond * 1000).toISOString(),
        })),
      });
      return;
    }
    const out = (line: string) => context.stdout.write(`${line}\n`);
    if (last === undefined) {
      out('call history: empty (import a call log with callscrub history import FILE)');
      return;
    }
    const ageHours = Math.floor((context.now().getTime() - Date.parse(last.importedAt)) / 3_600_000);
    out(`call history: ${count(totals.attempts)} attempts to ${count(totals.numbers)} numbers, ${count(totals.refusals)} refusals`);
    if (totals.firstSecond !== null && totals.lastSecond !== null) out(`  calls from ${iso(totals.firstSecond)} to ${iso(totals.lastSecond)}`);
    out(`  ${imports.length} import${imports.length > 1 ? 's' : ''}, the last ${last.importedAt} (${ageHours < 48 ? `${ageHours} hours` : `${Math.floor(ageHours / 24)} days`} ago)`);
    if (totals.prunedBefore !== null) out(`  pruned on ${totals.prunedAt}: calls before ${iso(totals.prunedBefore)} are gone`);
    out(`  every stored chunk read and checked against its checksum (${count(checked)} attempts, with the merged history's copies)`);
    out('');
    out('  import  imported at                file                                 rows     added   refusals');
    for (const i of imports.slice(-20)) {
      out(`  ${String(i.id).padStart(6)}  ${i.importedAt.padEnd(25)}  ${printable(i.sourceName).slice(-35).padEnd(35)}  ${count(i.rows).padStart(7)}  ${count(i.attemptsAdded).padStart(8)}  ${count(i.refusalsAdded).padStart(9)}`);
    }
    if (imports.length > 20) out(`  (${imports.length - 20} earlier imports: --json lists them all)`);
  } finally {
    registry.close();
  }
}

/** France's refusal pause, the furthest any rule looks back: pruning closer than this would change scrubs. */
const minimumKeepDays = 60;

async function runHistoryPrune(raw: { keepDays: string; db?: string; json?: boolean }, context: Context): Promise<void> {
  const keepDays = parseWholeNumber(raw.keepDays, '--keep-days', 1) as number;
  if (keepDays < minimumKeepDays) {
    throw usageError(`--keep-days ${keepDays} would drop calls the rules still count (France's refusal pause looks back ${minimumKeepDays} days)`, `keep at least ${minimumKeepDays} days`);
  }
  const db = resolveDb(raw.db, context);
  const { Registry } = await import('../registry/store.js');
  const registry = Registry.openExisting(db, () => noRegistryHere(db));
  try {
    const now = context.now();
    const before = Math.floor(now.getTime() / 1000) - keepDays * 86_400;
    const removed = registry.write(() => registry.callHistory().prune(before, now.toISOString()));
    if (removed > 0) registry.reclaimSpace();
    const totals = registry.read(() => registry.callHistory().totals());
    if (raw.json === true) {
      writeJson(context, { keepDays, prunedBefore: iso(before), removed, history: totalsJson(totals) });
      return;
    }
    const calls = (n: number) => `${count(n)} call${n === 1 ? '' : 's'}`;
    context.stderr.write(`callscrub: pruned ${calls(removed)} before ${iso(before)}; the history keeps ${calls(totals.attempts)}\n`);
  } finally {
    registry.close();
  }
}

/** `1 row`, `10,000,000 rows`. */
function counted(n: number, noun: string): string {
  return `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function rows(n: number): string {
  return counted(n, 'row');
}

function iso(second: number): string {
  return new Date(second * 1000).toISOString();
}

function reasonsOf(byReason: Record<string, number>): string {
  return Object.entries(byReason)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, n]) => `${reason} ${count(n)}`)
    .join(', ');
}

function totalsJson(totals: { attempts: number; refusals: number; numbers: number; firstSecond: number | null; lastSecond: number | null; prunedBefore: number | null; prunedAt: string | null }) {
  return {
    attempts: totals.attempts,
    numbers: totals.numbers,
    refusals: totals.refusals,
    firstCall: totals.firstSecond === null ? null : iso(totals.firstSecond),
    lastCall: totals.lastSecond === null ? null : iso(totals.lastSecond),
    prunedBefore: totals.prunedBefore === null ? null : iso(totals.prunedBefore),
    prunedAt: totals.prunedAt,
  };
}
