// The page's one stylesheet, inline: readable on a screen and in print on A4, colours chosen for a contrast of at
// least 4.5:1 (WCAG AA) with their background, and a verdict that says itself in words and a sign, not in colour
// only. No web font: the reader's own sans-serif and monospace.

export const stylesheet = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --pass: #0b6b2f; --pass-bg: #e7f4ec;
  --fail: #a1121a; --fail-bg: #fdecec; --warn: #7a4a00; --warn-bg: #fff3d6; --link: #0b4fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--ink); background: #fff; }
.page { max-width: 1100px; margin: 0 auto; padding: 1.2rem 1.5rem 3rem; }
a { color: var(--link); }
.skip { position: absolute; left: -10000px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .3rem .6rem; border: 2px solid var(--link); }
.kicker { margin: 0; color: var(--muted); font-size: .9rem; letter-spacing: .02em; }
h1 { font-size: 1.6rem; margin: .2rem 0 .3rem; line-height: 1.25; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p { margin: .4rem 0; }
.muted { color: var(--muted); }
code, pre, .digest { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
.digest { overflow-wrap: anywhere; }
/* A name is shown with every space it has: two spaces, or a trailing one, are part of a file's name. */
td code, th code { white-space: pre-wrap; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { text-align: left; vertical-align: top; padding: .3rem .6rem .3rem 0; border-bottom: 1px solid var(--line); }
thead th { border-bottom: 2px solid var(--ink); }
th[scope=row] { font-weight: 600; width: 14rem; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdict { border: 2px solid; border-radius: 6px; padding: .8rem 1.1rem; margin: 1rem 0 1.5rem; }
.verdict h2 { margin-top: 0; border: 0; font-size: 1.5rem; }
.verdict.passed { border-color: var(--pass); background: var(--pass-bg); }
.verdict.passed h2 { color: var(--pass); }
.verdict.failed { border-color: var(--fail); background: var(--fail-bg); }
.verdict.failed h2 { color: var(--fail); }
.verdict.warn { border-color: var(--warn); background: var(--warn-bg); }
.verdict.warn h2 { color: var(--warn); }
.verdict table { background: #fff; }
.result { font-weight: 700; white-space: nowrap; }
.checks td:nth-child(2) { min-width: 9rem; }
.result.passed { color: var(--pass); }
.result.failed, .result.not-run { color: var(--fail); }
.result.not-asked { color: var(--warn); }
.caution { border-left: 4px solid var(--warn); background: var(--warn-bg); padding: .5rem .8rem; }
.stale td { background: var(--fail-bg); }
.flag { color: var(--fail); font-weight: 700; }
.chart { max-width: 100%; height: auto; display: block; margin: .4rem 0 .2rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .6rem; margin: .6rem 0 1rem; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem; }
.figure strong { display: block; font-size: 1.4rem; font-variant-numeric: tabular-nums; }
details { margin: .3rem 0; }
summary { cursor: pointer; padding: .2rem 0; }
summary:focus-visible, a:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f4f4; border: 1px solid var(--line); padding: .6rem .8rem; }
pre.rows { white-space: pre; overflow-x: auto; }
nav.reasons ul { padding-left: 1.2rem; }
#rows table { width: auto; min-width: 22rem; }
#rows td.n, #rows th.n { width: 6rem; padding-right: 1.2rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .9rem; border-top: 1px solid var(--line); padding-top: .6rem; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  .skip, .screen-only { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3 { break-after: avoid; }
  tr, .figure, .verdict, svg { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  pre.payload { display: none; }
  pre.rows { white-space: pre-wrap; }
}
`;
