// Text into HTML: every string taken from a report (file names, list names, column names) is escaped here before it
// reaches the page, and control characters and bidirectional overrides are shown as escapes (printable), so that a
// crafted report can neither add markup to the auditor's page nor reorder what it shows.

import { printable } from '../ui/printable.js';

const special = /[&<>"']/g;
// Characters that show nothing (soft hyphen, zero-width spaces and joiners, line and paragraph separators, BOM): in a
// name they would make it look like another, so they are shown as escapes too.
const invisible = /[\u00ad\u200b-\u200d\u2028\u2029\ufeff]/g;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for an element's content or a quoted attribute. */
export function esc(text: string): string {
  return printable(text)
    .replace(invisible, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(special, (ch) => entities[ch] as string);
}

/**
 * A name (a file, a list, a column) escaped as esc() does, with a line-break opportunity after each `.`, `_`, `-` and
 * `/` but the last few: a long export name wraps at its parts inside a table on A4 instead of running off the page.
 */
export function escName(text: string): string {
  // Not before a short ending: `prospects.csv` stays whole.
  return esc(text).replace(/([._/-])(?=[^]{6})/g, '$1<wbr>');
}

/** Lines of text for a <pre> element: each line escaped as esc() does, the line breaks kept. */
export function escLines(text: string): string {
  return text.split('\n').map(esc).join('\n');
}

/**
 * An id for a word from a report (a reason), under a prefix no other id of the page starts with: letters, digits and
 * dashes as they are, any other character as `_` and its code point in hex and `_`, so that two words never share
 * an id (`later reason` is `reason-later_20_reason`, `later_reason` is `reason-later_5f_reason`).
 */
export function anchor(prefix: string, word: string): string {
  return `${prefix}-${word.replace(/[^a-z0-9-]/g, (ch) => `_${(ch.codePointAt(0) as number).toString(16)}_`)}`;
}
