// Typed arrays on SharedArrayBuffer for a list's big arrays: a scrub's worker threads are posted the pinned lists,
// and an array on shared memory reaches them without a copy (one on an ordinary buffer is copied into each).

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

export function sharedUint32(length: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(length * Uint32Array.BYTES_PER_ELEMENT));
}

export function sharedBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

/** Arrays of this many entries or more are put on shared memory; a few small ones are copied at no cost. */
const sharedFrom = 65_536;

/** A Float64Array on shared memory when it is big (see `sharedFrom`). */
export function listFloat64(length: number): Float64Array {
  return length >= sharedFrom ? sharedFloat64(length) : new Float64Array(length);
}

export function listInt32(length: number): Int32Array {
  return length >= sharedFrom ? sharedInt32(length) : new Int32Array(length);
}
