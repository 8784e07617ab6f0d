// Writing the signed exclusion report: an in-toto Statement v1 in a DSSE envelope. The statement names the clean,
// excluded and invalid files by SHA-256; its predicate records the input, the settings, each list version used, the
// scrub date, the counts and every excluded or invalid row (its number, reason and lists), never a phone number. Run
// details (times, host, user) stay outside the signed payload, so that a replay yields the same payload bytes.
// Reading it back is read.ts's job.

import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { AtomicFile } from '../io/atomic-file.js';
import type { ScrubSummary } from '../scrub/summary.js';
import type { ExclusionLog } from '../scrub/exclusion-log.js';
import { canonicalJson, type Json } from './canonical-json.js';
import { inTotoPayloadType, signEnvelope, type Envelope } from './dsse.js';

export const statementType = 'https://in-toto.io/Statement/v1';
/** The predicate's type; the last part is the format version, which readers check. */
export const predicateType = 'https://callscrub.dev/scrub-report/v1';
export const formatVersion = 1;

export interface RunDetails {
  readonly startedAt: string;
  readonly endedAt: string;
  readonly host: string;
  readonly user: string;
}

export interface ReportFile extends Envelope {
  /** Not signed: when, where and by whom the scrub ran. */
  callscrubRun?: RunDetails;
}

export function buildStatement(summary: ScrubSummary, exclusions: ExclusionLog, tool: { version: string; phoneMetadata: string }, signed: boolean): Json {
  const subject: Json[] = [];
  for (const [role, output] of Object.entries(summary.outputs)) {
    if (output === undefined) continue;
    // `-`: the rows went to standard output (to a dialer's import, say); their digest was taken as they were written.
    subject.push({ name: output.path === '-' ? '-' : path.basename(output.path), digest: { sha256: output.sha256 }, annotations: { role, rows: output.rows } });
  }
  const rows: Json[] = [];
  for (const e of exclusions.entries()) rows.push([e.row, e.reason, [...e.lists]]);
  return {
    _type: statementType,
    subject,
    predicateType,
    predicate: {
      formatVersion,
      signed,
      tool: { name: 'callscrub', version: tool.version, phoneMetadata: tool.phoneMetadata },
      input: {
        name: summary.input.path === '-' ? '-' : path.basename(summary.input.path),
        sha256: summary.input.sha256,
        bytes: summary.input.bytes,
        rows: summary.rowsIn,
        encoding: summary.input.encoding,
        delimiter: summary.input.delimiter,
        header: summary.input.header,
        phoneColumns: summary.input.phoneColumns,
        // A workbook input: the sheet scrubbed (absent for a CSV input, and from reports before workbooks).
        ...(summary.input.sheet === undefined ? {} : { sheet: summary.input.sheet }),
      },
      settings: {
        lists: summary.settings.lists === null ? null : [...summary.settings.lists],
        policy: summary.settings.policy,
        country: summary.settings.country,
        allowStale: summary.settings.allowStale,
        allowUnscreened: summary.settings.allowUnscreened,
        dedupe: summary.settings.dedupe,
        requireConsent: [...summary.settings.requireConsent],
        consentOverridesOpposition: summary.settings.consentOverridesOpposition,
        rules: [...summary.settings.rules],
        schedule: summary.settings.schedule,
        phoneColumns: summary.settings.phoneColumns === null ? null : [...summary.settings.phoneColumns],
        notPhoneColumns: [...summary.settings.notPhoneColumns],
      },
      lists: summary.lists.map((l) => ({
        name: l.name,
        kind: l.kind,
        version: l.version,
        asOf: l.asOf,
        numbers: l.numbers,
        logicalSha256: l.logicalSha256,
        covers: [...l.covers],
        // The maximum age the scrub judged an opposition list by (absent from reports before it was recorded).
        ...(l.maxAgeDays === undefined ? {} : { maxAgeDays: l.maxAgeDays }),
        ...(l.consentMaxAgeDays === undefined ? {} : { consentMaxAgeDays: l.consentMaxAgeDays }),
        // The evidence of the consents the scrub relied on, by digest (the evidence itself never enters a report).
        ...(l.evidenceSha256 === undefined ? {} : { evidenceSha256: l.evidenceSha256 }),
      })),
      staleLists: summary.staleLists.map((s) => ({ name: s.name, asOf: s.asOf, ageDays: s.ageDays, maxAgeDays: s.maxAgeDays })),
      scrubDate: summary.scrubDate,
      // The call history by digest and position (which imports), never a number or a call's time.
      ...(summary.contactRules === undefined
        ? {}
        : {
            contactRules: {
              at: summary.contactRules.at,
              since: summary.contactRules.since,
              history: { ...summary.contactRules.history, lastImport: summary.contactRules.history.lastImport === null ? null : { ...summary.contactRules.history.lastImport } },
            },
          }),
      counts: {
        rowsIn: summary.rowsIn,
        rowsClean: summary.rowsClean,
        rowsExcluded: summary.rowsExcluded,
        rowsInvalid: summary.rowsInvalid,
        rowsRewritten: summary.rowsRewritten,
        numbersChecked: summary.numbersChecked,
        byReason: summary.byReason,
        byNumberStatus: summary.byNumberStatus,
        consentOverListing: { ...summary.consentOverListing },
      },
      // [row, reason, lists]: the 1-based data row (header not counted) of every excluded or invalid row.
      exclusions: rows,
    },
  };
}

/**
 * Writes the report under a temporary name, synced, and returns it unpublished: the caller renames it into place
 * after the outputs it names.
 */
export function writeReport(file: string, statement: Json, keys: { privateKey: KeyObject; publicKey: KeyObject } | undefined, run: RunDetails): AtomicFile {
  const body = Buffer.from(canonicalJson(statement), 'utf8');
  const envelope: ReportFile = { ...signEnvelope(body, inTotoPayloadType, keys?.privateKey, keys?.publicKey), callscrubRun: run };
  const out = new AtomicFile(file);
  try {
    out.write(`${JSON.stringify(envelope, null, 2)}\n`);
    out.finish();
    return out;
  } catch (error) {
    out.abort();
    throw error;
  }
}

export function runDetails(startedAt: Date, endedAt: Date): RunDetails {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no user name (a container without a passwd entry)
  }
  return { startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString(), host: hostname(), user };
}
