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

export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  program
    .command('keygen')
    .description('make an Ed25519 key pair to sign reports')
    .option('--out <prefix>', 'write PREFIX.key and PREFIX.pub')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', help)
    .action((raw: { out?: string; json?: boolean }) =>
      run(async () => {
        if (raw.out === undefined) throw usageError('keygen needs --out PREFIX', 'for example --out keys/campaigns');
        const { generateKeys } = await import('../report/keys.js');
        const made = generateKeys(resolvePath(raw.out, context), context.keyPassphrase);
        const reporter = new Reporter(context, { quiet: false, json: raw.json === true });
        if (raw.json === true) writeJson(context, { privateKey: `${raw.out}.key`, publicKey: `${raw.out}.pub`, keyId: made.keyId, encrypted: context.keyPassphrase !== undefined });
        else context.stdout.write(`${made.keyId}\n`);
        reporter.info(`wrote ${raw.out}.key (private, mode 600${context.keyPassphrase === undefined ? '' : ', encrypted'}) and ${raw.out}.pub; key id above`);
      }),
    );
}
