import type { Lesson } from './types';

export const handshakeLesson: Lesson = {
  id: 'tls12-handshake',
  title: 'The TLS 1.2 handshake, message by message',
  summary:
    'From ClientHello to Finished: what each message carries, when encryption starts, and how a fault ends in an alert.',
  steps: [
    {
      id: 'client-hello',
      title: 'ClientHello: the client proposes',
      body: 'The client opens with a ClientHello: the highest version it speaks (`client_version` 3,3 = TLS 1.2), 32 random bytes, the cipher suites it offers in its order of preference, and extensions such as server_name (SNI, here `db.example.com`) and extended_master_secret.\n\nNothing is encrypted yet: everything in this record is readable by anyone on the path. Select fields in the byte view to see what each byte means.',
      lab: 'handshake',
      state: { step: '0' },
      notes:
        'Point at the cipher suite list and SNI. Ask: what could an observer learn already? (the host name, the client software from its suite order).',
    },
    {
      id: 'server-flight',
      title: 'The server answers: ServerHello to ServerHelloDone',
      body: "The server picks ONE suite the client offered, sends its own random, then its certificate chain. With an ECDHE suite it also sends ServerKeyExchange: an ephemeral public key signed with the certificate's private key. ServerHelloDone says it is the client's turn.\n\nPress Next in the lab to step from the ClientHello to these messages and compare the messages with the sequence diagram.",
      lab: 'handshake',
      state: {},
      notes:
        'The signature in ServerKeyExchange is what ties the ephemeral key to the certificate. Without it anyone could substitute their own key.',
    },
    {
      id: 'key-exchange',
      title: 'ClientKeyExchange, ChangeCipherSpec, Finished',
      body: "The client sends its own ephemeral public key (ClientKeyExchange). Both sides now compute the same pre-master secret, derive the master secret with the PRF over both randoms (or the session hash, with extended master secret), and from it the record keys.\n\nChangeCipherSpec switches the sender to the new keys; the first encrypted message is Finished, whose verify_data is a PRF over the whole handshake transcript. Each side checks the other's Finished: that is what detects a tampered handshake. Step on to the end of the run in the lab to see both Finished messages, then the application data.",
      lab: 'handshake',
      state: {},
      notes:
        'Open the secrets panel: the pre-master secret is never on the wire. Finished is the first message protected by the negotiated keys.',
    },
    {
      id: 'version-mismatch',
      title: 'Predict: the client speaks at most TLS 1.2, the server requires TLS 1.3',
      body: 'Now the client speaks at most TLS 1.2 (psql with `ssl_max_protocol_version=TLSv1.2`), but the server requires TLS 1.3 (`ssl_min_protocol_version = TLSv1.3`). The ClientHello is the same shape as before: `client_version` 3,3 and no supported_versions extension offering TLS 1.3.',
      lab: 'handshake',
      state: { fault: 'version-mismatch' },
      notes: 'Let the room vote before revealing. The alert name is what psql prints after "SSL error:".',
      checkpoint: {
        question: 'What does the server do with this ClientHello?',
        choices: [
          { id: 'downgrade', text: 'It answers with TLS 1.2 anyway' },
          { id: 'alert', text: 'It refuses with a fatal protocol_version alert' },
          { id: 'silent', text: 'It closes the connection without a word' },
        ],
        answer: 'alert',
        explanation:
          'The server finds no version it accepts in the ClientHello and sends a fatal protocol_version alert (RFC 5246 §E.1). libpq prints "SSL error: tlsv1 alert protocol version" and adds that the server may not support any SSL protocol version between TLSv1.2 and TLSv1.2.',
      },
    },
    {
      id: 'tampered-record',
      title: 'Predict: a byte flipped on the wire',
      body: 'An attacker on the path flips one byte of the encrypted Finished record. The suite is AES-GCM, an AEAD: every record carries an authentication tag.',
      lab: 'handshake',
      state: { fault: 'tampered-record' },
      notes: 'Contrast with the next step (tampered Finished): same symptom for the user, different alert.',
      checkpoint: {
        question: 'Which alert does the server send?',
        choices: [
          { id: 'bad_record_mac', text: 'bad_record_mac' },
          { id: 'decrypt_error', text: 'decrypt_error' },
          { id: 'none', text: 'None: the handshake completes with a corrupted key' },
        ],
        answer: 'bad_record_mac',
        explanation:
          'The AEAD tag no longer verifies, so the record is rejected before its content is read: bad_record_mac. The server cannot tell what was changed, only that something was.',
      },
    },
    {
      id: 'tampered-finished',
      title: 'A tampered Finished',
      body: "This time the client itself flips a bit of verify_data BEFORE encrypting. The record decrypts fine (the tag covers the tampered plaintext), but verify_data does not match the server's own PRF over the handshake hash, so the server sends decrypt_error (RFC 5246 §7.4.9, §7.2.2).\n\nThat is the end of the lesson: every message, where encryption starts, and the two checks (record tag, Finished) that catch tampering.",
      lab: 'handshake',
      state: { fault: 'tampered-finished' },
      notes:
        'Recap: ClientHello / server flight / key exchange / Finished. Two integrity checks: record MAC and Finished.',
    },
  ],
};
