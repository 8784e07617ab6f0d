// Ed25519 signing keys: made by `callscrub keygen`, read back for signing (refused when others can read them, as
// ssh does) and for verifying. The key id is the hex SHA-256 of the public key's SPKI DER, what
// `openssl pkey -pubin -in KEY.pub -outform DER | sha256sum` prints.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { CallscrubError, ioError } from '../errors.js';

export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Writes PREFIX.key (PKCS8 PEM, 0600, encrypted when a passphrase is given) and PREFIX.pub; never overwrites. */
export function generateKeys(prefix: string, passphrase: string | undefined): { privatePath: string; publicPath: string; keyId: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export(
    passphrase === undefined ? { type: 'pkcs8', format: 'pem' } : { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  ) as string;
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const privatePath = `${prefix}.key`;
  const publicPath = `${prefix}.pub`;
  for (const file of [privatePath, publicPath]) {
    if (fs.existsSync(file)) throw new CallscrubError('io', 'already exists: a key is never overwritten', { file, hint: 'choose another --out prefix' });
  }
  writeExclusive(privatePath, privatePem, 0o600);
  try {
    writeExclusive(publicPath, publicPem, 0o644);
  } catch (error) {
    fs.rmSync(privatePath, { force: true });
    throw error;
  }
  return { privatePath, publicPath, keyId: keyId(publicKey) };
}

function writeExclusive(file: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', mode);
  } catch (error) {
    throw ioError(error, file, 'create the key file');
  }
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The private key for signing; refused when group or others may read the file. */
export function loadPrivateKey(file: string, passphrase: string | undefined, name: string = file): KeyObject {
  let stat: fs.Stats;
  let pem: string;
  try {
    stat = fs.statSync(file);
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw ioError(error, name, 'read the private key');
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new CallscrubError('usage', `the private key is readable by others (mode ${(stat.mode & 0o777).toString(8)})`, {
      file: name,
      hint: `chmod 600 ${name}`,
    });
  }
  try {
    const key = createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return key;
  } catch (error) {
    // A passphrase missing or wrong is a setting (exit 2); a file that holds no such key is bad input (exit 1).
    const encrypted = pem.includes('ENCRYPTED');
    throw new CallscrubError(encrypted ? 'usage' : 'input', encrypted ? 'cannot decrypt the private key' : 'not an Ed25519 private key in PEM', {
      file: name,
      hint: encrypted ? 'set CALLSCRUB_KEY_PASSPHRASE to its passphrase' : 'make one with callscrub keygen',
      cause: error,
    });
  }
}

/** The public key for verifying (`name`, as the user wrote it, for messages). */
export function loadPublicKey(file: string, name: string = file): KeyObject {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw ioError(error, name, 'read the public key');
  }
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return key;
  } catch (error) {
    throw new CallscrubError('input', 'not an Ed25519 public key in PEM', { file: name, hint: 'give the .pub file made by callscrub keygen', cause: error });
  }
}
