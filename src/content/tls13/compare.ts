/**
 * The words of the TLS 1.2 / TLS 1.3 comparison (src/app/model/handshake/compare.ts computes the rows from the two
 * runs' event logs; this file only says what each row is for and what TLS 1.3 removed). Source: RFC 8446.
 */
import type { DisappearedId, Purpose } from '../../app/model/handshake/compare';

export interface PurposeText {
  readonly title: string;
  /** What the row is for, in one sentence. */
  readonly what: string;
}

export const PURPOSE_TEXT: Record<Purpose, PurposeText> = {
  offer: {
    title: 'Offer',
    what: 'The client says what it can do: versions, cipher suites, groups, signature schemes. In TLS 1.3 it already sends its key share.',
  },
  retry: {
    title: 'Retry (HelloRetryRequest)',
    what: 'The server wants a key share for another group: the client sends a second ClientHello, and pays a round trip for its wrong guess.',
  },
  choose: {
    title: 'Choose parameters',
    what: 'The server picks the version and suite. TLS 1.3 keeps only what the key exchange needs in the clear ServerHello; the rest goes in EncryptedExtensions.',
  },
  'key-exchange': {
    title: 'Key exchange',
    what: 'Both sides contribute to a shared secret. TLS 1.2 spends messages on it after the hellos (ECDHE: ServerKeyExchange and ClientKeyExchange; static RSA: the client’s ClientKeyExchange alone); TLS 1.3 puts the key shares in the hellos themselves.',
  },
  'server-identity': {
    title: 'Server identity',
    what: 'The server sends its certificate chain. In TLS 1.2 anyone on the path reads it; in TLS 1.3 it is encrypted.',
  },
  'proof-of-key': {
    title: 'Proof of the private key',
    what: "The server shows it holds the certificate's private key: TLS 1.2 signs its ServerKeyExchange (or, with static RSA, only its Finished shows it could decrypt the pre-master secret); TLS 1.3 signs the transcript up to its Certificate in CertificateVerify (RFC 8446 §4.4.3).",
  },
  'client-identity': {
    title: 'Client identity',
    what: 'When the server asks, the client sends its own certificate and signs for it.',
  },
  'server-done': {
    title: 'End of the server’s turn',
    what: 'TLS 1.2 needs an empty ServerHelloDone to say the server has finished talking; in TLS 1.3 the server’s Finished ends its flight.',
  },
  'switch-to-encryption': {
    title: 'Switch to encryption',
    what: 'TLS 1.2 announces the new keys with a ChangeCipherSpec record from each side; TLS 1.3 derives them in its key schedule and simply encrypts, sending a ChangeCipherSpec only to calm old middleboxes.',
  },
  confirmation: {
    title: 'Handshake confirmation',
    what: 'Each side proves, with a MAC over the transcript, that both saw the same handshake: nothing was altered on the way.',
  },
  'application-data': {
    title: 'First application data',
    what: 'The first record of real data each side sends, encrypted under the traffic keys.',
  },
  tickets: {
    title: 'Session tickets',
    what: 'What the client may keep to resume later. TLS 1.3 sends NewSessionTicket after the handshake, encrypted.',
  },
};

export interface DisappearedText {
  readonly title: string;
  readonly what: string;
  readonly rfc: string;
}

export const DISAPPEARED_TEXT: Record<DisappearedId, DisappearedText> = {
  'static-rsa': {
    title: 'Static RSA key exchange',
    what: 'The client can no longer encrypt the pre-master secret to the server’s certificate key: whoever later obtains that key could decrypt every recorded session. A full TLS 1.3 handshake is always ephemeral (EC)DHE, so it has forward secrecy; only a resumption in psk_ke mode (the pre-shared key alone) goes without it (RFC 8446 §2.2).',
    rfc: 'RFC 8446 §1.2',
  },
  'change-cipher-spec': {
    title: 'ChangeCipherSpec as a real message',
    what: 'Records simply become encrypted once the key schedule has the keys. A TLS 1.3 peer may still send one ChangeCipherSpec in clear so middleboxes that expect TLS 1.2 let the connection through; the receiver drops it.',
    rfc: 'RFC 8446 §5, §D.4',
  },
  renegotiation: {
    title: 'Renegotiation',
    what: 'A second handshake inside the connection is forbidden: a ClientHello after the handshake ends the connection with unexpected_message. KeyUpdate replaces it for fresh keys, post-handshake authentication for a late client certificate.',
    rfc: 'RFC 8446 §4.1.2, §4.6',
  },
  compression: {
    title: 'Compression',
    what: 'Compressing before encrypting leaks secrets through the ciphertext’s length (CRIME). TLS 1.3 keeps the field for compatibility, and it must hold only "null".',
    rfc: 'RFC 8446 §1.2, §4.1.2',
  },
};
