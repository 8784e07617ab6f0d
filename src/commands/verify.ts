// `callscrub verify`: checks a report's signature and format, the files it names, and with --replay runs the scrub
// again against the recorded list versions to the same result. Exit 4 names what differs.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import type { NamedFile, OutputRole, VerifyRequest } from '../report/verify.js';
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

export interface RawVerifyOptions {
  pubkey?: string;
  input?: string;
  out?: string;
  excluded?: string;
  invalid?: string;
  replay?: boolean;
  db?: string;
}

/** What to check, every path resolved; the checks themselves are report/verify.ts's. */
export type VerifyOptions = Omit<VerifyRequest, 'stdin'>;

export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  const command = program.command('verify').description("check a report's signature, the files it names, and replay the scrub").argument('<report>', 'the report file');
  addCheckOptions(command, 'the public key of the signer (PEM)')
    .addHelpText('after', help)
    .action((report: string, raw: RawVerifyOptions) => run(() => runVerify(resolveOptions(report, raw, context), context)));
}

/** The options that say what to check, shared with `report html`. */
export function addCheckOptions(command: Command, pubkeyHelp: string): Command {
  return command
    .option('--pubkey <file>', pubkeyHelp)
    .option('--input <file>', 'the prospect file that was scrubbed')
    .option('--out <file>', 'the clean file')
    .option('--excluded <file>', 'the excluded file')
    .option('--invalid <file>', 'the invalid file')
    .option('--replay', 'scrub the input again against the recorded list versions and compare')
    .option('--db <path>', 'the registry to rebuild the list versions from (default: $CALLSCRUB_DB or ./callscrub.db)');
}

export function resolveOptions(report: string, raw: RawVerifyOptions, context: Context): VerifyOptions {
  if (raw.pubkey === undefined) throw usageError('verify needs --pubkey FILE (the signer\'s public key)');
  return resolveChecks(report, raw, context);
}

/** The checks asked for, every path resolved: verify's, and the auditor's page's (whose --pubkey is optional). */
export function resolveChecks(report: string, raw: RawVerifyOptions, context: Context): VerifyOptions {
  if (raw.replay === true && raw.input === undefined) throw usageError('--replay needs --input FILE');
  // Standard input can be read once: by one digest check, and not both hashed and replayed.
  const fromStdin = (['input', 'out', 'excluded', 'invalid'] as const).filter((option) => raw[option] === '-');
  if (fromStdin.length > 1) throw usageError(`${fromStdin.map((o) => `--${o}`).join(' and ')} both name standard input (-), which can be read once`, 'give files');
  if (raw.replay === true && raw.input === '-') throw usageError('--replay cannot replay standard input after hashing it (--input -): it can be read once', 'give the input as a file');
  const named = (name: string): NamedFile => ({ path: resolvePath(name, context), name });
  const outputs: Array<NamedFile & { role: OutputRole }> = [];
  for (const [role, name] of [['clean', raw.out], ['excluded', raw.excluded], ['invalid', raw.invalid]] as const) {
    if (name !== undefined) outputs.push({ role, ...named(name) });
  }
  return Object.freeze({
    report: named(report),
    publicKey: raw.pubkey === undefined ? undefined : named(raw.pubkey),
    input: raw.input === undefined ? undefined : named(raw.input),
    outputs,
    replay: raw.replay === true ? { db: resolveDb(raw.db, context), name: raw.db ?? context.defaultDb ?? 'callscrub.db' } : undefined,
  });
}

export async function runVerify(options: VerifyOptions, context: Context): Promise<void> {
  const { verifyReport } = await import('../report/verify.js');
  const verified = await verifyReport({ ...options, stdin: context.stdin });
  const p = verified.statement.predicate;
  // The summary is what the command exists to print: standard output. Names come from the report: printable().
  context.stdout.write(
    [
      `verified ${printable(options.report.name)}: ${verified.checked.join(', ')}`,
      `  signed by key ${verified.keyId}`,
      `  scrub of ${printable(p.input.name)} on ${p.scrubDate}: ${p.counts.rowsIn} rows, ${p.counts.rowsClean} clean, ${p.counts.rowsExcluded} excluded, ${p.counts.rowsInvalid} invalid`,
      `  lists: ${p.lists.map((l) => `${printable(l.name)} v${l.version} (${l.kind}, as of ${l.asOf})`).join(', ')}`,
      ...(p.contactRules === undefined
        ? []
        : [`  contact rules ${(p.settings.rules ?? []).map(printable).join(',')} at ${printable(p.contactRules.at)}, call history of ${p.contactRules.history.attempts} attempts from ${p.contactRules.history.imports} imports`]),
    ].join('\n') + '\n',
  );
}
