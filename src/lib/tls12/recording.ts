/**
 * Forward secrecy, shown: what someone who recorded a connection can do once the server's long-term private key
 * leaks. With the static-RSA key exchange (TLS_RSA_WITH_*) the ClientKeyExchange carries the pre-master secret
 * encrypted to that key (RFC 5246 §7.4.7.1), so the recording decrypts completely. With ECDHE the pre-master
 * secret came from ephemeral keys that never crossed the wire and were thrown away; the long-term key only signed
 * the server's share (RFC 8422 §5.4), so the recording stays closed.
 */
import { concatBytes } from '../bytes/index.ts';
import {
  cipherSuite,
  createCryptoProvider,
  deriveSessionKeys,
  directionKeys,
  openRecord,
  type CryptoProvider,
} from './crypto/index.ts';
import type { MessageEntry, RecordEntry, EventLog } from './handshake/event-log.ts';
import type { HandshakeMessage } from './wire/handshake.ts';

export interface DecryptedRecord {
  readonly from: 'client' | 'server';
  readonly seq: string;
  readonly contentType: number;
  readonly plaintext: Uint8Array;
}

export type RecordingAttack =
  | {
      readonly decrypted: true;
      readonly suite: string;
      readonly preMasterSecret: Uint8Array;
      readonly masterSecret: Uint8Array;
      readonly records: readonly DecryptedRecord[];
      readonly explanation: string;
    }
  | { readonly decrypted: false; readonly suite: string; readonly explanation: string };

function message<T extends HandshakeMessage['type']>(
  eventLog: EventLog,
  type: T,
): (MessageEntry & { message: Extract<HandshakeMessage, { type: T }> }) | undefined {
  return eventLog.find(
    (e): e is MessageEntry & { message: Extract<HandshakeMessage, { type: T }> } =>
      e.kind === 'message' && e.message.type === type,
  );
}

/**
 * Replays a recorded handshake with the server's private key (PKCS#8 DER) as the only extra knowledge:
 * recovers the pre-master secret, derives the keys and opens every encrypted record.
 */
export async function attackRecording(
  eventLog: EventLog,
  serverPrivateKey: Uint8Array,
  provider: CryptoProvider = createCryptoProvider(),
): Promise<RecordingAttack> {
  const hello = message(eventLog, 'client_hello');
  const serverHello = message(eventLog, 'server_hello');
  const cke = message(eventLog, 'client_key_exchange');
  if (!hello || !serverHello || !cke) {
    return {
      decrypted: false,
      suite: 'unknown',
      explanation: 'The recording has no complete key exchange to attack.',
    };
  }
  const suite = cipherSuite(serverHello.message.cipherSuite);
  if (!suite)
    throw new Error(
      `attackRecording: cipher suite 0x${serverHello.message.cipherSuite.toString(16)} is not implemented`,
    );
  if (suite.kex !== 'rsa') {
    return {
      decrypted: false,
      suite: suite.name,
      explanation:
        "ECDHE: the pre-master secret is the Diffie-Hellman result of two ephemeral private keys that never crossed the wire and were discarded after the handshake. The leaked long-term key only signed the server's share, so it opens nothing: this is forward secrecy.",
    };
  }
  // ClientKeyExchange body: a 2-byte length, then the RSA-encrypted pre-master secret (RFC 5246 §7.4.7.1).
  const encrypted = cke.bytes.subarray(6);
  const privateKey = await provider.importPrivateKey(serverPrivateKey);
  const preMasterSecret = await provider.rsaDecryptPreMasterSecret(
    privateKey,
    encrypted,
    hello.message.clientVersion,
  );
  const ems = (serverHello.message.extensions ?? []).some((x) => x.kind === 'extended_master_secret');
  let sessionHash: Uint8Array | undefined;
  if (ems) {
    // RFC 7627 §3: the hash of every handshake message up to and including the ClientKeyExchange.
    const messages: Uint8Array[] = [];
    for (const e of eventLog) {
      if (e.kind !== 'message') continue;
      messages.push(e.bytes);
      if (e === cke) break;
    }
    sessionHash = await provider.digest(suite.prfHash, concatBytes(...messages));
  }
  const session = await deriveSessionKeys(provider, {
    suite,
    preMasterSecret,
    clientRandom: hello.message.random,
    serverRandom: serverHello.message.random,
    ...(sessionHash ? { sessionHash } : {}),
  });
  const records: DecryptedRecord[] = [];
  for (const e of eventLog) {
    if (e.kind !== 'record' || !e.encrypted) continue;
    const r = e as RecordEntry;
    const { plaintext } = await openRecord(provider, suite, directionKeys(session.keys, r.from), {
      contentType: r.contentType,
      version: r.version,
      fragment: r.bytes.subarray(5),
      sequenceNumber: BigInt(r.seq),
    });
    records.push({ from: r.from, seq: r.seq, contentType: r.contentType, plaintext });
  }
  return {
    decrypted: true,
    suite: suite.name,
    preMasterSecret,
    masterSecret: session.masterSecret,
    records,
    explanation:
      "Static RSA: the pre-master secret crossed the wire encrypted to the server's long-term key. With that key, a recording made years ago decrypts completely: no forward secrecy.",
  };
}
