import { describe, expect, it } from 'vitest';
import { count, Reporter } from '../src/ui/reporter.js';
import { terminalContext } from './workdir.js';


const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('progress display', () => {
  it('appears on a terminal once work lasts over a second', async () => {
    const { context, output } = terminalContext('.', 100);
    const progress = new Reporter(context, { quiet: false, json: false }).progress(() => 'reading 42 records');
    await wait(300);
    expect(output()).toBe('');
    await wait(1200);
    progress.stop();
    expect(output()).toContain('reading 42 records');
  });

  // Regression: under `script` the terminal reports 0 columns and the spinner cleared lines forever (1 GB of output).
  it('stays off on a terminal that reports no width', async () => {
    const { context, output } = terminalContext('.', 0);
    const progress = new Reporter(context, { quiet: false, json: false }).progress(() => 'reading');
    await wait(1300);
    progress.stop();
    expect(output()).toBe('');
  });

  it('stays off with --quiet and --json', async () => {
    const { context, output } = terminalContext('.', 100);
    const quiet = new Reporter(context, { quiet: true, json: false }).progress(() => 'reading');
    const json = new Reporter(context, { quiet: false, json: true }).progress(() => 'reading');
    await wait(1300);
    quiet.stop();
    json.stop();
    expect(output()).toBe('');
  });
});

it('groups thousands', () => {
  expect([0, 999, 1000, 1234567, -5000].map(count)).toEqual(['0', '999', '1,000', '1,234,567', '-5,000']);
});
