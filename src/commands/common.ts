// Option checks shared by the commands: raw strings from the command line in, typed values or a usage error out.

import { createRequire } from 'node:module';
import path from 'node:path';
import type { Context } from '../context.js';
import { dayOf } from '../dates.js';
import { CallscrubError, usageError } from '../errors.js';
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
