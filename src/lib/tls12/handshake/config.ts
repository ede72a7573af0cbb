/**
 * Engine configuration: everything a scenario can vary, injected (randomness, clock, verifier, keys).
 */
import type { VerifyAlertName } from '../../pki/openssl-alerts.ts';
import { ProtocolVersion } from '../wire/code-points.ts';
import { DEFAULT_SIGNATURE_SCHEMES } from '../crypto/signature-schemes.ts';
import { DEFAULT_SUITES } from '../crypto/suites.ts';
import { SUPPORTED_GROUPS } from '../crypto/ecdhe.ts';

export type RandomSource = (length: number) => Uint8Array;
export type Clock = () => number;

/** The alerts a certificate verifier may ask for: those of OpenSSL's ssl_x509err2alert table. */
export type VerifyAlert = VerifyAlertName;
export type VerifyResult = { ok: true; note?: string } | { ok: false; alert: VerifyAlert; reason: string };

/** Certificate verifier hook (the certificate engine plugs in here). */
export type CertificateVerifier = (input: {
  /** DER certificates as sent, leaf first. */
  chain: Uint8Array[];
  serverName?: string;
  /** Milliseconds since the epoch, from the injected clock. */
  now: number;
}) => Promise<VerifyResult>;

/** Accepts any chain (the CLI without --ca): the summary says it was not verified. */
export const acceptAnyCertificate: CertificateVerifier = async () => ({ ok: true, note: 'not verified' });

/** Misbehaviour a scenario can stage. */
export type Tamper =
  /** Flip a byte of our Finished verify_data before protecting it: the peer answers decrypt_error. */
  | 'finished'
  /** Flip a byte of the protected record carrying our Finished: the peer answers bad_record_mac. */
  | 'finished-record'
  /** Flip a byte of our first protected application-data record. */
  | 'application-data-record';

export type Misbehaviour =
  /** Server: skip ServerKeyExchange (peer answers unexpected_message). */
  | 'omit-server-key-exchange'
  /** Client: send Finished without ChangeCipherSpec first (peer answers unexpected_message). */
  | 'omit-change-cipher-spec';

export interface CommonConfig {
  minVersion?: number;
  maxVersion?: number;
  /** Offered (client) or preferred (server) cipher suites, in preference order. */
  suites?: number[];
  groups?: number[];
  signatureSchemes?: number[];
  /** Offer / accept RFC 7627 extended master secret (default true). */
  extendedMasterSecret?: boolean;
  alpn?: string[];
  random?: RandomSource;
  /**
   * Where randomness comes from when `random` is not given: any object with `random(n)`, e.g. the crypto
   * layer's CryptoProvider (src/lib/tls12/crypto), so one injected source feeds both layers.
   */
  provider?: { random(length: number): Uint8Array };
  now?: Clock;
  tamper?: Tamper;
  misbehave?: Misbehaviour;
}

export interface ClientConfig extends CommonConfig {
  serverName?: string;
  verifier: CertificateVerifier;
  /** How to signal secure renegotiation (RFC 5746 §3.3): an empty renegotiation_info, or the SCSV. */
  renegotiationSignal?: 'extension' | 'scsv';
  /** Send an empty session_ticket extension (default true). */
  sessionTicket?: boolean;
  statusRequest?: boolean;
  /** For CertificateRequest scenarios. */
  certificateChain?: Uint8Array[];
  /** PKCS#8 DER. */
  privateKey?: Uint8Array;
  /**
   * The ClientHello also offered TLS 1.3 (the 1.3 client sent it and fell back to this engine): a ServerHello.random
   * with the RFC 8446 §4.1.3 downgrade sentinel then ends the handshake with illegal_parameter.
   */
  offeredTls13?: boolean;
}

export interface ServerConfig extends CommonConfig {
  /** DER, leaf first. */
  certificateChain: Uint8Array[];
  /** PKCS#8 DER. */
  privateKey: Uint8Array;
  requestClientCertificate?: boolean;
  /** Checks a client chain when one is sent; default accepts any. */
  clientVerifier?: CertificateVerifier;
  /**
   * We also speak TLS 1.3 (RFC 8446 §4.1.3): a ServerHello that negotiates 1.2 ends its random with the
   * downgrade sentinel "DOWNGRD" 01, which a 1.3-capable client checks.
   */
  downgradeSentinel?: boolean;
}

export const TLS12 = ProtocolVersion.values.TLSv1_2;

export function defaultRandom(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

export interface Resolved {
  minVersion: number;
  maxVersion: number;
  suites: number[];
  groups: number[];
  signatureSchemes: number[];
  extendedMasterSecret: boolean;
  alpn: string[];
  random: RandomSource;
  /**
   * Randomness was injected (`random` or `provider`, e.g. runHandshake with a seed): signatures must then be
   * reproducible, so RSA-PSS and ECDSA signing stay on the JS path (see crypto/signatures.ts).
   */
  deterministic: boolean;
  now: Clock;
}

export function resolveCommon(c: CommonConfig): Resolved {
  return {
    minVersion: c.minVersion ?? TLS12,
    maxVersion: c.maxVersion ?? TLS12,
    suites: c.suites ?? [...DEFAULT_SUITES],
    groups: c.groups ?? SUPPORTED_GROUPS,
    signatureSchemes: c.signatureSchemes ?? [...DEFAULT_SIGNATURE_SCHEMES],
    extendedMasterSecret: c.extendedMasterSecret ?? true,
    alpn: c.alpn ?? [],
    random: c.random ?? (c.provider ? (n: number) => c.provider!.random(n) : defaultRandom),
    deterministic: c.random !== undefined || c.provider !== undefined,
    now: c.now ?? (() => Date.now()),
  };
}
