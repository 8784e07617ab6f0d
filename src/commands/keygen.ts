// `callscrub keygen`: an Ed25519 key pair for signing reports.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { Reporter } from '../ui/reporter.js';
import { resolvePath, writeJson } from './common.js';

export const help = `
Writes PREFIX.key (the private key: PKCS8 PEM, readable by you only, encrypted when CALLSCRUB_KEY_PASSPHRASE is
set) and PREFIX.pub (the public key, SPKI PEM, for auditors), and prints the key id: the hex SHA-256 of the public
key's DER form. An existing file is never overwritten.

Example:
  callscrub keygen --out keys/campaigns`;

interface RawOptions {
  out?: string;
  json?: boolean;
}

export interface KeygenOptions {
  /** The resolved prefix of PREFIX.key and PREFIX.pub. */
  readonly prefix: string;
  /** The prefix as the user gave it, for messages. */
  readonly name: string;
  readonly json: boolean;
}

export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  program
    .command('keygen')
    .description('make an Ed25519 key pair to sign reports')
    .option('--out <prefix>', 'write PREFIX.key and PREFIX.pub')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', help)
    .action((raw: RawOptions) => run(() => runKeygen(resolveOptions(raw, context), context)));
}

export function resolveOptions(raw: RawOptions, context: Context): KeygenOptions {
  if (raw.out === undefined) throw usageError('keygen needs --out PREFIX', 'for example --out keys/campaigns');
  return Object.freeze({ prefix: resolvePath(raw.out, context), name: raw.out, json: raw.json === true });
}

export async function runKeygen(options: KeygenOptions, context: Context): Promise<void> {
  const { generateKeys } = await import('../report/keys.js');
  const made = generateKeys(options.prefix, context.keyPassphrase);
  const reporter = new Reporter(context, { quiet: false, json: options.json });
  const encrypted = context.keyPassphrase !== undefined;
  if (options.json) writeJson(context, { privateKey: `${options.name}.key`, publicKey: `${options.name}.pub`, keyId: made.keyId, encrypted });
  else context.stdout.write(`${made.keyId}\n`);
  reporter.info(`wrote ${options.name}.key (private, mode 600${encrypted ? ', encrypted' : ''}) and ${options.name}.pub; key id above`);
}
