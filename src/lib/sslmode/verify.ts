/**
 * The seam between the sslmode engine and the certificate engine (src/lib/pki) for the server chain (clientcert.ts
 * does the same for client certificates, purpose clientAuth). Chain verification is
 * real: `analyzeChain` with the 'openssl-3' profile (libpq and Node both verify with OpenSSL 3), purpose
 * serverAuth (OpenSSL's client default purpose "sslserver"). Host-name rules are the clients' own and live in
 * hostname.ts.
 */

import { analyzeChain, parseCertificates, type ChainAnalysis } from '../pki/index.ts';
import { leafNamesOf, type LeafNames } from './hostname.ts';

export interface ChainCheck {
  readonly trusted: boolean;
  /** OpenSSL's identifier and exact X509_verify_cert_error_string() text when not trusted. */
  readonly error?: { readonly code: string; readonly message: string; readonly depth?: number };
  /** Subjects of the chain OpenSSL settled on, leaf first (may be partial on failure). */
  readonly path: readonly string[];
  readonly trace: readonly string[];
}

export interface PemContents {
  readonly certificates: number;
  readonly problems: readonly string[];
}

/** How many certificates a PEM file holds (libpq fails to load a root file with none). */
/**
 * Parsing and chain checks are pure functions of their inputs, and a matrix of 30 scenarios (or a user typing in
 * the connection string box) asks the same question again and again: keep the last answers.
 */
const MEMO_SIZE = 64;
export function memo<A, R>(fn: (a: A) => Promise<R>, key: (a: A) => string): (a: A) => Promise<R> {
  const cache = new Map<string, Promise<R>>();
  return (a: A) => {
    const k = key(a);
    const hit = cache.get(k);
    if (hit) return hit;
    const result = fn(a);
    cache.set(k, result);
    result.catch(() => cache.delete(k));
    if (cache.size > MEMO_SIZE) cache.delete(cache.keys().next().value as string);
    return result;
  };
}

const parsePem = memo(parseCertificates, (pem: string) => pem);

export async function readPem(pem: string): Promise<PemContents> {
  const report = await parsePem(pem);
  return {
    certificates: report.certificates.length,
    problems: report.problems.map((p) => `${p.where}: ${p.message}`),
  };
}

/** The leaf of a served chain (the first certificate), or null when none parses. */
export async function readLeaf(chainPem: string): Promise<LeafNames | null> {
  const report = await parsePem(chainPem);
  const leaf = report.certificates[0];
  return leaf ? leafNamesOf(leaf) : null;
}

/**
 * Where the JDK's PKIX trust manager (sun.security.validator.PKIXValidator, which pgJDBC's LibPQFactory uses) trusts a
 * chain that RFC 5280 validation (the rfc5280 profile) refused: a served leaf that is itself in the root file is
 * trusted with no further check (engineValidate returns it at once), and the trust anchor's own validity period is
 * never checked (a PKIX TrustAnchor is a name and a key). Proven against pgJDBC 42.5.5 on OpenJDK 17 by
 * tests/oracle/sslmode-pgjdbc.test.ts (an expired root file, an expired self-signed certificate trusted as itself).
 */
function jdkTrusted(analysis: ChainAnalysis): { path: readonly string[]; why: string } | undefined {
  const leaf = analysis.certificates[0];
  if (leaf && analysis.anchors.some((a) => a.id === leaf.id))
    return { path: [leaf.id], why: 'JDK: the served certificate is in the root file, trusted as it is' };
  const anchorValidityOnly = analysis.paths.find(
    (p) =>
      p.status !== 'unsupported' &&
      p.reasons.every(
        (r) =>
          r.severity === 'warning' ||
          ((r.code === 'expired' || r.code === 'not-yet-valid') && r.depth === p.certificates.length - 1),
      ),
  );
  return anchorValidityOnly
    ? {
        path: anchorValidityOnly.certificates,
        why: "JDK: the trust anchor's own validity period is not checked",
      }
    : undefined;
}

/** OpenSSL 3 chain verification of what the server sent against the client's trust store. */
export async function verifyServerChain(input: {
  readonly chainPem: string;
  readonly rootsPem: string;
  readonly time: Date;
  /**
   * Node's OpenSSL verify callback always returns 1 ("failure is handled in TLSWrap::VerifyError"), so
   * X509_verify_cert goes on past a chain-building error and the error Node reports is the LAST one set:
   * internal_verify() checks each certificate's validity period from the top down to the leaf.
   * S: nodejs/node src/crypto/crypto_context.cc VerifyCallback(); openssl crypto/x509/x509_vfy.c internal_verify().
   * libpq's verify_cb returns OpenSSL's verdict, so the first error stands there (false, the default).
   */
  readonly continueOnError?: boolean;
  /**
   * 'openssl-3' for libpq and Node (default); 'go' for pgx (crypto/x509); 'rfc5280' for .NET; 'jdk' for pgJDBC:
   * the JDK's PKIX trust manager (`jdkTrusted`).
   */
  readonly profile?: 'openssl-3' | 'go' | 'rfc5280' | 'jdk';
  /** The openssl-3 profile's security level: 2 by default (libpq, Python), `NODE_OPENSSL_AUTH_LEVEL` for Node. */
  readonly opensslAuthLevel?: number;
  /** The host name to check with the chain, where the client's verifier does both at once (Go). */
  readonly hostname?: string;
}): Promise<ChainCheck> {
  const analysis = await analyzeChain({
    certificates: input.chainPem,
    trustAnchors: input.rootsPem,
    time: input.time,
    purpose: 'serverAuth',
    profile: input.profile === 'jdk' ? 'rfc5280' : (input.profile ?? 'openssl-3'),
    ...(input.opensslAuthLevel !== undefined ? { opensslAuthLevel: input.opensslAuthLevel } : {}),
    ...(input.hostname !== undefined ? { hostname: input.hostname } : {}),
  });
  const subjectOf = new Map(
    [...analysis.certificates, ...analysis.anchors].map((c) => [c.id, c.subject.rfc4514] as const),
  );
  const jdk = input.profile === 'jdk' && !analysis.verdict.valid ? jdkTrusted(analysis) : undefined;
  if (jdk)
    return {
      trusted: true,
      path: jdk.path.map((id) => subjectOf.get(id) ?? id),
      trace: [...analysis.verdict.trace, jdk.why],
    };
  const path = (analysis.verdict.path ?? []).map((id) => subjectOf.get(id) ?? id);
  let e = analysis.verdict.error;
  if (input.continueOnError && e && !analysis.verdict.valid) {
    const byId = new Map([...analysis.certificates, ...analysis.anchors].map((c) => [c.id, c] as const));
    const chain = (analysis.verdict.path ?? []).map((id) => byId.get(id)).filter((c) => c !== undefined);
    const ms = input.time.getTime();
    // internal_verify(): an untrusted top that is not self-issued is skipped; when it is also the leaf (a
    // one-certificate chain) OpenSSL sets UNABLE_TO_VERIFY_LEAF_SIGNATURE and still checks the leaf's dates.
    const top = chain[chain.length - 1];
    let start = chain.length - 1;
    if (top && !top.selfIssued) {
      if (chain.length === 1) {
        e = {
          code: 'X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE',
          message: 'unable to verify the first certificate',
          depth: 0,
        };
      } else start = chain.length - 2;
    }
    for (let depth = start; depth >= 0; depth--) {
      const c = chain[depth]!;
      if (ms > c.validity.notAfterMs)
        e = { code: 'X509_V_ERR_CERT_HAS_EXPIRED', message: 'certificate has expired', depth };
      else if (ms < c.validity.notBeforeMs) {
        e = { code: 'X509_V_ERR_CERT_NOT_YET_VALID', message: 'certificate is not yet valid', depth };
      }
    }
  }
  return {
    trusted: analysis.verdict.valid,
    ...(analysis.verdict.valid || !e
      ? {}
      : {
          error: { code: e.code, message: e.message, ...(e.depth !== undefined ? { depth: e.depth } : {}) },
        }),
    path,
    trace: analysis.verdict.trace,
  };
}
