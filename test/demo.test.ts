import { afterEach, beforeEach, expect, it } from 'vitest';
import { Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

it('runs the quick-start demo on the shipped fixtures and keeps the folder with --dir', async () => {
  const outcome = await wrk.spawn(['demo', '--dir', 'demo']);
  expect(outcome.code).toBe(0);
  expect(outcome.stderr).toContain('$ callscrub registry import bloctel-sample.txt --list bloctel');
  expect(outcome.stderr).toContain('LISTED since v1');
  expect(outcome.stderr).toMatch(/Done\. The files and the registry are in .*demo; open .*demo\/report\.html in a browser\./);
  expect(wrk.exists('demo/callscrub.db')).toBe(true);
});

it("writes the auditor's page of its signed scrub, verified", async () => {
  const outcome = await wrk.spawn(['demo', '--dir', 'demo']);
  expect(outcome.code).toBe(0);
  expect(outcome.stderr).toContain('$ callscrub report html report.json --pubkey signer.pub --input prospects.csv');
  expect(outcome.stderr).toContain('wrote report.html: verified (passed: signature, input, clean file, excluded file, invalid file, replay)');
  const html = wrk.read('demo/report.html');
  expect(html).toMatch(/<h2 id="verdict-heading"><span aria-hidden="true">✔ <\/span>Verified<\/h2>/);
});

it('scrubs the prospects as an Excel workbook, with the verdicts of the CSV export, and verifies it with a replay', async () => {
  const outcome = await wrk.spawn(['demo', '--dir', 'demo']);
  expect(outcome.code).toBe(0);
  expect(outcome.stderr).toContain('$ callscrub scrub prospects.xlsx --out clean.xlsx --excluded excluded.xlsx --invalid invalid-xlsx.csv');
  expect(outcome.stderr).toContain('input: workbook, sheet Prospects, phone columns Téléphone, Portable');
  // The numbers that lost their leading 0 in the workbook are repaired: as many listed as in the CSV export.
  expect(outcome.stderr).toMatch(/excluded +10 -> excluded\.xlsx: listed 7, internal 1, unscreened 1, unreadable 1/);
  expect(outcome.stderr).toMatch(/invalid +3 -> invalid-xlsx\.csv: no-number 2, formula 1/);
  expect(outcome.stderr).toContain('$ callscrub verify report-xlsx.json --pubkey signer.pub --input prospects.xlsx');
  expect(wrk.read('demo/invalid-xlsx.csv')).toContain(',formula,"Téléphone: formula (=""0199002166""), not a stored number"');
});

// fixtures/README.md says what each row of consents.csv shows. Its dates are fixed, so these counts hold on any day
// from 2026-11-22 on (the exempt numbers' contracts end, and so their counts change; these do not).
it('imports the sample consent ledger and scrubs for France with --require-consent', async () => {
  const outcome = await wrk.spawn(['demo', '--dir', 'demo']);
  expect(outcome.code).toBe(0);
  expect(outcome.stderr).toContain('$ callscrub registry import consents.csv --list consents --kind consent');
  expect(outcome.stderr).toContain('10 consents: 10 new or changed');
  expect(outcome.stderr).toContain('first: line 13 granted-after-as-of');
  expect(outcome.stderr).toContain('$ callscrub scrub prospects.csv --require-consent FR');
  expect(outcome.stderr).toContain('consent required for +262 +33 +508 +590 +594 +596: 5 consented, 13 without a consent in force');
  expect(outcome.stderr).toMatch(/numbers checked 30: consented 5, .*no-consent 13/);
  expect(outcome.stderr).toMatch(/excluded +\d+ -> excluded-fr\.csv: .*no-consent 12\b/);
  expect(outcome.stderr).toContain('1 listed numbers excluded though a consent is in force');
  // The numbers whose consent was withdrawn, has expired or was rejected at import are the ledger's no-consent rows.
  const excluded = wrk.read('demo/excluded-fr.csv');
  expect(excluded).toContain('no-consent (withdrawn on 2026-10-02, consents v1)');
  expect(excluded).toContain('no-consent (expired on 2026-11-15, consents v1)');
  expect(excluded.split('\n').filter((line) => line.includes(';no-consent;'))).toHaveLength(12);
});

it('cleans up its temporary folder', async () => {
  const outcome = await wrk.run(['demo']);
  expect(outcome.code).toBe(0);
  const folder = /callscrub demo, in (\S+)/.exec(outcome.stderr)?.[1];
  expect(folder).toBeDefined();
  const fs = await import('node:fs');
  expect(fs.existsSync(folder as string)).toBe(false);
});
