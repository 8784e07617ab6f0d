// The command line: wires the subcommands to commander, turns every failure into one line on stderr and an exit
// code (see README, "Exit codes"), and is the only place that ends the process.

import { Command, CommanderError } from 'commander';
import type { Context } from './context.js';
import { CallscrubError, ExitCode } from './errors.js';
import { toolVersion } from './package.js';
import { cannotWrite, OutputWatch, readerWentAway, stoppedByReader } from './io/standard-output.js';
import { removeTemporaries } from './io/atomic-file.js';
import { printable } from './ui/printable.js';
import * as demo from './commands/demo.js';
import * as normalize from './commands/normalize.js';
import * as scrub from './commands/scrub.js';
import * as keygen from './commands/keygen.js';
import * as verify from './commands/verify.js';
import * as reportShow from './commands/report-show.js';
import * as reportHtml from './commands/report-html.js';
import * as registryImport from './commands/registry-import.js';
import * as registryStatus from './commands/registry-status.js';
import * as registryVersions from './commands/registry-versions.js';
import * as registryCheck from './commands/registry-check.js';
import * as registryPrune from './commands/registry-prune.js';
import * as history from './commands/history.js';
import * as when from './commands/when.js';


const overview = `
Exit codes: 0 ok, 1 failure (bad input, I/O, data), 2 usage error, 3 compliance precondition not met (stale or
missing list), 4 verification failed, 5 a number may not be called now (when --check), 130 or 143 interrupted
(SIGINT, SIGTERM).

Start with:
  callscrub demo                                   try it on the shipped sample files
  callscrub registry import FILE --list bloctel    load an opposition list
  callscrub registry status                        see each list's age`;

/**
 * Runs callscrub with `argv` (without node and the script); resolves to the exit code, decided once standard
 * output has taken everything: a run whose output was lost (a full disk) fails, one whose reader went away does not.
 */
export async function run(argv: readonly string[], context: Context, onCommandDone?: (code: ExitCode) => void): Promise<ExitCode> {
  const output = new OutputWatch(context.stdout);
  const code = await runCommand(argv, context);
  onCommandDone?.(code);
  const lost = await output.settle();
  if (lost === undefined) return code;
  if (readerWentAway(lost)) return ExitCode.ok;
  // A command that failed has said why in its one line (often this very write).
  return code === ExitCode.ok ? report(cannotWrite(lost), context) : code;
}

async function runCommand(argv: readonly string[], context: Context): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.ok;
  const fail = (error: unknown): void => {
    // A command stopped because its reader went away (`| head`) has done all anyone wanted.
    exitCode = stoppedByReader(error) ? ExitCode.ok : report(error, context);
  };
  const guard = async (work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      fail(error);
    }
  };

  const program = new Command('callscrub')
    .description('Scrub call lists against national do-not-call registries, with signed, replayable reports.')
    .version(toolVersion(), '-V, --version')
    .addHelpText('after', overview)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      // Usage errors become our one-line form, printed by report().
      outputError: () => undefined,
    });
  program.configureHelp({ sortSubcommands: false });

  scrub.define(program, context, guard);
  verify.define(program, context, guard);
  reportHtml.define(reportShow.define(program, context, guard), context, guard);
  keygen.define(program, context, guard);
  demo.define(program, context, guard, run);
  normalize.define(program, context, guard);
  const registry = program.command('registry').description('load opposition lists and inspect the registry');
  registry.exitOverride();
  registryImport.define(registry, context, guard);
  registryStatus.define(registry, context, guard);
  registryVersions.define(registry, context, guard);
  registryCheck.define(registry, context, guard);
  registryPrune.define(registry, context, guard);
  history.define(program, context, guard);
  when.define(program, context, guard);
  for (const command of [...program.commands, ...registry.commands, ...program.commands.flatMap((c) => c.commands)]) {
    command.exitOverride();
    command.configureOutput({ writeOut: (t) => context.stdout.write(t), writeErr: (t) => context.stderr.write(t), outputError: () => undefined });
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return ExitCode.ok; // --help, --version
      // A command group run without a subcommand has printed its help on stderr already.
      if (error.code !== 'commander.help') {
        // One line: commander puts its "(Did you mean ...?)" on a line of its own.
        const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
        context.stderr.write(`callscrub: ${printable(message)} (see 'callscrub --help')\n`);
      }
      return ExitCode.usage;
    }
    fail(error);
  }
  return exitCode;
}

/** Prints an error as one line (a stack trace only for a bug) and gives its exit code. */
export function report(error: unknown, context: Context): ExitCode {
  if (error instanceof CallscrubError) {
    // printable(): a name from a file or the command line may hold a line break or a terminal escape sequence.
    context.stderr.write(`callscrub: ${printable(error.toLine())}\n`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  context.stderr.write(`callscrub: internal error, please report it with the command you ran:\n${stack}\n`);
  return ExitCode.failure;
}

/** Ends the process now, removing the temporary files of the outputs it was writing. */
function exitNow(code: number): never {
  removeTemporaries();
  process.exit(code);
}

/** Runs callscrub as the process: context from the real process, exit with the code once output is flushed. */
export async function main(): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // A reader that went away (`callscrub ... | head`) is not a failure, and there is no one left to work for.
    // Any other error is remembered by run(), which makes it the exit code once the command ends.
    if (readerWentAway(error)) exitNow(ExitCode.ok);
  });
  // Interrupted (Ctrl-C, a service stopping): what was being written is dropped, nothing appears under a final
  // name, an import's transaction is never committed, and the exit code says which signal (128 + its number).
  // A signal that arrived during the command's last synchronous step (an import's commit, a scrub's renames) is
  // only seen once that step is done: the work is then whole, and the exit code says so.
  let done: ExitCode | undefined;
  const interrupted = (code: number) => () => exitNow(done ?? code);
  process.once('SIGINT', interrupted(130));
  process.once('SIGTERM', interrupted(143));

  const interactive = process.stderr.isTTY === true;
  const code = await run(process.argv.slice(2), {
    cwd: process.cwd(),
    stdin: process.stdin,
    stdinFd: 0,
    stdoutFd: 1,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive,
    color: interactive && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb',
    now: () => new Date(),
    defaultDb: process.env.CALLSCRUB_DB || undefined,
    keyPassphrase: process.env.CALLSCRUB_KEY_PASSPHRASE || undefined,
    blockBytes: /^[1-9]\d{0,9}$/.test(process.env.CALLSCRUB_BLOCK_BYTES ?? '') ? Number(process.env.CALLSCRUB_BLOCK_BYTES) : undefined,
  }, (code) => {
    done = code;
  });
  // Exit once what was written has been flushed: process.exit() can cut a piped stdout short.
  process.stdout.write('', () => process.exit(code));
}
