import type { Lesson } from './types';

export const tls13Lesson: Lesson = {
  id: 'tls13-one-round-trip',
  title: 'TLS 1.3 in one round trip',
  summary:
    'The handshake psql negotiates today: one round trip, the certificate encrypted, a key schedule instead of a PRF, and what TLS 1.3 does when the first guess is wrong.',
  steps: [
    {
      id: 'client-hello',
      title: 'ClientHello: the client guesses',
      body: 'This is a TLS 1.3 run between our client and our server. The ClientHello still says `legacy_version` 3,3 (TLS 1.2): too many servers reject a hello with a version higher than theirs instead of answering with their own ("version intolerance", RFC 8446 §4.1.2). The real offer is in the supported_versions extension, which lists TLS 1.3.\n\nThe big change is key_share: the client already sends an ephemeral x25519 public key in its first message. In TLS 1.2 the key exchange waited for the server\'s ServerKeyExchange; here the client guesses which group the server will accept and sends its half at once.',
      lab: 'handshake',
      state: { tls: '1.3', pg: 'sslrequest', step: '2' },
      notes:
        'Open the key_share extension in the field tree. Ask the room what the client risks by guessing (answer in the HelloRetryRequest step).',
      checkpoint: {
        question:
          'Counting from this ClientHello, when can the client send its first encrypted application data (for PostgreSQL, the StartupMessage)?',
        choices: [
          { id: 'one', text: "After one round trip: as soon as it has read the server's first flight" },
          { id: 'two', text: 'After two round trips, as in TLS 1.2' },
          { id: 'zero', text: 'At once, in the same flight as the ClientHello' },
        ],
        answer: 'one',
        explanation:
          "The server's first flight already carries everything: its key share, its certificate, its proof of the key and its Finished. The client answers with its own Finished and its data in the same flight. (Sending data in the very first flight is 0-RTT early data, which needs a resumed session; neither libpq nor our lab uses it.)",
      },
    },
    {
      id: 'encrypted-flight',
      title: 'The server flight: encrypted after ServerHello',
      body: "The eavesdropper view is on. Step through the server's flight: the ServerHello is in clear (it carries the server's key share), and from then on every handshake message travels in records of type application_data (23), encrypted under the handshake traffic keys: EncryptedExtensions, Certificate, CertificateVerify, Finished.\n\nThe ChangeCipherSpec you may see is a dummy kept for middleboxes (RFC 8446 §D.4): it changes nothing.",
      lab: 'handshake',
      state: { tls: '1.3', eve: '1' },
      notes:
        'Compare with the TLS 1.2 lesson: there the Certificate was readable by anyone on the path. Here the outer type is always application_data; the real type is the last non-zero byte inside.',
      checkpoint: {
        question: 'What can a passive eavesdropper read in this TLS 1.3 handshake?',
        choices: [
          { id: 'certificate', text: "The server's certificate, as in TLS 1.2" },
          { id: 'suite', text: 'The chosen cipher suite and key share group, but not the certificate' },
          { id: 'nothing', text: 'Nothing at all: even the ServerHello is encrypted' },
        ],
        answer: 'suite',
        explanation:
          "The ServerHello must be in clear: the client needs its key share to compute the keys. Every handshake message after it is encrypted, so the certificate (and with it the server's identity) is hidden. The server name in the ClientHello's SNI is still in clear.",
      },
    },
    {
      id: 'key-schedule',
      title: 'The key schedule',
      body: "TLS 1.2 derived everything from one master secret with its PRF. TLS 1.3 has a key schedule (RFC 8446 §7.1): HKDF-Extract turns the (EC)DHE shared secret into the handshake secret, HKDF-Expand-Label derives from it one traffic secret per direction, and again from the master secret the application traffic secrets. Each traffic secret is bound to the transcript hash at that point, and each Finished key comes from its side's handshake traffic secret.\n\nOpen the key schedule diagram in the lab: every secret shows its value in this run, and every one the key schedule derives (all but the (EC)DHE shared secret) its inputs and an `openssl kdf` command that recomputes it.",
      lab: 'handshake',
      state: { tls: '1.3' },
      notes:
        'The key log a browser or libpq writes (SSLKEYLOGFILE, sslkeylogfile=) holds five of these secrets per connection: the four traffic secrets, which are all Wireshark needs, and the exporter secret.',
    },
    {
      id: 'hello-retry',
      title: 'Predict: the guess was wrong',
      body: "The client sends its key share for x25519. The server, like PostgreSQL 15 to 17 with their default `ssl_ecdh_curve = prime256v1`, accepts only P-256. (PostgreSQL 18's `ssl_groups` default, `X25519:prime256v1`, accepts the client's guess.)",
      lab: 'handshake',
      state: { tls: '1.3', fault: 'tls13-hello-retry' },
      notes:
        'This is what a default psql connection to PostgreSQL 15-17 really does: a capture of it shows the HelloRetryRequest.',
      checkpoint: {
        question: 'What happens?',
        choices: [
          { id: 'fail', text: 'The server refuses with handshake_failure' },
          { id: 'hrr', text: 'The server asks for a P-256 share, and the client sends a second ClientHello' },
          { id: 'accept', text: 'The server uses x25519 anyway' },
        ],
        answer: 'hrr',
        explanation:
          'The server answers with a HelloRetryRequest (a ServerHello with a fixed random) naming the group it wants. The client sends a second ClientHello with a P-256 key share and the handshake goes on, one round trip longer. Only when the client supports no group the server accepts does it end in handshake_failure.',
      },
    },
    {
      id: 'downgrade',
      title: 'Predict: an attacker forces TLS 1.2',
      body: 'An attacker on the path hides the supported_versions extension in the ClientHello. The server, which speaks TLS 1.3 and 1.2, sees a TLS 1.2 client and answers in TLS 1.2. The attacker hopes for the weaker protocol.',
      lab: 'handshake',
      state: { tls: '1.3', fault: 'tls13-downgrade' },
      notes:
        "With an (EC)DHE suite the ServerHello.random is covered by the server's signature in ServerKeyExchange, so the attacker cannot erase the marker (with static RSA it could: RFC 8446 §4.1.3).",
      checkpoint: {
        question: 'Who notices?',
        choices: [
          { id: 'nobody', text: 'Nobody: the connection runs in TLS 1.2' },
          { id: 'client', text: "The client, from the last 8 bytes of the server's random" },
          { id: 'server', text: 'The server, from the missing extension' },
        ],
        answer: 'client',
        explanation:
          'A TLS 1.3 server that negotiates TLS 1.2 writes DOWNGRD and 01 into the last 8 bytes of ServerHello.random (RFC 8446 §4.1.3). A client that offered TLS 1.3 and finds them aborts with illegal_parameter.',
      },
    },
    {
      id: 'client-certificate',
      title: 'Predict: the server rejects the client certificate',
      body: 'The server asks for a client certificate (CertificateRequest, encrypted in its flight). The client sends one issued by a CA the server does not trust, with its CertificateVerify and Finished.',
      lab: 'handshake',
      state: { tls: '1.3', fault: 'tls13-client-cert-unknown-ca' },
      notes:
        "This is why psql may report a rejected client certificate only when it reads the server's answer to its StartupMessage.",
      checkpoint: {
        question: 'When does the client learn that its certificate was rejected?',
        choices: [
          { id: 'before', text: 'Before it sends its Finished' },
          { id: 'after', text: 'After its Finished: it has already considered the handshake complete' },
          { id: 'never', text: 'Never: the server silently ignores the certificate' },
        ],
        answer: 'after',
        explanation:
          "In TLS 1.3 the client's handshake is complete once it has sent its Finished; the server rejects the certificate as soon as it reads it and sends unknown_ca, but the client has already sent its whole flight (Certificate, CertificateVerify, Finished). It reads the alert with its next read. In TLS 1.2 the alert came in place of the server's Finished, while the client was still waiting in the handshake.",
      },
    },
    {
      id: 'side-by-side',
      title: 'TLS 1.2 and 1.3 side by side',
      body: 'The same connection in both versions, aligned by purpose. Count the round trips before the first application data, see which rows are encrypted in each, and read what TLS 1.3 removed: static RSA key exchange (no forward secrecy), ChangeCipherSpec as a real message, renegotiation and compression.',
      lab: 'handshake',
      state: { tls: 'both', pg: 'sslrequest' },
      notes: 'End on the question the lesson started with: what does psql really do before the first query?',
    },
  ],
};
