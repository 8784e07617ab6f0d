// A scrub's worker thread: made with what the main thread judges by (shared-judges.ts) and how the file is laid out
// (BlockPlan), it scrubs each block it is sent into buffers of its own and sends them back with what it found. A
// block that fails is sent back as failed: the main thread scrubs it again itself, which tells the error with its
// line in the file (a worker knows only the line within the block).

import { parentPort } from 'node:worker_threads';
import { BlockScrubber, ByteCollector } from './block.js';
import { judgesOf } from './shared-judges.js';
import type { BlockJob, BlockReply, WorkerSetup } from './workers.js';

const port = parentPort as NonNullable<typeof parentPort>;
let setup: { plan: WorkerSetup['plan']; judges: ReturnType<typeof judgesOf>; outputs: { clean: ByteCollector; excluded: ByteCollector | undefined; invalid: ByteCollector | undefined } } | undefined;

port.on('message', (message: WorkerSetup | BlockJob) => {
  if (setup === undefined) {
    const { plan, spec, excluded, invalid } = message as WorkerSetup;
    // Kept from block to block: each take leaves a buffer as large as the last one for the next.
    setup = { plan, judges: judgesOf(spec), outputs: { clean: new ByteCollector(), excluded: excluded ? new ByteCollector() : undefined, invalid: invalid ? new ByteCollector() : undefined } };
    return;
  }
  const { plan, judges, outputs } = setup;
  const job = message as BlockJob;
  let reply: BlockReply;
  const transfer: ArrayBuffer[] = [job.bytes.buffer as ArrayBuffer];
  try {
    const block = new BlockScrubber(plan, { screening: judges.screening, contact: judges.contact, schedule: judges.schedule(), seen: undefined }, { first: job.first, firstLine: 1 }, outputs);
    block.push(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength));
    if (job.last) block.end();
    const result = block.result();
    const clean = outputs.clean.take();
    const excludedBytes = outputs.excluded?.take();
    const invalidBytes = outputs.invalid?.take();
    for (const bytes of [clean, excludedBytes, invalidBytes, result.exclusions.rows, result.exclusions.reasons, result.exclusions.listBits]) {
      if (bytes !== undefined) transfer.push(bytes.buffer as ArrayBuffer);
    }
    reply = { id: job.id, bytes: job.bytes, result, clean, excluded: excludedBytes, invalid: invalidBytes };
  } catch (error) {
    // What the failed block wrote is dropped: the main thread scrubs it again.
    for (const collector of [outputs.clean, outputs.excluded, outputs.invalid]) collector?.take();
    reply = { id: job.id, bytes: job.bytes, failed: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, transfer);
});
