// Horizontal bar charts drawn as inline SVG by the program, so that the page shows its figures with no script and
// no request: one bar per item, its label on the left, its count and share on the right. The same figures are also
// given as a table beside each chart (screen readers and print); the chart itself is one image with a text name.

import { esc } from './html.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** A fill colour, dark enough for the white gap between bars and legible against the page. */
  readonly colour: string;
  /** The figure written at the end of the bar (a count and its share, formatted for the reader). */
  readonly figure: string;
}

const labelWidth = 220;
const barArea = 380;
const figureWidth = 170;
const rowHeight = 26;
const barHeight = 18;

/** An SVG image of the bars, named by `title` (and `description`) for assistive technology. */
export function barChart(id: string, title: string, description: string, bars: readonly Bar[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const width = labelWidth + barArea + figureWidth;
  const height = Math.max(1, bars.length) * rowHeight + 8;
  const rows = bars.map((bar, i) => {
    const y = 4 + i * rowHeight;
    // A bar of a non-zero count is at least 2 px: a reason with 3 rows among a million is still seen to be there.
    const length = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / max) * barArea));
    return (
      `<text x="${labelWidth - 8}" y="${y + barHeight - 4}" text-anchor="end">${esc(bar.label)}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${length}" height="${barHeight}" fill="${bar.colour}"/>` +
      `<text x="${labelWidth + length + 6}" y="${y + barHeight - 4}">${esc(bar.figure)}</text>`
    );
  });
  return (
    `<svg class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(description)}</desc>` +
    `<g font-family="system-ui, sans-serif" font-size="13" fill="#1a1a1a">${rows.join('')}</g></svg>`
  );
}
