// Runs one callscrub command in this process and reports its wall time and peak RSS on stderr, for run.ts.
// CALLSCRUB_BENCH_NOW (ISO 8601) sets the clock the command sees (it starts there and ticks), so that generated
// call times and the rules judging them agree on the day; the CLI itself has no such setting.

import { run } from '../src/cli.js';

const benchNow = process.env.CALLSCRUB_BENCH_NOW;
const startsAt = benchNow === undefined ? undefined : Date.parse(benchNow);
if (startsAt !== undefined && Number.isNaN(startsAt)) throw new Error(`CALLSCRUB_BENCH_NOW is not a date: '${benchNow}'`);
const started = performance.now();
const code = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  interactive: false,
  color: false,
  now: () => (startsAt === undefined ? new Date() : new Date(startsAt + performance.now() - started)),
  defaultDb: undefined,
});
const ms = performance.now() - started;
process.stderr.write(`BENCH ${JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, code })}\n`);
process.exitCode = code;
