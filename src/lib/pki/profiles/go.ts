/**
 * Go crypto/x509 `Certificate.Verify` (src/crypto/x509/verify.go as of Go 1.24+, read at golang/go tip), with
 * VerifyOptions{DNSName, Roots, Intermediates, CurrentTime, KeyUsages: [purpose]}:
 * 1. `isValid(leaf)`: unhandled critical extensions, validity period ("x509: certificate has expired or is not
 *    yet valid: current time … is after …"), EKU (a certificate with EKUs must list the purpose or
 *    anyExtendedKeyUsage, else IncompatibleUsage); then `VerifyHostname` (SANs only; the CN is never used);
 * 2. `buildChains`: depth-first over candidates (Roots, then Intermediates, each ranked by AKID/SKID; names
 *    compared byte for byte), skipping certificates already in the chain (same subject, key and SANs), at most
 *    100 signature checks. A candidate whose signature fails (SHA-1 signatures always do: "insecure algorithm")
 *    becomes the hint of UnknownAuthorityError; a candidate failing `isValid` (time, EKU, name constraints on the
 *    leaf's SANs, intermediates must be CAs, pathLen counting every intermediate) sets the returned error
 *    directly (the last one wins). Before a candidate's signature, `CheckSignatureFrom` refuses a parent that may
 *    not sign (a v3 certificate without basicConstraints or with cA false, or a keyUsage without keyCertSign):
 *    "x509: invalid signature: parent certificate cannot sign this kind of certificate", the hint. keyUsage
 *    counts nowhere else.
 * Go returns every chain; the verdict path here is the first one found.
 */
import type { CertView } from '../types.ts';
import { IssuerGraph } from '../paths/graph.ts';
import { alreadyInChain } from '../paths/build-paths.ts';
import { matchDnsPattern, matchHostname } from '../paths/hostname.ts';
import {
  ComparisonBudget,
  checkNameConstraints,
  namesOf,
  parseIpSubtree,
} from '../paths/name-constraints.ts';
import { certRef, label } from '../paths/reasons.ts';
import { ANY_EKU, EKU_OID } from '../paths/validate.ts';
import { parseIp } from '../paths/names.ts';
import { signatureHash } from '../paths/algorithms.ts';
import { unhandledCritical } from './critical.ts';
import { notCheckedError } from './error-text.ts';
import { goDefectError, goNotAfterMs } from '../paths/defects.ts';
import type { ProfileInput, ProfileVerdict } from './types.ts';

const MAX_SIGNATURE_CHECKS = 100;
/** verify.go isValid: `maxConstraintComparisons = 250000` when VerifyOptions.MaxConstraintComparisions is 0. */
const MAX_CONSTRAINT_COMPARISONS = 250_000;
/** crypto/x509 parser.go namedCurveFromOID: the only curves Go parses (others: "x509: unsupported elliptic curve"). */
const GO_CURVES = new Set(['P-224', 'P-256', 'P-384', 'P-521']);
/** Go's IP / name parsing: net.ParseIP refuses IPv4 parts with leading zeros (Go 1.17+). */
const GO_IP = { leadingZeros: false } as const;

/**
 * Why crypto/x509 ParseCertificate (parser.go) refuses a certificate this engine parsed, else null: one of its
 * defects (paths/defects.ts: a negative pathLen, a non-IA5 dNSName, a broken extension Go decodes), an EC key on
 * a curve Go does not implement, an iPAddress name constraint that is not address + contiguous mask
 * (parseNameConstraintsExtension). A Go TLS client fails the handshake on such a peer certificate; a root that
 * does not parse is skipped by CertPool.AppendCertsFromPEM.
 */
export function goParseError(cert: CertView): string | null {
  const defect = goDefectError(cert);
  if (defect) return defect;
  if (cert.publicKey.algorithm === 'EC' && !GO_CURVES.has(cert.publicKey.curve ?? ''))
    return 'x509: unsupported elliptic curve';
  const nc = cert.nameConstraints;
  if (nc) {
    for (const g of [...nc.permitted, ...nc.excluded]) {
      if (g.kind !== 'ip') continue;
      const sub = parseIpSubtree(g.value);
      if (sub.malformed && sub.net) return `x509: IP constraint contained value of length ${sub.net.length}`;
      if (!sub.contiguous && sub.mask)
        return `x509: IP constraint contained invalid mask ${[...sub.mask].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    }
  }
  return null;
}

/** domainToReverseLabels (verify.go): no empty label (so no trailing dot), every byte printable ASCII 33-126. */
function goDomainOk(name: string): boolean {
  if (name === '') return true;
  return name.split('.').every((l) => l.length > 0 && [...l].every((c) => c >= '!' && c <= '~'));
}
/** time.Time.Format(time.RFC3339): whole seconds. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Go's CertificateInvalidError texts (verify.go). */
function invalid(cert: CertView, reason: string, detail = ''): { code: string; message: string } {
  const base: Record<string, string> = {
    NotAuthorizedToSign: 'x509: certificate is not authorized to sign other certificates',
    Expired: 'x509: certificate has expired or is not yet valid: ',
    CANotAuthorizedForThisName:
      'x509: a root or intermediate certificate is not authorized to sign for this name: ',
    TooManyIntermediates: 'x509: too many intermediates for path length constraint',
    IncompatibleUsage: 'x509: certificate specifies an incompatible key usage',
  };
  void cert;
  return { code: `x509.CertificateInvalidError(${reason})`, message: (base[reason] ?? reason) + detail };
}

function isValid(
  cert: CertView,
  kind: 'leaf' | 'intermediate' | 'root',
  chain: readonly CertView[],
  time: number,
  purpose: ProfileInput['purpose'],
): { code: string; message: string } | null {
  if (unhandledCritical(cert, 'go'))
    return { code: 'x509.UnhandledCriticalExtension', message: 'x509: unhandled critical extension' };
  if (time < cert.validity.notBeforeMs)
    return invalid(
      cert,
      'Expired',
      `current time ${rfc3339(time)} is before ${rfc3339(cert.validity.notBeforeMs)}`,
    );
  // time.Time compared exactly, a canonical fraction of notAfter included (ReadASN1GeneralizedTime keeps it).
  const notAfter = goNotAfterMs(cert);
  if (time > notAfter)
    return invalid(cert, 'Expired', `current time ${rfc3339(time)} is after ${rfc3339(notAfter)}`);
  if (purpose !== 'any' && cert.extKeyUsage !== null && cert.extKeyUsage.length > 0) {
    if (!cert.extKeyUsage.includes(ANY_EKU) && !cert.extKeyUsage.includes(EKU_OID[purpose]))
      return invalid(cert, 'IncompatibleUsage');
  }
  if (kind !== 'leaf' && cert.nameConstraints) {
    // Every SAN of the leaf and of the constraining certificate itself (verify.go isValid `toCheck`), with a
    // budget of 250,000 comparisons per isValid call; a wildcard DNS SAN meets an excluded subtree when any name
    // it matches does (CVE-2025-61727, Go 1.24.11 / 1.25.5).
    const budget = new ComparisonBudget(MAX_CONSTRAINT_COMPARISONS);
    for (const sanCert of [chain[0] as CertView, cert]) {
      if (!sanCert.extensions.some((e) => e.oid === '2.5.29.17')) continue;
      const sanNames = namesOf(sanCert, true, false).filter((n) => n.source === 'san' && n.kind !== 'dn');
      for (const n of sanNames) {
        if (n.kind === 'dns' && !goDomainOk(n.value))
          return {
            code: 'x509.CertificateInvalidError',
            message: `x509: cannot parse dnsName ${JSON.stringify(n.value)}`,
          };
        const v = checkNameConstraints([n], cert.nameConstraints, { wildcards: 'set', budget })[0];
        if (!v) continue;
        // verify.go: CertificateInvalidError{c, TooManyConstraints, ""}; Error() has no case for that reason.
        if (v.kind === 'budget')
          return { code: 'x509.CertificateInvalidError(TooManyConstraints)', message: 'x509: unknown error' };
        const type = {
          dns: 'DNS name',
          email: 'email address',
          uri: 'URI',
          ip: 'IP address',
          dn: 'directory name',
        }[v.name.kind];
        const what =
          v.kind === 'excluded'
            ? `${type} ${JSON.stringify(v.name.value)} is excluded by constraint ${JSON.stringify(v.subtrees[0])}`
            : `${type} ${JSON.stringify(v.name.value)} is not permitted by any constraint`;
        return invalid(cert, 'CANotAuthorizedForThisName', what);
      }
    }
  }
  if (kind === 'intermediate' && !cert.basicConstraints?.ca) return invalid(cert, 'NotAuthorizedToSign');
  const pathLen = cert.basicConstraints?.ca ? cert.basicConstraints.pathLen : undefined;
  if (kind !== 'leaf' && pathLen !== undefined && chain.length - 1 > pathLen)
    return invalid(cert, 'TooManyIntermediates');
  return null;
}

/**
 * CheckSignatureFrom's refusals before any arithmetic (x509.go checkSignature): MD5/SHA-1 signatures are an
 * InsecureAlgorithmError; a DSA issuer key has no verifier ("algorithm unimplemented"), nor has an id-RSASSA-PSS key
 * (Go parses no public key under that OID, golang/go#48314); crypto/rsa refuses keys
 * below 1024 bits (Go 1.24 `checkKeySize`, GODEBUG rsa1024min).
 */
function goSignatureRefusal(child: CertView, issuer: CertView): string | null {
  // CheckSignatureFrom (x509.go) refuses a parent that may not sign certificates before it looks at the signature:
  // RFC 5280 §4.2.1.9 (a v3 certificate without basicConstraints, or with cA false) and §4.2.1.3 (a keyUsage
  // without keyCertSign; an extension with no bit set is Go's KeyUsage 0, which passes). ConstraintViolationError.
  const bc = issuer.basicConstraints;
  const keyUsage = issuer.keyUsage ?? [];
  if (
    (issuer.version === 3 && !bc) ||
    (bc && !bc.ca) ||
    (keyUsage.length > 0 && !keyUsage.includes('keyCertSign'))
  )
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  const h = signatureHash(child);
  const n = child.signatureAlgorithm.name.toLowerCase();
  if (h === 'SHA-1' || h === 'MD5' || h === 'MD2') {
    const goName = n.includes('ecdsa')
      ? 'ECDSA-SHA1'
      : n.includes('dsa') && !n.includes('rsa')
        ? 'DSA-SHA1'
        : `${h === 'SHA-1' ? 'SHA1' : h}-RSA`;
    const override =
      goName === 'SHA1-RSA' || goName === 'ECDSA-SHA1'
        ? ' (temporarily override with GODEBUG x509sha1=1)'
        : '';
    return `x509: cannot verify signature: insecure algorithm ${goName}${override}`;
  }
  // signatureAlgorithmDetails has no SHA-224 algorithm: UnknownSignatureAlgorithm, which checkSignature refuses.
  if (h === 'SHA-224' || issuer.publicKey.algorithm === 'DSA' || issuer.publicKey.pssOnly)
    return 'x509: cannot verify signature: algorithm unimplemented';
  if (issuer.publicKey.algorithm === 'RSA' && issuer.publicKey.bits < 1024)
    return `crypto/rsa: ${issuer.publicKey.bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)`;
  return null;
}

/** The anchors Go's CertPool holds: CertPool.AppendCertsFromPEM reads "CERTIFICATE" blocks it can parse. */
function goRoots(anchors: readonly CertView[], trace: string[]): CertView[] {
  return anchors.filter((a) => {
    if (a.trustSettings) {
      trace.push(`${label(a)} is not in Roots: Go skips a "TRUSTED CERTIFICATE" block`);
      return false;
    }
    const perr = goParseError(a);
    if (perr) trace.push(`${label(a)} is not in Roots: Go does not parse it (${perr})`);
    return perr === null;
  });
}

/** Go would check a signature this engine cannot, and no chain was found without it: Go's verdict is unknown. */
function notCheckedVerdict(
  at: { reason: string; cert: CertView },
  leaf: CertView,
  trace: string[],
): ProfileVerdict {
  const error = notCheckedError('Go', at.cert, at.reason);
  trace.push(error.message);
  return { profile: 'go', valid: false, path: [leaf.id], error, trace };
}

function commonNameOrSubject(cert: CertView): string {
  return label(cert).replace(/^"|"$/g, '');
}

/** Go HostnameError.Error(). */
function hostnameError(leaf: CertView, host: string): string | null {
  const m = matchHostname(leaf, host, {
    commonName: 'never',
    partialWildcards: false,
    ipSyntax: GO_IP,
    ipv4Mapped: true,
  });
  if (m.matched) return null;
  if (parseIp(host, GO_IP)) {
    if ((leaf.san?.ip.length ?? 0) === 0)
      return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
    return `x509: certificate is valid for ${leaf.san?.ip.join(', ')}, not ${host}`;
  }
  const hasSanExtension = leaf.extensions.some((e) => e.oid === '2.5.29.17');
  if (!hasSanExtension && m.commonName !== null && matchDnsPattern(m.commonName, host))
    return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  const dns = leaf.san?.dns ?? [];
  if (dns.length === 0) return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${dns.join(', ')}, not ${host}`;
}

export async function go(input: ProfileInput): Promise<ProfileVerdict> {
  const trace: string[] = [];
  const leaf = input.served[0];
  if (!leaf) return { profile: 'go', valid: false, trace: ['no certificate to verify'] };
  const fail = (
    code: string,
    message: string,
    cert: CertView,
    path?: readonly CertView[],
  ): ProfileVerdict => {
    trace.push(message);
    return {
      profile: 'go',
      valid: false,
      ...(path ? { path: path.map((c) => c.id) } : {}),
      error: { code, message, certificate: certRef(cert) },
      trace,
    };
  };
  // crypto/tls parses every certificate the server sent before anything else (handshake_client.go).
  for (const c of input.served) {
    const perr = goParseError(c);
    if (perr)
      return fail('x509.ParseError', `tls: failed to parse certificate from server: ${perr}`, c, [leaf]);
  }
  const roots = goRoots(input.anchors, trace);
  const leafErr = isValid(leaf, 'leaf', [leaf], input.time, input.purpose);
  if (leafErr) return fail(leafErr.code, leafErr.message, leaf, [leaf]);
  if (input.hostname) {
    const h = hostnameError(leaf, input.hostname);
    if (h) return fail('x509.HostnameError', h, leaf, [leaf]);
  }
  // Go compares RawSubject/RawIssuer bytes: a graph of its own, sharing the memoised verifier.
  const graph = new IssuerGraph(input.served.slice(1), roots, (c, i) => input.graph.verifyEdge(c, i), {
    nameMatch: 'der',
  });
  if (graph.isTrusted(leaf)) {
    trace.push('the leaf itself is in Roots');
    return { profile: 'go', valid: true, path: [leaf.id], trace };
  }
  const sigChecks = { n: 0 };
  /** A signature Go would check that this engine cannot: without a chain, Go's verdict is unknown. */
  let notChecked: { reason: string; cert: CertView } | undefined;
  type GoErr = { code: string; message: string; cert: CertView };
  const build = async (chain: CertView[]): Promise<{ chains: CertView[][]; err: GoErr | null }> => {
    const cert = chain[chain.length - 1] as CertView;
    const chains: CertView[][] = [];
    let err: GoErr | null = null;
    let hint: { err: string; cert: CertView } | null = null;
    const candidates = [...graph.candidates(cert, 'trusted'), ...graph.candidates(cert, 'untrusted')];
    for (const cand of candidates) {
      if (alreadyInChain(cand.cert, chain)) continue;
      if (++sigChecks.n > MAX_SIGNATURE_CHECKS) {
        err = {
          code: 'x509.errSignatureLimit',
          message: 'x509: signature check attempts limit reached while verifying certificate chain',
          cert,
        };
        continue;
      }
      const insecure = goSignatureRefusal(cert, cand.cert);
      const sig = insecure
        ? { ok: false as const, reason: insecure }
        : await graph.verifyEdge(cert, cand.cert);
      if (!sig.ok) {
        if (!insecure && sig.unsupported) notChecked ??= { reason: sig.reason, cert };
        hint ??= { err: sig.reason, cert: cand.cert };
        trace.push(`rejected candidate ${label(cand.cert)}: ${sig.reason}`);
        continue;
      }
      const kind = cand.trusted ? 'root' : 'intermediate';
      const invalidErr = isValid(cand.cert, kind, chain, input.time, input.purpose);
      if (invalidErr) {
        err = { ...invalidErr, cert: cand.cert };
        trace.push(`rejected candidate ${label(cand.cert)}: ${invalidErr.message}`);
        continue;
      }
      if (kind === 'root') {
        chains.push([...chain, cand.cert]);
        trace.push(`chain: ${[...chain, cand.cert].map(label).join(' -> ')}`);
      } else {
        const child = await build([...chain, cand.cert]);
        chains.push(...child.chains);
        err = child.err;
      }
    }
    if (chains.length > 0) return { chains, err: null };
    if (err === null) {
      const h = hint as { err: string; cert: CertView } | null;
      const suffix = h
        ? ` (possibly because of ${JSON.stringify(h.err)} while trying to verify candidate authority certificate ${JSON.stringify(commonNameOrSubject(h.cert))})`
        : '';
      err = {
        code: 'x509.UnknownAuthorityError',
        message: `x509: certificate signed by unknown authority${suffix}`,
        cert,
      };
    }
    return { chains, err };
  };
  const result = await build([leaf]);
  if (result.chains.length === 0 && notChecked) return notCheckedVerdict(notChecked, leaf, trace);
  if (result.chains.length === 0) {
    const e = result.err as GoErr;
    return fail(e.code, e.message, e.cert, [leaf]);
  }
  trace.push(`${result.chains.length} chain(s) verified; the first is reported`);
  // Verify does not look at the leaf's own key; the handshake does (crypto/tls key_agreement.go verifies the
  // ServerKeyExchange signature with it, and crypto/rsa refuses keys below 1024 bits).
  if (leaf.publicKey.algorithm === 'RSA' && leaf.publicKey.bits < 1024)
    return fail(
      'tls.invalidSignature',
      `tls: invalid signature by the server certificate: crypto/rsa: ${leaf.publicKey.bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)`,
      leaf,
      result.chains[0] as CertView[],
    );
  return { profile: 'go', valid: true, path: (result.chains[0] as CertView[]).map((c) => c.id), trace };
}
