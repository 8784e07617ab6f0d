// The excluded and invalid rows, by row number and reason (never a phone number: the report holds none), grouped by
// reason, strongest first, with an index of links: choosing a reason is the filter, and it needs no script. Long
// groups are cut into pages of a thousand rows, each a <details> element (closed pages cost the browser no layout).
// Up to `tableLimit` rows in all, each page is a table; above it, each page is lines of text in columns: measured in
// headless Chromium 156 on 1,000,000 rows, tables took 12 s to load and 5 s to open a page, text 1.5 s and 0.3 s.

import type { Predicate } from '../report/read.js';
import { anchor, esc } from './html.js';
import { orderReasons, outcomeOfReason } from './reasons.js';
import type { Words } from './words.js';

export const rowsPerPage = 1000;
export const tableLimit = 20_000;

/** The section as pieces of HTML, in order (a million rows make one string too long to build at once). */
export function rowsSection(p: Predicate, w: Words): string[] {
  const f = w.format;
  const groups = new Map<string, number[]>();
  p.exclusions.forEach(([, reason], i) => {
    const group = groups.get(reason);
    if (group === undefined) groups.set(reason, [i]);
    else group.push(i);
  });
  const reasons = orderReasons(groups.keys());
  const asText = p.exclusions.length > tableLimit;
  const out: string[] = [
    `<section id="rows" aria-labelledby="rows-heading"><h2 id="rows-heading">${esc(w.rowsHeading)}</h2>`,
    `<p>${esc(w.rowsIntro)}</p>`,
  ];
  if (reasons.length === 0) {
    out.push(`<p>${esc(w.noRows)}</p></section>`);
    return out;
  }
  if (asText) out.push(`<p>${esc(w.rowsAsText(f.count(p.exclusions.length), f.count(tableLimit)))}</p>`);
  out.push(
    `<nav class="reasons" aria-label="${esc(w.reasonIndex)}"><p>${esc(w.reasonIndexIntro)}</p><ul>` +
      reasons
        .map((r) => {
          const n = groups.get(r)?.length ?? 0;
          const link = `<a href="#${anchor('reason', r)}">${esc(w.reasonName(r))}</a>`;
          return `<li>${w.labelled(link, esc(w.rowCount(n, f.count(n))))} <span class="muted">(${esc(w.outcome[outcomeOfReason(r)])})</span></li>`;
        })
        .join('') +
      `</ul></nav>`,
  );
  // The lists of a row, escaped once per distinct set: a million rows name a handful of lists.
  const listCells = new Map<string, string>();
  const listsOf = (lists: readonly string[]): string => {
    const key = lists.join('\u0000');
    let cell = listCells.get(key);
    if (cell === undefined) {
      cell = lists.length === 0 ? '—' : esc(lists.join(', '));
      listCells.set(key, cell);
    }
    return cell;
  };
  for (const reason of reasons) {
    const members = groups.get(reason) as number[];
    const id = anchor('reason', reason);
    out.push(
      // The heading's id is the section's with a prefix no reason's id has (a suffix could be another reason's).
      `<section id="${id}" aria-labelledby="h-${id}"><h3 id="h-${id}">${esc(w.labelled(w.reasonName(reason), w.rowCount(members.length, f.count(members.length))))} <span class="muted">(${esc(w.outcome[outcomeOfReason(reason)])})</span></h3>`,
      `<p class="muted">${esc(w.reasonMeaning(reason))}</p>`,
    );
    const pages = Math.ceil(members.length / rowsPerPage);
    for (let page = 0; page < pages; page++) {
      const slice = members.slice(page * rowsPerPage, (page + 1) * rowsPerPage);
      const first = p.exclusions[slice[0] as number]?.[0] ?? 0;
      const last = p.exclusions[slice[slice.length - 1] as number]?.[0] ?? 0;
      let body: string;
      if (asText) {
        const width = String(last).length;
        const lines = slice.map((i) => {
          const [row, , lists] = p.exclusions[i] as [number, string, string[]];
          return `${String(row).padStart(Math.max(width, w.rowColumn.length))}  ${listsOf(lists)}`;
        });
        body = `<pre class="rows">${esc(w.rowColumn.padStart(Math.max(width, w.rowColumn.length)))}  ${esc(w.listsColumn)}\n${lines.join('\n')}</pre>`;
      } else {
        const rows = slice.map((i) => {
          const [row, , lists] = p.exclusions[i] as [number, string, string[]];
          return `<tr><td class="n">${row}</td><td>${listsOf(lists)}</td></tr>`;
        });
        body = `<table><caption class="muted">${esc(w.pageCaption(w.reasonName(reason), String(first), String(last), slice.length, f.count(slice.length)))}</caption><thead><tr><th scope="col" class="n">${esc(w.rowColumn)}</th><th scope="col">${esc(w.listsColumn)}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
      }
      if (pages === 1 && !asText) {
        out.push(body);
      } else {
        const summary = w.pageSummary(f.count(page + 1), f.count(pages), String(first), String(last), slice.length, f.count(slice.length));
        out.push(`<details${page === 0 && !asText ? ' open' : ''}><summary>${esc(summary)}</summary>${body}</details>`);
      }
    }
    out.push(`</section>`);
  }
  out.push(`</section>`);
  return out;
}
