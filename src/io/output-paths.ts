// An output never replaces what the user has: the registry (and its -wal, -shm and -journal files), the input, a
// key, or another output of the same run; nor any file that holds a database or a PEM key, whatever its name. Paths are compared as files, not as strings: two names are the same file
// when they resolve to the same device and inode (symbolic links and hard links included), and a file that does
// not exist yet is named by its folder's real path and its name. The null device collides with nothing: any number
// of outputs (and the input) may name it. Another device, a FIFO or a socket is not destroyed by a write, but two
// outputs written into one would cut each other's rows, so they are refused like two outputs naming one file; and an
// output that names standard output (/dev/stdout, /proc/self/fd/1) is refused while the rows or --json go there.

import fs from 'node:fs';
import path from 'node:path';
import { CallscrubError, usageError } from '../errors.js';
import { descriptorOf, isNullDevice, linkDestination } from './output-target.js';

export interface NamedPath {
  /** How the user named it: an option (`--out`) or what it is (`the registry`). */
  readonly role: string;
  /** The resolved path, or `-` (standard input or output). */
  readonly path: string;
  /** The path as the user typed it, for messages. */
  readonly name: string;
}

export interface StandardStreams {
  /** Standard input's descriptor when the input is `-`: a file redirected there is kept too. */
  readonly stdinFd?: number | undefined;
  /** Standard output's descriptor when the command writes there: a file it is redirected to is an output too. */
  readonly stdoutFd?: number | undefined;
}

/** Refuses (usage error, exit 2) an output that is one of the files to keep, or the same file as another output. */
export function checkOutputPaths(outputs: readonly NamedPath[], keep: readonly NamedPath[], streams: StandardStreams = {}): void {
  const kept = new Map<string, string>();
  for (const k of keep) {
    // A device is no file to destroy: /dev/stdin read and /dev/stdout written may be one terminal.
    if (k.path === '-' || isCharacterDevice(k.path)) continue;
    const id = fileIdentity(k.path);
    if (!kept.has(id)) kept.set(id, k.role);
    if (k.role === 'the registry') {
      for (const suffix of ['-wal', '-shm', '-journal']) kept.set(fileIdentity(k.path + suffix), `the registry's ${suffix.slice(1)} file`);
    }
  }
  const stdin = streams.stdinFd === undefined ? undefined : redirectedFile(streams.stdinFd);
  if (stdin !== undefined) kept.set(stdin, 'the input (standard input)');
  const written = new Map<string, string>();
  const stdout = streams.stdoutFd === undefined ? undefined : redirectedStream(streams.stdoutFd);
  if (stdout !== undefined && stdout.startsWith('file:')) {
    // `--out - >> prospects.csv` would read its own output for ever; `1<>callscrub.db` would write over the registry.
    const clash = kept.get(stdout.slice('file:'.length));
    if (clash !== undefined) throw usageError(`standard output is ${clash}: writing there would destroy it`, 'redirect standard output to another file');
    // Any database or key, whatever its name (`>> signer.key`): read back through the descriptor's own name (Linux).
    const precious = preciousContent(`/proc/self/fd/${streams.stdoutFd}`);
    if (precious !== undefined) throw usageError(`standard output is a file that holds ${precious}: writing there would destroy it`, 'redirect standard output to another file');
  }
  // A pipe or a file that carries the rows or the JSON takes no other output; a terminal shows both.
  if (stdout !== undefined && !stdout.startsWith('terminal:')) written.set(stdout.slice(stdout.indexOf(':') + 1), 'standard output');
  let dash: string | undefined;
  for (const out of outputs) {
    if (out.path === '-') {
      // `--out - --excluded -` would mix the excluded rows into the clean ones on one stream
      if (dash !== undefined) throw usageError(`${out.role} and ${dash} both name standard output (-)`, 'give each output its own file');
      dash = out.role;
      continue;
    }
    if (isNullDevice(out.path)) continue;
    if (streams.stdoutFd !== undefined && descriptorOf(out.path) === streams.stdoutFd) {
      throw usageError(`${out.role} ${out.name} is standard output, where this run already writes`, 'give it a file of its own');
    }
    const id = fileIdentity(out.path);
    const clash = kept.get(id);
    if (clash !== undefined) throw usageError(`${out.role} ${out.name} is ${clash}: writing it would destroy it`, 'write the output to another file');
    const precious = preciousContent(out.path);
    if (precious !== undefined) throw usageError(`${out.role} ${out.name} holds ${precious}: writing it would destroy it`, 'write the output to another file');
    const twin = written.get(id);
    if (twin !== undefined) throw usageError(`${out.role} and ${twin} name the same file (${out.name})`, 'give each output its own file');
    written.set(id, out.role);
  }
}

/**
 * What an existing file holds that no output may replace, whatever its name: a database (any registry, not only the
 * one in use) or a key.
 */
function preciousContent(file: string): string | undefined {
  // No such file, or not readable (the write will say so).
  const head = headOf(file, 16)?.toString('latin1');
  if (head === undefined) return undefined;
  if (head.startsWith('SQLite format 3')) return 'an SQLite database (a registry?)';
  if (head.startsWith('-----BEGIN')) return 'a PEM key or certificate';
  return undefined;
}

/**
 * The first `bytes` bytes of a regular file; undefined for no such file, one that cannot be read, or no regular file
 * (opening a FIFO to read would wait for a writer, and reading a terminal for a keystroke).
 */
function headOf(file: string, bytes: number): Buffer | undefined {
  try {
    if (!fs.statSync(file).isFile()) return undefined;
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(bytes);
      return head.subarray(0, fs.readSync(fd, head, 0, bytes, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/**
 * Refuses (usage error, exit 2) to replace an existing file unless it is empty or its first 2 KiB hold `mark`, the
 * sign of a file this program wrote; an unreadable one is refused too. A folder that does not exist is an I/O error
 * (exit 1), found before any work. `what` names the output (`--html page.html`, `standard output`).
 */
export function checkReplaceable(file: string, what: string, mark: string, hint: string): void {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) {
    if (fs.statSync(path.dirname(file), { throwIfNoEntry: false })?.isDirectory() !== true) {
      throw new CallscrubError('io', `the folder of ${what} does not exist`, { hint: 'create it, or name another file' });
    }
    return;
  }
  if (!stat.isFile() || stat.size === 0) return;
  if (headOf(file, 2048)?.toString('utf8').includes(mark) !== true) {
    throw usageError(`${what} is a file that callscrub did not write: writing it would destroy it`, hint);
  }
}

function isCharacterDevice(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isCharacterDevice() === true;
}

/** `dev:ino` of the regular file a descriptor is open on, if it is one. */
function redirectedFile(fd: number): string | undefined {
  const stream = redirectedStream(fd);
  return stream?.startsWith('file:') ? stream.slice('file:'.length) : undefined;
}

/** `dev:ino` of what a descriptor is open on, after what it is: `file:`, `terminal:` (a device) or `stream:`. */
function redirectedStream(fd: number): string | undefined {
  try {
    const stat = fs.fstatSync(fd);
    const kind = stat.isFile() ? 'file' : stat.isCharacterDevice() ? 'terminal' : stat.isFIFO() || stat.isSocket() ? 'stream' : undefined;
    return kind === undefined ? undefined : `${kind}:${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/** `dev:ino` of an existing file (links followed); `new:` and the real folder and name of one to be created. */
function fileIdentity(file: string, links = 0): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    // A link to a file not written yet is that file: `--excluded ex.csv` linked to `clean.csv` would write into it.
    const target = links < 40 ? linkTarget(file) : undefined;
    if (target !== undefined) return fileIdentity(target, links + 1);
    let folder = path.dirname(file);
    try {
      folder = fs.realpathSync(folder);
    } catch {
      // a folder that does not exist: the write will fail with its own message
    }
    // Without case or Unicode form: on the disks of Windows and macOS, clean.xlsx and CLEAN.XLSX are one file, and
    // so are café.csv written with é and with e and a combining accent.
    return `new:${path.join(folder, path.basename(file)).normalize('NFC').toLowerCase()}`;
  }
}

function linkTarget(file: string): string | undefined {
  try {
    return linkDestination(file);
  } catch {
    return undefined;
  }
}
