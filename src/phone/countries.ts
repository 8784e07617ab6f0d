// Which numbering plan a cell of a country column names: `+32`, `0032`, `BE`, `Belgique`, `Belgium`, `Belgien`...
// A prospect file with a country (or calling-code) column beside national numbers means the numbers are not all of
// the scrub's --country: read as its plan, they would be other numbers. Names come from the runtime's own region
// names (ICU) in the languages call centres use.

import { getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { frenchRegions } from './french-plan.js';

const languages = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'];
let byName: Map<string, string> | undefined;

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '');

function names(): Map<string, string> {
  if (byName === undefined) {
    byName = new Map();
    const displays = languages.map((language) => new Intl.DisplayNames([language], { type: 'region' }));
    for (const region of getCountries()) {
      byName.set(region.toLowerCase(), region);
      for (const display of displays) {
        const name = display.of(region);
        if (name !== undefined && !byName.has(fold(name))) byName.set(fold(name), region);
      }
    }
    byName.set('uk', 'GB');
  }
  return byName;
}

/** The calling code of the plan national numbers of `region` are written in; the French plan's regions share one. */
export function planOf(region: string): string | undefined {
  if (frenchRegions.has(region)) return '33';
  try {
    return getCountryCallingCode(region as CountryCode);
  } catch {
    return undefined;
  }
}

/**
 * The plan (as a calling code) a country cell names; undefined for an empty cell or one that names no country
 * callscrub knows (it is then not taken as another country).
 */
export function planOfCountryCell(cell: string): string | undefined {
  // Excel's text mark, brackets and a float's `.0` say nothing: `'+32`, `(+32)`, `32.0`, `+0032`.
  const text = cell.trim().replace(/^'/, '').replace(/^\((.*)\)$/, '$1').replace(/\.0+$/, '').trim();
  if (text.length === 0) return undefined;
  const code = /^(?:\+|00|\+00)?\s*([1-9][0-9]{0,2})$/.exec(text);
  if (code !== null) return ['262', '590', '594', '596', '508'].includes(code[1] as string) ? '33' : code[1];
  const region = names().get(fold(text));
  return region === undefined ? undefined : planOf(region);
}
