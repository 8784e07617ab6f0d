// A signed report with a million excluded or invalid rows, for the auditor's page's figure, made from a real small
// report (its input, lists and settings) whose exclusions and counts are replaced consistently and which is signed
// again with the same key: a million-row scrub would take the bench a minute for nothing the page measures.

import fs from 'node:fs';
import { canonicalJson, type Json } from '../src/report/canonical-json.js';
import { inTotoPayloadType, signEnvelope } from '../src/report/dsse.js';
import { loadPrivateKey, loadPublicKey } from '../src/report/keys.js';
import { random } from './generate.js';

const reasons = ['listed', 'listed', 'listed', 'internal', 'no-consent', 'unreadable', 'duplicate', 'no-number', 'invalid-number'];

/** Rewrites `from` into `to` with `count` excluded or invalid rows among `count * 1.25` rows, signed with `key`. */
export function writeBigReport(from: string, to: string, key: { private: string; public: string }, count: number): void {
  const envelope = JSON.parse(fs.readFileSync(from, 'utf8')) as { payload: string; callscrubRun?: unknown };
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
    predicate: { exclusions: Json[]; counts: Record<string, unknown>; input: { rows: number } };
  };
  const next = random(13);
  const rowsIn = Math.round(count * 1.25);
  const byReason: Record<string, number> = {};
  const exclusions: Json[] = [];
  let row = 0;
  for (let i = 0; i < count; i++) {
    row += next() < 0.8 ? 1 : 2;
    const reason = reasons[Math.floor(next() * reasons.length)] as string;
    byReason[reason] = (byReason[reason] ?? 0) + 1;
    exclusions.push([row, reason, reason === 'listed' ? ['bloctel'] : reason === 'internal' ? ['optout'] : []]);
  }
  const invalid = (byReason['no-number'] ?? 0) + (byReason['invalid-number'] ?? 0);
  const p = statement.predicate;
  p.exclusions = exclusions;
  p.input.rows = rowsIn;
  p.counts = {
    ...p.counts,
    rowsIn,
    rowsClean: rowsIn - count,
    rowsExcluded: count - invalid,
    rowsInvalid: invalid,
    byReason: Object.fromEntries(Object.entries(byReason).sort()),
  };
  const body = Buffer.from(canonicalJson(statement as unknown as Json), 'utf8');
  const signed = signEnvelope(body, inTotoPayloadType, loadPrivateKey(key.private, undefined), loadPublicKey(key.public));
  fs.writeFileSync(to, `${JSON.stringify({ ...signed, callscrubRun: envelope.callscrubRun }, null, 2)}\n`);
}
