/**
 * Record protection for TLS 1.2 (RFC 5246 §6.2.3): TLSPlaintext.fragment <-> TLSCiphertext.fragment.
 *
 * - AEAD (RFC 5246 §6.2.3.3): additional_data = seq_num + TLSCompressed.type + TLSCompressed.version +
 *   TLSCompressed.length (13 bytes).
 *   - AES-GCM (RFC 5288 §3): nonce = salt (client/server_write_IV, 4 bytes) + nonce_explicit (8 bytes,
 *     sent in front of the ciphertext). We use the sequence number as nonce_explicit by default, which
 *     RFC 5288 §3 allows and which makes it unique per key. (OpenSSL 3.0 instead starts a per-direction
 *     counter at a random value and adds one per record, as node-tls-extended-master-secret.test.ts
 *     observes; a receiver takes whatever is on the wire.)
 *   - ChaCha20-Poly1305 (RFC 7905 §2): nonce = write_IV (12 bytes) XOR (4 zero bytes + seq_num); nothing
 *     explicit on the wire.
 * - CBC with HMAC-SHA1, -SHA256 or -SHA384 (RFC 5246 §6.2.3.2, RFC 5289): fragment = IV + E(content + MAC + padding + padding_length),
 *   MAC = HMAC_hash(MAC_write_key, seq_num + type + version + length + content) (§6.2.3.1).
 *   Opening never says which check failed: bad padding and bad MAC give the same CryptoError
 *   'bad-record-mac', and the MAC is computed even when the padding is bad ("as if there were a
 *   zero-length pad", §6.2.3.2 implementation note). JavaScript gives no timing guarantees beyond this.
 *
 * Every derived value (nonce, additional_data, MAC, padding) is reported as a Derivation for the UI.
 * Sequence numbers are per direction and per key (RFC 5246 §6.1); RecordProtection keeps one.
 */
import type { CryptoProvider } from './provider.ts';
import type { CipherSuiteInfo } from './suites.ts';
import type { ConnectionKeys } from './key-schedule.ts';
import { CryptoError } from './errors.ts';
import { input, type Derivation } from './derivation.ts';
import { bytesEqual, concatBytes, uint16Bytes, uint64Bytes } from './bytes-util.ts';
import { hashLength } from './hash.ts';
import { MAX_CIPHERTEXT_LENGTH, MAX_PLAINTEXT_LENGTH } from '../wire/record.ts';

const MAX_SEQUENCE_NUMBER = 0xffff_ffff_ffff_ffffn;

/** The keys one direction writes with (client_write_* for the client's records, server_write_* for the server's). */
export interface DirectionKeys {
  /** client/server_write_key */
  key: Uint8Array;
  /** client/server_write_IV: GCM salt (4), ChaCha IV (12), empty for CBC. */
  iv: Uint8Array;
  /** client/server_write_MAC_key (CBC only; empty for AEAD). */
  macKey: Uint8Array;
}

/** The keys with which `writer`'s records are protected. */
export function directionKeys(keys: ConnectionKeys, writer: 'client' | 'server'): DirectionKeys {
  return writer === 'client'
    ? { key: keys.clientWriteKey, iv: keys.clientWriteIv, macKey: keys.clientWriteMacKey }
    : { key: keys.serverWriteKey, iv: keys.serverWriteIv, macKey: keys.serverWriteMacKey };
}

export interface SealInput {
  /** ContentType: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data. */
  contentType: number;
  /** ProtocolVersion as uint16 (0x0303). */
  version: number;
  plaintext: Uint8Array;
  sequenceNumber: bigint;
  /**
   * The per-record explicit value, when the caller wants to choose it: GCM nonce_explicit (8 bytes,
   * default = seq_num) or CBC IV (16 bytes, default = provider.random(16)). Not allowed for ChaCha20.
   */
  explicitIv?: Uint8Array | undefined;
  /** CBC only: padding_length (0..255; padding_length + 1 + content + MAC must fill whole blocks). Default: minimal. */
  paddingLength?: number | undefined;
}

export interface SealResult {
  /** TLSCiphertext.fragment */
  fragment: Uint8Array;
  /** The whole record: type, version, length, fragment. */
  record: Uint8Array;
  derivations: Derivation[];
}

/** A sealed fragment framed as its record (type, version, length, fragment). */
function framed(args: SealInput, fragment: Uint8Array, derivations: Derivation[]): SealResult {
  return {
    fragment,
    record: concatBytes(recordHeader(args.contentType, args.version, fragment.length), fragment),
    derivations,
  };
}

export interface OpenInput {
  contentType: number;
  version: number;
  /** TLSCiphertext.fragment */
  fragment: Uint8Array;
  sequenceNumber: bigint;
  /**
   * CBC suites only: the connection negotiated encrypt_then_mac (RFC 7366), so the MAC follows the encrypted
   * blocks and covers the IV and ciphertext. The engine never offers it; OpenSSL peers do, and the passive
   * observer must open what they send.
   */
  encryptThenMac?: boolean | undefined;
}

export interface OpenResult {
  /** TLSPlaintext.fragment */
  plaintext: Uint8Array;
  derivations: Derivation[];
}

function checkSequence(seq: bigint): void {
  if (seq < 0n || seq > MAX_SEQUENCE_NUMBER) {
    throw new CryptoError(
      'sequence-overflow',
      `sequence number ${seq} is outside 0..2^64-1 (RFC 5246 §6.1: renegotiate before it wraps)`,
    );
  }
}

function recordHeader(contentType: number, version: number, length: number): Uint8Array {
  return concatBytes(Uint8Array.of(contentType), uint16Bytes(version), uint16Bytes(length));
}

/** seq_num + type + version + length: the AEAD additional_data and the CBC MAC prefix. */
function additionalData(seq: bigint, contentType: number, version: number, length: number): Derivation {
  const seqBytes = uint64Bytes(seq);
  const header = recordHeader(contentType, version, length);
  return {
    name: 'additional_data',
    value: concatBytes(seqBytes, header),
    inputs: [
      input('seq_num', seqBytes),
      input('type', header.subarray(0, 1)),
      input('version', header.subarray(1, 3)),
      input('length', header.subarray(3, 5)),
    ],
    formula: 'seq_num + TLSCompressed.type + TLSCompressed.version + TLSCompressed.length',
    source: 'RFC 5246 §6.2.3.3',
  };
}

function bad(): CryptoError {
  return new CryptoError('bad-record-mac', 'record authentication failed (bad_record_mac)');
}

// --- AEAD --------------------------------------------------------------------------------------------

function aeadNonce(
  suite: CipherSuiteInfo,
  keys: DirectionKeys,
  seq: bigint,
  explicit: Uint8Array | undefined,
): { nonce: Derivation; explicit: Uint8Array } {
  if (suite.cipher === 'CHACHA20_POLY1305') {
    if (explicit)
      throw new CryptoError(
        'invalid-input',
        'ChaCha20-Poly1305 records have no explicit nonce (RFC 7905 §2)',
      );
    const padded = concatBytes(new Uint8Array(4), uint64Bytes(seq));
    const value = keys.iv.map((b, i) => b ^ padded[i]!);
    return {
      nonce: {
        name: 'nonce',
        value,
        inputs: [input('write_IV', keys.iv), input('padded_seq_num', padded)],
        formula: 'write_IV XOR (0x00000000 + seq_num)',
        source: 'RFC 7905 §2',
      },
      explicit: new Uint8Array(0),
    };
  }
  const nonceExplicit = explicit ?? uint64Bytes(seq);
  return {
    nonce: {
      name: 'nonce',
      value: concatBytes(keys.iv, nonceExplicit),
      inputs: [input('salt', keys.iv), input('nonce_explicit', nonceExplicit)],
      formula: 'salt (write_IV) + nonce_explicit',
      source: 'RFC 5288 §3',
    },
    explicit: nonceExplicit,
  };
}

function checkKeys(suite: CipherSuiteInfo, keys: DirectionKeys): void {
  if (
    keys.key.length !== suite.keyLength ||
    keys.iv.length !== suite.fixedIvLength ||
    keys.macKey.length !== suite.macKeyLength
  ) {
    throw new CryptoError(
      'invalid-input',
      `${suite.name}: keys of ${keys.key.length}/${keys.iv.length}/${keys.macKey.length} bytes (key/IV/MAC key), expected ${suite.keyLength}/${suite.fixedIvLength}/${suite.macKeyLength}`,
    );
  }
}

async function aeadSeal(
  provider: CryptoProvider,
  suite: CipherSuiteInfo,
  keys: DirectionKeys,
  args: SealInput,
): Promise<SealResult> {
  if (args.explicitIv && args.explicitIv.length !== 8)
    throw new CryptoError(
      'invalid-input',
      `GCM nonce_explicit: expected 8 bytes, got ${args.explicitIv.length}`,
    );
  const { nonce, explicit } = aeadNonce(suite, keys, args.sequenceNumber, args.explicitIv);
  const aad = additionalData(args.sequenceNumber, args.contentType, args.version, args.plaintext.length);
  const sealed =
    suite.cipher === 'CHACHA20_POLY1305'
      ? await provider.chacha20Poly1305Seal(keys.key, nonce.value, aad.value, args.plaintext)
      : await provider.aesGcmSeal(keys.key, nonce.value, aad.value, args.plaintext);
  const fragment = concatBytes(explicit, sealed);
  const derivations: Derivation[] = [nonce, aad];
  derivations.push({
    name: 'GenericAEADCipher',
    value: fragment,
    inputs: [
      input('nonce_explicit', explicit),
      input('write_key', keys.key),
      input('nonce', nonce.value),
      input('additional_data', aad.value),
      input('content', args.plaintext),
    ],
    formula:
      'nonce_explicit + AEAD-Encrypt(write_key, nonce, content, additional_data) (ciphertext + 16-byte tag)',
    source: 'RFC 5246 §6.2.3.3',
  });
  return framed(args, fragment, derivations);
}

async function aeadOpen(
  provider: CryptoProvider,
  suite: CipherSuiteInfo,
  keys: DirectionKeys,
  args: OpenInput,
): Promise<OpenResult> {
  const plaintextLength = args.fragment.length - suite.recordIvLength - suite.tagLength;
  if (plaintextLength < 0) throw bad();
  const explicit = suite.recordIvLength ? args.fragment.subarray(0, suite.recordIvLength) : undefined;
  const { nonce } = aeadNonce(suite, keys, args.sequenceNumber, explicit);
  const aad = additionalData(args.sequenceNumber, args.contentType, args.version, plaintextLength);
  const sealed = args.fragment.subarray(suite.recordIvLength);
  let plaintext: Uint8Array;
  try {
    plaintext =
      suite.cipher === 'CHACHA20_POLY1305'
        ? await provider.chacha20Poly1305Open(keys.key, nonce.value, aad.value, sealed)
        : await provider.aesGcmOpen(keys.key, nonce.value, aad.value, sealed);
  } catch (cause) {
    if (cause instanceof CryptoError && cause.kind === 'bad-record-mac') throw bad();
    throw cause;
  }
  return { plaintext, derivations: [nonce, aad] };
}

// --- CBC + HMAC ----------------------------------------------------------------------------------------

async function cbcMac(
  provider: CryptoProvider,
  suite: CipherSuiteInfo,
  keys: DirectionKeys,
  header: { sequenceNumber: bigint; contentType: number; version: number },
  content: Uint8Array,
): Promise<{ aad: Derivation; mac: Derivation }> {
  const aad = additionalData(header.sequenceNumber, header.contentType, header.version, content.length);
  aad.source = 'RFC 5246 §6.2.3.1';
  const value = await provider.hmac(suite.macHash!, keys.macKey, concatBytes(aad.value, content));
  return {
    aad,
    mac: {
      name: 'MAC',
      value,
      inputs: [
        input('MAC_write_key', keys.macKey),
        input('seq_num + type + version + length', aad.value),
        input('content', content),
      ],
      formula: `HMAC-${suite.macHash!.toUpperCase()}(MAC_write_key, seq_num + TLSCompressed.type + TLSCompressed.version + TLSCompressed.length + TLSCompressed.fragment)`,
      source: 'RFC 5246 §6.2.3.1',
    },
  };
}

async function cbcSeal(
  provider: CryptoProvider,
  suite: CipherSuiteInfo,
  keys: DirectionKeys,
  args: SealInput,
): Promise<SealResult> {
  const iv = args.explicitIv ?? provider.random(16);
  if (iv.length !== 16) throw new CryptoError('invalid-input', `CBC IV: expected 16 bytes, got ${iv.length}`);
  const { aad, mac } = await cbcMac(provider, suite, keys, args, args.plaintext);
  const unpadded = args.plaintext.length + mac.value.length + 1;
  const paddingLength = args.paddingLength ?? (16 - (unpadded % 16)) % 16;
  if (
    !Number.isInteger(paddingLength) ||
    paddingLength < 0 ||
    paddingLength > 255 ||
    (unpadded + paddingLength) % 16 !== 0
  ) {
    throw new CryptoError(
      'invalid-input',
      `CBC padding_length ${paddingLength} does not make ${unpadded} bytes a whole number of blocks`,
    );
  }
  // padding: padding_length + 1 bytes, each equal to padding_length (RFC 5246 §6.2.3.2)
  const padding = new Uint8Array(paddingLength + 1).fill(paddingLength);
  const blocks = concatBytes(args.plaintext, mac.value, padding);
  const encrypted = await provider.aesCbcEncrypt(keys.key, iv, blocks);
  const fragment = concatBytes(iv, encrypted);
  const derivations: Derivation[] = [
    aad,
    mac,
    {
      name: 'padding',
      value: padding,
      inputs: [],
      formula: `${paddingLength + 1} bytes of padding_length (${paddingLength}), the last being padding_length itself`,
      source: 'RFC 5246 §6.2.3.2',
    },
    {
      name: 'IV',
      value: iv,
      inputs: [],
      formula: 'random, one block, sent in the clear',
      source: 'RFC 5246 §6.2.3.2',
    },
    {
      name: 'GenericBlockCipher',
      value: fragment,
      inputs: [
        input('IV', iv),
        input('write_key', keys.key),
        input('content', args.plaintext),
        input('MAC', mac.value),
        input('padding', padding),
      ],
      formula: 'IV + AES-CBC-Encrypt(write_key, IV, content + MAC + padding)',
      source: 'RFC 5246 §6.2.3.2',
    },
  ];
  return framed(args, fragment, derivations);
}

async function cbcOpen(
  provider: CryptoProvider,
  suite: CipherSuiteInfo,
  keys: DirectionKeys,
  args: OpenInput,
): Promise<OpenResult> {
  const macLength = keys.macKey.length === 0 ? 0 : hashLength(suite.macHash!);
  const { fragment } = args;
  // IV + at least one block holding MAC + padding_length; whole blocks only.
  const minimum = 16 + Math.ceil((macLength + 1) / 16) * 16;
  if (fragment.length < minimum || fragment.length % 16 !== 0) throw bad();
  const iv = fragment.subarray(0, 16);
  const decrypted = await provider.aesCbcDecrypt(keys.key, iv, fragment.subarray(16));
  const n = decrypted.length;
  // Padding check over the last up-to-256 bytes without an early exit (in the manner of Go's extractPadding).
  const paddingLength = decrypted[n - 1]!;
  let good = paddingLength + 1 + macLength <= n ? 1 : 0;
  const toCheck = Math.min(256, n);
  for (let i = 0; i < toCheck; i++) {
    const inPadding = i <= paddingLength ? 1 : 0;
    const matches = decrypted[n - 1 - i] === paddingLength ? 1 : 0;
    good &= matches | (inPadding ^ 1);
  }
  // On bad padding, compute the MAC as if there were a zero-length pad (RFC 5246 §6.2.3.2 note).
  const stripped = good ? paddingLength + 1 : 1;
  const contentLength = n - stripped - macLength;
  const content = decrypted.subarray(0, contentLength);
  const receivedMac = decrypted.subarray(contentLength, contentLength + macLength);
  const { aad, mac } = await cbcMac(provider, suite, keys, args, content);
  const macOk = bytesEqual(mac.value, receivedMac) ? 1 : 0;
  if ((good & macOk) !== 1) throw bad();
  const padding = decrypted.slice(n - stripped);
  return {
    plaintext: content.slice(),
    derivations: [
      {
        name: 'IV',
        value: iv.slice(),
        inputs: [],
        formula: 'the first block of the fragment',
        source: 'RFC 5246 §6.2.3.2',
      },
      {
        name: 'decrypted_block',
        value: decrypted,
        inputs: [input('write_key', keys.key), input('IV', iv.slice())],
        formula: 'AES-CBC-Decrypt(write_key, IV, fragment[16..]) = content + MAC + padding',
        source: 'RFC 5246 §6.2.3.2',
      },
      aad,
      mac,
      {
        name: 'padding',
        value: padding,
        inputs: [],
        formula: `${padding.length} bytes of padding_length (${paddingLength})`,
        source: 'RFC 5246 §6.2.3.2',
      },
    ],
  };
}

/**
 * RFC 7366 §3: fragment = IV + ENC(content + padding + padding_length) + MAC, with
 * MAC = HMAC(MAC_write_key, seq_num + type + version + length + IV + ciphertext), length counting IV + ciphertext.
 * The MAC is checked before anything is decrypted, so a padding error comes only after a good MAC.
 */
async function cbcOpenEncryptThenMac(
  provider: CryptoProvider,
  suite: CipherSuiteInfo,
  keys: DirectionKeys,
  args: OpenInput,
): Promise<OpenResult> {
  const macLength = hashLength(suite.macHash!);
  const { fragment } = args;
  const encrypted = fragment.subarray(0, fragment.length - macLength);
  if (encrypted.length < 32 || encrypted.length % 16 !== 0) throw bad();
  const { aad, mac } = await cbcMac(provider, suite, keys, args, encrypted);
  mac.formula = `HMAC-${suite.macHash!.toUpperCase()}(MAC_write_key, seq_num + type + version + length + IV + ciphertext)`;
  mac.source = 'RFC 7366 §3';
  if (!bytesEqual(mac.value, fragment.subarray(encrypted.length))) throw bad();
  const iv = encrypted.subarray(0, 16);
  const decrypted = await provider.aesCbcDecrypt(keys.key, iv, encrypted.subarray(16));
  const paddingLength = decrypted[decrypted.length - 1]!;
  const contentLength = decrypted.length - paddingLength - 1;
  if (contentLength < 0 || decrypted.subarray(contentLength).some((b) => b !== paddingLength)) throw bad();
  return {
    plaintext: decrypted.slice(0, contentLength),
    derivations: [
      {
        name: 'IV',
        value: iv.slice(),
        inputs: [],
        formula: 'the first block of the fragment',
        source: 'RFC 7366 §3',
      },
      aad,
      mac,
      {
        name: 'padding',
        value: decrypted.slice(contentLength),
        inputs: [],
        formula: `${paddingLength + 1} bytes of padding_length (${paddingLength})`,
        source: 'RFC 5246 §6.2.3.2',
      },
    ],
  };
}

// --- Public API ----------------------------------------------------------------------------------------

/** Encrypts one record's content (TLSPlaintext.fragment) under `suite` with one direction's keys. */
export async function sealRecord(
  provider: CryptoProvider,
  suite: CipherSuiteInfo,
  keys: DirectionKeys,
  args: SealInput,
): Promise<SealResult> {
  checkKeys(suite, keys);
  checkSequence(args.sequenceNumber);
  if (args.plaintext.length > MAX_PLAINTEXT_LENGTH) {
    throw new CryptoError(
      'invalid-input',
      `record content of ${args.plaintext.length} bytes exceeds 2^14 (RFC 5246 §6.2.1)`,
    );
  }
  return suite.cipherType === 'aead'
    ? aeadSeal(provider, suite, keys, args)
    : cbcSeal(provider, suite, keys, args);
}

/**
 * Decrypts and authenticates one TLSCiphertext.fragment.
 * @throws CryptoError 'bad-record-mac' for any authentication failure (tag, padding or MAC: one error),
 *   'record-overflow' for a fragment over 2^14 + 2048 bytes or content over 2^14.
 */
export async function openRecord(
  provider: CryptoProvider,
  suite: CipherSuiteInfo,
  keys: DirectionKeys,
  args: OpenInput,
): Promise<OpenResult> {
  checkKeys(suite, keys);
  checkSequence(args.sequenceNumber);
  if (args.fragment.length > MAX_CIPHERTEXT_LENGTH) {
    throw new CryptoError(
      'record-overflow',
      `TLSCiphertext.length ${args.fragment.length} exceeds 2^14 + 2048 (RFC 5246 §6.2.3)`,
    );
  }
  const result =
    suite.cipherType === 'aead'
      ? await aeadOpen(provider, suite, keys, args)
      : args.encryptThenMac
        ? await cbcOpenEncryptThenMac(provider, suite, keys, args)
        : await cbcOpen(provider, suite, keys, args);
  if (result.plaintext.length > MAX_PLAINTEXT_LENGTH) {
    throw new CryptoError(
      'record-overflow',
      `decrypted content of ${result.plaintext.length} bytes exceeds 2^14 (RFC 5246 §6.2.1)`,
    );
  }
  return result;
}

/**
 * One direction of a connection's record protection (what RFC 5246 §6.1 calls the current write or read
 * state): the suite, that direction's keys and its sequence number, which starts at 0 after each
 * ChangeCipherSpec and goes up by one per record. A failed open leaves the number unchanged (the
 * connection must then be closed with the error's alert).
 */
export class RecordProtection {
  #sequenceNumber = 0n;

  constructor(
    readonly provider: CryptoProvider,
    readonly suite: CipherSuiteInfo,
    readonly keys: DirectionKeys,
  ) {
    checkKeys(suite, keys);
  }

  /** The sequence number the next record will use. */
  get sequenceNumber(): bigint {
    return this.#sequenceNumber;
  }

  async seal(
    contentType: number,
    version: number,
    plaintext: Uint8Array,
    options: Pick<SealInput, 'explicitIv' | 'paddingLength'> = {},
  ): Promise<SealResult & { sequenceNumber: bigint }> {
    const sequenceNumber = this.#sequenceNumber;
    const result = await sealRecord(this.provider, this.suite, this.keys, {
      contentType,
      version,
      plaintext,
      sequenceNumber,
      ...options,
    });
    this.#sequenceNumber = sequenceNumber + 1n;
    return { ...result, sequenceNumber };
  }

  async open(
    contentType: number,
    version: number,
    fragment: Uint8Array,
  ): Promise<OpenResult & { sequenceNumber: bigint }> {
    const sequenceNumber = this.#sequenceNumber;
    const result = await openRecord(this.provider, this.suite, this.keys, {
      contentType,
      version,
      fragment,
      sequenceNumber,
    });
    this.#sequenceNumber = sequenceNumber + 1n;
    return { ...result, sequenceNumber };
  }
}
