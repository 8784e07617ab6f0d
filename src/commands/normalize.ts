// `callscrub normalize`: shows how callscrub reads phone numbers, one result per input, in order.

import type { Command } from 'commander';
import type { Context } from '../context.js';
import { checkWritable } from '../io/standard-output.js';
import { printable } from '../ui/printable.js';
import { parseCountry } from './common.js';

export const help = `
Reads each NUMBER, or each line of standard input when none is given (empty lines included), and prints one
result per input: the text, its E.164 form or INVALID, then the reason it is invalid or what was repaired.

Examples:
  callscrub normalize "06 12 34 56 78" "+33 (0)6 12 34 56 78" 612345678
  callscrub normalize --country US "(202) 555-0143"
  cut -d';' -f3 prospects.csv | callscrub normalize --json`;

interface RawOptions {
  /** Defaults to FR. */
  country: string;
  json?: boolean;
}

export interface NormalizeOptions {
  readonly numbers: readonly string[];
  readonly country: string;
  readonly json: boolean;
}

export function define(program: Command, context: Context, run: (work: () => Promise<void>) => Promise<void>): void {
  program
    .command('normalize')
    .description('show how phone numbers are read: E.164 form, or why they are invalid')
    .argument('[number...]', 'numbers to normalize (default: one per line on standard input)')
    .option('--country <CC>', 'region of numbers written without a country code', 'FR')
    .option('--json', 'print a JSON array on stdout')
    .addHelpText('after', help)
    .action((numbers: string[], raw: RawOptions) => run(() => runNormalize(resolveOptions(numbers, raw), context)));
}

export function resolveOptions(numbers: readonly string[], raw: RawOptions): NormalizeOptions {
  return Object.freeze({ numbers: Object.freeze([...numbers]), country: parseCountry(raw.country) as string, json: raw.json === true });
}

export async function runNormalize(options: NormalizeOptions, context: Context): Promise<void> {
  const { normalize, describe } = await import('../phone/normalize.js');
  const out = context.stdout;
  let first = true;
  const emit = (input: string): void => {
    const result = normalize(input, { country: options.country });
    if (options.json) {
      const value = result.ok
        ? { input, ok: true, e164: result.e164, country: result.country, type: result.type, flags: result.flags, ...(result.alternates.length > 0 ? { alternates: result.alternates } : {}) }
        : { input, ok: false, reason: result.reason };
      out.write(`${first ? '[\n  ' : ',\n  '}${JSON.stringify(value)}`);
    } else {
      const [form, detail] = describe(result);
      const alternates = result.ok && result.alternates.length > 0 ? ` (also ${result.alternates.join(' ')})` : '';
      // The text as read, for a terminal: a tab or an escape sequence in it would break the columns or drive the screen.
      out.write(`${printable(input)}\t${form}\t${detail}${alternates}\n`);
    }
    first = false;
    // Standard input may be endless: stop at the first write that was lost.
    checkWritable(out);
  };

  if (options.numbers.length > 0) {
    for (const number of options.numbers) emit(number);
  } else {
    const { LineSplitter, readBytes } = await import('../io/source.js');
    const splitter = new LineSplitter((bytes, start, end) => emit(bytes.toString('utf8', start, end)), 1 << 20, '<stdin>');
    await readBytes({ name: '<stdin>', open: () => context.stdin, size: undefined }, (chunk) => splitter.push(chunk));
    splitter.end();
  }
  if (options.json) out.write(first ? '[]\n' : '\n]\n');
}

