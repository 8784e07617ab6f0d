// --schedule: the next legal calling window of each clean row, for the dialer: a window in which every callable
// number of the row may be called (an agent may dial any of them), in the first one's time zone, start and end in
// ISO 8601 with that zone's offset, from one instant (--from). A row whose numbers no rule set named governs gets
// empty cells; one with a number whose zone is unknown, or whose numbers never share a legal hour, gets `unknown`
// and empty cells (callscrub cannot say when it may be called).

import { nextWindow, type RuleSetName } from '../rules/calling-hours.js';
import type { Verdict } from './classify.js';

export const scheduleColumns = ['callscrub_timezone', 'callscrub_window_start', 'callscrub_window_end'] as const;

export type ScheduleCells = readonly [string, string, string];

const unrestricted: ScheduleCells = ['', '', ''];
const unknownZone: ScheduleCells = ['unknown', '', ''];

/** The schedule of clean rows from `from` (epoch ms); counts how many rows got no window. */
export class Schedule {
  /** Clean rows with a callable number of no known zone, or whose numbers never share a legal hour. */
  unknownZones = 0;
  /** Clean rows whose callable numbers no rule set named governs. */
  unrestricted = 0;

  constructor(
    readonly rules: readonly RuleSetName[],
    readonly from: number,
    readonly allowUnscreened: boolean,
  ) {}

  /** A schedule with the same settings and counters of its own (one for each block of a file). */
  fresh(): Schedule {
    return new Schedule(this.rules, this.from, this.allowUnscreened);
  }

  /** Adds another schedule's counters (a block's) to this one's. */
  add(counters: { readonly unknownZones: number; readonly unrestricted: number }): void {
    this.unknownZones += counters.unknownZones;
    this.unrestricted += counters.unrestricted;
  }

  cellsOf(verdict: Verdict): ScheduleCells {
    // Every callable number of the row, under every reading of an ambiguous 08/09 one: the hours legal in all places.
    const readings: string[] = [];
    for (const n of verdict.numbers) {
      if (!n.normalized.ok) continue;
      if (n.status === 'callable' || n.status === 'exempt' || n.status === 'consented' || (n.status === 'unscreened' && this.allowUnscreened)) {
        readings.push(n.normalized.e164.slice(1), ...n.normalized.alternates.map((a) => a.slice(1)));
      }
    }
    if (readings.length === 0) return unrestricted;
    const window = nextWindow(readings.length === 1 ? (readings[0] as string) : readings, this.from, this.rules);
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
