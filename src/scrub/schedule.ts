// --schedule: the next legal calling window of each clean row, for the dialer: the row's first callable number, its
// time zone, and the window's start and end in ISO 8601 with that zone's offset, from one instant (--from). A number
// no rule set named governs gets empty cells; one whose zone is unknown gets `unknown` and empty cells (callscrub
// cannot say when it may be called).

import { nextWindow, type RuleSetName } from '../rules/calling-hours.js';
import type { Verdict } from './classify.js';

export const scheduleColumns = ['callscrub_timezone', 'callscrub_window_start', 'callscrub_window_end'] as const;

export type ScheduleCells = readonly [string, string, string];

const unrestricted: ScheduleCells = ['', '', ''];
const unknownZone: ScheduleCells = ['unknown', '', ''];

/** The schedule of clean rows from `from` (epoch ms); counts how many rows got no window. */
export class Schedule {
  /** Clean rows whose first callable number has no known zone. */
  unknownZones = 0;
  /** Clean rows whose first callable number no rule set named governs. */
  unrestricted = 0;

  constructor(
    readonly rules: readonly RuleSetName[],
    readonly from: number,
    private readonly allowUnscreened: boolean,
  ) {}

  cellsOf(verdict: Verdict): ScheduleCells {
    const first = verdict.numbers.find(
      (n) => n.normalized.ok && (n.status === 'callable' || n.status === 'exempt' || n.status === 'consented' || (n.status === 'unscreened' && this.allowUnscreened)),
    );
    if (first === undefined || !first.normalized.ok) return unrestricted;
    // An ambiguous 08/09 number may be in each of the places its readings are: the hours legal in all of them.
    const readings = first.normalized.alternates.length === 0 ? first.normalized.e164.slice(1) : [first.normalized.e164, ...first.normalized.alternates].map((n) => n.slice(1));
    const window = nextWindow(readings, this.from, this.rules);
    if (window.kind === 'unrestricted') {
      this.unrestricted++;
      return unrestricted;
    }
    if (window.kind === 'unknown-zone') {
      this.unknownZones++;
      return unknownZone;
    }
    return [window.timeZone, window.start, window.end];
  }
}
