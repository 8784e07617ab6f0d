// A scratch directory per test, with callscrub run in-process (command tests) or as the built binary (end-to-end),
// after xsv's Workdir: each test builds its input inline and checks exit code, stdout and stderr.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../src/cli.js';
import type { Context } from '../src/context.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const binary = path.join(projectRoot, 'bin/callscrub.js');

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Standard input; an array is delivered chunk by chunk, as a pipe would. */
  stdin?: string | Buffer | Buffer[];
  now?: Date;
  env?: Record<string, string>;
}

export class Workdir {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static create(): Workdir {
    return new Workdir(fs.mkdtempSync(path.join(os.tmpdir(), 'callscrub-test-')));
  }

  path(name: string): string {
    return path.join(this.dir, name);
  }

  write(name: string, content: string | Buffer): string {
    const file = this.path(name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  }

  read(name: string): string {
    return fs.readFileSync(this.path(name), 'utf8');
  }

  exists(name: string): boolean {
    return fs.existsSync(this.path(name));
  }

  /** Runs another program (ssconvert, soffice, python3) in this directory; its stdout, or an error with its stderr. */
  program(command: string, args: string[]): string {
    const result = spawnSync(command, args, { cwd: this.dir, encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr}`);
    return result.stdout;
  }

  /** Runs callscrub in this process, as the command tests do. */
  async run(argv: string[], options: RunOptions = {}): Promise<Outcome> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (b: Buffer) => out.push(b));
    stderr.on('data', (b: Buffer) => err.push(b));
    const code = await run(argv, {
      cwd: this.dir,
      stdin: Readable.from(options.stdin === undefined ? [] : Array.isArray(options.stdin) ? options.stdin : [Buffer.from(options.stdin)]),
      stdout,
      stderr,
      interactive: false,
      color: false,
      now: () => options.now ?? new Date(),
      defaultDb: options.env?.CALLSCRUB_DB,
      keyPassphrase: options.env?.CALLSCRUB_KEY_PASSPHRASE,
    });
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  }

  /** Runs the built binary, as a user's shell would. */
  spawn(argv: string[], options: RunOptions = {}): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [binary, ...argv], {
        cwd: this.dir,
        env: { ...process.env, NO_COLOR: '1', ...options.env },
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(Array.isArray(options.stdin) ? Buffer.concat(options.stdin) : (options.stdin ?? ''));
    });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `YYYY-MM-DD` of `days` before today (local date), for as-of dates. */
export function daysAgo(days: number, from = new Date()): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() - days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A context whose standard error is a terminal `columns` wide (with what ora needs of a tty.WriteStream besides
 * writing), and what was written to it.
 */
export function terminalContext(cwd: string, columns = 100): { context: Context; output: () => string } {
  const done = (...args: unknown[]) => {
    const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  const stderr = Object.assign(new PassThrough(), { isTTY: true, columns, cursorTo: done, moveCursor: done, clearLine: done, clearScreenDown: done });
  let text = '';
  stderr.on('data', (b: Buffer) => (text += b.toString()));
  const context: Context = {
    cwd,
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
    interactive: true,
    color: false,
    now: () => new Date(),
    defaultDb: undefined,
  };
  return { context, output: () => text };
}
