// `callscrub when`: may these numbers be called at this instant, and if not, why and when next? The lists and the
// call history as a scrub would pin them, then the contact rules and the legal calling hours in each number's own
// time: a dialer's pre-call hook (--check exits 5 when some number may not be called).

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { dayOf, localDate } from '../dates.js';
import { CallscrubError, usageError } from '../errors.js';
import type { RuleSetName } from '../rules/rule-sets.js';
import type { CallWindow } from '../rules/calling-hours.js';
import type { ContactRules } from '../scrub/contact-rules.js';
import type { Screening } from '../scrub/screening.js';
import { printable } from '../ui/printable.js';
import { Reporter } from '../ui/reporter.js';
import { parseConsentCodes, parseCountry, parseInstant, parseRuleSets, resolveDb, writeJson } from './common.js';
import { table, TableOutput } from './registry-status.js';

export const help = `
For each NUMBER (any notation; - reads one number a line from standard input, as a dialer pipes them): whether it
may be called at --at (ISO 8601 with an offset; default: now), and if not, why and from when. Reasons, strongest
first:
  list            on an opposition list in use (unless a contract exempts it), your internal list, or without a
                  consent where --require-consent asks for one: never, as long as the lists say so
  unscreened      no opposition list in use covers it: never, until one does
  refusal-pause   refused within the pause (France: 60 days), from the call history
  frequency-cap   called as often as the cap allows (France: 4 in 30 days; Florida, Oklahoma, Maryland: 3 in 24 h)
  holiday         a public holiday where the number may be (France and its overseas territories)
  hours           outside the legal hours in the number's local time (France: weekdays 10:00-13:00, 14:00-20:00)
  unknown-zone    a North American number whose time zone is unknown: callscrub cannot say when
  invalid         not a usable phone number (the normalizer's reason in the detail)
The next window is the first legal window from --at (for a pause or a cap, from its end), start/end in the number's
own time zone; for a callable number, the window in progress. The rules are --rules fr,us,ca unless named: a
pre-call hook wants every one. The lists are the newest versions, as for a scrub (a stale opposition list: exit 3).

Exit 0 whatever the answers; with --check, exit 5 when any number may not be called at --at.

Examples:
  callscrub when 06.12.34.56.78 '+1 212 555 0123'
  callscrub when 0612345678 --at 2026-12-05T10:00:00+01:00 --json
  dialer-export | callscrub when - --check --rules fr && echo 'all callable now'`;

interface RawOptions {
  at?: string;
  rules?: string;
  country: string;
  lists?: string;
  requireConsent?: string;
  db?: string;
  json?: boolean;
  check?: boolean;
  allowStale?: boolean;
  quiet?: boolean;
}

export interface WhenOptions {
  /** The numbers as typed; `-` stands for the lines of standard input. */
  readonly numbers: readonly string[];
  /** The instant judged (epoch ms); undefined: now. */
  readonly at: number | undefined;
  readonly rules: readonly RuleSetName[];
  readonly country: string;
  readonly lists: readonly string[] | undefined;
  /** Calling codes where a consent is required (empty: nowhere). */
  readonly requireConsent: readonly string[];
  readonly db: string;
  readonly json: boolean;
  readonly check: boolean;
  /** Use opposition lists older than their maximum age (an instant asked about far ahead). */
  readonly allowStale: boolean;
  readonly quiet: boolean;
}

export const whenReasons = ['list', 'unscreened', 'refusal-pause', 'frequency-cap', 'holiday', 'hours', 'unknown-zone', 'invalid'] as const;
export type WhenReason = (typeof whenReasons)[number];

/** One number's answer, as --json prints it. */
export interface WhenAnswer {
  /** The number as typed. */
  readonly input: string;
  /** E.164; null when it is not a usable number. */
  readonly number: string | null;
  readonly callable: boolean;
  /** Null when callable. */
  readonly reason: WhenReason | null;
  readonly detail: string | null;
  /** The number's local time zone (the first, when it may be in several); null when unknown or not a number. */
  readonly timeZone: string | null;
  /**
   * Callable: the window in progress (end null when no rule named restricts the hours); not callable: the first
   * window it may be called in; null when that cannot be said (a list, unscreened, an unknown zone, invalid).
   */
  readonly next: { readonly start: string; readonly end: string | null } | null;
}

export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  program
    .command('when')
    .description('may these numbers be called now (or at --at), and if not, why and when next')
    .argument('<number...>', 'phone numbers in any notation, or - for one a line on standard input')
    .option('--at <datetime>', 'judge at this instant, ISO 8601 with an offset (default: now)')
    .option('--rules <sets>', 'contact rules and calling hours to apply, comma-separated: fr, us, ca', 'fr,us,ca')
    .option('--country <CC>', 'region of numbers written without a country code', 'FR')
    .option('--lists <names>', 'opposition, internal and consent lists to use, comma-separated (default: all; exempt lists always apply)')
    .option('--require-consent <codes>', 'calling codes where only a consent in force makes a number callable, e.g. FR')
    .option('--db <path>', 'the registry database (default: $CALLSCRUB_DB or ./callscrub.db)')
    .option('--json', 'print a JSON array on stdout')
    .option('--check', 'exit 5 when any number may not be called at that instant')
    .option('--allow-stale', 'use opposition lists older than their maximum age on the day asked about (said on stderr)')
    .option('--quiet', 'print nothing on stderr but errors')
    .addHelpText('after', help)
    .action((numbers: string[], raw: RawOptions) =>
      run(async () => {
        await runWhen(resolveOptions(numbers, raw, context), context);
      }),
    );
}

export function resolveOptions(numbers: readonly string[], raw: RawOptions, context: Context): WhenOptions {
  if (numbers.filter((n) => n === '-').length > 1) throw usageError('- (standard input) may be given once');
  const lists = raw.lists?.split(',').map((n) => n.trim()).filter((n) => n.length > 0);
  if (raw.lists !== undefined && lists?.length === 0) throw usageError('--lists names no list', 'name lists separated by commas, or leave --lists out to use them all');
  return Object.freeze({
    numbers: [...numbers],
    at: raw.at === undefined ? undefined : parseInstant(raw.at, '--at'),
    rules: parseRuleSets(raw.rules ?? 'fr,us,ca'),
    country: parseCountry(raw.country) as string,
    lists,
    requireConsent: raw.requireConsent === undefined ? [] : parseConsentCodes(raw.requireConsent, '--require-consent'),
    db: resolveDb(raw.db, context),
    json: raw.json === true,
    check: raw.check === true,
    allowStale: raw.allowStale === true,
    quiet: raw.quiet === true,
  });
}

export async function runWhen(options: WhenOptions, context: Context): Promise<WhenAnswer[]> {
  const inputs = await numbersOf(options.numbers, context);
  const [{ pinLists }, screeningModule, contactModule, hours, { readCell }, { normalize }, { isoInZone, localTime }, { timeZonesOf }] = await Promise.all([
    import('../scrub/pinned.js'),
    import('../scrub/screening.js'),
    import('../scrub/contact-rules.js'),
    import('../rules/calling-hours.js'),
    import('../phone/cell.js'),
    import('../phone/normalize.js'),
    import('../rules/local-time.js'),
    import('../rules/time-zones.js'),
  ]);
  const reporter = new Reporter(context, options);
  const at = options.at ?? context.now().getTime();
  const atSecond = Math.floor(at / 1000);
  const date = localDate(new Date(at));
  const consentOption = options.requireConsent.length > 0 ? '--require-consent' : '';
  // Every number each input may be: only the chunks of the lists and of the history that hold them are read.
  const lookups: number[] = [];
  for (const input of inputs) {
    for (const part of readCell(input, options.country)) {
      if (part.kind === 'number' && part.normalized.ok) lookups.push(...[part.normalized.e164, ...part.normalized.alternates].map((n) => Number(n.slice(1))));
    }
  }
  const pinned = pinLists(options.db, options.lists, date, options.allowStale, { needed: consentOption !== '', option: consentOption }, { atSecond }, lookups);
  for (const s of pinned.stale) reporter.warn(`list '${s.name}' is ${s.ageDays} days old on ${date} (as of ${s.asOf}), over its maximum of ${s.maxAgeDays}: used because of --allow-stale`);
  const history = pinned.history as NonNullable<typeof pinned.history>;
  if (history.lastImport === null) reporter.warn('the registry has no call history, so no call counts against a cap or a pause (callscrub history import)');
  for (const name of pinned.unused.internal) reporter.warn(`internal list '${name}' is not used (--lists leaves it out)`);
  const screening: Screening = new screeningModule.Screening(pinned.lists, dayOf(date) as number, {
    codes: options.requireConsent,
    overridesOpposition: false,
  });
  const contact: ContactRules = new contactModule.ContactRules(history.attempts, options.rules, atSecond);
  const rules = options.rules;

  const windowOf = (window: CallWindow): WhenAnswer['next'] => (window.kind === 'window' ? { start: window.start, end: window.end } : null);
  const zoneOf = (digits: string): string | null => timeZonesOf(digits)?.[0] ?? null;
  // The instant judged in a zone's local time, for details: asked of ICU once a zone, not once a number.
  const localTimes = new Map<string, string>();
  const localAt = (zone: string): string => {
    let text = localTimes.get(zone);
    if (text === undefined) {
      text = `${weekdays[localTime(at, zone).weekday - 1]} ${isoInZone(at, zone).slice(0, 16).replace('T', ' ')} in ${zone}`;
      localTimes.set(zone, text);
    }
    return text;
  };

  const answer = (input: string): WhenAnswer => {
    const parts = readCell(input, options.country);
    const part = parts[0];
    if (parts.length !== 1 || part === undefined || part.kind !== 'number') {
      // No part at all: no digit in it, and the normalizer says what it is instead (letters, empty, an Excel error).
      const whole = normalize(input, { country: options.country });
      const why =
        parts.length > 1 ? 'several numbers in one argument: give each its own'
        : part !== undefined && !part.normalized.ok ? part.normalized.reason
        : whole.ok ? 'invalid-number'
        : whole.reason;
      return { input, number: null, callable: false, reason: 'invalid', detail: why, timeZone: null, next: null };
    }
    const normalized = part.normalized;
    const digits = normalized.e164.slice(1);
    const value = Number(digits);
    const forms = normalized.alternates.length === 0 ? [value] : [value, ...normalized.alternates.map((a) => Number(a.slice(1)))];
    const base = { input, number: normalized.e164, timeZone: zoneOf(digits) };
    // The hours of an ambiguous 08/09 number are those legal wherever its readings may be.
    const readings = normalized.alternates.length === 0 ? digits : [digits, ...normalized.alternates.map((a) => a.slice(1))];
    const screened = screening.check(forms);
    if (screened.status === 'internal' || screened.status === 'listed' || screened.status === 'no-consent') {
      const list = screened.list === undefined ? '' : ` (${screened.list.name} v${screened.list.version})`;
      const why = screened.status === 'no-consent' ? `no-consent: ${screened.why ?? 'no consent'}${list}` : `${screened.status}${list}`;
      return { ...base, callable: false, reason: 'list', detail: why, next: null };
    }
    if (screened.status === 'unscreened') return { ...base, callable: false, reason: 'unscreened', detail: 'no opposition list in use covers it', next: null };
    const verdict = contact.check(forms);
    if (verdict.blocked) {
      // A call the cap or the pause allows from `until` must still fall within the calling hours, and no other limit
      // may hold it then (a cap reached by calls made during a pause): window after window until one is free.
      let free = verdict.until;
      let window = hours.nextWindow(readings, free * 1000, rules);
      for (let tries = 0; tries < 16 && window.kind === 'window'; tries++) {
        const then = contact.check(forms, Math.ceil(window.startInstant / 1000));
        if (!then.blocked) break;
        free = then.until;
        window = hours.nextWindow(readings, free * 1000, rules);
      }
      const next = window.kind === 'unrestricted' ? { start: isoInZone(free * 1000, base.timeZone ?? 'UTC'), end: null } : windowOf(window);
      return { ...base, callable: false, reason: verdict.reason, detail: contactModule.describeContact(verdict, value), next };
    }
    const call = hours.mayCallAt(readings, at, rules);
    const window = hours.nextWindow(readings, at, rules);
    if (call.callable) {
      const next = window.kind === 'unrestricted' ? { start: isoInZone(at, base.timeZone ?? 'UTC'), end: null } : windowOf(window);
      return { ...base, callable: true, reason: null, detail: null, next };
    }
    if (call.reason === 'unknown-zone') return { ...base, callable: false, reason: 'unknown-zone', detail: `no known time zone for its area code (${call.rule} rules)`, next: null };
    const zone = call.timeZone ?? base.timeZone ?? 'UTC';
    const local = localAt(zone);
    const detail = call.reason === 'holiday' ? `${call.holiday} (${call.rule}), ${local}` : `outside the ${call.rule} calling hours, ${local}`;
    return { ...base, timeZone: zone, callable: false, reason: call.reason, detail, next: windowOf(window) };
  };

  // In the documented order, whichever way each answer was built.
  const answers = inputs.map((input): WhenAnswer => {
    const a = answer(input);
    return { input: a.input, number: a.number, callable: a.callable, reason: a.reason, detail: a.detail, timeZone: a.timeZone, next: a.next };
  });
  if (options.json) writeJson(context, answers);
  else printTable(answers, context);
  const blocked = answers.filter((a) => !a.callable).length;
  if (options.check && blocked > 0) {
    throw new CallscrubError('not-callable', `${blocked} of ${answers.length} number${answers.length > 1 ? 's' : ''} may not be called at ${new Date(at).toISOString()}`, {
      hint: 'see each reason on standard output',
    });
  }
  return answers;
}

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function printTable(answers: readonly WhenAnswer[], context: Context): void {
  const out = new TableOutput(context);
  const rows = answers.map((a) => [
    // The user typed it: shown on standard output, made printable (a pasted cell may hold a control character).
    a.number ?? printable(a.input),
    a.callable ? out.style('green', 'yes') : out.style('red', 'no'),
    a.reason ?? '-',
    a.timeZone ?? '-',
    // No rule named governs the number's hours: from then on, without an end.
    a.next === null ? '-' : a.next.end === null ? `from ${a.next.start} (no hours rule)` : `${a.next.start}/${a.next.end}`,
    a.detail ?? '',
  ]);
  for (const line of table([['number', 'callable', 'reason', 'time zone', 'window', 'detail'], ...rows])) out.line(line);
}

/** The numbers asked about, with `-` replaced by the non-blank lines of standard input. */
async function numbersOf(numbers: readonly string[], context: Context): Promise<string[]> {
  if (!numbers.includes('-')) return [...numbers];
  const chunks: Buffer[] = [];
  for await (const chunk of context.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const lines = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (lines.length === 0 && numbers.length === 1) throw new CallscrubError('input', 'standard input holds no number', { file: '-', hint: 'give one number a line' });
  return numbers.flatMap((n) => (n === '-' ? lines : [n]));
}
