/**
 * CRL-based revocation (RFC 5280 §6.1.3 (a)(3), §6.3), behind the feature flag `crls` of analyzeCertViews.
 *
 * For a certificate and its issuer in the path, a CRL is USABLE when (§6.3.3):
 * - its issuer name equals the certificate's issuer name (b);
 * - its signature verifies with the issuer's key or another key of the same CA in the path (self-issued key
 *   rollover) (f)-(g) (the injected `verifyCrl`), and that certificate's keyUsage, when present, asserts cRLSign
 *   (§4.2.1.3; PKITS 4.7.4/4.7.5);
 * - its issuingDistributionPoint, when present, limits it to end-entity or CA certificates only and the
 *   certificate is in that scope (§5.2.5; other IDP fields → unsupported);
 * - its nextUpdate, when present, is not before the validation time (a)(2);
 * - it has no critical CRL extension other than cRLNumber / authorityKeyIdentifier (§5.2).
 * With a usable CRL, the certificate is `revoked` when its serial is listed (compared as encoded: 00ff and ff
 * are different numbers, PKITS 4.4.14/4.4.15). With none, the status is undetermined: `revocation-unknown`
 * (an error), except when a same-named CRL is signed by a certificate outside the path (a separate CRL signer,
 * whose own path is not validated) or uses IDP fields not evaluated: `not-supported-crl-processing` (unsupported).
 *
 * NOT checked (analyzeChain reports notSupported 'crl-processing' whenever CRLs are given): issuing
 * distribution points / scope, delta CRLs, reason partitions, CRL signer paths, entry extensions' criticality.
 */
import type { CertView, CrlView } from '../types.ts';
import { type Reason, label, makeReason } from './reasons.ts';

/** parse.ts verifyCrlSignature; `issuersOf` as for graph.ts VerifySignature (DSA parameter inheritance). */
export type VerifyCrl = (
  crl: CrlView,
  issuer: CertView,
  issuersOf?: (cert: CertView) => readonly CertView[],
) => Promise<{ ok: true } | { ok: false; reason: string }>;

const PROCESSED_CRL_EXTENSIONS = new Set(['2.5.29.20', '2.5.29.35', '2.5.29.28']);
const IDP = '2.5.29.28';

interface IdpScope {
  readonly onlyUser: boolean;
  readonly onlyCa: boolean;
  /** distributionPoint, onlySomeReasons, indirectCRL or onlyContainsAttributeCerts: not evaluated here. */
  readonly unsupported: string[];
}

/** IssuingDistributionPoint (RFC 5280 §5.2.5) from the extension's DER hex: the scope booleans we evaluate. */
export function parseIdp(valueHex: string): IdpScope {
  const b = Uint8Array.from(valueHex.match(/../g) ?? [], (h) => parseInt(h, 16));
  const out = { onlyUser: false, onlyCa: false, unsupported: [] as string[] };
  if (b[0] !== 0x30) return { ...out, unsupported: ['malformed issuingDistributionPoint'] };
  const readLen = (at: number): [number, number] => {
    const first = b[at] ?? 0;
    if (first < 0x80) return [first, at + 1];
    let n = 0;
    for (let k = 1; k <= (first & 0x7f); k++) n = (n << 8) | (b[at + k] ?? 0);
    return [n, at + 1 + (first & 0x7f)];
  };
  let [len, at] = readLen(1);
  const end = Math.min(at + len, b.length);
  while (at < end) {
    const tag = b[at] ?? 0;
    [len, at] = readLen(at + 1);
    const first = b[at] ?? 0;
    switch (tag & 0x1f) {
      case 0:
        out.unsupported.push('distributionPoint');
        break;
      case 1:
        out.onlyUser = first !== 0;
        break;
      case 2:
        out.onlyCa = first !== 0;
        break;
      case 3:
        out.unsupported.push('onlySomeReasons');
        break;
      case 4:
        if (first !== 0) out.unsupported.push('indirectCRL');
        break;
      default:
        out.unsupported.push('onlyContainsAttributeCerts');
    }
    at += len;
  }
  return out;
}

/** A serial as CRL entries are compared: the encoded value, lower-case hex digits only. */
export function serialKey(hex: string): string {
  return hex.toLowerCase().replace(/[^0-9a-f]/g, '');
}

/**
 * `path` is the whole path (leaf first): a CRL may be signed by the issuer's key or by another key of the same
 * CA that is itself in the path (self-issued key rollover, PKITS 4.5). `others` are the remaining sent/trusted
 * certificates: a CRL signed by one of those (a separate CRL signing key, PKITS 4.4.19-4.4.21) would need its
 * own path validated, which is not done: reported unsupported.
 */
export async function checkRevocation(
  cert: CertView,
  depth: number,
  path: readonly CertView[],
  others: readonly CertView[],
  crls: readonly CrlView[],
  time: number,
  verifyCrl: VerifyCrl,
): Promise<Reason[]> {
  const rule = 'RFC 5280 §6.1.3 (a)(3)';
  const named = crls.filter((c) => c.issuer.key === cert.issuer.key);
  if (named.length === 0) {
    return [
      makeReason(
        'revocation-unknown',
        cert,
        depth,
        rule,
        `no CRL from ${cert.issuer.rfc4514} was supplied, so the status of ${label(cert)} cannot be determined`,
      ),
    ];
  }
  const problems: string[] = [];
  let unsupported = false;
  const usable: { crl: CrlView; signer: CertView }[] = [];
  const inPath = path.slice(depth + 1).filter((c) => c.subject.key === cert.issuer.key);
  const outside = others.filter(
    (c) => c.subject.key === cert.issuer.key && !inPath.some((p) => p.id === c.id),
  );
  // A DSA key without parameters inherits them from the next certificate of this path (RFC 5280 §6.1.4 (f)).
  const issuersOf = (c: CertView): CertView[] => {
    const k = path.findIndex((x) => x.id === c.id);
    return k >= 0 && k + 1 < path.length ? [path[k + 1] as CertView] : [];
  };
  const scope = { cert, depth, inPath, outside, issuersOf, time, verifyCrl };
  for (const crl of named) {
    const judged = await judgeCrl(crl, scope);
    if ('signer' in judged) {
      usable.push({ crl, signer: judged.signer });
    } else {
      problems.push(judged.problem);
      if (judged.unsupported) unsupported = true;
    }
  }
  if (usable.length > 0) {
    const serial = serialKey(cert.serialHex);
    const hit = usable.find((u) => u.crl.revokedSerials.some((s) => serialKey(s) === serial));
    return hit
      ? [
          makeReason(
            'revoked',
            cert,
            depth,
            rule,
            `${label(cert)} (serial ${cert.serialHex}) is listed as revoked by ${label(hit.signer)}'s CRL`,
          ),
        ]
      : [];
  }
  if (unsupported) {
    return [
      makeReason(
        'not-supported-crl-processing',
        cert,
        depth,
        'RFC 5280 §6.3.3',
        `not supported: ${problems.join('; ')}`,
        'unsupported',
      ),
    ];
  }
  return [
    makeReason(
      'revocation-unknown',
      cert,
      depth,
      rule,
      `the status of ${label(cert)} cannot be determined: ${problems.join('; ')}`,
    ),
  ];
}

/** Whether one CRL naming the certificate's issuer can be used: its signer, or why not. */
type CrlJudgement = { signer: CertView } | { problem: string; unsupported: boolean };

async function judgeCrl(
  crl: CrlView,
  scope: {
    cert: CertView;
    depth: number;
    inPath: readonly CertView[];
    outside: readonly CertView[];
    issuersOf: (c: CertView) => CertView[];
    time: number;
    verifyCrl: VerifyCrl;
  },
): Promise<CrlJudgement> {
  const { cert, depth, inPath, outside, issuersOf, verifyCrl } = scope;
  let signer: CertView | null = null;
  for (const candidate of inPath) {
    if ((await verifyCrl(crl, candidate, issuersOf)).ok) {
      signer = candidate;
      break;
    }
  }
  if (signer === null) {
    const why = inPath.length > 0 ? await verifyCrl(crl, inPath[0] as CertView, issuersOf) : null;
    if (why && !why.ok && /not supported|unsupported/i.test(why.reason))
      return { problem: `the CRL's signature could not be checked (${why.reason})`, unsupported: true };
    let elsewhere = false;
    for (const candidate of outside) if ((await verifyCrl(crl, candidate)).ok) elsewhere = true;
    return {
      problem: elsewhere
        ? `a CRL naming ${cert.issuer.rfc4514} is signed by a separate CRL signing certificate, whose own path is not validated`
        : `a CRL naming ${cert.issuer.rfc4514} does not verify with any key of that CA in the path`,
      unsupported: elsewhere,
    };
  }
  if (signer.keyUsage !== null && !signer.keyUsage.includes('cRLSign'))
    return { problem: `${label(signer)} signed the CRL but its keyUsage lacks cRLSign`, unsupported: false };
  if (crl.nextUpdate !== undefined && Date.parse(crl.nextUpdate) < scope.time)
    return {
      problem: `the CRL from ${label(signer)} is stale (nextUpdate ${crl.nextUpdate})`,
      unsupported: false,
    };
  const critical = (crl.extensions ?? []).filter((e) => e.critical && !PROCESSED_CRL_EXTENSIONS.has(e.oid));
  if (critical.length > 0)
    return {
      problem: `the CRL from ${label(signer)} has an unrecognised critical extension (${critical.map((e) => e.name ?? e.oid).join(', ')})`,
      unsupported: false,
    };
  const idpExt = (crl.extensions ?? []).find((e) => e.oid === IDP);
  if (idpExt) {
    const idp = parseIdp(idpExt.valueHex);
    if (idp.unsupported.length > 0)
      return {
        problem: `the CRL's issuingDistributionPoint uses ${idp.unsupported.join(', ')}, which is not evaluated`,
        unsupported: true,
      };
    const isCa = depth > 0;
    if ((idp.onlyUser && isCa) || (idp.onlyCa && !isCa))
      return {
        problem: `a CRL from ${label(signer)} covers only ${idp.onlyUser ? 'end-entity' : 'CA'} certificates`,
        unsupported: false,
      };
  }
  return { signer };
}
