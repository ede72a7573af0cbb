/**
 * Why each TLS 1.3 message exists, in plain language, where it differs from its TLS 1.2 namesake (the hellos and
 * the PostgreSQL framing keep tls12/messages.ts's words). Keyed by the wire layer's message kind, as the 1.2 table.
 * Source: RFC 8446 (TLS 1.3), section by section.
 */
import type { MessageExplanation } from '../tls12/messages.ts';

export const tls13MessageExplanations: Record<string, MessageExplanation> = {
  client_hello: {
    title: 'ClientHello',
    what: 'The client opens the handshake: legacy_version stays 0x0303 (TLS 1.2); the versions it speaks are in supported_versions, and key_share already carries its ephemeral public key for the group it guesses the server wants.',
    why: 'Sending the key share in the first message is what saves TLS 1.3 a round trip: the server can answer with its own share and start encrypting at once.',
    rfc: 'RFC 8446 §4.1.2',
  },
  server_hello: {
    title: 'ServerHello',
    what: 'The server picks one suite and, in supported_versions, TLS 1.3 (legacy_version still says 0x0303); key_share carries its own ephemeral public key.',
    why: 'With both key shares, each side computes the ECDHE shared secret and the handshake traffic keys: every handshake message after this one is encrypted (only an alert the client sends before its own flight may still go in the clear, as OpenSSL’s does).',
    rfc: 'RFC 8446 §4.1.3',
  },
  hello_retry_request: {
    title: 'HelloRetryRequest',
    what: 'A ServerHello with a fixed special random: the server asks the client to try again with a key share for the group it names (and may send a cookie to echo).',
    why: 'The client guessed a group the server does not want; the retry costs a round trip, which is why clients send a share for the most likely group (x25519) first.',
    rfc: 'RFC 8446 §4.1.4',
  },
  encrypted_extensions: {
    title: 'EncryptedExtensions',
    what: 'The first message under the handshake keys: the extensions the server answers that are not needed to agree on keys (ALPN, the acknowledgement of server_name, supported groups).',
    why: 'TLS 1.3 hides everything it can: only what the key exchange needs stays in the clear ServerHello, the rest moves here, where an eavesdropper cannot read it.',
    rfc: 'RFC 8446 §4.3.1',
  },
  certificate_request: {
    title: 'CertificateRequest',
    what: 'The server asks for a client certificate: a request context and extensions, of which signature_algorithms is required.',
    why: 'For client-certificate authentication. PostgreSQL sends it whenever ssl_ca_file is set; a pg_hba.conf line with cert or clientcert= then decides whether a missing or untrusted certificate refuses the connection. It is encrypted, unlike in TLS 1.2.',
    rfc: 'RFC 8446 §4.3.2',
  },
  certificate: {
    title: 'Certificate',
    what: 'The certificate chain, leaf first, each entry with its own extensions (an OCSP response, SCTs), after a certificate_request_context (empty in the server’s).',
    why: 'The client checks the chain against its trust anchors and the name it asked for. In TLS 1.3 it travels encrypted under the handshake keys: an eavesdropper no longer sees which certificate the server sent.',
    rfc: 'RFC 8446 §4.4.2',
    fromClient: {
      what: 'The client’s certificate chain, after the certificate_request_context of the CertificateRequest it answers; empty when the client has none.',
      why: 'The server checks it against the CAs it trusts for clients (PostgreSQL: ssl_ca_file). It follows the server’s Finished, encrypted under the client’s handshake keys.',
      rfc: 'RFC 8446 §4.4.2',
    },
  },
  certificate_verify: {
    title: 'CertificateVerify',
    what: 'A signature with the certificate’s private key over 64 spaces, the context string ("TLS 1.3, server CertificateVerify" or the client’s), a zero byte and the transcript hash so far. RSA keys must sign with RSA-PSS.',
    why: 'It proves the peer holds the private key of the certificate it sent and binds the whole handshake so far to it; in TLS 1.2 the server signed only the randoms and its key exchange parameters (ServerKeyExchange).',
    rfc: 'RFC 8446 §4.4.3',
  },
  finished: {
    title: 'Finished',
    what: 'verify_data = HMAC(finished_key, transcript hash), where finished_key is derived from the sender’s handshake traffic secret.',
    why: 'It authenticates the handshake and the keys. A man in the middle who changed a byte of the clear hellos made the two sides derive different keys, so the first encrypted record already fails to open (bad_record_mac); a Finished that opens but does not match is decrypt_error. After the server’s Finished it may already send application data.',
    rfc: 'RFC 8446 §4.4.4',
  },
  new_session_ticket: {
    title: 'NewSessionTicket',
    what: 'Sent by the server after the handshake, encrypted: a lifetime, an age offset, a nonce and an opaque ticket naming a pre-shared key derived from this connection’s resumption secret.',
    why: 'A later connection can resume with this PSK instead of a full handshake. OpenSSL servers send two by default.',
    rfc: 'RFC 8446 §4.6.1',
  },
  key_update: {
    title: 'KeyUpdate',
    what: 'The sender switches to the next generation of its application traffic secret; update_requested asks the peer to do the same.',
    why: 'Long connections renew their keys without a new handshake (TLS 1.3 has no renegotiation).',
    rfc: 'RFC 8446 §4.6.3',
  },
  end_of_early_data: {
    title: 'EndOfEarlyData',
    what: 'Empty: it ends the 0-RTT early data the client sent with its ClientHello, under keys from the resumption PSK (client_early_traffic_secret). Sent only when the server accepted that data.',
    why: 'It marks where the early data stops and the client’s handshake keys take over, and it is part of the transcript the client’s Finished covers.',
    rfc: 'RFC 8446 §4.5',
  },
  change_cipher_spec: {
    title: 'ChangeCipherSpec (compatibility)',
    what: 'One byte, 01, in a record of its own. In TLS 1.3 it means nothing and the receiver drops it.',
    why: 'Middlebox compatibility mode: it makes the handshake look like a resumed TLS 1.2 one to network devices that would otherwise break it.',
    rfc: 'RFC 8446 Appendix D.4',
  },
  application_data: {
    title: 'Encrypted record',
    what: 'Every protected TLS 1.3 record says application_data (23) on the outside; its real type (handshake, alert or application data) is the byte right after the content, before any zero padding: the last non-zero byte inside.',
    why: 'An eavesdropper sees only lengths, not even which records carry the handshake and which carry data.',
    rfc: 'RFC 8446 §5.2',
  },
  alert: {
    title: 'Alert',
    what: 'Two bytes: a level and a description code. Alerts are encrypted with whatever keys the sender writes with. A client that fails on the server’s flight (an unknown CA, a bad signature) has not yet written with its handshake keys, and OpenSSL’s client, as in psql, sends that alert in the clear: anyone on the path can read why the connection failed.',
    why: 'How a peer says what went wrong before it closes the connection, or close_notify at a clean end; in TLS 1.3 every error alert is fatal.',
    rfc: 'RFC 8446 §6',
  },
};
