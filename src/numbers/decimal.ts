// Writing E.164 digit values as decimal text without going through strings: the logical digest writes millions of
// them, two digits per division.

// "00" to "99" as byte pairs, to write two digits per division.
const digitPairs = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  digitPairs[2 * i] = 48 + Math.floor(i / 10);
  digitPairs[2 * i + 1] = 48 + (i % 10);
}

/** Writes the decimal digits of a non-negative integer below 2^53 at `pos`; returns the position after them. */
export function writeDigits(buffer: Uint8Array, pos: number, value: number): number {
  // Split at 10^8 so that each half is a small integer: the high half has 1 to 8 digits, the low one exactly 8.
  const high = Math.floor(value / 1e8);
  const low = value - high * 1e8;
  return high > 0 ? writeEightDigits(buffer, writeSmall(buffer, pos, high), low) : writeSmall(buffer, pos, low);
}

/** Writes a value below 10^8 as exactly eight digits (leading zeros included), two digits per division. */
export function writeEightDigits(buffer: Uint8Array, pos: number, value: number): number {
  let low = value;
  for (let at = pos + 6; at >= pos; at -= 2) {
    const q = (low / 100) | 0;
    const pair = (low - q * 100) * 2;
    buffer[at] = digitPairs[pair] as number;
    buffer[at + 1] = digitPairs[pair + 1] as number;
    low = q;
  }
  return pos + 8;
}

function writeSmall(buffer: Uint8Array, pos: number, value: number): number {
  let length = 1;
  while (length < 8 && value >= (powersOfTen[length] as number)) length++;
  let at = pos + length - 1;
  while (value >= 10) {
    const q = (value / 10) | 0;
    buffer[at--] = 48 + value - q * 10;
    value = q;
  }
  buffer[at] = 48 + value;
  return pos + length;
}

export const powersOfTen = Array.from({ length: 17 }, (_, i) => 10 ** i);

export function digitCount(value: number): number {
  let length = 1;
  while (length < 16 && value >= (powersOfTen[length] as number)) length++;
  return length;
}
