/**
 * Byte strings that the RFCs define as ASCII (host names, ALPN protocol ids) are kept as strings with one
 * character per byte (Latin-1), so any byte sequence seen on the wire decodes and re-encodes exactly.
 */

export function bytesToLatin1(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

/** @throws RangeError if a character does not fit in one byte. */
export function latin1ToBytes(text: string, what = 'string'): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff)
      throw new RangeError(`${what}: character ${JSON.stringify(text[i])} at ${i} is not a single byte`);
    out[i] = c;
  }
  return out;
}
