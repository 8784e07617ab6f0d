// What an output's name leads to, decided before anything is written. A regular file (or a name still free) is
// replaced by a rename, and a symbolic link is followed to that file so that the rename keeps the link. A device, a
// FIFO or a socket is written in place: renamed over, /dev/null would become a file holding the clean rows and
// /dev/stderr a file nobody reads (a hostile test pass, run as root). So is a name for a descriptor (/dev/stdout,
// /dev/fd/N, /proc/self/fd/N), whatever it is open on: a rename would pull the file out from under the descriptor
// and, after `>>`, throw away what the file held. A name for one of this process's descriptors is written through
// that very descriptor, as a shell does: it shares its offset with what else this run writes there (the summary on
// standard error), and it may be a socket, which no open() reaches (ENXIO).

import fs from 'node:fs';
import path from 'node:path';

export type OutputTarget =
  /** Written under a temporary name beside `path`, then renamed over it. */
  | { readonly kind: 'replace'; readonly path: string }
  /** Written as it goes, no temporary file, no rename: through `descriptor` of this process, or `path` opened anew. */
  | { readonly kind: 'in-place'; readonly path: string; readonly descriptor: number | undefined; readonly regular: boolean };

/** The most links followed, as the kernel does (ELOOP beyond). */
const maxLinks = 40;

/** How `file` is to be written; throws a system error (EISDIR, ELOOP, ENOTBLK) for what no output may be. */
export function outputTarget(file: string): OutputTarget {
  let current = file;
  for (let links = 0; links <= maxLinks; links++) {
    const named = descriptorNamed(current);
    if (named !== undefined) {
      const stat = fs.statSync(current);
      refuseUnwritable(stat, file);
      return { kind: 'in-place', path: current, descriptor: named.own ? named.fd : undefined, regular: stat.isFile() };
    }
    const stat = fs.lstatSync(current, { throwIfNoEntry: false });
    if (stat === undefined || stat.isFile()) return { kind: 'replace', path: current };
    if (stat.isSymbolicLink()) {
      current = linkDestination(current);
      continue;
    }
    refuseUnwritable(stat, file);
    return { kind: 'in-place', path: current, descriptor: undefined, regular: false };
  }
  throw systemError('ELOOP', 'too many levels of symbolic links');
}

/** Whether `file` is (or leads to) the null device: outputs there collide with nothing. */
export function isNullDevice(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isCharacterDevice()) return false;
    const nul = fs.statSync('/dev/null');
    return stat.rdev === nul.rdev;
  } catch {
    return false;
  }
}

/** The descriptor number that `file`, or a link on its way, names (/dev/stdout is 1), if any. */
export function descriptorOf(file: string): number | undefined {
  let current = file;
  for (let links = 0; links <= maxLinks; links++) {
    const named = descriptorNamed(current);
    if (named?.own === true) return named.fd;
    const stat = fs.lstatSync(current, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isSymbolicLink()) return undefined;
    try {
      current = linkDestination(current);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const standardNames: Record<string, number> = { '/dev/stdin': 0, '/dev/stdout': 1, '/dev/stderr': 2 };

/** The descriptor `file` names, and whether it is one of this process's (not another's, under /proc/PID). */
function descriptorNamed(file: string): { fd: number; own: boolean } | undefined {
  const standard = standardNames[file];
  if (standard !== undefined) return { fd: standard, own: true };
  const match = /^\/dev\/fd\/(\d+)$/.exec(file) ?? /^\/proc\/(self|thread-self|\d+)\/(?:task\/\d+\/)?fd\/(\d+)$/.exec(file);
  if (match === null) return undefined;
  const [owner, fd] = match.length === 2 ? ['self', match[1]] : [match[1], match[2]];
  return { fd: Number(fd), own: owner === 'self' || owner === 'thread-self' || Number(owner) === process.pid };
}

/** The folder of `file` with its links resolved, so that a relative link is read from where it really is. */
/**
 * Where a symbolic link leads, as the system follows it: its target read from the link's real folder, the folders on
 * the way resolved in order by the system's realpath (`sl/../c.csv` through a link `sl` to another folder is that
 * folder's parent's c.csv, not ./c.csv, which path.resolve would make of it by removing `sl/..` as text).
 */
export function linkDestination(link: string): string {
  const target = fs.readlinkSync(link);
  const joined = path.isAbsolute(target) ? target : `${realFolder(link)}${path.sep}${target}`;
  try {
    return path.join(fs.realpathSync.native(path.dirname(joined)), path.basename(joined));
  } catch {
    // a folder that does not exist: writing there fails with its own message
    return path.resolve(joined);
  }
}

function realFolder(file: string): string {
  try {
    return fs.realpathSync.native(path.dirname(file));
  } catch {
    return path.dirname(file);
  }
}

function refuseUnwritable(stat: fs.Stats, file: string): void {
  if (stat.isDirectory()) throw systemError('EISDIR', 'is a directory', file);
  // A CSV written over a disk's block device would destroy the disk.
  if (stat.isBlockDevice()) throw systemError('EINVAL', 'is a block device', file);
}

function systemError(code: string, message: string, file?: string): Error {
  return Object.assign(new Error(message), { code, path: file });
}
