/**
 * Hex conversion with strict input checks. `fromHex` accepts only an even number of hex digits (either
 * case); it never silently drops a nibble or a non-hex character.
 */

/** The two hex digits of each byte value, so that a conversion appends one string per byte. */
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lower-case hex of `bytes`, optionally with a separator between bytes (`toHex(b, ' ')` -> `"16 03 01"`). */
export function toHex(bytes: Uint8Array, separator = ''): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && separator) out += separator;
    out += BYTE_HEX[bytes[i]!]!;
  }
  return out;
}

/** A byte as a hex dump's text column shows it: printable ASCII as itself, anything else as a dot. */
export function printableChar(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/**
 * Parses hex. With `{ allowWhitespace: true }` spaces, tabs and newlines between byte pairs are ignored
 * (handy for fixtures copied from dumps); otherwise any non-hex character is an error.
 * @throws TypeError for a non-string, RangeError for odd length or a non-hex character (with its index).
 */
export function fromHex(hex: string, options: { allowWhitespace?: boolean } = {}): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError(`fromHex: expected a string, got ${typeof hex}`);
  const text = options.allowWhitespace ? hex.replace(/[\s]+/g, '') : hex;
  if (text.length % 2 !== 0) {
    throw new RangeError(`fromHex: expected an even number of hex digits, got ${text.length}`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(text.charCodeAt(2 * i));
    const lo = nibble(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const at = hi < 0 ? 2 * i : 2 * i + 1;
      throw new RangeError(`fromHex: invalid hex character ${JSON.stringify(text[at])} at index ${at}`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Byte-wise equality that looks at every byte whatever the first difference (no early exit: MACs, Finished). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Concatenates byte arrays into a new one. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
