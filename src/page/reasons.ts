// The order and colour of the page's reasons and statuses: row reasons strongest first, as the scrub ranks them
// (scrub/classify.ts), invalid ones last; a reason this callscrub does not know (a later version's) after them. The
// colours are for the charts only: every bar also carries its name and figure in text.

import { invalidReasons, rowReasons } from '../scrub/classify.js';
import { own } from './own.js';


export function outcomeOfReason(reason: string): 'excluded' | 'invalid' {
  return invalidReasons.has(reason) ? 'invalid' : 'excluded';
}

/** Reasons in the order the page shows them: excluded strongest first, then invalid, then unknown ones by name. */
export function orderReasons(reasons: Iterable<string>): string[] {
  const rank = (r: string): number => {
    const known = (rowReasons as readonly string[]).indexOf(r);
    if (known < 0) return 1000;
    return invalidReasons.has(r) ? 100 + known : known;
  };
  return [...new Set(reasons)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const reasonColours: Record<string, string> = {
  internal: '#7f0000',
  listed: '#b3261e',
  'no-consent': '#a0174f',
  'refusal-pause': '#6a1b9a',
  'frequency-cap': '#4527a0',
  unscreened: '#b34700',
  unreadable: '#8a4b08',
  duplicate: '#6d4c41',
  'no-number': '#5f5f5f',
  'invalid-number': '#7a7a7a',
  formula: '#8d8d8d',
};

export const cleanColour = '#1e7a34';

export function reasonColour(reason: string): string {
  return own(reasonColours, reason) ?? '#555555';
}

const statusOrder = ['callable', 'consented', 'exempt', 'internal', 'listed', 'no-consent', 'refusal-pause', 'frequency-cap', 'unscreened', 'duplicate', 'unreadable', 'invalid'];
const callableStatuses: Record<string, string> = { callable: cleanColour, consented: '#14632a', exempt: '#00695c' };

export function orderStatuses(statuses: Iterable<string>): string[] {
  const rank = (s: string): number => (statusOrder.includes(s) ? statusOrder.indexOf(s) : 1000);
  return [...new Set(statuses)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function statusColour(status: string): string {
  return own(callableStatuses, status) ?? (status === 'invalid' ? '#7a7a7a' : reasonColour(status));
}
