// What a scrub did, in one record: counts, lists and versions, settings, input and outputs with their digests. The
// command prints it (--json) and the report builds its signed payload from it, field by field (report/report.ts):
// the payload's shape is the report's, not this record's.

import type { ScrubCounts } from './router.js';

export interface ContactRulesRecord {
  /** The instant judged (the scrub's start), ISO 8601 in UTC. */
  at: string;
  /** Attempts at or before this instant were not looked at: no rule reaches that far back. */
  since: string;
  history: {
    /** Imports in the history then, and the last of them (its id orders it among the registry's imports). */
    imports: number;
    lastImport: { id: number; importedAt: string } | null;
    /** Attempts and numbers within reach, and their digest (scrub/contact-rules.ts, historyDigest). */
    attempts: number;
    numbers: number;
    sha256: string;
  };
}

export interface ScrubSummary extends Omit<ScrubCounts, 'blankLines'> {
  lists: Array<{ name: string; kind: string; version: number; asOf: string; numbers: number; logicalSha256: string; covers: string[]; maxAgeDays?: number; consentMaxAgeDays?: number | null; evidenceSha256?: string | null }>;
  staleLists: ReadonlyArray<{ name: string; asOf: string; ageDays: number; maxAgeDays: number }>;
  scrubDate: string;
  settings: {
    lists: string[] | null;
    policy: string;
    country: string;
    allowStale: boolean;
    allowUnscreened: boolean;
    dedupe: boolean;
    /** Calling codes where a consent is required (--require-consent; empty: nowhere). */
    requireConsent: string[];
    consentOverridesOpposition: boolean;
    /** The contact rule sets applied (--rules; empty: none). */
    rules: string[];
    /** --schedule: the instant calling windows were given from, ISO 8601 in UTC (null: no schedule). */
    schedule: string | null;
    /** The columns named with --phone-column (null: found from the header) and --not-phone-column. */
    phoneColumns: string[] | null;
    notPhoneColumns: string[];
  };
  input: {
    path: string;
    sha256: string;
    bytes: number;
    encoding: string;
    encodingFrom: string;
    delimiter: string;
    delimiterFrom: string;
    header: boolean;
    phoneColumns: string[];
    blankLines: number;
    /** A workbook input: the worksheet scrubbed. */
    sheet?: string;
    /** A workbook input: its other sheets, not scrubbed, and whether each is hidden. */
    otherSheets?: { name: string; state: string }[];
    /** A workbook input: formula cells with no stored value, written empty (see scrub/workbook-scrub.ts). */
    formulasWithoutValue?: number;
    /** A workbook input: data rows the sheet hides, scrubbed like the others. */
    hiddenRows?: number;
  };
  outputs: {
    clean: { path: string; rows: number; bytes: number; sha256: string } | undefined;
    excluded: { path: string; rows: number; bytes: number; sha256: string } | undefined;
    invalid: { path: string; rows: number; bytes: number; sha256: string } | undefined;
  };
  /** With --rules: the instant the rules were judged at, and the call history they judged by. */
  contactRules?: ContactRulesRecord;
  elapsedMs: number;
  report?: { path: string; signed: boolean; keyId: string | null };
}
