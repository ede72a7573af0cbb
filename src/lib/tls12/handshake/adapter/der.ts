/**
 * A minimal DER reader: just enough of X.509 (RFC 5280 §4.1) and PKCS#8 / RFC 8017 / RFC 5915 key syntax for
 * the handshake to find a certificate's public key, names, validity and extensions. Full certificate parsing
 * belongs to src/lib/pki; this stays small and strict.
 */

export interface DerNode {
  tag: number;
  /** Offset of the tag byte in the input. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  end: number;
  /** The whole TLV. */
  raw: Uint8Array;
  content: Uint8Array;
}

export class DerError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`DER: ${message} at offset ${offset}`);
    this.name = 'DerError';
  }
}

export function readDer(bytes: Uint8Array, at = 0): DerNode {
  if (at + 2 > bytes.length) throw new DerError('truncated header', at);
  const tag = bytes[at]!;
  let lenByte = bytes[at + 1]!;
  let p = at + 2;
  let length: number;
  if (lenByte < 0x80) {
    length = lenByte;
  } else {
    lenByte &= 0x7f;
    if (lenByte === 0 || lenByte > 4) throw new DerError(`unsupported length of length ${lenByte}`, at + 1);
    length = 0;
    for (let i = 0; i < lenByte; i++) {
      if (p >= bytes.length) throw new DerError('truncated length', p);
      length = length * 256 + bytes[p++]!;
    }
  }
  const end = p + length;
  if (end > bytes.length) throw new DerError(`length ${length} runs past the end`, at);
  return {
    tag,
    start: at,
    contentStart: p,
    end,
    raw: bytes.subarray(at, end),
    content: bytes.subarray(p, end),
  };
}

/** The children of a constructed node. */
export function children(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  let at = 0;
  while (at < node.content.length) {
    const child = readDer(node.content, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

export function child(node: DerNode, index: number, what: string): DerNode {
  const c = children(node)[index];
  if (!c) throw new DerError(`missing ${what}`, node.start);
  return c;
}

export function decodeOid(content: Uint8Array): string {
  const parts: number[] = [];
  let value = 0;
  for (const b of content) {
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else {
        parts.push(value);
      }
      value = 0;
    }
  }
  return parts.join('.');
}

/** An unsigned big-endian INTEGER (leading zero stripped) as a bigint. */
export function derBigInt(content: Uint8Array): bigint {
  let n = 0n;
  for (const b of content) n = (n << 8n) | BigInt(b);
  return n;
}

/** UTCTime / GeneralizedTime (RFC 5280 §4.1.2.5) to milliseconds since the epoch. */
export function derTime(node: DerNode): number {
  const s = new TextDecoder().decode(node.content);
  let year: number;
  let rest: string;
  if (node.tag === 0x17) {
    const yy = Number(s.slice(0, 2));
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    rest = s.slice(2);
  } else if (node.tag === 0x18) {
    year = Number(s.slice(0, 4));
    rest = s.slice(4);
  } else {
    throw new DerError(`expected a time, got tag 0x${node.tag.toString(16)}`, node.start);
  }
  const n = (i: number) => Number(rest.slice(i, i + 2));
  return Date.UTC(year, n(0) - 1, n(2), n(4), n(6), n(8));
}
