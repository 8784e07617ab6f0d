// DSSE envelopes (secure-systems-lab/dsse): a payload, its type, and Ed25519 signatures over the pre-authentication
// encoding PAE = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths as ASCII decimal byte counts.

import { sign, verify, type KeyObject } from 'node:crypto';
import { keyId } from './keys.js';

export const inTotoPayloadType = 'application/vnd.in-toto+json';

export interface Envelope {
  payload: string;
  payloadType: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

export function signEnvelope(body: Buffer, payloadType: string, privateKey: KeyObject | undefined, publicKey: KeyObject | undefined): Envelope {
  const signatures =
    privateKey === undefined || publicKey === undefined
      ? []
      : [{ keyid: keyId(publicKey), sig: sign(null, pae(payloadType, body), privateKey).toString('base64') }];
  return { payload: body.toString('base64'), payloadType, signatures };
}

/**
 * The bytes of standard base64 text, or undefined when the text is not the canonical encoding of its bytes (Node's
 * decoder skips stray characters and ignores the spare bits of the last one: a changed byte could go unseen).
 */
export function strictBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/**
 * Whether one of the envelope's signatures is valid for `publicKey` over its payload and payload type. `body` is the
 * payload already decoded by strictBase64, when the caller has it (a large report's payload is 30 MB of base64).
 */
export function verifyEnvelope(envelope: Envelope, publicKey: KeyObject, body: Buffer | undefined = strictBase64(envelope.payload)): boolean {
  if (body === undefined) return false;
  const message = pae(envelope.payloadType, body);
  return envelope.signatures.some((s) => {
    const signature = strictBase64(s.sig);
    if (signature === undefined) return false;
    try {
      return verify(null, message, publicKey, signature);
    } catch {
      return false;
    }
  });
}
