// A scrub's worker thread: made with what the main thread judges by (shared-judges.ts) and how the file is laid out
// (BlockPlan), it scrubs each block it is sent into buffers of its own and sends them back with what it found. A
// block that fails is sent back as failed: the main thread scrubs it again itself, which tells the error with its
// line in the file (a worker knows only the line within the block).

import { parentPort, workerData } from 'node:worker_threads';
import { BlockScrubber, ByteCollector, type BlockPlan } from './block.js';
import { judgesOf, type JudgesSpec } from './shared-judges.js';
import type { BlockJob, BlockReply } from './workers.js';

const { plan, spec, excluded, invalid } = workerData as { plan: BlockPlan; spec: JudgesSpec; excluded: boolean; invalid: boolean };
const judges = judgesOf(spec);
const port = parentPort as NonNullable<typeof parentPort>;

// Kept from block to block: each take leaves a buffer as large as the last one for the next.
const outputs = { clean: new ByteCollector(), excluded: excluded ? new ByteCollector() : undefined, invalid: invalid ? new ByteCollector() : undefined };

port.on('message', (job: BlockJob) => {
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
