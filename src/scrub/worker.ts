// A scrub's worker thread: given what the main thread judges by (shared-judges.ts) and how the file is laid out
// (BlockPlan) in its first message, it scrubs each block it is then sent into buffers of its own and sends them
// back with what it found, moving the memory rather than copying it.

import { parentPort } from 'node:worker_threads';
import { collectorsFor, scrubBlock, type BlockJob, type BlockPlan, type Collectors } from './block.js';
import { judgesOf } from './shared-judges.js';
import type { WorkerSetup } from './workers.js';

const port = parentPort as NonNullable<typeof parentPort>;
let setup: { plan: BlockPlan; judges: ReturnType<typeof judgesOf>; outputs: Collectors } | undefined;
/** Buffers for the outputs, given back by the main thread once written. */
const pool: ArrayBuffer[] = [];

port.on('message', (message: WorkerSetup | BlockJob) => {
  if (setup === undefined) {
    const { plan, spec, excluded, invalid, outputBytes } = message as WorkerSetup;
    setup = { plan, judges: judgesOf(spec), outputs: collectorsFor(excluded, invalid, pool, outputBytes) };
    return;
  }
  const { plan, judges, outputs } = setup;
  const job = message as BlockJob;
  for (const buffer of job.spare ?? []) if (pool.length < 3) pool.push(buffer);
  const reply = scrubBlock(plan, { screening: judges.screening, contact: judges.contact, schedule: judges.schedule(), seen: undefined }, outputs, job);
  const moved = reply.failed === undefined ? [reply.clean, reply.excluded, reply.invalid, reply.result.exclusions.rows, reply.result.exclusions.reasons, reply.result.exclusions.listBits] : [];
  port.postMessage(reply, [job.bytes.buffer as ArrayBuffer, ...moved.flatMap((bytes) => (bytes === undefined ? [] : [bytes.buffer as ArrayBuffer]))]);
});
