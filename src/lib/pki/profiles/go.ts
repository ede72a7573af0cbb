/**
 * Go crypto/x509 `Certificate.Verify` (verify.go, cert_pool.go), with VerifyOptions{DNSName, Roots,
 * Intermediates, CurrentTime, KeyUsages: [purpose]}:
 * 1. the leaf: unhandled critical extensions, validity period ("x509: certificate has expired or is not yet
 *    valid: current time … is after …"), then the host name (`HostnameError`, SANs only, never the CN);
 * 2. `buildChains`: depth-first over candidates (roots, then intermediates, each ranked by AKID/SKID; names
 *    compared byte for byte), skipping certificates already in the chain (same subject, key and SANs), at most
 *    100 signature checks; each candidate must verify the signature and pass `isValid` (validity period,
 *    CA-ness, pathLen counting ALL intermediates, leaf SANs within its name constraints) or it becomes the
 *    "hint" of the final UnknownAuthorityError; keyUsage keyCertSign is NOT checked;
 * 3. EKU: some chain must allow the purpose through every certificate that has an EKU extension
 *    (anyExtendedKeyUsage passes), else "x509: certificate specifies an incompatible key usage".
 * Go returns every chain; the verdict path here is the first one found.
 */
import type { CertView } from '../types.ts';
import { IssuerGraph } from '../paths/graph.ts';
import { alreadyInChain } from '../paths/build-paths.ts';
import { matchHostname } from '../paths/hostname.ts';
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
  if (kind === 'leaf') return null;
  if (cert.nameConstraints) {
    const leaf = chain[0] as CertView;
    const sanNames = namesOf(leaf, true, false).filter((n) => n.source === 'san' && n.kind !== 'dn');
    const v = checkNameConstraints(sanNames, cert.nameConstraints)[0];
    if (v) {
      const what =
        v.kind === 'excluded'
          ? `${v.name.kind} "${v.name.value}" is excluded by constraint "${v.subtrees[0]}"`
          : `${v.name.kind} "${v.name.value}" is not permitted by any constraint`;
      return invalid(cert, 'CANotAuthorizedForThisName', what);
    }
  }
  if (!cert.basicConstraints?.ca) return invalid(cert, 'NotAuthorizedToSign');
  const pathLen = cert.basicConstraints.pathLen;
  if (pathLen !== undefined && chain.length - 1 > pathLen) return invalid(cert, 'TooManyIntermediates');
  return null;
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
  const dns = leaf.san?.dns ?? [];
  if (dns.length === 0) {
    if (m.commonName !== null)
      return 'x509: certificate relies on legacy Common Name field, use SANs instead';
    return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  }
  return `x509: certificate is valid for ${dns.join(', ')}, not ${host}`;
}

function ekuChainOk(chain: readonly CertView[], purpose: ProfileInput['purpose']): boolean {
  if (purpose === 'any') return true;
  const want = EKU_OID[purpose];
  for (const c of chain) {
    if (c.extKeyUsage === null || c.extKeyUsage.includes(ANY_EKU)) continue;
    if (!c.extKeyUsage.includes(want)) return false;
  }
  return true;
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
  const leafErr = isValid(leaf, 'leaf', [leaf], input.time);
  if (leafErr) return fail(leafErr.code, leafErr.message, leaf, [leaf]);
  if (input.hostname) {
    const h = hostnameError(leaf, input.hostname);
    if (h) return fail('x509.HostnameError', h, leaf, [leaf]);
  }
  // Go compares RawSubject/RawIssuer bytes: a graph of its own, sharing nothing but the verifier.
  const graph = new IssuerGraph(
    input.served.slice(1),
    input.anchors,
    (c, i) => input.graph.verifyEdge(c, i),
    { nameMatch: 'der' },
  );
  const chains: CertView[][] = [];
  let hint: { err: string; cert: CertView } | null = null;
  let sigChecks = 0;
  let limit = false;
  if (graph.isTrusted(leaf)) {
    chains.push([leaf]);
    trace.push('the leaf itself is in Roots');
  } else {
    const build = async (chain: CertView[]): Promise<void> => {
      const cert = chain[chain.length - 1] as CertView;
      const roots = graph.candidates(cert, 'trusted');
      const inters = graph.candidates(cert, 'untrusted');
      for (const cand of [...roots, ...inters]) {
        if (limit) return;
        if (alreadyInChain(cand.cert, chain)) continue;
        if (sigChecks >= MAX_SIGNATURE_CHECKS) {
          limit = true;
          return;
        }
        sigChecks++;
        const sig = await graph.verifyEdge(cert, cand.cert);
        if (!sig.ok) {
          hint ??= { err: sig.reason, cert: cand.cert };
          trace.push(`rejected candidate ${label(cand.cert)}: ${sig.reason}`);
          continue;
        }
        const kind = cand.trusted ? 'root' : 'intermediate';
        const err = isValid(cand.cert, kind, chain, input.time);
        if (err) {
          hint ??= { err: err.message, cert: cand.cert };
          trace.push(`rejected candidate ${label(cand.cert)}: ${err.message}`);
          continue;
        }
        if (kind === 'root') {
          chains.push([...chain, cand.cert]);
          trace.push(`chain: ${[...chain, cand.cert].map(label).join(' -> ')}`);
        } else {
          await build([...chain, cand.cert]);
        }
      }
    };
    await build([leaf]);
  }
  if (chains.length === 0) {
    if (limit)
      return fail(
        'x509.errSignatureLimit',
        'x509: signature check attempts limit reached while verifying certificate chain',
        leaf,
      );
    const h = hint as { err: string; cert: CertView } | null;
    const suffix = h
      ? ` (possibly because of ${JSON.stringify(h.err)} while trying to verify candidate authority certificate ${JSON.stringify(commonNameOrSubject(h.cert))})`
      : '';
    return fail(
      'x509.UnknownAuthorityError',
      `x509: certificate signed by unknown authority${suffix}`,
      leaf,
      [leaf],
    );
  }
  const good = chains.filter((c) => ekuChainOk(c, input.purpose));
  if (good.length === 0) {
    const e = invalid(leaf, 'IncompatibleUsage');
    return fail(e.code, e.message, leaf, chains[0]);
  }
  trace.push(`${good.length} chain(s) verified; the first is reported`);
  return { profile: 'go', valid: true, path: (good[0] as CertView[]).map((c) => c.id), trace };
}
