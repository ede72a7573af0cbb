/**
 * IANA code points used by TLS 1.2 (and the TLS 1.3 values a TLS 1.2 parser meets in real ClientHellos),
 * as open enums: known values have names, unknown values (GREASE included) decode and print as hex.
 * Sources: IANA "Transport Layer Security (TLS) Parameters" registry; RFC numbers per entry.
 */
import { openEnum } from './open-enum.ts';

/** RFC 5246 §6.2.1 ContentType (+ RFC 6520 heartbeat). */
export const ContentType = openEnum('ContentType', 1, {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
  heartbeat: 24, // RFC 6520
});

/** ProtocolVersion {major, minor} read as one u16 (RFC 5246 §6.2.1, Appendix E). */
export const ProtocolVersion = openEnum('ProtocolVersion', 2, {
  SSLv3: 0x0300,
  TLSv1_0: 0x0301,
  TLSv1_1: 0x0302,
  TLSv1_2: 0x0303,
  TLSv1_3: 0x0304, // RFC 8446
});

/** "TLSv1.3", as OpenSSL (s_client's "Protocol  :" line) and libpq (PQsslAttribute "protocol") spell it. */
export function versionName(version: number): string {
  return ProtocolVersion.format(version).replace('_', '.');
}

/** RFC 5246 §7.4 HandshakeType (+ RFC 4366/5077/6066/8446 values). */
export const HandshakeType = openEnum('HandshakeType', 1, {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  hello_verify_request: 3, // RFC 6347 (DTLS)
  new_session_ticket: 4, // RFC 5077
  end_of_early_data: 5, // RFC 8446
  encrypted_extensions: 8, // RFC 8446
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
  certificate_url: 21, // RFC 6066
  certificate_status: 22, // RFC 6066
  key_update: 24, // RFC 8446
  message_hash: 254, // RFC 8446
});

/** The RFCs' struct names for handshake messages (RFC 5246 §7.4, RFC 8446 §4), by HandshakeType name. */
const MESSAGE_TITLES: Record<string, string> = {
  client_hello: 'ClientHello',
  server_hello: 'ServerHello',
  certificate: 'Certificate',
  server_key_exchange: 'ServerKeyExchange',
  certificate_request: 'CertificateRequest',
  server_hello_done: 'ServerHelloDone',
  client_key_exchange: 'ClientKeyExchange',
  certificate_verify: 'CertificateVerify',
  finished: 'Finished',
  new_session_ticket: 'NewSessionTicket',
  hello_request: 'HelloRequest',
  hello_retry_request: 'HelloRetryRequest',
  encrypted_extensions: 'EncryptedExtensions',
  key_update: 'KeyUpdate',
  end_of_early_data: 'EndOfEarlyData',
};

/** A handshake message's struct name (certificate_verify: CertificateVerify), or the name given when it has none. */
export function messageTitle(name: string): string {
  return MESSAGE_TITLES[name] ?? name;
}

/** RFC 5246 §7.2 AlertLevel. */
export const AlertLevel = openEnum('AlertLevel', 1, {
  warning: 1,
  fatal: 2,
});

/** RFC 5246 §7.2 and RFC 8446 §6 AlertDescription (+ RFC 6066, RFC 7507). */
export const AlertDescription = openEnum('AlertDescription', 1, {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  decryption_failed_RESERVED: 21,
  record_overflow: 22,
  decompression_failure_RESERVED: 30,
  handshake_failure: 40,
  no_certificate_RESERVED: 41,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  unknown_ca: 48,
  access_denied: 49,
  decode_error: 50,
  decrypt_error: 51,
  export_restriction_RESERVED: 60,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  inappropriate_fallback: 86, // RFC 7507
  user_canceled: 90,
  no_renegotiation: 100,
  missing_extension: 109, // RFC 8446
  unsupported_extension: 110,
  certificate_unobtainable: 111, // RFC 6066
  unrecognized_name: 112, // RFC 6066
  bad_certificate_status_response: 113, // RFC 6066
  bad_certificate_hash_value: 114, // RFC 6066
  unknown_psk_identity: 115, // RFC 4279
  certificate_required: 116, // RFC 8446
  no_application_protocol: 120, // RFC 7301
});

/** Cipher suites (RFC 5246 Appendix A.5, RFC 5288, RFC 5289, RFC 8422, RFC 7905, RFC 5746, RFC 7507, RFC 8446). */
export const CipherSuite = openEnum('CipherSuite', 2, {
  TLS_NULL_WITH_NULL_NULL: 0x0000,
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 0x000a,
  TLS_RSA_WITH_AES_128_CBC_SHA: 0x002f,
  TLS_DHE_RSA_WITH_AES_128_CBC_SHA: 0x0033,
  TLS_RSA_WITH_AES_256_CBC_SHA: 0x0035,
  TLS_DHE_RSA_WITH_AES_256_CBC_SHA: 0x0039,
  TLS_RSA_WITH_AES_128_CBC_SHA256: 0x003c,
  TLS_RSA_WITH_AES_256_CBC_SHA256: 0x003d,
  TLS_DHE_RSA_WITH_AES_128_CBC_SHA256: 0x0067,
  TLS_DHE_RSA_WITH_AES_256_CBC_SHA256: 0x006b,
  TLS_RSA_WITH_AES_128_GCM_SHA256: 0x009c, // RFC 5288
  TLS_RSA_WITH_AES_256_GCM_SHA384: 0x009d,
  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: 0x009e,
  TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: 0x009f,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV: 0x00ff, // RFC 5746 §3.3
  TLS_AES_128_GCM_SHA256: 0x1301, // RFC 8446
  TLS_AES_256_GCM_SHA384: 0x1302,
  TLS_CHACHA20_POLY1305_SHA256: 0x1303,
  TLS_AES_128_CCM_SHA256: 0x1304,
  TLS_AES_128_CCM_8_SHA256: 0x1305,
  TLS_FALLBACK_SCSV: 0x5600, // RFC 7507
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 0xc009, // RFC 8422
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 0xc00a,
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: 0xc012,
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 0xc013,
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 0xc014,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 0xc023, // RFC 5289
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384: 0xc024,
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 0xc027,
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384: 0xc028,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 0xc02b,
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 0xc02c,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 0xc02f,
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 0xc030,
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca8, // RFC 7905
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca9,
  TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xccaa,
});

/** NamedGroup (RFC 8422 §5.1.1, RFC 7919, RFC 8446 §4.2.7, draft-ietf-tls-ecdhe-mlkem). */
export const NamedGroup = openEnum('NamedGroup', 2, {
  secp256r1: 23,
  secp384r1: 24,
  secp521r1: 25,
  brainpoolP256r1: 26, // RFC 7027
  brainpoolP384r1: 27,
  brainpoolP512r1: 28,
  x25519: 29,
  x448: 30,
  ffdhe2048: 256, // RFC 7919
  ffdhe3072: 257,
  ffdhe4096: 258,
  ffdhe6144: 259,
  ffdhe8192: 260,
  SecP256r1MLKEM768: 0x11eb,
  X25519MLKEM768: 0x11ec,
});

/** RFC 8422 §5.1.2 ECPointFormat. */
export const ECPointFormat = openEnum('ECPointFormat', 1, {
  uncompressed: 0,
  ansiX962_compressed_prime: 1,
  ansiX962_compressed_char2: 2,
});

/** RFC 8422 §5.4 ECCurveType. */
export const ECCurveType = openEnum('ECCurveType', 1, {
  explicit_prime: 1,
  explicit_char2: 2,
  named_curve: 3,
});

/**
 * SignatureScheme (RFC 8446 §4.2.3), which reads RFC 5246 §7.4.1.4.1 SignatureAndHashAlgorithm
 * {hash, signature} as one u16: 0x0401 = {sha256, rsa} = rsa_pkcs1_sha256.
 */
export const SignatureScheme = openEnum('SignatureScheme', 2, {
  rsa_pkcs1_md5: 0x0101, // RFC 5246 {md5, rsa}
  rsa_pkcs1_sha1: 0x0201,
  dsa_sha1: 0x0202, // RFC 5246 {sha1, dsa}
  ecdsa_sha1: 0x0203,
  rsa_pkcs1_sha224: 0x0301, // RFC 5246 {sha224, rsa}
  dsa_sha224: 0x0302,
  ecdsa_sha224: 0x0303,
  rsa_pkcs1_sha256: 0x0401,
  dsa_sha256: 0x0402,
  ecdsa_secp256r1_sha256: 0x0403,
  rsa_pkcs1_sha384: 0x0501,
  dsa_sha384: 0x0502,
  ecdsa_secp384r1_sha384: 0x0503,
  rsa_pkcs1_sha512: 0x0601,
  dsa_sha512: 0x0602,
  ecdsa_secp521r1_sha512: 0x0603,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
  rsa_pss_rsae_sha512: 0x0806,
  ed25519: 0x0807,
  ed448: 0x0808,
  rsa_pss_pss_sha256: 0x0809,
  rsa_pss_pss_sha384: 0x080a,
  rsa_pss_pss_sha512: 0x080b,
});

/** RFC 5246 §7.4.4 ClientCertificateType (+ RFC 8422 §5.5). */
export const ClientCertificateType = openEnum('ClientCertificateType', 1, {
  rsa_sign: 1,
  dss_sign: 2,
  rsa_fixed_dh: 3,
  dss_fixed_dh: 4,
  rsa_ephemeral_dh_RESERVED: 5,
  dss_ephemeral_dh_RESERVED: 6,
  fortezza_dms_RESERVED: 20,
  ecdsa_sign: 64,
  rsa_fixed_ecdh: 65,
  ecdsa_fixed_ecdh: 66,
});

/** RFC 5246 §7.4.1.1 CompressionMethod (+ RFC 3749 DEFLATE). */
export const CompressionMethod = openEnum('CompressionMethod', 1, {
  null: 0,
  DEFLATE: 1,
});

/** ExtensionType (RFC 5246 §7.4.1.4 and the IANA registry). */
export const ExtensionType = openEnum('ExtensionType', 2, {
  server_name: 0, // RFC 6066 §3
  max_fragment_length: 1, // RFC 6066 §4
  status_request: 5, // RFC 6066 §8
  supported_groups: 10, // RFC 8422 §5.1.1, RFC 7919
  ec_point_formats: 11, // RFC 8422 §5.1.2
  signature_algorithms: 13, // RFC 5246 §7.4.1.4.1
  use_srtp: 14, // RFC 5764
  heartbeat: 15, // RFC 6520
  application_layer_protocol_negotiation: 16, // RFC 7301
  signed_certificate_timestamp: 18, // RFC 6962
  padding: 21, // RFC 7685
  encrypt_then_mac: 22, // RFC 7366
  extended_master_secret: 23, // RFC 7627
  compress_certificate: 27, // RFC 8879
  record_size_limit: 28, // RFC 8449
  session_ticket: 35, // RFC 5077
  pre_shared_key: 41, // RFC 8446
  early_data: 42,
  supported_versions: 43,
  cookie: 44,
  psk_key_exchange_modes: 45,
  certificate_authorities: 47,
  post_handshake_auth: 49,
  signature_algorithms_cert: 50,
  key_share: 51,
  encrypted_client_hello: 0xfe0d, // RFC 9849
  renegotiation_info: 0xff01, // RFC 5746 §3.2
});

/** RFC 6066 §3 NameType. */
export const ServerNameType = openEnum('NameType', 1, { host_name: 0 });

/** RFC 6066 §8 CertificateStatusType (+ RFC 6961 ocsp_multi). */
export const CertificateStatusType = openEnum('CertificateStatusType', 1, { ocsp: 1, ocsp_multi: 2 });

/** RFC 8446 §4.2.9 PskKeyExchangeMode. */
export const PskKeyExchangeMode = openEnum('PskKeyExchangeMode', 1, { psk_ke: 0, psk_dhe_ke: 1 });

/** RFC 8446 §4.6.3 KeyUpdateRequest. */
export const KeyUpdateRequest = openEnum('KeyUpdateRequest', 1, {
  update_not_requested: 0,
  update_requested: 1,
});
