/**
 * X.501 Name (RFC 5280 §4.1.2.4) to the model's DistinguishedName: RFC 4514 text, per-RDN attributes and
 * the RFC 5280 §7.1 comparison key.
 */
import type { CertDefectKind, DistinguishedName, NameAttribute } from '../types.ts';
import {
  childrenOf,
  decodeString,
  DerError,
  expectUniversal,
  readOid,
  Tag,
  TagClass,
  whole,
  type Tlv,
} from '../../bytes/der.ts';
import { toHex } from '../../bytes/hex.ts';
import { ATTRIBUTE_NAMES } from './oids.ts';

const STRING_TAGS = new Set<number>([
  Tag.UTF8String,
  Tag.PrintableString,
  Tag.T61String,
  Tag.IA5String,
  Tag.VisibleString,
  Tag.UniversalString,
  Tag.BMPString,
]);

interface DecodedAttribute extends NameAttribute {
  /** False when the value is not a string type (printed as #hex per RFC 4514 §2.4). */
  readonly isString: boolean;
  readonly valueDerHex: string;
}

/**
 * Receives the defects a decoder tolerates (offsets relative to the buffer it decodes); without a sink the decoder
 * refuses them as before (CRLs, PKCS#7 and the rest keep the strict reading).
 */
export type DefectSink = (kind: CertDefectKind, offset: number, message: string) => void;

export function decodeName(
  buf: Uint8Array,
  nameTlv: Tlv,
  what: string,
  defects?: DefectSink,
): DistinguishedName {
  expectUniversal(nameTlv, Tag.SEQUENCE, what, nameTlv.start);
  const rdns: DecodedAttribute[][] = [];
  for (const rdn of childrenOf(buf, nameTlv)) {
    expectUniversal(rdn, Tag.SET, `an RDN of the ${what}`, rdn.start);
    const attrs: DecodedAttribute[] = [];
    for (const atv of childrenOf(buf, rdn)) {
      expectUniversal(atv, Tag.SEQUENCE, `an attribute of the ${what}`, atv.start);
      const [typeTlv, valueTlv] = childrenOf(buf, atv);
      const oid = readOid(buf, typeTlv, `an attribute type of the ${what}`, atv.start);
      if (valueTlv === undefined) throw new DerError(atv.start, `an attribute of the ${what} has no value`);
      const isString = valueTlv.tagClass === TagClass.universal && STRING_TAGS.has(valueTlv.tagNumber);
      const valueDerHex = toHex(whole(buf, valueTlv));
      attrs.push({
        oid,
        type: ATTRIBUTE_NAMES[oid] ?? oid,
        value: isString ? decodeString(buf, valueTlv) : `#${valueDerHex}`,
        isString,
        valueDerHex,
      });
    }
    if (attrs.length === 0) {
      // OpenSSL loads a Name with an empty SET (x509_name_ex_d2i) and so does Go (parser.go parseName).
      if (defects === undefined) throw new DerError(rdn.start, `an RDN of the ${what} is empty`);
      defects(
        'empty-rdn',
        rdn.start,
        `an RDN of the ${what} is an empty SET (RFC 5280 §4.1.2.4: SIZE (1..MAX))`,
      );
    }
    rdns.push(attrs);
  }
  return {
    rfc4514: rdns
      .slice()
      .reverse()
      .map((rdn) => rdn.map((a) => `${a.type}=${a.isString ? escapeRfc4514(a.value) : a.value}`).join('+'))
      .join(','),
    rdns: rdns.map((rdn) => rdn.map(({ oid, type, value }) => ({ oid, type, value }))),
    key: nameKey(rdns),
    derHex: toHex(whole(buf, nameTlv)),
  };
}

/** RFC 4514 §2.4 escaping of an attribute value. */
export function escapeRfc4514(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\u0000') out += '\\00';
    else if ('"+,;<>\\'.includes(c)) out += `\\${c}`;
    else if (i === 0 && (c === '#' || c === ' ')) out += `\\${c}`;
    else if (i === value.length - 1 && c === ' ') out += '\\ ';
    else out += c;
  }
  return out;
}

/**
 * RFC 5280 §7.1 (by reference to RFC 4518 string preparation, simplified): attribute values compare
 * case-insensitively with leading/trailing white space removed and internal runs collapsed to one space;
 * multi-valued RDNs compare as sets. Non-string values compare by their DER. An empty RDN (a defect) adds nothing
 * to the key, as OpenSSL's canonical form (x509_name_canon) has no entry for it: the real `openssl verify` chains
 * "CN=inter" + an empty SET to an issuer field "CN=inter" (tests/interop/pki/parse/lenient.test.ts).
 */
function nameKey(rdns: readonly (readonly DecodedAttribute[])[]): string {
  return rdns
    .filter((rdn) => rdn.length > 0)
    .map((rdn) =>
      rdn
        .map(
          (a) => `${a.oid}=${encodeURIComponent(a.isString ? normaliseValue(a.value) : `#${a.valueDerHex}`)}`,
        )
        .sort()
        .join('+'),
    )
    .join(',');
}

export function normaliseValue(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}
