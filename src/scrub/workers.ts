// The worker threads of a scrub, seen from the main thread: started early (loading their modules takes as long as
// the main thread's loading of the lists), given the judges and the file's plan once, then sent blocks in turn;
// each block's reply comes back as a promise, which the main thread takes in the file's order.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BlockJob, BlockPlan, BlockReply } from './block.js';
import type { JudgesSpec } from './shared-judges.js';

export interface WorkerSetup {
  readonly plan: BlockPlan;
  /** The size of an output buffer: twice a block's. */
  readonly outputBytes: number;
  readonly spec: JudgesSpec;
  readonly excluded: boolean;
  readonly invalid: boolean;
}

export class ScrubWorkers {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (reply: BlockReply) => void; worker: number }>();
  /** Blocks each worker has and has not sent back. */
  private readonly pending: number[] = [];
  private nextId = 0;
  private broken: string | undefined;

  /** Starts the threads: they load their modules while the main thread loads the lists. */
  constructor(readonly count: number) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(workerModule(), { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      this.pending.push(0);
      worker.on('message', (reply: BlockReply) => {
        const waiting = this.waiting.get(reply.id);
        if (waiting === undefined) return;
        this.waiting.delete(reply.id);
        this.pending[waiting.worker] = (this.pending[waiting.worker] as number) - 1;
        waiting.resolve(reply);
      });
      // A worker that dies takes the blocks it was given with it: the scrub fails (exit 1), no output is kept.
      const fail = (why: string) => {
        this.broken ??= why;
        for (const [id, { resolve }] of this.waiting) resolve({ id, bytes: undefined, failed: why });
        this.waiting.clear();
      };
      worker.on('error', (error) => fail(error.message));
      worker.on('exit', (code) => fail(`a worker thread stopped (exit code ${code})`));
      this.workers.push(worker);
    }
  }

  /** Blocks sent and not yet back. */
  get busy(): number {
    return this.waiting.size;
  }

  /** Gives every worker what it judges by and how the file is laid out: the first message each gets. */
  init(data: WorkerSetup): void {
    for (const worker of this.workers) worker.postMessage(data);
  }

  /** Sends a block to the worker with the fewest; its bytes (and `spare`, see BlockJob) are moved, not copied. */
  run(bytes: Uint8Array, first: boolean, last: boolean, spare: ArrayBuffer[] = []): Promise<BlockReply> {
    const id = this.nextId++;
    if (this.broken !== undefined) return Promise.resolve({ id, bytes: undefined, failed: this.broken });
    const chosen = this.pending.indexOf(Math.min(...this.pending));
    this.pending[chosen] = (this.pending[chosen] as number) + 1;
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve, worker: chosen });
      (this.workers[chosen] as Worker).postMessage({ id, bytes, first, last, spare } satisfies BlockJob, [bytes.buffer as ArrayBuffer, ...spare]);
    });
  }

  async close(): Promise<void> {
    this.broken ??= 'closed';
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The worker's module beside this one; run from the sources (the tests), the built one (`npm test` builds first). */
function workerModule(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  return fs.existsSync(fileURLToPath(beside)) ? beside : new URL('../../dist/src/scrub/worker.js', import.meta.url);
}
