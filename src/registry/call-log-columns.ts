// Which column of a dialer's call log is which (the time of the call, its outcome), by header name in English,
// French, German and Spanish, and which outcomes mean the consumer refused. Pure: names and cells in, answers out.
// The number column is found by the phone header names every reader uses (phone/column-names.ts).

import { CallscrubError } from '../errors.js';
import { headerWords, isPhoneHeader } from '../phone/column-names.js';

/**
 * What a header name says of time: a whole date and time (`timestamp`, `called_at`, `horodatage`), a calendar date
 * that may carry a time (`date`, `call_date`, `fecha`), or a time of day that may carry a date (`heure`, `time`).
 */
export type TimeRole = 'datetime' | 'date' | 'clock';

const datetimeWords = new Set(['datetime', 'timestamp', 'horodatage', 'horodate', 'zeitpunkt', 'zeitstempel', 'ts']);
const dateWords = new Set(['date', 'datum', 'fecha', 'jour', 'day', 'tag', 'dia', 'calldate']);
const clockWords = new Set(['time', 'heure', 'hora', 'uhrzeit', 'zeit', 'calltime']);
// `Call Start`, `Début d'appel`, `Anrufbeginn`: when the call started, a clock (alone, a column holding the date too);
// beside a date word they only say which date (`Start Date`, `Date début`: the date a `Start Time` completes).
const startWords = new Set(['start', 'debut', 'beginn', 'anrufbeginn', 'inicio']);
// `called_at`, `started_at`: the word before `at` says it is the call's time.
const atVerbs = new Set(['called', 'started', 'dialed', 'dialled', 'placed', 'attempted', 'start']);
// A time column about something else than the call: its end, a callback, the record's own history, a birthday.
const notTheCall = new Set([
  'end', 'ended', 'fin', 'last', 'next', 'callback', 'rappel', 'created', 'updated', 'modified', 'modification',
  'creation', 'birth', 'naissance', 'nacimiento', 'geburt', 'duration', 'duree', 'length', 'sec', 'seconds', 'epoch',
  'zone', 'timezone', 'fuseau', 'import', 'export', 'ende', 'proxima', 'prochain', 'wait', 'attente', 'talk',
]);

/** The time role a header name says, or undefined. */
export function timeRoleOfHeader(name: string): TimeRole | undefined {
  const words = headerWords(name);
  if (words.some((w) => notTheCall.has(w))) return undefined;
  if (words.some((w) => datetimeWords.has(w))) return 'datetime';
  const at = words.indexOf('at');
  if (at > 0 && atVerbs.has(words[at - 1] as string)) return 'datetime';
  const date = words.some((w) => dateWords.has(w));
  const clock = words.some((w) => clockWords.has(w) || (!date && startWords.has(w)));
  // `Date/heure`, `date_time`, `Fecha y hora`: one column holding both.
  if (date && clock) return 'datetime';
  if (date) return 'date';
  if (clock) return 'clock';
  return undefined;
}

// Number columns that dialers name without a phone word: `Rufnummer`, `Dialed Number`, `DNIS` (the number dialed).
const dialedNumberWords = new Set(['rufnummer', 'zielrufnummer', 'anrufnummer', 'dnis']);
const dialedWords = new Set(['dialed', 'dialled', 'called', 'appele', 'marcado', 'gewaehlte']);
const numberWords = new Set(['number', 'numero', 'no', 'nr', 'num', 'nummer']);

/** Whether a header name says the column holds the number called: a phone header, or a dialer's own name for it. */
export function isCalledNumberHeader(name: string): boolean {
  if (isPhoneHeader(name)) return true;
  const words = headerWords(name);
  if (words.some((w) => w === 'type' || w === 'id' || w === 'count')) return false;
  return words.some((w) => dialedNumberWords.has(w)) || (words.some((w) => dialedWords.has(w)) && words.some((w) => numberWords.has(w)));
}

const outcomeWords = new Set([
  'outcome', 'result', 'results', 'status', 'disposition', 'dispo', 'resultat', 'statut', 'qualification', 'qualif',
  'issue', 'ergebnis', 'resultado', 'estado', 'motif', 'disposicion', 'tipificacion', 'wrapup',
]);
// `Statut client`, `Lead status`, `Status code` beside the call's own: the call's is `status`, `call status`.
const notTheOutcome = new Set(['lead', 'client', 'customer', 'contact', 'fiche', 'dossier', 'compte', 'account', 'list', 'liste', 'date', 'time', 'heure']);

/** Whether a header name says the column holds the call's outcome. */
export function isOutcomeHeader(name: string): boolean {
  const words = headerWords(name);
  return words.some((w) => outcomeWords.has(w)) && !words.some((w) => notTheOutcome.has(w));
}

/**
 * Outcomes that mean the consumer refused, as dialers and agents write them (`NI` is VICIdial's "not interested",
 * `DNC` its do-not-call). Matched as whole words after folding (see foldOutcome).
 */
export const defaultRefusalOutcomes: readonly string[] = Object.freeze([
  'refus', 'refuse', 'refusee', 'refused', 'refusal', 'not interested', 'pas interesse', 'pas interessee',
  'ne pas appeler', 'ne plus appeler', 'do not call', 'dont call', "don't call", 'dnc', 'stop', 'opposition', 'ni',
  'kein interesse', 'nicht interessiert', 'nicht anrufen', 'abgelehnt', 'no interesado', 'no interesada', 'no llamar',
  'rechazado', 'rechazo', 'non interesse', 'non interessee', 'ne souhaite pas', 'opt out', 'optout', 'remove',
  'declined', 'decline', 'keine werbung', 'no quiere',
]);

/**
 * camelCase cut into words (`NotInterested`, `DoNotCall`, `DNCList`), then lower case, accents and marks dropped,
 * every run of other characters than letters and digits one space.
 */
export function foldOutcome(text: string): string {
  return text
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether an outcome is a refusal: one of the terms appears in it as whole words (`REFUS CLIENT`, not `stopped`). */
export function isRefusal(outcome: string, terms: readonly string[]): boolean {
  const folded = ` ${foldOutcome(outcome)} `;
  return terms.some((term) => {
    const word = foldOutcome(term);
    return word.length > 0 && folded.includes(` ${word} `);
  });
}

/**
 * isRefusal for one list of terms, with the answer for each outcome text remembered: a call log of millions of rows
 * has a few dozen outcomes.
 */
export function refusalMatcher(terms: readonly string[]): (outcome: string) => boolean {
  const words = [...new Set(terms.map(foldOutcome).filter((w) => w.length > 0))];
  if (words.length === 0) throw new CallscrubError('usage', '--refusal-outcomes names no outcome', { hint: 'give the outcomes that mean a refusal, separated by commas' });
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?:^| )(?:${escaped.join('|')})(?: |$)`);
  const known = new Map<string, boolean>();
  return (outcome) => {
    let answer = known.get(outcome);
    if (answer === undefined) {
      if (known.size >= 10_000) known.clear();
      answer = pattern.test(foldOutcome(outcome));
      known.set(outcome, answer);
    }
    return answer;
  };
}

/** The terms of `--refusal-outcomes a,b,c`: a usage error when it names none. */
export function parseRefusalOutcomes(text: string): string[] {
  const terms = text.split(',').map((t) => t.trim()).filter((t) => foldOutcome(t).length > 0);
  if (terms.length === 0) throw new CallscrubError('usage', '--refusal-outcomes names no outcome', { hint: 'give the outcomes that mean a refusal, separated by commas' });
  return terms;
}
