// What a cell's number format does to what a spreadsheet shows, as far as a phone number goes: whether it shows the
// stored digits (arranged: `00 00 00 00 00`, `#,##0`, `[<=9999999]###-####;(###) ###-####`), or other digits than
// stored. A format shows other digits when it writes digits of its own (quoted `"05364"00000`, escaped `\0`, in a
// currency text `[$05364]`, or bare `053#######`), multiplies (`%`), divides (a thousands separator after the last
// placeholder, `0,`), counts elapsed hours, minutes or seconds (`[h]`: a day stored is 24 hours shown), or rounds
// to scientific notation (`0.00E+00`, told apart: it only loses digits). A format has up to four sections
// (positive;negative;zero;text): a number is shown by the first three, a text cell by the fourth or the one holding
// `@`. Pure; each answer is remembered by its code (a workbook holds a few hundred formats: workbook/limits.ts).

/** The sections of a format code, split at the `;` outside quotes and escapes. */
function sectionsOf(code: string): string[] {
  return code.match(/(?:"[^"]*"|\\.|[^;])+/g) ?? [];
}

/** Whether a section shows a text (`@` as a code, not in a literal, a bracket, or as a fill or padding character). */
const holdsAt = (section: string) => bareFormat(section).includes('@');

/**
 * The sections that may show a number: the first three, a section holding `@` among them too (LibreOffice shows a
 * positive number through `"0536496475"@;0;0`); only a fourth section is for text alone.
 */
function numberSections(code: string): string {
  return sectionsOf(code).slice(0, 3).join(';');
}

/** The characters a format writes of its own: its quoted texts, escaped characters and currency texts (`[$€-40C]`). */
export function literalsOf(code: string): string {
  return (code.match(/"[^"]*"|\\.|\[\$[^\]-]*/g) ?? []).map((l) => (l.startsWith('"') ? l.slice(1, -1) : l.slice(l.startsWith('[') ? 2 : 1))).join('');
}

/** A format code without its literals, fill and padding characters and brackets: its placeholders and separators. */
export function bareFormat(code: string): string {
  return code.replace(/"[^"]*"|\\.|[_*].|\[[^\]]*\]/g, '');
}

/**
 * The text section of a format, when it writes characters of its own around a text cell's text (`"05"@`, `\+@`):
 * the fourth section, or the one holding `@`; undefined when a text is shown as it is.
 */
export function textSection(code: string): string | undefined {
  const sections = sectionsOf(code);
  const section = sections.length >= 4 ? sections[3] : sections.find(holdsAt);
  return section !== undefined && literalsOf(section) !== '' ? section : undefined;
}

/** Whether a text section writes digits or a + around the text: the number read would not be the one shown. */
export const textHidesDigits = (section: string | undefined): boolean => section !== undefined && /[0-9+]/.test(literalsOf(section));

function remembered(test: (code: string) => boolean): (code: string) => boolean {
  const answers = new Map<string, boolean>();
  return (code) => {
    let answer = answers.get(code);
    if (answer === undefined) answers.set(code, (answer = test(code)));
    return answer;
  };
}

/** Whether a number's format writes digits of its own, or elapsed time: digits that are not the stored ones. */
export const writesDigits = remembered((code) => {
  const sections = numberSections(code);
  return /[0-9]/.test(literalsOf(sections)) || /[1-9]/.test(bareFormat(sections)) || /\[(h+|m+|s+)\]/i.test(sections);
});

/** Whether a number's format shows other digits than it stores (see the top of this file; scientific apart). */
export const hidesDigits = remembered((code) => {
  const sections = numberSections(code);
  const bare = bareFormat(sections);
  return writesDigits(code) || literalsOf(sections).includes('+') || bare.includes('%') || /[0#?],+(?![0#?])/.test(bare);
});

/**
 * The longest run of digits a format may show for a date or time: each code at its widest (`yyyy` 4, `mm` 2, `[h]`
 * without bound), digits it writes of its own, and any other character ending a run (`mmyyyydd""dd` shows 10
 * digits in a row: a phone number's length). Month and day names, AM/PM and separators end a run.
 */
export const longestDateDigits = (code: string): number => {
  let run = 0;
  let longest = 0;
  const digits = (n: number) => {
    run += n;
    longest = Math.max(longest, run);
  };
  const tokens = numberSections(code).match(/"[^"]*"|\\.|\[[^\]]*\]|[_*].|y+|m+|d+|h+|s+|e+|0+|AM\/PM|A\/P|./gi) ?? [];
  for (const token of tokens) {
    const lower = token.toLowerCase();
    if (token.startsWith('"') || token.startsWith('\\') || token.startsWith('[$')) {
      for (const c of token.startsWith('[$') ? literalsOf(token) : token.startsWith('"') ? token.slice(1, -1) : token.slice(1)) {
        if (c >= '0' && c <= '9') digits(1);
        else run = 0;
      }
    } else if (/^\[(h+|m+|s+)\]$/i.test(token)) digits(Infinity);
    else if (token.startsWith('[') || token.startsWith('_') || token.startsWith('*')) continue;
    else if (/^y+$/.test(lower)) digits(lower.length <= 2 ? 2 : 4);
    else if (/^e+$/.test(lower)) digits(4);
    else if (/^(m{1,2}|d{1,2}|h+|s+)$/.test(lower)) digits(2);
    else if (/^0+$/.test(token)) digits(token.length);
    else run = 0;
  }
  return longest;
};

/** Whether a date format may show 9 digits or more in a row, a phone number's length (see longestDateDigits). */
export const showsLongDateDigits = remembered((code) => longestDateDigits(code) >= 9);

/** Whether a number format shows numbers in scientific notation (0.00E+00, ##0.0E+0): an E+ or E- outside literals. */
export const isScientificFormat = remembered((code) => /E[+-]/i.test(bareFormat(numberSections(code))));

/**
 * A number as its format shows it, near enough to tell a phone number: the digits the format writes, then the
 * value multiplied (`%`) or divided (`0,`) and rounded (`"05364"00000` and 96475 show 0536496475; `0,` and
 * 536496475000 show 536496475; 536496475.0000001 shows 536496475).
 */
export function shownNumber(value: number, code: string): string {
  const sections = numberSections(code);
  const bare = bareFormat(sections);
  const commas = /[0#?](,+)(?![0#?])/.exec(bare)?.[1]?.length ?? 0;
  const scaled = (value * (bare.includes('%') ? 100 : 1)) / 1000 ** commas;
  const literal = (literalsOf(sections) + bare.replace(/[^1-9]/g, '')).replace(/[^0-9+]/g, '');
  return literal + String(Math.round(scaled));
}
