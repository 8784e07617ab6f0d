// The columns of a consent ledger: which role a header name gives its column (in English, French, German and
// Spanish), which values stand for nothing, and which unread columns hold dates.

import { readListDate } from '../dates.js';
import { headerWords } from '../phone/column-names.js';
import { readConsentDate } from './consent-records.js';

/** The columns of a consent ledger beside the number. */
export const consentRoles = ['granted', 'source', 'proof', 'scope', 'withdrawn', 'expires'] as const;
export type ConsentRole = (typeof consentRoles)[number];
export const requiredRoles: readonly ConsentRole[] = ['granted', 'source', 'proof'];

export const roleDescriptions: Record<ConsentRole, string> = {
  granted: 'the date the consent was given',
  source: 'how the consent was collected',
  proof: 'the reference of its proof',
  scope: 'its scope',
  withdrawn: 'its withdrawal date',
  expires: 'its expiry date',
};

// Words of a header name (folded, see headerWords) that say which column is which. A name with a date word is a
// date (granted, withdrawn or expires), never a source, proof or scope. A column is taken for the grant only when
// its name says so plainly (`date du consentement`, `opt-in date`, `granted`): one that only says `consent` may be a
// yes/no column, a refusal or a renewal, and stops the import until --granted-column or --ignore-column says.
const dateWords = new Set(['date', 'dt', 'le', 'on', 'at', 'timestamp', 'horodatage', 'jour', 'day', 'when', 'time', 'heure', 'datetime', 'fecha', 'datum', 'data', 'am']);
const roleWords: Record<ConsentRole, ReadonlySet<string>> = {
  withdrawn: new Set([
    'withdrawn', 'withdrawal', 'withdraw', 'retrait', 'retire', 'retiree', 'revoked', 'revocation', 'revoque', 'revoquee', 'revoke', 'optout',
    'desinscription', 'desinscrit', 'desabonnement', 'desabonne', 'unsubscribed', 'unsubscribe', 'refus', 'refuse', 'refused', 'refusal', 'declined',
    'opposition', 'oppose', 'stop', 'blacklist', 'blacklisted', 'dnc', 'objection', 'widerruf', 'widerrufen', 'abmeldung', 'baja', 'revocacion',
    'revocado', 'cancelled', 'canceled', 'cancellation', 'cancelado', 'annulation', 'annule', 'retracte', 'retractation', 'suppressed', 'supprime',
  ]),
  expires: new Set(['expires', 'expire', 'expiry', 'expiration', 'echeance', 'until', 'jusqu', 'validite', 'valable', 'fin', 'end', 'lapsed', 'lapse', 'lapses', 'renewal', 'renouvellement', 'due']),
  granted: new Set(['granted', 'grant', 'given', 'donne', 'optin', 'accord', 'recueil', 'recueilli', 'recueillie', 'obtained', 'obtenu', 'collected', 'collecte', 'signed', 'signe', 'erteilt', 'otorgado']),
  proof: new Set(['proof', 'preuve', 'evidence', 'justificatif', 'attestation']),
  source: new Set(['source', 'origine', 'origin', 'canal', 'channel', 'collecte', 'provenance', 'fournisseur', 'supplier', 'vendor', 'partenaire', 'partner', 'methode', 'method', 'moyen', 'via', 'formulaire', 'form']),
  scope: new Set(['scope', 'portee', 'perimetre', 'marque', 'brand', 'finalite', 'purpose', 'objet', 'produit', 'product']),
};
/** Words that say, alone, that a column holds the day a consent was given. */
const strongGrantWords = new Set(['granted', 'given', 'recueilli', 'recueillie', 'obtained', 'obtenu', 'collected', 'signed', 'erteilt', 'otorgado']);

/** Values of an opt-in column (--opt-in-column) that say yes: any other value withdraws the number. */
export const optInYes = new Set(['oui', 'yes', 'true', '1', 'x', 'y', 'o', 'vrai', 'ok', 'opt-in', 'optin', 'opt in', 'inscrit', 'subscribed', 'accepte', 'accepted', 'consenti', 'si', 'ja']);

/** Words that say a column is about consent, whatever else it says. */
const consentWords = new Set([
  'consent', 'consented', 'consentement', 'consenti', 'consentie', 'rgpd', 'gdpr', 'dsgvo', 'permission', 'autorisation', 'authorization', 'accepte',
  'accepted', 'optin', 'consentimiento', 'einwilligung', 'zustimmung', 'consenso', 'autorizacion', 'statut', 'status', 'estado',
]);

/** The role a header name gives its column, if any. */
export function roleOfHeader(name: string): ConsentRole | undefined {
  const words = headerWords(name);
  const joined = ` ${words.join(' ')} `;
  const has = (role: ConsentRole) => words.some((w) => roleWords[role].has(w));
  if (has('withdrawn') || joined.includes(' opt out ') || joined.includes(' do not call ')) return 'withdrawn';
  if (has('expires') || joined.includes(' valid to ')) return 'expires';
  const isDate = words.some((w) => dateWords.has(w));
  const aboutConsent = words.some((w) => consentWords.has(w)) || joined.includes(' opt in ');
  if (!isDate && has('proof')) return 'proof';
  // `canal de collecte`, `source du consentement`: how it was collected; `date de collecte`: when.
  if (!isDate && has('source')) return 'source';
  if (!isDate && has('scope')) return 'scope';
  // The grant's date: a date word with a word about consent (`date opt-in`, `consent timestamp`), or a word that
  // says given (`granted`, `recueilli le`). `Opt-in` or `Accord RGPD` alone may be a yes/no column (--opt-in-column).
  if ((isDate && (has('granted') || aboutConsent)) || words.some((w) => strongGrantWords.has(w))) return 'granted';
  return undefined;
}

/** Whether a header name says its column is part of a consent record (to be read, or set aside with --ignore-column). */
export function aboutConsent(name: string): boolean {
  const words = headerWords(name);
  const joined = ` ${words.join(' ')} `;
  return roleOfHeader(name) !== undefined || words.some((w) => consentWords.has(w)) || joined.includes(' opt in ');
}

/** Words that stand for no value in a source or proof cell: a placeholder is no proof. */
const placeholderWords = new Set([
  'n/a', 'na', 'n.a', '#n/a', '#ref!', '#value!', '#valeur!', '#name?', '#nom?', '#div/0!', '#null!', '#num!', 'none', 'aucun', 'aucune', 'null',
  'nil', 'nan', 'undefined', 'unknown', 'inconnu', 'inconnue', 'tbd', 'todo', 'xxx', 'vide', 'empty', 'non', 'no', 'oui', 'yes', 'true', 'false',
  'vrai', 'faux', 'ok', 'ko', 'neant', 'nc', 'n.c', 'nr', 'n.r', 'nd', 'n.d', 'a completer', 'a renseigner', 'a definir', 'voir crm', 'see crm',
  'cf crm', 'test', 'refuse', 'refused', 'pending', 'en attente',
]);

/**
 * Whether a source or proof cell says nothing: a word for "none", fewer than two letters or digits, one character
 * repeated (`000000`, `...`), or a date in any form (`01/10/2026`, `20261001`): no reference to anything.
 */
export function isPlaceholder(text: string): boolean {
  const folded = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
  if (placeholderWords.has(folded)) return true;
  const alphanumeric = folded.replace(/[^a-z0-9]/g, '');
  if (alphanumeric.length < 2 || /^(.)\1*$/.test(alphanumeric)) return true;
  return typeof readListDate(text, 'day-first') === 'number' || readConsentDate(text) !== undefined;
}

/**
 * Per unread column, how many cells are filled and how many hold a date: a column of dates the import does not read
 * (`Widerruf`, `Fecha de baja`, `Cancelled`) may be the withdrawals, whatever its name.
 */
export class DateTally {
  private readonly filled = new Map<number, number>();
  private readonly dated = new Map<number, number>();

  add(index: number, cell: string): void {
    const text = cell.trim();
    if (text.length === 0 || readListDate(text, 'day-first') === 'none') return;
    this.filled.set(index, (this.filled.get(index) ?? 0) + 1);
    if (typeof readListDate(text, 'day-first') === 'number' || readConsentDate(text) !== undefined) this.dated.set(index, (this.dated.get(index) ?? 0) + 1);
  }

  holdsDates(index: number): boolean {
    const filled = this.filled.get(index) ?? 0;
    return filled > 0 && (this.dated.get(index) ?? 0) / filled >= 0.5;
  }
}

/** Values of a withdrawal column that say "not withdrawn". */
export const notWithdrawn = new Set(['false', 'faux', '0', 'n', 'f']);
