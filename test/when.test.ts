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
