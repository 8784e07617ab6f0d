// The installed package: its root folder (found by walking up to callscrub's package.json: the build runs from
// dist/src, the tests from src), its version, and the sample files it ships.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CallscrubError } from './errors.js';

let root: string | null | undefined;
let version: string | undefined;

/** The folder holding callscrub's package.json, or undefined in an installation without one. */
export function packageRoot(): string | undefined {
  if (root !== undefined) return root ?? undefined;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'callscrub') {
        version = pkg.version;
        return (root = dir);
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      root = null;
      return undefined;
    }
    dir = parent;
  }
}

export function toolVersion(): string {
  packageRoot();
  return version ?? 'unknown';
}

/** The folder of the shipped sample files. */
export function fixturesDir(): string {
  const dir = packageRoot();
  const fixtures = dir === undefined ? undefined : path.join(dir, 'fixtures');
  if (fixtures === undefined || !fs.existsSync(path.join(fixtures, 'bloctel-sample.txt'))) {
    throw new CallscrubError('io', 'the sample files (fixtures/) are missing from this installation');
  }
  return fixtures;
}
