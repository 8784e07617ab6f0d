// Names taken from files (headers, list names, file names) are printed without terminal escape sequences.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printable } from '../src/ui/printable.js';

const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('printable', () => {
  it('shows a CSI sequence in a CSV header (ESC [2J clears the screen) as a visible escape', () => {
    expect(printable('Nom\u001b[2J\u001b[1;1HTéléphone')).toBe('Nom\\u001b[2J\\u001b[1;1HTéléphone');
  });

  it('shows C1 controls (CSI as one byte, U+009B), line breaks, tabs and DEL', () => {
    expect(printable('a\u009b31mb\r\n\t\u007f')).toBe('a\\u009b31mb\\u000d\\u000a\\u0009\\u007f');
  });

  it('shows bidirectional overrides and isolates, which reorder what the user reads', () => {
    expect(printable('list\u202egpj.exe')).toBe('list\\u202egpj.exe');
    expect(printable('\u2066x\u2069\u200f\u061c')).toBe('\\u2066x\\u2069\\u200f\\u061c');
  });

  it('leaves ordinary names, accents and other scripts as they are', () => {
    for (const name of ['bloctel', 'Téléphone', 'Numéro de téléphone', 'Handy-Nr.', '電話', 'تلفن']) expect(printable(name)).toBe(name);
  });

  it('never lets a control or bidi character through', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => !unsafe.test(printable(text))));
  });
});

describe('lines callscrub prints', () => {
  it('show a file name holding an escape sequence or a line break escaped, on one line', async () => {
    const { Workdir } = await import('./workdir.js');
    const wrk = Workdir.create();
    try {
      const outcome = await wrk.run(['registry', 'import', 'list\u001b[2J\n.txt', '--list', 'bloctel']);
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toBe('callscrub: list\\u001b[2J\\u000a.txt: cannot read the file: no such file or directory (check the path)\n');
      const option = await wrk.run(['normalize', '--\u001b]0;x\u0007']);
      expect(option.code).toBe(2);
      expect(option.stderr).toBe("callscrub: unknown option '--\\u001b]0;x\\u0007' (see 'callscrub --help')\n");
    } finally {
      wrk.remove();
    }
  });

  it('show the text normalize read, in its plain output, with its tab and escape sequence escaped', async () => {
    const { Workdir } = await import('./workdir.js');
    const wrk = Workdir.create();
    try {
      const outcome = await wrk.run(['normalize'], { stdin: '06 12 34 56 78\t\u001b[2J\n' });
      expect(outcome.code).toBe(0);
      expect(outcome.stdout).toMatch(/^06 12 34 56 78\\u0009\\u001b\[2J\t/);
    } finally {
      wrk.remove();
    }
  });
});
