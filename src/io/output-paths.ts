// An output never replaces what the user has: the registry (and its -wal, -shm and -journal files), the input, a
// key, or another output of the same run. Paths are compared as files, not as strings: two names are the same file
// when they resolve to the same device and inode (symbolic links and hard links included), and a file that does
// not exist yet is named by its folder's real path and its name.

import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';

export interface NamedPath {
  /** How the user named it: an option (`--out`) or what it is (`the registry`). */
  readonly role: string;
  /** The resolved path, or `-` (standard input or output). */
  readonly path: string;
  /** The path as the user typed it, for messages. */
  readonly name: string;
}

/**
 * Refuses (usage error, exit 2) an output that is one of the files to keep, or the same file as another output.
 * `stdinFd` is standard input's descriptor when the input is `-`: a file redirected there is kept too.
 */
export function checkOutputPaths(outputs: readonly NamedPath[], keep: readonly NamedPath[], stdinFd?: number): void {
  const kept = new Map<string, string>();
  for (const k of keep) {
    if (k.path === '-') continue;
    const id = fileIdentity(k.path);
    if (!kept.has(id)) kept.set(id, k.role);
    if (k.role === 'the registry') {
      for (const suffix of ['-wal', '-shm', '-journal']) kept.set(fileIdentity(k.path + suffix), `the registry's ${suffix.slice(1)} file`);
    }
  }
  if (stdinFd !== undefined) {
    try {
      const stat = fs.fstatSync(stdinFd);
      if (stat.isFile()) kept.set(`${stat.dev}:${stat.ino}`, 'the input (standard input)');
    } catch {
      // not a file: nothing to protect
    }
  }
  const written = new Map<string, string>();
  for (const out of outputs) {
    if (out.path === '-') continue;
    const id = fileIdentity(out.path);
    const clash = kept.get(id);
    if (clash !== undefined) throw usageError(`${out.role} ${out.name} is ${clash}: writing it would destroy it`, 'write the output to another file');
    const twin = written.get(id);
    if (twin !== undefined) throw usageError(`${out.role} and ${twin} name the same file (${out.name})`, 'give each output its own file');
    written.set(id, out.role);
  }
}

/** `dev:ino` of an existing file (links followed); `new:` and the real folder and name of one to be created. */
function fileIdentity(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    let folder = path.dirname(file);
    try {
      folder = fs.realpathSync(folder);
    } catch {
      // a folder that does not exist: the write will fail with its own message
    }
    return `new:${path.join(folder, path.basename(file))}`;
  }
}
