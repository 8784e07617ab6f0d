// The byte order of numbers written in decimal, which is what `sort` gives and the logical digest hashes, worked
// out from their numeric order without writing them.

import { digitCount, powersOfTen } from './decimal.js';
import { upperBound } from './set.js';

/**
 * Indices of a numerically sorted array in byte order of the decimal strings, or undefined when the two orders
 * agree. Numeric order sorts by length first, so the array is a series of runs of equal length, each already in
 * byte order; the runs are merged comparing values left-aligned to 15 digits, the shorter first on a tie (it is
 * then a prefix of the longer one).
 */
export function lexicographicOrder(numbers: Float64Array): Int32Array | undefined {
  const runs: Array<{ at: number; end: number; scale: number; length: number }> = [];
  let start = 0;
  while (start < numbers.length) {
    const length = digitCount(numbers[start] as number);
    const end = upperBound(numbers, powersOfTen[length] as number, start);
    runs.push({ at: start, end, scale: powersOfTen[15 - length] as number, length });
    start = end;
  }
  if (runs.length <= 1) return undefined;
  const order = new Int32Array(numbers.length);
  for (let k = 0; k < order.length; k++) {
    let best = runs[0] as (typeof runs)[number];
    let bestKey = Infinity;
    for (const run of runs) {
      if (run.at >= run.end) continue;
      const key = (numbers[run.at] as number) * run.scale;
      if (key < bestKey || (key === bestKey && run.length < best.length)) {
        best = run;
        bestKey = key;
      }
    }
    order[k] = best.at++;
  }
  return order;
}
