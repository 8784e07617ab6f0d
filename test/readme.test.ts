// The README's examples are run: every ```console block's `$ callscrub ...` commands run in order in one scratch
// folder holding the sample files, on a fixed date, and their output must be what the README shows. Run with
// UPDATE_README=1 to rewrite the blocks from real output after a deliberate change.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir } from '../src/package.js';
import { projectRoot, Workdir } from './workdir.js';

const readmePath = path.join(projectRoot, 'README.md');
/** The tour's "today". */
const now = new Date('2026-11-22T12:00:00Z');

interface Block {
  start: number; // index in the README text of the block body
  end: number;
  commands: Array<{ argv: string[]; expected: string }>;
}

function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const fence = /```console\n([\s\S]*?)```/g;
  for (let match = fence.exec(text); match !== null; match = fence.exec(text)) {
    const body = match[1] as string;
    const start = match.index + '```console\n'.length;
    const commands: Block['commands'] = [];
    for (const line of body.split('\n')) {
      if (line.startsWith('$ ')) commands.push({ argv: shellWords(line.slice(2)), expected: '' });
      else if (commands.length > 0) (commands[commands.length - 1] as { expected: string }).expected += `${line}\n`;
    }
    for (const c of commands) c.expected = c.expected.replace(/\n+$/, '\n');
    blocks.push({ start, end: start + body.length, commands });
  }
  return blocks;
}

/** Splits a command line as a POSIX shell would for the simple quoting the README uses. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      word += line.slice(i + 1, close);
      i = close;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      while (line[j] !== '"') {
        if (line[j] === '\\') j++;
        word += line[j];
        j++;
      }
      i = j;
      inWord = true;
    } else if (c === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** What varies from run to run: elapsed times and rates, and where the scratch folder is. */
function stable(text: string, dir: string): string {
  return text
    .replace(/ in \d+\.\d s\b/g, ' in 0.0 s')
    .replace(/\([\d,]+ rows\/s\)/g, '(1,000 rows/s)')
    // A new key each run: its id.
    .replace(/^[0-9a-f]{64}$/gm, '9f2c'.padEnd(64, '0'))
    .replace(/key [0-9a-f]{16}/g, `key ${'9f2c'.padEnd(16, '0')}`)
    .replace(/key [0-9a-f]{64}/g, `key ${'9f2c'.padEnd(64, '0')}`)
    .replace(/"elapsedMs": \d+/g, '"elapsedMs": 0')
    .split(dir)
    .join('/srv/campaign');
}

describe('README', () => {
  const text = fs.readFileSync(readmePath, 'utf8');
  const blocks = parseBlocks(text);
  const wrk = Workdir.create();
  current = wrk;
  for (const name of fs.readdirSync(fixturesDir())) fs.copyFileSync(path.join(fixturesDir(), name), wrk.path(name));
  afterAll(() => wrk.remove());

  it('has a quick start and a tour', () => {
    expect(text).toMatch(/## Quick start\n/);
    expect(text).toContain('npm install && npx callscrub demo');
    expect(blocks.length).toBeGreaterThan(3);
  });

  it('shows the real output of every example', async () => {
    let updated = text;
    const actualBodies: string[] = [];
    for (const block of blocks) {
      let body = '';
      for (const command of block.commands) {
        const output = stable(await runExample(command.argv), wrk.dir);
        body += `$ ${formatCommand(command.argv)}\n${output}`;
        if (process.env.UPDATE_README === undefined) expect(output, `$ ${command.argv.join(' ')}`).toBe(command.expected);
      }
      actualBodies.push(body);
    }
    if (process.env.UPDATE_README !== undefined) {
      // From the last block back, so that rewriting one keeps the offsets of those before it.
      for (let i = blocks.length - 1; i >= 0; i--) {
        const block = blocks[i] as Block;
        updated = updated.slice(0, block.start) + (actualBodies[i] as string) + updated.slice(block.end);
      }
      fs.writeFileSync(readmePath, updated);
    }
  });
});

/** Runs a README command: callscrub in-process on the tour's date, or `iconv -f windows-1252 -t utf-8 FILE`. */
async function runExample(argv: string[]): Promise<string> {
  const wrk = current as Workdir;
  if (argv[0] === 'iconv' && argv[1] === '-f' && argv[3] === '-t' && argv[4] === 'utf-8' && argv[5] !== undefined) {
    const iconv = (await import('iconv-lite')).default;
    return iconv.decode(fs.readFileSync(wrk.path(argv[5])), argv[2] as string).replace(/\r\n/g, '\n');
  }
  expect(argv[0]).toBe('callscrub');
  const outcome = await wrk.run(argv.slice(1), { now });
  return outcome.stdout + outcome.stderr;
}

let current: Workdir | undefined;

function formatCommand(argv: string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : a.includes("'") ? `"${a}"` : `'${a}'`))
    .join(' ');
}
