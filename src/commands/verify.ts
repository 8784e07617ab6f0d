// `callscrub verify`: checks a report's signature and format, the files it names, and with --replay runs the scrub
// again against the recorded list versions to the same result. Exit 4 names what differs.

import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { CallscrubError, ioError, usageError } from '../errors.js';
import { printable } from '../ui/printable.js';
import { resolveDb, resolvePath } from './common.js';

export const help = `
Checks, in order: the report's format and version, its Ed25519 signature over DSSE's PAE with --pubkey, then the
SHA-256 of every file given against the report. With --replay (needs --input) the scrub runs again on the input
against the list versions the report names, rebuilt from the registry's history and found by their logical
digest (so a registry rebuilt from the same source files serves too), with the recorded settings and scrub date,
and its counts, excluded rows and output digests are compared.

Exit 0 when everything holds; 4 naming what differs; 1 when a needed list version is no longer in the registry.

Examples:
  callscrub verify report.json --pubkey campaigns.pub --input prospects.csv --out clean.csv
  callscrub verify report.json --pubkey campaigns.pub --input prospects.csv --replay --db audit.db`;

interface RawOptions {
  pubkey?: string;
  input?: string;
  out?: string;
  excluded?: string;
  invalid?: string;
  replay?: boolean;
  db?: string;
}

export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  program
    .command('verify')
    .description("check a report's signature, the files it names, and replay the scrub")
    .argument('<report>', 'the report file')
    .option('--pubkey <file>', 'the public key of the signer (PEM)')
    .option('--input <file>', 'the prospect file that was scrubbed')
    .option('--out <file>', 'the clean file')
    .option('--excluded <file>', 'the excluded file')
    .option('--invalid <file>', 'the invalid file')
    .option('--replay', 'scrub the input again against the recorded list versions and compare')
    .option('--db <path>', 'the registry to rebuild the list versions from (default: $CALLSCRUB_DB or ./callscrub.db)')
    .addHelpText('after', help)
    .action((report: string, raw: RawOptions) => run(() => runVerify(report, raw, context)));
}

async function sha256Of(file: string, name: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    throw ioError(error, name, 'read the file');
  }
  return hash.digest('hex');
}

export async function runVerify(reportName: string, raw: RawOptions, context: Context): Promise<void> {
  if (raw.pubkey === undefined) throw usageError('verify needs --pubkey FILE (the signer\'s public key)');
  if (raw.replay === true && raw.input === undefined) throw usageError('--replay needs --input FILE');
  const [{ loadReport }, { loadPublicKey, keyId }, { verifyEnvelope }] = await Promise.all([
    import('../report/report.js'),
    import('../report/keys.js'),
    import('../report/dsse.js'),
  ]);
  const { envelope, statement } = loadReport(resolvePath(reportName, context), reportName);
  const publicKey = loadPublicKey(resolvePath(raw.pubkey, context), raw.pubkey);
  const fail = (what: string, file = reportName): never => {
    throw new CallscrubError('verification', what, { file });
  };
  if (envelope.signatures.length === 0) fail('the report is unsigned: nothing proves who wrote it');
  if (!verifyEnvelope(envelope, publicKey)) fail(`the signature does not verify with ${raw.pubkey} (key ${keyId(publicKey).slice(0, 16)}…): another key signed it, or the report was changed`);
  const p = statement.predicate;
  const checked: string[] = ['signature'];

  if (raw.input !== undefined) {
    const digest = await sha256Of(resolvePath(raw.input, context), raw.input);
    if (digest !== p.input.sha256) fail(`the input differs from the one scrubbed (SHA-256 ${digest.slice(0, 16)}…, the report has ${p.input.sha256.slice(0, 16)}…)`, raw.input);
    checked.push('input');
  }
  for (const [role, file] of [['clean', raw.out], ['excluded', raw.excluded], ['invalid', raw.invalid]] as const) {
    if (file === undefined) continue;
    const subject = statement.subject.find((s) => s.annotations?.role === role);
    if (subject === undefined) fail(`the report names no ${role} file`, file);
    const digest = await sha256Of(resolvePath(file, context), file);
    if (digest !== subject?.digest.sha256) fail(`the ${role} file differs from the one the report names (${printable(subject?.name ?? '')})`, file);
    checked.push(`${role} file`);
  }
  if (raw.replay === true) {
    const { replay } = await import('../report/replay.js');
    try {
      await replay(statement, resolvePath(raw.input as string, context), raw.input as string, resolveDb(raw.db, context), reportName);
    } catch (error) {
      // The recorded settings come from the report, not from this command line: a column the input does not have
      // is the report failing to match the input (exit 4), not a usage error.
      if (error instanceof CallscrubError && error.code === 'usage') fail(`the replay cannot use the recorded settings: ${error.message}`);
      throw error;
    }
    checked.push('replay');
  }

  // The summary is what the command exists to print: standard output. Names come from the report: printable().
  context.stdout.write(
    [
      `verified ${printable(reportName)}: ${checked.join(', ')}`,
      `  signed by key ${keyId(publicKey)}`,
      `  scrub of ${printable(p.input.name)} on ${p.scrubDate}: ${p.counts.rowsIn} rows, ${p.counts.rowsClean} clean, ${p.counts.rowsExcluded} excluded, ${p.counts.rowsInvalid} invalid`,
      `  lists: ${p.lists.map((l) => `${printable(l.name)} v${l.version} (${l.kind}, as of ${l.asOf})`).join(', ')}`,
    ].join('\n') + '\n',
  );
}
