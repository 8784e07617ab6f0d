// Verifying a report, as a sequence of named checks in one place (after sigstore-js's verifier.verify()): its format,
// its signature, the input's digest, each output's digest and, when asked, a replay. The first that fails throws
// and names what differs (exit 4); what passed is returned, in order, for the summary.

import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { CallscrubError } from '../errors.js';
import { openSource, readChunks } from '../io/source.js';
import { printable } from '../ui/printable.js';
import { verifyEnvelope } from './dsse.js';
import { keyId, loadPublicKey } from './keys.js';
import { loadReport, type ReadReport, type Statement } from './read.js';

/** A file to read: its resolved path, and its name as the user gave it, for messages. */
export interface NamedFile {
  readonly path: string;
  readonly name: string;
}

export const outputRoles = ['clean', 'excluded', 'invalid'] as const;
export type OutputRole = (typeof outputRoles)[number];

export interface VerifyRequest {
  readonly report: NamedFile;
  readonly publicKey: NamedFile;
  readonly input: NamedFile | undefined;
  readonly outputs: ReadonlyArray<NamedFile & { readonly role: OutputRole }>;
  /** Replays the scrub (needs `input`) against the list versions rebuilt from this registry. */
  readonly replay: { readonly db: string } | undefined;
  /** What `-` reads when the replay's input is standard input. */
  readonly stdin: Readable;
}

export interface Verified extends ReadReport {
  readonly keyId: string;
  /** The checks that passed after the format, in order: `signature`, `input`, `clean file`..., `replay`. */
  readonly checked: readonly string[];
}

/** Runs every check the request asks for, in turn; throws at the first that fails. */
export async function verifyReport(request: VerifyRequest): Promise<Verified> {
  const report = checkFormat(request.report);
  const publicKey = loadPublicKey(request.publicKey.path, request.publicKey.name);
  const checked: string[] = [];
  checkSignature(report, publicKey, request);
  checked.push('signature');
  if (request.input !== undefined) {
    await checkInput(report.statement, request.input);
    checked.push('input');
  }
  for (const output of request.outputs) {
    await checkOutput(report.statement, output);
    checked.push(`${output.role} file`);
  }
  if (request.replay !== undefined) {
    if (request.input === undefined) throw new Error('a replay needs the input');
    await checkReplay(report.statement, request.input, request.replay.db, request);
    checked.push('replay');
  }
  return { ...report, keyId: keyId(publicKey), checked };
}

function mismatch(what: string, file: string): CallscrubError {
  return new CallscrubError('verification', what, { file });
}

/** The report's format and version, and the shape of every field (read.ts refuses the rest, exit 4). */
function checkFormat(report: NamedFile): ReadReport {
  return loadReport(report.path, report.name);
}

function checkSignature({ envelope }: ReadReport, publicKey: KeyObject, request: VerifyRequest): void {
  const file = request.report.name;
  if (envelope.signatures.length === 0) throw mismatch('the report is unsigned: nothing proves who wrote it', file);
  if (!verifyEnvelope(envelope, publicKey)) {
    throw mismatch(
      `the signature does not verify with ${request.publicKey.name} (key ${keyId(publicKey).slice(0, 16)}…): another key signed it, or the report was changed`,
      file,
    );
  }
}

async function checkInput(statement: Statement, input: NamedFile): Promise<void> {
  const digest = await sha256Of(input);
  const recorded = statement.predicate.input.sha256;
  if (digest !== recorded) {
    throw mismatch(`the input differs from the one scrubbed (SHA-256 ${digest.slice(0, 16)}…, the report has ${recorded.slice(0, 16)}…)`, input.name);
  }
}

async function checkOutput(statement: Statement, output: NamedFile & { readonly role: OutputRole }): Promise<void> {
  const subject = statement.subject.find((s) => s.annotations?.role === output.role);
  if (subject === undefined) throw mismatch(`the report names no ${output.role} file`, output.name);
  if ((await sha256Of(output)) !== subject.digest.sha256) {
    throw mismatch(`the ${output.role} file differs from the one the report names (${printable(subject.name)})`, output.name);
  }
}

async function checkReplay(statement: Statement, input: NamedFile, db: string, request: VerifyRequest): Promise<void> {
  const { replay } = await import('./replay.js');
  try {
    await replay(statement, openSource(input.path, request.stdin, input.name), db, request.report.name);
  } catch (error) {
    // The recorded settings come from the report, not from this command line: a column the input does not have
    // is the report failing to match the input (exit 4), not a usage error. Its hint is about options not given.
    if (error instanceof CallscrubError && error.code === 'usage') {
      throw mismatch(`the replay cannot use the recorded settings: ${error.where()}${error.message}`, request.report.name);
    }
    throw error;
  }
}

/** The SHA-256 of a file's bytes, read as they are (a path of `-` is a file of that name). */
async function sha256Of(file: NamedFile): Promise<string> {
  const source = { name: file.name, open: () => fs.createReadStream(file.path), size: undefined };
  return (await readChunks(source, () => undefined)).sha256;
}
