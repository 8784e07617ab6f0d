// A fresh clone runs `npm test` with nothing beside it: no source, test or bench file reaches outside the repository
// for data (the phone corpus used to be read from the shared folder beside the project).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './workdir.js';

// Built from parts so that this file does not match itself: a relative path up into the shared folder.
const outsidePath = new RegExp(['\\.\\./shared', "'\\.\\.', *'shared'"].join('|'));

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : /\.(ts|js|mjs)$/.test(entry.name) ? [file] : [];
  });
}

describe('a fresh clone', () => {
  it('reads no file outside the repository (no path into the shared folder in src, test or bench)', () => {
    const outside = ['src', 'test', 'bench']
      .flatMap((dir) => filesUnder(path.join(projectRoot, dir)))
      .filter((file) => outsidePath.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(projectRoot, file));
    expect(outside).toEqual([]);
  });

  it('holds the phone corpus the normalizer tests read, with its README', () => {
    expect(fs.existsSync(path.join(projectRoot, 'test/corpora/phone-cases.tsv'))).toBe(true);
    expect(fs.readFileSync(path.join(projectRoot, 'test/corpora/README.md'), 'utf8')).toMatch(/Source: google\/libphonenumber/);
  });
});
