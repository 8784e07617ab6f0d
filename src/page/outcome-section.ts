// The scrub's outcome: the row counts as figures, then two charts drawn by the program (rows by outcome and reason;
// numbers by status), each followed by the same figures as a table for screen readers, print and copying.

import type { Predicate } from '../report/read.js';
import { barChart, type Bar } from './chart.js';
import { anchor, esc } from './html.js';
import { own } from './own.js';
import { cleanColour, orderReasons, orderStatuses, outcomeOfReason, reasonColour, statusColour } from './reasons.js';
import type { Words } from './words.js';

export function outcomeSection(p: Predicate, w: Words): string {
  const f = w.format;
  const c = p.counts;
  const total = c.rowsIn;
  const figure = (label: string, value: number): string => `<div class="figure"><strong>${esc(f.count(value))}</strong>${esc(label)}</div>`;
  const reasons = orderReasons(Object.keys(c.byReason));
  const rowBars: Bar[] = [
    { label: w.clean, value: c.rowsClean, colour: cleanColour, figure: `${f.count(c.rowsClean)} (${f.share(c.rowsClean, total)})` },
    ...reasons.map((r) => {
      const n = own(c.byReason, r) ?? 0;
      return { label: w.labelled(w.outcome[outcomeOfReason(r)], w.reasonName(r)), value: n, colour: reasonColour(r), figure: `${f.count(n)} (${f.share(n, total)})` };
    }),
  ];
  const rowTable = [
    `<tr><td>${esc(w.clean)}</td><td>—</td><td class="n">${esc(f.count(c.rowsClean))}</td><td class="n">${esc(f.share(c.rowsClean, total))}</td></tr>`,
    ...reasons.map((r) => {
      const n = own(c.byReason, r) ?? 0;
      return `<tr><td>${esc(w.outcome[outcomeOfReason(r)])}</td><td><a href="#${anchor('reason', r)}">${esc(w.reasonName(r))}</a> <span class="muted">${esc(w.reasonMeaning(r))}</span></td><td class="n">${esc(f.count(n))}</td><td class="n">${esc(f.share(n, total))}</td></tr>`;
    }),
  ];
  const statuses = orderStatuses(Object.keys(c.byNumberStatus));
  const numbers = statuses.reduce((sum, s) => sum + (own(c.byNumberStatus, s) ?? 0), 0);
  const statusBars: Bar[] = statuses.map((s) => {
    const n = own(c.byNumberStatus, s) ?? 0;
    return { label: w.statusName(s), value: n, colour: statusColour(s), figure: `${f.count(n)} (${f.share(n, numbers)})` };
  });
  const statusTable = statuses.map((s) => {
    const n = own(c.byNumberStatus, s) ?? 0;
    return `<tr><td><code>${esc(s)}</code> ${esc(w.statusName(s))}</td><td>${esc(w.statusMeaning(s))}</td><td class="n">${esc(f.count(n))}</td><td class="n">${esc(f.share(n, numbers))}</td></tr>`;
  });
  const over = c.consentOverListing;
  const head = (...cells: string[]): string => `<thead><tr>${cells.map((cell, i) => `<th scope="col"${i >= cells.length - 2 ? ' class="n"' : ''}>${esc(cell)}</th>`).join('')}</tr></thead>`;
  return (
    `<section id="outcome" aria-labelledby="outcome-heading"><h2 id="outcome-heading">${esc(w.outcomeHeading)}</h2>` +
    `<div class="figures">${figure(w.rowsIn, c.rowsIn)}${figure(w.clean, c.rowsClean)}${figure(w.outcome.excluded, c.rowsExcluded)}${figure(w.outcome.invalid, c.rowsInvalid)}${figure(w.numbersChecked, c.numbersChecked)}</div>` +
    (c.rowsRewritten > 0 ? `<p>${esc(w.rewritten(f.count(c.rowsRewritten)))}</p>` : '') +
    (over !== undefined && over.overrode + over.beaten > 0 ? `<p>${esc(w.consentOverListing(f.count(over.overrode), f.count(over.beaten)))}</p>` : '') +
    `<h3 id="chart-rows">${esc(w.rowsChartTitle)}</h3>` +
    barChart('chart-rows-svg', w.rowsChartTitle, w.rowsChartDescription(f.count(total)), rowBars) +
    `<table><caption>${esc(w.rowsTableCaption)}</caption>${head(w.outcomeColumn, w.reasonColumn, w.rowsColumn, w.shareColumn)}<tbody>${rowTable.join('')}</tbody></table>` +
    `<h3 id="chart-numbers">${esc(w.numbersChartTitle)}</h3>` +
    (statuses.length === 0
      ? `<p>${esc(w.noNumbers)}</p>`
      : barChart('chart-numbers-svg', w.numbersChartTitle, w.numbersChartDescription(f.count(numbers)), statusBars) +
        `<table><caption>${esc(w.numbersTableCaption)}</caption>${head(w.statusColumn, w.meaningColumn, w.numbersColumn, w.shareColumn)}<tbody>${statusTable.join('')}</tbody></table>`) +
    `</section>`
  );
}
