/** GeneralName (RFC 5280 §4.2.1.6) decoding, shared by SAN, name constraints, AIA and CRL DPs. */
import type { GeneralName } from '../types.ts';
import { childrenOf, contents, decodeOid, DerError, TagClass, type Tlv } from '../../bytes/der.ts';
import { toHex } from '../../bytes/hex.ts';
import { decodeName, type DefectSink } from './name.ts';

function ia5(buf: Uint8Array, t: Tlv): string {
  let s = '';
  for (const b of contents(buf, t)) s += String.fromCharCode(b);
  return s;
}

/** IPv4 dotted or IPv6 in RFC 5952 form (longest run of zero groups, first if tied, compressed). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return toHex(bytes);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Prefix length of a contiguous mask, or -1. */
function prefixLength(mask: Uint8Array): number {
  let bits = 0;
  let ended = false;
  for (const b of mask) {
    for (let i = 7; i >= 0; i--) {
      const set = ((b >> i) & 1) === 1;
      if (set && ended) return -1;
      if (set) bits++;
      else ended = true;
    }
  }
  return bits;
}

/**
 * Decodes one GeneralName. `inConstraint` switches iPAddress to the name-constraints form
 * (address followed by mask, RFC 5280 §4.2.1.10), printed as "addr/prefix".
 */
/** A dNSName with bytes outside IA5: shown as UTF-8 when it is valid UTF-8, else as Latin-1. */
function nonIa5Text(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

export function decodeGeneralName(
  buf: Uint8Array,
  t: Tlv,
  inConstraint = false,
  defects?: DefectSink,
): GeneralName {
  if (t.tagClass !== TagClass.context) throw new DerError(t.start, 'a GeneralName is not context-tagged');
  switch (t.tagNumber) {
    case 1:
      return { kind: 'email', value: ia5(buf, t) };
    case 2: {
      const c = contents(buf, t);
      if (defects !== undefined && c.some((b) => b > 0x7f)) {
        const value = nonIa5Text(c);
        defects('non-ia5-dns-name', t.start, `the dNSName ${JSON.stringify(value)} is not an IA5String`);
        return { kind: 'dns', value };
      }
      return { kind: 'dns', value: ia5(buf, t) };
    }
    case 6:
      return { kind: 'uri', value: ia5(buf, t) };
    case 7: {
      const c = contents(buf, t);
      if (inConstraint && (c.length === 8 || c.length === 32)) {
        const half = c.length / 2;
        const addr = c.subarray(0, half);
        const mask = c.subarray(half);
        const prefix = prefixLength(mask);
        return { kind: 'ip', value: `${formatIp(addr)}/${prefix >= 0 ? prefix : formatIp(mask)}` };
      }
      if (c.length !== 4 && c.length !== 16) {
        throw new DerError(t.start, `an iPAddress name has ${c.length} bytes (4 or 16 expected)`);
      }
      return { kind: 'ip', value: formatIp(c) };
    }
    case 4: {
      // directoryName [4] EXPLICIT Name
      const [inner] = childrenOf(buf, t);
      if (inner === undefined) throw new DerError(t.start, 'a directoryName is empty');
      const name = decodeName(buf, inner, 'directoryName');
      return { kind: 'dn', value: name.rfc4514, name };
    }
    case 8:
      return { kind: 'other', value: `registeredID:${decodeOid(contents(buf, t), t.start)}` };
    case 0: {
      const [typeId] = childrenOf(buf, t);
      const oid = typeId !== undefined ? decodeOid(contents(buf, typeId), typeId.start) : '?';
      return { kind: 'other', value: `otherName:${oid}` };
    }
    default:
      return { kind: 'other', value: `[${t.tagNumber}]:${toHex(contents(buf, t))}` };
  }
}

export function decodeGeneralNames(buf: Uint8Array, seq: Tlv, defects?: DefectSink): GeneralName[] {
  return childrenOf(buf, seq).map((t) => decodeGeneralName(buf, t, false, defects));
}
