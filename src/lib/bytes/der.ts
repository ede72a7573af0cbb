/**
 * The project's one DER layer (X.690 §8.1, §10), used by the certificate engine (pki), the TLS engine's keys and
 * signatures (tls12/crypto) and, through pki, sslmode. Every element carries its byte span (`Tlv`: start, header,
 * contents, end) so the UI can map fields to bytes, and every failure is a `DerError` that says where (byte
 * offset) and why. No recursion without a depth bound, no allocation proportional to a claimed length: hostile
 * input cannot make it hang or blow the heap.
 *
 * One strictness policy, OpenSSL's (what `d2i_*` loads): definite lengths only (indefinite BER is refused), a
 * long-form length is accepted even when a shorter form would do, and an INTEGER must be minimally encoded
 * (OpenSSL's c2i_ibuf refuses "illegal padding"). What DER forbids but OpenSSL loads is reported by the decoders
 * above this layer as a problem on the certificate, not refused here.
 */
import { toHex } from './hex.ts';

/** Tag classes, X.690 §8.1.2.2. */
export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

export interface Tlv {
  readonly tagClass: number;
  readonly constructed: boolean;
  readonly tagNumber: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  readonly headerLength: number;
  readonly length: number;
  /** start + headerLength. */
  readonly contentStart: number;
  /** contentStart + length. */
  readonly end: number;
}

export class DerError extends Error {
  override readonly name = 'DerError';
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`byte ${offset}: ${reason}`);
  }
}

/** Reads one TLV at `offset`; the element must end at or before `limit`. X.690 §8.1.2-8.1.3 (definite form only). */
export function readTlv(buf: Uint8Array, offset: number, limit: number = buf.length): Tlv {
  if (offset >= limit) throw new DerError(offset, 'expected a DER element but the input ends here');
  const id = buf[offset] as number;
  const tagClass = id >> 6;
  const constructed = (id & 0x20) !== 0;
  let tagNumber = id & 0x1f;
  let p = offset + 1;
  if (tagNumber === 0x1f) {
    // §8.1.2.4: high tag number form, base-128.
    tagNumber = 0;
    for (let i = 0; ; i++) {
      if (p >= limit) throw new DerError(offset, 'the tag runs past the end of the input');
      if (i >= 4) throw new DerError(offset, 'the tag number is too large');
      const b = buf[p++] as number;
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= limit) throw new DerError(offset, 'the length octet is missing: the input ends inside the header');
  const first = buf[p++] as number;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    throw new DerError(offset, 'indefinite length (BER) is not allowed in DER');
  } else {
    const n = first & 0x7f;
    if (n > 4)
      throw new DerError(offset, `the length field uses ${n} octets, more than any real input needs`);
    if (p + n > limit) throw new DerError(offset, 'the length field runs past the end of the input');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[p++] as number);
  }
  const contentStart = p;
  const end = contentStart + length;
  if (end > limit) {
    throw new DerError(
      offset,
      `DER length ${length} runs past the end of the input (${limit - contentStart} bytes available)`,
    );
  }
  return {
    tagClass,
    constructed,
    tagNumber,
    start: offset,
    headerLength: contentStart - offset,
    length,
    contentStart,
    end,
  };
}

/** The elements inside a constructed TLV, in order; they must tile its contents exactly. */
export function childrenOf(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.contentStart;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

export function contents(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.contentStart, t.end);
}

export function whole(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

export function isUniversal(t: Tlv, tagNumber: number): boolean {
  return t.tagClass === TagClass.universal && t.tagNumber === tagNumber;
}

export function isContext(t: Tlv, tagNumber: number): boolean {
  return t.tagClass === TagClass.context && t.tagNumber === tagNumber;
}

/** Universal tag numbers used here (X.680 §8.4). */
export const Tag = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8String: 12,
  SEQUENCE: 16,
  SET: 17,
  PrintableString: 19,
  T61String: 20,
  IA5String: 22,
  UTCTime: 23,
  GeneralizedTime: 24,
  VisibleString: 26,
  UniversalString: 28,
  BMPString: 30,
} as const;

const UNIVERSAL_NAMES: Record<number, string> = {
  1: 'BOOLEAN',
  2: 'INTEGER',
  3: 'BIT STRING',
  4: 'OCTET STRING',
  5: 'NULL',
  6: 'OBJECT IDENTIFIER',
  10: 'ENUMERATED',
  12: 'UTF8String',
  16: 'SEQUENCE',
  17: 'SET',
  19: 'PrintableString',
  20: 'T61String',
  22: 'IA5String',
  23: 'UTCTime',
  24: 'GeneralizedTime',
  26: 'VisibleString',
  28: 'UniversalString',
  30: 'BMPString',
};

export function tagName(t: Tlv): string {
  if (t.tagClass === TagClass.universal) return UNIVERSAL_NAMES[t.tagNumber] ?? `UNIVERSAL ${t.tagNumber}`;
  if (t.tagClass === TagClass.context) return `[${t.tagNumber}]`;
  return t.tagClass === TagClass.application ? `[APPLICATION ${t.tagNumber}]` : `[PRIVATE ${t.tagNumber}]`;
}

/** Expects a universal element with the given tag; `what` names the field for the error. */
export function expectUniversal(t: Tlv | undefined, tagNumber: number, what: string, at: number): Tlv {
  if (t === undefined) throw new DerError(at, `${what} is missing`);
  if (!isUniversal(t, tagNumber)) {
    throw new DerError(
      t.start,
      `${what} should be ${UNIVERSAL_NAMES[tagNumber] ?? tagNumber} but is ${tagName(t)}`,
    );
  }
  return t;
}

/** X.690 §8.19: OBJECT IDENTIFIER contents to dotted text. */
export function decodeOid(bytes: Uint8Array, at: number): string {
  if (bytes.length === 0) throw new DerError(at, 'an OBJECT IDENTIFIER is empty');
  const arcs: string[] = [];
  let value = 0n;
  let first = true;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    value = (value << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      if (first) {
        const v = value < 80n ? value : 80n;
        const top = v / 40n;
        arcs.push(top.toString(), (value - top * 40n).toString());
        first = false;
      } else {
        arcs.push(value.toString());
      }
      value = 0n;
    } else if (i === bytes.length - 1) {
      throw new DerError(at, 'an OBJECT IDENTIFIER ends in the middle of an arc');
    }
  }
  return arcs.join('.');
}

export function readOid(buf: Uint8Array, t: Tlv | undefined, what: string, at: number): string {
  const o = expectUniversal(t, Tag.OID, what, at);
  return decodeOid(contents(buf, o), o.start);
}

/** X.690 §8.6: a BIT STRING's contents without the unused-bits octet. */
export function bitStringBytes(buf: Uint8Array, t: Tlv): { bytes: Uint8Array; unusedBits: number } {
  if (t.length === 0) throw new DerError(t.start, 'a BIT STRING has no unused-bits octet');
  const unusedBits = buf[t.contentStart] as number;
  if (unusedBits > 7)
    throw new DerError(t.start, `a BIT STRING declares ${unusedBits} unused bits (at most 7)`);
  return { bytes: buf.subarray(t.contentStart + 1, t.end), unusedBits };
}

/** A non-negative small INTEGER (pathLen, skipCerts): throws when it does not fit a safe integer. */
export function readSmallInteger(buf: Uint8Array, t: Tlv, what: string): number {
  const c = contents(buf, t);
  if (c.length === 0) throw new DerError(t.start, `${what} is an empty INTEGER`);
  if (((c[0] as number) & 0x80) !== 0) throw new DerError(t.start, `${what} is negative`);
  if (c.length > 6) throw new DerError(t.start, `${what} is too large`);
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

/** Decodes a string-like universal type to text (X.680 §41). */
export function decodeString(buf: Uint8Array, t: Tlv): string {
  const c = contents(buf, t);
  switch (t.tagNumber) {
    case Tag.BMPString: {
      let s = '';
      for (let i = 0; i + 1 < c.length; i += 2)
        s += String.fromCharCode(((c[i] as number) << 8) | (c[i + 1] as number));
      return s;
    }
    case Tag.UniversalString: {
      let s = '';
      for (let i = 0; i + 3 < c.length; i += 4) {
        const cp =
          (((c[i] as number) << 24) |
            ((c[i + 1] as number) << 16) |
            ((c[i + 2] as number) << 8) |
            (c[i + 3] as number)) >>>
          0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    case Tag.T61String: {
      // Treated as Latin-1, as OpenSSL does.
      let s = '';
      for (const b of c) s += String.fromCharCode(b);
      return s;
    }
    default:
      return new TextDecoder('utf-8', { fatal: false }).decode(c);
  }
}

/** UTCTime / GeneralizedTime (RFC 5280 §4.1.2.5) to milliseconds since the epoch. */
export function readTime(buf: Uint8Array, t: Tlv | undefined, what: string, at: number): number {
  if (t === undefined) throw new DerError(at, `${what} is missing`);
  const s = new TextDecoder('latin1').decode(contents(buf, t));
  let m: RegExpExecArray | null;
  let year: number;
  if (isUniversal(t, Tag.UTCTime)) {
    m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s);
    if (m === null) throw new DerError(t.start, `${what} is not a valid UTCTime ("${s.slice(0, 20)}")`);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 §4.1.2.5.1
  } else if (isUniversal(t, Tag.GeneralizedTime)) {
    m = /^(\d\d\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(?:\.\d+)?Z$/.exec(s);
    if (m === null)
      throw new DerError(t.start, `${what} is not a valid GeneralizedTime ("${s.slice(0, 20)}")`);
    year = Number(m[1]);
  } else {
    throw new DerError(t.start, `${what} should be UTCTime or GeneralizedTime but is ${tagName(t)}`);
  }
  const ms = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? '0'));
  if (!Number.isFinite(ms)) throw new DerError(t.start, `${what} is not a real date`);
  return ms;
}

/** Reads a whole buffer that must be exactly one element with the given universal tag. */
export function readWhole(buf: Uint8Array, tagNumber: number, what: string): Tlv {
  const t = expectUniversal(readTlv(buf, 0, buf.length), tagNumber, what, 0);
  if (t.end !== buf.length)
    throw new DerError(t.end, `${buf.length - t.end} trailing bytes after the end of the ${what}`);
  return t;
}

/**
 * A non-negative INTEGER (a key component, an ECDSA r or s) as bigint. Refuses an empty, negative or non-minimal
 * encoding (X.690 §8.3.2; OpenSSL c2i_ibuf "illegal padding").
 */
export function readUnsignedInteger(buf: Uint8Array, t: Tlv | undefined, what: string, at: number): bigint {
  const int = expectUniversal(t, Tag.INTEGER, what, at);
  const c = contents(buf, int);
  if (c.length === 0) throw new DerError(int.start, `${what} is an empty INTEGER`);
  if (((c[0] as number) & 0x80) !== 0) throw new DerError(int.start, `${what} is negative`);
  if (c.length > 1 && c[0] === 0 && ((c[1] as number) & 0x80) === 0)
    throw new DerError(int.start, `${what} is not minimally encoded (a leading zero octet too many)`);
  return BigInt(`0x${toHex(c)}`); // one conversion: a byte-at-a-time shift re-allocates the growing value
}

// --- Writing -------------------------------------------------------------------------------------------

function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
  return [0x80 | out.length, ...out];
}

/** One element: identifier octet `tag` (e.g. 0x30 for SEQUENCE), minimal length, `content`. */
export function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const head = [tag, ...lengthOctets(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head, 0);
  out.set(content, head.length);
  return out;
}

/** A minimal DER INTEGER from unsigned big-endian magnitude bytes. */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const body = magnitude.length === 0 ? Uint8Array.of(0) : magnitude.subarray(start);
  if (((body[0] as number) & 0x80) === 0) return encodeTlv(0x02, body);
  const padded = new Uint8Array(body.length + 1);
  padded.set(body, 1);
  return encodeTlv(0x02, padded);
}

// --- ECDSA-Sig-Value ----------------------------------------------------------------------------------

/**
 * X9.62 ECDSA-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }, RFC 3279 §2.2.3, RFC 8422 §5.4) to the fixed-width
 * r || s that WebCrypto uses (each half `fieldBytes` long).
 */
export function ecdsaSigToRaw(sig: Uint8Array, fieldBytes: number): Uint8Array {
  const seq = readWhole(sig, Tag.SEQUENCE, 'ECDSA signature');
  const [r, s, extra] = childrenOf(sig, seq);
  if (extra !== undefined) throw new DerError(extra.start, 'the ECDSA signature has more than two integers');
  const out = new Uint8Array(fieldBytes * 2);
  [r, s].forEach((t, k) => {
    const name = k === 0 ? 'r' : 's';
    readUnsignedInteger(sig, t, `the ECDSA signature's ${name}`, seq.end);
    let v = contents(sig, t as Tlv);
    while (v.length > 0 && v[0] === 0) v = v.subarray(1);
    if (v.length > fieldBytes)
      throw new DerError((t as Tlv).start, `the ECDSA signature's ${name} is longer than the curve order`);
    out.set(v, k * fieldBytes + fieldBytes - v.length);
  });
  return out;
}

/** r || s (each `fieldBytes` long) to a DER ECDSA-Sig-Value. */
export function ecdsaRawToSig(raw: Uint8Array, fieldBytes: number): Uint8Array {
  if (raw.length !== 2 * fieldBytes)
    throw new DerError(0, `an ECDSA raw signature must be ${2 * fieldBytes} bytes, not ${raw.length}`);
  const r = encodeUnsignedInteger(raw.subarray(0, fieldBytes));
  const s = encodeUnsignedInteger(raw.subarray(fieldBytes));
  const body = new Uint8Array(r.length + s.length);
  body.set(r, 0);
  body.set(s, r.length);
  return encodeTlv(0x30, body);
}
