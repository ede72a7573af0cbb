/**
 * OpenSSL's X509_verify_cert, as `openssl verify -CAfile anchors -untrusted served -purpose sslserver` and a
 * TLS client with the default verify callback run it. Facts from OpenSSL crypto/x509/x509_vfy.c (3.0:
 * build_chain, check_extensions, check_id, internal_verify, check_name_constraints; 1.0.2: X509_verify_cert)
 * and x509_txt.c; see docs/client-profiles.md.
 *
 * One chain is built, then checked; the first error is the verdict (the default callback stops there).
 * - 3.0 (`trustedFirst`): at every step the trust store is searched first; only when it has no issuer is the
 *   first acceptable certificate from the peer's list taken (`get0_best_issuer_sk`: the first whose validity
 *   period covers the time, else the one expiring last). No backtracking across untrusted alternatives.
 * - 1.0.2: the peer's list is followed first as far as it goes, then the store; an "alternative chain" is tried
 *   only when the built chain does not end in a trusted certificate — an expired root is NOT a reason to look
 *   again (the Let's Encrypt / DST Root CA X3 failure of 2021-09-30).
 * - "issued by" is name match + key-identifier consistency (`ossl_x509_likely_issued`); signatures are checked
 *   only after the chain is built (internal_verify, top down, with validity periods, the root's included).
 * - A store certificate is a trust anchor when it is self-signed, unless a "TRUSTED CERTIFICATE" block gives it
 *   trust settings (X509_check_trust: trusted for the purpose, which may make an intermediate the anchor, or
 *   rejected, error 28).
 */
import type { CertView } from '../types.ts';
import { SIGNATURE_ALGORITHMS } from '../adapter/oids.ts';
import { matchHostname } from '../paths/hostname.ts';
import { unhandledCritical } from './critical.ts';
import { opensslInvalid, opensslTimeFormatError } from '../paths/defects.ts';
import { checkNameConstraints, namesOf } from '../paths/name-constraints.ts';
import { certRef, label } from '../paths/reasons.ts';
import { notCheckedError } from './error-text.ts';
import { ANY_EKU, EKU_OID, wholeSecond } from '../paths/validate.ts';
import { opensslKeySecurityBits, opensslMinBits, opensslSignatureSecurityBits } from '../paths/algorithms.ts';
import type { ProfileError, ProfileInput, ProfileVerdict } from './types.ts';

export type OpenSslVersion = '3' | '1.0.2';

/**
 * The security level (`auth_level`) of the openssl-3 profile: 2, what Debian's openssl.cnf (`SECLEVEL=2`) gives
 * every TLS context, libpq's included (`openssl verify -auth_level 2`). 1.0.2 has no security levels.
 */
export const OPENSSL3_AUTH_LEVEL = 2;

/**
 * Node's: it reads the `nodejs_conf` section of openssl.cnf, not Debian's system default, so its TLS contexts keep
 * OpenSSL 3.0's built-in level 1 (an RSA-1024 leaf verifies; a SHA-1 CA signature, 63 bits, does not: "ca md too
 * weak"). Checked with Node 20 on Debian's OpenSSL 3.0.
 */
export const NODE_OPENSSL_AUTH_LEVEL = 1;

/** X509_V_ERR_* numbers and their texts (3.0 x509_txt.c; 1.0.2 differs where noted). */
const ERRORS = {
  1: ['X509_V_ERR_UNSPECIFIED', 'unspecified certificate verification error'],
  2: ['X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT', 'unable to get issuer certificate'],
  6: ['X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'unable to decode issuer public key'],
  7: ['X509_V_ERR_CERT_SIGNATURE_FAILURE', 'certificate signature failure'],
  9: ['X509_V_ERR_CERT_NOT_YET_VALID', 'certificate is not yet valid'],
  10: ['X509_V_ERR_CERT_HAS_EXPIRED', 'certificate has expired'],
  13: ['X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD', "format error in certificate's notBefore field"],
  14: ['X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD', "format error in certificate's notAfter field"],
  18: ['X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
  19: ['X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'],
  20: ['X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate'],
  21: ['X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
  22: ['X509_V_ERR_CERT_CHAIN_TOO_LONG', 'certificate chain too long'],
  79: ['X509_V_ERR_INVALID_CA', 'invalid CA certificate'],
  25: ['X509_V_ERR_PATH_LENGTH_EXCEEDED', 'path length constraint exceeded'],
  26: ['X509_V_ERR_INVALID_PURPOSE', 'unsuitable certificate purpose'],
  28: ['X509_V_ERR_CERT_REJECTED', 'certificate rejected'],
  32: ['X509_V_ERR_KEYUSAGE_NO_CERTSIGN', 'key usage does not include certificate signing'],
  34: ['X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION', 'unhandled critical extension'],
  47: ['X509_V_ERR_PERMITTED_VIOLATION', 'permitted subtree violation'],
  48: ['X509_V_ERR_EXCLUDED_VIOLATION', 'excluded subtree violation'],
  62: ['X509_V_ERR_HOSTNAME_MISMATCH', 'hostname mismatch'],
  53: ['X509_V_ERR_UNSUPPORTED_NAME_SYNTAX', 'unsupported or invalid name syntax'],
  64: ['X509_V_ERR_IP_ADDRESS_MISMATCH', 'IP address mismatch'],
  66: ['X509_V_ERR_EE_KEY_TOO_SMALL', 'EE certificate key too weak'],
  67: ['X509_V_ERR_CA_KEY_TOO_SMALL', 'CA certificate key too weak'],
  68: ['X509_V_ERR_CA_MD_TOO_WEAK', 'CA signature digest algorithm too weak'],
} as const satisfies Record<number, readonly [string, string]>;

/** OpenSSL 1.0.2's numbers where 3.0 renumbered (3.0 x509_vfy.h: INVALID_CA is 79, 24 became NO_ISSUER_PUBLIC_KEY). */
const NUMBER_102: Partial<Record<keyof typeof ERRORS, number>> = { 79: 24 };

/** OpenSSL 1.0.2's x509_txt.c wording where it differs from 3.0. */
const TEXT_102: Partial<Record<keyof typeof ERRORS, string>> = {
  18: 'self signed certificate',
  19: 'self signed certificate in certificate chain',
  26: 'unsupported certificate purpose',
  62: 'Hostname mismatch',
};

type ErrNo = keyof typeof ERRORS;

class Failure {
  constructor(
    readonly errno: ErrNo,
    readonly depth: number,
    readonly cert: CertView,
    /** The signature check OpenSSL makes here is one this engine cannot make: why (the verdict is unknown). */
    readonly notChecked?: string,
  ) {}
}

const SERVER_KU = ['digitalSignature', 'keyEncipherment', 'keyAgreement'];
const CLIENT_KU = ['digitalSignature', 'keyAgreement'];

/**
 * ossl_x509_likely_issued without the signature (3.0 v3_purp.c; 1.0.2's X509_check_issued has the first two):
 * names equal; X509_check_akid, the child's authority key identifier consistent with the issuer (its keyIdentifier
 * with the issuer's SKID, its authorityCertSerialNumber with the issuer's serial, its first directoryName with the
 * issuer's issuer); and, in 3.0, check_sig_alg_match: the child's signature algorithm is one for the issuer's key
 * type (an RSA key also signs RSASSA-PSS).
 */
function checkIssued(child: CertView, issuer: CertView, version: OpenSslVersion = '3'): boolean {
  if (child.issuer.key !== issuer.subject.key) return false;
  if (
    child.authorityKeyId &&
    issuer.subjectKeyId &&
    child.authorityKeyId.toLowerCase() !== issuer.subjectKeyId.toLowerCase()
  )
    return false;
  const akidIssuer = child.authorityCertIssuer;
  if (akidIssuer?.serialHex && akidIssuer.serialHex !== issuer.serialHex.toLowerCase()) return false;
  if (akidIssuer?.dirName && akidIssuer.dirName.key !== issuer.issuer.key) return false;
  return version === '1.0.2' || signatureFitsKey(child, issuer);
}

/** check_sig_alg_match (3.0): the key type the child's signature algorithm needs is the issuer's. */
function signatureFitsKey(child: CertView, issuer: CertView): boolean {
  const needs = SIGNATURE_ALGORITHMS[child.signatureAlgorithm.oid]?.keyType;
  // An algorithm OpenSSL does not know fails later, at its signature (as the profile already reports it).
  if (needs === undefined) return true;
  const has = issuer.publicKey.pssOnly ? 'RSA-PSS' : issuer.publicKey.algorithm;
  return needs === has || (needs === 'RSA-PSS' && has === 'RSA');
}

/** EXFLAG_SS (ossl_x509v3_cache_extensions): self-issued, its AKID (if any) matches itself and (3.0) its signature algorithm fits its own key. */
function selfSignedFlag(cert: CertView): boolean {
  return checkIssued(cert, cert);
}

/** x509_check_cert_time as check_cert_time below: valid from the notBefore second until before the notAfter one. */
function timeOk(cert: CertView, time: number): boolean {
  const t = wholeSecond(time);
  return t >= cert.validity.notBeforeMs && t < cert.validity.notAfterMs;
}

/** get0_best_issuer_sk / X509_STORE_CTX_get1_issuer: first valid-now match, else the match expiring last. */
function bestIssuer(
  list: readonly CertView[],
  x: CertView,
  time: number,
  exclude: readonly CertView[] = [],
  version: OpenSslVersion = '3',
): CertView | null {
  let best: CertView | null = null;
  for (const c of list) {
    if (exclude.some((e) => e.id === c.id)) continue;
    if (!checkIssued(x, c, version)) continue;
    if (timeOk(c, time)) return c;
    if (best === null || c.validity.notAfterMs > best.validity.notAfterMs) best = c;
  }
  return best;
}

/** nsCertType bits (v3_purp.c NS_*). */
const NS_SSL_CLIENT = 0x80;
const NS_SSL_SERVER = 0x40;
const NS_SSL_CA = 0x04;
const NS_ANY_CA = 0x07;

/**
 * X509_check_ca: 1 = basicConstraints cA; 3 = v1 self-signed; 4 = keyUsage keyCertSign without basicConstraints;
 * 5 = neither, but an nsCertType naming a CA type; 0 = not a CA.
 */
function checkCa(cert: CertView): number {
  // check_ca: a keyUsage extension must allow certificate signing.
  if (cert.keyUsage !== null && !cert.keyUsage.includes('keyCertSign')) return 0;
  if (cert.basicConstraints) return cert.basicConstraints.ca ? 1 : 0;
  if (cert.version === 1 && selfSignedFlag(cert)) return 3;
  if (cert.keyUsage?.includes('keyCertSign')) return 4;
  if (cert.nsCertType !== null && (cert.nsCertType & NS_ANY_CA) !== 0) return 5;
  return 0;
}

export async function openssl(input: ProfileInput, version: OpenSslVersion): Promise<ProfileVerdict> {
  const profile = version === '3' ? 'openssl-3' : 'openssl-1.0.2';
  const trace: string[] = [];
  const { time, graph } = input;
  const leaf = input.served[0];
  if (!leaf) return { profile, valid: false, trace: ['no certificate to verify'] };
  // A certificate flagged EXFLAG_INVALID (a negative pathLen, an extension it cannot decode) is neither an issuer
  // nor a subject for x509_likely_issued: the chain cannot pass through it (paths/defects.ts).
  const usable = (c: CertView): boolean => {
    const d = opensslInvalid(c);
    if (d) trace.push(`${label(c)} is flagged invalid (${d.message}): never used as an issuer`);
    return d === null;
  };
  const store = input.anchors.filter(usable);
  const untrusted = dedupe(input.served.slice(1)).filter((c) => c.id !== leaf.id && usable(c));
  const authLevel = version === '3' ? (input.opensslAuthLevel ?? OPENSSL3_AUTH_LEVEL) : 0;

  const built =
    version === '3'
      ? buildChain3(leaf, untrusted, store, time, input.purpose, trace)
      : buildChain102(leaf, untrusted, store, time, trace);
  const chain = built.chain;
  const ids = chain.map((c) => c.id);
  const fail = (f: Failure): ProfileVerdict => {
    if (f.notChecked !== undefined) {
      const error = notCheckedError(`OpenSSL ${version}`, f.cert, f.notChecked, f.depth);
      trace.push(error.message);
      return { profile, valid: false, path: ids, error, trace };
    }
    const [code, text3] = ERRORS[f.errno];
    const message = version === '1.0.2' ? (TEXT_102[f.errno] ?? text3) : text3;
    const number = version === '1.0.2' ? (NUMBER_102[f.errno] ?? f.errno) : f.errno;
    const error: ProfileError = {
      code,
      message,
      number,
      depth: f.depth,
      certificate: certRef(f.cert),
    };
    trace.push(`error ${number} at ${f.depth} depth lookup: ${message} (${label(f.cert)})`);
    return { profile, valid: false, path: ids, error, trace };
  };
  // X509_verify_cert (3.0): "If the peer's public key is too weak, we can stop early" — before the chain is built.
  if (!keyLevelOk(leaf, authLevel)) {
    trace.push(
      `the leaf's key gives fewer than ${opensslMinBits(authLevel)} bits of security (auth_level ${authLevel})`,
    );
    return fail(new Failure(66, 0, leaf));
  }
  const leafInvalid = opensslInvalid(leaf);
  if (leafInvalid) {
    trace.push(`the leaf is flagged invalid (${leafInvalid.message}): no issuer can be found for it`);
    return fail(new Failure(20, 0, leaf));
  }
  if (built.failure) return fail(built.failure);

  const checks: (() => Promise<Failure | null> | Failure | null)[] = [
    () => checkExtensions(chain, built.numUntrusted, input, version),
    ...(version === '3'
      ? [
          () => checkAuthLevel(chain, authLevel),
          () => (input.hostCheck ? null : checkId(chain, input)),
          () => internalVerify(chain, input, graph, version),
          () => checkNames(chain),
        ]
      : [
          () => checkNames(chain),
          () => checkId(chain, input),
          () => checkTrust102(chain, built.numUntrusted, input.purpose),
          () => internalVerify(chain, input, graph, version),
        ]),
  ];
  for (const check of checks) {
    const f = await check();
    if (f) return fail(f);
  }
  trace.push(`verified: ${chain.map(label).join(' -> ')}`);
  const hostError =
    version === '3' && input.hostCheck && input.hostname ? input.hostCheck(input.hostname, leaf) : null;
  if (hostError !== null) {
    trace.push(`the client's own host-name check, after the chain: ${hostError}`);
    const error: ProfileError = {
      code: 'HOST_NAME_MISMATCH',
      message: hostError,
      depth: 0,
      certificate: certRef(leaf),
    };
    return { profile, valid: false, path: ids, error, trace };
  }
  return { profile, valid: true, path: ids, trace };
}

function dedupe(list: readonly CertView[]): CertView[] {
  const seen = new Set<string>();
  return list.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
}

interface Built {
  readonly chain: CertView[];
  readonly numUntrusted: number;
  readonly failure?: Failure;
}

/** OpenSSL 3.0 build_chain (trusted first, alternate chains only without trusted-first). */
function buildChain3(
  leaf: CertView,
  untrustedIn: readonly CertView[],
  store: readonly CertView[],
  time: number,
  purpose: ProfileInput['purpose'],
  trace: string[],
): Built {
  const U = 1;
  const T = 2;
  const chain: CertView[] = [leaf];
  let numUntrusted = 1;
  const sk = [...untrustedIn];
  let search = sk.length > 0 ? U : 0;
  search |= T; // trusted-first is the default in 3.0
  let trusted = false;
  const maxDepth = 100 + 1;
  while (search !== 0) {
    let num = chain.length;
    if (search & T) {
      const curr = chain[num - 1] as CertView;
      const issuer = num > maxDepth ? null : bestIssuer(store, curr, time);
      if (issuer) {
        const ss = selfSignedFlag(curr);
        let ok = true;
        let topSelfSigned = ss;
        if (!ss) {
          chain.push(issuer);
          topSelfSigned = selfSignedFlag(issuer);
          trace.push(`trust store has an issuer for ${label(curr)}: ${label(issuer)}`);
        } else if (curr.id !== issuer.id) {
          ok = false;
          trace.push(
            `${label(curr)} is self-signed; the store has a different certificate with its name (not accepted)`,
          );
        } else {
          chain[num - 1] = issuer;
          numUntrusted = --num;
          trace.push(`${label(curr)} is itself in the trust store`);
        }
        if (ok) {
          search &= ~U;
          const trust = checkTrust3(chain, numUntrusted, purpose);
          if (trust !== null && trust.trusted) {
            trusted = true;
            break;
          }
          if (trust !== null) {
            trace.push(`${label(trust.cert)} is rejected by its trust settings`);
            return { chain, numUntrusted, failure: new Failure(28, trust.depth, trust.cert) };
          }
          if (!topSelfSigned) continue;
        }
      }
      if ((search & U) === 0) break;
    }
    if (search & U) {
      num = chain.length;
      const curr = chain[num - 1] as CertView;
      const issuer =
        selfSignedFlag(curr) || num > maxDepth
          ? null
          : bestIssuer(sk, curr, time, chain.length === 1 && curr.selfIssued ? [] : chain);
      if (!issuer) {
        search &= ~U;
        search |= T;
        trace.push(`no issuer for ${label(curr)} among the certificates the peer sent`);
        continue;
      }
      sk.splice(sk.indexOf(issuer), 1);
      chain.push(issuer);
      numUntrusted++;
      trace.push(
        `took ${label(issuer)} from the peer's list (position ${untrustedIn.indexOf(issuer) + 1}) as issuer of ${label(curr)}`,
      );
      // 3.0 looks in the store again before the next untrusted step (trusted-first).
    }
  }
  return finish(chain, numUntrusted, trusted);
}

/** OpenSSL 1.0.2 X509_verify_cert chain building (untrusted first, alternative chains on untrusted tops only). */
function buildChain102(
  leaf: CertView,
  untrustedIn: readonly CertView[],
  store: readonly CertView[],
  time: number,
  trace: string[],
): Built {
  let chain: CertView[] = [leaf];
  const sk = [...untrustedIn];
  let x = leaf;
  while (!selfSignedFlag(x)) {
    const issuer = findIssuer102(sk, x, time);
    if (!issuer) break;
    sk.splice(sk.indexOf(issuer), 1);
    chain.push(issuer);
    trace.push(`followed the peer's list: ${label(issuer)} issued ${label(x)}`);
    x = issuer;
  }
  let j = chain.length;
  let lastUntrusted = chain.length;
  let chainSs: CertView | null = null;
  let retry: boolean;
  do {
    retry = false;
    x = chain[chain.length - 1] as CertView;
    if (selfSignedFlag(x)) {
      if (chain.length === 1) {
        const match = store.find((s) => s.id === x.id);
        if (!match) return { chain, numUntrusted: 1, failure: new Failure(18, 0, x) };
        lastUntrusted = 0;
        trace.push(`${label(x)} is itself in the trust store`);
      } else {
        chainSs = chain.pop() as CertView;
        lastUntrusted--;
        j--;
        x = chain[chain.length - 1] as CertView;
      }
    }
    while (!selfSignedFlag(x)) {
      const issuer = bestIssuer(store, x, time, [], '1.0.2');
      if (!issuer) break;
      chain.push(issuer);
      trace.push(`trust store has an issuer for ${label(x)}: ${label(issuer)}`);
      x = issuer;
    }
    const top = chain[chain.length - 1] as CertView;
    const trusted = lastUntrusted < chain.length && selfSignedFlag(top);
    if (!trusted) {
      while (j-- > 1) {
        const mid = chain[j - 1] as CertView;
        if (bestIssuer(store, mid, time, [], '1.0.2')) {
          chain = chain.slice(0, j);
          lastUntrusted = chain.length;
          trace.push(
            `alternative chain: the store has an issuer for ${label(mid)}; dropped the peer's certificates above it`,
          );
          retry = true;
          break;
        }
      }
    }
  } while (retry);
  x = chain[chain.length - 1] as CertView;
  if (!selfSignedFlag(x)) {
    if (chainSs === null || !checkIssued(x, chainSs, '1.0.2')) {
      const errno: ErrNo = lastUntrusted >= chain.length ? 20 : 2;
      return { chain, numUntrusted: lastUntrusted, failure: new Failure(errno, chain.length - 1, x) };
    }
    chain.push(chainSs);
    return { chain, numUntrusted: chain.length, failure: new Failure(19, chain.length - 1, chainSs) };
  }
  if (lastUntrusted >= chain.length) {
    return {
      chain,
      numUntrusted: lastUntrusted,
      failure: new Failure(chain.length === 1 ? 18 : 19, chain.length - 1, x),
    };
  }
  return { chain, numUntrusted: lastUntrusted };
}

/** 1.0.2 find_issuer: the first valid-now match, else the LAST match. */
function findIssuer102(list: readonly CertView[], x: CertView, time: number): CertView | null {
  let rv: CertView | null = null;
  for (const c of list) {
    if (!checkIssued(x, c, '1.0.2')) continue;
    rv = c;
    if (timeOk(c, time)) break;
  }
  return rv;
}

/**
 * X509_check_trust for the verification's purpose (3.0 x509_trust.c): sslserver and sslclient use trust_1oidany
 * (obj_trust of serverAuth or clientAuth, anyExtendedKeyUsage counting too), any purpose the default (obj_trust of
 * anyExtendedKeyUsage). A purpose in the certificate's reject list rejects it; a trust list trusts it for the purposes
 * it names and rejects it for any other; without settings, a self-signed certificate is trusted (trust_compat).
 */
function trustOf(
  x: CertView,
  purpose: ProfileInput['purpose'],
  selfSignedCompat = true,
): 'trusted' | 'rejected' | 'untrusted' {
  const id = purpose === 'any' ? ANY_EKU : EKU_OID[purpose];
  const names = (list: readonly string[]) => list.some((o) => o === id || o === ANY_EKU);
  const s = x.trustSettings;
  if (s?.reject && names(s.reject)) return 'rejected';
  if (s?.trust) return names(s.trust) ? 'trusted' : 'rejected';
  return selfSignedCompat && selfSignedFlag(x) ? 'trusted' : 'untrusted';
}

/**
 * 3.0 check_trust: the store certificates of the chain, from the first, until one is trusted (the chain ends there:
 * with explicit trust settings that may be an intermediate) or rejected (error 28); null when none is either.
 */
function checkTrust3(
  chain: readonly CertView[],
  numUntrusted: number,
  purpose: ProfileInput['purpose'],
): { trusted: boolean; depth: number; cert: CertView } | null {
  for (let i = numUntrusted; i < chain.length; i++) {
    const cert = chain[i] as CertView;
    const t = trustOf(cert, purpose);
    if (t !== 'untrusted') return { trusted: t === 'trusted', depth: i, cert };
  }
  return null;
}

/**
 * 1.0.2 check_trust, after the chain is built (which trust settings do not change there): a store certificate whose
 * reject list names the purpose exactly is error 28, unless one before it is trusted for it (1.0.2 obj_trust: no
 * anyExtendedKeyUsage, and a trust list that does not name the purpose is merely not trusted).
 */
function checkTrust102(
  chain: readonly CertView[],
  numUntrusted: number,
  purpose: ProfileInput['purpose'],
): Failure | null {
  if (purpose === 'any') return null;
  const id = EKU_OID[purpose];
  for (let i = numUntrusted; i < chain.length; i++) {
    const cert = chain[i] as CertView;
    const s = cert.trustSettings;
    if (s?.reject?.includes(id)) return new Failure(28, i, cert);
    if (s?.trust?.includes(id)) return null;
  }
  return null;
}

function finish(chain: CertView[], numUntrusted: number, trusted: boolean): Built {
  if (trusted) return { chain, numUntrusted };
  const num = chain.length;
  const top = chain[num - 1] as CertView;
  if (selfSignedFlag(top))
    return { chain, numUntrusted, failure: new Failure(num === 1 ? 18 : 19, num - 1, top) };
  return { chain, numUntrusted, failure: new Failure(numUntrusted < num ? 2 : 20, num - 1, top) };
}

/**
 * check_extensions: per certificate from the leaf up: critical extensions, CA-ness, purpose (3.0: a store
 * certificate's trust settings first), path length.
 */
function checkExtensions(
  chain: readonly CertView[],
  numUntrusted: number,
  input: ProfileInput,
  version: OpenSslVersion,
): Failure | null {
  let plen = 0;
  const num = chain.length;
  for (let i = 0; i < num; i++) {
    const x = chain[i] as CertView;
    if (unhandledCritical(x, 'openssl')) return new Failure(34, i, x);
    if (i > 0) {
      const ret = checkCa(x);
      if (ret === 0 || (i + 1 < num && ret !== 1)) return new Failure(79, i, x);
    }
    // 3.0 check_purpose(): a store certificate's own trust settings decide before its purpose does
    // (X509_check_trust with X509_TRUST_NO_SS_COMPAT: trusted passes, rejected is error 26).
    const explicit =
      version === '3' && i >= numUntrusted && x.trustSettings
        ? trustOf(x, input.purpose, false)
        : 'untrusted';
    if (explicit === 'rejected' || (explicit === 'untrusted' && !purposeOk(x, i, input.purpose)))
      return new Failure(26, i, x);
    const pathLen = x.basicConstraints?.ca ? x.basicConstraints.pathLen : undefined;
    if (i > 1 && pathLen !== undefined && plen > pathLen + 1) return new Failure(25, i, x);
    if (!x.selfIssued) plen++;
  }
  return null;
}

/**
 * X509_check_purpose(sslserver / sslclient): EKU (anyExtendedKeyUsage does not count); the leaf's keyUsage and
 * nsCertType (ns_reject: when present it must name SSL server, or SSL client); a CA that is one only by its
 * nsCertType must name an SSL CA (check_ssl_ca).
 */
function purposeOk(x: CertView, depth: number, purpose: ProfileInput['purpose']): boolean {
  if (purpose === 'any') return true;
  if (x.extKeyUsage !== null && !x.extKeyUsage.includes(EKU_OID[purpose])) {
    // Netscape SGC OIDs count for sslserver; anyExtendedKeyUsage does not.
    if (!(
      purpose === 'serverAuth' &&
      x.extKeyUsage.some((o) => o === '2.16.840.1.113730.4.1' || o === '1.3.6.1.4.1.311.10.3.3')
    ))
      return false;
  }
  void ANY_EKU;
  if (depth === 0 && x.keyUsage !== null) {
    const need = purpose === 'serverAuth' ? SERVER_KU : CLIENT_KU;
    if (!x.keyUsage.some((k) => need.includes(k))) return false;
  }
  const ns = x.nsCertType;
  if (depth === 0 && ns !== null && (ns & (purpose === 'serverAuth' ? NS_SSL_SERVER : NS_SSL_CLIENT)) === 0)
    return false;
  if (depth > 0 && checkCa(x) === 5 && ((ns ?? 0) & NS_SSL_CA) === 0) return false;
  return true;
}

/**
 * check_id: an IP literal host is checked as `-verify_ip` / X509_VERIFY_PARAM_set1_ip_asc sets it
 * (X509_check_ip: iPAddress SANs byte for byte, the CN never; error 64; `a2i_ipadd` reads "127.000.000.001" as
 * 127.0.0.1), any other host as `-verify_hostname` (X509_check_host: the CN only when there is no dNSName SAN,
 * partial wildcards allowed; error 62).
 */
function checkId(chain: readonly CertView[], input: ProfileInput): Failure | null {
  const host = input.hostname;
  const leaf = chain[0] as CertView;
  if (!host) return null;
  const m = matchHostname(leaf, host, {
    partialWildcards: true,
    commonName: 'if-no-dns-san',
    // X509_check_host compares the host as given: a trailing dot is part of it.
    hostDot: 'significant',
    ipSyntax: { leadingZeros: true },
  });
  if (m.matched) return null;
  return new Failure(m.hostKind === 'ip' ? 64 : 62, 0, leaf);
}

/** check_key_level: the key's security bits reach the level's minimum (an unknown key type fails). */
function keyLevelOk(cert: CertView, level: number): boolean {
  if (level <= 0) return true;
  return opensslKeySecurityBits(cert.publicKey) >= opensslMinBits(level);
}

/**
 * check_auth_level (3.0, after check_extensions): every issuer's key (67), then every signature but the trust
 * anchor's own (68: SHA-1 counts 63 bits, MD5 39).
 */
function checkAuthLevel(chain: readonly CertView[], level: number): Failure | null {
  if (level <= 0) return null;
  const num = chain.length;
  for (let i = 0; i < num; i++) {
    const cert = chain[i] as CertView;
    if (i > 0 && !keyLevelOk(cert, level)) return new Failure(67, i, cert);
    if (i < num - 1 && opensslSignatureSecurityBits(cert) < opensslMinBits(level))
      return new Failure(68, i, cert);
  }
  return null;
}

/** internal_verify: from the top down, the issuer's keyUsage, the signature, then the validity period. */
async function internalVerify(
  chain: readonly CertView[],
  input: ProfileInput,
  graph: ProfileInput['graph'],
  version: OpenSslVersion,
): Promise<Failure | null> {
  let n = chain.length - 1;
  let xi = chain[n] as CertView;
  let xs = xi;
  if (!checkIssued(xi, xi)) {
    if (n <= 0) return new Failure(21, 0, xi);
    n--;
    xs = chain[n] as CertView;
  }
  for (;;) {
    if (xs !== xi) {
      if (xi.keyUsage !== null && !xi.keyUsage.includes('keyCertSign')) return new Failure(32, n + 1, xi);
      // 1.0.2 has no key type for id-RSASSA-PSS (1.1.1 added it): X509_get_pubkey fails on such an issuer.
      if (version === '1.0.2' && xi.publicKey.pssOnly) return new Failure(6, n, xi);
      const signature = await graph.verifyEdge(xs, xi);
      if (!signature.ok) return new Failure(7, n, xs, signature.unsupported ? signature.reason : undefined);
    }
    // check_cert_time: X509_cmp_time returns 0 for a time it cannot read (3.0: only the 13/15-character forms) and
    // maps "equal" to -1, so a certificate has expired AT its notAfter second (real CLI: -attime = notAfter gives
    // error 10, tests/unit/pki/paths/precision.test.ts) and is valid from its notBefore second.
    if (version === '3' && opensslTimeFormatError(xs, 'notBefore')) return new Failure(13, n, xs);
    if (wholeSecond(input.time) < xs.validity.notBeforeMs) return new Failure(9, n, xs);
    if (version === '3' && opensslTimeFormatError(xs, 'notAfter')) return new Failure(14, n, xs);
    if (wholeSecond(input.time) >= xs.validity.notAfterMs) return new Failure(10, n, xs);
    if (--n < 0) return null;
    xi = xs;
    xs = chain[n] as CertView;
  }
}

/** NAME_CONSTRAINTS_check's cost guard (v3_ncons.c NAME_CHECK_MAX): names x constraints above 2^20 is error 1. */
const NAME_CHECK_MAX = 1 << 20;

/**
 * check_name_constraints: every certificate (self-issued intermediates skipped) against every CA above it,
 * the anchor included. NAME_CONSTRAINTS_check (v3_ncons.c): the cost guard, then the subject, its
 * emailAddress attributes and every SAN (`nc_match`: permitted subtrees first, then excluded; `nc_dns`
 * compares a wildcard SAN as text; `nc_ip` refuses a constraint that is not 8 or 32 octets: error 53), then the
 * CN as a DNS name for the leaf without a dNSName SAN (NAME_CONSTRAINTS_check_CN).
 */
function checkNames(chain: readonly CertView[]): Failure | null {
  for (let i = chain.length - 1; i >= 0; i--) {
    const x = chain[i] as CertView;
    if (i !== 0 && x.selfIssued) continue;
    const names = namesOf(x, i === 0, true);
    const nameCount = x.subject.rdns.reduce((n, rdn) => n + rdn.length, 0) + (x.san?.all.length ?? 0);
    for (let j = chain.length - 1; j > i; j--) {
      const nc = (chain[j] as CertView).nameConstraints;
      if (!nc) continue;
      const constraintCount = nc.permitted.length + nc.excluded.length;
      if (nameCount > 0 && constraintCount > Math.floor(NAME_CHECK_MAX / nameCount))
        return new Failure(1, i, x);
      const v = checkNameConstraints(names, nc, {
        wildcards: 'literal',
        permittedFirst: true,
        contiguousMasks: false,
      })[0];
      if (v) return new Failure(v.kind === 'excluded' ? 48 : v.kind === 'malformed' ? 53 : 47, i, x);
    }
  }
  return null;
}
