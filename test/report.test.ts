import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/report/canonical-json.js';
import { daysAgo, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

const prospects = 'nom;telephone;mobile\r\na;06 12 34 56 01;\r\nb;06 12 34 56 78;07 81 23 45 67\r\nc;;\r\nd;+33 6 12 34 56 02;\r\ne;0612345679;\r\n';

async function signedScrub(): Promise<void> {
  wrk.write('bloctel-v1.txt', '0612345601\n0612345602\n');
  expect((await wrk.run(['registry', 'import', 'bloctel-v1.txt', '--list', 'bloctel', '--as-of', daysAgo(3), '--quiet'])).code).toBe(0);
  expect((await wrk.run(['keygen', '--out', 'signer'])).code).toBe(0);
  wrk.write('prospects.csv', prospects);
  const scrubbed = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--report', 'report.json', '--key', 'signer.key', '--quiet']);
  expect(scrubbed.stderr).toBe('');
  expect(scrubbed.code).toBe(0);
}

const verify = (extra: string[] = []) =>
  wrk.run(['verify', 'report.json', '--pubkey', 'signer.pub', '--input', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', ...extra]);

describe('signed reports', () => {
  it('makes keys: a private key readable by its owner only, never overwritten, and the key id', async () => {
    const made = await wrk.run(['keygen', '--out', 'k']);
    expect(made.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(fs.statSync(wrk.path('k.key')).mode & 0o777).toBe(0o600);
    const again = await wrk.run(['keygen', '--out', 'k']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('k.key: already exists: a key is never overwritten');
    const env = { CALLSCRUB_KEY_PASSPHRASE: 'correct horse' };
    expect((await wrk.run(['keygen', '--out', 'e'], { env })).code).toBe(0);
    expect(wrk.read('e.key')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    wrk.write('list.txt', '0612345601\n');
    await wrk.run(['registry', 'import', 'list.txt', '--list', 'l', '--quiet']);
    wrk.write('p.csv', 'n;tel\na;0612345678\n');
    const signing = ['scrub', 'p.csv', '--out', 'c.csv', '--report', 'r.json', '--key', 'e.key', '--quiet'];
    expect((await wrk.run(signing, { env })).code).toBe(0);
    const withoutPassphrase = await wrk.run(signing);
    expect(withoutPassphrase.code).toBe(2);
    expect(withoutPassphrase.stderr).toBe('callscrub: e.key: cannot decrypt the private key (set CALLSCRUB_KEY_PASSPHRASE to its passphrase)\n');
  });

  it('signs, verifies and replays a scrub', async () => {
    await signedScrub();
    const verified = await verify(['--replay']);
    expect(verified.stdout).toContain('verified report.json: signature, input, clean file, excluded file, invalid file, replay');
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    const shown = await wrk.run(['report', 'show', 'report.json']);
    expect(shown.stdout).toContain('list bloctel v1 (opposition');
    expect(shown.stdout).toContain('rows: 2 clean, 2 excluded, 1 invalid');
    expect(shown.stderr).toBe('');
  });

  it('fails (exit 4) with a wrong key, a changed input, output or report', async () => {
    await signedScrub();
    await wrk.run(['keygen', '--out', 'other']);
    const wrongKey = await wrk.run(['verify', 'report.json', '--pubkey', 'other.pub']);
    expect(wrongKey.code).toBe(4);
    expect(wrongKey.stderr).toMatch(/the signature does not verify with other\.pub/);

    fs.appendFileSync(wrk.path('clean.csv'), 'x;0612345699\r\n');
    const changedOutput = await verify();
    expect(changedOutput.code).toBe(4);
    expect(changedOutput.stderr).toMatch(/^callscrub: clean\.csv: the clean file differs from the one the report names \(clean\.csv\): SHA-256 [0-9a-f]{16}…, the report has [0-9a-f]{16}…\n$/);

    wrk.write('prospects.csv', `${prospects}f;0612345688;\r\n`);
    const changedInput = await wrk.run(['verify', 'report.json', '--pubkey', 'signer.pub', '--input', 'prospects.csv']);
    expect(changedInput.code).toBe(4);
    expect(changedInput.stderr).toMatch(/prospects\.csv: the input differs from the one scrubbed/);
  });

  it('refuses a key file that holds no Ed25519 key as bad input (exit 1), one line naming the file', async () => {
    await signedScrub();
    wrk.write('notakey.pub', 'nom;telephone\n');
    const verified = await wrk.run(['verify', 'report.json', '--pubkey', 'notakey.pub']);
    expect(verified.stderr).toBe('callscrub: notakey.pub: not an Ed25519 public key in PEM (give the .pub file made by callscrub keygen)\n');
    expect(verified.code).toBe(1);
    fs.writeFileSync(wrk.path('notakey.key'), 'nom;telephone\n', { mode: 0o600 });
    const signing = await wrk.run(['scrub', 'prospects.csv', '--out', 'c2.csv', '--report', 'r2.json', '--key', 'notakey.key']);
    expect(signing.stderr).toBe('callscrub: notakey.key: not an Ed25519 private key in PEM (make one with callscrub keygen)\n');
    expect(signing.code).toBe(1);
    expect(wrk.exists('c2.csv')).toBe(false);
  });

  it('detects any single-byte change to the payload, the payload type or the signature', async () => {
    await signedScrub();
    const original = JSON.parse(wrk.read('report.json'));
    const field = fc.constantFrom('payload', 'payloadType', 'sig');
    await fc.assert(
      fc.asyncProperty(field, fc.nat(), fc.integer({ min: 1, max: 255 }), async (name, at, delta) => {
        const report = structuredClone(original);
        const text: string = name === 'sig' ? report.signatures[0].sig : report[name];
        const bytes = Buffer.from(text, 'latin1');
        const i = at % bytes.length;
        bytes[i] = ((bytes[i] as number) + delta) % 256;
        const changed = bytes.toString('latin1');
        if (name === 'sig') report.signatures[0].sig = changed;
        else report[name] = changed;
        wrk.write('report.json', JSON.stringify(report));
        const outcome = await wrk.run(['verify', 'report.json', '--pubkey', 'signer.pub']);
        expect(outcome.code).toBe(4);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps phone numbers out of the report', async () => {
    await signedScrub();
    const envelope = JSON.parse(wrk.read('report.json'));
    const payload = Buffer.from(envelope.payload, 'base64').toString('utf8');
    const everything = `${payload}\n${JSON.stringify(envelope.callscrubRun)}`;
    for (const national of ['0612345601', '0612345678', '0781234567', '0612345602', '0612345679']) {
      for (const digits of [national, national.slice(1), `33${national.slice(1)}`, national.slice(-8), national.slice(-6)]) {
        expect(everything, digits).not.toContain(digits);
      }
    }
  });

  it('gives a byte-identical payload for the same input, lists, settings and date', async () => {
    await signedScrub();
    const first = JSON.parse(wrk.read('report.json')).payload;
    await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--report', 'report.json', '--key', 'signer.key', '--quiet']);
    expect(JSON.parse(wrk.read('report.json')).payload).toBe(first);
  });

  it('replays after newer imports, and on a registry rebuilt from the same source file; not after pruning', async () => {
    await signedScrub();
    wrk.write('bloctel-v2.txt', '0612345601\n0612345602\n0612345678\n');
    await wrk.run(['registry', 'import', 'bloctel-v2.txt', '--list', 'bloctel', '--as-of', daysAgo(1), '--quiet']);
    expect((await verify(['--replay'])).code).toBe(0);
    // An auditor's own registry, the same source file imported under another name and order.
    wrk.write('auditor-source.txt', '+33 6 12 34 56 02\n06.12.34.56.01\n');
    await wrk.run(['registry', 'import', 'auditor-source.txt', '--list', 'fr-optout', '--db', 'audit.db', '--quiet']);
    const audited = await verify(['--replay', '--db', 'audit.db']);
    expect(audited.stdout).toContain('verified');
    expect(audited.code).toBe(0);
    const empty = await verify(['--replay', '--db', 'nothing.db']);
    expect(empty.code).toBe(1);
    await wrk.run(['registry', 'prune', '--keep-days', '0']);
    const pruned = await verify(['--replay']);
    expect(pruned.code).toBe(1);
    expect(pruned.stderr).toMatch(/'bloctel' v1 \(as of .*\) is bloctel v1 here, and its history was pruned/);
  });

  it('refuses to sign with a private key others can read, and writes unsigned reports only when asked', async () => {
    await signedScrub();
    fs.chmodSync(wrk.path('signer.key'), 0o644);
    const refused = await wrk.run(['scrub', 'prospects.csv', '--out', 'c2.csv', '--report', 'r2.json', '--key', 'signer.key']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('callscrub: signer.key: the private key is readable by others (mode 644) (chmod 600 signer.key)\n');
    expect(wrk.exists('c2.csv')).toBe(false);
    const noKey = await wrk.run(['scrub', 'prospects.csv', '--out', 'c2.csv', '--report', 'r2.json']);
    expect(noKey.code).toBe(2);
    const unsigned = await wrk.run(['scrub', 'prospects.csv', '--out', 'c2.csv', '--report', 'r2.json', '--unsigned', '--quiet']);
    expect(unsigned.code).toBe(0);
    const payload = JSON.parse(Buffer.from(JSON.parse(wrk.read('r2.json')).payload, 'base64').toString());
    expect(payload.predicate.signed).toBe(false);
    const verified = await wrk.run(['verify', 'r2.json', '--pubkey', 'signer.pub']);
    expect(verified.code).toBe(4);
    expect(verified.stderr).toContain('the report is unsigned');
  });

  it('verifies with OpenSSL and coreutils alone, as the README tells auditors', async () => {
    await signedScrub();
    const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const recipe = /```sh\n(# verify a report with OpenSSL 3[\s\S]*?)```/.exec(readme)?.[1];
    expect(recipe).toBeDefined();
    const script = (recipe as string).replace(/campaigns\.pub/g, 'signer.pub');
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: wrk.dir, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Signature Verified Successfully');
    expect(result.stdout).toContain('clean.csv: OK');
    expect(result.stdout).toContain('prospects.csv: OK');
  });
});

describe('verifyReport', () => {
  const named = (name: string) => ({ path: wrk.path(name), name });
  const request = (outputs: Array<'clean' | 'excluded' | 'invalid'>) => ({
    report: named('report.json'),
    publicKey: named('signer.pub'),
    input: named('prospects.csv'),
    outputs: outputs.map((role) => ({ role, ...named(`${role}.csv`) })),
    replay: { db: wrk.path('callscrub.db') },
    stdin: Readable.from([]),
  });

  describe('when every file matches the report', () => {
    it('runs the checks in turn and returns those that passed, in order', async () => {
      await signedScrub();
      const { verifyReport } = await import('../src/report/verify.js');
      const verified = await verifyReport(request(['clean', 'excluded', 'invalid']));
      expect(verified.checked).toEqual(['signature', 'input', 'clean file', 'excluded file', 'invalid file', 'replay']);
      expect(verified.keyId).toBe(JSON.parse(wrk.read('report.json')).signatures[0].keyid);
    });
  });

  describe('when an output digest does NOT match', () => {
    it('stops at that check with a verification error naming the file', async () => {
      await signedScrub();
      fs.appendFileSync(wrk.path('excluded.csv'), 'x\r\n');
      const { verifyReport } = await import('../src/report/verify.js');
      const failed = verifyReport(request(['clean', 'excluded']));
      await expect(failed).rejects.toMatchObject({ code: 'verification', file: 'excluded.csv' });
      await expect(failed).rejects.toThrow('the excluded file differs from the one the report names (excluded.csv)');
    });
  });
});

describe('verify options', () => {
  it('are resolved once, with usage errors there (exit 2)', async () => {
    const missingKey = await wrk.run(['verify', 'report.json']);
    expect(missingKey.stderr).toBe("callscrub: verify needs --pubkey FILE (the signer's public key)\n");
    expect(missingKey.code).toBe(2);
    const replayAlone = await wrk.run(['verify', 'report.json', '--pubkey', 'k.pub', '--replay']);
    expect(replayAlone.stderr).toBe('callscrub: --replay needs --input FILE\n');
    expect(replayAlone.code).toBe(2);
    const { resolveOptions } = await import('../src/commands/verify.js');
    const options = resolveOptions('report.json', { pubkey: 'k.pub', out: 'c.csv' }, { cwd: wrk.dir } as never);
    expect(Object.isFrozen(options)).toBe(true);
    expect(options.outputs).toEqual([{ role: 'clean', path: wrk.path('c.csv'), name: 'c.csv' }]);
    expect(options.replay).toBeUndefined();
  });
});

describe('replay', () => {
  it('names the count and the first row that differ', async () => {
    await signedScrub();
    const { parseReport } = await import('../src/report/read.js');
    const { replay } = await import('../src/report/replay.js');
    const { openSource } = await import('../src/io/source.js');
    const { statement } = parseReport(wrk.read('report.json'), 'report.json');
    const input = () => openSource(wrk.path('prospects.csv'), Readable.from([]), 'prospects.csv');
    const run = (s: typeof statement) => replay(s, input(), wrk.path('callscrub.db'), 'report.json');
    await expect(run(statement)).resolves.toBeUndefined();
    const counted = structuredClone(statement);
    counted.predicate.counts.rowsClean += 1;
    await expect(run(counted)).rejects.toThrow('the replay differs: rowsClean is 2, the report has 3');
    const row = structuredClone(statement);
    (row.predicate.exclusions[0] as [number, string, string[]])[1] = 'internal';
    await expect(run(row)).rejects.toThrow(/the replay differs: row \d+: internal \(bloctel\) in the report, listed \(bloctel\) now/);
  });
});

describe('canonical JSON', () => {
  it('sorts keys, integer-like ones included, whatever the insertion order', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], 10: 'ten', 9: 'nine' })).toBe('{"10":"ten","9":"nine","a":[true,null,"x"],"b":1}');
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
        expect(JSON.parse(canonicalJson(object))).toEqual(object);
      }),
    );
  });
});
