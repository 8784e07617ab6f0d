// The one error type of callscrub. Every failure a user can cause ends as a CallscrubError with a code from a
// closed set, the exit code it maps to, and where it happened; main.ts prints it as one line on stderr.
// Exit codes are a documented contract (README, "Exit codes"): 0 ok, 1 failure, 2 usage, 3 compliance precondition
// not met, 4 verification failed, 5 a number may not be called now (`when --check`, a dialer's pre-call hook).

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  compliance: 3,
  verification: 4,
  /** `when --check`: some number may not be called at the instant asked about. */
  notCallable: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | 'usage' // bad or missing option, unknown command
  | 'input' // bad input data: empty, binary, no valid number, wrong shape
  | 'io' // a file could not be read or written
  | 'database' // the registry database is not usable (not ours, newer schema, locked, corrupt)
  | 'conflict' // the registry refuses a change that would lose or misdate data
  | 'compliance' // a compliance precondition is not met (stale or missing list)
  | 'verification' // a report or a file failed verification
  | 'not-callable' // when --check: a number may not be called at that instant (an answer, not a fault)
  | 'internal'; // a bug in callscrub

const exitCodes: Record<ErrorCode, ExitCode> = {
  usage: ExitCode.usage,
  input: ExitCode.failure,
  io: ExitCode.failure,
  database: ExitCode.failure,
  conflict: ExitCode.failure,
  compliance: ExitCode.compliance,
  verification: ExitCode.verification,
  'not-callable': ExitCode.notCallable,
  internal: ExitCode.failure,
};

export interface ErrorContext {
  /** The file the problem is in, as the user named it. */
  file?: string;
  /** 1-based line number in that file. */
  line?: number;
  /** What the user can do about it, shown in parentheses. */
  hint?: string;
  cause?: unknown;
}

export class CallscrubError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'CallscrubError';
    this.code = code;
    this.exitCode = exitCodes[code];
    this.file = context.file;
    this.line = context.line;
    this.hint = context.hint;
  }

  /** Where it happened, as the one line starts: `<file>:<line>: `, `<file>: ` or nothing. */
  where(): string {
    if (this.file === undefined) return '';
    return this.line === undefined ? `${this.file}: ` : `${this.file}:${this.line}: `;
  }

  /** The one line the user sees: `<file>:<line>: <what is wrong> (<what to do>)`. */
  toLine(): string {
    const hint = this.hint === undefined ? '' : ` (${this.hint})`;
    return `${this.where()}${this.message}${hint}`;
  }
}

export function usageError(message: string, hint?: string): CallscrubError {
  return new CallscrubError('usage', message, hint === undefined ? {} : { hint });
}

/** Turns a Node file-system error into the project's error, naming the file. */
export function ioError(error: unknown, file: string, doing: string): CallscrubError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, [string, string]> = {
    ENOENT: ['no such file or directory', 'check the path'],
    EACCES: ['permission denied', 'check the file permissions'],
    EPERM: ['operation not permitted', 'check the file permissions'],
    EISDIR: ['is a directory', 'name a file'],
    ENOTDIR: ['a part of the path is not a directory', 'check the path'],
    ENOSPC: ['no space left on the device', 'free some space and run again'],
    EDQUOT: ['disk quota exceeded', 'free some space and run again'],
    EROFS: ['read-only file system', 'write somewhere else'],
    EEXIST: ['already exists', 'choose another name or remove the file'],
    EMFILE: ['too many open files', 'raise the open-file limit'],
  };
  const [what, hint] = (code !== undefined && reasons[code]) || [
    error instanceof Error ? error.message : String(error),
    'check the path and try again',
  ];
  return new CallscrubError('io', `cannot ${doing}: ${what}`, { file, hint, cause: error });
}
