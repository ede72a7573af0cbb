/**
 * PKCS#7 in BER with indefinite lengths (X.690 §8.1.3.6), as written by `openssl cms -stream` and some
 * Windows exports. The strict DER reader refuses it, so this path walks the structure with asn1js and
 * returns each certificate's original bytes; those are then decoded as strict DER like any other.
 */
import * as asn1js from 'asn1js';
import { OID } from './oids.ts';

export type BerPkcs7Result =
  { ok: true; certificates: Uint8Array[]; crls: Uint8Array[] } | { ok: false; reason: string };

/** BER input larger than this is refused before asn1js sees it. */
const MAX_BER_BYTES = 10 * 1024 * 1024;

function children(block: asn1js.AsnType | undefined): asn1js.AsnType[] {
  const value = (block as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
  return Array.isArray(value) ? (value as asn1js.AsnType[]) : [];
}

function isContext(block: asn1js.AsnType, n: number): boolean {
  return block.idBlock.tagClass === 3 && block.idBlock.tagNumber === n;
}

export function readBerPkcs7(bytes: Uint8Array): BerPkcs7Result {
  if (bytes.length > MAX_BER_BYTES) return { ok: false, reason: 'the BER input is too large' };
  const parsed = asn1js.fromBER(bytes.slice());
  if (parsed.offset === -1) return { ok: false, reason: `BER is invalid: ${parsed.result.error}` };
  // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT }
  const [type, explicit] = children(parsed.result);
  if (!(type instanceof asn1js.ObjectIdentifier) || type.valueBlock.toString() !== OID.pkcs7SignedData) {
    return { ok: false, reason: 'not a PKCS#7 SignedData' };
  }
  if (explicit === undefined || !isContext(explicit, 0))
    return { ok: false, reason: 'PKCS#7 SignedData content is missing' };
  const [signedData] = children(explicit);
  const certificates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  for (const field of children(signedData)) {
    const target = isContext(field, 0) ? certificates : isContext(field, 1) ? crls : undefined;
    if (target === undefined) continue;
    for (const item of children(field)) {
      if (item instanceof asn1js.Sequence) target.push(item.valueBeforeDecodeView.slice());
    }
  }
  return { ok: true, certificates, crls };
}
