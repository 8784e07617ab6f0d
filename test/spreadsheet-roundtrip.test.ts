// A prospect file written by Python's csv module, opened and saved again by a real spreadsheet program (Gnumeric's
// ssconvert, from Debian's packages; .ci/run installs it), as call-centre staff do with Excel: numbers lose their
// leading zero, long ones become 5.907E+11. No listed number may reach the clean file, whatever the other column
// holds. Skipped, saying why, where python3 or ssconvert is missing.

import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daysAgo, Workdir } from './workdir.js';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const missing = ['python3', 'ssconvert'].filter((c) => !has(c));
if (missing.length > 0) console.warn(`spreadsheet round trip skipped: ${missing.join(' and ')} not installed (apt-get install gnumeric python3)`);

let wrk: Workdir;
beforeEach(() => {
  wrk = Workdir.create();
});
afterEach(() => wrk.remove());

// 3,000 rows: a landline or overseas number (half of them listed) in one of the notations CRMs export, and a
// callable mobile in the other column. Rows are keyed by name so that each can be followed through the round trip.
const writer = `
import csv, random, sys
random.seed(8)
listed, rows = [], [['nom', 'telephone', 'portable']]
for i in range(3000):
    kind = random.random()
    if kind < 0.5:
        national = '05364%05d' % random.randrange(100000)
        e164 = '33' + national[1:]
    else:
        national = '0690%06d' % random.randrange(1000000)
        e164 = '590' + national[1:]
    notation = random.choice([national, e164, '+' + e164, national[1:], ' '.join(national[j:j + 2] for j in range(0, 10, 2))])
    if random.random() < 0.5:
        listed.append((f'r{i}', national))
    rows.append([f'r{i}', notation, '07 81 %02d %02d %02d' % (random.randrange(100), random.randrange(100), random.randrange(100))])
with open('prospects.csv', 'w', newline='') as f:
    csv.writer(f).writerows(rows)
with open('listed.txt', 'w') as f:
    f.write('\\n'.join(n for _, n in listed) + '\\n')
with open('listed-rows.txt', 'w') as f:
    f.write('\\n'.join(r for r, _ in listed) + '\\n')
`;

describe.skipIf(missing.length > 0)('a prospect file saved again by a spreadsheet program', () => {
  it('leaves no listed number in the clean file, though some became 5.907E+11 (unreadable)', async () => {
    const run = (command: string, args: string[]) => {
      const result = spawnSync(command, args, { cwd: wrk.dir, encoding: 'utf8' });
      expect(result.status, `${command} ${args.join(' ')}: ${result.stderr}`).toBe(0);
    };
    wrk.write('write.py', writer);
    run('python3', ['write.py']);
    // Open the CSV and save it as a workbook, then save the workbook as CSV with the cells as displayed.
    run('ssconvert', ['prospects.csv', 'prospects.xlsx']);
    run('ssconvert', ['-T', 'Gnumeric_stf:stf_assistant', '-O', 'format=preserve separator=, eol=windows', 'prospects.xlsx', 'saved.csv']);
    const saved = wrk.read('saved.csv');
    expect(saved).toMatch(/E\+1[01]/); // the damage is there

    const imported = await wrk.run(['registry', 'import', 'listed.txt', '--list', 'bloctel', '--as-of', daysAgo(1), '--covers', '33,590', '--quiet']);
    expect(imported.code).toBe(0);
    const outcome = await wrk.run(['scrub', 'saved.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--invalid', 'invalid.csv', '--json']);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const summary = JSON.parse(outcome.stdout);
    expect(summary.rowsIn).toBe(3000);
    expect(summary.rowsClean + summary.rowsExcluded + summary.rowsInvalid).toBe(3000);
    expect(summary.byReason.unreadable).toBeGreaterThan(0);

    const listedRows = new Set(wrk.read('listed-rows.txt').split('\n').filter((r) => r.length > 0));
    const cleanRows = wrk.read('clean.csv').split(/\r?\n/).slice(1).filter((l) => l.length > 0).map((l) => l.split(',')[0] as string);
    const leaked = cleanRows.filter((r) => listedRows.has(r));
    expect(leaked).toEqual([]);
  });
});
