// An import that lasts over a second shows progress on a terminal (issue 8, "as the README promises"). Most of a
// large import is synchronous work (sorting, comparing with the newest version, the digest); the display only
// appeared when reading the file alone took over a second.

import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/cli.js';
import { daysAgo, terminalContext, Workdir } from './workdir.js';

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());


describe('registry import on a terminal', () => {
  it('shows progress when the import lasts over a second, even when its long steps are not reading', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 4_000_000; i++) lines.push(`0${600_000_000 + i * 37}`);
    fs.writeFileSync(wrk.path('list.txt'), `${lines.join('\n')}\n`);
    expect(await run(['registry', 'import', 'list.txt', '--list', 'bloctel', '--as-of', daysAgo(1), '--quiet'], terminalContext(wrk.dir).context)).toBe(0);
    // The second import of the same list reads quickly, then compares with the first, in long synchronous steps.
    const { context, output } = terminalContext(wrk.dir);
    const started = Date.now();
    expect(await run(['registry', 'import', 'list.txt', '--list', 'bloctel'], context)).toBe(0);
    const elapsed = Date.now() - started;
    expect(output()).toContain('imported bloctel version 2');
    if (elapsed > 1300) expect(output()).toMatch(/(reading|comparing with the newest version|writing version).* records/);
  }, 60_000);
});
