// The auditor's page in English. Every sentence the page shows is here, so that words-fr.ts (checked against this
// one's type) says all of it in French; what comes from the report itself (names, digests) is never translated.

import type { Contradiction } from './contradictions.js';
import { formatFor, type Format } from './format.js';
import { own } from './own.js';

const reasonNames: Record<string, string> = {
  internal: 'Internal list',
  listed: 'Opposition list',
  'no-consent': 'No consent',
  'refusal-pause': 'Refusal pause',
  'frequency-cap': 'Call limit reached',
  unscreened: 'Not screened',
  unreadable: 'Unreadable number',
  duplicate: 'Duplicate',
  'no-number': 'No number',
  'invalid-number': 'Not a number',
  formula: 'Formula in a phone cell',
};

const reasonMeanings: Record<string, string> = {
  internal: "A number is on an internal list (the company's own do-not-call list): never callable.",
  listed: 'A number is on an opposition list, and no contract or consent in force makes it callable.',
  'no-consent': 'A consent is required for its calling code, and none in force was found.',
  'refusal-pause': 'The number refused a call recently and is within its pause (France: 60 days).',
  'frequency-cap': 'The number was called as often as the rules allow in their period (France: 4 calls in 30 days).',
  unscreened: 'No list in use covers the calling code of a number.',
  unreadable: 'A phone cell holds something that looks like a number but yields none (a number damaged by a spreadsheet, say).',
  duplicate: 'The number appeared earlier in the file (--dedupe).',
  'no-number': 'The phone columns hold no number.',
  'invalid-number': 'The phone cells hold only fragments that are not a number.',
  formula: "A workbook's phone cell holds a formula: the number it shows is computed, not stored.",
};

// A number's status that blocks its row is named as the row's reason.
const statusNames: Record<string, string> = { ...reasonNames, callable: 'Callable', consented: 'Consent in force', exempt: 'Exempt (contract)', unreadable: 'Unreadable', invalid: 'Not a number' };

const statusMeanings: Record<string, string> = {
  callable: 'On no list that blocks it.',
  consented: 'A consent in force on the scrub date makes it callable.',
  exempt: 'Listed, but a contract in force on the scrub date (exempt list) makes it callable.',
  internal: 'On an internal list.',
  listed: 'On an opposition list.',
  'no-consent': 'A consent is required and none is in force.',
  'refusal-pause': 'Within the pause after a refusal.',
  'frequency-cap': 'At the call limit of its period.',
  unscreened: 'No list in use covers its calling code.',
  duplicate: 'Seen earlier in the file.',
  unreadable: 'A number-like part that yields no number.',
  invalid: 'Not a usable number.',
};

// Row numbers are written without grouping, as a search of the page for a row's number finds them.
const rowSpan = (first: string, last: string, n: number, shown: string): string => (n === 1 ? `1 row, row ${first}` : `${shown} rows, from row ${first} to row ${last}`);

const kindNames: Record<string, string> = { opposition: 'Opposition', internal: 'Internal', exempt: 'Exempt (contracts)', consent: 'Consent' };

/** What a language of the page says: everything in this object, in the same shape. */
export type Words = typeof en;

export const en = {
  lang: 'en' as 'en' | 'fr',
  /** A label and what it labels: `Excluded: Internal list` (French puts a no-break space before the colon). */
  labelled: (label: string, text: string): string => `${label}: ${text}`,
  format: formatFor('en-GB'),
  title: (input: string, day: string): string => `Scrub of ${input} on ${day}`,
  heading: (report: string): string => `Report ${report}`,
  kicker: 'callscrub · exclusion report',
  checkedOn: (report: string, when: string, version: string): string => `Page made from ${report}; its checks were run on ${when} with callscrub ${version}.`,
  skipToRows: 'Skip to the excluded rows',
  contents: 'On this page',
  footer: (report: string): string =>
    `This page is a reading of ${report} and of the checks above, made when they ran. The report file itself is the evidence: keep it with this page, and check it again with callscrub verify or with OpenSSL.`,

  verdict: { verified: 'Verified', unverified: 'Not verified', incomplete: 'Could not be verified', failed: 'Verification failed', 'not-a-report': 'Not a callscrub report' },
  verdictLead: {
    verified: 'The signature is valid and every file given matches the report.',
    unverified: 'Nothing failed, but the signature was not checked: nothing proves who wrote this report.',
    incomplete: 'A check could not be carried out. Nothing below has been fully verified.',
    failed: 'A check failed: the report, its signature or a file is not what it should be.',
    'not-a-report': 'The file cannot be read as a callscrub report, so there is nothing to show but this.',
  },
  verifiedSignatureOnly: 'The signature is valid: the report is the signer\'s, unchanged. No file was given to check against it.',
  firstProblem: 'First problem:',
  contradictionsIntro: 'The report contradicts itself (callscrub never writes such a report; only a replay proves its figures):',
  contradiction: (c: Contradiction, f: Format): string => {
    switch (c.kind) {
      case 'outcomes':
        return `its clean, excluded and invalid rows add up to ${f.count(c.sum)}, not to its ${f.count(c.rowsIn)} rows;`;
      case 'input-rows':
        return `its input has ${f.count(c.inputRows)} rows, its counts ${f.count(c.rowsIn)};`;
      case 'outcome-rows':
        return `it counts ${f.count(c.counted)} ${c.outcome} rows but lists ${f.count(c.listed)};`;
      case 'output-rows':
        return `its ${c.role} file holds ${f.count(c.written)} rows, its counts ${f.count(c.counted)};`;
      case 'statuses':
        return `its numbers by status add up to ${f.count(c.sum)}, not to the ${f.count(c.numbersChecked)} numbers it checked;`;
      case 'stale':
        return c.why === 'not-opposition' ? `it records the list ${c.list} as stale, which is no opposition list it used;` : `it records the stale list ${c.list} although stale lists were not allowed;`;
      case 'reason':
        return `it counts ${f.count(c.counted)} rows for the reason ${c.reason} but lists ${f.count(c.listed)};`;
      case 'row':
        return `it lists row ${c.row}, outside its rows 1 to ${c.rowsIn};`;
      case 'order':
        return `it lists row ${c.row} twice or out of order;`;
      case 'future-list':
        return `the list ${c.list} is dated ${f.day(c.asOf)}, after the scrub;`;
      case 'unflagged-stale':
        return `the list ${c.list} was ${f.count(c.ageDays)} days old, over its maximum of ${f.count(c.maxAgeDays)}, but is not recorded as stale;`;
    }
  },
  unsignedCaution: 'The report carries no signature: nothing proves who wrote it, or that it is unchanged. Everything below is only what it says.',
  digestUnverified: 'as recorded in a report whose signature is not verified',
  caution: {
    failed: 'Everything below is what the report says, shown as it is. Because a check failed, none of it can be trusted.',
    incomplete: 'Everything below is what the report says, shown as it is; it has not been fully verified.',
    unverified: 'Everything below is what the report says. Give the signer\'s public key (--pubkey) to check that the signer wrote it.',
  },
  checksCaption: 'Checks, in the order callscrub verify runs them',
  checkColumn: 'Check',
  fileColumn: 'File',
  resultColumn: 'Result',
  detailColumn: 'Detail',
  checkName: { format: 'Report format', signature: 'Signature', input: 'Input file', 'clean file': 'Clean file', 'excluded file': 'Excluded file', 'invalid file': 'Invalid file', replay: 'Replay' },
  status: { passed: 'Passed', failed: 'Failed', 'not-run': 'Could not be checked', 'not-asked': 'Not checked' },
  signatureValid: 'Valid',
  digestMatched: 'Matched',
  standardInput: 'standard input',
  noneWritten: 'None written',
  noneWrittenDetail: 'The scrub wrote no such file.',
  unsigned: 'The report carries no signature.',
  notAskedDetail: 'Not given; to check it:',
  formatDetail: 'A callscrub scrub report, format 1, every field of the expected type.',
  signatureDetail: 'Ed25519, by the key with id',
  replayDetail: 'Scrubbed again against the recorded list versions, settings and scrub date: the same counts, excluded and invalid rows and output digests.',
  digestDetail: 'as recorded',

  scrubHeading: 'The scrub',
  scrubDate: 'Scrub date',
  ran: 'Run',
  ranDetail: (start: string, end: string, host: string, user: string): string => `${start} to ${end}, on ${host} as ${user}`,
  notSigned: '(recorded beside the signed payload, not signed)',
  tool: 'Tool',
  inputHeading: 'Input',
  inputName: 'File name',
  inputSize: 'Size',
  bytesAndRows: (bytes: string, rows: string): string => `${bytes} bytes, ${rows} rows`,
  encoding: 'Encoding',
  sheet: 'Sheet (an Excel workbook)',
  delimiter: 'Delimiter',
  header: 'Header row',
  phoneColumns: 'Phone columns screened',
  yes: 'yes',
  no: 'no',
  none: 'none',
  settingsHeading: 'Settings',
  listsChosen: 'Lists asked for',
  allLists: 'every list in the registry',
  policy: 'Policy',
  policyMeaning: { row: '(a row with a blocked number is excluded)', number: '(blocked numbers are blanked; the row stays if a callable number remains)' },
  country: 'Default country',
  allowStale: 'Stale lists allowed',
  allowUnscreened: 'Numbers no list covers allowed',
  dedupe: 'Duplicates removed',
  requireConsent: 'Consent required for',
  consentOverrides: 'A consent overrides a listing',
  rules: 'Contact rules',
  schedule: 'Calling windows from',
  namedPhoneColumns: 'Phone columns named',
  notPhoneColumns: 'Columns declared not phone',
  outputsHeading: 'Files written',
  noOutputs: 'The report names no output file.',
  outputColumn: 'Output',
  rowsColumn: 'Rows',
  role: { clean: 'Clean (callable rows)', excluded: 'Excluded rows', invalid: 'Invalid rows' } as Record<string, string>,

  outcomeHeading: 'Outcome',
  rowsIn: 'rows in',
  clean: 'Clean',
  outcome: { excluded: 'Excluded', invalid: 'Invalid' },
  numbersChecked: 'numbers checked',
  rewritten: (n: string): string => `${n} clean rows were rewritten: their blocked numbers were blanked (policy number).`,
  consentOverListing: (overrode: string, beaten: string): string => `Listed numbers with a consent in force: ${overrode} kept (the consent overrides the listing), ${beaten} excluded.`,
  rowsChartTitle: 'Rows by outcome and reason',
  rowsChartDescription: (total: string): string => `A bar per outcome and reason, out of ${total} rows; the table below gives the same figures.`,
  rowsTableCaption: 'Rows by outcome and reason',
  outcomeColumn: 'Outcome',
  reasonColumn: 'Reason',
  shareColumn: 'Share',
  numbersChartTitle: 'Numbers by status',
  numbersChartDescription: (n: string): string => `A bar per status, out of ${n} numbers read in the phone cells; the table below gives the same figures.`,
  numbersTableCaption: 'Numbers by status',
  noNumbers: 'No number was read.',
  statusColumn: 'Status',
  meaningColumn: 'Meaning',
  numbersColumn: 'Numbers',
  reasonName: (r: string): string => own(reasonNames, r) ?? r,
  reasonMeaning: (r: string): string => own(reasonMeanings, r) ?? 'A reason this version of callscrub does not know.',
  statusName: (s: string): string => own(statusNames, s) ?? s,
  statusMeaning: (s: string): string => own(statusMeanings, s) ?? 'A status this version of callscrub does not know.',

  listsHeading: 'Lists used',
  listsIntro: 'Each list at the version the scrub pinned when it started. The logical SHA-256 is that of the sorted normalized numbers, one per line: it can be recomputed from the list\'s source file.',
  staleWarning: (names: string): string => `Stale lists were used because of --allow-stale: ${names}.`,
  noLists: 'No list was used.',
  listColumn: 'List',
  kindColumn: 'Kind',
  versionColumn: 'Version',
  asOfColumn: 'As of',
  ageColumn: 'Age on the scrub date',
  coversColumn: 'Covers',
  logicalDigestColumn: 'Logical SHA-256',
  days: (n: number, shown: string): string => `${shown} ${n === 1 ? 'day' : 'days'}`,
  ofMaximum: (max: string): string => `(maximum ${max})`,
  stale: 'STALE',
  consentsAnyAge: 'Consents of any age',
  consentsUpTo: (n: string): string => `Consents up to ${n} days old`,
  evidenceDigest: 'Evidence SHA-256',
  kindName: (k: string): string => own(kindNames, k) ?? k,
  rulesHeading: 'Contact rules and call history',
  judgedAt: 'Judged on',
  lookedBack: 'Calls looked at since',
  history: 'Call history',
  historyDetail: (attempts: string, numbers: string, imports: number, shown: string): string =>
    `${attempts} attempts to ${numbers} numbers, those since the date above, from ${shown} ${imports === 1 ? 'import' : 'imports'}`,
  lastImport: 'Last import seen',
  lastImportDetail: (id: string, at: string): string => `import ${id}, of ${at}`,
  historyDigest: 'History SHA-256',
  pausedOrCapped: 'Numbers held back',
  pausedOrCappedDetail: (paused: string, capped: string): string => `${paused} in a refusal pause, ${capped} at their call limit`,

  rowsHeading: 'Excluded and invalid rows',
  rowsIntro:
    'Rows are numbered from 1, the header not counted, as in the report. No phone number appears here: the report holds none. To find a row, choose its reason below, or search this page for its number (pages open by themselves in Chromium and Chrome).',
  noRows: 'No row was excluded or invalid.',
  rowsAsText: (total: string, limit: string): string => `With ${total} rows, each page lists its rows as lines of text rather than as a table (tables above ${limit} rows make the page too slow to open).`,
  reasonIndex: 'Reasons',
  reasonIndexIntro: 'Reasons, strongest first:',
  rowCount: (n: number, shown: string): string => `${shown} ${n === 1 ? 'row' : 'rows'}`,
  rowColumn: 'Row',
  listsColumn: 'Lists',
  pageCaption: (reason: string, first: string, last: string, n: number, shown: string): string => `${reason}: ${rowSpan(first, last, n, shown)}`,
  pageSummary: (page: string, pages: string, first: string, last: string, n: number, shown: string): string => `Page ${page} of ${pages}: ${rowSpan(first, last, n, shown)}`,

  payloadHeading: 'Signed payload and checking it by hand',
  payloadIntroUnsigned: 'The report is a DSSE envelope holding an in-toto statement, with no signature. The payload below is its bytes, canonical JSON, as they are in the report (base64-decoded).',
  unknownKey: 'SIGNER.pub below stands for the signer\'s public key (no --pubkey was given).',
  payloadIntro:
    'The report is a DSSE envelope holding an in-toto statement, signed with Ed25519 over DSSE\'s pre-authentication encoding. The payload below is the signed bytes, canonical JSON, as they are in the report (base64-decoded).',
  payloadSummary: (bytes: string): string => `The signed payload (${bytes} bytes)`,
  payloadHeadingUnsigned: 'Payload and checking it by hand',
  payloadSummaryUnsigned: (bytes: string): string => `The payload (${bytes} bytes, unsigned)`,
  opensslUnsigned: 'The report carries no signature: only the files can be checked against it.',
  opensslOutcomeUnsigned: 'An OK per file means the files are those the report names; nothing proves who wrote the report.',
  payloadCut: (shown: string, total: string): string => `The first ${shown} of ${total} bytes are shown; all of them:`,
  opensslHeading: 'Checking with OpenSSL, without callscrub',
  opensslIntro: 'With OpenSSL 3, jq and coreutils, in the folder holding the report, the signer\'s public key and the files:',
  opensslOutcome: '"Signature Verified Successfully" and an OK per file mean the report is the signer\'s and the files are those it names.',
  keyIdHow: 'The key id is the SHA-256 of the public key in DER:',
};
