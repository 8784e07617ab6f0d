// What the registry records about lists and their versions, and how a stored row becomes one: the records the
// commands print, the report names and an auditor checks.

import { CallscrubError } from '../errors.js';
import type { SetShape } from '../numbers/set.js';

export const listKinds = ['opposition', 'internal', 'exempt', 'consent'] as const;
export type ListKind = (typeof listKinds)[number];

/** What a list's sets hold beside each number: nothing, an end date, or a consent's dates. */
export function shapeOf(kind: ListKind): SetShape {
  return kind === 'opposition' ? 'plain' : kind === 'consent' ? 'consent' : 'dated';
}
export const importModes = ['full', 'add', 'remove'] as const;
export type ImportMode = (typeof importModes)[number];

export interface List {
  readonly id: number;
  readonly name: string;
  readonly kind: ListKind;
  /** Opposition lists only: how old a version may be before scrubs refuse it. */
  readonly maxAgeDays: number | null;
  /** Consent lists only: how old a consent may be (days since it was given) before scrubs stop using it; null: no limit. */
  readonly consentMaxAgeDays: number | null;
  /** Coverage declared with --covers, kept for later imports; null: each version's data decides. */
  readonly covers: readonly string[] | null;
  readonly createdAt: string;
}

export interface Version {
  readonly list: string;
  readonly kind: ListKind;
  readonly version: number;
  readonly mode: ImportMode;
  readonly asOf: string;
  readonly importedAt: string;
  readonly sourceName: string;
  readonly sourceSha256: string;
  readonly format: string;
  readonly country: string;
  readonly numbersAdded: number;
  readonly numbersRemoved: number;
  readonly numbersTotal: number;
  readonly rejected: number;
  readonly logicalSha256: string;
  /** E.164 digit prefixes the version covers: calling codes, or 1 + area code for North American lists. */
  readonly covers: readonly string[];
  /** False once `registry prune` dropped the history needed to rebuild this version's numbers. */
  readonly replayable: boolean;
}

export type NewVersion = Omit<Version, 'list' | 'kind' | 'version' | 'replayable'>;

export interface VersionRecord {
  name: string;
  kind: ListKind;
  version: number;
  mode: ImportMode;
  as_of: string;
  imported_at: string;
  source_name: string;
  source_sha256: string;
  format: string;
  country: string;
  numbers_added: number;
  numbers_removed: number;
  numbers_total: number;
  rejected: number;
  logical_sha256: string;
  covers: string;
  replayable: number;
}

export const versionColumns = `l.name, l.kind, v.version, v.mode, v.as_of, v.imported_at, v.source_name, v.source_sha256,
  v.format, v.country, v.numbers_added, v.numbers_removed, v.numbers_total, v.rejected, v.logical_sha256, v.covers,
  v.replayable`;

/** A stored coverage, a JSON array of digit strings; a damaged one is the registry's damage, not a bug. */
export function parseCovers(text: string, what: string): string[] {
  let covers: unknown;
  try {
    covers = JSON.parse(text);
  } catch {
    covers = undefined;
  }
  if (!Array.isArray(covers) || !covers.every((c) => typeof c === 'string' && /^\d{1,6}$/.test(c))) {
    throw new CallscrubError('database', `the registry's record of ${what} is damaged (its coverage)`, {
      hint: 'restore the registry from a backup',
    });
  }
  return covers as string[];
}

export function toVersion(r: VersionRecord): Version {
  return {
    list: r.name,
    kind: r.kind,
    version: r.version,
    mode: r.mode,
    asOf: r.as_of,
    importedAt: r.imported_at,
    sourceName: r.source_name,
    sourceSha256: r.source_sha256,
    format: r.format,
    country: r.country,
    numbersAdded: r.numbers_added,
    numbersRemoved: r.numbers_removed,
    numbersTotal: r.numbers_total,
    rejected: r.rejected,
    logicalSha256: r.logical_sha256,
    covers: parseCovers(r.covers, `version ${r.version} of list '${r.name}'`),
    replayable: r.replayable === 1,
  };
}
