/**
 * The seam between the sslmode engine and the certificate engine (src/lib/pki) for the server chain (clientcert.ts
 * does the same for client certificates, purpose clientAuth). Chain verification is
 * real: `analyzeChain` with the 'openssl-3' profile (libpq and Node both verify with OpenSSL 3), purpose
 * serverAuth (OpenSSL's client default purpose "sslserver"). Host-name rules are the clients' own and live in
 * hostname.ts.
 */

import {
  analyzeChain,
  parseCertificates,
  serialKey,
  verifyCrlSignature,
  wholeSecond,
  type CertView,
  type ChainAnalysis,
  type CrlView,
} from '../pki/index.ts';
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
  /**
   * openssl-3 only: the CRLs the client's X509_STORE holds with X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL
   * set (libpq's sslcrl / sslcrldir / root.crl); `opensslCrlCheck` runs on the chain OpenSSL settled on.
   */
  readonly crls?: readonly CrlView[];
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
  let trusted = analysis.verdict.valid;
  // verify_chain(): check_revocation() runs before internal_verify(), whose errors (signatures, validity
  // periods) it therefore takes the place of; errors of chain building and check_extensions() come first.
  if (input.crls && (trusted || (e && INTERNAL_VERIFY_ERRORS.has(e.code)))) {
    const byId = new Map([...analysis.certificates, ...analysis.anchors].map((c) => [c.id, c] as const));
    const chain = (analysis.verdict.path ?? []).map((id) => byId.get(id)).filter((c) => c !== undefined);
    const crlError = await opensslCrlCheck(chain, input.crls, input.time.getTime());
    if (crlError) {
      trusted = false;
      e = crlError;
    }
  }
  return {
    trusted,
    ...(trusted || !e
      ? {}
      : {
          error: { code: e.code, message: e.message, ...(e.depth !== undefined ? { depth: e.depth } : {}) },
        }),
    path,
    trace: analysis.verdict.trace,
  };
}

/**
 * The openssl-3 profile's errors that verify_chain() finds after check_revocation(): internal_verify()'s (the
 * issuer's keyUsage and key, the signature, the validity period and its format) and check_name_constraints()'s.
 */
const INTERNAL_VERIFY_ERRORS = new Set([
  'X509_V_ERR_KEYUSAGE_NO_CERTSIGN',
  'X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'X509_V_ERR_CERT_SIGNATURE_FAILURE',
  'X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD',
  'X509_V_ERR_CERT_HAS_EXPIRED',
  'X509_V_ERR_CERT_NOT_YET_VALID',
  'X509_V_ERR_PERMITTED_VIOLATION',
  'X509_V_ERR_EXCLUDED_VIOLATION',
  'X509_V_ERR_UNSUPPORTED_NAME_SYNTAX',
  'X509_V_ERR_UNSPECIFIED',
]);

/** CRL extensions OpenSSL handles (crl_cb()): any other critical one is X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION. */
const OPENSSL_CRL_EXTENSIONS = new Set(['2.5.29.28', '2.5.29.35', '2.5.29.27']);

type VerifyError = NonNullable<ChainCheck['error']>;

/**
 * OpenSSL 3's check_revocation() with X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL: every certificate of
 * the chain (leaf first, the self-signed root included, which its own CRL covers) needs a CRL from its issuer
 * (get_crl(): the issuer names must be equal; a current CRL is preferred). check_crl(): the issuer's keyUsage
 * must allow cRLSign, the CRL must be current, its signature must verify with the issuer's key; cert_crl(): no
 * unhandled critical CRL extension, and the serial must not be listed. The first failure, as
 * X509_verify_cert_error_string() names it. NOT modelled: delta CRLs, issuing distribution points (scope),
 * indirect CRLs and CRL issuers outside the chain, the removeFromCRL reason.
 * S: openssl crypto/x509/x509_vfy.c check_revocation(), check_cert(), get_crl_sk(), check_crl(), cert_crl().
 */
async function opensslCrlCheck(
  chain: readonly CertView[],
  crls: readonly CrlView[],
  time: number,
): Promise<VerifyError | undefined> {
  // check_crl_time() compares whole seconds (X509_cmp_time): not yet valid before thisUpdate, expired AT nextUpdate.
  const now = wholeSecond(time);
  const current = (c: CrlView): boolean =>
    Date.parse(c.thisUpdate) <= now && (c.nextUpdate === undefined || Date.parse(c.nextUpdate) > now);
  for (const [depth, cert] of chain.entries()) {
    const issuer = chain[depth + 1] ?? cert;
    const named = crls.filter((c) => c.issuer.key === cert.issuer.key);
    const crl = named.find(current) ?? named[0];
    if (!crl)
      return { code: 'X509_V_ERR_UNABLE_TO_GET_CRL', message: 'unable to get certificate CRL', depth };
    if (issuer.keyUsage !== null && !issuer.keyUsage.includes('cRLSign'))
      return {
        code: 'X509_V_ERR_KEYUSAGE_NO_CRL_SIGN',
        message: 'key usage does not include CRL signing',
        depth,
      };
    if (Date.parse(crl.thisUpdate) > now)
      return { code: 'X509_V_ERR_CRL_NOT_YET_VALID', message: 'CRL is not yet valid', depth };
    if (crl.nextUpdate !== undefined && Date.parse(crl.nextUpdate) <= now)
      return { code: 'X509_V_ERR_CRL_HAS_EXPIRED', message: 'CRL has expired', depth };
    if (!(await verifyCrlSignature(crl, issuer)).ok)
      return { code: 'X509_V_ERR_CRL_SIGNATURE_FAILURE', message: 'CRL signature failure', depth };
    if ((crl.extensions ?? []).some((x) => x.critical && !OPENSSL_CRL_EXTENSIONS.has(x.oid)))
      return {
        code: 'X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION',
        message: 'unhandled critical CRL extension',
        depth,
      };
    const serial = serialKey(cert.serialHex);
    if (crl.revokedSerials.some((r) => serialKey(r) === serial))
      return { code: 'X509_V_ERR_CERT_REVOKED', message: 'certificate revoked', depth };
  }
  return undefined;
}

/** PEM blocks OpenSSL's PEM_X509_INFO_read_bio() takes: certificates and "X509 CRL" (not "CRL"); others are skipped. */
const OPENSSL_INFO_BLOCK =
  /-----BEGIN (CERTIFICATE|X509 CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL)-----[\s\S]*?-----END \1-----/g;

/**
 * What X509_STORE_load_file() takes from a file (X509_load_cert_crl_file(), PEM): its certificates, which join
 * the trust store, and its CRLs. `count` 0: the load fails.
 */
export async function readCertCrlFile(
  text: string,
): Promise<{ readonly certificatesPem: string; readonly crls: readonly CrlView[]; readonly count: number }> {
  const blocks = text.match(OPENSSL_INFO_BLOCK) ?? [];
  const certificatesPem = blocks.filter((b) => !b.startsWith('-----BEGIN X509 CRL')).join('\n');
  const report = await parsePem(blocks.join('\n'));
  return { certificatesPem, crls: report.crls, count: report.certificates.length + report.crls.length };
}
