// Which header names say "phone number", in the ways CRMs, spreadsheets and people write them: `Téléphone`,
// `MobilePhone` and `HomePhone` (Salesforce), `TelPortable`, `NumTel`, `telMobile`, `Handy`, `Telefono`, `Mob`,
// `Ligne directe`. A name is cut into words (spaces, punctuation, camelCase), and a word run together from known
// words (`telportable`, `mobilephone`) is cut into them too. A name is a phone column when one of its words is a
// phone word and none says it holds something else (`Numéro client`, `Phone type`, `N° SIRET`).

// Words that name a phone number on their own.
const phoneWords = new Set([
  'tel', 'tl', 'tele', 'telephone', 'telephones', 'telefon', 'telefono', 'telefone', 'telefonnummer', 'telefoon',
  'phone', 'phones', 'phonenumber', 'mobile', 'mobiles', 'mobil', 'mobiel', 'mob', 'portable', 'port', 'fixe',
  'gsm', 'cell', 'cellphone', 'cellular', 'cellulaire', 'msisdn', 'handy', 'cellulare', 'movil', 'numero',
  'standard', 'dialer', 'callee', 'landline', 'whatsapp',
]);
// Words that say what kind of phone, or are glue: known, so that a run-together name can be cut into words.
const companionWords = new Set([
  'num', 'no', 'nr', 'nro', 'number', 'home', 'other', 'work', 'office', 'business', 'assistant', 'main', 'private',
  'personal', 'perso', 'pro', 'professionnel', 'bureau', 'domicile', 'principal', 'secondaire', 'ligne', 'directe',
  'direct', 'de', 'du', 'the', 'contact', 'primary', 'alt', 'alternate', 'second', 'autre', 'privat', 'geschaeftlich',
  'dienstlich', 'casa', 'lavoro', 'prospect', 'fax',
]);
// Words that say the column holds something other than a number to call.
const otherWords = new Set([
  'client', 'clients', 'commande', 'dossier', 'contrat', 'siret', 'siren', 'tva', 'facture', 'compte', 'rue', 'voie',
  'postal', 'type', 'ext', 'extension', 'poste', 'date', 'status', 'statut', 'optout', 'opt', 'consent',
  'consentement', 'verified', 'valid', 'flag', 'count', 'nombre', 'order', 'invoice', 'account', 'customer',
  'serie', 'serial', 'imei', 'iccid', 'carte', 'card', 'secu', 'vat', 'zip', 'code', 'id', 'pin', 'indicatif',
  'pays', 'country', 'prefix', 'prefixe', 'dial', 'calling', 'land', 'paese', 'pais', 'nation',
]);
// Words that name a country or a calling code (`Indicatif`, `Pays`, `Country code`, `Dial code`).
const countryWords = new Set([
  'indicatif', 'indic', 'pays', 'country', 'ctry', 'countrycode', 'dialcode', 'callingcode', 'land', 'paese', 'pais',
  'prefixe', 'prefix', 'nation', 'nationalite', 'nationality', 'iso',
]);
const twoWordNames = [['ligne', 'directe'], ['direct', 'line'], ['direct', 'dial']] as const;

/** The words of a header name, folded (lower case, no accents); run-together known words are cut apart. */
export function headerWords(name: string): string[] {
  const spaced = name
    .replace(/([a-z\u00e0-\u00ff])([A-Z\u00c0-\u00de])/g, '$1 $2') // camelCase
    .replace(/([A-Z\u00c0-\u00de]+)([A-Z\u00c0-\u00de][a-z\u00e0-\u00ff])/g, '$1 $2') // PHONENumber
    .replace(/(\p{L})(\d)/gu, '$1 $2'); // Tel2, Phone1
  const folded = spaced.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return folded.split(/[^a-z0-9]+/).filter((w) => w.length > 0).flatMap((w) => cutIntoKnownWords(w) ?? [w]);
}

/** `telportable` -> [tel, portable]; undefined when the word is not made of known words only. */
function cutIntoKnownWords(word: string): string[] | undefined {
  if (phoneWords.has(word) || companionWords.has(word) || otherWords.has(word)) return [word];
  // Longest known prefix first, then the rest recursively: names are short, so this stays cheap.
  for (let end = word.length - 1; end >= 2; end--) {
    const head = word.slice(0, end);
    if (!phoneWords.has(head) && !companionWords.has(head) && !otherWords.has(head)) continue;
    const rest = cutIntoKnownWords(word.slice(end));
    if (rest !== undefined) return [head, ...rest];
  }
  return undefined;
}

/** True when a header name says the column holds a country or a calling code. */
export function isCountryHeader(name: string): boolean {
  const words = headerWords(name);
  return words.some((w) => countryWords.has(w)) || words.join(' ') === 'cc' || words.join(' ').includes('dial code') || words.join(' ').includes('calling code');
}

/** True when a header name says the column holds phone numbers to call. */
export function isPhoneHeader(name: string): boolean {
  const words = headerWords(name);
  if (words.some((w) => otherWords.has(w))) return false;
  if (words.some((w) => phoneWords.has(w))) return true;
  return twoWordNames.some(([a, b]) => words.some((w, i) => w === a && words[i + 1] === b));
}
