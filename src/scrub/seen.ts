// The numbers seen so far in a file, for --dedupe: an open-addressing hash set of E.164 values in a Float64Array,
// 16 bytes a number at most, growing as the file does (the one part of a scrub whose memory grows with the input).

import type { NumberSeen } from './classify.js';

export class NumberSeenSet implements NumberSeen {
  private slots = new Float64Array(1 << 16);
  private size = 0;

  seenBefore(value: number): boolean {
    if (this.size * 2 >= this.slots.length) this.grow();
    const mask = this.slots.length - 1;
    let i = hash(value) & mask;
    for (;;) {
      const slot = this.slots[i] as number;
      if (slot === 0) {
        this.slots[i] = value;
        this.size++;
        return false;
      }
      if (slot === value) return true;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.size = 0;
    for (const value of old) if (value !== 0) this.seenBefore(value);
  }
}

/** Mixes the value's two 32-bit halves (E.164 values are positive integers below 2^53, never 0). */
function hash(value: number): number {
  const low = value % 4294967296;
  const high = (value - low) / 4294967296;
  return Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b) >>> 0;
}
