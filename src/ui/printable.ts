// Text taken from a file (a header, a list name, a file name) made safe to print on a terminal: control characters
// (C0, DEL, C1) and bidirectional overrides are shown as escapes, so a crafted file cannot move the cursor, clear
// the screen or reorder what the user reads.

const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(unsafe, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
