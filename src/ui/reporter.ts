// Messages for people, on stderr: plain lines, colour only on a terminal, a progress display for long work.
// Silenced by --quiet; --json keeps stderr for warnings only, since stdout then carries the one JSON document.

import { styleText } from 'node:util';
import type { Context } from '../context.js';

type Style = 'bold' | 'dim' | 'green' | 'yellow' | 'red' | 'cyan';

export interface ReporterOptions {
  readonly quiet: boolean;
  readonly json: boolean;
}

export class Reporter {
  private readonly context: Context;
  private readonly quiet: boolean;
  private readonly json: boolean;

  constructor(context: Context, options: ReporterOptions) {
    this.context = context;
    this.quiet = options.quiet;
    this.json = options.json;
  }

  /** Styles text when colours are on. */
  style(style: Style, text: string): string {
    return this.context.color ? styleText(style, text) : text;
  }

  /** A line of the human summary (not shown with --quiet or --json). */
  info(line = ''): void {
    if (!this.quiet && !this.json) this.context.stderr.write(`${line}\n`);
  }

  /** A warning: shown unless --quiet. */
  warn(line: string): void {
    if (!this.quiet) this.context.stderr.write(`${this.style('yellow', 'warning:')} ${line}\n`);
  }

  /**
   * Starts a progress display that appears only if the work lasts over a second, on a terminal, and neither
   * --quiet nor --json is given. `render` is called to refresh the text.
   */
  progress(render: () => string): Progress {
    // A terminal that reports no width (a pty under `script`, some CI runners) would make the spinner clear lines
    // forever: no display there.
    const columns = (this.context.stderr as { columns?: number }).columns;
    if (this.quiet || this.json || !this.context.interactive || columns === undefined || columns <= 0) return { stop: () => undefined };
    let spinner: { text: string; stop(): void } | undefined;
    let stopped = false;
    let refresh: NodeJS.Timeout | undefined;
    const start = setTimeout(() => {
      void import('ora').then(({ default: ora }) => {
        if (stopped) return;
        const active = ora({ text: render(), stream: this.context.stderr as NodeJS.WritableStream }).start();
        spinner = active;
        refresh = setInterval(() => {
          active.text = render();
        }, 100);
        refresh.unref();
      });
    }, 1000);
    start.unref();
    return {
      stop: () => {
        stopped = true;
        clearTimeout(start);
        if (refresh !== undefined) clearInterval(refresh);
        spinner?.stop();
      },
    };
  }
}

export interface Progress {
  stop(): void;
}

/** 1234567 -> "1,234,567". (Not toLocaleString: its first call loads ICU data, 20 ms of start-up.) */
export function count(n: number): string {
  const text = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (i > 0 && (text.length - i) % 3 === 0) out += ',';
    out += text[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** A rate per second for progress lines. */
export function rate(n: number, startedAt: number, now: number): string {
  const seconds = (now - startedAt) / 1000;
  return seconds <= 0 ? '' : `${count(Math.round(n / seconds))}/s`;
}
