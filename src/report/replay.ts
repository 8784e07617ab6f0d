// Replaying a scrub for an auditor: the list versions a report names are rebuilt from the registry's history (found
// by logical digest, whatever the list is called there), the input is scrubbed again with the recorded settings and
// scrub date, and everything is compared: counts, each excluded or invalid row, the output digests.

import { availableParallelism } from 'node:os';
import { dayOf } from '../dates.js';
import { CallscrubError } from '../errors.js';
import type { Source } from '../io/source.js';
import { logicalDigest } from '../numbers/digest.js';
import { matchingSet } from '../registry/readings.js';
import { Registry } from '../registry/store.js';
import { Screening, type PinnedList } from '../scrub/screening.js';
import { ContactRules, historyDigest } from '../scrub/contact-rules.js';
import { Schedule } from '../scrub/schedule.js';
import type { RuleSetName } from '../rules/rule-sets.js';
import { hashSink } from '../io/sink.js';
import { scrub, type ScrubResult, type ScrubSettings } from '../scrub/scrub.js';
import { rowWriterFor, scrubWorkbook } from '../scrub/workbook-scrub.js';
import type { Statement } from './read.js';

export async function replay(statement: Statement, input: Source, db: string, reportName: string): Promise<void> {
  // Replaying needs nothing but the statement, the input and a registry: the caller has checked the signature.
  // The input comes opened by the caller, standard input included: nothing here reads the process's own.
  const p = statement.predicate;
  const pinned = rebuildLists(statement, db);
  const screening = new Screening(pinned, dayOf(p.scrubDate) as number, {
    codes: p.settings.requireConsent ?? [],
    overridesOpposition: p.settings.consentOverridesOpposition ?? false,
  });
  const rules = (p.settings.rules ?? []) as RuleSetName[];
  const contact = rules.length === 0 ? undefined : rebuildContactRules(statement, rules, db, reportName);
  const schedule = typeof p.settings.schedule === 'string' ? new Schedule(rules, Date.parse(p.settings.schedule), p.settings.allowUnscreened) : undefined;
  const sinks = { clean: hashSink(), excluded: hashSink(), invalid: hashSink() };
  const settings: ScrubSettings = {
    phoneColumns: p.input.header ? p.input.phoneColumns : p.input.phoneColumns.map((name) => name.replace(/^column /, '')),
    // The columns screened are those recorded: the check of the others was done, or overruled, by the scrub.
    notPhoneColumns: [],
    checkContent: false,
    header: p.input.header,
    country: p.settings.country,
    policy: p.settings.policy as 'row' | 'number',
    encoding: p.input.encoding as 'utf-8' | 'windows-1252',
    delimiter: p.input.delimiter as ';' | ',' | 'tab',
    allowUnscreened: p.settings.allowUnscreened,
    dedupe: p.settings.dedupe,
    contact,
    schedule,
    // On every core, as the scrub ran by default: the outputs are the same bytes on any number of threads.
    threads: availableParallelism(),
  };
  let result: ScrubResult;
  if (p.input.sheet !== undefined) {
    // A workbook, read again from the same sheet; each output written again in the format of its recorded name
    // (a workbook's bytes are the same for the same cells: its zip entries carry a fixed date).
    const delimiter = p.input.delimiter as ';' | ',' | 'tab';
    const nameOf = (role: string) => statement.subject.find((s) => s.annotations?.role === role)?.name ?? '';
    result = await scrubWorkbook(
      input,
      screening,
      { ...settings, sheet: p.input.sheet },
      { clean: rowWriterFor(nameOf('clean'), sinks.clean, delimiter), excluded: rowWriterFor(nameOf('excluded'), sinks.excluded, delimiter), invalid: rowWriterFor(nameOf('invalid'), sinks.invalid, delimiter) },
      { rows: 0, bytes: 0 },
    );
  } else result = await scrub(input, screening, settings, sinks, { rows: 0, bytes: 0 });
  const differs = (what: string): never => {
    throw new CallscrubError('verification', `the replay differs: ${what}`, { file: reportName });
  };
  const c = result.counts;
  for (const key of ['rowsIn', 'rowsClean', 'rowsExcluded', 'rowsInvalid', 'rowsRewritten', 'numbersChecked'] as const) {
    if (c[key] !== p.counts[key]) differs(`${key} is ${c[key]}, the report has ${p.counts[key]}`);
  }
  for (const key of ['overrode', 'beaten'] as const) {
    const recorded = p.counts.consentOverListing?.[key] ?? 0;
    if (c.consentOverListing[key] !== recorded) differs(`consentOverListing.${key} is ${c.consentOverListing[key]}, the report has ${recorded}`);
  }
  const replayed = [...result.exclusions.entries()];
  const recorded = p.exclusions;
  for (let i = 0; i < Math.max(replayed.length, recorded.length); i++) {
    const a = replayed[i];
    const b = recorded[i];
    const same = a !== undefined && b !== undefined && a.row === b[0] && a.reason === b[1] && a.lists.join(',') === b[2].join(',');
    if (!same) {
      const row = Math.min(a?.row ?? Infinity, b?.[0] ?? Infinity);
      differs(`row ${row}: ${b === undefined ? 'not excluded' : `${b[1]} (${b[2].join(', ') || 'no list'})`} in the report, ${a === undefined ? 'not excluded' : `${a.reason} (${a.lists.join(', ') || 'no list'})`} now`);
    }
  }
  for (const subject of statement.subject) {
    const role = subject.annotations?.role as 'clean' | 'excluded' | 'invalid' | undefined;
    if (role === undefined) continue;
    const sink = sinks[role];
    sink.finish();
    if (sink.sha256() !== subject.digest.sha256) differs(`the ${role} file (${subject.name}) would not be the same`);
  }
}

/**
 * The call history the scrub judged by, from this registry: the imports committed up to the last one it saw, the
 * attempts within the rules' reach of the instant it judged at; refused when pruning removed some or they differ.
 */
function rebuildContactRules(statement: Statement, rules: readonly RuleSetName[], db: string, reportName: string): ContactRules {
  const recorded = statement.predicate.contactRules;
  if (recorded === undefined) throw new CallscrubError('verification', 'the report names contact rules but not the call history they judged by', { file: reportName });
  const atSecond = Date.parse(recorded.at) / 1000;
  const sinceSecond = Date.parse(recorded.since) / 1000;
  const missing = () => new CallscrubError('database', 'no registry to rebuild the call history from', { file: db, hint: 'name it with --db' });
  const registry = Registry.openExisting(db, missing, { readonly: true });
  try {
    return registry.read(() => {
      const history = registry.callHistory();
      const last = recorded.history.lastImport;
      const { attempts, imports } = history.asOf(last === null ? 0 : last.id, sinceSecond);
      const digest = historyDigest(attempts, sinceSecond);
      if (imports !== recorded.history.imports || digest.sha256 !== recorded.history.sha256) {
        const { prunedBefore, prunedAt } = history.pruning();
        if (prunedBefore !== null && prunedBefore > sinceSecond) {
          throw new CallscrubError('database', `the call history the scrub judged by was pruned on ${prunedAt} (calls before ${new Date(prunedBefore * 1000).toISOString()} are gone)`, {
            file: db,
            hint: 'replay against a backup of the registry made before the prune',
          });
        }
        throw new CallscrubError('verification', `the call history in the registry is not what the scrub judged by (${recorded.history.imports} imports, ${recorded.history.attempts} attempts within reach; here ${imports} imports, ${digest.attempts} attempts)`, {
          file: db,
          hint: 'replay against the registry the scrub used, or a backup of it',
        });
      }
      return new ContactRules(attempts, rules, atSecond);
    });
  } finally {
    registry.close();
  }
}

/** The list versions the report names, from this registry, matched by logical digest. */
function rebuildLists(statement: Statement, db: string): PinnedList[] {
  const missing = () => new CallscrubError('database', 'no registry to rebuild the list versions from', { file: db, hint: 'name it with --db' });
  const registry = Registry.openExisting(db, missing, { readonly: true });
  try {
    return registry.read(() =>
      statement.predicate.lists.map((wanted) => {
        const candidates = registry.versions().filter((v) => v.logicalSha256 === wanted.logicalSha256 && v.kind === wanted.kind);
        // Two consent versions may hold the same days with other evidence: the one recorded with the same evidence first.
        const sameEvidence = (v: (typeof candidates)[number]) => {
          const list = registry.list(v.list);
          return list !== undefined && registry.recordedEvidenceDigest(list, v.version) === wanted.evidenceSha256;
        };
        const usable = candidates.find((v) => v.replayable && sameEvidence(v)) ?? candidates.find((v) => v.replayable);
        if (usable === undefined) {
          const pruned = candidates[0];
          throw new CallscrubError(
            'database',
            pruned === undefined
              ? `no version of any list in the registry holds the numbers of '${wanted.name}' v${wanted.version} (as of ${wanted.asOf})`
              : `'${wanted.name}' v${wanted.version} (as of ${wanted.asOf}) is ${pruned.list} v${pruned.version} here, and its history was pruned`,
            { file: db, hint: pruned === undefined ? 'import the same source file into this registry' : 'it can no longer be replayed from this registry' },
          );
        }
        const list = registry.list(usable.list);
        const set = list === undefined ? undefined : registry.setAt(list, usable.version);
        if (set === undefined || logicalDigest(set) !== wanted.logicalSha256) {
          throw new CallscrubError('database', `the registry's history of ${usable.list} does not rebuild version ${usable.version}`, { file: db });
        }
        // The consents' evidence as the registry holds it now must be what the scrub relied on.
        if (usable.kind === 'consent' && typeof wanted.evidenceSha256 === 'string' && list !== undefined && registry.evidenceDigestOf(list, usable.version) !== wanted.evidenceSha256) {
          throw new CallscrubError('verification', `the evidence of '${wanted.name}' v${wanted.version} in the registry is not what the scrub relied on: it changed since`, {
            file: db,
            hint: 'restore the registry from a backup made before the change',
          });
        }
        return {
          name: wanted.name,
          kind: usable.kind,
          version: wanted.version,
          asOf: wanted.asOf,
          numbersTotal: usable.numbersTotal,
          logicalSha256: usable.logicalSha256,
          // The coverage the scrub used, as recorded: it is not part of the numbers' digest.
          covers: wanted.covers,
          // The maximum age of a consent the scrub used, as recorded: a list setting, not part of the digest.
          consentMaxAgeDays: wanted.consentMaxAgeDays ?? null,
          // Matched as the scrub matched (readings.ts, matchingSet).
          set: matchingSet(set, usable.kind),
        };
      }),
    );
  } finally {
    registry.close();
  }
}
