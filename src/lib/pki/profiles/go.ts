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
 *    directly (the last one wins). keyUsage is ignored entirely.
 * Go returns every chain; the verdict path here is the first one found.
 */
import type { CertView } from '../types.ts';
import { IssuerGraph } from '../paths/graph.ts';
import { alreadyInChain } from '../paths/build-paths.ts';
import { matchDnsPattern, matchHostname } from '../paths/hostname.ts';
import { checkNameConstraints, namesOf } from '../paths/name-constraints.ts';
import { certRef, label } from '../paths/reasons.ts';
import { ANY_EKU, EKU_OID } from '../paths/validate.ts';
import { parseIp } from '../paths/names.ts';
import type { ProfileInput, ProfileVerdict } from './types.ts';

const MAX_SIGNATURE_CHECKS = 100;

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
  if (cert.extensions.some((e) => e.critical && !e.known))
    return { code: 'x509.UnhandledCriticalExtension', message: 'x509: unhandled critical extension' };
  if (time < cert.validity.notBeforeMs)
    return invalid(
      cert,
      'Expired',
      `current time ${rfc3339(time)} is before ${rfc3339(cert.validity.notBeforeMs)}`,
    );
  if (time > cert.validity.notAfterMs)
    return invalid(
      cert,
      'Expired',
      `current time ${rfc3339(time)} is after ${rfc3339(cert.validity.notAfterMs)}`,
    );
  if (purpose !== 'any' && cert.extKeyUsage !== null && cert.extKeyUsage.length > 0) {
    if (!cert.extKeyUsage.includes(ANY_EKU) && !cert.extKeyUsage.includes(EKU_OID[purpose]))
      return invalid(cert, 'IncompatibleUsage');
  }
  if (kind !== 'leaf' && cert.nameConstraints) {
    const leaf = chain[0] as CertView;
    const sanNames = namesOf(leaf, true, false).filter((n) => n.source === 'san' && n.kind !== 'dn');
    const v = checkNameConstraints(sanNames, cert.nameConstraints)[0];
    if (v) {
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
  if (kind === 'intermediate' && !cert.basicConstraints?.ca) return invalid(cert, 'NotAuthorizedToSign');
  const pathLen = cert.basicConstraints?.ca ? cert.basicConstraints.pathLen : undefined;
  if (kind !== 'leaf' && pathLen !== undefined && chain.length - 1 > pathLen)
    return invalid(cert, 'TooManyIntermediates');
  return null;
}

/** Go refuses SHA-1 signatures in CheckSignatureFrom (InsecureAlgorithmError). */
function insecureAlgorithm(child: CertView): string | null {
  const h = (child.signatureAlgorithm.hash ?? '').toUpperCase();
  if (h !== 'SHA-1' && h !== 'MD5' && h !== 'MD2') return null;
  const goName = child.signatureAlgorithm.name.toLowerCase().includes('ecdsa')
    ? 'ECDSA-SHA1'
    : h === 'SHA-1'
      ? 'SHA1-RSA'
      : `${h}-RSA`;
  return `x509: cannot verify signature: insecure algorithm ${goName}${h === 'SHA-1' ? ' (temporarily override with GODEBUG x509sha1=1)' : ''}`;
}

function commonNameOrSubject(cert: CertView): string {
  return label(cert).replace(/^"|"$/g, '');
}

/** Go HostnameError.Error(). */
function hostnameError(leaf: CertView, host: string): string | null {
  const m = matchHostname(leaf, host, { commonName: 'never', partialWildcards: false });
  if (m.matched) return null;
  if (parseIp(host)) {
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
  const leafErr = isValid(leaf, 'leaf', [leaf], input.time, input.purpose);
  if (leafErr) return fail(leafErr.code, leafErr.message, leaf, [leaf]);
  if (input.hostname) {
    const h = hostnameError(leaf, input.hostname);
    if (h) return fail('x509.HostnameError', h, leaf, [leaf]);
  }
  // Go compares RawSubject/RawIssuer bytes: a graph of its own, sharing the memoised verifier.
  const graph = new IssuerGraph(
    input.served.slice(1),
    input.anchors,
    (c, i) => input.graph.verifyEdge(c, i),
    {
      nameMatch: 'der',
    },
  );
  if (graph.isTrusted(leaf)) {
    trace.push('the leaf itself is in Roots');
    return { profile: 'go', valid: true, path: [leaf.id], trace };
  }
  const sigChecks = { n: 0 };
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
      const insecure = insecureAlgorithm(cert);
      const sig = insecure
        ? { ok: false as const, reason: insecure }
        : await graph.verifyEdge(cert, cand.cert);
      if (!sig.ok) {
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
  if (result.chains.length === 0) {
    const e = result.err as GoErr;
    return fail(e.code, e.message, e.cert, [leaf]);
  }
  trace.push(`${result.chains.length} chain(s) verified; the first is reported`);
  return { profile: 'go', valid: true, path: (result.chains[0] as CertView[]).map((c) => c.id), trace };
}
