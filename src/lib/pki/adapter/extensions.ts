/** Certificate extensions (RFC 5280 §4.2), decoded from the extnValue DER into the model's plain data. */
import type {
  AuthorityCertIssuer,
  BasicConstraints,
  GeneralName,
  NameConstraints,
  PolicyConstraints,
  PolicyInformation,
  SubjectAltNames,
} from '../types.ts';
import {
  bitStringBytes,
  childrenOf,
  contents,
  decodeString,
  DerError,
  expectUniversal,
  isContext,
  isUniversal,
  readOid,
  readSmallInteger,
  readTlv,
  Tag,
  type Tlv,
} from '../../bytes/der.ts';
import { toHex } from '../../bytes/hex.ts';
import { decodeGeneralName, decodeGeneralNames } from './general-names.ts';
import type { DefectSink } from './name.ts';
import { OID } from './oids.ts';

/** Parses extnValue contents as exactly one DER element. */
function single(buf: Uint8Array, what: string): Tlv {
  const t = readTlv(buf, 0, buf.length);
  if (t.end !== buf.length) throw new DerError(t.end, `${what} has ${buf.length - t.end} trailing bytes`);
  return t;
}

/** §4.2.1.9 */
export function decodeBasicConstraints(v: Uint8Array, defects?: DefectSink): BasicConstraints {
  const seq = expectUniversal(single(v, 'basicConstraints'), Tag.SEQUENCE, 'basicConstraints', 0);
  let ca = false;
  let pathLen: number | undefined;
  for (const t of childrenOf(v, seq)) {
    if (isUniversal(t, Tag.BOOLEAN)) ca = t.length === 1 && v[t.contentStart] !== 0;
    else if (
      isUniversal(t, Tag.INTEGER) &&
      defects !== undefined &&
      t.length > 0 &&
      (v[t.contentStart] as number) >= 0x80
    )
      // Kept as "no pathLen" in the view; what the clients do with it is the profiles' business.
      defects(
        'negative-path-len',
        t.start,
        'the pathLenConstraint is negative (RFC 5280 §4.2.1.9: INTEGER (0..MAX))',
      );
    else if (isUniversal(t, Tag.INTEGER)) pathLen = readSmallInteger(v, t, 'pathLenConstraint');
    else throw new DerError(t.start, 'basicConstraints holds an unexpected element');
  }
  return pathLen === undefined ? { ca } : { ca, pathLen };
}

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** §4.2.1.3 */
export function decodeKeyUsage(v: Uint8Array): string[] {
  const t = expectUniversal(single(v, 'keyUsage'), Tag.BIT_STRING, 'keyUsage', 0);
  const { bytes } = bitStringBytes(v, t);
  const out: string[] = [];
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bytes[i >> 3];
    if (byte !== undefined && ((byte >> (7 - (i & 7))) & 1) === 1) out.push(name);
  });
  return out;
}

/** Netscape certificate type (a BIT STRING): its first byte, as OpenSSL's ex_nscert (0 when it holds no byte). */
export function decodeNsCertType(v: Uint8Array): number {
  const t = expectUniversal(single(v, 'nsCertType'), Tag.BIT_STRING, 'nsCertType', 0);
  return bitStringBytes(v, t).bytes[0] ?? 0;
}

/** §4.2.1.12 */
export function decodeExtKeyUsage(v: Uint8Array): string[] {
  const seq = expectUniversal(single(v, 'extKeyUsage'), Tag.SEQUENCE, 'extKeyUsage', 0);
  return childrenOf(v, seq).map((t) => readOid(v, t, 'a KeyPurposeId', t.start));
}

/** §4.2.1.6 */
export function decodeSubjectAltName(v: Uint8Array, defects?: DefectSink): SubjectAltNames {
  const seq = expectUniversal(single(v, 'subjectAltName'), Tag.SEQUENCE, 'subjectAltName', 0);
  const all = decodeGeneralNames(v, seq, defects);
  const pick = (kind: GeneralName['kind']): string[] =>
    all.filter((n) => n.kind === kind).map((n) => n.value);
  return { dns: pick('dns'), ip: pick('ip'), email: pick('email'), uri: pick('uri'), all };
}

/** §4.2.1.10 */
export function decodeNameConstraints(v: Uint8Array, defects?: DefectSink): NameConstraints {
  const seq = expectUniversal(single(v, 'nameConstraints'), Tag.SEQUENCE, 'nameConstraints', 0);
  const permitted: GeneralName[] = [];
  const excluded: GeneralName[] = [];
  const parts = childrenOf(v, seq);
  if (parts.length === 0)
    defects?.(
      'empty-name-constraints',
      seq.start,
      'nameConstraints has neither permittedSubtrees nor excludedSubtrees (RFC 5280 §4.2.1.10: one MUST be present)',
    );
  for (const t of parts) {
    const target = isContext(t, 0) ? permitted : isContext(t, 1) ? excluded : undefined;
    if (target === undefined) throw new DerError(t.start, 'nameConstraints holds an unexpected element');
    if (t.length === 0)
      defects?.(
        'empty-subtrees',
        t.start,
        `${isContext(t, 0) ? 'permittedSubtrees' : 'excludedSubtrees'} is present but empty (GeneralSubtrees: SIZE (1..MAX))`,
      );
    for (const subtree of childrenOf(v, t)) {
      expectUniversal(subtree, Tag.SEQUENCE, 'a GeneralSubtree', subtree.start);
      const [base] = childrenOf(v, subtree);
      if (base === undefined) throw new DerError(subtree.start, 'a GeneralSubtree has no base name');
      target.push(decodeGeneralName(v, base, true));
    }
  }
  return { permitted, excluded };
}

/** §4.2.1.4 */
export function decodeCertificatePolicies(v: Uint8Array): PolicyInformation[] {
  const seq = expectUniversal(single(v, 'certificatePolicies'), Tag.SEQUENCE, 'certificatePolicies', 0);
  return childrenOf(v, seq).map((pi) => {
    expectUniversal(pi, Tag.SEQUENCE, 'a PolicyInformation', pi.start);
    const [idTlv, qualifiersTlv] = childrenOf(v, pi);
    const oid = readOid(v, idTlv, 'a policyIdentifier', pi.start);
    const qualifiers: { oid: string; value: string }[] = [];
    if (qualifiersTlv !== undefined) {
      for (const q of childrenOf(v, qualifiersTlv)) {
        const [qid, qv] = childrenOf(v, q);
        const qoid = readOid(v, qid, 'a policyQualifierId', q.start);
        qualifiers.push({ oid: qoid, value: qv === undefined ? '' : qualifierText(v, qoid, qv) });
      }
    }
    return { oid, qualifiers };
  });
}

function qualifierText(v: Uint8Array, oid: string, t: Tlv): string {
  if (oid === OID.cpsQualifier && isUniversal(t, Tag.IA5String)) return decodeString(v, t);
  if (oid === OID.userNoticeQualifier && isUniversal(t, Tag.SEQUENCE)) {
    // UserNotice ::= SEQUENCE { noticeRef NoticeReference OPTIONAL, explicitText DisplayText OPTIONAL }
    const text = childrenOf(v, t).find((c) => !isUniversal(c, Tag.SEQUENCE));
    if (text !== undefined) return decodeString(v, text);
  }
  return toHex(contents(v, t));
}

/** §4.2.1.5 */
export function decodePolicyMappings(
  v: Uint8Array,
): { issuerDomainPolicy: string; subjectDomainPolicy: string }[] {
  const seq = expectUniversal(single(v, 'policyMappings'), Tag.SEQUENCE, 'policyMappings', 0);
  return childrenOf(v, seq).map((m) => {
    const [a, b] = childrenOf(v, m);
    return {
      issuerDomainPolicy: readOid(v, a, 'issuerDomainPolicy', m.start),
      subjectDomainPolicy: readOid(v, b, 'subjectDomainPolicy', m.start),
    };
  });
}

/** §4.2.1.11 */
export function decodePolicyConstraints(v: Uint8Array): PolicyConstraints {
  const seq = expectUniversal(single(v, 'policyConstraints'), Tag.SEQUENCE, 'policyConstraints', 0);
  const out: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number } = {};
  for (const t of childrenOf(v, seq)) {
    if (isContext(t, 0)) out.requireExplicitPolicy = readSmallInteger(v, t, 'requireExplicitPolicy');
    else if (isContext(t, 1)) out.inhibitPolicyMapping = readSmallInteger(v, t, 'inhibitPolicyMapping');
    else throw new DerError(t.start, 'policyConstraints holds an unexpected element');
  }
  return out;
}

/** §4.2.1.14 */
export function decodeInhibitAnyPolicy(v: Uint8Array): number {
  const t = expectUniversal(single(v, 'inhibitAnyPolicy'), Tag.INTEGER, 'inhibitAnyPolicy', 0);
  return readSmallInteger(v, t, 'inhibitAnyPolicy');
}

/** §4.2.1.1: keyIdentifier [0] only. */
export function decodeAuthorityKeyId(v: Uint8Array): string | null {
  return decodeAuthorityKeyIdentifier(v).keyId;
}

/**
 * §4.2.1.1 in full: keyIdentifier [0], and authorityCertIssuer [1] (its first directoryName, the one OpenSSL's
 * X509_check_akid compares) with authorityCertSerialNumber [2] (hex, as encoded).
 */
export function decodeAuthorityKeyIdentifier(v: Uint8Array): {
  keyId: string | null;
  issuer: AuthorityCertIssuer | null;
} {
  const seq = expectUniversal(single(v, 'authorityKeyIdentifier'), Tag.SEQUENCE, 'authorityKeyIdentifier', 0);
  const parts = childrenOf(v, seq);
  const kid = parts.find((t) => isContext(t, 0));
  const names = parts.find((t) => isContext(t, 1));
  const serial = parts.find((t) => isContext(t, 2));
  const dirName = names
    ? decodeGeneralNames(v, names).find((n) => n.kind === 'dn' && n.name !== undefined)?.name
    : undefined;
  const issuer =
    names || serial
      ? { dirName: dirName ?? null, serialHex: serial ? toHex(contents(v, serial)) : null }
      : null;
  return { keyId: kid === undefined ? null : toHex(contents(v, kid)), issuer };
}

/** §4.2.1.2 */
export function decodeSubjectKeyId(v: Uint8Array): string {
  const t = expectUniversal(single(v, 'subjectKeyIdentifier'), Tag.OCTET_STRING, 'subjectKeyIdentifier', 0);
  return toHex(contents(v, t));
}

/** §4.2.2.1 */
export function decodeAuthorityInfoAccess(v: Uint8Array): { ocsp: string[]; caIssuers: string[] } {
  const seq = expectUniversal(single(v, 'authorityInfoAccess'), Tag.SEQUENCE, 'authorityInfoAccess', 0);
  const ocsp: string[] = [];
  const caIssuers: string[] = [];
  for (const ad of childrenOf(v, seq)) {
    const [method, location] = childrenOf(v, ad);
    const oid = readOid(v, method, 'an accessMethod', ad.start);
    if (location === undefined) throw new DerError(ad.start, 'an AccessDescription has no accessLocation');
    const name = decodeGeneralName(v, location);
    if (oid === OID.ocsp) ocsp.push(name.value);
    else if (oid === OID.caIssuers) caIssuers.push(name.value);
  }
  return { ocsp, caIssuers };
}

/** §4.2.1.13: the fullName general names of every distribution point. */
export function decodeCrlDistributionPoints(v: Uint8Array): string[] {
  const seq = expectUniversal(single(v, 'cRLDistributionPoints'), Tag.SEQUENCE, 'cRLDistributionPoints', 0);
  const out: string[] = [];
  for (const dp of childrenOf(v, seq)) {
    for (const field of childrenOf(v, dp)) {
      if (!isContext(field, 0)) continue;
      for (const dpn of childrenOf(v, field)) {
        if (isContext(dpn, 0)) for (const gn of childrenOf(v, dpn)) out.push(decodeGeneralName(v, gn).value);
      }
    }
  }
  return out;
}
