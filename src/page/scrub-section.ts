// What was scrubbed, when and how: the scrub date and run, the tool, the input (name, digest, size, dialect, phone
// columns), every setting as recorded, and each output the report names. The run's times, host and user are beside
// the signed payload, not in it: the page says so.

import type { ReadReport } from '../report/read.js';
import { esc, escName } from './html.js';
import type { Words } from './words.js';

const delimiterNames: Record<string, string> = { ';': ';', ',': ',', tab: 'tab' };

export function scrubSection(report: ReadReport, w: Words): string {
  const p = report.statement.predicate;
  const f = w.format;
  const run = report.envelope.callscrubRun;
  const field = (label: string, value: string): string => `<tr><th scope="row">${esc(label)}</th><td>${value}</td></tr>`;
  const code = (text: string): string => `<code>${escName(text)}</code>`;
  const digest = (text: string): string => `<code class="digest">${esc(text)}</code>`;
  const yes = (value: boolean | undefined): string => esc(value === true ? w.yes : w.no);
  const s = p.settings;
  const codes = s.requireConsent ?? [];
  const rules = s.rules ?? [];
  const rows = [
    field(w.scrubDate, `${esc(f.day(p.scrubDate))} <span class="muted">(${esc(p.scrubDate)})</span>`),
    ...(run === undefined ? [] : [field(w.ran, `${esc(w.ranDetail(f.instant(run.startedAt), f.instant(run.endedAt), run.host, run.user))} <span class="muted">${esc(w.notSigned)}</span>`)]),
    field(w.tool, `callscrub ${esc(p.tool.version)} <span class="muted">(${esc(p.tool.phoneMetadata)})</span>`),
  ];
  const input = [
    field(w.inputName, code(p.input.name)),
    // A workbook: its sheet; the encoding and delimiter below are then those of its CSV outputs.
    ...(p.input.sheet === undefined ? [] : [field(w.sheet, code(p.input.sheet))]),
    field('SHA-256', digest(p.input.sha256)),
    field(w.inputSize, esc(w.bytesAndRows(f.count(p.input.bytes), f.count(p.input.rows)))),
    field(w.encoding, esc(p.input.encoding)),
    field(w.delimiter, code(delimiterNames[p.input.delimiter] ?? p.input.delimiter)),
    field(w.header, yes(p.input.header)),
    field(w.phoneColumns, p.input.phoneColumns.map(code).join(', ')),
  ];
  const settings = [
    field(w.listsChosen, s.lists === null ? esc(w.allLists) : s.lists.map(code).join(', ')),
    field(w.policy, `${code(s.policy)} <span class="muted">${esc(w.policyMeaning[s.policy === 'number' ? 'number' : 'row'])}</span>`),
    field(w.country, code(s.country)),
    field(w.allowStale, yes(s.allowStale)),
    field(w.allowUnscreened, yes(s.allowUnscreened)),
    field(w.dedupe, yes(s.dedupe)),
    field(w.requireConsent, codes.length === 0 ? esc(w.no) : codes.map((c) => code(`+${c}`)).join(' ')),
    field(w.consentOverrides, yes(s.consentOverridesOpposition)),
    field(w.rules, rules.length === 0 ? esc(w.none) : rules.map(code).join(', ')),
    ...(typeof s.schedule === 'string' ? [field(w.schedule, esc(f.instant(s.schedule)))] : []),
    ...(s.phoneColumns == null ? [] : [field(w.namedPhoneColumns, s.phoneColumns.map(code).join(', '))]),
    ...(s.notPhoneColumns === undefined || s.notPhoneColumns.length === 0 ? [] : [field(w.notPhoneColumns, s.notPhoneColumns.map(code).join(', '))]),
  ];
  const outputs = report.statement.subject.map(
    (o) => `<tr><td>${esc(w.role[o.annotations?.role ?? ''] ?? o.annotations?.role ?? '')}</td><td>${code(o.name)}</td><td class="n">${esc(f.count(o.annotations?.rows ?? 0))}</td><td>${digest(o.digest.sha256)}</td></tr>`,
  );
  return (
    `<section id="scrub" aria-labelledby="scrub-heading"><h2 id="scrub-heading">${esc(w.scrubHeading)}</h2>` +
    `<table><tbody>${rows.join('')}</tbody></table>` +
    `<h3>${esc(w.inputHeading)}</h3><table><tbody>${input.join('')}</tbody></table>` +
    `<h3>${esc(w.settingsHeading)}</h3><table><tbody>${settings.join('')}</tbody></table>` +
    `<h3>${esc(w.outputsHeading)}</h3>` +
    (outputs.length === 0
      ? `<p>${esc(w.noOutputs)}</p>`
      : `<table><thead><tr><th scope="col">${esc(w.outputColumn)}</th><th scope="col">${esc(w.fileColumn)}</th><th scope="col" class="n">${esc(w.rowsColumn)}</th><th scope="col">SHA-256</th></tr></thead><tbody>${outputs.join('')}</tbody></table>`) +
    `</section>`
  );
}
