/**
 * A strict, bounded DER reader (X.690 §8.1, §10): every element carries its byte span so the UI can map
 * fields to bytes, and every failure says where (byte offset) and why. No recursion without a depth bound,
 * no allocation proportional to a claimed length: hostile input cannot make it hang or blow the heap.
 */

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

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b];
  return s;
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
