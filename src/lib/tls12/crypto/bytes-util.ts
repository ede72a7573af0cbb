/**
 * Byte helpers for the crypto layer: hex, equality and concatenation are src/lib/bytes/hex.ts's (re-exported);
 * the TLS-specific ones (ASCII labels, uint encodings, base64url; bigint <-> bytes is @noble/curves' `bytesToNumberBE` /
 * `numberToBytesBE`) live here. Internal: not
 * re-exported from index.ts except `concatBytes`, `toHex`, `fromHex`.
 */
export { bytesEqual, concatBytes, fromHex, toHex } from '../../bytes/hex.ts';

/** ASCII bytes of a label such as "master secret" (RFC 5246 §5: labels are ASCII, no length byte, no NUL). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new RangeError(`asciiBytes: non-ASCII character at index ${i}`);
    out[i] = code;
  }
  return out;
}

/**
 * Copies into a fresh ArrayBuffer-backed view: WebCrypto's BufferSource type refuses views that may sit
 * on a SharedArrayBuffer, and a copy also protects callers' buffers from aliasing.
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(bytes.length));
  out.set(bytes);
  return out;
}

/** Big-endian uint64 (a TLS sequence number, RFC 5246 §6.1 `uint64 seq_num`). */
export function uint64Bytes(value: bigint): Uint8Array {
  if (value < 0n || value > 0xffff_ffff_ffff_ffffn) {
    throw new RangeError(`uint64Bytes: ${value} is outside 0..2^64-1`);
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value);
  return out;
}

/** Big-endian uint16. */
export function uint16Bytes(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    throw new RangeError(`uint16Bytes: ${value} is outside 0..65535`);
  }
  return Uint8Array.of(value >> 8, value & 0xff);
}

/** base64url without padding (JWK fields). */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) -> bytes. @throws Error on characters outside the alphabet. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new Error('fromBase64Url: not base64url text');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
