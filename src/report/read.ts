// Reading a report back: the file parsed, its envelope and statement narrowed to their types (report-shape.ts checks
// every field), and anything that is not a report this callscrub writes refused in one line, exit 4.

import fs from 'node:fs';
import { CallscrubError, ioError } from '../errors.js';
import { printable } from '../ui/printable.js';
import { inTotoPayloadType, strictBase64, type Envelope } from './dsse.js';
import { formatVersion, predicateType, statementType, type ReportFile } from './report.js';
import { checkEnvelope, checkStatement, ShapeError } from './report-shape.js';

export interface ReadReport {
  readonly envelope: ReportFile;
  readonly statement: Statement;
  readonly payload: Buffer;
}

export interface Statement {
  _type: string;
  subject: Array<{ name: string; digest: { sha256: string }; annotations?: { role?: string; rows?: number } }>;
  predicateType: string;
  predicate: Predicate;
}

export interface Predicate {
  formatVersion: number;
  signed: boolean;
  tool: { name: string; version: string; phoneMetadata: string };
  input: { name: string; sha256: string; bytes: number; rows: number; encoding: string; delimiter: string; header: boolean; phoneColumns: string[]; sheet?: string };
  settings: {
    lists: string[] | null;
    policy: string;
    country: string;
    allowStale: boolean;
    allowUnscreened: boolean;
    dedupe: boolean;
    /** Absent from reports written before these settings were recorded. */
    phoneColumns?: string[] | null;
    /** Absent from reports written before consent lists: no consent required. */
    requireConsent?: string[];
    consentOverridesOpposition?: boolean;
    /** Absent from reports written before contact rules: none applied. */
    rules?: string[];
    schedule?: string | null;
    notPhoneColumns?: string[];
  };
  lists: Array<{ name: string; kind: string; version: number; asOf: string; numbers: number; logicalSha256: string; covers: string[]; maxAgeDays?: number; consentMaxAgeDays?: number | null; evidenceSha256?: string | null }>;
  staleLists: Array<{ name: string; asOf: string; ageDays: number; maxAgeDays: number }>;
  scrubDate: string;
  contactRules?: {
    at: string;
    since: string;
    history: { imports: number; lastImport: { id: number; importedAt: string } | null; attempts: number; numbers: number; sha256: string };
  };
  counts: { rowsIn: number; rowsClean: number; rowsExcluded: number; rowsInvalid: number; rowsRewritten: number; numbersChecked: number; byReason: Record<string, number>; byNumberStatus: Record<string, number>; consentOverListing?: { overrode: number; beaten: number } };
  exclusions: Array<[number, string, string[]]>;
}

/** Narrows a parsed report file to its envelope; a ShapeError names the first field that is wrong. */
export function assertReportFile(value: unknown): asserts value is ReportFile {
  checkEnvelope(value);
}

/** Narrows a parsed payload to the statement; a ShapeError names the first field that is wrong. */
export function assertStatement(value: unknown): asserts value is Statement {
  checkStatement(value);
}

/** Reads a report file (`name` for messages) and parses it. */
export function loadReport(file: string, name: string): ReadReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw ioError(error, name, 'read the report');
  }
  return parseReport(text, name);
}

/**
 * Reads a report and its statement, refusing what is not one, is of a format this callscrub does not know, or
 * has a field of the wrong type: every refusal is one line and exit 4, never an internal error.
 */
export function parseReport(text: string, file: string): ReadReport {
  const fail = (what: string): never => {
    throw new CallscrubError('verification', what, { file, hint: 'check that this is a callscrub report' });
  };
  const narrow = (check: () => void): void => {
    try {
      check();
    } catch (error) {
      if (error instanceof ShapeError) fail(`malformed report: ${error.message}`);
      throw error;
    }
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('not a JSON report');
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as Partial<Envelope>).payload !== 'string' || typeof (parsed as Partial<Envelope>).payloadType !== 'string') {
    return fail('not a DSSE envelope');
  }
  narrow(() => assertReportFile(parsed));
  const envelope = parsed as ReportFile;
  if (envelope.payloadType !== inTotoPayloadType) fail(`payload type '${printable(envelope.payloadType.slice(0, 100))}', not ${inTotoPayloadType}`);
  const payload = strictBase64(envelope.payload) ?? fail('the payload is not canonical base64');
  let content: unknown;
  try {
    content = JSON.parse(payload.toString('utf8'));
  } catch {
    return fail('the payload is not JSON');
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return fail('the payload is not an in-toto statement');
  const head = content as { _type?: unknown; predicateType?: unknown; predicate?: { formatVersion?: unknown } | null };
  const shown = (value: unknown): string => printable(String(value).slice(0, 100));
  if (head._type !== statementType) fail(`statement type '${shown(head._type)}', not ${statementType}`);
  if (head.predicateType !== predicateType || typeof head.predicate !== 'object' || head.predicate?.formatVersion !== formatVersion) {
    fail(`report format '${shown(head.predicateType)}' (version ${shown(typeof head.predicate === 'object' ? head.predicate?.formatVersion : undefined)}): this callscrub reads ${predicateType}`);
  }
  narrow(() => assertStatement(content));
  return { envelope, statement: content as Statement, payload };
}
