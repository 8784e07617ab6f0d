// Counting lines as the CSV scanner does, for messages that name the line of a bad byte.

/** Line breaks in bytes [start, end): LF, and CR not followed by LF (a CR at the end counts: it ends its line). */
export function lineBreaks(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c === 10 || (c === 13 && (i + 1 === end || bytes[i + 1] !== 10))) n++;
  }
  return n;
}
