// The auditor's page: one self-contained HTML document for one report, with the verdict of its checks first, then
// what the report says (the scrub, its outcome, the lists, every excluded or invalid row, the signed payload and how
// to check it by hand). No script, no font, no image file and no request: a Content-Security-Policy forbids any, so
// the page reads the same archived for years, offline, and in print.

import type { CheckedReport } from '../report/verify.js';
import type { Contradiction } from './contradictions.js';
import { generatorMeta } from './generator.js';
import { esc } from './html.js';
import { listsSection } from './lists-section.js';
import { outcomeSection } from './outcome-section.js';
import { payloadSection } from './payload-section.js';
import { rowsSection } from './rows-section.js';
import { scrubSection } from './scrub-section.js';
import { stylesheet } from './style.js';
import { verdictOf, verdictSection } from './verdict.js';
import type { Words } from './words.js';

export interface PageRequest {
  readonly checked: CheckedReport;
  /** The report and the public key as the user named them. */
  readonly reportName: string;
  readonly keyName: string | undefined;
  /** When the checks ran, and by which callscrub. */
  readonly checkedAt: Date;
  readonly toolVersion: string;
  /** What the report says against itself (contradictions.ts): the command tells them on stderr too. */
  readonly contradictions: readonly Contradiction[];
  readonly words: Words;
}

const policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The page as pieces of HTML to write in order. */
export function auditorPage(request: PageRequest): string[] {
  const { checked, words: w } = request;
  const report = checked.report;
  const p = report?.statement.predicate;
  // The heading names the report file as the user gave it: what the report claims (its input, its date) comes after
  // the verdict, so that a page for a changed report shows nothing of it first.
  const title = p === undefined ? request.reportName : w.title(p.input.name, w.format.day(p.scrubDate));
  const out: string[] = [
    `<!DOCTYPE html>\n<html lang="${w.lang}"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    `${generatorMeta} ${esc(request.toolVersion)}">`,
    `<title>${esc(w.labelled(w.verdict[verdictOf(checked)], title))}</title><style>${stylesheet}</style></head>`,
    // The skip link leads past the verdict and the scrub to the rows; a page that is not a report has none.
    `<body>${report === undefined ? '' : `<a class="skip" href="#rows">${esc(w.skipToRows)}</a>`}<div class="page">`,
    `<header><p class="kicker">${esc(w.kicker)}</p><h1>${esc(w.heading(request.reportName))}</h1>`,
    `<p class="muted">${esc(w.checkedOn(request.reportName, w.format.instant(request.checkedAt.toISOString()), request.toolVersion))}</p></header>`,
    `<main>`,
    verdictSection(checked, request.contradictions, w),
  ];
  if (report !== undefined && p !== undefined) {
    out.push(
      `<nav aria-label="${esc(w.contents)}" class="screen-only"><p>${w.labelled(`<strong>${esc(w.contents)}</strong>`, '')}` +
        [['scrub', w.scrubHeading], ['outcome', w.outcomeHeading], ['lists', w.listsHeading], ['rows', w.rowsHeading], ['payload', w.payloadHeading]]
          .map(([id, label]) => `<a href="#${id}">${esc(label as string)}</a>`)
          .join(' · ') +
        `</p></nav>`,
      scrubSection(report, w),
      outcomeSection(p, w),
      listsSection(p, w),
      ...rowsSection(p, w),
      payloadSection(report, request.reportName, request.keyName, w),
    );
  }
  out.push(`</main><footer><p>${esc(w.footer(request.reportName))}</p></footer></div></body></html>\n`);
  return out;
}
