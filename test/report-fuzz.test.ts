// Reports crafted to be valid DSSE and JSON, signed by the right key, but with fields of the wrong type or shape:
// `report show` and `verify` end in exit 0 or 4 with at most one line on stderr, never an internal error, and
// never print a terminal escape taken from the report.

import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTotoPayloadType, signEnvelope } from '../src/report/dsse.js';
import { loadPrivateKey, loadPublicKey } from '../src/report/keys.js';
import { daysAgo, Workdir, type Outcome } from './workdir.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

let wrk: Workdir;
let original: { envelope: Record<string, Json>; statement: Record<string, Json> };

beforeAll(async () => {
  wrk = Workdir.create();
  wrk.write('bloctel.txt', '0612345601\n0612345602\n');
  await wrk.run(['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', daysAgo(2), '--quiet']);
  wrk.write('prospects.csv', 'nom;tel\na;0612345678\nb;0612345601\nc;inconnu\n');
  await wrk.run(['keygen', '--out', 'signer']);
  const scrub = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--report', 'report.json', '--key', 'signer.key', '--quiet']);
  expect(scrub.code).toBe(0);
  const envelope = JSON.parse(wrk.read('report.json'));
  original = { envelope, statement: JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) };
});
afterAll(() => wrk.remove());

/** Writes `payload` (text, signed by the report's own key) as report.json, with envelope fields overridden. */
function writeSigned(payload: string, envelopeChanges: Record<string, unknown> = {}): void {
  const privateKey = loadPrivateKey(wrk.path('signer.key'), undefined);
  const publicKey = loadPublicKey(wrk.path('signer.pub'));
  const signed = signEnvelope(Buffer.from(payload, 'utf8'), inTotoPayloadType, privateKey, publicKey);
  fs.writeFileSync(wrk.path('report.json'), JSON.stringify({ ...signed, callscrubRun: original.envelope.callscrubRun, ...envelopeChanges }));
}

function changed(change: (statement: Record<string, Json>) => void): string {
  const statement = structuredClone(original.statement);
  change(statement);
  return JSON.stringify(statement);
}

const predicateOf = (s: Record<string, Json>) => s.predicate as Record<string, Json>;
const countsOf = (s: Record<string, Json>) => predicateOf(s).counts as Record<string, Json>;

async function readBoth(): Promise<Outcome[]> {
  return [await wrk.run(['report', 'show', 'report.json']), await wrk.run(['verify', 'report.json', '--pubkey', 'signer.pub'])];
}

function expectOneLineOrSuccess(outcome: Outcome, context: string, codes = [0, 4]): void {
  expect(outcome.stderr, context).not.toContain('internal error');
  expect(codes, `${context}: ${outcome.stderr}`).toContain(outcome.code);
  if (outcome.code !== 0) expect(outcome.stderr.split('\n'), context).toHaveLength(2);
  else expect(outcome.stderr, context).toBe('');
  // eslint-disable-next-line no-control-regex
  expect(/[\u001b\u009b]/.test(outcome.stdout + outcome.stderr), context).toBe(false);
}

describe('report show and verify on a signed report of the wrong shape', () => {
  // Payloads are built when the test runs: the original report is made in beforeAll.
  const cases: Array<[string, () => string, RegExp]> = [
    ['the predicate missing', () => changed((s) => void delete s.predicate), /report format .*version undefined/],
    ['the predicate a list', () => changed((s) => void (s.predicate = [])), /report format/],
    ['counts as strings', () => changed((s) => void (countsOf(s).rowsIn = '4')), /malformed report: statement\.predicate\.counts\.rowsIn is not a whole number/],
    ['a huge count', () => changed((s) => void (countsOf(s).rowsClean = 1e308)), /statement\.predicate\.counts\.rowsClean is not a whole number/],
    ['a negative count', () => changed((s) => void (countsOf(s).rowsExcluded = -1)), /rowsExcluded is not a whole number/],
    ['input a list where an object belongs', () => changed((s) => void (predicateOf(s).input = [])), /statement\.predicate\.input is not an object/],
    ['lists an object where a list belongs', () => changed((s) => void (predicateOf(s).lists = { 0: 'bloctel' })), /statement\.predicate\.lists is not a list/],
    ['a list without its name', () => changed((s) => void delete ((predicateOf(s).lists as Json[])[0] as Record<string, Json>).name), /statement\.predicate\.lists\[0\]\.name is not a string/],
    ['phone columns holding a number', () => changed((s) => void ((predicateOf(s).input as Record<string, Json>).phoneColumns = [1])), /input\.phoneColumns\[0\] is not a string/],
    [
      'deep nesting (100,000 levels) in the tool',
      () => JSON.stringify(original.statement).replace('"tool":', `"tool":${'['.repeat(100_000)}0${']'.repeat(100_000)},"toolGone":`),
      /statement\.predicate\.tool is not an object/,
    ],
    ['an exclusion of the wrong length', () => changed((s) => void (predicateOf(s).exclusions = [[1, 'listed']])), /exclusions\[0\] is not a list of 3/],
    ['a scrub date that is no day', () => changed((s) => void (predicateOf(s).scrubDate = '2026-02-30')), /scrubDate is not a date/],
    ['an unknown encoding (replays would read with it)', () => changed((s) => void ((predicateOf(s).input as Record<string, Json>).encoding = 'utf-16')), /input\.encoding is not one of utf-8, windows-1252/],
    ['a subject digest that is no SHA-256', () => changed((s) => void (((s.subject as Json[])[0] as Record<string, Json>).digest = { sha256: 42 })), /subject\[0\]\.digest\.sha256 is not a SHA-256/],
    ['no phone column (a replay found them again by itself and passed)', () => changed((s) => void ((predicateOf(s).input as Record<string, Json>).phoneColumns = [])), /input\.phoneColumns is empty/],
    ['a list version 0', () => changed((s) => void (((predicateOf(s).lists as Json[])[0] as Record<string, Json>).version = 0)), /lists\[0\]\.version is not a whole number from 1/],
    [
      'a subject whose role is no output (a replay crashed: reading finish of undefined)',
      () => changed((s) => void ((((s.subject as Json[])[0] as Record<string, Json>).annotations as Record<string, Json>).role = 'dialer')),
      /subject\[0\]\.annotations\.role is not one of clean, excluded, invalid/,
    ],
    ['two subjects of one role', () => changed((s) => void (s.subject = [(s.subject as Json[])[0] as Json, (s.subject as Json[])[0] as Json])), /statement\.subject names an output twice/],
    ['the payload null', () => 'null', /the payload is not an in-toto statement/],
    ['the payload a list', () => '[]', /the payload is not an in-toto statement/],
    ['the payload a string', () => '"x"', /the payload is not an in-toto statement/],
    [
      'a __proto__ key standing in for the counts',
      () => JSON.stringify(original.statement).replace('"counts":', '"__proto__":{"counts":1},"countsGone":'),
      /statement\.predicate\.counts is not an object/,
    ],
    ['a __proto__ key among the reasons', () => JSON.stringify(original.statement).replace('"byReason":{', '"byReason":{"__proto__":{"x":1},'), /byReason has a key that is not a reason name \('__proto__'\)/],
    ['an escape sequence as a reason', () => changed((s) => void (countsOf(s).byReason = { '\u001b[2J': 1 })), /byReason has a key that is not a reason name \('\\u001b\[2J'\)/],
  ];

  for (const [name, payload, message] of cases) {
    it(`ends in one line and exit 4 with ${name}`, async () => {
      writeSigned(payload());
      for (const outcome of await readBoth()) {
        expect(outcome.stderr).toMatch(message);
        expect(outcome.stderr).toMatch(/^callscrub: report\.json: .* \(check that this is a callscrub report\)\n$/);
        expect(outcome.code).toBe(4);
        expect(outcome.stdout).toBe('');
      }
    });
  }

  const envelopeCases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['signatures an object', { signatures: { keyid: 'x', sig: 'y' } }, /envelope\.signatures is not a list/],
    ['a signature that is a number', { signatures: [{ keyid: 'x', sig: 42 }] }, /envelope\.signatures\[0\]\.sig is not a string/],
    ['run details a string', { callscrubRun: 'yesterday' }, /envelope\.callscrubRun is not an object/],
    ['run details with a numeric host', { callscrubRun: { startedAt: 'a', endedAt: 'b', host: 1, user: 'u' } }, /envelope\.callscrubRun\.host is not a string/],
  ];
  for (const [name, envelopeChanges, message] of envelopeCases) {
    it(`ends in one line and exit 4 with ${name} in the envelope`, async () => {
      writeSigned(JSON.stringify(original.statement), envelopeChanges);
      for (const outcome of await readBoth()) {
        expect(outcome.stderr).toMatch(message);
        expect(outcome.stderr.split('\n')).toHaveLength(2);
        expect(outcome.code).toBe(4);
      }
    });
  }

  it('shows names from the report (list, input, columns, run details) without their escape sequences', async () => {
    writeSigned(
      changed((s) => {
        const p = predicateOf(s);
        ((p.lists as Json[])[0] as Record<string, Json>).name = 'bloctel\u001b[2J';
        (p.input as Record<string, Json>).name = 'prospects\u001b]0;owned\u0007.csv';
        (p.input as Record<string, Json>).phoneColumns = ['tel\u009b31m', 'x\u202eamm'];
      }),
      { callscrubRun: { startedAt: 'a', endedAt: 'b', host: 'h\u001b[1;1H', user: 'u' } },
    );
    const [shown, verified] = await readBoth();
    expect(shown?.code).toBe(0);
    expect(shown?.stdout).toContain('list bloctel\\u001b[2J v1');
    expect(shown?.stdout).toContain('input prospects\\u001b]0;owned\\u0007.csv');
    expect(shown?.stdout).toContain('phone columns tel\\u009b31m, x\\u202eamm');
    expect(shown?.stdout).toContain('on h\\u001b[1;1H as u');
    expect(verified?.code).toBe(0);
    expect(verified?.stdout).toContain('lists: bloctel\\u001b[2J v1');
    for (const outcome of [shown, verified]) expect(/[\u001b\u009b\u202e\u0007]/.test(`${outcome?.stdout}${outcome?.stderr}`)).toBe(false);
  });

  it('ends a replay whose recorded phone column the input lacks in exit 4, not 2 (usage)', async () => {
    writeSigned(changed((s) => void ((predicateOf(s).input as Record<string, Json>).phoneColumns = ['mobile'])));
    const replayed = await wrk.run(['verify', 'report.json', '--pubkey', 'signer.pub', '--input', 'prospects.csv', '--replay']);
    expect(replayed.stderr).toBe("callscrub: report.json: the replay cannot use the recorded settings: prospects.csv:1: no column 'mobile' (the header has nom, tel)\n");
    expect(replayed.code).toBe(4);
  });

  it('prints the summaries on standard output, nothing on standard error', async () => {
    writeSigned(JSON.stringify(original.statement));
    const [shown, verified] = await readBoth();
    expect(shown?.stdout).toMatch(/^report report\.json: signed by key [0-9a-f]{64} \(not verified here\)\n/);
    expect(verified?.stdout).toMatch(/^verified report\.json: signature\n/);
    expect(`${shown?.stderr}${verified?.stderr}`).toBe('');
  });
});

describe('any mutation of a signed payload', () => {
  /** Every path in the statement, as keys and indexes. */
  function paths(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
    const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : value !== null && typeof value === 'object' ? Object.entries(value) : [];
    return [at, ...children.flatMap(([key, child]) => paths(child as Json, [...at, key]))];
  }
  const replacement = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom<Json>(1e308, -1, 2 ** 53, 0.5, '', '\u001b[2J', [], {}, null, true, '2026-02-30', 'x'.repeat(10_000)),
    fc.constant(JSON.parse('{"__proto__":{"polluted":1}}') as Json),
  );
  const mutation = fc.record({ at: fc.nat(), how: fc.constantFrom('replace', 'delete', 'wrap'), value: replacement });

  it('ends in exit 0 or 4 (1 for a replay whose list version is missing), one line on stderr, never an internal error', async () => {
    const all = paths(original.statement as Json).filter((p) => p.length > 0);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const statement = structuredClone(original.statement) as Json;
        for (const { at, how, value } of mutations) {
          const where = all[at % all.length] as Array<string | number>;
          let parent = statement as Record<string | number, Json> | Json[];
          let ok = true;
          for (const key of where.slice(0, -1)) {
            const next = (parent as Record<string | number, Json>)[key];
            if (next === null || typeof next !== 'object') {
              ok = false;
              break;
            }
            parent = next as Record<string | number, Json>;
          }
          if (!ok) continue;
          const last = where[where.length - 1] as string | number;
          const target = parent as Record<string | number, Json>;
          if (how === 'delete') delete target[last];
          else if (how === 'wrap') target[last] = [target[last] ?? null];
          // A copy: fast-check hands the same constant object to every run.
          else target[last] = structuredClone(value);
        }
        writeSigned(JSON.stringify(statement));
        const context = JSON.stringify(mutations).slice(0, 300);
        for (const outcome of await readBoth()) expectOneLineOrSuccess(outcome, context);
        // A replay also runs the scrub with what the report records; exit 1 when a list version is not in the registry.
        const replayed = await wrk.run(['verify', 'report.json', '--pubkey', 'signer.pub', '--input', 'prospects.csv', '--replay']);
        expectOneLineOrSuccess(replayed, context, [0, 1, 4]);
      }),
      { numRuns: 200 },
    );
  });
});
