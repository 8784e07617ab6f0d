// The lists the scrub used, one row each: kind, version, as-of date, age on the scrub date against the list's
// maximum (stale ones flagged, with --allow-stale), numbers, coverage and logical digest; consent lists with their
// maximum consent age and evidence digest; then the contact rules and the call history they judged by.

import { daysBetween } from '../dates.js';
import type { Predicate } from '../report/read.js';
import { esc, escName } from './html.js';
import type { Words } from './words.js';

export function listsSection(p: Predicate, w: Words): string {
  const f = w.format;
  const code = (text: string): string => `<code>${escName(text)}</code>`;
  const rows = p.lists.map((l) => {
    const age = daysBetween(l.asOf, p.scrubDate);
    const stale = p.staleLists.find((s) => s.name === l.name);
    const max = stale?.maxAgeDays ?? l.maxAgeDays;
    let ageCell = esc(w.days(age, f.count(age)));
    if (l.kind === 'opposition') {
      ageCell += max === undefined ? '' : ` <span class="muted">${esc(w.ofMaximum(f.count(max)))}</span>`;
      if (stale !== undefined) ageCell += ` <span class="flag">${esc(w.stale)}</span>`;
    }
    const extra: string[] = [];
    if (l.kind === 'consent') {
      extra.push(esc(l.consentMaxAgeDays == null ? w.consentsAnyAge : w.consentsUpTo(f.count(l.consentMaxAgeDays))));
      if (l.evidenceSha256 != null) extra.push(`${esc(w.evidenceDigest)} <code class="digest">${esc(l.evidenceSha256)}</code>`);
    }
    return (
      `<tr${stale === undefined ? '' : ' class="stale"'}><th scope="row">${code(l.name)}</th><td>${esc(w.kindName(l.kind))}</td>` +
      `<td class="n">${esc(f.count(l.version))}</td><td>${esc(f.day(l.asOf))}</td><td>${ageCell}</td><td class="n">${esc(f.count(l.numbers))}</td>` +
      `<td>${l.covers.length === 0 ? '—' : l.covers.map((c) => code(`+${c}`)).join(' ')}</td>` +
      `<td><code class="digest">${esc(l.logicalSha256)}</code>${extra.length === 0 ? '' : `<br>${extra.join('<br>')}`}</td></tr>`
    );
  });
  const columns = [w.listColumn, w.kindColumn, w.versionColumn, w.asOfColumn, w.ageColumn, w.numbersColumn, w.coversColumn, w.logicalDigestColumn];
  return (
    `<section id="lists" aria-labelledby="lists-heading"><h2 id="lists-heading">${esc(w.listsHeading)}</h2>` +
    `<p>${esc(w.listsIntro)}</p>` +
    (p.staleLists.length > 0 ? `<p class="caution">${esc(w.staleWarning(p.staleLists.map((s) => s.name).join(', ')))}</p>` : '') +
    (rows.length === 0
      ? `<p class="caution">${esc(w.noLists)}</p>`
      : `<table><thead><tr>${columns.map((c, i) => `<th scope="col"${i === 2 || i === 5 ? ' class="n"' : ''}>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`) +
    rulesPart(p, w) +
    `</section>`
  );
}

function rulesPart(p: Predicate, w: Words): string {
  const rules = p.contactRules;
  if (rules === undefined) return '';
  const f = w.format;
  const h = rules.history;
  const field = (label: string, value: string): string => `<tr><th scope="row">${esc(label)}</th><td>${value}</td></tr>`;
  return (
    `<h3>${esc(w.rulesHeading)}</h3><table><tbody>` +
    field(w.rules, (p.settings.rules ?? []).map((r) => `<code>${esc(r)}</code>`).join(', ')) +
    field(w.judgedAt, esc(f.instant(rules.at))) +
    field(w.lookedBack, esc(f.instant(rules.since))) +
    field(w.history, esc(w.historyDetail(f.count(h.attempts), f.count(h.numbers), h.imports, f.count(h.imports)))) +
    field(w.lastImport, h.lastImport === null ? esc(w.none) : esc(w.lastImportDetail(f.count(h.lastImport.id), f.instant(h.lastImport.importedAt)))) +
    field(w.historyDigest, `<code class="digest">${esc(h.sha256)}</code>`) +
    field(w.pausedOrCapped, esc(w.pausedOrCappedDetail(f.count(p.counts.byNumberStatus['refusal-pause'] ?? 0), f.count(p.counts.byNumberStatus['frequency-cap'] ?? 0)))) +
    `</tbody></table>`
  );
}
