import type { Lesson } from './types';

export const forwardSecrecyLesson: Lesson = {
  id: 'forward-secrecy',
  title: 'Forward secrecy',
  summary:
    'Static RSA key exchange versus ECDHE: what an eavesdropper who records today and steals the key tomorrow can read.',
  steps: [
    {
      id: 'eve-ecdhe',
      title: 'What an eavesdropper sees',
      body: 'The eavesdropper view is on: for each record you see the bytes on the wire. After ChangeCipherSpec only a 5-byte header, the 8-byte explicit nonce of an AES-GCM record and ciphertext are visible. The size and the timing leak; the content does not.\n\nThis run uses an ECDHE suite: both sides make a fresh key pair for this handshake only.',
      lab: 'handshake',
      state: { eve: '1' },
      notes:
        'Step through with the eavesdropper view: the ClientHello and certificates are readable in TLS 1.2, the data is not.',
    },
    {
      id: 'static-rsa',
      title: 'Static RSA: suite 009c',
      body: "Now the client offers only RSA-AES128-GCM-SHA256 (0x009c). There is no ServerKeyExchange. In ClientKeyExchange the client sends the pre-master secret (03 03 + 46 random bytes) encrypted to the server certificate's RSA key.",
      lab: 'handshake',
      state: { offer: '009c', eve: '1' },
      notes: 'Compare the message list with the previous step: ServerKeyExchange is gone.',
      checkpoint: {
        question:
          "An attacker records this connection today and steals the server's private key next year. Can they read the recording?",
        choices: [
          { id: 'yes', text: 'Yes: the key decrypts the pre-master secret, and everything follows from it' },
          { id: 'no', text: 'No: the session keys were random and are gone' },
        ],
        answer: 'yes',
        explanation:
          'With static RSA the pre-master secret travels encrypted to the long-term key. Whoever later steals that key decrypts it from the recording, derives the master secret and the record keys: no forward secrecy.',
      },
    },
    {
      id: 'ecdhe',
      title: 'Predict: the same theft with ECDHE',
      body: 'Back to ECDHE-RSA-AES128-GCM-SHA256 (0xc02f). The RSA key only SIGNS the ephemeral ECDHE public key in ServerKeyExchange; it encrypts nothing.',
      lab: 'handshake',
      state: { offer: 'c02f', eve: '1' },
      notes:
        'The ephemeral private keys appear in the secrets panel because the lab runs both ends; a real endpoint discards them.',
      checkpoint: {
        question: 'The attacker steals the RSA key next year. Can they read this recording?',
        choices: [
          { id: 'yes', text: 'Yes, the same way as with static RSA' },
          { id: 'no', text: 'No: the pre-master secret came from ephemeral keys that no longer exist' },
        ],
        answer: 'no',
        explanation:
          'The pre-master secret is the ECDH of two ephemeral key pairs whose private halves are never sent and are discarded after the handshake. The stolen RSA key lets the attacker impersonate the server in FUTURE handshakes, but not decrypt past ones: forward secrecy.',
      },
    },
    {
      id: 'takeaway',
      title: 'Take-away',
      body: 'Prefer ECDHE suites (every modern server does; TLS 1.3 has no static RSA at all). For a PostgreSQL server, keep static RSA suites out of ssl_ciphers, so that no old client can negotiate one.',
      lab: 'handshake',
      state: { offer: '009c,c02f', accept: 'c02f,009c' },
      notes: 'Here the client offers both; the server prefers ECDHE and picks it.',
    },
  ],
};
