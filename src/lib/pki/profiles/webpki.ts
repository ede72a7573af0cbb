/**
 * rustls-webpki `EndEntityCert::verify_for_usage` + `verify_is_valid_for_subject_name` (verify_cert.rs,
 * subject_name/): no AIA fetching, so the peer must send the intermediates.
 * - every certificate (the trust anchor is not a certificate to webpki: its validity is never checked):
 *   validity period (CertExpired / CertNotValidYet), basicConstraints (an end entity with cA=TRUE is
 *   CaUsedAsEndEntity; an issuer without cA=TRUE is EndEntityUsedAsCa), pathLenConstraint
 *   (PathLenConstraintViolated), EKU where present must contain the purpose, anyExtendedKeyUsage does not count
 *   (RequiredEkuNotFound), unknown critical extensions (UnsupportedCriticalExtension); keyUsage is ignored;
 * - issuers are found by byte-equal names, trust anchors first, then the intermediates in the order sent;
 *   at most 6 intermediates (MaximumPathDepthExceeded) and 100 signature checks
 *   (MaximumSignatureChecksExceeded); loops are cut (same subject and key);
 * - name constraints of anchors and intermediates apply to the leaf's SANs (NameConstraintViolation);
 * - the host name is checked after the chain, against SANs only (CertNotValidForName).
 * When several candidates fail, the most specific error wins (UnknownIssuer only when nothing more specific).
 */
import type { CertView } from '../types.ts';
import { matchHostname } from '../paths/hostname.ts';
import { checkNameConstraints, namesOf } from '../paths/name-constraints.ts';
import { certRef, label } from '../paths/reasons.ts';
import { EKU_OID } from '../paths/validate.ts';
import type { ProfileInput, ProfileVerdict } from './types.ts';

const MAX_SUB_CA_COUNT = 6;
const MAX_SIGNATURE_CHECKS = 100;

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
  | 'CertNotValidForName';

/** Higher is more specific (kept when several candidate paths fail). */
const RANK: Record<WebpkiError, number> = {
  UnknownIssuer: 0,
  CertNotValidForName: 1,
  InvalidSignatureForPublicKey: 2,
  RequiredEkuNotFound: 3,
  EndEntityUsedAsCa: 4,
  CaUsedAsEndEntity: 4,
  PathLenConstraintViolated: 5,
  NameConstraintViolation: 5,
  UnsupportedCriticalExtension: 6,
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
  if (cert.extensions.some((e) => e.critical && !e.known))
    return { error: 'UnsupportedCriticalExtension', cert, detail: '' };
  if (input.time < cert.validity.notBeforeMs)
    return {
      error: 'CertNotValidYet',
      cert,
      detail: `{ time: ${input.time / 1000}, not_before: ${cert.validity.notBeforeMs / 1000} }`,
    };
  if (input.time > cert.validity.notAfterMs)
    return {
      error: 'CertExpired',
      cert,
      detail: `{ time: ${input.time / 1000}, not_after: ${cert.validity.notAfterMs / 1000} }`,
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
      for (const anchor of input.anchors) {
        if (anchor.subject.derHex !== cert.issuer.derHex) continue;
        if (++sigChecks > MAX_SIGNATURE_CHECKS) {
          note({ error: 'MaximumSignatureChecksExceeded', cert, detail: '' });
          return false;
        }
        const sig = await input.graph.verifyEdge(cert, anchor);
        if (!sig.ok) {
          note({ error: 'InvalidSignatureForPublicKey', cert, detail: sig.reason });
          continue;
        }
        const nc = [anchor, ...chain.slice(1)].map((c) => c.nameConstraints).filter((x) => x !== null);
        const names = namesOf(leaf, true, false).filter((n) => n.source === 'san');
        if (nc.some((c) => checkNameConstraints(names, c).length > 0)) {
          note({ error: 'NameConstraintViolation', cert: leaf, detail: '' });
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
        const sig = await input.graph.verifyEdge(cert, inter);
        if (!sig.ok) {
          note({ error: 'InvalidSignatureForPublicKey', cert, detail: sig.reason });
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
  if (path && input.hostname) {
    const m = matchHostname(leaf, input.hostname, { commonName: 'never', partialWildcards: false });
    if (!m.matched) {
      best = { error: 'CertNotValidForName', cert: leaf, detail: m.detail };
    } else best = null;
  } else if (path) best = null;
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
