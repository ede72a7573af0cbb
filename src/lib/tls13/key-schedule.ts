/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1) as named, inspectable steps. Every value is a `KeyStep`: the
 * shared `Derivation` (name, value, inputs, formula, source) plus an `openssl kdf` command line that
 * recomputes it with the real OpenSSL (HKDF in EXTRACT_ONLY or EXPAND_ONLY mode).
 *
 *             0
 *             |
 *   PSK ->  HKDF-Extract = Early Secret
 *             +-----> Derive-Secret(., "derived", "")
 *             v
 *   (EC)DHE -> HKDF-Extract = Handshake Secret
 *             +-----> Derive-Secret(., "c hs traffic", ClientHello...ServerHello)
 *             +-----> Derive-Secret(., "s hs traffic", ClientHello...ServerHello)
 *             +-----> Derive-Secret(., "derived", "")
 *             v
 *   0 -> HKDF-Extract = Master Secret
 *             +-----> Derive-Secret(., "c ap traffic" | "s ap traffic" | "exp master", ClientHello...server Finished)
 *             +-----> Derive-Secret(., "res master", ClientHello...client Finished)
 *
 *   HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length)
 *     struct { uint16 length = Length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255> = Context; } HkdfLabel;
 *   Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
 */
import { Writer } from '../bytes/index.ts';
import { asciiBytes } from '../tls12/crypto/bytes-util.ts';
import {
  concatBytes,
  hashLength,
  hkdfExpand,
  formatTls13KeyLogLine,
  hkdfExtract,
  input,
  toHex,
  type CryptoProvider,
  type Derivation,
  type HashName,
} from '../tls12/crypto/index.ts';
import { HandshakeType, messageTitle } from '../tls12/wire/index.ts';
import type { Tls13Suite } from './suites.ts';

/** A derivation with the command that recomputes it. */
export interface KeyStep extends Derivation {
  /** `openssl kdf ... HKDF`: prints `value` as colon-separated upper-case hex. */
  openssl: string;
  /** HKDF-Extract's input keying material, by its input's name (`inputs` names the salt too). */
  ikm?: string;
}

export type Tls13Hash = Tls13Suite['hash'];

const OPENSSL_DIGEST: Record<Tls13Hash, string> = { sha256: 'SHA256', sha384: 'SHA384' };

/** The HkdfLabel structure (RFC 8446 §7.1). */
export function hkdfLabel(label: string, context: Uint8Array, length: number): Uint8Array {
  const w = new Writer();
  w.u16(length);
  w.vec8(asciiBytes(`tls13 ${label}`));
  w.vec8(context);
  return w.finish();
}

/** HKDF-Extract(salt, IKM) as step `name`. An empty salt is shown to openssl as it is (RFC 5869 §2.2: zeros). */
export async function extractStep(
  provider: CryptoProvider,
  hash: Tls13Hash,
  name: string,
  salt: { name: string; value: Uint8Array },
  ikm: { name: string; value: Uint8Array },
): Promise<KeyStep> {
  const value = await hkdfExtract(provider, hash, salt.value, ikm.value);
  return {
    name,
    value,
    inputs: [input(salt.name, salt.value), input(ikm.name, ikm.value)],
    formula: `HKDF-Extract(salt = ${salt.name}, IKM = ${ikm.name})`,
    ikm: ikm.name,
    source: 'RFC 8446 §7.1, RFC 5869 §2.2',
    openssl:
      `openssl kdf -keylen ${value.length} -kdfopt digest:${OPENSSL_DIGEST[hash]} -kdfopt mode:EXTRACT_ONLY` +
      ` -kdfopt hexkey:${toHex(ikm.value)} -kdfopt hexsalt:${toHex(salt.value)} HKDF`,
  };
}

/** HKDF-Expand-Label(secret, label, context, length) as step `name`. */
export async function expandLabelStep(
  provider: CryptoProvider,
  hash: Tls13Hash,
  name: string,
  secret: { name: string; value: Uint8Array },
  label: string,
  context: { name: string; value: Uint8Array },
  length: number,
): Promise<KeyStep> {
  const info = hkdfLabel(label, context.value, length);
  const value = await hkdfExpand(provider, hash, secret.value, info, length);
  return {
    name,
    value,
    inputs: [input(secret.name, secret.value), input('HkdfLabel', info), input(context.name, context.value)],
    formula: `HKDF-Expand-Label(${secret.name}, "${label}", ${context.name}, ${length})`,
    source: 'RFC 8446 §7.1',
    openssl:
      `openssl kdf -keylen ${length} -kdfopt digest:${OPENSSL_DIGEST[hash]} -kdfopt mode:EXPAND_ONLY` +
      ` -kdfopt hexkey:${toHex(secret.value)} -kdfopt hexinfo:${toHex(info)} HKDF`,
  };
}

/** Derive-Secret(secret, label, Messages), given Transcript-Hash(Messages) (the empty string's hash for ""). */
export function deriveSecretStep(
  provider: CryptoProvider,
  hash: Tls13Hash,
  name: string,
  secret: { name: string; value: Uint8Array },
  label: string,
  transcript: { name: string; value: Uint8Array },
): Promise<KeyStep> {
  return expandLabelStep(provider, hash, name, secret, label, transcript, hashLength(hash));
}

/** Transcript-Hash(M1, M2, ... Mn) = Hash(M1 || M2 || ... || Mn) (RFC 8446 §4.4.1), whole handshake messages. */
export function transcriptHash(
  provider: CryptoProvider,
  hash: HashName,
  messages: readonly Uint8Array[],
): Promise<Uint8Array> {
  return provider.digest(hash, concatBytes(...messages));
}

const named = (name: string, value: Uint8Array) => ({ name, value });

export interface HandshakeSecrets {
  earlySecret: Uint8Array;
  handshakeSecret: Uint8Array;
  clientHandshakeTrafficSecret: Uint8Array;
  serverHandshakeTrafficSecret: Uint8Array;
  steps: KeyStep[];
}

/**
 * From the (EC)DHE shared secret and Transcript-Hash(ClientHello...ServerHello) to the handshake traffic
 * secrets. Without a PSK the early secret's IKM is Hash.length zeros.
 */
export async function computeHandshakeSecrets(
  provider: CryptoProvider,
  args: { hash: Tls13Hash; sharedSecret: Uint8Array; helloHash: Uint8Array; psk?: Uint8Array },
): Promise<HandshakeSecrets> {
  const { hash } = args;
  const zeros = new Uint8Array(hashLength(hash));
  const emptyHash = await transcriptHash(provider, hash, []);
  const early = await extractStep(
    provider,
    hash,
    'early_secret',
    named('0', new Uint8Array(0)),
    args.psk ? named('PSK', args.psk) : named('0 (no PSK)', zeros),
  );
  const derivedEarly = await deriveSecretStep(
    provider,
    hash,
    'derived_early',
    named('early_secret', early.value),
    'derived',
    named('Transcript-Hash("")', emptyHash),
  );
  const handshake = await extractStep(
    provider,
    hash,
    'handshake_secret',
    named('derived_early', derivedEarly.value),
    named('(EC)DHE shared secret', args.sharedSecret),
  );
  const hs = named('handshake_secret', handshake.value);
  const hello = named('Transcript-Hash(ClientHello...ServerHello)', args.helloHash);
  const client = await deriveSecretStep(
    provider,
    hash,
    'client_handshake_traffic_secret',
    hs,
    'c hs traffic',
    hello,
  );
  const server = await deriveSecretStep(
    provider,
    hash,
    'server_handshake_traffic_secret',
    hs,
    's hs traffic',
    hello,
  );
  return {
    earlySecret: early.value,
    handshakeSecret: handshake.value,
    clientHandshakeTrafficSecret: client.value,
    serverHandshakeTrafficSecret: server.value,
    steps: [early, derivedEarly, handshake, client, server],
  };
}

export interface ApplicationSecrets {
  masterSecret: Uint8Array;
  clientApplicationTrafficSecret: Uint8Array;
  serverApplicationTrafficSecret: Uint8Array;
  exporterMasterSecret: Uint8Array;
  steps: KeyStep[];
}

/** From the handshake secret and Transcript-Hash(ClientHello...server Finished) to the application secrets. */
export async function computeApplicationSecrets(
  provider: CryptoProvider,
  args: { hash: Tls13Hash; handshakeSecret: Uint8Array; serverFinishedHash: Uint8Array },
): Promise<ApplicationSecrets> {
  const { hash } = args;
  const emptyHash = await transcriptHash(provider, hash, []);
  const derived = await deriveSecretStep(
    provider,
    hash,
    'derived_handshake',
    named('handshake_secret', args.handshakeSecret),
    'derived',
    named('Transcript-Hash("")', emptyHash),
  );
  const master = await extractStep(
    provider,
    hash,
    'master_secret',
    named('derived_handshake', derived.value),
    named('0', new Uint8Array(hashLength(hash))),
  );
  const ms = named('master_secret', master.value);
  const th = named('Transcript-Hash(ClientHello...server Finished)', args.serverFinishedHash);
  const client = await deriveSecretStep(
    provider,
    hash,
    'client_application_traffic_secret_0',
    ms,
    'c ap traffic',
    th,
  );
  const server = await deriveSecretStep(
    provider,
    hash,
    'server_application_traffic_secret_0',
    ms,
    's ap traffic',
    th,
  );
  const exporter = await deriveSecretStep(provider, hash, 'exporter_master_secret', ms, 'exp master', th);
  return {
    masterSecret: master.value,
    clientApplicationTrafficSecret: client.value,
    serverApplicationTrafficSecret: server.value,
    exporterMasterSecret: exporter.value,
    steps: [derived, master, client, server, exporter],
  };
}

/** resumption_master_secret = Derive-Secret(master_secret, "res master", ClientHello...client Finished). */
export function resumptionMasterSecret(
  provider: CryptoProvider,
  hash: Tls13Hash,
  masterSecret: Uint8Array,
  clientFinishedHash: Uint8Array,
): Promise<KeyStep> {
  return deriveSecretStep(
    provider,
    hash,
    'resumption_master_secret',
    named('master_secret', masterSecret),
    'res master',
    named('Transcript-Hash(ClientHello...client Finished)', clientFinishedHash),
  );
}

export interface TrafficKeys {
  key: Uint8Array;
  iv: Uint8Array;
  steps: [KeyStep, KeyStep];
}

/** [sender]_write_key and [sender]_write_iv of a traffic secret (RFC 8446 §7.3). `secretName` names both. */
export async function trafficKeys(
  provider: CryptoProvider,
  suite: Tls13Suite,
  secretName: string,
  secret: Uint8Array,
): Promise<TrafficKeys> {
  const s = named(secretName, secret);
  const empty = named('""', new Uint8Array(0));
  const key = await expandLabelStep(
    provider,
    suite.hash,
    `${secretName}.key`,
    s,
    'key',
    empty,
    suite.keyLength,
  );
  const iv = await expandLabelStep(provider, suite.hash, `${secretName}.iv`, s, 'iv', empty, suite.ivLength);
  return { key: key.value, iv: iv.value, steps: [key, iv] };
}

/** finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (RFC 8446 §4.4.4). */
export function finishedKey(
  provider: CryptoProvider,
  hash: Tls13Hash,
  baseKeyName: string,
  baseKey: Uint8Array,
): Promise<KeyStep> {
  return expandLabelStep(
    provider,
    hash,
    `${baseKeyName}.finished_key`,
    named(baseKeyName, baseKey),
    'finished',
    named('""', new Uint8Array(0)),
    hashLength(hash),
  );
}

/**
 * The name of the transcript a Finished from `sender` covers (RFC 8446 §4.4.4), by the last message actually in it:
 * a client's ends with the server's Finished unless the client sent a Certificate (and CertificateVerify) or
 * EndOfEarlyData after it; a server's with its CertificateVerify, or its EncryptedExtensions under a PSK alone.
 * `from`: how the name begins (post-handshake authentication's covers the handshake, then its CertificateRequest).
 */
export function finishedTranscriptName(
  sender: 'client' | 'server',
  transcript: readonly Uint8Array[],
  from = 'ClientHello',
): string {
  const type = transcript[transcript.length - 1]?.[0] ?? HandshakeType.values.client_hello;
  const owner = sender === 'client' && type === HandshakeType.values.finished ? 'server' : sender;
  return `Transcript-Hash(${from}...${owner} ${messageTitle(HandshakeType.format(type))})`;
}

/**
 * verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*))
 * (RFC 8446 §4.4.4). HMAC(key, data) is HKDF-Extract(salt = key, IKM = data), which is how openssl recomputes it.
 */
export async function verifyData(
  provider: CryptoProvider,
  hash: Tls13Hash,
  name: string,
  finishedKeyValue: Uint8Array,
  transcript: { name: string; value: Uint8Array },
): Promise<KeyStep> {
  const step = await extractStep(provider, hash, name, named('finished_key', finishedKeyValue), transcript);
  return { ...step, formula: `HMAC(finished_key, ${transcript.name})`, source: 'RFC 8446 §4.4.4' };
}

/**
 * The connection's NSS key log lines, in the order OpenSSL writes them (Wireshark reads any order): server then
 * client handshake traffic secret, exporter, server then client application traffic secret 0.
 */
export function tls13KeyLogLines(
  clientRandom: Uint8Array,
  hs: Pick<HandshakeSecrets, 'clientHandshakeTrafficSecret' | 'serverHandshakeTrafficSecret'>,
  app: Pick<
    ApplicationSecrets,
    'clientApplicationTrafficSecret' | 'serverApplicationTrafficSecret' | 'exporterMasterSecret'
  >,
): string[] {
  return [
    formatTls13KeyLogLine('server_handshake_traffic_secret', clientRandom, hs.serverHandshakeTrafficSecret),
    formatTls13KeyLogLine('client_handshake_traffic_secret', clientRandom, hs.clientHandshakeTrafficSecret),
    formatTls13KeyLogLine('exporter_master_secret', clientRandom, app.exporterMasterSecret),
    formatTls13KeyLogLine(
      'server_application_traffic_secret_0',
      clientRandom,
      app.serverApplicationTrafficSecret,
    ),
    formatTls13KeyLogLine(
      'client_application_traffic_secret_0',
      clientRandom,
      app.clientApplicationTrafficSecret,
    ),
  ];
}
