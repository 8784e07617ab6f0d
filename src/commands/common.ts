// Option checks shared by the commands: raw strings from the command line in, typed values or a usage error out.

import { createRequire } from 'node:module';
import path from 'node:path';
import type { Context } from '../context.js';
import { dayOf } from '../dates.js';
import { readCallTime } from '../instants.js';
import { CallscrubError, usageError } from '../errors.js';
import { frenchCallingCodes } from '../phone/french-codes.js';
import { ruleSetNames, type RuleSetName } from '../rules/rule-sets.js';
import { printable } from '../ui/printable.js';

/** The registry path: --db, else CALLSCRUB_DB, else ./callscrub.db. */
export function resolveDb(db: string | undefined, context: Context): string {
  if (db === '') throw usageError('--db takes a path, not an empty string', 'name the registry file');
  return path.resolve(context.cwd, db ?? context.defaultDb ?? 'callscrub.db');
}

/** What a registry command says when the registry it reads is not there (`Registry.openExisting`). */
export function noRegistryHere(db: string, hint = 'import a list first, or name the registry with --db'): CallscrubError {
  return new CallscrubError('database', 'no registry here', { file: db, hint });
}

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(file: string, context: Context): string {
  const relative = path.relative(context.cwd, file);
  return relative.length > 0 && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
 * A path as the user gave it, resolved from the working directory; `-` stays `-`. An empty name would resolve to
 * the working directory itself: a usage error.
 */
export function resolvePath(name: string, context: Context): string {
  if (name === '') throw usageError('a file name is empty', 'name a file');
  return name === '-' ? name : path.resolve(context.cwd, name);
}

/**
 * A region code the phone metadata knows (FR, US, GB...). Read from libphonenumber-js's smallest metadata file
 * (5 ms) rather than through the phone module, whose full metadata would cost every command 65 ms at start-up.
 */
export function parseCountry(value: string | undefined, option = '--country'): string | undefined {
  if (value === undefined) return undefined;
  const upper = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper) || !knownRegions().has(upper)) {
    throw usageError(`${option} takes a two-letter region code the phone metadata knows, not '${printable(value)}'`, 'for example FR, US, GB, BE');
  }
  return upper;
}

let metadata: { countries: object; country_calling_codes: object } | undefined;
function lightMetadata(): { countries: object; country_calling_codes: object } {
  metadata ??= createRequire(import.meta.url)('libphonenumber-js/metadata.min.json') as { countries: object; country_calling_codes: object };
  return metadata;
}

let regions: ReadonlySet<string> | undefined;
function knownRegions(): ReadonlySet<string> {
  regions ??= new Set(Object.keys(lightMetadata().countries));
  return regions;
}

/** Whether a code names a coverage a list can have: a calling code, or 1 and a North American area code (1201). */
export function isCoverageCode(code: string): boolean {
  return Object.hasOwn(lightMetadata().country_calling_codes, code) || /^1[2-9]\d\d$/.test(code);
}

/**
 * `FR,34, +49` -> the calling codes where a consent is required, sorted: calling codes (or North American area codes
 * such as 1201), or two-letter regions: FR for France with its overseas departments (33, 262, 508, 590, 594, 596),
 * another region for its calling code.
 */
export function parseConsentCodes(text: string, option: string): string[] {
  const codes = new Set<string>();
  for (const item of text.split(',').map((c) => c.trim()).filter((c) => c.length > 0)) {
    const region = item.toUpperCase();
    if (region === 'FR') {
      for (const code of frenchCallingCodes) codes.add(code);
      continue;
    }
    if (/^[A-Z]{2}$/.test(region)) {
      const code = (lightMetadata().countries as Record<string, [string] | undefined>)[region]?.[0];
      if (code === undefined) throw usageError(`${option}: '${printable(item)}' is not a region the phone metadata knows`, 'give calling codes, e.g. 33,262 or FR');
      if (code === '1') throw usageError(`${option}: ${region} shares +1 with the whole North American plan`, 'give 1, or area codes such as 1201');
      codes.add(code);
      continue;
    }
    const digits = item.replace(/^(\+|00)/, '').replace(/[\s-]/g, '');
    if (!/^\d+$/.test(digits) || !isCoverageCode(digits)) {
      throw usageError(`${option} takes calling codes or regions such as FR,34,49, not '${printable(item)}'`);
    }
    codes.add(digits);
  }
  if (codes.size === 0) throw usageError(`${option} names no calling code`, 'for example FR, or 33,262');
  return [...codes].sort();
}

/** The contact rule sets of --rules: `fr,us,ca`, each once, in that order. */
export function parseRuleSets(text: string, option = '--rules'): RuleSetName[] {
  const named = text.split(',').map((r) => r.trim().toLowerCase()).filter((r) => r.length > 0);
  const unknown = named.filter((r) => !(ruleSetNames as readonly string[]).includes(r));
  if (unknown.length > 0) throw usageError(`${option} takes ${ruleSetNames.join(', ')} (comma-separated), not '${printable(unknown[0] as string)}'`);
  if (named.length === 0) throw usageError(`${option} names no rule set`, `for example ${option} fr, or ${option} fr,us,ca`);
  return ruleSetNames.filter((r) => named.includes(r));
}

/**
 * An instant given as ISO 8601 with its offset (`2026-12-01T09:30:00+01:00`, `...Z`) or as epoch seconds, read as
 * call logs are (instants.ts): epoch milliseconds. A time without an offset names no instant.
 */
export function parseInstant(value: string, option: string): number {
  const read = readCallTime(value);
  if (read === undefined || read.offset === undefined) {
    throw usageError(`${option} takes an instant as ISO 8601 with its offset, not '${printable(value)}'`, 'for example 2026-12-01T09:30:00+01:00 or 2026-12-01T08:30:00Z');
  }
  return read.wall - read.offset;
}

export function parseDate(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (dayOf(value) === undefined) throw usageError(`${option} takes a date as YYYY-MM-DD, not '${printable(value)}'`);
  return value;
}

/** A longest span of days an option may take: a century bounds any real retention and keeps date arithmetic in range. */
const maxDays = 36_525;

/** A whole number of days (the only whole numbers options take), from `min` to a century. */
export function parseWholeNumber(value: string | undefined, option: string, min = 0, max = maxDays): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw usageError(`${option} takes a whole number from ${min} to ${max}, not '${printable(value)}'`);
  }
  return Number(value);
}

export function parseChoice<T extends string>(value: string | undefined, option: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw usageError(`${option} must be one of ${choices.join(', ')}, not '${printable(value)}'`);
  return value as T;
}

/** Writes the one JSON document of a --json run. */
export function writeJson(context: Context, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
