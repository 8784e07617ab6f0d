// The auditor's page in French (--lang fr): call centres and auditors in France are its first readers. The same
// sentences as words-en.ts, checked against its type; callscrub's own messages for a failed check stay in English
// and are marked as such (lang="en") for screen readers.

import { formatFor } from './format.js';
import { own } from './own.js';
import type { Words } from './words-en.js';

const reasonNames: Record<string, string> = {
  internal: 'Liste interne',
  listed: "Liste d'opposition",
  'no-consent': 'Sans consentement',
  'refusal-pause': 'Pause après refus',
  'frequency-cap': "Plafond d'appels atteint",
  unscreened: 'Non couvert',
  unreadable: 'Numéro illisible',
  duplicate: 'Doublon',
  'no-number': 'Aucun numéro',
  'invalid-number': 'Pas un numéro',
  formula: 'Formule dans une cellule de téléphone',
};

const reasonMeanings: Record<string, string> = {
  internal: "Un numéro figure sur une liste interne (la liste d'opposition propre à l'entreprise) : jamais appelable.",
  listed: "Un numéro figure sur une liste d'opposition, et aucun contrat ni consentement en vigueur ne le rend appelable.",
  'no-consent': "Un consentement est exigé pour son indicatif, et aucun consentement en vigueur n'a été trouvé.",
  'refusal-pause': "Le numéro a refusé un appel récemment et se trouve dans sa pause (France : 60 jours).",
  'frequency-cap': "Le numéro a été appelé autant que les règles le permettent sur leur période (France : 4 appels en 30 jours).",
  unscreened: "Aucune liste utilisée ne couvre l'indicatif d'un numéro.",
  unreadable: "Une cellule de téléphone contient ce qui ressemble à un numéro sans en donner un (un numéro abîmé par un tableur, par exemple).",
  duplicate: 'Le numéro figure plus haut dans le fichier (--dedupe).',
  'no-number': 'Les colonnes de téléphone ne contiennent aucun numéro.',
  'invalid-number': 'Les cellules de téléphone ne contiennent que des fragments qui ne sont pas un numéro.',
  formula: 'Une cellule de téléphone du classeur contient une formule\u00a0: le numéro affiché est calculé, pas enregistré.',
};

// A number's status that blocks its row is named as the row's reason.
const statusNames: Record<string, string> = { ...reasonNames, callable: 'Appelable', consented: 'Consentement en vigueur', exempt: 'Exempté (contrat)', unreadable: 'Illisible', invalid: 'Pas un numéro' };

const statusMeanings: Record<string, string> = {
  callable: "Sur aucune liste qui l'empêche.",
  consented: 'Un consentement en vigueur à la date du nettoyage le rend appelable.',
  exempt: "Inscrit, mais un contrat en vigueur à la date du nettoyage (liste d'exemption) le rend appelable.",
  internal: 'Sur une liste interne.',
  listed: "Sur une liste d'opposition.",
  'no-consent': "Un consentement est exigé et aucun n'est en vigueur.",
  'refusal-pause': 'Dans la pause qui suit un refus.',
  'frequency-cap': "Au plafond d'appels de sa période.",
  unscreened: 'Aucune liste utilisée ne couvre son indicatif.',
  duplicate: 'Déjà vu plus haut dans le fichier.',
  unreadable: "Ressemble à un numéro sans en donner un.",
  invalid: 'Pas un numéro utilisable.',
};

const rowSpan = (first: string, last: string, n: number, shown: string): string => (n === 1 ? `1 ligne, la ligne ${first}` : `${shown} lignes, de la ligne ${first} à la ligne ${last}`);

const kindNames: Record<string, string> = { opposition: 'Opposition', internal: 'Interne', exempt: 'Exemption (contrats)', consent: 'Consentement' };

export const fr: Words = {
  lang: 'fr',
  labelled: (label, text) => `${label} : ${text}`,
  format: formatFor('fr-FR'),
  title: (input, day) => `Nettoyage de ${input} du ${day}`,
  heading: (report) => `Rapport ${report}`,
  kicker: "callscrub · rapport d'exclusion",
  checkedOn: (report, when, version) => `Page établie à partir de ${report} ; vérifications faites le ${when} avec callscrub ${version}.`,
  skipToRows: 'Aller aux lignes exclues',
  contents: 'Sur cette page',
  footer: (report) =>
    `Cette page est une lecture de ${report} et des vérifications ci-dessus, établie au moment où elles ont été faites. La preuve est le fichier du rapport lui-même : conservez-le avec cette page, et vérifiez-le à nouveau avec callscrub verify ou avec OpenSSL.`,

  verdict: { verified: 'Vérifié', unverified: 'Non vérifié', incomplete: 'Vérification impossible', failed: 'Échec de la vérification', 'not-a-report': "Pas un rapport callscrub" },
  verdictLead: {
    verified: 'La signature est valide et chaque fichier fourni correspond au rapport.',
    unverified: "Rien n'a échoué, mais la signature n'a pas été vérifiée : rien ne prouve qui a écrit ce rapport.",
    incomplete: "Une vérification n'a pas pu être faite. Rien de ce qui suit n'est entièrement vérifié.",
    failed: "Une vérification a échoué : le rapport, sa signature ou un fichier n'est pas ce qu'il devrait être.",
    'not-a-report': "Le fichier ne peut pas être lu comme un rapport callscrub : il n'y a rien d'autre à montrer.",
  },
  verifiedSignatureOnly: "La signature est valide : le rapport est bien celui du signataire, inchangé. Aucun fichier n'a été fourni pour être vérifié.",
  unsignedCaution: "Le rapport ne porte aucune signature : rien ne prouve qui l'a écrit, ni qu'il est inchangé. Tout ce qui suit n'est que ce qu'il dit.",
  digestUnverified: "tel qu'enregistré dans un rapport dont la signature n'est pas vérifiée",
  contradictionsIntro: "Le rapport se contredit (callscrub n'écrit jamais un tel rapport\u00a0; seul un rejeu prouve ses chiffres)\u00a0:",
  contradiction: (c, f) => {
    switch (c.kind) {
      case 'input-rows':
        return `son fichier d'entrée a ${f.count(c.inputRows)} lignes, ses comptes ${f.count(c.rowsIn)}\u00a0;`;
      case 'outcome-rows':
        return `il compte ${f.count(c.counted)} lignes ${c.outcome === 'excluded' ? 'exclues' : 'invalides'} mais en liste ${f.count(c.listed)}\u00a0;`;
      case 'output-rows':
        return `son fichier ${c.role} a ${f.count(c.written)} lignes, ses comptes ${f.count(c.counted)}\u00a0;`;
      case 'statuses':
        return `ses numéros par statut font ${f.count(c.sum)}, non les ${f.count(c.numbersChecked)} numéros vérifiés\u00a0;`;
      case 'stale':
        return c.why === 'not-opposition' ? `il note périmée la liste ${c.list}, qui n'est pas une liste d'opposition utilisée\u00a0;` : `il note la liste périmée ${c.list} alors que les listes périmées n'étaient pas admises\u00a0;`;
      case 'outcomes':
        return `ses lignes propres, exclues et invalides font ${f.count(c.sum)}, non ses ${f.count(c.rowsIn)} lignes\u00a0;`;
      case 'reason':
        return `il compte ${f.count(c.counted)} lignes pour le motif ${c.reason} mais en liste ${f.count(c.listed)}\u00a0;`;
      case 'row':
        return `il liste la ligne ${c.row}, hors de ses lignes 1 à ${c.rowsIn}\u00a0;`;
      case 'order':
        return `il liste la ligne ${c.row} deux fois ou dans le désordre\u00a0;`;
      case 'future-list':
        return `la liste ${c.list} est datée du ${f.day(c.asOf)}, après le nettoyage\u00a0;`;
      case 'unflagged-stale':
        return `la liste ${c.list} avait ${f.count(c.ageDays)} jours, au-delà de son maximum de ${f.count(c.maxAgeDays)}, sans être notée périmée\u00a0;`;
    }
  },
  firstProblem: 'Premier problème :',
  caution: {
    failed: 'Tout ce qui suit est ce que dit le rapport, tel quel. Une vérification ayant échoué, rien ne peut en être tenu pour sûr.',
    incomplete: "Tout ce qui suit est ce que dit le rapport, tel quel ; il n'a pas été entièrement vérifié.",
    unverified: 'Tout ce qui suit est ce que dit le rapport. Donnez la clé publique du signataire (--pubkey) pour vérifier que le signataire l\'a écrit.',
  },
  checksCaption: "Vérifications, dans l'ordre où callscrub verify les fait",
  checkColumn: 'Vérification',
  fileColumn: 'Fichier',
  resultColumn: 'Résultat',
  detailColumn: 'Détail',
  checkName: { format: 'Format du rapport', signature: 'Signature', input: "Fichier d'entrée", 'clean file': 'Fichier propre', 'excluded file': 'Fichier des exclus', 'invalid file': 'Fichier des invalides', replay: 'Rejeu' },
  status: { passed: 'Réussie', failed: 'Échec', 'not-run': 'Impossible', 'not-asked': 'Non demandée' },
  signatureValid: 'Valide',
  digestMatched: 'Identique',
  standardInput: 'entrée standard',
  noneWritten: 'Aucun',
  noneWrittenDetail: "Le nettoyage n'a pas écrit ce fichier.",
  unsigned: 'Le rapport ne porte aucune signature.',
  notAskedDetail: 'Non fourni ; pour le vérifier :',
  formatDetail: 'Un rapport de nettoyage callscrub, format 1, chaque champ du type attendu.',
  signatureDetail: "Ed25519, par la clé d'identifiant",
  replayDetail: 'Nettoyé à nouveau avec les versions de listes, les réglages et la date enregistrés : mêmes comptes, mêmes lignes exclues et invalides, mêmes empreintes des fichiers.',
  digestDetail: 'conforme au rapport',

  scrubHeading: 'Le nettoyage',
  scrubDate: 'Date du nettoyage',
  ran: 'Exécution',
  ranDetail: (start, end, host, user) => `du ${start} au ${end}, sur ${host} par ${user}`,
  notSigned: '(enregistré à côté de la charge signée, non signé)',
  tool: 'Outil',
  inputHeading: 'Fichier d\'entrée',
  inputName: 'Nom du fichier',
  inputSize: 'Taille',
  bytesAndRows: (bytes, rows) => `${bytes} octets, ${rows} lignes`,
  encoding: 'Encodage',
  sheet: 'Feuille (un classeur Excel)',
  delimiter: 'Séparateur',
  header: "Ligne d'en-tête",
  phoneColumns: 'Colonnes de téléphone vérifiées',
  yes: 'oui',
  no: 'non',
  none: 'aucune',
  settingsHeading: 'Réglages',
  listsChosen: 'Listes demandées',
  allLists: 'toutes les listes du registre',
  policy: 'Politique',
  policyMeaning: { row: '(une ligne ayant un numéro bloqué est exclue)', number: '(les numéros bloqués sont effacés ; la ligne reste si un numéro appelable demeure)' },
  country: 'Pays par défaut',
  allowStale: 'Listes périmées admises',
  allowUnscreened: 'Numéros sans liste admis',
  dedupe: 'Doublons retirés',
  requireConsent: 'Consentement exigé pour',
  consentOverrides: "Un consentement l'emporte sur une inscription",
  rules: 'Règles de contact',
  schedule: "Plages d'appel à partir du",
  namedPhoneColumns: 'Colonnes de téléphone désignées',
  notPhoneColumns: 'Colonnes déclarées sans téléphone',
  outputsHeading: 'Fichiers écrits',
  noOutputs: 'Le rapport ne nomme aucun fichier de sortie.',
  outputColumn: 'Sortie',
  rowsColumn: 'Lignes',
  role: { clean: 'Propre (lignes appelables)', excluded: 'Lignes exclues', invalid: 'Lignes invalides' },

  outcomeHeading: 'Résultat',
  rowsIn: 'lignes lues',
  clean: 'Propres',
  outcome: { excluded: 'Exclues', invalid: 'Invalides' },
  numbersChecked: 'numéros vérifiés',
  rewritten: (n) => `${n} lignes propres ont été réécrites : leurs numéros bloqués ont été effacés (politique number).`,
  consentOverListing: (overrode, beaten) => `Numéros inscrits ayant un consentement en vigueur : ${overrode} gardés (le consentement l'emporte sur l'inscription), ${beaten} exclus.`,
  rowsChartTitle: 'Lignes par résultat et motif',
  rowsChartDescription: (total) => `Une barre par résultat et motif, sur ${total} lignes ; le tableau qui suit donne les mêmes chiffres.`,
  rowsTableCaption: 'Lignes par résultat et motif',
  outcomeColumn: 'Résultat',
  reasonColumn: 'Motif',
  shareColumn: 'Part',
  numbersChartTitle: 'Numéros par statut',
  numbersChartDescription: (n) => `Une barre par statut, sur ${n} numéros lus dans les cellules de téléphone ; le tableau qui suit donne les mêmes chiffres.`,
  numbersTableCaption: 'Numéros par statut',
  noNumbers: "Aucun numéro n'a été lu.",
  statusColumn: 'Statut',
  meaningColumn: 'Signification',
  numbersColumn: 'Numéros',
  reasonName: (r) => own(reasonNames, r) ?? r,
  reasonMeaning: (r) => own(reasonMeanings, r) ?? 'Un motif que cette version de callscrub ne connaît pas.',
  statusName: (s) => own(statusNames, s) ?? s,
  statusMeaning: (s) => own(statusMeanings, s) ?? 'Un statut que cette version de callscrub ne connaît pas.',

  listsHeading: 'Listes utilisées',
  listsIntro:
    "Chaque liste dans la version fixée au début du nettoyage. L'empreinte logique SHA-256 est celle des numéros normalisés triés, un par ligne : elle peut être recalculée à partir du fichier source de la liste.",
  staleWarning: (names) => `Des listes périmées ont été utilisées à cause de --allow-stale : ${names}.`,
  noLists: "Aucune liste n'a été utilisée.",
  listColumn: 'Liste',
  kindColumn: 'Type',
  versionColumn: 'Version',
  asOfColumn: 'À jour au',
  ageColumn: 'Âge à la date du nettoyage',
  coversColumn: 'Couvre',
  logicalDigestColumn: 'SHA-256 logique',
  days: (n, shown) => `${shown} ${n < 2 ? 'jour' : 'jours'}`,
  ofMaximum: (max) => `(maximum ${max})`,
  stale: 'PÉRIMÉE',
  consentsAnyAge: 'Consentements de tout âge',
  consentsUpTo: (n) => `Consentements de ${n} jours au plus`,
  evidenceDigest: 'SHA-256 des preuves',
  kindName: (k) => own(kindNames, k) ?? k,
  rulesHeading: "Règles de contact et historique d'appels",
  judgedAt: 'Jugé le',
  lookedBack: 'Appels pris en compte depuis le',
  history: "Historique d'appels",
  historyDetail: (attempts, numbers, imports, shown) => `${attempts} tentatives vers ${numbers} numéros, celles depuis la date ci-dessus, issues de ${shown} ${imports < 2 ? 'import' : 'imports'}`,
  lastImport: 'Dernier import vu',
  lastImportDetail: (id, at) => `import n° ${id}, du ${at}`,
  historyDigest: "SHA-256 de l'historique",
  pausedOrCapped: 'Numéros retenus',
  pausedOrCappedDetail: (paused, capped) => `${paused} en pause après refus, ${capped} à leur plafond d'appels`,

  rowsHeading: 'Lignes exclues et invalides',
  rowsIntro:
    "Les lignes sont numérotées à partir de 1, sans compter l'en-tête, comme dans le rapport. Aucun numéro de téléphone n'apparaît ici : le rapport n'en contient aucun. Pour trouver une ligne, choisissez son motif ci-dessous, ou cherchez son numéro dans la page (les pages s'ouvrent d'elles-mêmes dans Chromium et Chrome).",
  noRows: "Aucune ligne n'a été exclue ni jugée invalide.",
  rowsAsText: (total, limit) => `Avec ${total} lignes, chaque page donne ses lignes en texte plutôt qu'en tableau (au-delà de ${limit} lignes, des tableaux rendent la page trop lente à ouvrir).`,
  reasonIndex: 'Motifs',
  reasonIndexIntro: 'Motifs, du plus fort au plus faible :',
  rowCount: (n, shown) => `${shown} ${n < 2 ? 'ligne' : 'lignes'}`,
  rowColumn: 'Ligne',
  listsColumn: 'Listes',
  pageCaption: (reason, first, last, n, shown) => `${reason} : ${rowSpan(first, last, n, shown)}`,
  pageSummary: (page, pages, first, last, n, shown) => `Page ${page} sur ${pages} : ${rowSpan(first, last, n, shown)}`,

  payloadHeading: 'Charge signée et vérification à la main',
  payloadIntroUnsigned: "Le rapport est une enveloppe DSSE contenant une déclaration in-toto, sans signature. La charge ci-dessous est constituée de ses octets, en JSON canonique, tels qu'ils figurent dans le rapport (décodés du base64).",
  unknownKey: 'SIGNER.pub désigne ci-dessous la clé publique du signataire (--pubkey non fourni).',
  payloadIntro:
    "Le rapport est une enveloppe DSSE contenant une déclaration in-toto, signée en Ed25519 sur l'encodage de pré-authentification de DSSE. La charge ci-dessous est constituée des octets signés, en JSON canonique, tels qu'ils figurent dans le rapport (décodés du base64).",
  payloadHeadingUnsigned: 'Charge et vérification à la main',
  payloadSummaryUnsigned: (bytes) => `La charge (${bytes} octets, non signée)`,
  opensslUnsigned: 'Le rapport ne porte aucune signature\u00a0: seuls les fichiers peuvent être vérifiés.',
  opensslOutcomeUnsigned: "Un OK par fichier signifie que les fichiers sont ceux que le rapport nomme\u00a0; rien ne prouve qui a écrit le rapport.",
  payloadSummary: (bytes) => `La charge signée (${bytes} octets)`,
  payloadCut: (shown, total) => `Les ${shown} premiers octets sur ${total} sont montrés ; pour les voir tous :`,
  opensslHeading: 'Vérifier avec OpenSSL, sans callscrub',
  opensslIntro: 'Avec OpenSSL 3, jq et coreutils, dans le dossier qui contient le rapport, la clé publique du signataire et les fichiers :',
  opensslOutcome: '« Signature Verified Successfully » et un OK par fichier signifient que le rapport est bien celui du signataire et que les fichiers sont ceux qu\'il nomme.',
  keyIdHow: "L'identifiant de la clé est le SHA-256 de la clé publique en DER :",
};
