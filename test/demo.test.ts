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
  expect(outcome.stderr).toMatch(/Done\. The files and the registry are in .*demo\./);
  expect(wrk.exists('demo/callscrub.db')).toBe(true);
});

it('cleans up its temporary folder', async () => {
  const outcome = await wrk.run(['demo']);
  expect(outcome.code).toBe(0);
  const folder = /callscrub demo, in (\S+)/.exec(outcome.stderr)?.[1];
  expect(folder).toBeDefined();
  const fs = await import('node:fs');
  expect(fs.existsSync(folder as string)).toBe(false);
});
