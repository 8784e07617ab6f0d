// The languages of the auditor's page: English (the default) and French (--lang fr). Each is one object of the
// same type, sentences and the formats of its figures and dates.

import { en, type Words } from './words-en.js';
import { fr } from './words-fr.js';

export type { Words };

export const pageLanguages = ['en', 'fr'] as const;
export type PageLanguage = (typeof pageLanguages)[number];

export function wordsFor(lang: PageLanguage): Words {
  return lang === 'fr' ? fr : en;
}
