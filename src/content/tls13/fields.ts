/**
 * Explanations for the field ids TLS 1.3's wire layer adds (src/lib/tls13/wire/field-ids.ts); merged into
 * the one table in ../tls12/fields.ts, so `explainField` answers for both versions.
 * Sources: RFC 8446 §4.1.2-§4.1.4, §4.2.1-§4.2.9, §4.3, §4.4.2, §4.6.1, §4.6.3, §5.2.
 */
export const tls13FieldExplanations: Record<string, string> = {
  'client_hello.legacy_version':
    'Always 03 03 (TLS 1.2) in TLS 1.3: the versions the client really offers are in supported_versions, because many servers reject a hello whose version is higher than theirs ("version intolerance", RFC 8446 §4.1.2).',
  'client_hello.legacy_session_id':
    'A 32-byte value a TLS 1.3 client sends in "middlebox compatibility mode", so the handshake looks like a 1.2 session resumption; the server echoes it.',
  'client_hello.legacy_compression_methods':
    'Must be exactly one byte 00 (no compression): TLS 1.3 removed compression.',
  'client_hello.legacy_compression_methods[]': 'A compression method; only 00 (null) is allowed in TLS 1.3.',
  'server_hello.legacy_version':
    'Always 03 03 in TLS 1.3; the version chosen is in the supported_versions extension.',
  'server_hello.legacy_session_id_echo':
    "The client's legacy_session_id, echoed back unchanged (a mismatch aborts with illegal_parameter).",
  'server_hello.legacy_compression_method': 'Always 00: TLS 1.3 has no compression.',
  'extension.supported_versions':
    'supported_versions: the real version negotiation of TLS 1.3. The client lists what it supports, the server names the one it picked.',
  'extension.supported_versions.versions':
    'The versions the client supports, most preferred first (03 04 is TLS 1.3).',
  'extension.supported_versions.versions[]': 'One protocol version (03 04 TLS 1.3, 03 03 TLS 1.2).',
  'extension.supported_versions.selected_version':
    'The version the server chose: 03 04 for TLS 1.3. Its presence is what makes this a TLS 1.3 ServerHello.',
  'extension.key_share':
    'key_share: ephemeral (EC)DH public keys, sent in the hellos so the key exchange finishes in one round trip.',
  'extension.key_share.client_shares':
    "The client's key shares, one per group it guesses the server will accept (often just x25519).",
  'extension.key_share.client_shares[]': 'One KeyShareEntry: a group and a public key in that group.',
  'extension.key_share.server_share':
    "The server's KeyShareEntry, in one of the groups the client offered a share for.",
  'extension.key_share.group':
    'The named group of this key share (00 1d x25519, 00 17 secp256r1, 00 18 secp384r1).',
  'extension.key_share.key_exchange':
    'The ephemeral public key: 32 bytes for x25519, an uncompressed point (04 || X || Y) for the NIST curves.',
  'extension.key_share.selected_group':
    'In a HelloRetryRequest: the group the server wants a key share for; the client sends a second ClientHello with one.',
  'extension.psk_key_exchange_modes':
    'psk_key_exchange_modes: how the client would use a pre-shared key (a resumption ticket) if it had one.',
  'extension.psk_key_exchange_modes.ke_modes': 'The PSK modes the client supports.',
  'extension.psk_key_exchange_modes.ke_modes[]':
    '00 psk_ke (PSK only, no forward secrecy) or 01 psk_dhe_ke (PSK with a fresh (EC)DHE exchange).',
  'extension.cookie':
    'cookie: a value the server sends in a HelloRetryRequest and the client returns unchanged in its second ClientHello.',
  'extension.cookie.cookie': 'The opaque cookie (often the server state it needs to stay stateless).',
  encrypted_extensions:
    'EncryptedExtensions: the first encrypted handshake message. Extensions that do not shape the key exchange (ALPN, SNI acknowledgement) are sent here, hidden from eavesdroppers.',
  'encrypted_extensions.extensions': "The server's extensions that are not in the ServerHello.",
  'certificate_request.certificate_request_context':
    'An opaque value the client echoes in its Certificate (empty during the handshake; used by post-handshake authentication).',
  'certificate_request.extensions':
    'What the server wants in a client certificate: signature_algorithms is required; certificate_authorities may list acceptable CAs.',
  'certificate.certificate_request_context':
    "Empty in a server's Certificate; in a client's, the context of the CertificateRequest it answers.",
  'certificate.cert_data':
    'One X.509 certificate in DER: the first is the end-entity, each next one certifies the one before.',
  'certificate.entry.extensions':
    'Extensions of this certificate entry (e.g. an OCSP response or SCTs); usually empty.',
  'new_session_ticket.ticket_lifetime':
    'How long, in seconds, the client may use this ticket to resume (at most 7 days).',
  'new_session_ticket.ticket_age_add':
    "A random value the client adds to the ticket's age when it resumes, so an observer cannot link the connections.",
  'new_session_ticket.ticket_nonce':
    'Makes each ticket of the connection derive a different PSK from the resumption master secret.',
  'new_session_ticket.extensions': 'Ticket extensions, e.g. early_data with the maximum 0-RTT size.',
  key_update: 'KeyUpdate: the sender switches to the next generation of its application traffic keys.',
  end_of_early_data:
    'EndOfEarlyData: an empty message, the client’s last under its early traffic keys; what follows is under its handshake keys.',
  'key_update.request_update':
    '00 update_not_requested, 01 update_requested (the peer should update its own sending keys too).',
  tls_inner_plaintext:
    'TLSInnerPlaintext: what is inside an encrypted TLS 1.3 record. The real content type is hidden here, not in the record header.',
  'tls_inner_plaintext.content': 'The content: handshake messages, an alert or application data.',
  'tls_inner_plaintext.type':
    'The real content type (22 handshake, 21 alert, 23 application data): the last non-zero byte.',
  'tls_inner_plaintext.zeros': 'Padding: zero bytes that hide the length of the content.',
};

/**
 * Ids TLS 1.3 shares with TLS 1.2 whose bytes mean something else in 1.3: `explainField(id, '1.3')` takes these
 * before the shared table. Sources: RFC 8446 §4.1.2, §4.1.3, §4.2, §4.4.3, §4.4.4, §4.6.1, §5.1, §5.2, §B.3, §B.4.
 */
export const tls13Overrides: Record<string, string> = {
  'record.header.content_type':
    'The outer content type: 23 application_data for every protected TLS 1.3 record (the real type is inside, in TLSInnerPlaintext); 22 handshake, 21 alert and 20 change_cipher_spec only in the clear.',
  'record.header.version':
    "03 03 in every TLS 1.3 record but the first ClientHello's, which should say 03 01 (RFC 8446 §5.1; OpenSSL and this lab do): the version is negotiated in supported_versions.",
  'record.header.length':
    'Length of the fragment that follows, in bytes: at most 2^14 in the clear, 2^14 + 256 for a protected TLS 1.3 record.',
  'handshake.header.msg_type':
    'Which handshake message this is: 1 ClientHello, 2 ServerHello (or HelloRetryRequest), 4 NewSessionTicket, 5 EndOfEarlyData, 8 EncryptedExtensions, 11 Certificate, 13 CertificateRequest, 15 CertificateVerify, 20 Finished, 24 KeyUpdate.',
  'client_hello.random':
    '32 bytes of fresh randomness from the client. TLS 1.3 mixes it into the keys through the transcript hash.',
  'client_hello.cipher_suites[]':
    'One cipher suite. A TLS 1.3 suite names only the AEAD and the HKDF hash (13 01 TLS_AES_128_GCM_SHA256, 13 02 TLS_AES_256_GCM_SHA384, 13 03 TLS_CHACHA20_POLY1305_SHA256): the key exchange is in key_share, the signature in signature_algorithms. A client that offers TLS 1.2 as well lists 1.2 suites too.',
  'server_hello.random':
    '32 bytes of fresh randomness from the server, except in a HelloRetryRequest, where it is the fixed value CF 21 AD 74 E5 9A 61 11 BE 1D 8C 02 1E 65 B8 91 C2 A2 11 16 7A BB 8C 5E 07 9E 09 E2 C8 A8 33 9C, SHA-256("HelloRetryRequest"), which marks the message as one (RFC 8446 §4.1.3).',
  'server_hello.cipher_suite':
    "The one TLS 1.3 cipher suite the server chose from the client's list: its AEAD protects the records and its hash drives the key schedule.",
  'extension.server_name.host_name':
    'The host name in plain text. TLS 1.3 encrypts the certificate, but not this: the ClientHello is in the clear, so anyone on the path reads it.',
  'certificate_verify.signature':
    'The sender\'s signature over 64 bytes of 0x20, the context string ("TLS 1.3, server CertificateVerify" or "TLS 1.3, client CertificateVerify"), a zero byte and the transcript hash so far (RFC 8446 §4.4.3). It proves the sender holds the certificate\'s private key.',
  'extension.signature_algorithms':
    'signature_algorithms (RFC 8446 §4.2.3): the signature schemes the sender accepts in CertificateVerify (and, unless signature_algorithms_cert is sent, on certificates). In the ClientHello it is what the client accepts from the server; in a CertificateRequest, what the server accepts from the client.',
  'certificate.certificate_list':
    "The sender's chain as CertificateEntry items (a 3-byte-length certificate, then that entry's extensions). The sender's own certificate comes first: the server's in its Certificate, the client's in the client's.",
  'certificate.certificate_list[]':
    'One CertificateEntry: cert_data (a 3-byte length and the DER certificate) and its extensions. The Chain Lab decodes the certificate field by field.',
  record:
    'A TLS record: a 5-byte header and a fragment of one content type (at most 2^14 bytes in the clear, 2^14 + 256 when protected in TLS 1.3).',
  'server_hello.extensions':
    "The extensions of a TLS 1.3 ServerHello: only what sets up the keys and the version (supported_versions, key_share, pre_shared_key; in a HelloRetryRequest supported_versions, key_share and cookie). Every other answer waits for EncryptedExtensions. The server answers only extensions the client offered, except a HelloRetryRequest's cookie (RFC 8446 §4.1.3, §4.2).",
  'new_session_ticket.ticket':
    "An opaque label the client presents to resume with this ticket's PSK (RFC 8446 §4.6.1): a key into the server's session store, or the session sealed under a key only the server holds (OpenSSL's by default). The lab's own server sends random bytes; its runs never resume.",
  'finished.verify_data':
    "Hash.length bytes (32 for SHA-256 suites, 48 for SHA-384): HMAC(finished_key, Transcript-Hash(handshake messages so far)), finished_key derived from the sender's handshake traffic secret (RFC 8446 §4.4.4). A Finished that opens but does not match is decrypt_error. A change on the path to the clear hellos shows earlier: the two sides derive different keys, and the first encrypted record does not open (bad_record_mac).",
};
