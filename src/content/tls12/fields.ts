/**
 * One explanation per field id the TLS 1.2 wire layer emits (ids normalised: list indices become `[]`).
 * `tests/unit/content/tls-fields.test.ts` fails if the engine can emit an id that has no entry here.
 * Each entry: what the bytes are, and why they matter. Sources: RFC 5246, RFC 8422, RFC 6066, RFC 7301,
 * RFC 7627, RFC 5746, RFC 5077, RFC 8446 §4.2.3 (signature scheme names).
 */
import { tls13FieldExplanations, tls13Overrides } from '../tls13/fields.ts';

export const fieldExplanations: Record<string, string> = {
  ...tls13FieldExplanations,
  // Record layer (RFC 5246 §6.2.1)
  record: 'A TLS record: a 5-byte header and a fragment of at most 16 KiB of one content type.',
  'record.header':
    'The record header: content type, version and length. It is never encrypted, so an eavesdropper always sees it.',
  'record.header.content_type':
    'What the fragment carries: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data.',
  'record.header.version':
    'The record-layer version. 03 03 is TLS 1.2; a ClientHello often uses 03 01 here for compatibility with old servers.',
  'record.header.length':
    'Length of the fragment that follows, in bytes (at most 2^14, or 2^14 + 2048 when encrypted).',
  'record.fragment':
    'The record body: one or more handshake messages, an alert, a ChangeCipherSpec byte, or encrypted data.',

  // Handshake header (RFC 5246 §7.4)
  handshake: 'A handshake message: a 4-byte header (type and length) and its body.',
  'handshake.header': 'Handshake header: one byte of message type and a 3-byte length.',
  'handshake.header.msg_type':
    'Which handshake message this is: 0 HelloRequest, 1 ClientHello, 2 ServerHello, 4 NewSessionTicket, 11 Certificate, 12 ServerKeyExchange, 13 CertificateRequest, 14 ServerHelloDone, 15 CertificateVerify, 16 ClientKeyExchange, 20 Finished.',
  'handshake.header.length':
    'Length of the message body in bytes (24 bits: a certificate chain can be large).',
  'handshake.body': 'The message body, kept as raw bytes.',
  hello_request:
    'HelloRequest: an empty message by which a server asks the client to start a new handshake (renegotiation).',
  server_hello_done: 'ServerHelloDone has no body: its 4-byte header is the whole message.',

  // ClientHello (RFC 5246 §7.4.1.2)
  client_hello: 'The ClientHello body.',
  'client_hello.client_version': 'The highest TLS version the client supports. 03 03 means TLS 1.2.',
  'client_hello.random':
    '32 bytes of fresh randomness from the client. It goes into every key, so keys differ on every connection even with the same certificate.',
  'client_hello.session_id':
    'A session id to resume an earlier session, or empty for a new one. Length-prefixed (1 byte).',
  'client_hello.cipher_suites':
    'The cipher suites the client accepts, most preferred first. Each is 2 bytes; the server must pick one from this list or fail with handshake_failure.',
  'client_hello.cipher_suites.length': 'Length of the cipher suite list in bytes (two per suite).',
  'client_hello.cipher_suites[]':
    "One cipher suite: key exchange, authentication, bulk cipher and a hash (the PRF hash of an AEAD suite; a CBC suite's names its record MAC, and its PRF is SHA-256). For example C0 2F is ECDHE-RSA-AES128-GCM-SHA256.",
  'client_hello.compression_methods':
    'Compression methods. Always just 00 (none): TLS compression enabled the CRIME attack and is no longer used.',
  'client_hello.compression_methods.length': 'Number of compression methods (1).',
  'client_hello.compression_methods[]': 'A compression method: 00 is null (no compression).',
  'client_hello.extensions':
    'The extensions the client offers. Each is a 2-byte type, a 2-byte length and its data.',
  'client_hello.extensions.length': 'Total length of the extensions block.',

  // ServerHello (RFC 5246 §7.4.1.3)
  server_hello: 'The ServerHello body.',
  'server_hello.server_version': 'The version the server chose: 03 03 for TLS 1.2.',
  'server_hello.random':
    '32 bytes of fresh randomness from the server. TLS 1.3-capable servers that settle on 1.2 put a downgrade sentinel (44 4F 57 4E 47 52 44 01) in the last 8 bytes.',
  'server_hello.session_id':
    "The session id the server assigned (or echoes, when it resumes a session). Empty: the session will not be cached, so it cannot be resumed (RFC 5246 §7.4.1.3); the lab's server sends it empty.",
  'server_hello.cipher_suite': "The one cipher suite the server chose from the client's list.",
  'server_hello.compression_method': 'The compression method chosen: 00, none.',
  'server_hello.extensions':
    'The extensions the server agreed to. A server may only answer extensions the client offered.',
  'server_hello.extensions.length': 'Total length of the extensions block.',

  // Extensions (each: type, length, data)
  'extension.unknown':
    'An extension this lab does not decode. It is kept and shown, never dropped: its type code and raw bytes.',
  'extension.unknown.data':
    'The extension data, kept as raw bytes because this extension type is not one the lab decodes.',
  'extension.server_name':
    'server_name (SNI, RFC 6066 §3): the host name the client wants, so one IP can serve many certificates.',
  'extension.server_name.server_name_list': 'The server name list: a 2-byte length, then its entries.',
  'extension.server_name.server_name_list[]': 'One server name entry: a name type and the name.',
  'extension.server_name.name_type': 'Name type: 0 is host_name, the only type defined.',
  'extension.server_name.host_name':
    'The host name in plain text. Anyone on the path can read it: SNI is not encrypted in TLS 1.2.',
  'extension.status_request':
    'status_request (RFC 6066 §8): the client asks the server to staple an OCSP response.',
  'extension.status_request.status_type': 'Status type: 1 is OCSP.',
  'extension.status_request.request': 'The OCSP status request: responder ids and request extensions.',
  'extension.status_request.responder_id_list': 'OCSP responders the client trusts (usually empty: any).',
  'extension.status_request.responder_id_list[]': 'One OCSP responder id.',
  'extension.status_request.request_extensions': 'OCSP request extensions (usually empty).',
  'extension.supported_groups':
    'supported_groups (RFC 8422 §5.1.1): the elliptic curves the client can use for ECDHE, most preferred first.',
  'extension.supported_groups.named_group_list': 'The list of groups, two bytes each.',
  'extension.supported_groups.named_group_list[]':
    'One group: 00 1D x25519, 00 17 secp256r1 (P-256), 00 18 secp384r1 (P-384).',
  'extension.ec_point_formats':
    'ec_point_formats (RFC 8422 §5.1.2): how EC points may be encoded; 00 is uncompressed.',
  'extension.ec_point_formats.ec_point_format_list': 'The list of point formats, one byte each.',
  'extension.ec_point_formats.ec_point_format_list[]':
    'A point format: 00 uncompressed (the only one in use today).',
  'extension.signature_algorithms':
    'signature_algorithms (RFC 5246 §7.4.1.4.1): the signature schemes the client accepts on the server key exchange and certificates.',
  'extension.signature_algorithms.supported_signature_algorithms':
    'The list of signature schemes, two bytes each, most preferred first.',
  'extension.signature_algorithms.supported_signature_algorithms[]':
    'One signature scheme, e.g. 08 04 rsa_pss_rsae_sha256, 04 01 rsa_pkcs1_sha256, 04 03 ecdsa_secp256r1_sha256.',
  'extension.alpn':
    'application_layer_protocol_negotiation (RFC 7301): the application protocols on offer. PostgreSQL 17 direct TLS requires "postgresql".',
  'extension.alpn.protocol_name_list':
    'The protocol names on offer, each length-prefixed. The server answers with exactly one.',
  'extension.alpn.protocol_name_list[]':
    'One protocol name, length-prefixed: "http/1.1", "h2", "postgresql".',
  'extension.extended_master_secret':
    'extended_master_secret (RFC 7627): empty. When both sides send it, the master secret is bound to a hash of the handshake messages up to and including ClientKeyExchange (the certificates and the key exchange with them), which defeats the triple-handshake attack.',
  'extension.session_ticket':
    'session_ticket (RFC 5077): empty in a new handshake, to say the client can store a ticket.',
  'extension.session_ticket.ticket': 'A ticket from an earlier session, to resume it.',
  'extension.renegotiation_info':
    'renegotiation_info (RFC 5746): on a first handshake an empty value, proving both sides implement secure renegotiation.',
  'extension.renegotiation_info.renegotiated_connection': 'The previous verify_data, on a renegotiation.',

  // Certificate (RFC 5246 §7.4.2)
  certificate: 'The Certificate body.',
  'certificate.certificate_list':
    "The sender's chain, each certificate prefixed by a 3-byte length. The sender's own certificate comes first: the server's in its Certificate, the client's in the client's.",
  'certificate.certificate_list.length': 'Total length of the chain in bytes.',
  'certificate.certificate_list[]':
    'One certificate: its length, then its DER (ASN.1) bytes. The Chain Lab decodes it field by field.',

  // ServerKeyExchange (RFC 8422 §5.4)
  server_key_exchange: 'The ServerKeyExchange body.',
  'server_key_exchange.body':
    'The key exchange parameters, kept raw because the key exchange algorithm was not known when decoding.',
  'server_key_exchange.params':
    'ServerECDHParams: the curve and the ephemeral public key. These exact bytes are signed.',
  'server_key_exchange.curve_type': 'Curve type: 3 is named_curve (the only one allowed today).',
  'server_key_exchange.named_curve':
    "The group the server chose for ECDHE, from the client's supported_groups.",
  'server_key_exchange.public':
    "The server's ephemeral public key (length-prefixed). x25519: 32 bytes. P-256: 65 bytes starting with 04 (uncompressed).",
  'server_key_exchange.public.length': 'Length of the public key.',
  'server_key_exchange.signature':
    "The signature over client_random + server_random + params, made with the certificate's private key: proof that the server holds it.",
  'server_key_exchange.signature_algorithm':
    'Which signature scheme was used, one the client offered in signature_algorithms.',
  'server_key_exchange.signature.length': 'Length of the signature.',
  'server_key_exchange.signature.value':
    'The signature bytes (RSA: as long as the modulus; ECDSA: a DER SEQUENCE of r and s).',

  // CertificateRequest (RFC 5246 §7.4.4)
  certificate_request: 'The CertificateRequest body.',
  'certificate_request.certificate_types':
    'Accepted client certificate key types: 1 rsa_sign, 64 ecdsa_sign.',
  'certificate_request.certificate_types.length': 'Number of certificate types.',
  'certificate_request.certificate_types[]': 'One certificate type.',
  'certificate_request.supported_signature_algorithms':
    'Signature schemes the server accepts in CertificateVerify.',
  'certificate_request.supported_signature_algorithms.length': 'Length of the list.',
  'certificate_request.supported_signature_algorithms[]': 'One signature scheme.',
  'certificate_request.certificate_authorities':
    "Distinguished names of the CAs whose client certificates the server accepts (from PostgreSQL's ssl_ca_file).",
  'certificate_request.certificate_authorities.length': 'Length of the CA name list.',
  'certificate_request.certificate_authorities[]': 'One CA distinguished name (DER), length-prefixed.',

  // ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7)
  client_key_exchange: 'The ClientKeyExchange body.',
  'client_key_exchange.body':
    'The key exchange data, kept raw because the key exchange algorithm was not known when decoding.',
  'client_key_exchange.public':
    "The client's ephemeral public key. The server combines it with its own ephemeral private key (the client, the server's public key with its private key) to get the pre-master secret by ECDH; the pre-master secret itself is never sent.",
  'client_key_exchange.public.length': 'Length of the public key.',
  'client_key_exchange.encrypted_pre_master_secret':
    "Static RSA: the pre-master secret (03 03 + 46 random bytes) encrypted to the server's RSA key. Whoever later steals that key can decrypt a recording: no forward secrecy.",
  'client_key_exchange.encrypted_pre_master_secret.length':
    'Length of the encrypted pre-master secret (the RSA modulus size).',

  // CertificateVerify (RFC 5246 §7.4.8)
  certificate_verify: 'The CertificateVerify body.',
  'certificate_verify.signature': "The client's signature over all handshake messages so far.",
  'certificate_verify.signature_algorithm': 'The signature scheme used.',
  'certificate_verify.signature.length': 'Length of the signature.',
  'certificate_verify.signature.value': 'The signature bytes.',

  // Finished (RFC 5246 §7.4.9)
  finished: 'The Finished body.',
  'finished.verify_data':
    '12 bytes: PRF(master_secret, finished_label, Hash(handshake_messages)). Two sides with the same keys that saw different handshakes get different values: decrypt_error. With the extended master secret a changed handshake already changed the keys, so the record carrying it does not decrypt: bad_record_mac.',

  // NewSessionTicket (RFC 5077 §3.3)
  new_session_ticket: 'The NewSessionTicket body.',
  'new_session_ticket.ticket_lifetime_hint': 'How long, in seconds, the client may keep the ticket.',
  'new_session_ticket.ticket': 'The opaque ticket, encrypted with a key only the server knows.',
  'new_session_ticket.ticket.length': 'Length of the ticket.',

  // ChangeCipherSpec and Alert (RFC 5246 §7.1, §7.2)
  change_cipher_spec: 'The ChangeCipherSpec record body.',
  'change_cipher_spec.type': 'Always 01.',
  alert: 'The alert body.',
  'alert.level': 'Alert level: 1 warning, 2 fatal (a fatal alert ends the connection).',
  'alert.description':
    'What happened: 0 close_notify, 10 unexpected_message, 20 bad_record_mac, 40 handshake_failure, 42 bad_certificate, 45 certificate_expired, 48 unknown_ca, 51 decrypt_error, 70 protocol_version, 80 internal_error…',

  // PostgreSQL framing (PostgreSQL protocol, "Message Formats" and "SSL Session Encryption")
  'pg.ssl_request':
    'The SSLRequest packet: a PostgreSQL client asks, in clear, whether the server will speak TLS.',
  'pg.ssl_request.length': 'Message length including itself: always 8.',
  'pg.ssl_request.code':
    'The SSLRequest code 80877103 (04 D2 16 2F): 1234 in the high 16 bits, 5679 in the low 16.',
  'pg.ssl_response':
    "The server's one-byte answer: S, it will do TLS; N, it will not (ssl = off); E, an error follows. libpq with sslmode=prefer or allow carries on in plaintext after N.",
  'pg.startup': 'StartupMessage: the first PostgreSQL message, here inside the TLS tunnel.',
  'pg.startup.length': 'Length of the StartupMessage including itself.',
  'pg.startup.protocol': 'Protocol version 3.0 (196608 = 3 << 16).',
  'pg.startup.parameter[]': 'One connection parameter: a name and a value, each NUL-terminated.',
  'pg.startup.parameter[].name': 'A parameter name: user, database, application_name…',
  'pg.startup.parameter[].value': 'The parameter value.',
  'pg.parameter.name': 'A run-time parameter the server reports (ParameterStatus): its name.',
  'pg.parameter.value': 'The parameter value.',
  'pg.startup.terminator': 'A final NUL ends the parameter list.',
  'pg.message': 'A backend message: a type byte, a 4-byte length, and the body.',
  'pg.message.type':
    'The message type: R authentication, E error, S parameter status, K backend key, Z ready for query.',
  'pg.message.length': 'Length of the message without the type byte.',
  'pg.message.body': 'The message body.',
  'pg.message.data': 'Message contents this lab shows as raw bytes.',
  'pg.auth.code':
    'Authentication request code: 0 AuthenticationOk, 3 cleartext password, 5 MD5, 10 SASL (SCRAM-SHA-256)…',
  'pg.auth.data': 'Data for the authentication exchange (SASL).',
  'pg.auth.salt': 'The 4-byte salt for MD5 password authentication.',
  'pg.auth.mechanism[]': 'A SASL mechanism the server offers, e.g. SCRAM-SHA-256.',
  'pg.auth.terminator': 'A final NUL ends the mechanism list.',
  'pg.error.field[]': 'One field of an ErrorResponse: a code byte and a NUL-terminated value.',
  'pg.error.field[].code': 'The field code: S severity, C SQLSTATE, M message, D detail, H hint…',
  'pg.error.field[].value': 'The field value, e.g. the message "no pg_hba.conf entry for host …".',
  'pg.error.terminator': 'A final NUL ends the error fields.',
  'pg.backend_key.process_id': 'The backend process id, needed to cancel a query.',
  'pg.backend_key.secret': 'The secret key, needed to cancel a query.',
  'pg.ready.status': 'Transaction status: I idle, T in a transaction, E in a failed transaction.',
};

function label(id: string): string {
  const last = id.split('.').pop() ?? id;
  return last.replace(/\[\]$/, ' entry').replace(/_/g, ' ');
}

/** The table for TLS 1.3 bytes: the shared one, with 1.3's meaning where the same id means something else. */
const fieldExplanations13: Record<string, string> = { ...fieldExplanations, ...tls13Overrides };

/**
 * The explanation for a field id (raw, with indices, or normalised), in the bytes of `version` (a TLS 1.3
 * message or record reads some shared ids differently: `tls13Overrides`). Exact entries first; then the framing
 * that every length-prefixed vector and every extension shares: `x.length` is the length of `x`, `x.value`
 * is the content of `x`, `extension.<kind>.type`/`.length` are the extension's header.
 */
export function explainField(id: string, version: '1.2' | '1.3' = '1.2'): string | undefined {
  const key = id.replace(/\[\d+\]/g, '[]');
  const table = version === '1.3' ? fieldExplanations13 : fieldExplanations;
  const exact = table[key];
  if (exact) return exact;
  const ext = /^extension\.([a-z_]+)\.(type|length)$/.exec(key);
  if (ext) {
    return ext[2] === 'type'
      ? `Extension type code for ${ext[1]} (IANA "TLS ExtensionType Values").`
      : `Length of the ${ext[1]} extension's data, in bytes.`;
  }
  if (key.endsWith('.length')) {
    const parent = key.slice(0, -'.length'.length);
    return `Length prefix of the ${label(parent)}, in bytes. TLS writes the size of every variable-length field before it.`;
  }
  if (key.endsWith('.value')) {
    const parent = key.slice(0, -'.value'.length);
    return table[parent] ?? `The bytes of the ${label(parent)}.`;
  }
  return undefined;
}
