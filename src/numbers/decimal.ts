// Writing E.164 digit values as decimal text without going through strings: the logical digest writes millions of
// them, four digits per division.

/** Writes the decimal digits of a non-negative integer below 2^53 at `pos`; returns the position after them. */
export function writeDigits(buffer: Uint8Array, pos: number, value: number): number {
  // Split at 10^8 so that each half is a small integer: the high half has 1 to 8 digits, the low one exactly 8.
  const high = Math.floor(value / 1e8);
  const low = value - high * 1e8;
  return high > 0 ? writeEightDigits(buffer, writeSmall(buffer, pos, high), low) : writeSmall(buffer, pos, low);
}

// "0000" to "9999" as 4-byte groups: eight digits are two divisions and two copies.
const digitQuads = new Uint8Array(40000);
for (let i = 0; i < 10000; i++) {
  digitQuads[4 * i] = 48 + Math.floor(i / 1000);
  digitQuads[4 * i + 1] = 48 + (Math.floor(i / 100) % 10);
  digitQuads[4 * i + 2] = 48 + (Math.floor(i / 10) % 10);
  digitQuads[4 * i + 3] = 48 + (i % 10);
}

/** Writes a value below 10^8 as exactly eight digits (leading zeros included), four digits per division. */
export function writeEightDigits(buffer: Uint8Array, pos: number, value: number): number {
  const high = (value / 10000) | 0;
  const h = high * 4;
  const l = (value - high * 10000) * 4;
  buffer[pos] = digitQuads[h] as number;
  buffer[pos + 1] = digitQuads[h + 1] as number;
  buffer[pos + 2] = digitQuads[h + 2] as number;
  buffer[pos + 3] = digitQuads[h + 3] as number;
  buffer[pos + 4] = digitQuads[l] as number;
  buffer[pos + 5] = digitQuads[l + 1] as number;
  buffer[pos + 6] = digitQuads[l + 2] as number;
  buffer[pos + 7] = digitQuads[l + 3] as number;
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
