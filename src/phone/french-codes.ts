// The regions and calling codes of the French numbering plan (France and its overseas departments), apart from the
// plan itself so that the command line can name them without loading the phone metadata.

export const frenchRegions: ReadonlySet<string> = new Set(['FR', 'RE', 'YT', 'GP', 'BL', 'MF', 'GF', 'MQ', 'PM']);

/** Calling codes of the French plan. */
export const frenchCallingCodes: ReadonlySet<string> = new Set(['33', '262', '590', '594', '596', '508']);
