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
import { oidText, readChildren, readElement, type DerElement } from '../../crypto/der.ts';

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

/** UTCTime / GeneralizedTime (RFC 5280 §4.1.2.5) to milliseconds since the epoch. */
function derTime(el: DerElement): number {
  const s = text(el.value);
  let year: number;
  let rest: string;
  if (el.tag === 0x17) {
    const yy = Number(s.slice(0, 2));
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    rest = s.slice(2);
  } else if (el.tag === 0x18) {
    year = Number(s.slice(0, 4));
    rest = s.slice(4);
  } else {
    throw new CryptoError(
      'invalid-input',
      `DER: expected a time at offset ${el.offset}, got tag 0x${el.tag.toString(16)}`,
    );
  }
  const n = (i: number) => Number(rest.slice(i, i + 2));
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
  const cert = readElement(der, 0);
  const [tbs, algorithm, signatureValue] = readChildren(cert.value);
  if (!tbs || !algorithm || !signatureValue) throw new CryptoError('invalid-input', 'certificate: truncated');
  const signatureAlgorithm = oidText(readChildren(algorithm.value)[0]!);
  const fields = readChildren(tbs.value);
  // version [0] EXPLICIT is optional
  let i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serial = fields[i++];
  i++; // signature AlgorithmIdentifier
  const issuer = fields[i++];
  const validity = fields[i++];
  const subject = fields[i++];
  const spki = fields[i++];
  if (!serial || !issuer || !validity || !subject || !spki)
    throw new CryptoError('invalid-input', 'certificate: truncated tbsCertificate');
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  let hasSubjectAltName = false;
  for (const f of fields.slice(i)) {
    if (f.tag !== 0xa3) continue;
    for (const ext of readChildren(readElement(f.value, 0).value)) {
      const parts = readChildren(ext.value);
      if (oidText(parts[0]!) !== OID_SUBJECT_ALT_NAME) continue;
      hasSubjectAltName = true;
      const value = parts[parts.length - 1]!;
      for (const gn of readChildren(readElement(value.value, 0).value)) {
        if (gn.tag === 0x82) dnsNames.push(text(gn.value));
        if (gn.tag === 0x87)
          ipAddresses.push(gn.value.length === 4 ? Array.from(gn.value).join('.') : toHex(gn.value));
      }
    }
  }
  const times = readChildren(validity.value);
  return {
    der,
    tbs: raw(cert.value, tbs),
    signatureAlgorithm,
    signature: signatureValue.value.subarray(1),
    serialHex: toHex(serial.value),
    issuerRaw: raw(tbs.value, issuer),
    subjectRaw: raw(tbs.value, subject),
    issuer: nameToString(issuer),
    subject: nameToString(subject),
    notBefore: derTime(times[0]!),
    notAfter: derTime(times[1]!),
    publicKey: parseSpki(raw(tbs.value, spki)),
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
