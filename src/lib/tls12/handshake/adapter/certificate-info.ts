/**
 * The few facts the handshake needs from an X.509 certificate (RFC 5280 §4.1): the signed bytes, the
 * signature, names, validity, subjectAltName and the public key.
 */
import { toHex } from '../../../bytes/index.ts';
import { child, children, decodeOid, derBigInt, derTime, readDer, type DerNode } from './der.ts';

export type PublicKey =
  | { kind: 'rsa'; n: bigint; e: bigint; bits: number; spki?: Uint8Array }
  | { kind: 'ec'; curve: 'P-256' | 'P-384'; point: Uint8Array; spki?: Uint8Array }
  | { kind: 'unsupported'; algorithm: string };

export interface CertificateInfo {
  der: Uint8Array;
  tbs: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
  serialHex: string;
  issuerRaw: Uint8Array;
  subjectRaw: Uint8Array;
  issuer: string;
  subject: string;
  notBefore: number;
  notAfter: number;
  publicKey: PublicKey;
  dnsNames: string[];
  ipAddresses: string[];
  /** Whether a subjectAltName extension is present (then the subject CN is not a host name). */
  hasSubjectAltName: boolean;
  /** The subject's commonName values. */
  commonNames: string[];
}

const OID_RSA = '1.2.840.113549.1.1.1';
const OID_EC = '1.2.840.10045.2.1';
const CURVES: Record<string, 'P-256' | 'P-384'> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
};
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** RFC 4514-style one-line rendering of a Name, most significant RDN first as OpenSSL prints it. */
export function nameToString(name: DerNode): string {
  const parts: string[] = [];
  for (const rdn of children(name)) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (!type || !value) continue;
      const oid = decodeOid(type.content);
      parts.push(`${ATTRIBUTE_NAMES[oid] ?? oid}=${new TextDecoder().decode(value.content)}`);
    }
  }
  return parts.join(', ');
}

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) to a usable key. */
export function parseSpki(spki: DerNode): PublicKey {
  const algorithm = child(spki, 0, 'algorithm');
  const oid = decodeOid(child(algorithm, 0, 'algorithm OID').content);
  const bits = child(spki, 1, 'subjectPublicKey').content.subarray(1);
  if (oid === OID_RSA) {
    const key = readDer(bits);
    const n = derBigInt(child(key, 0, 'modulus').content);
    const e = derBigInt(child(key, 1, 'publicExponent').content);
    return { kind: 'rsa', n, e, bits: n.toString(2).length, spki: spki.raw };
  }
  if (oid === OID_EC) {
    const curve = CURVES[decodeOid(child(algorithm, 1, 'namedCurve').content)];
    if (!curve)
      return { kind: 'unsupported', algorithm: `EC ${decodeOid(child(algorithm, 1, 'curve').content)}` };
    return { kind: 'ec', curve, point: bits, spki: spki.raw };
  }
  return { kind: 'unsupported', algorithm: oid };
}

export function parseCertificate(der: Uint8Array): CertificateInfo {
  const cert = readDer(der);
  const tbs = child(cert, 0, 'tbsCertificate');
  const signatureAlgorithm = decodeOid(child(child(cert, 1, 'signatureAlgorithm'), 0, 'OID').content);
  const signature = child(cert, 2, 'signatureValue').content.subarray(1);
  const fields = children(tbs);
  // version [0] EXPLICIT is optional
  let i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serial = fields[i++]!;
  i++; // signature AlgorithmIdentifier
  const issuer = fields[i++]!;
  const validity = fields[i++]!;
  const subject = fields[i++]!;
  const spki = fields[i++]!;
  if (!serial || !issuer || !validity || !subject || !spki)
    throw new Error('certificate: truncated tbsCertificate');
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  let hasSubjectAltName = false;
  const commonNames: string[] = [];
  for (const rdn of children(subject)) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (type && value && decodeOid(type.content) === '2.5.4.3')
        commonNames.push(new TextDecoder().decode(value.content));
    }
  }
  for (const f of fields.slice(i)) {
    if (f.tag !== 0xa3) continue;
    for (const ext of children(readDer(f.content))) {
      const parts = children(ext);
      if (decodeOid(parts[0]!.content) !== '2.5.29.17') continue;
      hasSubjectAltName = true;
      const value = parts[parts.length - 1]!;
      for (const gn of children(readDer(value.content))) {
        if (gn.tag === 0x82) dnsNames.push(new TextDecoder().decode(gn.content));
        if (gn.tag === 0x87) {
          ipAddresses.push(gn.content.length === 4 ? Array.from(gn.content).join('.') : toHex(gn.content));
        }
      }
    }
  }
  return {
    der,
    tbs: tbs.raw,
    signatureAlgorithm,
    signature,
    serialHex: toHex(serial.content),
    issuerRaw: issuer.raw,
    subjectRaw: subject.raw,
    issuer: nameToString(issuer),
    subject: nameToString(subject),
    notBefore: derTime(child(validity, 0, 'notBefore')),
    notAfter: derTime(child(validity, 1, 'notAfter')),
    publicKey: parseSpki(spki),
    dnsNames,
    ipAddresses,
    hasSubjectAltName,
    commonNames,
  };
}

/** `pkcs8` is the PrivateKeyInfo DER it was parsed from (what WebCrypto imports). */
export type PrivateKey =
  | {
      kind: 'rsa';
      pkcs8?: Uint8Array;
      n: bigint;
      e: bigint;
      d: bigint;
      p: bigint;
      q: bigint;
      dp: bigint;
      dq: bigint;
      qinv: bigint;
    }
  | { kind: 'ec'; curve: 'P-256' | 'P-384'; scalar: Uint8Array; pkcs8?: Uint8Array };

/** PKCS#8 PrivateKeyInfo (RFC 5208) holding an RSAPrivateKey (RFC 8017 A.1.2) or ECPrivateKey (RFC 5915). */
export function parsePkcs8(der: Uint8Array): PrivateKey {
  const info = readDer(der);
  const algorithm = child(info, 1, 'privateKeyAlgorithm');
  const oid = decodeOid(child(algorithm, 0, 'algorithm').content);
  const inner = readDer(child(info, 2, 'privateKey').content);
  if (oid === OID_RSA) {
    const v = children(inner).map((n) => derBigInt(n.content));
    const [, n, e, d, p, q, dp, dq, qinv] = v;
    if (qinv === undefined) throw new Error('PKCS#8: truncated RSAPrivateKey');
    return { kind: 'rsa', n: n!, e: e!, d: d!, p: p!, q: q!, dp: dp!, dq: dq!, qinv, pkcs8: der };
  }
  if (oid === OID_EC) {
    const curve = CURVES[decodeOid(child(algorithm, 1, 'namedCurve').content)];
    if (!curve) throw new Error('PKCS#8: unsupported EC curve');
    const scalar = child(inner, 1, 'privateKey').content;
    const size = curve === 'P-256' ? 32 : 48;
    const padded = new Uint8Array(size);
    padded.set(scalar, size - scalar.length);
    return { kind: 'ec', curve, scalar: padded, pkcs8: der };
  }
  throw new Error(`PKCS#8: unsupported key algorithm ${oid}`);
}

/** PEM to DER for every block of the given label ("CERTIFICATE", "PRIVATE KEY"). Pure: uses atob. */
export function pemToDer(pem: string, label: string): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  const out: Uint8Array[] = [];
  for (const m of pem.matchAll(re)) {
    const bin = atob((m[1] ?? '').replace(/\s+/g, ''));
    out.push(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  }
  return out;
}
