// The tool's own version, read from its package.json (found by walking up: the build runs from dist/src, the tests
// from src).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let version: string | undefined;

export function toolVersion(): string {
  if (version !== undefined) return version;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'callscrub' && pkg.version !== undefined) return (version = pkg.version);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return (version = 'unknown');
    dir = parent;
  }
}
