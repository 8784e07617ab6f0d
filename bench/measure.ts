// Runs one callscrub command in this process and reports its wall time and peak RSS on stderr, for run.ts.

import { run } from '../src/cli.js';

const started = performance.now();
const code = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  interactive: false,
  color: false,
  now: () => new Date(),
  defaultDb: undefined,
});
const ms = performance.now() - started;
process.stderr.write(`BENCH ${JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, code })}\n`);
process.exitCode = code;
