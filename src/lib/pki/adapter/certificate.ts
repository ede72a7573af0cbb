/**
 * Certificate DER (RFC 5280 §4.1) to CertView. Every field is read from the DER by the strict reader in
 * der.ts; failures throw DerError with the byte offset inside the certificate.
 */
import { bitLen, bytesToNumberBE } from '@noble/curves/utils.js';
import type { AlgorithmView, CertDefect, CertView, ExtensionView, PublicKeyView } from '../types.ts';
import { encodeBase64 } from '../../bytes/base64.ts';
import { toHex } from '../../bytes/hex.ts';
import { Recent } from '../../bytes/recent.ts';
import { buildTree, CERTIFICATE_NAMES } from './asn1-tree.ts';
import {
  bitStringBytes,
  childrenOf,
  contents,
  DerError,
  expectUniversal,
  isContext,
  isUniversal,
  readOid,
  readSmallInteger,
  readTime,
  readTlv,
  Tag,
  whole,
  type Tlv,
} from '../../bytes/der.ts';
import { sha1Hex, sha256Bytes, sha256Hex } from './digest.ts';
import * as ext from './extensions.ts';
import { decodeName, type DefectSink } from './name.ts';
import { CURVES, EXTENSIONS, HASH_ALGORITHMS, PUBLIC_KEY_ALGORITHMS, SIGNATURE_ALGORITHMS } from './oids.ts';

/** The raw pieces signature verification needs, re-derived from the DER on demand. */
export interface SignedParts {
  readonly tbs: Uint8Array;
  readonly algorithmOid: string;
  /** DER of the AlgorithmIdentifier's parameters, when present. */
  readonly algorithmParams?: Uint8Array;
  readonly signature: Uint8Array;
}

/** Top-level SIGNED{} structure shared by certificates and CRLs (RFC 5280 §4.1.1, §5.1.1). */
export interface SignedTlvs {
  readonly outer: Tlv;
  readonly tbsTlv: Tlv;
  readonly algorithmOid: string;
  readonly algorithmParams?: Uint8Array;
  readonly signature: Uint8Array;
}

export function readSigned(der: Uint8Array, what: string): SignedTlvs {
  const outer = expectUniversal(readTlv(der, 0, der.length), Tag.SEQUENCE, what, 0);
  if (outer.end !== der.length) {
    throw new DerError(outer.end, `${der.length - outer.end} bytes follow the end of the ${what}`);
  }
  const [tbs, alg, sig, extra] = childrenOf(der, outer);
  const tbsTlv = expectUniversal(tbs, Tag.SEQUENCE, `the ${what}'s to-be-signed part`, outer.contentStart);
  const algTlv = expectUniversal(alg, Tag.SEQUENCE, `the ${what}'s signatureAlgorithm`, outer.end);
  const sigTlv = expectUniversal(sig, Tag.BIT_STRING, `the ${what}'s signatureValue`, outer.end);
  if (extra !== undefined)
    throw new DerError(extra.start, `the ${what} has an unexpected element after its signature`);
  const [algOid, algParams] = childrenOf(der, algTlv);
  const algorithmOid = readOid(der, algOid, 'the signature algorithm OID', algTlv.start);
  const { bytes: signature } = bitStringBytes(der, sigTlv);
  return {
    outer,
    tbsTlv,
    algorithmOid,
    signature,
    ...(algParams !== undefined && !isUniversal(algParams, Tag.NULL)
      ? { algorithmParams: whole(der, algParams) }
      : {}),
  };
}

export function signedParts(der: Uint8Array, what: string): SignedParts {
  const r = readSigned(der, what);
  return {
    tbs: whole(der, r.tbsTlv),
    algorithmOid: r.algorithmOid,
    signature: r.signature,
    ...(r.algorithmParams !== undefined ? { algorithmParams: r.algorithmParams } : {}),
  };
}

/** RSASSA-PSS parameters that name a hash this engine does not know (SHA3-256, SHA-512/256 ...): well formed. */
export class UnsupportedPssHash extends DerError {}

/**
 * RFC 4055 §3.1: the hash of RSASSA-PSS parameters (SHA-1 when absent). @throws UnsupportedPssHash for a hash this
 * engine does not know, DerError for malformed parameters.
 */
export function pssHash(params: Uint8Array | undefined): { hash: string; saltLength: number } {
  let hash = 'SHA-1';
  let saltLength = 20;
  if (params === undefined) return { hash, saltLength };
  const seq = readTlv(params, 0, params.length);
  for (const f of childrenOf(params, seq)) {
    if (isContext(f, 0)) {
      const [algId] = childrenOf(params, f);
      const [oid] = algId === undefined ? [] : childrenOf(params, algId);
      const name = HASH_ALGORITHMS[readOid(params, oid, 'the PSS hash algorithm', f.start)];
      if (name === undefined)
        throw new UnsupportedPssHash(f.start, 'the PSS hash algorithm is not supported');
      hash = name;
    } else if (isContext(f, 2)) {
      const [n] = childrenOf(params, f);
      if (n !== undefined) saltLength = readSmallInteger(params, n, 'the PSS salt length');
    }
  }
  return { hash, saltLength };
}

function algorithmView(oid: string, params: Uint8Array | undefined): AlgorithmView {
  const known = SIGNATURE_ALGORITHMS[oid];
  if (known === undefined) return { oid, name: oid };
  if (known.keyType === 'RSA-PSS') {
    try {
      return { oid, name: known.name, hash: pssHash(params).hash };
    } catch {
      return { oid, name: known.name };
    }
  }
  return known.hash !== undefined ? { oid, name: known.name, hash: known.hash } : { oid, name: known.name };
}

/** RFC 5280 §4.1.2.7 with RFC 3279 / 5480 / 8410 key formats. */
function publicKeyView(der: Uint8Array, spki: Tlv): PublicKeyView {
  const [algId, keyBits] = childrenOf(der, spki);
  expectUniversal(algId, Tag.SEQUENCE, 'the public key algorithm', spki.start);
  const [oidTlv, params] = childrenOf(der, algId as Tlv);
  const oid = readOid(der, oidTlv, 'the public key algorithm OID', spki.start);
  const keyTlv = expectUniversal(keyBits, Tag.BIT_STRING, 'the subjectPublicKey', spki.start);
  const { bytes: key } = bitStringBytes(der, keyTlv);
  const spkiDer = whole(der, spki).slice();
  const algorithm = PUBLIC_KEY_ALGORITHMS[oid] ?? oid;
  switch (algorithm) {
    case 'RSA':
    case 'RSA-PSS': {
      let bits = 0;
      try {
        const seq = readTlv(key, 0, key.length);
        const [n] = childrenOf(key, seq);
        if (n !== undefined) bits = bitLen(bytesToNumberBE(contents(key, n)));
      } catch {
        bits = 0; // an unparsable RSA key still shows; signature checks will say why it fails
      }
      return {
        algorithm: 'RSA',
        bits,
        spkiDer,
        ...(algorithm === 'RSA-PSS' ? { pssOnly: true as const } : {}),
      };
    }
    case 'EC': {
      const curveOid =
        params !== undefined && isUniversal(params, Tag.OID)
          ? readOid(der, params, 'the EC curve', params.start)
          : '';
      const curve = CURVES[curveOid];
      return {
        algorithm,
        bits: curve?.bits ?? (key.length > 1 ? ((key.length - 1) / 2) * 8 : 0),
        curve: curve?.name ?? (curveOid || 'explicit parameters'),
        spkiDer,
      };
    }
    case 'Ed25519':
    case 'X25519':
      return { algorithm, bits: 256, spkiDer };
    case 'Ed448':
      return { algorithm, bits: 456, spkiDer };
    case 'X448':
      return { algorithm, bits: 448, spkiDer };
    case 'DSA': {
      let bits = 0;
      if (params !== undefined && isUniversal(params, Tag.SEQUENCE)) {
        const [p] = childrenOf(der, params);
        if (p !== undefined) bits = bitLen(bytesToNumberBE(contents(der, p)));
      }
      return { algorithm, bits, spkiDer };
    }
    default:
      return { algorithm, bits: key.length * 8, spkiDer };
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The time encodings OpenSSL loads but RFC 5280 §4.1.2.5 forbids: a UTCTime without seconds (YYMMDDHHMMZ) and a
 * GeneralizedTime with fractional seconds. `readTime` accepts both (the fraction is dropped: the engine compares
 * whole seconds, as RFC 5280 defines the field); this records them.
 */
function timeDefect(der: Uint8Array, t: Tlv | undefined, field: string, defects: CertDefect[]): void {
  if (t === undefined) return;
  const text = new TextDecoder('latin1').decode(contents(der, t));
  if (isUniversal(t, Tag.UTCTime) && /^\d{10}Z$/.test(text))
    defects.push({
      kind: 'utc-time-without-seconds',
      where: field,
      offset: t.start,
      message: `${field} "${text}" is a UTCTime without seconds (RFC 5280 §4.1.2.5.1: YYMMDDHHMMSSZ)`,
    });
  if (isUniversal(t, Tag.GeneralizedTime) && text.includes('.'))
    defects.push({
      kind: 'fractional-seconds',
      where: field,
      offset: t.start,
      message: `${field} "${text}" has fractional seconds (RFC 5280 §4.1.2.5.2: MUST NOT)`,
    });
}

/**
 * The last few certificates decoded, by SHA-256: the same certificate is often decoded again soon (a TLS client
 * reads the server's leaf and its verifier reads it again; the Chain Lab re-analyses a chain at another date).
 * A CertView is read-only, so one view serves every caller; only successful decodes are kept.
 */
const recent = new Recent<CertView>(16);

/** Decodes one certificate. `input` must hold exactly the certificate's DER. */
export function decodeCertificate(input: Uint8Array): CertView {
  const der = input.slice();
  const sha256 = sha256Hex(der); // the certificate's id, as everywhere in pki
  return recent.get(sha256, () => decodeFresh(der, sha256));
}

function decodeFresh(der: Uint8Array, sha256: string): CertView {
  const signed = readSigned(der, 'certificate');
  const tbs = signed.tbsTlv;
  const fields = childrenOf(der, tbs);
  let i = 0;
  let version = 1;
  const first = fields[0];
  if (first !== undefined && isContext(first, 0)) {
    const [v] = childrenOf(der, first);
    if (v === undefined || !isUniversal(v, Tag.INTEGER))
      throw new DerError(first.start, 'the version is not an INTEGER');
    version = readSmallInteger(der, v, 'the version') + 1;
    i = 1;
  }
  const serial = expectUniversal(fields[i], Tag.INTEGER, 'the serial number', tbs.contentStart);
  const tbsSig = expectUniversal(fields[i + 1], Tag.SEQUENCE, 'the TBS signature algorithm', serial.end);
  const issuerTlv = expectUniversal(fields[i + 2], Tag.SEQUENCE, 'the issuer', tbsSig.end);
  const validityTlv = expectUniversal(fields[i + 3], Tag.SEQUENCE, 'the validity', issuerTlv.end);
  const subjectTlv = expectUniversal(fields[i + 4], Tag.SEQUENCE, 'the subject', validityTlv.end);
  const spkiTlv = expectUniversal(fields[i + 5], Tag.SEQUENCE, 'the subjectPublicKeyInfo', subjectTlv.end);
  const [nb, na] = childrenOf(der, validityTlv);
  const notBeforeMs = readTime(der, nb, 'notBefore', validityTlv.start);
  const notAfterMs = readTime(der, na, 'notAfter', validityTlv.start);
  const defects: CertDefect[] = [];
  const sink =
    (where: string, base = 0, extension?: string): DefectSink =>
    (kind, offset, message) =>
      defects.push({
        kind,
        where,
        ...(extension !== undefined ? { extension } : {}),
        offset: base + offset,
        message,
      });
  timeDefect(der, nb, 'notBefore', defects);
  timeDefect(der, na, 'notAfter', defects);
  const subject = decodeName(der, subjectTlv, 'subject', sink('subject'));
  const issuer = decodeName(der, issuerTlv, 'issuer', sink('issuer'));
  const publicKey = publicKeyView(der, spkiTlv);

  const spkiSha256 = sha256Bytes(publicKey.spkiDer);
  const view: Mutable<CertView> = {
    id: sha256,
    version,
    serialHex: toHex(contents(der, serial)),
    subject,
    issuer,
    validity: {
      notBefore: new Date(notBeforeMs).toISOString(),
      notAfter: new Date(notAfterMs).toISOString(),
      notBeforeMs,
      notAfterMs,
    },
    san: null,
    keyUsage: null,
    extKeyUsage: null,
    nsCertType: null,
    basicConstraints: null,
    nameConstraints: null,
    policies: null,
    policyMappings: null,
    policyConstraints: null,
    inhibitAnyPolicy: null,
    authorityKeyId: null,
    subjectKeyId: null,
    aia: null,
    crlDistributionPoints: null,
    extensions: [],
    signatureAlgorithm: algorithmView(signed.algorithmOid, signed.algorithmParams),
    publicKey,
    fingerprints: {
      sha1: sha1Hex(der),
      sha256,
      spkiSha256: toHex(spkiSha256),
      spkiSha256Base64: encodeBase64(spkiSha256),
    },
    selfIssued: subject.key === issuer.key,
    der,
    asn1: buildTree(der, signed.outer, CERTIFICATE_NAMES, 'cert'),
    defects,
  };

  const extensions: ExtensionView[] = [];
  for (const f of fields.slice(i + 6)) {
    if (!isContext(f, 3)) continue;
    const [list] = childrenOf(der, f);
    expectUniversal(list, Tag.SEQUENCE, 'the extensions', f.start);
    for (const e of childrenOf(der, list as Tlv)) extensions.push(decodeExtension(der, e, view, sink));
  }
  view.extensions = extensions;
  return view;
}

function decodeExtension(
  der: Uint8Array,
  e: Tlv,
  view: Mutable<CertView>,
  sink: (where: string, base: number, extension: string) => DefectSink,
): ExtensionView {
  expectUniversal(e, Tag.SEQUENCE, 'an extension', e.start);
  const parts = childrenOf(der, e);
  const oid = readOid(der, parts[0], 'an extension ID', e.start);
  let critical = false;
  let valueTlv = parts[1];
  if (valueTlv !== undefined && isUniversal(valueTlv, Tag.BOOLEAN)) {
    critical = valueTlv.length === 1 && der[valueTlv.contentStart] !== 0;
    valueTlv = parts[2];
  }
  const info = EXTENSIONS[oid];
  const label = info?.name ?? oid;
  const octets = expectUniversal(valueTlv, Tag.OCTET_STRING, `the value of extension ${label}`, e.start);
  const v = contents(der, octets);
  const defects = sink(`extension ${label}`, octets.contentStart, oid);
  try {
    applyExtension(oid, v, view, defects);
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
    // OpenSSL loads the certificate and only flags it when it decodes the extension (v3_purp.c
    // ossl_x509v3_cache_extensions: EXFLAG_INVALID); the view keeps the field null and lists the defect.
    defects('broken-extension', err.offset, `extension ${label} is not valid DER: ${err.reason}`);
  }
  return {
    oid,
    ...(info !== undefined ? { name: info.name } : {}),
    critical,
    known: info?.known ?? false,
    valueHex: toHex(v),
  };
}

function applyExtension(oid: string, v: Uint8Array, view: Mutable<CertView>, defects: DefectSink): void {
  switch (oid) {
    case '2.5.29.19':
      view.basicConstraints = ext.decodeBasicConstraints(v, defects);
      break;
    case '2.5.29.15':
      view.keyUsage = ext.decodeKeyUsage(v);
      break;
    case '2.5.29.37':
      view.extKeyUsage = ext.decodeExtKeyUsage(v);
      break;
    case '2.16.840.1.113730.1.1':
      view.nsCertType = ext.decodeNsCertType(v);
      break;
    case '2.5.29.17':
      view.san = ext.decodeSubjectAltName(v, defects);
      break;
    case '2.5.29.30':
      view.nameConstraints = ext.decodeNameConstraints(v, defects);
      break;
    case '2.5.29.32':
      view.policies = ext.decodeCertificatePolicies(v);
      break;
    case '2.5.29.33':
      view.policyMappings = ext.decodePolicyMappings(v);
      break;
    case '2.5.29.36':
      view.policyConstraints = ext.decodePolicyConstraints(v);
      break;
    case '2.5.29.54':
      view.inhibitAnyPolicy = ext.decodeInhibitAnyPolicy(v);
      break;
    case '2.5.29.35': {
      const akid = ext.decodeAuthorityKeyIdentifier(v);
      view.authorityKeyId = akid.keyId;
      if (akid.issuer) view.authorityCertIssuer = akid.issuer;
      break;
    }
    case '2.5.29.14':
      view.subjectKeyId = ext.decodeSubjectKeyId(v);
      break;
    case '1.3.6.1.5.5.7.1.1':
      view.aia = ext.decodeAuthorityInfoAccess(v);
      break;
    case '2.5.29.31':
      view.crlDistributionPoints = ext.decodeCrlDistributionPoints(v);
      break;
    default:
      break;
  }
}
