// Sorting 32-bit keys in place and dropping repeats, without a second array as large as the keys: the import holds
// a national list as 4-byte keys (400 MB for 100,000,000 numbers), and a spare copy for an out-of-place radix sort
// was as large again. One in-place pass spreads the keys over buckets by their top bits (American flag sort), then
// each bucket, small enough to stay in the processor's cache, is radix-sorted through a spare of its own size.

/** Sorts `keys` in place and moves the distinct ones to the front; returns how many there are. */
export function sortUnique32(keys: Uint32Array): number {
  const n = keys.length;
  if (n < 2) return n;
  if (n < 256) {
    keys.sort();
    return dropRepeats(keys);
  }
  let min = keys[0] as number;
  let max = min;
  for (let i = 1; i < n; i++) {
    const key = keys[i] as number;
    if (key < min) min = key;
    else if (key > max) max = key;
  }
  const bits = 32 - Math.clz32((max - min) >>> 0);
  if (bits === 0) return 1; // every key is the same
  // Buckets of about 8,192 keys (32 KB), at most 4,096 of them; the bits below the bucket's are sorted within it.
  const bucketBits = Math.min(bits, 12, Math.max(1, 32 - Math.clz32(n) - 13));
  const shift = bits - bucketBits;
  const bounds = spreadByTopBits(keys, min, shift, 1 << bucketBits);
  let largest = 0;
  for (let b = 0; b + 1 < bounds.length; b++) largest = Math.max(largest, (bounds[b + 1] as number) - (bounds[b] as number));
  if (shift > 0) {
    const spare = new Uint32Array(largest);
    const counts = new Int32Array(1 << 11);
    for (let b = 0; b + 1 < bounds.length; b++) {
      const start = bounds[b] as number;
      const end = bounds[b + 1] as number;
      if (end - start > 1) sortLowBits(keys.subarray(start, end), spare, counts, min, shift);
    }
  }
  return dropRepeats(keys);
}

/**
 * Moves each key to its bucket, `(key - min) >>> shift`, in place; returns where each bucket starts (and, last, the
 * end). Each key moves once, along the cycle of the slots it displaces.
 */
function spreadByTopBits(keys: Uint32Array, min: number, shift: number, buckets: number): Int32Array {
  const n = keys.length;
  const counts = new Int32Array(buckets);
  for (let i = 0; i < n; i++) {
    const bucket = (((keys[i] as number) - min) >>> 0) >>> shift;
    counts[bucket] = (counts[bucket] as number) + 1;
  }
  const bounds = new Int32Array(buckets + 1);
  const next = new Int32Array(buckets);
  let sum = 0;
  for (let b = 0; b < buckets; b++) {
    bounds[b] = sum;
    next[b] = sum;
    sum += counts[b] as number;
  }
  bounds[buckets] = n;
  for (let b = 0; b < buckets; b++) {
    const end = bounds[b + 1] as number;
    let i = next[b] as number;
    while (i < end) {
      let key = keys[i] as number;
      let bucket = ((key - min) >>> 0) >>> shift;
      while (bucket !== b) {
        const at = next[bucket] as number;
        next[bucket] = at + 1;
        const displaced = keys[at] as number;
        keys[at] = key;
        key = displaced;
        bucket = ((key - min) >>> 0) >>> shift;
      }
      keys[i++] = key;
    }
    next[b] = end;
  }
  return bounds;
}

/** LSD radix sort of one bucket on its keys' bits below `shift` (those above are the same), at most 11 a pass. */
function sortLowBits(keys: Uint32Array, spare: Uint32Array, counts: Int32Array, min: number, shift: number): void {
  const n = keys.length;
  if (n < 64) {
    keys.sort();
    return;
  }
  const passes = Math.ceil(shift / 11);
  const width = Math.ceil(shift / passes);
  const mask = (1 << width) - 1;
  let from = keys;
  let to = spare.subarray(0, n);
  for (let pass = 0; pass < passes; pass++) {
    const at = pass * width;
    counts.fill(0, 0, mask + 1);
    for (let i = 0; i < n; i++) {
      const digit = ((((from[i] as number) - min) >>> 0) >>> at) & mask;
      counts[digit] = (counts[digit] as number) + 1;
    }
    if (counts[((((from[0] as number) - min) >>> 0) >>> at) & mask] === n) continue; // every key has this digit
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = counts[d] as number;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = from[i] as number;
      const digit = (((key - min) >>> 0) >>> at) & mask;
      const slot = counts[digit] as number;
      counts[digit] = slot + 1;
      to[slot] = key;
    }
    [from, to] = [to, from];
  }
  if (from !== keys) keys.set(from);
}

/** Moves the distinct keys of sorted `keys` to the front; returns how many there are. */
function dropRepeats(keys: Uint32Array): number {
  const n = keys.length;
  if (n === 0) return 0;
  let out = 1;
  let previous = keys[0] as number;
  for (let i = 1; i < n; i++) {
    const key = keys[i] as number;
    if (key !== previous) {
      keys[out++] = key;
      previous = key;
    }
  }
  return out;
}
