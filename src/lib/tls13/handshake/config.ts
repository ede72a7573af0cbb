/**
 * TLS 1.3 engine configuration. Everything a scenario varies is injected, as for 1.2 (`tls12/handshake/config.ts`,
 * whose verifier hook, random source and clock types are reused).
 */
import { NamedGroup, SignatureScheme } from '../../tls12/wire/code-points.ts';
import {
  defaultRandom,
  type CertificateVerifier,
  type ClientConfig,
  type ServerConfig,
  type Clock,
  type RandomSource,
} from '../../tls12/handshake/config.ts';
import { TLS13_SUITES } from '../suites.ts';
import type { Extension13 } from '../wire/index.ts';

/** Misbehaviour a scenario can stage (each ends in the alert the peer sends). */
export type Tamper13 =
  /** Flip a byte of our Finished verify_data: the peer answers decrypt_error. */
  | 'finished'
  /** Flip a byte of our CertificateVerify signature: the peer answers decrypt_error. */
  | 'certificate-verify'
  /** Server: send a second HelloRetryRequest (the client answers unexpected_message). */
  | 'second-hrr'
  /** Server: ask in HelloRetryRequest for a group the client did not offer (illegal_parameter). */
  | 'hrr-unoffered-group';

/** The messages whose extension list `extensionLayout` lays out (a HelloRetryRequest is a server_hello). */
export type LaidOutMessage = 'client_hello' | 'server_hello' | 'encrypted_extensions';

export interface Common13Config {
  /**
   * Offered (client) or preferred (server) TLS 1.3 suites. A client may list a signalling value among them
   * (TLS_EMPTY_RENEGOTIATION_INFO_SCSV, 0x00ff, as OpenSSL sends it); it is offered and never chosen.
   */
  suites?: number[];
  /** Client: supported_groups, the first gets a key share. Server: preference order. */
  groups?: number[];
  signatureSchemes?: number[];
  alpn?: string[];
  random?: RandomSource;
  provider?: { random(length: number): Uint8Array };
  now?: Clock;
  tamper?: Tamper13;
  /** Send the middlebox-compatibility ChangeCipherSpec (RFC 8446 §D.4; default true, as OpenSSL does). */
  middleboxCompat?: boolean;
  /**
   * Lays out a message's extensions as another implementation sends them (RFC 8446 §4.2 leaves the order free):
   * given the message and the extensions we would send, returns the list to send, reordered or with extensions
   * this engine does not act on added (an OpenSSL- or NSS-shaped ClientHello; an EncryptedExtensions that
   * acknowledges server_name). The engine acts only on its own extensions. Default: ours, unchanged.
   */
  extensionLayout?: (message: LaidOutMessage, ours: Extension13[]) => Extension13[];
  /**
   * Send each flight's handshake messages together, in as few records as they fit (RFC 8446 §5.1; NSS does, as
   * RFC 8448's traces show). Default false: one record per message, as OpenSSL sends them.
   */
  coalesceHandshake?: boolean;
}

export interface Client13Config extends Common13Config {
  serverName?: string;
  verifier: CertificateVerifier;
  /** Groups to send a key share for (default: the first of `groups`). */
  keyShareGroups?: number[];
  /**
   * Also offer TLS 1.2 (its suites and extensions, and 1.2 in supported_versions): when the server chooses 1.2
   * (without the downgrade sentinel), the connection continues in the TLS 1.2 engine with `tls12`'s settings.
   */
  allowTls12?: boolean;
  tls12?: Partial<Omit<ClientConfig, 'verifier' | 'serverName' | 'random' | 'provider' | 'now'>>;
  /** For CertificateRequest: DER leaf first, and its PKCS#8 key. */
  certificateChain?: Uint8Array[];
  privateKey?: Uint8Array;
}

export interface Server13Config extends Common13Config {
  /** Certificates by key type: the server picks the one the client's signature_algorithms allow. */
  certificates: { chain: Uint8Array[]; privateKey: Uint8Array }[];
  requestClientCertificate?: boolean;
  /** With requestClientCertificate: an empty client Certificate ends in certificate_required. */
  requireClientCertificate?: boolean;
  clientVerifier?: CertificateVerifier;
  /** Send a HelloRetryRequest cookie (RFC 8446 §4.2.2). */
  cookie?: boolean;
  /** How many NewSessionTickets to send after the handshake (default 0). */
  tickets?: number;
  /**
   * Serve a client that does not offer TLS 1.3 with the TLS 1.2 engine (the first certificate, `tls12`'s
   * settings), with the RFC 8446 §4.1.3 downgrade sentinel in its ServerHello.random; otherwise protocol_version.
   */
  allowTls12?: boolean;
  tls12?: Partial<Omit<ServerConfig, 'certificateChain' | 'privateKey' | 'random' | 'provider' | 'now'>>;
}

export const TLS13 = 0x0304;

/** RFC 8446 §4.2.3: the schemes a 1.3 CertificateVerify may use that the crypto layer implements. */
export const DEFAULT_SIGNATURE_SCHEMES_13: readonly number[] = [
  SignatureScheme.values.ecdsa_secp256r1_sha256,
  SignatureScheme.values.ecdsa_secp384r1_sha384,
  SignatureScheme.values.ed25519,
  SignatureScheme.values.rsa_pss_rsae_sha256,
  SignatureScheme.values.rsa_pss_rsae_sha384,
  SignatureScheme.values.rsa_pss_rsae_sha512,
];

export const DEFAULT_GROUPS_13: readonly number[] = [
  NamedGroup.values.x25519,
  NamedGroup.values.secp256r1,
  NamedGroup.values.secp384r1,
];

export interface Resolved13 {
  suites: number[];
  groups: number[];
  signatureSchemes: number[];
  alpn: string[];
  random: RandomSource;
  /** Randomness was injected: ECDHE keys and signatures are drawn from it, so runs repeat. */
  deterministic: boolean;
  now: Clock;
  middleboxCompat: boolean;
}

export function resolve13(c: Common13Config): Resolved13 {
  return {
    suites: c.suites ?? TLS13_SUITES.map((s) => s.code),
    groups: c.groups ?? [...DEFAULT_GROUPS_13],
    signatureSchemes: c.signatureSchemes ?? [...DEFAULT_SIGNATURE_SCHEMES_13],
    alpn: c.alpn ?? [],
    random: c.random ?? (c.provider ? (n: number) => c.provider!.random(n) : defaultRandom),
    deterministic: c.random !== undefined || c.provider !== undefined,
    now: c.now ?? (() => Date.now()),
    middleboxCompat: c.middleboxCompat ?? true,
  };
}
