/**
 * A client profile: given what the peer sent, the trust store, the time and the host, choose a path and a
 * verdict the way one real client does, with that client's own error text and a short trace of its choices.
 */
import type { CertView } from '../types.ts';
import type { IssuerGraph } from '../paths/graph.ts';
import type { CertRef } from '../paths/reasons.ts';
import type { Purpose } from '../paths/validate.ts';

/** The clients the Chain Lab and the CLI can judge a chain as: the one list every name comes from. */
export const PROFILE_NAMES = ['rfc5280', 'openssl-3', 'openssl-1.0.2', 'go', 'webpki'] as const;

export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface ProfileInput {
  /** As the peer sent them, leaf first. */
  readonly served: readonly CertView[];
  readonly anchors: readonly CertView[];
  /** Shared issuer graph (memoised signatures), name matching by RFC 5280 key. */
  readonly graph: IssuerGraph;
  /** Milliseconds since the epoch (the clock is injected: no default here). */
  readonly time: number;
  readonly hostname?: string;
  readonly purpose: Purpose;
  readonly maxChainDepth: number;
  /**
   * The openssl-3 profile's security level (`auth_level`); default `OPENSSL3_AUTH_LEVEL`, 2, what Debian's
   * openssl.cnf gives libpq and Python. Node reads its own `nodejs_conf` section instead, so it stays at OpenSSL
   * 3.0's built-in level 1 (`NODE_OPENSSL_AUTH_LEVEL`).
   */
  readonly opensslAuthLevel?: number;
  /**
   * The client checks the host name itself once OpenSSL 3 has verified the chain, as libpq does
   * (`pgtls_verify_peer_name_matches_certificate_guts`), instead of asking OpenSSL to (X509_check_host, error
   * 62/64): the openssl-3 profile then leaves the name to this check, whose text is the client's error (null: the
   * name matches). The Chain Lab and `tls-lab chain` pass libpq's.
   */
  readonly hostCheck?: HostCheck;
}

/** A client's own host-name check: its error text, or null when `host` matches the leaf. */
export type HostCheck = (host: string, leaf: CertView) => string | null;

export interface ProfileError {
  /** The client's own identifier: "X509_V_ERR_CERT_HAS_EXPIRED", "CertExpired", "x509.CertificateInvalidError" … */
  readonly code: string;
  /** The client's exact error text. */
  readonly message: string;
  /** OpenSSL's numeric code, when the client is OpenSSL. */
  readonly number?: number;
  /** OpenSSL's error depth (0 = leaf). */
  readonly depth?: number;
  readonly certificate?: CertRef;
  /**
   * Not the client's error: a check the client makes that this engine cannot (a signature algorithm it lacks), so
   * what the client would say is unknown. `code` is NOT_CHECKED and `message` says which check and why.
   */
  readonly notChecked?: true;
}

export interface ProfileVerdict {
  readonly profile: ProfileName;
  readonly valid: boolean;
  /** The chain the client built or settled on (leaf first), ids; may be partial when it failed to build one. */
  readonly path?: readonly string[];
  readonly error?: ProfileError;
  /** How the client chose: one line per decision. */
  readonly trace: readonly string[];
}
