/**
 * rustls-webpki `EndEntityCert::verify_for_usage` + `verify_is_valid_for_subject_name` (verify_cert.rs,
 * subject_name/): no AIA fetching, so the peer must send the intermediates.
 * - every certificate (the trust anchor is not a certificate to webpki: its validity is never checked):
 *   validity period (CertExpired / CertNotValidYet), basicConstraints (an end entity with cA=TRUE is
 *   CaUsedAsEndEntity; an issuer without cA=TRUE is EndEntityUsedAsCa), pathLenConstraint
 *   (PathLenConstraintViolated), EKU where present must contain the purpose, anyExtendedKeyUsage does not count
 *   (RequiredEkuNotFound), unknown critical extensions (UnsupportedCriticalExtension); keyUsage is ignored (as released, up to 0.103.13;
 *   rustls/webpki#510, on main since June 2026 and not yet released, adds IssuerNotCertSigner);
 * - issuers are found by byte-equal names, trust anchors first, then the intermediates in the order sent;
 *   at most 6 intermediates (MaximumPathDepthExceeded) and 100 signature checks
 *   (MaximumSignatureChecksExceeded); loops are cut (same subject and key);
 * - name constraints of anchors and intermediates apply to the leaf's SANs (NameConstraintViolation);
 * - the host name is checked after the chain, against SANs only (CertNotValidForName).
 * When several candidates fail, the most specific error wins (UnknownIssuer only when nothing more specific).
 */
import type { CertView } from '../types.ts';
import { matchHostname } from '../paths/hostname.ts';
import { ComparisonBudget, checkNameConstraints, namesOf } from '../paths/name-constraints.ts';
import { certRef, label } from '../paths/reasons.ts';
import { EKU_OID, wholeSecond } from '../paths/validate.ts';
import { signatureHash } from '../paths/algorithms.ts';
import { unhandledCritical } from './critical.ts';
import { webpkiDefectError } from '../paths/defects.ts';
import { parseIp } from '../paths/names.ts';
import type { ProfileInput, ProfileVerdict } from './types.ts';

const MAX_SUB_CA_COUNT = 6;
const MAX_SIGNATURE_CHECKS = 100;
/** verify_cert.rs `Budget::default()`: name_constraint_comparisons 250_000 per verification. */
const MAX_NAME_CONSTRAINT_COMPARISONS = 250_000;
/** Rust's Ipv4Addr parser (rustls ServerName) refuses leading zeros; IPv4 and IPv6 SANs never compare equal. */
const RUST_IP = { leadingZeros: false } as const;

/**
 * Whether rustls-webpki's algorithm list (rustls' default `ALL_VERIFICATION_ALGS`: ECDSA P-256/P-384 with
 * SHA-256/384, Ed25519, RSA PKCS#1 / PSS 2048-8192 bits with SHA-256/384/512) can verify a signature by this
 * key with this algorithm (signed_data.rs `verify_signed_data`): no algorithm with that identifier
 * (SHA-1, MD5, DSA) is UnsupportedSignatureAlgorithm; an identifier whose key type differs (an EC key on P-192,
 * P-224, secp256k1, an id-RSASSA-PSS key) is UnsupportedSignatureAlgorithmForPublicKey; an RSA key outside 2048-8192 bits fails the
 * verification itself (InvalidSignatureForPublicKey).
 */
export function webpkiAlgorithmError(
  signed: CertView | null,
  key: CertView,
):
  | 'UnsupportedSignatureAlgorithm'
  | 'UnsupportedSignatureAlgorithmForPublicKey'
  | 'InvalidSignatureForPublicKey'
  | null {
  if (signed) {
    const h = signatureHash(signed);
    const n = signed.signatureAlgorithm.name.toLowerCase();
    if (
      h === 'SHA-1' ||
      h === 'MD5' ||
      h === 'MD2' ||
      h === 'SHA-224' ||
      (n.includes('dsa') && !n.includes('ecdsa'))
    )
      return 'UnsupportedSignatureAlgorithm';
  }
  const k = key.publicKey;
  if (k.algorithm === 'EC' && k.curve !== 'P-256' && k.curve !== 'P-384')
    return 'UnsupportedSignatureAlgorithmForPublicKey';
  // The SubjectPublicKeyInfo's algorithm must be the one the signature algorithm names: rsaEncryption for RSA.
  if (k.algorithm === 'DSA' || k.pssOnly) return 'UnsupportedSignatureAlgorithmForPublicKey';
  if (k.algorithm === 'RSA' && (k.bits < 2048 || k.bits > 8192)) return 'InvalidSignatureForPublicKey';
  return null;
}

/** is_valid_dns_id (Presented role, wildcards allowed): LDH labels (underscore tolerated), `*` alone and left-most. */
function webpkiDnsIdOk(name: string): boolean {
  if (name.length === 0 || name.length > 253 || name.endsWith('.')) return false;
  return name
    .split('.')
    .every((l, i) => (i === 0 && l === '*') || /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(l));
}
type WebpkiError =
  | 'UnknownIssuer'
  | 'CertExpired'
  | 'CertNotValidYet'
  | 'CaUsedAsEndEntity'
  | 'EndEntityUsedAsCa'
  | 'PathLenConstraintViolated'
  | 'RequiredEkuNotFound'
  | 'UnsupportedCriticalExtension'
  | 'InvalidSignatureForPublicKey'
  | 'NameConstraintViolation'
  | 'MaximumPathDepthExceeded'
  | 'MaximumSignatureChecksExceeded'
  | 'MaximumNameConstraintComparisonsExceeded'
  | 'UnsupportedSignatureAlgorithm'
  | 'UnsupportedSignatureAlgorithmForPublicKey'
  | 'InvalidNetworkMaskConstraint'
  | 'MalformedDnsIdentifier'
  | 'CertNotValidForName'
  | 'BadDer'
  | 'BadDerTime';

/**
 * The trust anchors rustls gets: rustls-pemfile reads "CERTIFICATE" sections only, and anchor_from_trusted_cert parses
 * each root with Cert::from_der, which refuses an unknown critical extension (RootCertStore::add_parsable_certificates
 * then skips it). Nothing else of the root is looked at (no validity, basicConstraints, keyUsage): a trust anchor is
 * a subject, a key and name constraints.
 */
function webpkiAnchors(anchors: readonly CertView[], trace: string[]): CertView[] {
  return anchors.filter((a) => {
    if (a.trustSettings) {
      trace.push(`${label(a)} is not a trust anchor: a "TRUSTED CERTIFICATE" block is not read`);
      return false;
    }
    const bad = unhandledCritical(a, 'webpki') !== null;
    if (bad) trace.push(`${label(a)} is not a trust anchor: UnsupportedCriticalExtension when loading it`);
    return !bad;
  });
}

/** Higher is more specific (kept when several candidate paths fail). */
const RANK: Record<WebpkiError, number> = {
  UnknownIssuer: 0,
  CertNotValidForName: 1,
  InvalidSignatureForPublicKey: 2,
  UnsupportedSignatureAlgorithm: 2,
  UnsupportedSignatureAlgorithmForPublicKey: 2,
  InvalidNetworkMaskConstraint: 5,
  MalformedDnsIdentifier: 5,
  MaximumNameConstraintComparisonsExceeded: 9,
  RequiredEkuNotFound: 3,
  EndEntityUsedAsCa: 4,
  CaUsedAsEndEntity: 4,
  PathLenConstraintViolated: 5,
  NameConstraintViolation: 5,
  UnsupportedCriticalExtension: 6,
  BadDer: 6,
  BadDerTime: 6,
  CertNotValidYet: 7,
  CertExpired: 7,
  MaximumPathDepthExceeded: 9,
  MaximumSignatureChecksExceeded: 9,
};

interface Failure {
  readonly error: WebpkiError;
  readonly cert: CertView;
  readonly detail: string;
}

function independent(
  cert: CertView,
  role: 'ee' | 'ca',
  subCaCount: number,
  input: ProfileInput,
): Failure | null {
  if (unhandledCritical(cert, 'webpki')) return { error: 'UnsupportedCriticalExtension', cert, detail: '' };
  const defect = webpkiDefectError(cert);
  if (defect) return { error: defect, cert, detail: '' };
  // rustls-pki-types UnixTime holds whole seconds (since_unix_epoch: Duration::as_secs).
  const now = wholeSecond(input.time);
  if (now < cert.validity.notBeforeMs)
    return {
      error: 'CertNotValidYet',
      cert,
      detail: `{ time: ${now / 1000}, not_before: ${cert.validity.notBeforeMs / 1000} }`,
    };
  if (now > cert.validity.notAfterMs)
    return {
      error: 'CertExpired',
      cert,
      detail: `{ time: ${now / 1000}, not_after: ${cert.validity.notAfterMs / 1000} }`,
    };
  const ca = cert.basicConstraints?.ca ?? false;
  if (role === 'ee' && ca) return { error: 'CaUsedAsEndEntity', cert, detail: '' };
  if (role === 'ca' && !ca) return { error: 'EndEntityUsedAsCa', cert, detail: '' };
  const pathLen = cert.basicConstraints?.pathLen;
  if (role === 'ca' && pathLen !== undefined && subCaCount > pathLen)
    return { error: 'PathLenConstraintViolated', cert, detail: '' };
  if (
    input.purpose !== 'any' &&
    cert.extKeyUsage !== null &&
    !cert.extKeyUsage.includes(EKU_OID[input.purpose])
  )
    return { error: 'RequiredEkuNotFound', cert, detail: '' };
  return null;
}

export async function webpki(input: ProfileInput): Promise<ProfileVerdict> {
  const trace: string[] = [];
  const leaf = input.served[0];
  if (!leaf) return { profile: 'webpki', valid: false, trace: ['no certificate to verify'] };
  const intermediates = input.served.slice(1);
  const anchors = webpkiAnchors(input.anchors, trace);
  const ncBudget = new ComparisonBudget(MAX_NAME_CONSTRAINT_COMPARISONS);
  let best: Failure | null = null;
  let sigChecks = 0;
  const note = (f: Failure) => {
    if (best === null || RANK[f.error] > RANK[best.error]) best = f;
  };

  const leafFail = independent(leaf, 'ee', 0, input);
  let found: CertView[] | null = null;
  if (leafFail) note(leafFail);
  else {
    const build = async (chain: CertView[], subCaCount: number): Promise<boolean> => {
      const cert = chain[chain.length - 1] as CertView;
      for (const anchor of anchors) {
        if (anchor.subject.derHex !== cert.issuer.derHex) continue;
        if (++sigChecks > MAX_SIGNATURE_CHECKS) {
          note({ error: 'MaximumSignatureChecksExceeded', cert, detail: '' });
          return false;
        }
        const algErr = webpkiAlgorithmError(cert, anchor);
        const sig = algErr
          ? { ok: false as const, reason: algErr }
          : await input.graph.verifyEdge(cert, anchor);
        if (!sig.ok) {
          note({ error: algErr ?? 'InvalidSignatureForPublicKey', cert, detail: sig.reason });
          continue;
        }
        const ncErr = nameConstraintError([anchor, ...chain.slice(1)], leaf, ncBudget);
        if (ncErr) {
          note({ error: ncErr, cert: leaf, detail: '' });
          if (ncErr === 'MaximumNameConstraintComparisonsExceeded') return false;
          continue;
        }
        found = [...chain, anchor];
        trace.push(`trust anchor ${label(anchor)} signed ${label(cert)}`);
        return true;
      }
      for (const inter of intermediates) {
        if (inter.subject.derHex !== cert.issuer.derHex) continue;
        if (
          chain.some(
            (c) =>
              c.fingerprints.spkiSha256 === inter.fingerprints.spkiSha256 &&
              c.subject.derHex === inter.subject.derHex,
          )
        )
          continue;
        if (subCaCount >= MAX_SUB_CA_COUNT) {
          note({ error: 'MaximumPathDepthExceeded', cert, detail: '' });
          return false;
        }
        const f = independent(inter, 'ca', subCaCount, input);
        if (f) {
          note(f);
          trace.push(`rejected ${label(inter)}: ${f.error}`);
          continue;
        }
        if (++sigChecks > MAX_SIGNATURE_CHECKS) {
          note({ error: 'MaximumSignatureChecksExceeded', cert, detail: '' });
          return false;
        }
        const algErr = webpkiAlgorithmError(cert, inter);
        const sig = algErr
          ? { ok: false as const, reason: algErr }
          : await input.graph.verifyEdge(cert, inter);
        if (!sig.ok) {
          note({ error: algErr ?? 'InvalidSignatureForPublicKey', cert, detail: sig.reason });
          continue;
        }
        trace.push(`took intermediate ${label(inter)} for ${label(cert)}`);
        if (await build([...chain, inter], inter.selfIssued ? subCaCount : subCaCount + 1)) return true;
      }
      note({ error: 'UnknownIssuer', cert, detail: '' });
      return false;
    };
    await build([leaf], 0);
  }
  const path = found as CertView[] | null;
  if (path) best = null;
  if (path && input.hostname) {
    const m = matchHostname(leaf, input.hostname, {
      commonName: 'never',
      partialWildcards: false,
      // S: rustls/webpki src/subject_name/dns_name.rs: "Absolute presented DNS IDs are not supported".
      absoluteNames: 'never',
      ipSyntax: RUST_IP,
    });
    if (!m.matched) best = { error: 'CertNotValidForName', cert: leaf, detail: m.detail };
  }
  // rustls then verifies the handshake signature with the leaf's key through the same algorithm list
  // (webpki EndEntityCert::verify_signature): a key it cannot use ends the connection there.
  const leafKeyErr = path && !best ? webpkiAlgorithmError(null, leaf) : null;
  if (leafKeyErr) {
    trace.push(`the chain verifies, but rustls cannot verify a handshake signature by the leaf's key`);
    best = { error: leafKeyErr, cert: leaf, detail: '' };
  }
  if (best) {
    const f = best as Failure;
    const message =
      f.detail && (f.error === 'CertExpired' || f.error === 'CertNotValidYet')
        ? `${f.error} ${f.detail}`
        : f.error;
    trace.push(`error: ${message} (${label(f.cert)})`);
    return {
      profile: 'webpki',
      valid: false,
      ...(path ? { path: path.map((c) => c.id) } : {}),
      error: { code: f.error, message, certificate: certRef(f.cert) },
      trace,
    };
  }
  return { profile: 'webpki', valid: true, path: (path as CertView[]).map((c) => c.id), trace };
}

/**
 * The leaf's SANs against the name constraints of the trust anchor and every intermediate on the path
 * (verify_cert.rs `check_name_constraints`; subject_name/mod.rs). Wildcard SANs as the set of names they match
 * (RUSTSEC-2026-0099); an iPAddress constraint that is not address + mask is InvalidNetworkMaskConstraint; a
 * dNSName that is not a valid DNS-ID is MalformedDnsIdentifier; every comparison counts against the budget.
 */
function nameConstraintError(
  cas: readonly CertView[],
  leaf: CertView,
  budget: ComparisonBudget,
): WebpkiError | null {
  const constraints = cas.map((c) => c.nameConstraints).filter((x) => x !== null);
  if (constraints.length === 0) return null;
  const names = namesOf(leaf, true, false).filter((n) => n.source === 'san' && n.kind !== 'dn');
  for (const n of names) {
    if (n.kind === 'dns' && !webpkiDnsIdOk(n.value)) return 'MalformedDnsIdentifier';
    if (n.kind === 'ip' && parseIp(n.value) === null) return 'MalformedDnsIdentifier';
  }
  for (const nc of constraints) {
    const v = checkNameConstraints(names, nc, { wildcards: 'set', budget })[0];
    if (!v) continue;
    if (v.kind === 'budget') return 'MaximumNameConstraintComparisonsExceeded';
    if (v.kind === 'malformed') return 'InvalidNetworkMaskConstraint';
    return 'NameConstraintViolation';
  }
  return null;
}
