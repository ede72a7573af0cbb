/**
 * Why each TLS 1.2 message exists, in plain language. Keyed by the wire layer's message kind.
 * Sources: RFC 5246 (TLS 1.2), RFC 8422 (ECC cipher suites), RFC 7627 (extended master secret),
 * RFC 5288 / RFC 7905 (AEAD suites). PostgreSQL preamble: PostgreSQL protocol documentation, "SSL Session Encryption".
 */
export interface MessageExplanation {
  readonly title: string;
  /** What it is, one or two sentences. */
  readonly what: string;
  /** Why the handshake needs it. */
  readonly why: string;
  readonly rfc: string;
  /** The same message sent by the client, where it means something else (a client's Certificate). */
  readonly fromClient?: Pick<MessageExplanation, 'what' | 'why' | 'rfc'>;
}

export const messageExplanations: Record<string, MessageExplanation> = {
  ssl_request: {
    title: 'SSLRequest',
    what: 'Eight bytes a PostgreSQL client sends on a fresh TCP connection: length 8, then the magic code 80877103 (04 d2 16 2f).',
    why: 'PostgreSQL speaks its own protocol on port 5432, so before TLS can start the client must ask whether the server will do TLS at all.',
    rfc: 'PostgreSQL protocol §55.2.10 (SSL Session Encryption)',
  },
  ssl_response: {
    title: "Server's answer: S or N",
    what: 'One byte: S means "go ahead with TLS", N means "no TLS here" (for example ssl = off).',
    why: 'After S the very next bytes are a TLS ClientHello. After N a client with sslmode=prefer or allow carries on unencrypted; require and stricter give up.',
    rfc: 'PostgreSQL protocol §55.2.10',
  },
  client_hello: {
    title: 'ClientHello',
    what: 'The client opens the handshake: the highest version it speaks, 32 random bytes, the cipher suites it accepts in order of preference, and extensions.',
    why: 'The server needs a menu to choose from, and both sides need fresh randomness so that keys are unique to this connection.',
    rfc: 'RFC 5246 §7.4.1.2',
  },
  server_hello: {
    title: 'ServerHello',
    what: 'The server picks: the version, one cipher suite, its own 32 random bytes, and which extensions it agrees to.',
    why: 'From here both sides know the algorithms. A server that cannot agree sends an alert instead (handshake_failure or protocol_version).',
    rfc: 'RFC 5246 §7.4.1.3',
  },
  certificate: {
    title: 'Certificate',
    what: "The server's certificate chain: its own certificate first, then (usually) the intermediates that lead to a root the client may trust.",
    why: 'The client must learn which public key speaks for the server name, and check that a trusted authority vouches for it.',
    rfc: 'RFC 5246 §7.4.2',
    fromClient: {
      what: "The client's certificate chain, sent because the server asked for one (CertificateRequest); empty when the client has none.",
      why: 'The server checks it against the CAs it trusts for clients (PostgreSQL: ssl_ca_file); the client then proves it holds the key in its CertificateVerify.',
      rfc: 'RFC 5246 §7.4.6',
    },
  },
  server_key_exchange: {
    title: 'ServerKeyExchange',
    what: "The server's ephemeral (ECDHE) public key on a named curve, signed with the certificate's private key.",
    why: 'The signature proves the ephemeral key comes from the certificate holder; the ephemeral key gives forward secrecy. Static-RSA suites have no ServerKeyExchange.',
    rfc: 'RFC 8422 §5.4',
  },
  certificate_request: {
    title: 'CertificateRequest',
    what: 'The server asks the client for a certificate, listing the certificate types, signature algorithms and CA names it accepts.',
    why: 'For client-certificate authentication. PostgreSQL sends it whenever ssl_ca_file is set; pg_hba.conf (clientcert=verify-ca or verify-full, or the cert method) then decides whether a certificate is required.',
    rfc: 'RFC 5246 §7.4.4',
  },
  server_hello_done: {
    title: 'ServerHelloDone',
    what: 'An empty message: the server has said all it will say in this flight.',
    why: 'The client now knows it can answer: the server is waiting for the client key exchange.',
    rfc: 'RFC 5246 §7.4.5',
  },
  client_key_exchange: {
    title: 'ClientKeyExchange',
    what: "ECDHE: the client's ephemeral public key. Static RSA: the 48-byte pre-master secret encrypted to the server certificate's RSA key.",
    why: 'After this message both sides can compute the same pre-master secret, and from it the master secret and the session keys.',
    rfc: 'RFC 5246 §7.4.7, RFC 8422 §5.7',
  },
  certificate_verify: {
    title: 'CertificateVerify',
    what: 'The client signs the handshake so far with the private key of the certificate it sent.',
    why: 'Proves the client holds the key for its certificate; without it anyone could replay a public certificate.',
    rfc: 'RFC 5246 §7.4.8',
  },
  change_cipher_spec: {
    title: 'ChangeCipherSpec',
    what: 'A one-byte record (01) of its own content type: from the next record on, this side encrypts with the new keys.',
    why: 'Marks the switch to the negotiated keys. It is not a handshake message and is not part of the handshake hash.',
    rfc: 'RFC 5246 §7.1',
  },
  finished: {
    title: 'Finished',
    what: 'The first encrypted message: 12 bytes of verify_data = PRF(master_secret, "client finished" or "server finished", hash of every handshake message so far).',
    why: 'Both sides prove they saw the same handshake and derived the same keys. A change a man in the middle made to the clear hellos shows here at the latest: a changed random already breaks the ServerKeyExchange signature in ECDHE suites (decrypt_error); a change that changed the keys (a random in static RSA suites; any change, with the extended master secret) leaves this record undecryptable (bad_record_mac); any other change leaves verify_data that does not match (decrypt_error).',
    rfc: 'RFC 5246 §7.4.9',
  },
  new_session_ticket: {
    title: 'NewSessionTicket',
    what: 'An opaque ticket the server gives the client so a later connection can resume this session without a full handshake.',
    why: 'Sent only when both sides offered the session_ticket extension.',
    rfc: 'RFC 5077 §3.3',
  },
  application_data: {
    title: 'Application data',
    what: 'Encrypted records carrying the application protocol, here HTTP or PostgreSQL messages.',
    why: 'This is what the handshake was for. An eavesdropper sees only the record header and the length.',
    rfc: 'RFC 5246 §6.2.3',
  },
  alert: {
    title: 'Alert',
    what: 'Two bytes: a level (1 warning, 2 fatal) and a description code.',
    why: 'How a peer says what went wrong before it closes the connection, or close_notify at a clean end.',
    rfc: 'RFC 5246 §7.2',
  },
  startup_message: {
    title: 'StartupMessage',
    what: 'The first PostgreSQL message inside the tunnel: protocol version 3.0 and parameters such as user and database.',
    why: 'Once TLS is up, the PostgreSQL conversation starts exactly as it would in plain text, only encrypted.',
    rfc: 'PostgreSQL protocol §55.7 (StartupMessage)',
  },
};
