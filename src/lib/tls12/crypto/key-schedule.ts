/**
 * The TLS 1.2 key schedule: master secret (RFC 5246 §8.1, RFC 7627 §4), key block and its split
 * (RFC 5246 §6.3), Finished verify_data (RFC 5246 §7.4.9). Every function returns Derivations, so the
 * UI can show the formula and its inputs next to each value.
 */
import type { CryptoProvider } from './provider.ts';
import type { CipherSuiteInfo } from './suites.ts';
import { keyBlockLength } from './suites.ts';
import type { HashName } from './hash.ts';
import { input, type Derivation } from './derivation.ts';
import { asciiBytes, concatBytes } from './bytes-util.ts';
import { toHex } from '../../bytes/index.ts';
import {
  CLIENT_FINISHED_LABEL,
  EXTENDED_MASTER_SECRET_LABEL,
  KEY_EXPANSION_LABEL,
  MASTER_SECRET_LABEL,
  SERVER_FINISHED_LABEL,
  prf,
} from './prf.ts';

export const MASTER_SECRET_LENGTH = 48;

function prfName(hash: HashName): string {
  return `PRF-${hash.toUpperCase()}`;
}

/**
 * `openssl kdf ... TLS1-PRF` (OpenSSL 3), which prints PRF(secret, label, seed)[0..length-1] as colon-separated
 * hex: the PRF's seed is the label's ASCII bytes followed by the seed, as in RFC 5246 §5.
 */
function prfCommand(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): string {
  return (
    `openssl kdf -keylen ${length} -kdfopt digest:${hash.toUpperCase()} -kdfopt hexsecret:${toHex(secret)}` +
    ` -kdfopt hexseed:${toHex(asciiBytes(label))}${toHex(seed)} TLS1-PRF`
  );
}

export interface MasterSecretInput {
  /** The suite's PRF hash (suite.prfHash). */
  prfHash: HashName;
  preMasterSecret: Uint8Array;
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
  /**
   * RFC 7627: when both sides negotiated extended_master_secret, the hash (with prfHash) of the
   * handshake messages from ClientHello up to and including ClientKeyExchange.
   */
  sessionHash?: Uint8Array | undefined;
}

/**
 * master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]
 *   (RFC 5246 §8.1), or with extended master secret (RFC 7627 §4):
 * master_secret = PRF(pre_master_secret, "extended master secret", session_hash)[0..47]
 */
export async function computeMasterSecret(
  provider: CryptoProvider,
  args: MasterSecretInput,
): Promise<Derivation> {
  checkRandom('client_random', args.clientRandom);
  checkRandom('server_random', args.serverRandom);
  const p = prfName(args.prfHash);
  if (args.sessionHash) {
    const value = await prf(
      provider,
      args.prfHash,
      args.preMasterSecret,
      EXTENDED_MASTER_SECRET_LABEL,
      args.sessionHash,
      MASTER_SECRET_LENGTH,
    );
    return {
      name: 'master_secret',
      value,
      inputs: [
        input('pre_master_secret', args.preMasterSecret),
        input('label', asciiBytes(EXTENDED_MASTER_SECRET_LABEL)),
        input('session_hash', args.sessionHash),
      ],
      formula: `${p}(pre_master_secret, "${EXTENDED_MASTER_SECRET_LABEL}", session_hash)[0..47]`,
      source: 'RFC 7627 §4',
      openssl: prfCommand(
        args.prfHash,
        args.preMasterSecret,
        EXTENDED_MASTER_SECRET_LABEL,
        args.sessionHash,
        MASTER_SECRET_LENGTH,
      ),
    };
  }
  const seed = concatBytes(args.clientRandom, args.serverRandom);
  const value = await prf(
    provider,
    args.prfHash,
    args.preMasterSecret,
    MASTER_SECRET_LABEL,
    seed,
    MASTER_SECRET_LENGTH,
  );
  return {
    name: 'master_secret',
    value,
    inputs: [
      input('pre_master_secret', args.preMasterSecret),
      input('label', asciiBytes(MASTER_SECRET_LABEL)),
      input('client_random', args.clientRandom),
      input('server_random', args.serverRandom),
    ],
    formula: `${p}(pre_master_secret, "${MASTER_SECRET_LABEL}", client_random + server_random)[0..47]`,
    source: 'RFC 5246 §8.1',
    openssl: prfCommand(args.prfHash, args.preMasterSecret, MASTER_SECRET_LABEL, seed, MASTER_SECRET_LENGTH),
  };
}

/** The six values cut from the key block (empty arrays where the suite has no such value). */
export interface ConnectionKeys {
  clientWriteMacKey: Uint8Array;
  serverWriteMacKey: Uint8Array;
  clientWriteKey: Uint8Array;
  serverWriteKey: Uint8Array;
  clientWriteIv: Uint8Array;
  serverWriteIv: Uint8Array;
}

export interface KeyBlockResult {
  keys: ConnectionKeys;
  /** key_block first, then each non-empty slice in key-block order. */
  derivations: Derivation[];
}

/**
 * key_block = PRF(master_secret, "key expansion", server_random + client_random) (RFC 5246 §6.3),
 * partitioned as client_write_MAC_key, server_write_MAC_key, client_write_key, server_write_key,
 * client_write_IV, server_write_IV. Note the seed order: server_random first.
 */
export async function computeKeyBlock(
  provider: CryptoProvider,
  suite: CipherSuiteInfo,
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): Promise<KeyBlockResult> {
  checkRandom('client_random', clientRandom);
  checkRandom('server_random', serverRandom);
  const length = keyBlockLength(suite);
  const seed = concatBytes(serverRandom, clientRandom);
  const block = await prf(provider, suite.prfHash, masterSecret, KEY_EXPANSION_LABEL, seed, length);
  const derivations: Derivation[] = [
    {
      name: 'key_block',
      value: block,
      inputs: [
        input('master_secret', masterSecret),
        input('label', asciiBytes(KEY_EXPANSION_LABEL)),
        input('server_random', serverRandom),
        input('client_random', clientRandom),
      ],
      formula: `${prfName(suite.prfHash)}(master_secret, "${KEY_EXPANSION_LABEL}", server_random + client_random)[0..${length - 1}]`,
      source: 'RFC 5246 §6.3',
      openssl: prfCommand(suite.prfHash, masterSecret, KEY_EXPANSION_LABEL, seed, length),
    },
  ];
  let offset = 0;
  const take = (name: string, size: number): Uint8Array => {
    const value = block.slice(offset, offset + size);
    if (size > 0) {
      derivations.push({
        name,
        value,
        inputs: [input('key_block', block)],
        formula: `key_block[${offset}..${offset + size - 1}]`,
        source: suite.cipherType === 'aead' && name.endsWith('_IV') ? aeadIvSource(suite) : 'RFC 5246 §6.3',
      });
    }
    offset += size;
    return value;
  };
  const keys: ConnectionKeys = {
    clientWriteMacKey: take('client_write_MAC_key', suite.macKeyLength),
    serverWriteMacKey: take('server_write_MAC_key', suite.macKeyLength),
    clientWriteKey: take('client_write_key', suite.keyLength),
    serverWriteKey: take('server_write_key', suite.keyLength),
    clientWriteIv: take('client_write_IV', suite.fixedIvLength),
    serverWriteIv: take('server_write_IV', suite.fixedIvLength),
  };
  return { keys, derivations };
}

function aeadIvSource(suite: CipherSuiteInfo): string {
  return suite.cipher === 'CHACHA20_POLY1305'
    ? 'RFC 7905 §2 (12-byte fixed IV)'
    : 'RFC 5288 §3 (4-byte salt)';
}

/** The sender of a Finished message. */
export type FinishedSender = 'client' | 'server';

/**
 * verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..verify_data_length-1]
 * (RFC 5246 §7.4.9). `handshakeHash` is Hash(handshake_messages) with the suite's PRF hash, over every
 * handshake message up to but not including this Finished (for the server: including the client's).
 */
export async function computeVerifyData(
  provider: CryptoProvider,
  suite: Pick<CipherSuiteInfo, 'prfHash' | 'verifyDataLength'>,
  masterSecret: Uint8Array,
  sender: FinishedSender,
  handshakeHash: Uint8Array,
): Promise<Derivation> {
  const label = sender === 'client' ? CLIENT_FINISHED_LABEL : SERVER_FINISHED_LABEL;
  const value = await prf(
    provider,
    suite.prfHash,
    masterSecret,
    label,
    handshakeHash,
    suite.verifyDataLength,
  );
  return {
    name: `${sender}_verify_data`,
    value,
    inputs: [
      input('master_secret', masterSecret),
      input('label', asciiBytes(label)),
      input('handshake_hash', handshakeHash),
    ],
    formula: `${prfName(suite.prfHash)}(master_secret, "${label}", Hash(handshake_messages))[0..${suite.verifyDataLength - 1}]`,
    source: 'RFC 5246 §7.4.9',
    openssl: prfCommand(suite.prfHash, masterSecret, label, handshakeHash, suite.verifyDataLength),
  };
}

/** Hash(handshake_messages) with the suite's PRF hash (for Finished and for RFC 7627's session_hash). */
export async function handshakeHash(
  provider: CryptoProvider,
  suite: Pick<CipherSuiteInfo, 'prfHash'>,
  handshakeMessages: Uint8Array,
): Promise<Uint8Array> {
  return provider.digest(suite.prfHash, handshakeMessages);
}

export interface SessionKeysInput {
  suite: CipherSuiteInfo;
  preMasterSecret: Uint8Array;
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
  /** Present when extended_master_secret was negotiated (RFC 7627). */
  sessionHash?: Uint8Array | undefined;
}

export interface SessionKeys {
  masterSecret: Uint8Array;
  keys: ConnectionKeys;
  /** master_secret, key_block, then each key-block slice. */
  derivations: Derivation[];
}

/** master secret + key block in one call, as a handshake needs them after ClientKeyExchange. */
export async function deriveSessionKeys(
  provider: CryptoProvider,
  args: SessionKeysInput,
): Promise<SessionKeys> {
  const master = await computeMasterSecret(provider, { ...args, prfHash: args.suite.prfHash });
  const { keys, derivations } = await computeKeyBlock(
    provider,
    args.suite,
    master.value,
    args.clientRandom,
    args.serverRandom,
  );
  return { masterSecret: master.value, keys, derivations: [master, ...derivations] };
}

function checkRandom(name: string, value: Uint8Array): void {
  if (value.length !== 32) throw new RangeError(`${name}: expected 32 bytes, got ${value.length}`);
}
