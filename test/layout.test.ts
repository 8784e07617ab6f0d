// The code's layout as the README describes it ("How the code is laid out"): no import cycle (madge, reading the
// TypeScript sources, type-only imports included), and no import that runs back up a layer.

import path from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './workdir.js';

// Each folder may import from the folders after it, never from those before it (src/*.ts files are the base).
const layers = ['commands', 'page', 'report', 'scrub', 'registry', 'rules', 'numbers', 'csv', 'workbook', 'phone', 'io', 'ui'];

describe('the layout of src/', async () => {
  const graph = await madge(path.join(projectRoot, 'src'), {
    fileExtensions: ['ts'],
    tsConfig: path.join(projectRoot, 'tsconfig.json'),
  });

  it('has no import cycle', () => {
    expect(graph.circular()).toEqual([]);
  });

  it('has no import that runs back up a layer', () => {
    const layerOf = (file: string) => {
      const folder = file.includes('/') ? file.split('/')[0] : undefined;
      return folder === undefined ? layers.length : layers.indexOf(folder as string);
    };
    const upward = Object.entries(graph.obj()).flatMap(([file, imports]) =>
      imports.filter((imported) => layerOf(imported) < layerOf(file) && !(file === 'cli.ts' || file === 'main.ts')).map((imported) => `${file} -> ${imported}`),
    );
    expect(upward).toEqual([]);
  });
});
