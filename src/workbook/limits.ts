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

/**
 * The inflated size of a part read whole (workbook.xml, relationships, styles.xml). Excel's largest such part, the
 * styles of 64,000 cell formats, is a few MB; 64 MiB is refused before a byte of it is parsed.
 */
export const maxSmallPart = 64 * 1024 * 1024;

/**
 * Shared strings held at once. A full 1,048,576-row sheet with 16 columns of distinct text needs 16,777,216; a
 * scrub's prospect file has far fewer, and each costs 4 bytes of index even when empty (314,572,800 empty <si/>
 * fit in a 2.3 MB zip).
 */
export const maxSharedStrings = 2 ** 24;

/**
 * The UTF-8 bytes of all shared strings held at once. LibreOffice's 1,000,000-row prospect file (two distinct texts
 * a row) holds 30 MB; 256 MiB leaves room for eight times as much text a row, and keeps a workbook's strings within
 * the memory a scrub can afford.
 */
export const maxSharedStringBytes = 256 * 1024 * 1024;

/**
 * The inflated size of the shared-strings part. Its markup (<si><t>…</t></si>, rich-text runs with their fonts,
 * phonetic guides) can be several times its text, so this is four times the text allowed; a larger part cannot be a
 * workbook this reader would accept, and is refused before it is read.
 */
export const maxSharedStringsPart = 4 * maxSharedStringBytes;

/** Cell formats (<xf> in <cellXfs>) and number formats (<numFmt>): Excel's limit is 64,000 cell formats a workbook. */
export const maxCellFormats = 64_000;
