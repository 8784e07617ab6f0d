// `callscrub registry import`: loads an opposition, internal or exemption list file as a new registry version.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { localDate } from '../dates.js';
import { usageError } from '../errors.js';
import type { ListFormat } from '../registry/formats.js';
import type { ImportOptions, ImportResult } from '../registry/importer.js';
import type { ConsentImportOptions, ConsentImportResult } from '../registry/consent-import.js';
import { consentRoles, type ConsentRole } from '../registry/consent-columns.js';
import type { ImportMode } from '../registry/records.js';
import { count, rate, Reporter } from '../ui/reporter.js';
import { checkOutputPaths } from '../io/output-paths.js';
import { printable } from '../ui/printable.js';
import { isCoverageCode, parseChoice, parseCountry, parseDate, parseWholeNumber, resolveDb, resolvePath, writeJson } from './common.js';

export const help = `
Each import makes a new version of the list. --mode full (the default) replaces the list's numbers with the file's;
add and remove apply a change list (such as the US registry's daily additions and deletions). Lines that are not
phone numbers are counted by reason and skipped; --rejects writes their line numbers and reasons (never the text).

Formats (--format auto picks one from the first lines and says which):
  lines    one number per line in any notation, optional header, optional ";" or "," then more fields
           (Pacitel/Bloctel shape). Internal and exempt lists: the expiry or contract end is the field a header
           names as an end date (expire, fin, end, until, échéance...), or without a header the field after the
           number; --date-column overrides
  csv      a CSV file with a header; --column names the number column, --date-column the date column
  us-dnc   US or Canadian DNC download: "areacode,number" per line
  tps      UK TPS/CTPS: 12-character fixed-width national records
  dncm     Belgian "Ne m'appelez plus": number and registration date (like lines, country BE)

Dates: 2027-12-31, 31/12/2027, 31.12.2027, 31-12-2027, and 12/31/2027 when the day cannot be a month; a date
both ways possible (03/04/2027) is read as the later expiry, or the earlier contract end. An internal entry whose
date cannot be read is kept, never expiring, and counted; an exemption whose end date cannot be read is rejected.

Consent lists (--kind consent): a CSV ledger with a header; each record gives the number, the date or instant the
consent was given (granted), how it was collected (source) and a reference to its proof (proof), and may give its
scope, withdrawal and expiry dates. Columns are found by their names (English or French, e.g. date du consentement,
preuve) or named with --granted-column and the like. Dates must be YYYY-MM-DD or ISO 8601 instants. The latest
grant of a number counts; a withdrawal dated on or after it ends it, and stays recorded through later imports.
--mode remove takes a file of numbers and withdraws their consents as of --as-of. The evidence is kept in the
registry, with its history, and shown only by registry check.

Examples:
  callscrub registry import bloctel-2026-11.txt --list bloctel --as-of 2026-11-20
  callscrub registry import consents.csv --list consents --kind consent --consent-max-age 1095
  callscrub registry import optout.csv --list optout --kind internal --column telephone
  callscrub registry import 201-add.txt --list us-dnc --format us-dnc --mode add --as-of 2026-11-21`;

interface RawOptions {
  list?: string;
  kind?: string;
  format: string;
  column?: string;
  dateColumn?: string;
  mode: string;
  asOf?: string;
  maxAge?: string;
  country?: string;
  covers?: string;
  rejects?: string;
  allowShrink?: boolean;
  consentMaxAge?: string;
  grantedColumn?: string;
  sourceColumn?: string;
  proofColumn?: string;
  scopeColumn?: string;
  withdrawnColumn?: string;
  expiresColumn?: string;
  ignoreColumn: string[];
  optInColumn: string[];
  db?: string;
  json?: boolean;
  quiet?: boolean;
}

export interface RegistryImportOptions
  extends Pick<ImportOptions, 'list' | 'kind' | 'format' | 'column' | 'dateColumn' | 'mode' | 'maxAgeDays' | 'country' | 'covers' | 'allowShrink'>,
    ConsentImportOptions {
  readonly file: string;
  readonly db: string;
  /** Undefined: today. */
  readonly asOf: string | undefined;
  readonly rejects: string | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
}

export function define(registry: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  registry
    .command('import')
    .description('import a list file as a new version of a list')
    .argument('<file>', 'the list file, or - for standard input')
    .option('--list <name>', 'the list to import into (created on first import)')
    .option('--kind <kind>', 'opposition (a national registry), internal (your do-not-call list), exempt (customers under contract) or consent (a consent ledger)')
    .option('--format <format>', 'auto, lines, csv, us-dnc, tps or dncm', 'auto')
    .option('--column <name>', 'csv: the number column (a header name or a 1-based index)')
    .option('--date-column <name>', 'the expiry or end-date column of an internal or exempt list (a header name or a 1-based index)')
    .option('--mode <mode>', 'full (the file is the whole list), add or remove (a change list)', 'full')
    .option('--as-of <date>', 'the date the file was published, YYYY-MM-DD, not after today (default: today)')
    .option('--max-age <days>', 'days a version stays usable for scrubs (default: 30 lines/csv, 31 us-dnc, 28 tps, 5 dncm)')
    .option('--country <CC>', 'region of numbers written without a country code (default: FR; US, GB, BE for their formats)')
    .option('--covers <codes>', 'calling codes or area codes the list covers, e.g. 33,262 or 1201,1202 (default: those in the file)')
    .option('--rejects <file>', 'write the line number and reason of every rejected line to this file')
    .option('--allow-shrink', 'accept a full import that removes more than 20 % of the list')
    .option('--consent-max-age <days>', 'consent lists: days after which a consent is no longer used by scrubs (kept for later imports; default: none)')
    .option('--granted-column <name>', 'consent lists: the column of the date the consent was given')
    .option('--source-column <name>', 'consent lists: the column saying how the consent was collected')
    .option('--proof-column <name>', 'consent lists: the column of the reference to its proof')
    .option('--scope-column <name>', 'consent lists: the column of its scope (brand or purpose)')
    .option('--withdrawn-column <name>', 'consent lists: the column of its withdrawal date')
    .option('--expires-column <name>', 'consent lists: the column of its expiry date')
    .option('--ignore-column <name>', 'consent lists: a column that is not part of the consent, though its name says so (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--opt-in-column <name>', 'consent lists: a yes/no column; a record whose cell does not say yes withdraws its number (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--json', 'print one JSON document on stdout')
    .option('--quiet', 'print nothing on stderr but errors')
    .addHelpText('after', help)
    .action((file: string, raw: RawOptions) => run(() => runRegistryImport(resolveOptions(file, raw, context), context)));
}

export function resolveOptions(file: string, raw: RawOptions, context: Context): RegistryImportOptions {
  if (raw.list === undefined || raw.list.trim().length === 0) throw usageError('registry import needs --list NAME', 'for example --list bloctel');
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u.test(raw.list)) {
    throw usageError(`--list takes a name of letters, digits, '.', '_' and '-', not '${raw.list}'`);
  }
  const maxAgeDays = parseWholeNumber(raw.maxAge, '--max-age', 1);
  const consentMaxAgeDays = parseWholeNumber(raw.consentMaxAge, '--consent-max-age', 1);
  const roleColumns: Partial<Record<ConsentRole, string>> = {};
  for (const role of consentRoles) {
    const name = raw[`${role}Column` as const];
    if (name !== undefined) roleColumns[role] = name;
  }
  const kind = parseChoice(raw.kind, '--kind', ['opposition', 'internal', 'exempt', 'consent'] as const);
  const consentOnly = [
    ...(consentMaxAgeDays === undefined ? [] : ['--consent-max-age']),
    ...Object.keys(roleColumns).map((role) => `--${role}-column`),
    ...(raw.ignoreColumn.length === 0 ? [] : ['--ignore-column']),
    ...(raw.optInColumn.length === 0 ? [] : ['--opt-in-column']),
  ];
  if (consentOnly.length > 0 && kind !== undefined && kind !== 'consent') throw usageError(`${consentOnly[0]} is for consent lists (--kind consent)`);
  if (kind === 'consent') {
    if (raw.maxAge !== undefined) throw usageError('consent lists never go stale: --max-age is for opposition lists', 'to stop using consents older than a number of days, use --consent-max-age');
    if (raw.covers !== undefined) throw usageError('--covers is for opposition lists', 'a consent list applies to the numbers it holds');
    if (raw.dateColumn !== undefined) throw usageError('--date-column is for internal and exempt lists', 'name a consent ledger\'s dates with --granted-column, --withdrawn-column or --expires-column');
  }
  const asOf = parseDate(raw.asOf, '--as-of');
  const today = localDate(context.now());
  // A date after today is a typo (2027 for 2026): it would make the version look fresh for a year and refuse
  // every real publication after it.
  if (asOf !== undefined && asOf > today) throw usageError(`--as-of ${asOf} is after today (${today})`, 'give the day the file was published');
  const db = resolveDb(raw.db, context);
  // Also without --rejects: --json's standard output may be redirected onto the registry or the input.
  checkOutputPaths(
    raw.rejects === undefined ? [] : [{ role: '--rejects', path: resolvePath(raw.rejects, context), name: raw.rejects }],
    [{ role: 'the input', path: resolvePath(file, context), name: file }, { role: 'the registry', path: db, name: db }],
    { stdinFd: file === '-' ? context.stdinFd : undefined, stdoutFd: raw.json === true ? context.stdoutFd : undefined },
  );
  return Object.freeze({
    file,
    db,
    list: raw.list,
    kind,
    consentMaxAgeDays,
    roleColumns,
    ignoreColumns: [...raw.ignoreColumn],
    optInColumns: [...raw.optInColumn],
    format: parseChoice(raw.format, '--format', ['auto', 'lines', 'csv', 'us-dnc', 'tps', 'dncm'] as const) as ListFormat | 'auto',
    column: raw.column,
    dateColumn: raw.dateColumn,
    mode: parseChoice(raw.mode, '--mode', ['full', 'add', 'remove'] as const) as ImportMode,
    asOf,
    maxAgeDays,
    country: parseCountry(raw.country),
    covers: raw.covers === undefined ? undefined : parseCovers(raw.covers),
    rejects: raw.rejects === undefined ? undefined : resolvePath(raw.rejects, context),
    allowShrink: raw.allowShrink === true,
    json: raw.json === true,
    quiet: raw.quiet === true,
  });
}

/** `+33, 262,1-201` -> ['33', '262', '1201']. */
export function parseCovers(text: string): string[] {
  const codes = text
    .split(',')
    .map((code) => code.replace(/[+\s-]/g, ''))
    .filter((code) => code.length > 0);
  for (const code of codes) {
    if (!isCoverageCode(code)) throw usageError(`--covers takes calling codes or North American area codes such as 33,262 or 1201, not '${printable(code)}'`);
  }
  if (codes.length === 0) throw usageError('--covers names no code');
  return [...new Set(codes)].sort();
}

export async function runRegistryImport(options: RegistryImportOptions, context: Context): Promise<void> {
  const [{ Registry }, { importList }, { importConsents }, { openSource }, { defaultMaxAge }] = await Promise.all([
    import('../registry/store.js'),
    import('../registry/importer.js'),
    import('../registry/consent-import.js'),
    import('../io/source.js'),
    import('../registry/formats.js'),
    // The progress display's module, loaded now on a terminal: an import is mostly long synchronous steps, between
    // which a display still being loaded would never get its turn.
    options.quiet || options.json || !context.interactive ? undefined : import('ora'),
  ]);
  const reporter = new Reporter(context, options);
  const source = openSource(resolvePath(options.file, context), context.stdin, options.file);
  const now = context.now();
  const registry = Registry.open(options.db);
  const started = Date.now();
  const state = { records: 0, bytes: 0, phase: 'reading' as 'reading' | 'comparing' | 'writing' };
  const progress = reporter.progress(() => {
    if (state.phase === 'comparing') return `comparing with the newest version: ${count(state.records)} records read`;
    if (state.phase === 'writing') return `writing version: ${count(state.records)} records read`;
    const share = source.size ? ` (${Math.floor((100 * state.bytes) / source.size)} %)` : '';
    return `reading ${count(state.records)} records${share}, ${rate(state.records, started, Date.now())}`;
  });
  try {
    const existing = registry.read(() => registry.list(options.list))?.kind;
    if (existing !== undefined && options.kind !== undefined && options.kind !== existing) {
      throw usageError(`list '${options.list}' is ${existing === 'consent' ? 'a' : 'an'} ${existing} list, not ${options.kind}`, `drop --kind or import into another list`);
    }
    const consent = (existing ?? options.kind) === 'consent';
    if (!consent && (options.consentMaxAgeDays !== undefined || Object.keys(options.roleColumns).length > 0 || options.ignoreColumns.length > 0 || options.optInColumns.length > 0)) {
      throw usageError(`list '${options.list}' is not a consent list: --consent-max-age and the consent columns are for consent lists`);
    }
    const importOptions = {
        list: options.list,
        kind: options.kind,
        format: options.format,
        column: options.column,
        dateColumn: options.dateColumn,
        mode: options.mode,
        asOf: options.asOf ?? localDate(now),
        maxAgeDays: options.maxAgeDays,
        country: options.country,
        covers: options.covers,
        rejectsPath: options.rejects,
        allowShrink: options.allowShrink,
        importedAt: now.toISOString(),
    };
    const result: ImportResult & Partial<ConsentImportResult> = consent
      ? await importConsents(registry, source, { ...importOptions, roleColumns: options.roleColumns, ignoreColumns: options.ignoreColumns, optInColumns: options.optInColumns, consentMaxAgeDays: options.consentMaxAgeDays }, state)
      : await importList(registry, source, importOptions, state, (format) => defaultMaxAge[format]);
    progress.stop();
    const v = result.version;
    const rejected = Object.values(result.rejectedByReason).reduce((a, b) => a + b, 0);
    if (options.json) {
      writeJson(context, {
        list: v.list,
        kind: v.kind,
        version: v.version,
        mode: v.mode,
        asOf: v.asOf,
        importedAt: v.importedAt,
        format: result.format,
        country: v.country,
        records: result.records,
        numbersAdded: v.numbersAdded,
        numbersRemoved: v.numbersRemoved,
        numbersTotal: v.numbersTotal,
        rejected,
        rejectedByReason: result.rejectedByReason,
        firstRejects: result.firstRejects,
        unreadableDates: result.unreadableDates,
        firstUnreadableDates: result.firstUnreadableDates,
        replacedDamagedVersion: result.replacedDamaged?.version ?? null,
        logicalSha256: v.logicalSha256,
        sourceSha256: v.sourceSha256,
        sourceName: v.sourceName,
        covers: v.covers,
        maxAgeDays: result.list.maxAgeDays,
        ...(consent
          ? {
              consentMaxAgeDays: result.list.consentMaxAgeDays,
              columns: result.columns,
              notInLedger: result.notInLedger,
              withdrawals: result.withdrawals,
              undatedWithdrawals: result.undatedWithdrawals?.length,
              firstUndatedWithdrawals: result.undatedWithdrawals?.slice(0, 5),
              withdrawalsKept: result.withdrawalsKept,
            }
          : {}),
        db: options.db,
        elapsedMs: Date.now() - started,
      });
    }
    const seconds = (Date.now() - started) / 1000;
    reporter.info(
      `${reporter.style('green', 'imported')} ${reporter.style('bold', `${v.list} version ${v.version}`)} (${v.kind}, ${v.mode}, as of ${v.asOf}) from ${source.name}`,
    );
    reporter.info(
      `  format ${result.format}${result.formatChosenBecause === undefined ? '' : ` (auto: ${result.formatChosenBecause})`}, country ${v.country}, ${count(result.records)} records in ${seconds.toFixed(1)} s`,
    );
    if (consent) {
      const columns = Object.entries(result.columns ?? {}).map(([role, name]) => `${role} '${printable(name)}'`);
      if (columns.length > 0) reporter.info(`  columns: ${columns.join(', ')}`);
      reporter.info(`  ${count(v.numbersTotal)} consents: ${count(v.numbersAdded)} new or changed, ${count(v.numbersRemoved)} ended or replaced; calling codes ${v.covers.map((c) => `+${c}`).join(' ')} (numbers written without one are read as ${v.country})`);
      if ((result.withdrawals ?? 0) > 0) reporter.info(`  ${count(result.withdrawals ?? 0)} records only withdraw (no consent in them, or a rejected one: a withdrawal needs no proof)`);
      const undated = result.undatedWithdrawals ?? [];
      if (undated.length > 0) {
        reporter.warn(
          `${count(undated.length)} records withdraw without a readable date on or before ${v.asOf} (an undated or later withdrawal, an opt-in column not saying yes, a misaligned record): recorded as of that date (${undated.slice(0, 5).map((line) => `line ${line}`).join(', ')}${undated.length > 5 ? ', ...' : ''})`,
        );
      }
      if ((result.withdrawalsKept ?? 0) > 0) reporter.info(`  ${count(result.withdrawalsKept ?? 0)} withdrawn numbers the file leaves out are kept, withdrawn`);
      if ((result.notInLedger ?? 0) > 0) reporter.info(`  ${count(result.notInLedger ?? 0)} numbers of the file had no consent: their withdrawal is recorded`);
      const maxAge = result.list.consentMaxAgeDays;
      reporter.info(`  never stale; ${maxAge === null ? 'consents are used whatever their age' : `consents older than ${maxAge} days are not used`}`);
    } else reporter.info(`  ${count(v.numbersTotal)} numbers: ${count(v.numbersAdded)} added, ${count(v.numbersRemoved)} removed`);
    if (rejected > 0) {
      const { describeReasons } = await import('../registry/importer.js');
      reporter.info(`  ${count(rejected)} lines rejected: ${describeReasons(result.rejectedByReason)}`);
      reporter.info(`  first: ${result.firstRejects.map((r) => `line ${r.line} ${r.reason}`).join(', ')}${options.rejects === undefined ? ' (--rejects FILE lists them all)' : ''}`);
    }
    if (v.kind === 'opposition') {
      reporter.info(`  covers ${v.covers.map((c) => `+${c}`).join(' ')}; usable for ${result.list.maxAgeDays} days after ${v.asOf}`);
    }
    if (result.unreadableDates > 0) {
      reporter.info(
        `  ${count(result.unreadableDates)} expiry dates unreadable, kept as never expiring: ${result.firstUnreadableDates.map((line) => `line ${line}`).join(', ')}${result.unreadableDates > result.firstUnreadableDates.length ? ', ...' : ''}`,
      );
    }
    reporter.info(`  logical sha256 ${v.logicalSha256}`);
    if (result.replacedDamaged !== undefined) {
      reporter.warn(
        `version ${result.replacedDamaged.version} of '${v.list}' was damaged: this import replaces it, and the versions before version ${v.version} can no longer be replayed`,
      );
    }
    if (result.outsideCovers > 0) reporter.warn(`${count(result.outsideCovers)} numbers of the file are outside --covers`);
  } finally {
    progress.stop();
    registry.close();
  }
}
