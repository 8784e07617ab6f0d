// The shape of a report file, checked once where it is parsed (read.ts narrows parsed JSON to the report's types
// with `asserts` validators built on these checks, after sigstore-js): verify, report show and replays never meet a
// count that is a string, a list where an object belongs, or a number too large to count with. Extra keys are left.

import { dayOf } from '../dates.js';
import { encodings, delimiters } from '../csv/dialect.js';
import { printable } from '../ui/printable.js';

/** What is wrong and where: `predicate.counts.rowsIn is not a whole number`. */
export class ShapeError extends Error {}

type Shape = (value: unknown, where: string) => void;

function wrong(where: string, what: string): never {
  throw new ShapeError(`${where} ${what}`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const text: Shape = (value, where) => {
  if (typeof value !== 'string') wrong(where, 'is not a string');
};
const flag: Shape = (value, where) => {
  if (typeof value !== 'boolean') wrong(where, 'is not true or false');
};
const count: Shape = (value, where) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) wrong(where, 'is not a whole number');
};
const positive: Shape = (value, where) => {
  count(value, where);
  if (value === 0) wrong(where, 'is not a whole number from 1');
};
const sha256: Shape = (value, where) => {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) wrong(where, 'is not a SHA-256 in hex');
};
const day: Shape = (value, where) => {
  if (typeof value !== 'string' || dayOf(value) === undefined) wrong(where, 'is not a date as YYYY-MM-DD');
};
const instant: Shape = (value, where) => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(value) || Number.isNaN(Date.parse(value))) wrong(where, 'is not an instant as YYYY-MM-DDTHH:MM:SSZ');
};
const oneOf =
  (choices: readonly string[]): Shape =>
  (value, where) => {
    if (typeof value !== 'string' || !choices.includes(value)) wrong(where, `is not one of ${choices.join(', ')}`);
  };
const optional =
  (shape: Shape): Shape =>
  (value, where) => {
    if (value !== undefined) shape(value, where);
  };
const nullable =
  (shape: Shape): Shape =>
  (value, where) => {
    if (value !== null) shape(value, where);
  };
const list =
  (item: Shape): Shape =>
  (value, where) => {
    if (!Array.isArray(value)) wrong(where, 'is not a list');
    value.forEach((v, i) => item(v, `${where}[${i}]`));
  };
const someOf =
  (item: Shape): Shape =>
  (value, where) => {
    list(item)(value, where);
    if ((value as unknown[]).length === 0) wrong(where, 'is empty');
  };
const tuple =
  (...items: Shape[]): Shape =>
  (value, where) => {
    if (!Array.isArray(value) || value.length !== items.length) wrong(where, `is not a list of ${items.length}`);
    items.forEach((item, i) => item(value[i], `${where}[${i}]`));
  };
const object =
  (fields: Record<string, Shape>): Shape =>
  (value, where) => {
    if (!isObject(value)) wrong(where, 'is not an object');
    // Own properties only: a key such as __proto__ or toString in the file must not stand in for a missing field.
    for (const [key, shape] of Object.entries(fields)) shape(Object.hasOwn(value, key) ? value[key] : undefined, `${where}.${key}`);
  };
const countsByName: Shape = (value, where) => {
  if (!isObject(value)) wrong(where, 'is not an object');
  for (const [key, n] of Object.entries(value)) {
    if (!/^[a-z][a-z-]{0,39}$/.test(key)) wrong(where, `has a key that is not a reason name ('${printable(key.slice(0, 40))}')`);
    count(n, `${where}.${key}`);
  }
};

// `[row, reason, [lists]]` for each excluded or invalid row: a million of them in a large report. Each is checked
// first with no name made for it (naming every element cost 0.3 s of GC on a million), and named only when wrong.
const exclusion = tuple(count, text, list(text));
const rowsExcluded: Shape = (value, where) => {
  if (!Array.isArray(value)) wrong(where, 'is not a list');
  for (let i = 0; i < value.length; i++) {
    const e: unknown = value[i];
    if (Array.isArray(e) && e.length === 3 && Number.isSafeInteger(e[0]) && (e[0] as number) >= 0 && typeof e[1] === 'string' && Array.isArray(e[2]) && e[2].every((l) => typeof l === 'string')) continue;
    exclusion(e, `${where}[${i}]`);
  }
};

// Each output the scrub wrote, once: replays and verify find them by role.
const roles = ['clean', 'excluded', 'invalid'] as const;
const subjects: Shape = (value, where) => {
  list(object({ name: text, digest: object({ sha256 }), annotations: object({ role: oneOf(roles), rows: count }) }))(value, where);
  const seen = (value as Array<{ annotations: { role: string } }>).map((s) => s.annotations.role);
  if (new Set(seen).size !== seen.length) wrong(where, 'names an output twice');
};

const statementShape = object({
  _type: text,
  subject: subjects,
  predicateType: text,
  predicate: object({
    formatVersion: count,
    signed: flag,
    tool: object({ name: text, version: text, phoneMetadata: text }),
    input: object({
      name: text,
      sha256,
      bytes: count,
      rows: count,
      encoding: oneOf(encodings),
      delimiter: oneOf(Object.keys(delimiters)),
      header: flag,
      // A scrub screens at least one column; a replay of none would find them again by itself.
      phoneColumns: someOf(text),
      // A workbook input: the worksheet scrubbed (its CSV outputs' encoding and delimiter are recorded above).
      sheet: optional(text),
    }),
    settings: object({
      lists: nullable(list(text)),
      policy: oneOf(['row', 'number']),
      country: text,
      allowStale: flag,
      allowUnscreened: flag,
      dedupe: flag,
      phoneColumns: optional(nullable(list(text))),
      notPhoneColumns: optional(list(text)),
      // Absent from reports of scrubs before consent lists.
      requireConsent: optional(list(text)),
      consentOverridesOpposition: optional(flag),
      // Absent from reports of scrubs before contact rules.
      rules: optional(list(oneOf(['fr', 'us', 'ca']))),
      schedule: optional(nullable(instant)),
    }),
    lists: list(
      object({
        name: text,
        kind: oneOf(['opposition', 'internal', 'exempt', 'consent']),
        version: positive,
        asOf: day,
        numbers: count,
        logicalSha256: sha256,
        covers: list(text),
        maxAgeDays: optional(count),
        consentMaxAgeDays: optional(nullable(count)),
        evidenceSha256: optional(nullable(sha256)),
      }),
    ),
    staleLists: list(object({ name: text, asOf: day, ageDays: count, maxAgeDays: count })),
    scrubDate: day,
    contactRules: optional(
      object({
        at: instant,
        since: instant,
        history: object({
          imports: count,
          lastImport: nullable(object({ id: positive, importedAt: text })),
          attempts: count,
          numbers: count,
          sha256,
        }),
      }),
    ),
    counts: object({
      rowsIn: count,
      rowsClean: count,
      rowsExcluded: count,
      rowsInvalid: count,
      rowsRewritten: count,
      numbersChecked: count,
      byReason: countsByName,
      byNumberStatus: countsByName,
      consentOverListing: optional(object({ overrode: count, beaten: count })),
    }),
    exclusions: rowsExcluded,
  }),
});

const envelopeShape = object({
  payload: text,
  payloadType: text,
  signatures: list(object({ keyid: text, sig: text })),
  callscrubRun: optional(object({ startedAt: text, endedAt: text, host: text, user: text })),
});

/** Checks a parsed report file against the envelope's shape; throws a ShapeError naming the first wrong field. */
export function checkEnvelope(value: unknown): void {
  envelopeShape(value, 'envelope');
}

/** Checks a parsed payload against the statement's shape; throws a ShapeError naming the first wrong field. */
export function checkStatement(value: unknown): void {
  statementShape(value, 'statement');
  // Fields that go together: rules applied name the history they judged by, and a schedule needs rules.
  const { settings, contactRules } = (value as { predicate: { settings: { rules?: string[]; schedule?: string | null }; contactRules?: unknown } }).predicate;
  const rules = settings.rules ?? [];
  if (rules.length > 0 && contactRules === undefined) wrong('statement.predicate.contactRules', 'is missing though settings.rules names rules');
  if (rules.length === 0 && contactRules !== undefined) wrong('statement.predicate.contactRules', 'is there though settings.rules names none');
  if (typeof settings.schedule === 'string' && rules.length === 0) wrong('statement.predicate.settings.schedule', 'is set though settings.rules names none');
}
