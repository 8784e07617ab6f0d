// Headless Chromium for the tests that look at the auditor's page as a person would: Debian's own `chromium`
// (/usr/bin/chromium, or $CHROMIUM), driven by playwright-core, which downloads no browser. In CI (.ci/run installs
// it) a missing Chromium fails the tests; elsewhere they are skipped, with one message saying how to install it.

import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const installed = fs.existsSync(chromiumPath);
const inCi = process.env.CI === 'true';

/** Whether the browser tests are skipped: no Chromium here, and not in CI (where its absence is a failure). */
export const skipBrowser = !installed && !inCi;

// Once: this module is evaluated once per test file that imports it.
if (skipBrowser) {
  console.warn(
    `browser tests skipped: no Chromium at ${chromiumPath}. Install Debian's (apt-get install chromium fonts-dejavu-core) or set CHROMIUM to a Chromium binary.`,
  );
}

/**
 * The flags this machine needs: no sandbox (containers run as root), no GPU, and nothing that talks to the network
 * by itself (QUIC, background requests, component updates, sync), so that a test sees only the page's requests.
 * Headless is Playwright's own option; each launch gets a fresh temporary profile, removed when it closes.
 */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!installed) {
    throw new Error(`no Chromium at ${chromiumPath}: CI=true, so the browser tests must run (.ci/run installs Debian's chromium; apt-get install chromium)`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
}

/** WCAG 2 relative luminance of an sRGB colour given as 0-255 channels. */
export function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r ?? 0) + 0.7152 * lin(g ?? 0) + 0.0722 * lin(b ?? 0);
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
export function contrast(a: readonly number[], b: readonly number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The channels of a CSS colour as getComputedStyle gives it: `rgb(1, 2, 3)` or `rgba(1, 2, 3, 0.5)`. */
export function rgb(css: string): number[] {
  const m = /^rgba?\(([^)]+)\)$/.exec(css.trim());
  if (m === null) throw new Error(`not an rgb() colour: ${css}`);
  return (m[1] as string).split(/[\s,/]+/).filter((p) => p !== '').map(Number);
}
