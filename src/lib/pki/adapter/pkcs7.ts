/**
 * PKCS#7 / CMS SignedData (RFC 5652 §5.1) as used by .p7b/.p7c "certs-only" files: the certificates [0]
 * and crls [1] sets are pulled out; signer infos are ignored (degenerate SignedData has none).
 */
import {
  childrenOf,
  DerError,
  expectUniversal,
  isContext,
  isUniversal,
  readOid,
  Tag,
  whole,
  type Tlv,
} from '../../bytes/der.ts';
import { OID } from './oids.ts';

export interface Pkcs7Item {
  readonly der: Uint8Array;
  /** Offsets relative to the ContentInfo's first byte. */
  readonly start: number;
  readonly end: number;
}

export interface Pkcs7Contents {
  readonly certificates: Pkcs7Item[];
  readonly crls: Pkcs7Item[];
  /** CertificateChoices other than plain certificates (attribute certificates ...), skipped. */
  readonly skipped: number;
}

export function readPkcs7(buf: Uint8Array, contentInfo: Tlv): Pkcs7Contents {
  const [typeTlv, explicit] = childrenOf(buf, contentInfo);
  const type = readOid(buf, typeTlv, 'the PKCS#7 contentType', contentInfo.start);
  if (type !== OID.pkcs7SignedData)
    throw new DerError(contentInfo.start, `PKCS#7 content type ${type} is not SignedData`);
  if (explicit === undefined || !isContext(explicit, 0))
    throw new DerError(contentInfo.start, 'PKCS#7 SignedData content is missing');
  const [signedData] = childrenOf(buf, explicit);
  const sd = expectUniversal(signedData, Tag.SEQUENCE, 'SignedData', explicit.start);
  const certificates: Pkcs7Item[] = [];
  const crls: Pkcs7Item[] = [];
  let skipped = 0;
  for (const field of childrenOf(buf, sd)) {
    if (isContext(field, 0) || isContext(field, 1)) {
      for (const item of childrenOf(buf, field)) {
        if (!isUniversal(item, Tag.SEQUENCE)) {
          skipped++;
          continue;
        }
        const entry = {
          der: whole(buf, item),
          start: item.start - contentInfo.start,
          end: item.end - contentInfo.start,
        };
        (isContext(field, 0) ? certificates : crls).push(entry);
      }
    }
  }
  return { certificates, crls, skipped };
}
