// Option checks shared by the commands: raw strings from the command line in, typed values or a usage error out.

import path from 'node:path';
import type { Context } from '../context.js';
import { dayOf } from '../dates.js';
import { usageError } from '../errors.js';

/** The registry path: --db, else CALLSCRUB_DB, else ./callscrub.db. */
export function resolveDb(db: string | undefined, context: Context): string {
  return path.resolve(context.cwd, db ?? context.defaultDb ?? 'callscrub.db');
}

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(file: string, context: Context): string {
  const relative = path.relative(context.cwd, file);
  return relative.length > 0 && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** A path as the user gave it, resolved from the working directory; `-` stays `-`. */
export function resolvePath(name: string, context: Context): string {
  return name === '-' ? name : path.resolve(context.cwd, name);
}

export function parseCountry(value: string | undefined, option = '--country'): string | undefined {
  if (value === undefined) return undefined;
  const upper = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) throw usageError(`${option} takes a two-letter country code, not '${value}'`, 'for example FR, US, GB, BE');
  return upper;
}

export function parseDate(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (dayOf(value) === undefined) throw usageError(`${option} takes a date as YYYY-MM-DD, not '${value}'`);
  return value;
}

export function parseWholeNumber(value: string | undefined, option: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw usageError(`${option} takes a whole number of at least ${min}, not '${value}'`);
  return Number(value);
}

export function parseChoice<T extends string>(value: string | undefined, option: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw usageError(`${option} must be one of ${choices.join(', ')}, not '${value}'`);
  return value as T;
}

/** Writes the one JSON document of a --json run. */
export function writeJson(context: Context, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
