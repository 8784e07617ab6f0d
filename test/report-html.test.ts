// `callscrub report html`: the checks of verify, every one of them, and the page they write. The page as a browser
// shows it is checked in report-page.browser.test.ts; here, what the command does and what the HTML holds.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/report/canonical-json.js';
import { binary, daysAgo, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

const prospects = 'nom;telephone;mobile\r\na;06 12 34 56 01;\r\nb;06 12 34 56 78;07 81 23 45 67\r\nc;;\r\nd;+33 6 12 34 56 02;\r\ne;0612345679;\r\n';
const numbers = ['0612345601', '0612345678', '0781234567', '0612345602', '0612345679'];

async function signedScrub(): Promise<void> {
  wrk.write('bloctel-v1.txt', '0612345601\n0612345602\n');
  expect((await wrk.run(['registry', 'import', 'bloctel-v1.txt', '--list', 'bloctel', '--as-of', daysAgo(3), '--quiet'])).code).toBe(0);
  expect((await wrk.run(['keygen', '--out', 'signer'])).code).toBe(0);
  if (!wrk.exists('prospects.csv')) wrk.write('prospects.csv', prospects);
  const scrubbed = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--report', 'report.json', '--key', 'signer.key', '--quiet']);
  expect(scrubbed.stderr).toBe('');
  expect(scrubbed.code).toBe(0);
}

const everything = ['--pubkey', 'signer.pub', '--input', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv'];
const page = (extra: string[], report = 'report.json') => wrk.run(['report', 'html', report, '--html', 'audit.html', ...extra]);

/** The page's text as a reader sees it: tags dropped, entities of the escaper read back. */
function textOf(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<wbr>/g, '').replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

/** The verdict: the first h2 of the page, as text. */
function verdictOf(html: string): string {
  return textOf(/<h2[^>]*>([\s\S]*?)<\/h2>/.exec(html)?.[1] ?? '').trim();
}

function payloadOf(report: string): { predicate: { exclusions: Array<[number, string, string[]]>; counts: Record<string, number> } } {
  return JSON.parse(Buffer.from(JSON.parse(wrk.read(report)).payload, 'base64').toString('utf8'));
}

/** Rewrites the report's payload with `change` and encodes it again, keeping the old signature. */
function tamper(change: (statement: ReturnType<typeof payloadOf>) => void): void {
  const envelope = JSON.parse(wrk.read('report.json'));
  const statement = payloadOf('report.json');
  change(statement);
  envelope.payload = Buffer.from(canonicalJson(statement as never), 'utf8').toString('base64');
  wrk.write('report.json', JSON.stringify(envelope, null, 2));
}

describe('report html', () => {
  it('writes a verified page (mode 600) whose figures and rows are the report\'s, and says so on stderr', async () => {
    await signedScrub();
    const done = await page([...everything, '--replay']);
    expect(done.stderr).toBe('wrote audit.html: verified (passed: signature, input, clean file, excluded file, invalid file, replay)\n');
    expect(done.stdout).toBe('');
    expect(done.code).toBe(0);
    expect(fs.statSync(wrk.path('audit.html')).mode & 0o777).toBe(0o600);
    const html = wrk.read('audit.html');
    expect(verdictOf(html)).toBe('✔ Verified');
    const text = textOf(html);
    for (const check of ['Report format', 'Signature', 'Input file', 'Clean file', 'Excluded file', 'Invalid file', 'Replay']) expect(text).toContain(check);
    expect(text).toMatch(/5 rows in 2 Clean 2 Excluded 1 Invalid/);
    expect(text).toContain('bloctel');
    const { predicate } = payloadOf('report.json');
    for (const [row, reason] of predicate.exclusions) {
      expect(html).toMatch(new RegExp(`<td class="n">${row}</td>`));
      expect(html).toContain(`id="reason-${reason}"`);
    }
  });

  it('holds no phone number, no script and nothing fetched from elsewhere', async () => {
    await signedScrub();
    await page([...everything, '--replay']);
    const html = wrk.read('audit.html');
    for (const national of numbers) {
      for (const digits of [national, national.slice(1), `33${national.slice(1)}`, national.slice(-8), national.slice(-6)]) expect(html, digits).not.toContain(digits);
    }
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(?!#)/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`);
  });

  it('writes a page for a changed report that says "failed" first, and exits 4 as verify does', async () => {
    await signedScrub();
    tamper((s) => {
      s.predicate.exclusions[0]![1] = 'duplicate';
    });
    const verified = await wrk.run(['verify', 'report.json', ...everything.slice(0, 4), '--replay']);
    const done = await page(['--pubkey', 'signer.pub', '--input', 'prospects.csv', '--replay']);
    expect(done.code).toBe(verified.code);
    expect(done.code).toBe(4);
    // The changed reason also leaves the report's counts against its rows.
    expect(done.stderr).toBe(`wrote audit.html: verification failed, the page says why (passed: input); the report contradicts itself, the page says how\n${verified.stderr}`);
    const html = wrk.read('audit.html');
    expect(verdictOf(html)).toBe('✖ Verification failed');
    expect(html.indexOf('Verification failed')).toBeLessThan(html.indexOf('id="scrub"'));
    const text = textOf(html);
    expect(text).toContain('Signature report.json Failed the signature does not verify with signer.pub');
    // The replay still ran, and says what differs.
    expect(text).toMatch(/Replay callscrub\.db Failed the replay differs: row 1: duplicate \(bloctel\) in the report, listed \(bloctel\) now/);
    expect(text).toContain('none of it can be trusted');
  });

  it('records a changed file as failed and still checks the others', async () => {
    await signedScrub();
    fs.appendFileSync(wrk.path('clean.csv'), 'x;0612345699\r\n');
    const done = await page(everything);
    expect(done.code).toBe(4);
    const text = textOf(wrk.read('audit.html'));
    expect(text).toMatch(/Clean file clean\.csv Failed the clean file differs/);
    expect(text).toMatch(/Excluded file excluded\.csv Matched SHA-256 [0-9a-f]{64}/);
    expect(text).toMatch(/Invalid file invalid\.csv Matched/);
  });

  it('says "not verified" without --pubkey, exit 0, and what to give to check the rest', async () => {
    await signedScrub();
    const done = await page([]);
    expect(done.code).toBe(0);
    expect(done.stderr).toBe('wrote audit.html: not verified: no signature checked\n');
    const html = wrk.read('audit.html');
    expect(verdictOf(html)).toBe('! Not verified');
    const text = textOf(html);
    expect(text).toContain('Signature report.json Not checked Not given; to check it: --pubkey FILE');
    expect(text).toContain('Input file Not checked Not given; to check it: --input FILE');
  });

  it('says "could not be verified" when a check cannot be carried out (exit 1, as verify)', async () => {
    await signedScrub();
    const done = await page([...everything.slice(0, 4), '--replay', '--db', 'elsewhere.db']);
    const verified = await wrk.run(['verify', 'report.json', ...everything.slice(0, 4), '--replay', '--db', 'elsewhere.db']);
    expect(done.code).toBe(1);
    expect(verified.code).toBe(1);
    expect(done.stderr.split('\n')[1]).toBe(verified.stderr.trim());
    expect(verdictOf(wrk.read('audit.html'))).toBe('✖ Could not be verified');
    expect(textOf(wrk.read('audit.html'))).toMatch(/Replay elsewhere\.db Could not be checked/);
  });

  it('writes a page for a file that is not a report, saying only that (exit 4)', async () => {
    wrk.write('notes.json', '{"hello": "world"}');
    const done = await page([], 'notes.json');
    expect(done.code).toBe(4);
    const html = wrk.read('audit.html');
    expect(verdictOf(html)).toBe('✖ Not a callscrub report');
    expect(html).not.toContain('id="scrub"');
    expect(textOf(html)).toContain('notes.json: not a DSSE envelope');
  });

  it('escapes what a crafted report holds: names with markup, quotes and control characters', async () => {
    wrk.write('p<script>alert(1)<\\script>.csv', prospects);
    wrk.write('bloctel-v1.txt', '0612345601\n');
    await wrk.run(['registry', 'import', 'bloctel-v1.txt', '--list', 'bloctel', '--as-of', daysAgo(3), '--quiet']);
    await wrk.run(['keygen', '--out', 'signer']);
    const scrubbed = await wrk.run(['scrub', 'p<script>alert(1)<\\script>.csv', '--out', 'c.csv', '--report', 'report.json', '--key', 'signer.key', '--quiet']);
    expect(scrubbed.code).toBe(0);
    // What callscrub would never write, but a forged report may hold.
    tamper((s) => {
      const p = s.predicate as unknown as { tool: { version: string }; lists: Array<{ name: string }> };
      p.tool.version = '1\u001b[2J\u202e<i>';
      p.lists[0]!.name = 'x"><b>bold';
    });
    await page(['--pubkey', 'signer.pub']);
    const html = wrk.read('audit.html');
    expect(html).not.toMatch(/<script|<b>|<i>/);
    expect(html).toContain('p&lt;script&gt;alert(1)&lt;\\script&gt;.csv');
    expect(html).toContain('x&quot;&gt;&lt;b&gt;bold');
    expect(html).toContain('1\\u001b[2J\\u202e&lt;i&gt;');
  });

  it('writes the page in French with --lang fr, figures grouped the French way', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `p${i};06 ${String(10_000_000 + i * 7).replace(/(\d\d)(?=\d)/g, '$1 ')};`);
    wrk.write('prospects.csv', `nom;telephone;mobile\r\n${rows.join('\r\n')}\r\n`);
    await signedScrub();
    const done = await page([...everything, '--lang', 'fr']);
    expect(done.code).toBe(0);
    const html = wrk.read('audit.html');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/);
    expect(verdictOf(html)).toBe('✔ Vérifié');
    expect(html).toContain('<strong>1\u202f500</strong>lignes lues');
    expect(textOf(html)).toContain('Lignes exclues et invalides');
  });

  it('refuses an --html that would replace the report, the input, a key or the registry (exit 2), writing nothing', async () => {
    await signedScrub();
    const before = wrk.read('report.json');
    for (const [target, what] of [['report.json', 'the report'], ['prospects.csv', 'the input'], ['signer.pub', 'the public key'], ['callscrub.db', 'the registry']] as const) {
      const refused = await wrk.run(['report', 'html', 'report.json', ...everything, '--replay', '--html', target]);
      expect(refused.code, target).toBe(2);
      expect(refused.stderr).toBe(`callscrub: --html ${target} is ${what}: writing it would destroy it (write the output to another file)\n`);
    }
    expect(wrk.read('report.json')).toBe(before);
    const refused = await wrk.run(['report', 'html', 'report.json', '--html', 'signer.key']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('holds a PEM key or certificate');
  });

  it('takes --html - for standard output, and needs --html', async () => {
    await signedScrub();
    const out = await wrk.run(['report', 'html', 'report.json', '--pubkey', 'signer.pub', '--html', '-']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n$/);
    const missing = await wrk.run(['report', 'html', 'report.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("callscrub: report html needs --html FILE (the page to write) (or --html - for standard output)\n");
    const lang = await wrk.run(['report', 'html', 'report.json', '--html', 'a.html', '--lang', 'de']);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toBe("callscrub: --lang takes en or fr, not 'de'\n");
  });

  it('refuses --html - when standard output is the report itself (>> report.json), which stays as it was', async () => {
    await signedScrub();
    const before = wrk.read('report.json');
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${binary}" report html report.json --html - >> report.json`], { cwd: wrk.dir, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('callscrub: standard output is the report: writing there would destroy it (redirect standard output to another file)\n');
    expect(wrk.read('report.json')).toBe(before);
  });

  it('leaves no file when the page cannot be written (exit 1, one line)', async () => {
    await signedScrub();
    const done = await wrk.run(['report', 'html', 'report.json', '--pubkey', 'signer.pub', '--html', 'no/such/folder/audit.html']);
    expect(done.code).toBe(1);
    // Found before any check runs.
    expect(done.stderr).toBe('callscrub: the folder of --html no/such/folder/audit.html does not exist (create it, or name another file)\n');
    expect(fs.readdirSync(wrk.dir).filter((f) => f.includes('audit'))).toEqual([]);
  });

  it('lists more than 20,000 rows as lines of text in pages of 1,000, every row there', async () => {
    const rows = Array.from({ length: 20_500 }, (_, i) => `p${i};;`);
    wrk.write('prospects.csv', `nom;telephone;mobile\r\n${rows.join('\r\n')}\r\na;0612345601;\r\n`);
    await signedScrub();
    const done = await page(['--pubkey', 'signer.pub']);
    expect(done.code).toBe(0);
    const html = wrk.read('audit.html');
    expect(html).toContain('lists its rows as lines of text rather than as a table');
    expect(html.match(/<details><summary>Page \d+ of 21: 1,000 rows, from row \d+ to row \d+<\/summary>/g)).toHaveLength(20);
    const lines = [...html.matchAll(/<pre class="rows">([\s\S]*?)<\/pre>/g)].flatMap((m) => (m[1] as string).split('\n').slice(1));
    // Listed first (the strongest reason), then the rows with no number.
    expect(lines.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([20_501, ...Array.from({ length: 20_500 }, (_, i) => i + 1)]);
    expect(html).toContain('<details><summary>Page 21 of 21: 500 rows, from row 20001 to row 20500</summary>');
    expect(html).toMatch(/<details><summary>Page 1 of 1: 1 row, row 20501<\/summary><pre class="rows">  Row  Lists\n20501  bloctel<\/pre>/);
  });

  it('replaces only a page callscrub wrote: not the prospect file the report names, nor someone\'s own page', async () => {
    await signedScrub();
    const before = wrk.read('excluded.csv');
    const refused = await page(['--pubkey', 'signer.pub']).then(() => wrk.run(['report', 'html', 'report.json', '--pubkey', 'signer.pub', '--html', 'excluded.csv']));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('callscrub: --html excluded.csv is a file that callscrub did not write: writing it would destroy it (name a new file, or a page callscrub wrote before)\n');
    expect(wrk.read('excluded.csv')).toBe(before);
    wrk.write('mine.html', '<!DOCTYPE html>\n<html><body>my own notes</body></html>\n');
    expect((await wrk.run(['report', 'html', 'report.json', '--html', 'mine.html'])).code).toBe(2);
    expect(wrk.read('mine.html')).toContain('my own notes');
    // A page written before is replaced.
    expect((await page(['--pubkey', 'signer.pub'])).code).toBe(0);
    // Standard output appended to a file: the same rule (`>> excluded.csv`, `>> signer.key`, `>> callscrub.db` without --replay).
    for (const target of ['excluded.csv', 'signer.key', 'callscrub.db', 'callscrub.db-wal']) {
      const size = fs.existsSync(wrk.path(target)) ? fs.statSync(wrk.path(target)).size : -1;
      const run = spawnSync('bash', ['-c', `"${process.execPath}" "${binary}" report html report.json --html - >> ${target}`], { cwd: wrk.dir, encoding: 'utf8' });
      expect(run.status, target).toBe(2);
      expect(fs.existsSync(wrk.path(target)) ? fs.statSync(wrk.path(target)).size : -1, target).toBe(size === -1 ? 0 : size);
    }
  });

  it('reads --input - from standard input, and refuses it with --replay (standard input is read once)', async () => {
    await signedScrub();
    const hashed = await wrk.run(['report', 'html', 'report.json', '--pubkey', 'signer.pub', '--input', '-', '--html', 'audit.html'], { stdin: prospects });
    expect(hashed.code).toBe(0);
    expect(textOf(wrk.read('audit.html'))).toMatch(/Input file standard input Matched SHA-256/);
    const replayed = await wrk.run(['report', 'html', 'report.json', '--pubkey', 'signer.pub', '--input', '-', '--replay', '--html', 'audit.html'], { stdin: prospects });
    expect(replayed.code).toBe(2);
    expect(replayed.stderr).toBe('callscrub: --replay cannot replay standard input after hashing it (--input -): it can be read once (give the input as a file)\n');
  });

  it('shows a reason named like an object property (constructor, toString) as any reason it does not know', async () => {
    await signedScrub();
    tamper((s) => {
      s.predicate.exclusions[0]![1] = 'constructor';
      s.predicate.exclusions[1]![1] = '__proto__';
      s.predicate.counts.byReason = { constructor: 1, tostring: 1 } as never;
    });
    const done = await page([]);
    expect(done.code).toBe(0);
    const text = textOf(wrk.read('audit.html'));
    expect(text).toContain('constructor: 1 row');
    expect(text).toContain('__proto__: 1 row');
  });

  it('names the failed check first when another could not run, and says what a signature alone proves', async () => {
    await signedScrub();
    fs.appendFileSync(wrk.path('clean.csv'), 'x;0612345699\r\n');
    const mixed = await page(['--pubkey', 'signer.pub', '--input', 'missing.csv', '--out', 'clean.csv']);
    expect(mixed.code).toBe(1); // verify's: it stops at the input it cannot read
    expect(mixed.stderr.split('\n')[0]).toBe('wrote audit.html: verification failed, the page says why (passed: signature)');
    expect(textOf(wrk.read('audit.html'))).toMatch(/Verification failed .* First problem: clean\.csv: the clean file differs/);
    expect((await page(['--pubkey', 'signer.pub'])).code).toBe(0);
    expect(textOf(wrk.read('audit.html'))).toContain('The signature is valid: the report is the signer\'s, unchanged. No file was given to check against it.');
  });

  it('names what a signed report says against itself, under its verdict', async () => {
    await signedScrub();
    await page([]);
    expect(wrk.read('audit.html')).not.toContain('contradicts');
    tamper((s) => {
      s.predicate.counts.rowsIn = 9;
      s.predicate.exclusions[1]![0] = 0;
      (s.predicate as unknown as { lists: Array<{ asOf: string }> }).lists[0]!.asOf = '2099-01-01';
    });
    const done = await page([]);
    expect(done.stderr).toBe('wrote audit.html: not verified: no signature checked; the report contradicts itself, the page says how\n');
    const text = textOf(wrk.read('audit.html'));
    expect(text).toContain('The report contradicts itself');
    expect(text).toContain('its clean, excluded and invalid rows add up to 5, not to its 9 rows;');
    expect(text).toContain('it lists row 0, outside its rows 1 to 9;');
    expect(text).toContain('it lists row 0 twice or out of order;');
    expect(text).toContain('the list bloctel is dated 1 January 2099, after the scrub;');
    expect(text).toContain('its input has 5 rows, its counts 9;');
  });

  it('says an unsigned report is unsigned, and a report it cannot read "could not be verified"', async () => {
    await signedScrub();
    expect((await wrk.run(['scrub', 'prospects.csv', '--out', 'c2.csv', '--report', 'unsigned.json', '--unsigned', '--quiet'])).code).toBe(0);
    expect((await page([], 'unsigned.json')).code).toBe(0);
    const text = textOf(wrk.read('audit.html'));
    expect(text).toContain('The report carries no signature: nothing proves who wrote it');
    expect(text).not.toContain('Give the signer');
    expect(text).toContain('Payload and checking it by hand');
    expect(text).not.toContain('openssl pkeyutl');
    expect(text).toContain('The report carries no signature: only the files can be checked against it.');
    const missing = await page([], 'missing.json');
    expect(missing.code).toBe(1);
    expect(verdictOf(wrk.read('audit.html'))).toBe('✖ Could not be verified');
  });

  it('gives OpenSSL commands that verify the report as they stand on the page', async () => {
    await signedScrub();
    await page(['--pubkey', 'signer.pub']);
    const html = wrk.read('audit.html');
    const recipe = textOf(/<pre class="recipe"[^>]*>([\s\S]*?)<\/pre>/.exec(html)?.[1]?.replace(/\n/g, '\u0000') ?? '').replace(/\u0000/g, '\n');
    expect(recipe).toContain('openssl pkeyutl -verify -pubin -inkey signer.pub');
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', recipe], { cwd: wrk.dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('Signature Verified Successfully\nclean.csv: OK\nexcluded.csv: OK\ninvalid.csv: OK\nprospects.csv: OK\n');
  });
});
