/**
 * The little DER this layer needs (X.690 §8 / §10), strict: definite lengths in minimal form only.
 * Enough for SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), PKCS#8 PrivateKeyInfo (RFC 5208 §5),
 * RSAPrivateKey / RSAPublicKey (RFC 8017 §A.1) and ECDSA-Sig-Value (RFC 3279 §2.2.3). Certificates are
 * parsed elsewhere (src/lib/pki); this file only reads keys and signatures.
 */
import { CryptoError } from './errors.ts';
import { bytesToBigInt, concatBytes } from './bytes-util.ts';

export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OID = 0x06;
export const TAG_SEQUENCE = 0x30;

export interface DerElement {
  tag: number;
  /** Content octets. */
  value: Uint8Array;
  /** Offset of the tag byte in the outer buffer. */
  offset: number;
  /** Offset just past the element. */
  end: number;
}

function fail(what: string, offset: number): never {
  throw new CryptoError('invalid-input', `DER: ${what} at offset ${offset}`);
}

/** Reads one TLV at `offset` of `bytes`. */
export function readElement(bytes: Uint8Array, offset: number): DerElement {
  if (offset + 2 > bytes.length) fail('truncated tag/length', offset);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) fail('multi-byte tags are not supported', offset);
  let length = bytes[offset + 1]!;
  let pos = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) fail('indefinite length is not DER', offset);
    if (count > 4) fail('length field too long', offset);
    if (pos + count > bytes.length) fail('truncated length', offset);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[pos + i]!;
    if (length < 0x80 || bytes[pos] === 0) fail('non-minimal length', offset);
    pos += count;
  }
  if (pos + length > bytes.length) fail(`element of ${length} bytes overruns the input`, offset);
  return { tag, value: bytes.subarray(pos, pos + length), offset, end: pos + length };
}

/** Splits the content of a constructed element into its children. */
export function readChildren(content: Uint8Array): DerElement[] {
  const out: DerElement[] = [];
  let pos = 0;
  while (pos < content.length) {
    const el = readElement(content, pos);
    out.push(el);
    pos = el.end;
  }
  return out;
}

/** Reads a whole buffer that must be exactly one element with the given tag. */
export function readSingle(bytes: Uint8Array, tag: number, what: string): DerElement {
  const el = readElement(bytes, 0);
  if (el.tag !== tag) fail(`${what}: expected tag 0x${tag.toString(16)}, got 0x${el.tag.toString(16)}`, 0);
  if (el.end !== bytes.length) fail(`${what}: ${bytes.length - el.end} trailing bytes`, el.end);
  return el;
}

export function expectTag(el: DerElement | undefined, tag: number, what: string): DerElement {
  if (!el) throw new CryptoError('invalid-input', `DER: ${what} is missing`);
  if (el.tag !== tag)
    fail(`${what}: expected tag 0x${tag.toString(16)}, got 0x${el.tag.toString(16)}`, el.offset);
  return el;
}

/** A non-negative INTEGER as bigint. */
export function integerValue(el: DerElement, what: string): bigint {
  if (el.value.length === 0) fail(`${what}: empty INTEGER`, el.offset);
  if (el.value[0]! & 0x80) fail(`${what}: negative INTEGER`, el.offset);
  if (el.value.length > 1 && el.value[0] === 0 && !(el.value[1]! & 0x80)) {
    fail(`${what}: non-minimal INTEGER`, el.offset);
  }
  return bytesToBigInt(el.value);
}

/** Dotted OID text. */
export function oidText(el: DerElement): string {
  const v = el.value;
  if (v.length === 0) fail('empty OID', el.offset);
  const arcs: number[] = [];
  let acc = 0;
  for (const b of v) {
    acc = acc * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(acc);
      acc = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

// --- Writing ---------------------------------------------------------------------------------------

function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const out: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
  return Uint8Array.of(0x80 | out.length, ...out);
}

export function encodeElement(tag: number, content: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(tag), lengthBytes(content.length), content);
}

/** Minimal DER INTEGER content from unsigned big-endian magnitude bytes. */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let body = magnitude.subarray(start);
  if (body.length === 0) body = Uint8Array.of(0);
  if (body[0]! & 0x80) body = concatBytes(Uint8Array.of(0), body);
  return encodeElement(TAG_INTEGER, body);
}

/** Magnitude bytes of an INTEGER, left-padded (or stripped of the sign byte) to `length`. */
export function integerToFixed(el: DerElement, length: number, what: string): Uint8Array {
  integerValue(el, what);
  let v = el.value;
  while (v.length > length && v[0] === 0) v = v.subarray(1);
  if (v.length > length) fail(`${what}: INTEGER longer than ${length} bytes`, el.offset);
  const out = new Uint8Array(length);
  out.set(v, length - v.length);
  return out;
}
