/**
 * The few facts the handshake needs from an X.509 certificate (RFC 5280 §4.1): the signed bytes, the
 * signature, names, validity, subjectAltName and the public key, read with the crypto layer's DER reader and
 * key parsers (src/lib/tls12/crypto/der.ts, keys.ts). The Chain Lab's full parser lives in src/lib/pki.
 */
import { toHex } from '../../../bytes/index.ts';
import {
  CryptoError,
  parsePkcs8 as parsePrivateKeyInfo,
  parseSpki as parseSubjectPublicKeyInfo,
  type EcCurve,
  type RsaPrivateComponents,
  type RsaPublicComponents,
} from '../../crypto/index.ts';
import {
  TAG_BIT_STRING,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  expectTag,
  oidText,
  readChildren,
  readElement,
  readSingle,
  type DerElement,
} from '../../crypto/der.ts';

export type PublicKey =
  | { kind: 'rsa'; bits: number; rsa: RsaPublicComponents; spki: Uint8Array }
  | { kind: 'ec'; curve: EcCurve; point: Uint8Array; spki: Uint8Array }
  | { kind: 'unsupported'; algorithm: string };

/** `pkcs8` is the PrivateKeyInfo DER it was parsed from (what WebCrypto imports). */
export type PrivateKey =
  | { kind: 'rsa'; pkcs8: Uint8Array; rsa: RsaPrivateComponents }
  | { kind: 'ec'; curve: EcCurve; scalar: Uint8Array; pkcs8: Uint8Array };

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

const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};
const OID_COMMON_NAME = '2.5.4.3';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const raw = (outer: Uint8Array, el: DerElement): Uint8Array => outer.subarray(el.offset, el.end);

function attributes(name: DerElement): { oid: string; value: string }[] {
  const out: { oid: string; value: string }[] = [];
  for (const rdn of readChildren(name.value)) {
    for (const atv of readChildren(rdn.value)) {
      const [type, value] = readChildren(atv.value);
      if (type && value) out.push({ oid: oidText(type), value: text(value.value) });
    }
  }
  return out;
}

/** RFC 4514-style one-line rendering of a Name, most significant RDN first as OpenSSL prints it. */
function nameToString(name: DerElement): string {
  return attributes(name)
    .map((a) => `${ATTRIBUTE_NAMES[a.oid] ?? a.oid}=${a.value}`)
    .join(', ');
}

/** UTCTime / GeneralizedTime (RFC 5280 §4.1.2.5: YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ) to milliseconds since the epoch. */
function derTime(el: DerElement | undefined, what: string): number {
  if (!el) throw new CryptoError('invalid-input', `DER: ${what} is missing`);
  const s = text(el.value);
  const m =
    el.tag === 0x17 ? /^(\d\d)(\d{10})Z$/.exec(s) : el.tag === 0x18 ? /^(\d{4})(\d{10})Z$/.exec(s) : null;
  if (!m) {
    throw new CryptoError(
      'invalid-input',
      `DER: ${what}: expected a UTCTime or GeneralizedTime at offset ${el.offset}, got tag 0x${el.tag.toString(16)} ${JSON.stringify(s.slice(0, 20))}`,
    );
  }
  const yy = Number(m[1]);
  const year = m[1]!.length === 2 ? (yy >= 50 ? 1900 + yy : 2000 + yy) : yy;
  const n = (i: number) => Number(m[2]!.slice(i, i + 2));
  return Date.UTC(year, n(0) - 1, n(2), n(4), n(6), n(8));
}

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) to a usable key; algorithms we do not implement are named. */
export function parseSpki(spki: Uint8Array): PublicKey {
  try {
    const parsed = parseSubjectPublicKeyInfo(spki);
    if (parsed.rsa)
      return {
        kind: 'rsa',
        bits: parsed.description.type === 'rsa' ? parsed.description.modulusBits : 0,
        rsa: parsed.rsa,
        spki,
      };
    if (parsed.description.type === 'ec' && parsed.ecPoint)
      return { kind: 'ec', curve: parsed.description.curve, point: parsed.ecPoint, spki };
  } catch (e) {
    if (!(e instanceof CryptoError && e.kind === 'unsupported')) throw e;
    return { kind: 'unsupported', algorithm: e.message };
  }
  return { kind: 'unsupported', algorithm: 'unknown' };
}

export function parseCertificate(der: Uint8Array): CertificateInfo {
  const cert = readSingle(der, TAG_SEQUENCE, 'Certificate');
  const [tbs, algorithm, signatureValue] = readChildren(cert.value);
  expectTag(tbs, TAG_SEQUENCE, 'Certificate.tbsCertificate');
  expectTag(algorithm, TAG_SEQUENCE, 'Certificate.signatureAlgorithm');
  expectTag(signatureValue, TAG_BIT_STRING, 'Certificate.signatureValue');
  const signatureAlgorithm = oidText(
    expectTag(readChildren(algorithm!.value)[0], TAG_OID, 'Certificate.signatureAlgorithm.algorithm'),
  );
  const fields = readChildren(tbs!.value);
  // version [0] EXPLICIT is optional
  let i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serial = expectTag(fields[i++], TAG_INTEGER, 'tbsCertificate.serialNumber');
  i++; // signature AlgorithmIdentifier
  const issuer = expectTag(fields[i++], TAG_SEQUENCE, 'tbsCertificate.issuer');
  const validity = expectTag(fields[i++], TAG_SEQUENCE, 'tbsCertificate.validity');
  const subject = expectTag(fields[i++], TAG_SEQUENCE, 'tbsCertificate.subject');
  const spki = expectTag(fields[i++], TAG_SEQUENCE, 'tbsCertificate.subjectPublicKeyInfo');
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  let hasSubjectAltName = false;
  for (const f of fields.slice(i)) {
    if (f.tag !== 0xa3) continue;
    for (const ext of readChildren(readElement(f.value, 0).value)) {
      const parts = readChildren(ext.value);
      if (oidText(expectTag(parts[0], TAG_OID, 'Extension.extnID')) !== OID_SUBJECT_ALT_NAME) continue;
      hasSubjectAltName = true;
      const value = expectTag(parts[parts.length - 1], TAG_OCTET_STRING, 'subjectAltName.extnValue');
      for (const gn of readChildren(readElement(value.value, 0).value)) {
        if (gn.tag === 0x82) dnsNames.push(text(gn.value));
        if (gn.tag === 0x87)
          ipAddresses.push(gn.value.length === 4 ? Array.from(gn.value).join('.') : toHex(gn.value));
      }
    }
  }
  const [notBefore, notAfter] = readChildren(validity.value);
  return {
    der,
    tbs: raw(cert.value, tbs!),
    signatureAlgorithm,
    signature: signatureValue!.value.subarray(1),
    serialHex: toHex(serial.value),
    issuerRaw: raw(tbs!.value, issuer),
    subjectRaw: raw(tbs!.value, subject),
    issuer: nameToString(issuer),
    subject: nameToString(subject),
    notBefore: derTime(notBefore, 'tbsCertificate.validity.notBefore'),
    notAfter: derTime(notAfter, 'tbsCertificate.validity.notAfter'),
    publicKey: parseSpki(raw(tbs!.value, spki)),
    dnsNames,
    ipAddresses,
    hasSubjectAltName,
    commonNames: attributes(subject)
      .filter((a) => a.oid === OID_COMMON_NAME)
      .map((a) => a.value),
  };
}

// A server or client config's key is the same bytes object across handshakes: parse it once.
const parsedKeys = new WeakMap<Uint8Array, PrivateKey>();

/** PKCS#8 PrivateKeyInfo (RFC 5208) holding an RSAPrivateKey (RFC 8017 A.1.2) or ECPrivateKey (RFC 5915). */
export function parsePkcs8(der: Uint8Array): PrivateKey {
  const cached = parsedKeys.get(der);
  if (cached) return cached;
  const parsed = parsePrivateKeyInfo(der);
  let key: PrivateKey;
  if (parsed.rsa) key = { kind: 'rsa', pkcs8: der, rsa: parsed.rsa };
  else if (parsed.description.type === 'ec' && parsed.ecPrivateKey)
    key = { kind: 'ec', curve: parsed.description.curve, scalar: parsed.ecPrivateKey, pkcs8: der };
  else throw new CryptoError('unsupported', 'PKCS#8: unsupported private key');
  parsedKeys.set(der, key);
  return key;
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
