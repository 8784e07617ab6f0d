// The auditor's page (report html) as a person sees it: rendered in Debian's headless Chromium, from a file, with
// no network, then read back from the DOM and checked against the report's own payload; printed on A4 and to PDF;
// a tampered report says "failed" first; it works without JavaScript, in French, and with a million exclusions.
// Skipped (with a message) where Chromium is not installed, except in CI, which installs it (.ci/run).

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, type Json } from '../src/report/canonical-json.js';
import { inTotoPayloadType, signEnvelope } from '../src/report/dsse.js';
import { loadPrivateKey, loadPublicKey } from '../src/report/keys.js';
import { contrast, launchBrowser, rgb, skipBrowser } from './browser.js';
import { daysAgo, projectRoot, Workdir } from './workdir.js';

const screenshotFile = path.join(projectRoot, 'docs/auditor-page.png');
const screenshotLimit = 200 * 1024;

interface Payload {
  subject: Array<{ name: string; annotations: { role: string; rows: number } }>;
  predicate: {
    input: { name: string; rows: number };
    lists: Array<{ name: string; kind: string; version: number; numbers: number }>;
    counts: { rowsIn: number; rowsClean: number; rowsExcluded: number; rowsInvalid: number; numbersChecked: number; byReason: Record<string, number>; byNumberStatus: Record<string, number> };
    exclusions: Array<[number, string, string[]]>;
  };
}

function payloadOf(wrk: Workdir, report: string): Payload {
  const envelope = JSON.parse(wrk.read(report)) as { payload: string };
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Payload;
}

const allFiles = ['--pubkey', 'signer.pub', '--input', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv'];

/**
 * report html on the demo's scrub with every file and --replay. The demo runs in the (empty) work folder itself, so
 * that the page names its files as an auditor in that folder would: report.json, prospects.csv.
 */
async function demoPage(wrk: Workdir, extra: string[] = []): Promise<string> {
  const made = await wrk.run(['demo', '--dir', '.']);
  expect(made.code, made.stderr).toBe(0);
  const written = await wrk.run(['report', 'html', 'report.json', ...allFiles, '--replay', '--html', 'audit.html', ...extra]);
  expect(written.stderr).toContain('wrote audit.html: verified');
  expect(written.code).toBe(0);
  return wrk.path('audit.html');
}

const prospects = 'nom;telephone;mobile\r\na;06 12 34 56 01;\r\nb;06 12 34 56 78;07 81 23 45 67\r\nc;;\r\nd;+33 6 12 34 56 02;\r\ne;0612345679;\r\n';

/** A small signed scrub (as report.test.ts makes one): report.json, signer.key/.pub, prospects.csv and outputs. */
async function signedScrub(wrk: Workdir, input = prospects, list = '0612345601\n0612345602\n'): Promise<void> {
  wrk.write('bloctel-v1.txt', list);
  expect((await wrk.run(['registry', 'import', 'bloctel-v1.txt', '--list', 'bloctel', '--as-of', daysAgo(3), '--quiet'])).code).toBe(0);
  expect((await wrk.run(['keygen', '--out', 'signer'])).code).toBe(0);
  wrk.write('prospects.csv', input);
  const scrubbed = await wrk.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--report', 'report.json', '--key', 'signer.key', '--quiet']);
  expect(scrubbed.stderr).toBe('');
  expect(scrubbed.code).toBe(0);
}

/** A signed scrub of `rows` generated rows, the first `listed` of them on the opposition list, every 100th with no number. */
async function generatedScrub(wrk: Workdir, rows: number, listed: number): Promise<void> {
  const number = (i: number): string => `06${String(10_000_000 + i).padStart(8, '0')}`;
  const lines = ['nom;telephone'];
  for (let i = 1; i <= rows; i++) lines.push(`p${i};${i % 100 === 0 ? '' : number(i)}`);
  const list = Array.from({ length: listed }, (_, i) => number(i + 1)).join('\n');
  await signedScrub(wrk, `${lines.join('\r\n')}\r\n`, `${list}\n`);
}

/** A page that records every request, console error, page error and CSP violation. */
async function watchedPage(context: BrowserContext): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  // Init scripts run outside the page's CSP: they see its violations (an inline script or a request it refused).
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { page, requests, errors };
}

/** The text of the page, everything in it (closed <details> included). */
const pageText = (page: Page): Promise<string> => page.evaluate(() => document.body.textContent ?? '');

/** The colour of an element's text and the background it is seen on (the nearest ancestor that paints one). */
async function colours(page: Page, selector: string): Promise<Array<{ text: string; fg: string; bg: string }>> {
  return page.$$eval(selector, (elements) =>
    elements.map((e) => {
      let bg = 'rgb(255, 255, 255)';
      for (let n: Element | null = e; n !== null; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (c !== 'transparent' && !/,\s*0\)$/.test(c)) {
          bg = c;
          break;
        }
      }
      return { text: (e.textContent ?? '').trim().slice(0, 40), fg: getComputedStyle(e).color, bg };
    }),
  );
}

describe.skipIf(skipBrowser)('the auditor page in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Runs `work` with a scratch folder and a browser context of its own, both gone after it, whatever happens. */
  async function inBrowser(work: (wrk: Workdir, context: BrowserContext) => Promise<void>, options?: BrowserContextOptions): Promise<void> {
    const wrk = Workdir.create();
    const context = await browser.newContext(options);
    try {
      await work(wrk, context);
    } finally {
      await context.close();
      wrk.remove();
    }
  }

  it('shows a verified demo scrub: the verdict first, the report\'s own figures, lists and rows, no number, no request, readable', async () => {
    await inBrowser(async (wrk, context) => {
      const file = await demoPage(wrk);
      const p = payloadOf(wrk, 'report.json').predicate;
      const { page, requests, errors } = await watchedPage(context);
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: 'load' });

      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);

      // The verdict is the first h2 and says so.
      const firstH2 = page.locator('h2').first();
      expect(await firstH2.getAttribute('id')).toBe('verdict-heading');
      expect(await firstH2.innerText()).toContain('Verified');

      // The figures: rows in, clean, excluded, invalid (and numbers checked), as the payload counts them.
      const f = new Intl.NumberFormat('en-GB');
      const figures = await page.locator('#outcome .figure strong').allInnerTexts();
      const c = p.counts;
      expect(figures).toEqual([c.rowsIn, c.rowsClean, c.rowsExcluded, c.rowsInvalid, c.numbersChecked].map((n) => f.format(n)));
      expect(c.rowsExcluded).toBeGreaterThan(0);

      // The lists table: name, version and numbers of each list, in the payload's order.
      const lists = await page.$$eval('#lists table tbody tr', (trs) =>
        trs.map((tr) => {
          const cells = [...tr.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim());
          return { name: cells[0], version: cells[2], numbers: cells[5] };
        }),
      );
      expect(lists).toEqual(p.lists.map((l) => ({ name: l.name, version: f.format(l.version), numbers: f.format(l.numbers) })));

      // Every excluded or invalid row of the report, by number, in the rows section.
      const shownRows = new Set((await page.locator('#rows td.n').allTextContents()).map((t) => Number(t.trim())));
      expect(p.exclusions.length).toBe(c.rowsExcluded + c.rowsInvalid);
      for (const [row] of p.exclusions) expect(shownRows.has(row), `row ${row}`).toBe(true);

      // No phone number of the input, in any notation, anywhere in the page (digests set aside).
      const input = fs.readFileSync(wrk.path('prospects.csv')).toString('latin1');
      const records = parse(input, { delimiter: ';', relax_quotes: true }) as string[][];
      const header = records[0] as string[];
      const phoneColumns = header.map((h, i) => (/l.phone|portable/i.test(h) ? i : -1)).filter((i) => i >= 0);
      expect(phoneColumns.length).toBe(2);
      const text = (await pageText(page)).replace(/[0-9a-f]{64}/g, ' ');
      const digitRuns = (text.match(/\+?\d[\d .()-]*\d/g) ?? []).map((run) => run.replace(/\D/g, ''));
      let phones = 0;
      for (const record of records.slice(1)) {
        for (const i of phoneColumns) {
          const cell = (record[i] ?? '').trim();
          const digits = cell.replace(/\D/g, '');
          if (digits.length < 9) continue;
          phones++;
          expect(text.includes(cell), cell).toBe(false);
          const significant = digits.slice(-9);
          expect(digitRuns.filter((run) => run.includes(significant)), cell).toEqual([]);
        }
      }
      expect(phones).toBeGreaterThan(20);

      // The charts: SVG images with an accessible name.
      for (const name of ['Rows by outcome and reason', 'Numbers by status']) {
        const chart = page.getByRole('img', { name });
        expect(await chart.count()).toBe(1);
        expect(await chart.evaluate((e) => e.tagName.toLowerCase())).toBe('svg');
        expect(await chart.isVisible()).toBe(true);
      }

      // An outline: one h1, then h2 sections, no level skipped; every table has header cells.
      const levels = await page.$$eval('h1, h2, h3, h4, h5, h6', (hs) => hs.map((h) => Number(h.tagName.slice(1))));
      expect(levels.filter((l) => l === 1).length).toBe(1);
      expect(levels[0]).toBe(1);
      expect(levels[1]).toBe(2);
      levels.forEach((l, i) => {
        if (i > 0) expect(l, `heading ${i}`).toBeLessThanOrEqual((levels[i - 1] as number) + 1);
      });
      expect(await page.$$eval('main > section > h2', (hs) => hs.map((h) => h.id))).toEqual(['verdict-heading', 'scrub-heading', 'outcome-heading', 'lists-heading', 'rows-heading', 'payload-heading']);
      const tables = await page.$$eval('table', (ts) => ts.map((t) => t.querySelectorAll('th').length));
      expect(tables.length).toBeGreaterThan(5);
      for (const headers of tables) expect(headers).toBeGreaterThan(0);

      // Contrast (WCAG AA, 4.5:1) of the verdict heading, the result cells and muted text against their background.
      const seen = [...(await colours(page, '#verdict-heading')), ...(await colours(page, 'td.result')), ...(await colours(page, '.muted'))];
      expect(seen.length).toBeGreaterThan(10);
      for (const { text: what, fg, bg } of seen) {
        expect(contrast(rgb(fg), rgb(bg)), `${what}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }, { viewport: { width: 1280, height: 900 } });
  });

  it('prints: screenshots at desktop and A4 sizes, a PDF, no horizontal overflow in print, closed <details> stay closed', async () => {
    await inBrowser(async (wrk, context) => {
      const file = await demoPage(wrk);
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.screenshot({ path: wrk.path('desktop.png'), fullPage: true });
      expect(fs.readFileSync(wrk.path('desktop.png')).subarray(1, 4).toString()).toBe('PNG');

      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({ path: wrk.path('a4.png'), fullPage: true });
      expect(fs.statSync(wrk.path('a4.png')).size).toBeGreaterThan(1000);
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
      expect(widths.scroll, JSON.stringify(widths)).toBeLessThanOrEqual(794);
      const closed = await page.$$eval('details:not([open])', (ds) =>
        ds.map((d) => [...d.children].filter((child) => child.tagName !== 'SUMMARY').some((child) => child.getClientRects().length > 0 && child.getBoundingClientRect().height > 0)),
      );
      expect(closed.length).toBeGreaterThan(0);
      expect(closed.every((shown) => !shown)).toBe(true);

      const pdf = await page.pdf({ format: 'A4' });
      fs.writeFileSync(wrk.path('audit.pdf'), pdf);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
      expect(pages.length).toBeGreaterThanOrEqual(1);
    }, { viewport: { width: 1280, height: 900 } });
  });

  it('says "Verification failed" first, in red, for a report whose payload was changed without signing it again (exit 4)', async () => {
    await inBrowser(async (wrk, context) => {
      await signedScrub(wrk);
      const envelope = JSON.parse(wrk.read('report.json')) as { payload: string };
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Payload;
      const changed = statement.predicate.exclusions.find(([, reason]) => reason === 'listed');
      expect(changed).toBeDefined();
      (changed as [number, string, string[]])[1] = 'internal';
      envelope.payload = Buffer.from(canonicalJson(statement as unknown as Json), 'utf8').toString('base64');
      wrk.write('report.json', JSON.stringify(envelope, null, 2));

      const written = await wrk.run(['report', 'html', 'report.json', ...allFiles, '--html', 'tampered.html']);
      expect(written.code).toBe(4);
      expect(wrk.exists('tampered.html')).toBe(true);

      const page = await context.newPage();
      await page.goto(pathToFileURL(wrk.path('tampered.html')).href, { waitUntil: 'load' });
      // The first heading after the h1 is the verdict, and the verdict is the first section of the page.
      const order = await page.$$eval('h1, h2, main > section, main > nav', (es) => es.map((e) => `${e.tagName.toLowerCase()}#${e.id}`));
      expect(order.slice(0, 3)).toEqual(['h1#', 'section#verdict', 'h2#verdict-heading']);
      const heading = page.locator('h2').first();
      expect(await heading.innerText()).toContain('Verification failed');
      const { colour, fail } = await page.evaluate(() => {
        const probe = document.createElement('span');
        probe.style.color = getComputedStyle(document.documentElement).getPropertyValue('--fail').trim();
        document.body.append(probe);
        const fail = getComputedStyle(probe).color;
        probe.remove();
        return { colour: getComputedStyle(document.querySelector('#verdict-heading') as Element).color, fail };
      });
      expect(fail).toBe('rgb(161, 18, 26)');
      expect(colour).toBe(fail);
      expect(await page.locator('#verdict').getAttribute('class')).toContain('failed');
      const signature = page.locator('table.checks tr', { has: page.locator('th', { hasText: /^Signature$/ }) });
      expect((await signature.locator('td.result').innerText()).trim()).toBe('Failed');
    });
  });

  it('works without JavaScript: reason links go to their section, a page of rows opens from its summary', async () => {
    await inBrowser(async (wrk, context) => {
      // 2,500 rows, the first 2,100 on the list (less every 100th, which has no number): 3 pages of listed rows.
      await generatedScrub(wrk, 2500, 2100);
      const written = await wrk.run(['report', 'html', 'report.json', ...allFiles, '--html', 'audit.html']);
      expect(written.code, written.stderr).toBe(0);
      const page = await context.newPage();
      const url = pathToFileURL(wrk.path('audit.html')).href;
      await page.goto(url, { waitUntil: 'load' });

      await page.locator('nav.reasons a', { hasText: 'Opposition list' }).click();
      await page.waitForURL(`${url}#reason-listed`);
      const top = await page.locator('#h-reason-listed').evaluate((h) => h.getBoundingClientRect().top);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThan(900);
      await page.locator('nav.reasons a', { hasText: 'No number' }).click();
      await page.waitForURL(`${url}#reason-no-number`);

      const pages = page.locator('#reason-listed details');
      expect(await pages.count()).toBe(3);
      const second = pages.nth(1);
      expect(await second.getAttribute('open')).toBeNull();
      const row = second.locator('td.n', { hasText: /^1501$/ });
      expect(await row.isVisible()).toBe(false);
      await second.locator('summary').click();
      expect(await second.getAttribute('open')).not.toBeNull();
      expect(await row.isVisible()).toBe(true);
    }, { javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  });

  it('speaks French with --lang fr: lang="fr", the verdict in French, counts grouped with a no-break space', async () => {
    await inBrowser(async (wrk, context) => {
      await generatedScrub(wrk, 1500, 1200);
      const written = await wrk.run(['report', 'html', 'report.json', ...allFiles, '--html', 'audit.html', '--lang', 'fr']);
      expect(written.code, written.stderr).toBe(0);
      const page = await context.newPage();
      await page.goto(pathToFileURL(wrk.path('audit.html')).href, { waitUntil: 'load' });
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      expect(await page.locator('#verdict-heading').innerText()).toMatch(/Vérifié|Non vérifié/);
      const figures = await page.locator('#outcome .figure strong').allTextContents();
      expect(figures[0]).toMatch(/^1[\u202f\u00a0]500$/);
      const p = payloadOf(wrk, 'report.json').predicate;
      const f = new Intl.NumberFormat('fr-FR');
      expect(figures.slice(0, 4)).toEqual([p.counts.rowsIn, p.counts.rowsClean, p.counts.rowsExcluded, p.counts.rowsInvalid].map((n) => f.format(n)));
      expect(p.counts.rowsExcluded).toBeGreaterThanOrEqual(1000);
      expect(figures[2]).toMatch(/^1[\u202f\u00a0]\d{3}$/);
    });
  });

  // Regression: the sections wrote ": " themselves (title, contents, chart labels, reason index and headings), so the
  // French page mixed "Liste interne: 1 ligne" with its sentences' "lignes 21 à 21 : ...".
  it('French: a no-break space before every colon', async () => {
    await inBrowser(async (wrk, context) => {
      const file = await demoPage(wrk, ['--lang', 'fr']);
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      // The page's own French: not the report's names, code or the payload (lang="en", <code>, <pre>).
      const french = await page.evaluate(() => {
        const parts: string[] = [document.title];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const parent = walker.currentNode.parentElement;
          if (parent === null || parent.closest('code, pre') !== null || parent.closest('[lang]')?.getAttribute('lang') !== 'fr') continue;
          parts.push(walker.currentNode.textContent ?? '');
        }
        return parts.join('\n');
      });
      expect(french.match(/\p{L}[^\s\u00a0\u202f\d]{0,20}:(?!\d)/gu) ?? []).toEqual([]);
    });
  });

  // Regression: a reason the page does not know (a later version's) is shown, but its id was another's: anchor()
  // mapped every other character to "_", and rows-<reason> shared the page's id space (rows-chart, rows-heading).
  it('gives every reason, even one it does not know, its own id', async () => {
    await inBrowser(async (wrk, context) => {
      await signedScrub(wrk);
      const envelope = JSON.parse(wrk.read('report.json')) as { payload: string };
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Payload;
      const reasons = ['chart', 'later reason', 'later_reason'];
      statement.predicate.exclusions.forEach((e, i) => (e[1] = reasons[i % reasons.length] as string));
      envelope.payload = Buffer.from(canonicalJson(statement as unknown as Json), 'utf8').toString('base64');
      wrk.write('report.json', JSON.stringify(envelope));
      const written = await wrk.run(['report', 'html', 'report.json', '--html', 'audit.html']);
      expect(written.code, written.stderr).toBe(0);
      const page = await context.newPage();
      await page.goto(pathToFileURL(wrk.path('audit.html')).href, { waitUntil: 'load' });
      const ids = await page.$$eval('[id]', (es) => es.map((e) => e.id));
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
      // Each reason's link goes to a section headed by that reason.
      for (const reason of reasons) {
        const href = await page.locator('nav.reasons a', { hasText: new RegExp(`^${reason}$`) }).getAttribute('href');
        const heading = await page.evaluate((id) => document.getElementById(id)?.querySelector('h3')?.textContent ?? '', (href ?? '').slice(1));
        expect(heading, reason).toMatch(new RegExp(`^${reason}: `));
      }
    });
  });

  it(
    'writes and opens a page of 1,000,000 exclusions, which stays usable (times printed, not asserted)',
    async () => {
      await inBrowser(async (wrk, context) => {
        await signedScrub(wrk);
        const envelope = JSON.parse(wrk.read('report.json')) as { payload: string; callscrubRun?: unknown };
        const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Payload;
        // Rows 1 to 1,000,000: seven in ten listed, two not screened, one with no number; 250,000 clean rows after them.
        const total = 1_000_000;
        const clean = 250_000;
        const exclusions: Array<[number, string, string[]]> = [];
        const byReason: Record<string, number> = { listed: 0, unscreened: 0, 'no-number': 0 };
        for (let row = 1; row <= total; row++) {
          const r = row % 10;
          const reason = r < 7 ? 'listed' : r < 9 ? 'unscreened' : 'no-number';
          exclusions.push([row, reason, reason === 'listed' ? ['bloctel'] : []]);
          byReason[reason] = (byReason[reason] as number) + 1;
        }
        const p = statement.predicate;
        p.exclusions = exclusions;
        const excluded = (byReason.listed as number) + (byReason.unscreened as number);
        const invalid = byReason['no-number'] as number;
        p.input.rows = total + clean;
        p.counts = {
          ...p.counts,
          rowsIn: total + clean,
          rowsClean: clean,
          rowsExcluded: excluded,
          rowsInvalid: invalid,
          numbersChecked: clean + excluded,
          byReason,
          byNumberStatus: { callable: clean, listed: byReason.listed as number, unscreened: byReason.unscreened as number },
        };
        const rowsOf: Record<string, number> = { clean, excluded, invalid };
        for (const s of statement.subject) s.annotations.rows = rowsOf[s.annotations.role] ?? s.annotations.rows;
        const body = Buffer.from(canonicalJson(statement as unknown as Json), 'utf8');
        const signed = signEnvelope(body, inTotoPayloadType, loadPrivateKey(wrk.path('signer.key'), undefined), loadPublicKey(wrk.path('signer.pub')));
        wrk.write('report.json', `${JSON.stringify({ ...signed, callscrubRun: envelope.callscrubRun }, null, 2)}\n`);

        const started = performance.now();
        const written = await wrk.spawn(['report', 'html', 'report.json', '--pubkey', 'signer.pub', '--html', 'big.html']);
        const writeSeconds = (performance.now() - started) / 1000;
        expect(written.stderr).toContain('wrote big.html: verified');
        expect(written.code).toBe(0);

        const page = await context.newPage();
        const url = pathToFileURL(wrk.path('big.html')).href;
        await page.goto(url, { waitUntil: 'load', timeout: 150_000 });
        const timing = await page.evaluate(() => ({
          fcp: performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? NaN,
          load: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.loadEventEnd ?? NaN,
        }));
        const bytes = fs.statSync(wrk.path('big.html')).size;
        console.log(
          `auditor page, 1,000,000 exclusions: written in ${writeSeconds.toFixed(2)} s (${(bytes / 1e6).toFixed(1)} MB), first contentful paint ${Math.round(timing.fcp)} ms, loaded ${Math.round(timing.load)} ms`,
        );
        expect(await page.locator('#verdict-heading').innerText()).toContain('Verified');

        // Usable: a reason link moves to its section, a page in the middle of it opens and shows a given row.
        await page.locator('nav.reasons a', { hasText: 'Opposition list' }).click();
        await page.waitForURL(`${url}#reason-listed`);
        const listedRows = exclusions.filter(([, reason]) => reason === 'listed').map(([row]) => row);
        const pages = page.locator('#reason-listed details');
        expect(await pages.count()).toBe(Math.ceil(listedRows.length / 1000));
        const middle = pages.nth(350);
        const row = listedRows[350_500] as number;
        const opened = performance.now();
        await middle.locator('summary').click();
        expect(await middle.getAttribute('open')).not.toBeNull();
        const rows = middle.locator('pre.rows');
        expect(await rows.isVisible()).toBe(true);
        const place = await rows.evaluate((pre, wanted) => {
          const text = pre.firstChild as Text;
          const at = (text.textContent ?? '').search(new RegExp(`\\n *${wanted}  `));
          if (at < 0) return undefined;
          const range = document.createRange();
          range.setStart(text, at + 1);
          range.setEnd(text, at + 1 + (text.textContent ?? '').slice(at + 1).indexOf('\n'));
          window.scrollBy(0, range.getBoundingClientRect().top - window.innerHeight / 2);
          const rect = range.getBoundingClientRect();
          return { top: rect.top, height: rect.height, viewport: window.innerHeight };
        }, row);
        console.log(`auditor page, 1,000,000 exclusions: a page of 1,000 rows opened and row ${row} shown in ${Math.round(performance.now() - opened)} ms`);
        expect(place, `row ${row}`).toBeDefined();
        expect(place?.height).toBeGreaterThan(0);
        expect(place?.top).toBeGreaterThanOrEqual(0);
        expect(place?.top).toBeLessThan(place?.viewport as number);
      }, { viewport: { width: 1280, height: 900 } });
    },
    180_000,
  );

  it.runIf(process.env.UPDATE_SCREENSHOT === '1')('renders the README screenshot of the demo\'s page (UPDATE_SCREENSHOT=1)', async () => {
    await inBrowser(async (wrk, context) => {
      const file = await demoPage(wrk);
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      fs.mkdirSync(path.dirname(screenshotFile), { recursive: true });
      // The top of the page: the verdict and the start of the scrub; a shorter clip while the PNG is too large.
      for (let height = 1100; height >= 500; height -= 100) {
        await page.screenshot({ path: screenshotFile, fullPage: true, clip: { x: 0, y: 0, width: 1280, height } });
        if (fs.statSync(screenshotFile).size < screenshotLimit) break;
      }
      expect(fs.statSync(screenshotFile).size).toBeLessThan(screenshotLimit);
    }, { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  });
});

describe('the README screenshot of the auditor page', () => {
  it('is in the repository: a PNG 1280 px wide, under 200 KB (UPDATE_SCREENSHOT=1 renders it again)', () => {
    expect(fs.existsSync(screenshotFile)).toBe(true);
    const png = fs.readFileSync(screenshotFile);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.length).toBeLessThan(screenshotLimit);
  });
});
