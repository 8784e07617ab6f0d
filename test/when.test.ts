// `callscrub when` (issue 11): whether each number may be called at an instant and if not why and from when: a
// list, a refusal pause and a frequency cap from an imported call log, holidays (national and overseas) and the
// calling hours at their boundaries in the number's own zone (Paris, Réunion, Miquelon across DST), --check's exit
// 5, the JSON shape, numbers from standard input, and usage errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhenAnswer } from '../src/commands/when.js';
import { Workdir } from './workdir.js';

let w: Workdir;
// The lists and the call log are as they stood at the end of November 2026; every question is asked after that.
const importedAt = new Date('2026-11-30T18:00:00Z');
const asked = new Date('2026-12-01T09:00:00Z');

beforeAll(async () => {
  w = Workdir.create();
  w.write('bloctel.txt', ['0536491111', '0692999999'].join('\n'));
  w.write('optout.csv', 'telephone\n0199001212\n');
  // Local times of the dialer's clock (Paris). 0611111111: 4 attempts in 30 days, the first on a Wednesday at
  // 21:00; 0633333333: 3 only; 0622222222: refused on Wednesday 7 October.
  w.write(
    'calls.csv',
    [
      'telephone,date_appel,resultat',
      '0611111111,2026-11-04 21:00:00,pas de réponse',
      '0611111111,2026-11-12 10:30:00,occupé',
      '0611111111,2026-11-20 11:00:00,messagerie',
      '0611111111,2026-11-27 15:00:00,rappeler',
      '0633333333,2026-11-12 10:30:00,occupé',
      '0633333333,2026-11-20 11:00:00,messagerie',
      '0633333333,2026-11-27 15:00:00,rappeler',
      '0622222222,2026-10-07 11:00:00,refus',
    ].join('\n'),
  );
  const setup = [
    ['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', '2026-10-01', '--max-age', '400', '--covers', '33,262,508,590,594,596'],
    ['registry', 'import', 'optout.csv', '--list', 'optout', '--kind', 'internal'],
    ['history', 'import', 'calls.csv', '--timezone', 'Europe/Paris'],
  ];
  for (const argv of setup) {
    const outcome = await w.run([...argv, '--db', 'r.db', '--quiet'], { now: importedAt });
    expect(outcome, argv.join(' ')).toMatchObject({ code: 0, stderr: '' });
  }
});

afterAll(() => w.remove());

/** Asks about numbers at an instant; the answers, parsed from --json. */
async function when(numbers: string[], at: string, ...more: string[]): Promise<WhenAnswer[]> {
  const outcome = await w.run(['when', ...numbers, '--at', at, '--db', 'r.db', '--json', '--quiet', ...more], { now: asked });
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  return JSON.parse(outcome.stdout) as WhenAnswer[];
}

async function one(number: string, at: string): Promise<WhenAnswer> {
  return (await when([number], at))[0] as WhenAnswer;
}

describe('callscrub when', () => {
  describe('a number on a list', () => {
    it('is never callable: reason list, no next window, whatever the hour', async () => {
      const [listed, internal] = await when(['05 36 49 11 11', '01.99.00.12.12'], '2026-12-07T11:00:00+01:00');
      expect(listed).toMatchObject({ number: '+33536491111', callable: false, reason: 'list', detail: 'listed (bloctel v1)', timeZone: 'Europe/Paris', next: null });
      expect(internal).toMatchObject({ number: '+33199001212', callable: false, reason: 'list', detail: 'internal (optout v1)', next: null });
    });

    it('is unscreened where no opposition list covers it', async () => {
      expect(await one('+44 20 7946 0958', '2026-12-07T11:00:00+01:00')).toMatchObject({ callable: false, reason: 'unscreened', next: null });
    });
  });

  describe('calling hours in Paris', () => {
    it('on a Saturday: hours, next Monday 10:00 to 13:00', async () => {
      expect(await one('0612345678', '2026-12-05T11:00:00+01:00')).toEqual({
        input: '0612345678',
        number: '+33612345678',
        callable: false,
        reason: 'hours',
        detail: 'outside the fr calling hours, Saturday 2026-12-05 11:00 in Europe/Paris',
        timeZone: 'Europe/Paris',
        next: { start: '2026-12-07T10:00:00+01:00', end: '2026-12-07T13:00:00+01:00' },
      });
    });

    it.each([
      ['09:59', false, { start: '2026-12-07T10:00:00+01:00', end: '2026-12-07T13:00:00+01:00' }],
      ['10:00', true, { start: '2026-12-07T10:00:00+01:00', end: '2026-12-07T13:00:00+01:00' }],
      ['12:59', true, { start: '2026-12-07T12:59:00+01:00', end: '2026-12-07T13:00:00+01:00' }],
      ['13:00', false, { start: '2026-12-07T14:00:00+01:00', end: '2026-12-07T20:00:00+01:00' }],
      ['14:00', true, { start: '2026-12-07T14:00:00+01:00', end: '2026-12-07T20:00:00+01:00' }],
      ['19:59', true, { start: '2026-12-07T19:59:00+01:00', end: '2026-12-07T20:00:00+01:00' }],
      ['20:00', false, { start: '2026-12-08T10:00:00+01:00', end: '2026-12-08T13:00:00+01:00' }],
    ])('on a Monday at %s: callable %s, window %j', async (time, callable, next) => {
      const answer = await one('0612345678', `2026-12-07T${time}:00+01:00`);
      expect(answer).toMatchObject({ callable, reason: callable ? null : 'hours', next });
    });

    it('judges an instant given in another offset in the number\'s own time', async () => {
      expect(await one('0612345678', '2026-12-07T12:30:00Z')).toMatchObject({ callable: false, reason: 'hours', next: { start: '2026-12-07T14:00:00+01:00' } });
    });
  });

  describe('holidays', () => {
    it('on Christmas (a Friday): holiday, next window after the weekend', async () => {
      expect(await one('0612345678', '2026-12-25T11:00:00+01:00')).toMatchObject({
        callable: false,
        reason: 'holiday',
        detail: 'Noël (fr), Friday 2026-12-25 11:00 in Europe/Paris',
        next: { start: '2026-12-28T10:00:00+01:00', end: '2026-12-28T13:00:00+01:00' },
      });
    });

    it("on Réunion's 20 December: holiday for a 0692 and a 0262 number, in Réunion's time; not in Paris", async () => {
      const [mobile, fixed, paris] = await when(['0692 12 34 56', '0262 12 34 56', '0612345678'], '2026-12-20T11:00:00+04:00');
      for (const answer of [mobile, fixed]) {
        expect(answer).toMatchObject({ callable: false, reason: 'holiday', timeZone: 'Indian/Reunion', next: { start: '2026-12-21T10:00:00+04:00', end: '2026-12-21T13:00:00+04:00' } });
        expect(answer?.detail).toMatch(/^Abolition de l'esclavage/);
      }
      // The same instant is 08:00 on a Sunday in Paris: the hours, not the holiday.
      expect(paris).toMatchObject({ callable: false, reason: 'hours' });
    });

    it("on Mayotte's 27 April (a Tuesday): holiday for a 0639 number, and the day after is callable", async () => {
      expect(await one('0639 12 34 56', '2027-04-27T11:00:00+03:00')).toMatchObject({ reason: 'holiday', timeZone: 'Indian/Mayotte', next: { start: '2027-04-28T10:00:00+03:00' } });
      expect(await one('0639 12 34 56', '2027-04-28T11:00:00+03:00')).toMatchObject({ callable: true });
    });
  });

  describe('Saint-Pierre-et-Miquelon, with North American DST', () => {
    it('12:00 UTC is 10:00 in summer time (callable) and 09:00 once DST ends on 1 November (not yet)', async () => {
      expect(await one('+508 41 23 45', '2026-10-30T12:00:00Z')).toMatchObject({ callable: true, timeZone: 'America/Miquelon', next: { start: '2026-10-30T10:00:00-02:00', end: '2026-10-30T13:00:00-02:00' } });
      expect(await one('+508 41 23 45', '2026-11-02T12:00:00Z')).toMatchObject({ callable: false, reason: 'hours', next: { start: '2026-11-02T10:00:00-03:00' } });
    });

    it('is callable at 12:00 UTC again the Monday after DST starts (14 March 2027)', async () => {
      expect(await one('+508 41 23 45', '2027-03-12T12:00:00Z')).toMatchObject({ callable: false, next: { start: '2027-03-12T10:00:00-03:00' } });
      expect(await one('+508 41 23 45', '2027-03-15T12:00:00Z')).toMatchObject({ callable: true, next: { start: '2027-03-15T10:00:00-02:00' } });
    });
  });

  describe('the call history', () => {
    it('a 5th call in 30 days: frequency-cap, next the first window once the oldest attempt leaves the window', async () => {
      const capped = await one('0611111111', '2026-12-01T11:00:00+01:00');
      expect(capped).toMatchObject({ callable: false, reason: 'frequency-cap', timeZone: 'Europe/Paris' });
      expect(capped.detail).toBe('fr: 4 attempts, the cap is 4 in 30 days; may be called again from 2026-12-04T21:00:00+01:00');
      // The cap lets it be called from Friday 21:00: outside the hours, so the next window is Monday's.
      expect(capped.next).toEqual({ start: '2026-12-07T10:00:00+01:00', end: '2026-12-07T13:00:00+01:00' });
      expect(await one('0611111111', '2026-12-07T10:00:00+01:00')).toMatchObject({ callable: true });
    });

    it('a 4th call in 30 days is allowed', async () => {
      expect(await one('0633333333', '2026-12-01T11:00:00+01:00')).toMatchObject({ callable: true, reason: null });
    });

    it('a refusal: not callable on day 59 (refusal-pause, until day 60), callable on day 61', async () => {
      const paused = await one('0622222222', '2026-12-05T11:00:00+01:00');
      expect(paused).toMatchObject({ callable: false, reason: 'refusal-pause', detail: 'fr: refused on 2026-10-07; may be called again from 2026-12-06T10:00:00+01:00' });
      // Day 60 is a Sunday: the first window is Monday's.
      expect(paused.next).toEqual({ start: '2026-12-07T10:00:00+01:00', end: '2026-12-07T13:00:00+01:00' });
      expect(await one('0622222222', '2026-12-07T11:00:00+01:00')).toMatchObject({ callable: true });
    });

    it('a pause beats the hours', async () => {
      expect(await one('0622222222', '2026-12-05T21:00:00+01:00')).toMatchObject({ reason: 'refusal-pause' });
    });
  });

  describe('output', () => {
    it('--json: one object per number, in order, with the number as typed', async () => {
      const answers = await when(['0612345678', 'abc', '3949'], '2026-12-07T11:00:00+01:00');
      expect(answers.map((a) => Object.keys(a))).toEqual(Array(3).fill(['input', 'number', 'callable', 'reason', 'detail', 'timeZone', 'next']));
      expect(answers[0]).toEqual({ input: '0612345678', number: '+33612345678', callable: true, reason: null, detail: null, timeZone: 'Europe/Paris', next: { start: '2026-12-07T11:00:00+01:00', end: '2026-12-07T13:00:00+01:00' } });
      expect(answers.slice(1)).toEqual([
        { input: 'abc', number: null, callable: false, reason: 'invalid', detail: 'letters', timeZone: null, next: null },
        { input: '3949', number: null, callable: false, reason: 'invalid', detail: 'short-code', timeZone: null, next: null },
      ]);
    });

    it('a table by default, the number in E.164', async () => {
      const outcome = await w.run(['when', '06 12 34 56 78', '0536491111', '--at', '2026-12-05T11:00:00+01:00', '--db', 'r.db', '--quiet'], { now: asked });
      expect(outcome.code).toBe(0);
      expect(outcome.stdout.split('\n')).toEqual([
        expect.stringMatching(/^number +callable +reason +time zone +window +detail$/),
        expect.stringMatching(/^\+33612345678 +no +hours +Europe\/Paris +2026-12-07T10:00:00\+01:00\/2026-12-07T13:00:00\+01:00 +outside the fr calling hours/),
        expect.stringMatching(/^\+33536491111 +no +list +Europe\/Paris +- +listed \(bloctel v1\)$/),
        '',
      ]);
    });

    it('reads numbers from standard input, one a line, with -', async () => {
      const outcome = await w.run(['when', '-', '0612345678', '--at', '2026-12-07T11:00:00+01:00', '--db', 'r.db', '--json'], { now: asked, stdin: '0536491111\r\n\n 0633333333 \n' });
      expect(outcome.code).toBe(0);
      expect((JSON.parse(outcome.stdout) as WhenAnswer[]).map((a) => [a.number, a.callable])).toEqual([
        ['+33536491111', false],
        ['+33633333333', true],
        ['+33612345678', true],
      ]);
    });

    it('judges at now by default', async () => {
      // 2026-12-01T09:00Z is 10:00 on a Tuesday in Paris.
      const outcome = await w.run(['when', '0612345678', '--db', 'r.db', '--json', '--quiet'], { now: asked });
      expect(JSON.parse(outcome.stdout)).toMatchObject([{ callable: true, next: { start: '2026-12-01T10:00:00+01:00' } }]);
    });
  });

  describe('--check', () => {
    it('exits 5 when any number may not be called, saying how many on stderr without the numbers', async () => {
      const outcome = await w.run(['when', '0612345678', '0536491111', '--at', '2026-12-07T11:00:00+01:00', '--check', '--db', 'r.db'], { now: asked });
      expect(outcome.code).toBe(5);
      expect(outcome.stderr).toBe('callscrub: 1 of 2 numbers may not be called at 2026-12-07T10:00:00.000Z (see each reason on standard output)\n');
      expect(outcome.stderr).not.toMatch(/0536|536491111/);
      expect(outcome.stdout).toContain('+33536491111');
    });

    it('exits 0 when all may be called', async () => {
      const outcome = await w.run(['when', '0612345678', '0633333333', '--at', '2026-12-07T11:00:00+01:00', '--check', '--db', 'r.db', '--json'], { now: asked });
      expect(outcome).toMatchObject({ code: 0, stderr: '' });
    });

    it('exits 0 without --check whatever the answers', async () => {
      const outcome = await w.run(['when', '0536491111', '--at', '2026-12-07T11:00:00+01:00', '--db', 'r.db'], { now: asked });
      expect(outcome.code).toBe(0);
    });
  });

  describe('usage errors (exit 2)', () => {
    it.each([
      [['--at', '2026-12-07'], /--at takes an instant as ISO 8601 with its offset/],
      [['--at', '2026-12-07T11:00:00'], /--at takes an instant/],
      [['--rules', 'fr,xx'], /--rules takes fr, us, ca \(comma-separated\), not 'xx'/],
      [['--rules', ''], /--rules names no rule set/],
      [['--country', 'ZZ'], /--country takes a two-letter region code/],
    ])('%j', async (options, message) => {
      const outcome = await w.run(['when', '0612345678', ...options, '--db', 'r.db'], { now: asked });
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(message);
      expect(outcome.stdout).toBe('');
    });

    it('no number at all', async () => {
      const outcome = await w.run(['when', '--db', 'r.db'], { now: asked });
      expect(outcome.code).toBe(2);
    });

    it('no registry: exit 3, as for a scrub', async () => {
      const outcome = await w.run(['when', '0612345678', '--db', 'none.db'], { now: asked });
      expect(outcome.code).toBe(3);
    });
  });
});

// `when` reads only the chunks of each list and of the history that hold the numbers asked about: its answers must
// be those of a scrub, which reads everything, across chunk boundaries and for ambiguous 08/09 numbers.
describe('callscrub when, on lists and a history of many chunks', () => {
  const at = '2026-12-01T11:00:00+01:00';
  let big: Workdir;
  const listed: string[] = [];
  beforeAll(async () => {
    big = Workdir.create();
    // 200,000 mainland numbers (four chunks of 65,536), every other one of a range, and two ambiguous 09 numbers.
    for (let i = 0; i < 200_000; i++) listed.push(`01${String(10_000_000 + i * 2).slice(0, 8)}`);
    listed.push('0976123456', '0939123457');
    big.write('bloctel.txt', listed.join('\n'));
    // 3,000 numbers with 4 calls each: the merged history's chunks hold 1,024 attempts.
    const calls = ['telephone,date_appel,resultat'];
    for (let i = 0; i < 3000; i++) for (let k = 0; k < 4; k++) calls.push(`+336${String(20_000_000 + i).padStart(8, '0')},2026-11-${String(20 + k).padStart(2, '0')}T10:00:00Z,messagerie`);
    big.write('calls.csv', calls.join('\n'));
    for (const argv of [
      ['registry', 'import', 'bloctel.txt', '--list', 'bloctel', '--as-of', '2026-11-30', '--covers', '33,262,508,590,594,596'],
      ['history', 'import', 'calls.csv'],
    ]) {
      expect((await big.run([...argv, '--db', 'r.db', '--quiet'], { now: importedAt })).code).toBe(0);
    }
  }, 60_000);
  afterAll(() => big.remove());

  it('answers as a scrub does', async () => {
    const asked = [
      ...[0, 1, 65_535, 65_536, 65_537, 131_072, 199_999].map((i) => listed[i] as string),
      '0110000001', // between two listed numbers
      '+590 976 12 34 56', // listed only as another reading of 09 76 12 34 56
      '0976123456',
      '+33939123457',
      '+33620000000',
      '+33620001023',
      '+33620001024',
      '+33620002999',
      '+33620003000', // no calls
    ];
    big.write('prospects.csv', `telephone\n${asked.join('\n')}\n`);
    const scrub = await big.run(['scrub', 'prospects.csv', '--out', 'clean.csv', '--excluded', 'excluded.csv', '--rules', 'fr', '--db', 'r.db', '--quiet'], { now: new Date(at) });
    expect(scrub.code).toBe(0);
    // A file of one column is written with ';', the delimiter a French export would have; a cell starting with +
    // is made inert there with a quote.
    const excluded = new Map(big.read('excluded.csv').split('\n').slice(1).filter((l) => l !== '').map((l) => [(l.split(';')[0] as string).replace(/^'/, ''), l.split(';')[1] as string]));
    const outcome = await big.run(['when', ...asked, '--at', at, '--rules', 'fr', '--db', 'r.db', '--json', '--quiet'], { now: new Date(at) });
    expect(outcome.code).toBe(0);
    const answers = JSON.parse(outcome.stdout) as WhenAnswer[];
    const fromScrub = (reason: string | undefined) => (reason === 'listed' || reason === 'internal' ? 'list' : reason);
    expect(answers.map((a) => [a.input, a.reason === 'hours' || a.reason === null ? undefined : a.reason])).toEqual(asked.map((n) => [n, fromScrub(excluded.get(n))]));
    expect(answers.filter((a) => a.reason === 'list')).toHaveLength(10);
    expect(answers.filter((a) => a.reason === 'frequency-cap')).toHaveLength(4);
  });
});
