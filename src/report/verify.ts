// Verifying a report, as a sequence of named checks in one place (after sigstore-js's verifier.verify()): its format,
// its signature, the input's digest, each output's digest and, when asked, a replay. `verify` stops at the first that
// fails, which throws and names what differs (exit 4); what passed is returned, in order, for the summary. The
// auditor's page runs them all and records each outcome (checkReport), so that it can show every one.

import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { CallscrubError } from '../errors.js';
import { openSource, readChunks } from '../io/source.js';
import { printable } from '../ui/printable.js';
import { verifyEnvelope } from './dsse.js';
import { keyId, loadPublicKey } from './keys.js';
import { loadReport, type ReadReport, type Statement } from './read.js';
import { formatVersion, predicateType } from './report.js';

/** A file to read: its resolved path, and its name as the user gave it, for messages. */
export interface NamedFile {
  readonly path: string;
  readonly name: string;
}

export const outputRoles = ['clean', 'excluded', 'invalid'] as const;
export type OutputRole = (typeof outputRoles)[number];

export interface VerifyRequest {
  readonly report: NamedFile;
  /** The signer's key; without it (the auditor's page only) the signature is not checked. */
  readonly publicKey: NamedFile | undefined;
  readonly input: NamedFile | undefined;
  readonly outputs: ReadonlyArray<NamedFile & { readonly role: OutputRole }>;
  /** Replays the scrub (needs `input`) against the list versions rebuilt from this registry. */
  readonly replay: { readonly db: string; /** The registry as the user named it (or the default's name), for the page. */ readonly name?: string } | undefined;
  /** What `-` reads when the replay's input is standard input. */
  readonly stdin: Readable;
}

export interface Verified extends ReadReport {
  readonly keyId: string;
  /** The checks that passed after the format, in order: `signature`, `input`, `clean file`..., `replay`. */
  readonly checked: readonly string[];
}

/** A check's name: `format`, `signature`, `input`, `clean file`, `excluded file`, `invalid file` or `replay`. */
export type CheckName = 'format' | 'signature' | 'input' | `${OutputRole} file` | 'replay';

/**
 * How a check ended: `passed`; `failed` (what was checked differs: exit 4); `not-run` (it could not be carried out:
 * a file that cannot be read, a list version no longer in the registry; the error's own exit code); `not-asked`
 * (nothing to check it against was given: no --pubkey, no --input...).
 */
export type CheckStatus = 'passed' | 'failed' | 'not-run' | 'not-asked';

export interface CheckOutcome {
  readonly name: CheckName;
  readonly status: CheckStatus;
  /** The file checked, as the user named it (the report itself for `format`, `signature` and `replay`). */
  readonly file: string | undefined;
  /** Passed: what holds (`SHA-256 9f86d081… as recorded`, the key id). Otherwise the error's message. */
  readonly detail: string;
  /** Why it failed or did not run. */
  readonly error?: CallscrubError;
}

export interface CheckedReport {
  /** The report, unless its format check failed. */
  readonly report: ReadReport | undefined;
  /** The signer's key id, when the signature was checked and holds. */
  readonly keyId: string | undefined;
  /** Every check, in verify's order, asked for or not. */
  readonly checks: readonly CheckOutcome[];
  /** The first check that failed or did not run: its error is what `verify` would have stopped with. */
  readonly firstProblem: CheckOutcome | undefined;
}

/** Runs every check the request asks for, in turn; throws at the first that fails. */
export async function verifyReport(request: VerifyRequest): Promise<Verified> {
  const { report, keyId, checks, firstProblem } = await runChecks(request, true);
  if (firstProblem?.error !== undefined) throw firstProblem.error;
  if (report === undefined || keyId === undefined) throw new Error('verify needs a report and a public key');
  const checked = checks.filter((c) => c.status === 'passed' && c.name !== 'format').map((c) => c.name);
  return { ...report, keyId, checked };
}

/**
 * Runs every check the request asks for, each whatever became of the others (a replay still runs after a changed
 * signature: what differs is worth seeing), and records how each ended. Only a bug throws.
 */
export async function checkReport(request: VerifyRequest): Promise<CheckedReport> {
  return runChecks(request, false);
}

async function runChecks(request: VerifyRequest, stopAtFirstProblem: boolean): Promise<CheckedReport> {
  const checks: CheckOutcome[] = [];
  let report: ReadReport | undefined;
  let signer: string | undefined;
  const stopped = (): boolean => stopAtFirstProblem && checks.some((c) => c.status === 'failed' || c.status === 'not-run');
  const run = async (name: CheckName, file: string | undefined, check: (() => Promise<string> | string) | undefined): Promise<void> => {
    if (stopped()) return;
    if (check === undefined) {
      checks.push({ name, status: 'not-asked', file, detail: '' });
      return;
    }
    try {
      checks.push({ name, status: 'passed', file, detail: await check() });
    } catch (error) {
      if (!(error instanceof CallscrubError)) throw error;
      checks.push({ name, status: error.code === 'verification' ? 'failed' : 'not-run', file, detail: error.message, error });
    }
  };
  await run('format', request.report.name, () => {
    report = checkFormat(request.report);
    return `${predicateType} format ${formatVersion}`;
  });
  if (report !== undefined) {
    const read = report;
    const publicKey = request.publicKey;
    await run('signature', request.report.name, publicKey === undefined ? undefined : () => {
      const key = loadPublicKey(publicKey.path, publicKey.name);
      checkSignature(read, key, request.report.name, publicKey.name);
      signer = keyId(key);
      return signer;
    });
    const input = request.input;
    await run('input', input?.name, input === undefined ? undefined : () => checkInput(read.statement, input, request.stdin));
    for (const role of outputRoles) {
      const output = request.outputs.find((o) => o.role === role);
      await run(`${role} file`, output?.name, output === undefined ? undefined : () => checkOutput(read.statement, output, request.stdin));
    }
    const replay = request.replay;
    await run('replay', replay?.name ?? request.report.name, replay === undefined || input === undefined ? undefined : () => checkReplay(read.statement, input, replay.db, request));
  }
  const firstProblem = checks.find((c) => c.status === 'failed' || c.status === 'not-run');
  return { report, keyId: signer, checks, firstProblem };
}

function mismatch(what: string, file: string): CallscrubError {
  return new CallscrubError('verification', what, { file });
}

/** The report's format and version, and the shape of every field (read.ts refuses the rest, exit 4). */
function checkFormat(report: NamedFile): ReadReport {
  return loadReport(report.path, report.name);
}

function checkSignature({ envelope, payload }: ReadReport, publicKey: KeyObject, file: string, keyName: string): void {
  if (envelope.signatures.length === 0) throw mismatch('the report is unsigned: nothing proves who wrote it', file);
  if (!verifyEnvelope(envelope, publicKey, payload)) {
    throw mismatch(
      `the signature does not verify with ${keyName} (key ${keyId(publicKey).slice(0, 16)}…): another key signed it, or the report was changed`,
      file,
    );
  }
}

async function checkInput(statement: Statement, input: NamedFile, stdin: Readable): Promise<string> {
  const digest = await sha256Of(input, stdin);
  const recorded = statement.predicate.input.sha256;
  if (digest !== recorded) {
    throw mismatch(`the input differs from the one scrubbed (SHA-256 ${digest.slice(0, 16)}…, the report has ${recorded.slice(0, 16)}…)`, input.name);
  }
  return digest;
}

async function checkOutput(statement: Statement, output: NamedFile & { readonly role: OutputRole }, stdin: Readable): Promise<string> {
  const subject = statement.subject.find((s) => s.annotations?.role === output.role);
  if (subject === undefined) throw mismatch(`the report names no ${output.role} file`, output.name);
  const digest = await sha256Of(output, stdin);
  if (digest !== subject.digest.sha256) {
    throw mismatch(`the ${output.role} file differs from the one the report names (${printable(subject.name)}): SHA-256 ${digest.slice(0, 16)}…, the report has ${subject.digest.sha256.slice(0, 16)}…`, output.name);
  }
  return digest;
}

async function checkReplay(statement: Statement, input: NamedFile, db: string, request: VerifyRequest): Promise<string> {
  const { replay } = await import('./replay.js');
  try {
    await replay(statement, openSource(input.path, request.stdin, input.name), db, request.report.name);
    return 'the same counts, excluded and invalid rows and output digests';
  } catch (error) {
    // The recorded settings come from the report, not from this command line: a column the input does not have
    // is the report failing to match the input (exit 4), not a usage error. Its hint is about options not given.
    if (error instanceof CallscrubError && error.code === 'usage') {
      throw mismatch(`the replay cannot use the recorded settings: ${error.where()}${error.message}`, request.report.name);
    }
    throw error;
  }
}

/** The SHA-256 of a file's bytes, read as they are. */
async function sha256Of(file: NamedFile, stdin: Readable): Promise<string> {
  // `-` is standard input (the command refuses it with --replay, which would need to read it a second time).
  const source = { name: file.name, open: () => (file.path === '-' ? stdin : fs.createReadStream(file.path)), size: undefined };
  return (await readChunks(source, () => undefined)).sha256;
}
