// The logical digest of a set: SHA-256 over one line per entry, `+E164` (then a tab and the end date for dated
// lists; for a consent list, the grant, withdrawal and expiry dates, each after a tab) and a newline, lines in byte
// order: what `LC_ALL=C sort -u | sha256sum` gives for the same lines.

import { createHash } from 'node:crypto';
import { lexicographicOrder } from './byte-order.js';
import { writeDigits, writeEightDigits } from './decimal.js';
import { formatDay, type NumberSet } from './set.js';

export function logicalDigest(set: NumberSet): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const limit = buffer.length - 64;
  let pos = 0;
  const numbers = set.numbers;
  const until = set.until;
  const { granted, expires } = set;
  const dates = (granted === undefined || expires === undefined ? [until] : [granted, until, expires]).filter((c) => c !== undefined);
  const order = lexicographicOrder(numbers);
  // Neighbours in sorted order share their digits above 10^8: write those once and copy them.
  let cachedHigh = -1;
  const highDigits = new Uint8Array(8);
  let highLength = 0;
  for (let k = 0; k < numbers.length; k++) {
    const i = order === undefined ? k : (order[k] as number);
    if (pos > limit) {
      hash.update(buffer.subarray(0, pos));
      pos = 0;
    }
    buffer[pos++] = 43; // +
    const value = numbers[i] as number;
    const high = Math.floor(value / 1e8);
    if (high === 0) pos = writeDigits(buffer, pos, value);
    else {
      if (high !== cachedHigh) {
        cachedHigh = high;
        highLength = writeDigits(highDigits, 0, high);
      }
      for (let d = 0; d < highLength; d++) buffer[pos++] = highDigits[d] as number;
      pos = writeEightDigits(buffer, pos, value - high * 1e8);
    }
    for (const column of dates) {
      buffer[pos++] = 9; // tab
      pos += buffer.write(formatDay(column[i] as number), pos, 'latin1');
    }
    buffer[pos++] = 10; // newline
  }
  hash.update(buffer.subarray(0, pos));
  return hash.digest('hex');
}
