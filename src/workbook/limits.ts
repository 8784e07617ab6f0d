// How much of a workbook the reader will hold, so that a small hostile file cannot take the memory issue 14 budgets
// (a 1,000,000-row workbook in <= 300 MB). A zip inflates a thousandfold and more: a 1 MB workbook can hold a
// 1 GB part, or a 700 MB cell. Each bound is far above what Excel itself can write, and each is refused in one line
// naming the part or the cell. The sizes the zip declares can be trusted: yauzl's validateEntrySizes stops a part
// that inflates to more than its declared size.

/** What to do with a workbook past one of these bounds. */
export const tooLargeHint = 'open it in Excel or LibreOffice and save the sheet as CSV, or split it, and scrub that';

/** Excel's limit on the characters of a cell ("Excel specifications and limits": 32,767), text and formula alike. */
export const maxCellText = 32_767;

/**
 * The most characters a cell's text can take as stored: every character written as one of Excel's 7-character
 * _xHHHH_ escapes. Stored text longer than this cannot decode to 32,767 characters or fewer.
 */
export const maxStoredCellText = 7 * maxCellText;

/**
 * The longest run of characters saxes may hold between two tags (a text node, an attribute value, a comment, a
 * name). saxes gathers a text node whole before handing it over, so a 700 MB cell would be 1.4 GB of string before
 * any handler sees it; the parser is fed a slice at a time and this is checked between slices. Four times the longest
 * stored cell, so that a cell's own limit is always the one met first where a cell is being read.
 */
export const maxTextRun = 4 * maxStoredCellText;

/** A part is handed to saxes in slices of at most this many characters, so a run is checked this often. */
export const sliceChars = 1 << 16;
