/**
 * The engine's view of the crypto layer's key schedule (src/lib/tls12/crypto/key-schedule.ts): RFC 5246 §8.1 /
 * RFC 7627 §4 master secret, §6.3 key block, §7.4.9 Finished. The values come from there; this module only turns
 * each Derivation into the event log entry the Handshake Lab shows (formula with its RFC section, named inputs).
 */
import {
  computeKeyBlock,
  computeMasterSecret,
  computeVerifyData,
  directionKeys,
  formatKeyLogLine,
  type CryptoProvider,
  type Derivation,
  type DirectionKeys,
} from '../crypto/index.ts';
import { engineProvider } from '../crypto/provider.ts';
import type { CipherSuiteInfo } from '../crypto/suites.ts';
import type { Role, SecretEntry } from './event-log.ts';

/**
 * A crypto-layer Derivation as an event log entry; the PRF label is in the formula, so it is not an input. The
 * `openssl` command comes with it where openssl can recompute the value.
 */
export function secretEntry(from: Role, d: Derivation): SecretEntry {
  const inputs: Record<string, Uint8Array> = {};
  for (const i of d.inputs) if (i.name !== 'label' && i.name !== 'key_block') inputs[i.name] = i.value;
  return {
    kind: 'secret',
    from,
    name: d.name,
    value: d.value,
    formula: `${d.formula}  (${d.source})`,
    inputs,
    ...(d.openssl !== undefined ? { openssl: d.openssl } : {}),
  };
}

export async function deriveMasterSecret(
  from: Role,
  suite: CipherSuiteInfo,
  preMaster: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  sessionHash: Uint8Array | undefined,
): Promise<{ master: Uint8Array; entry: SecretEntry }> {
  const d = await computeMasterSecret(engineProvider(), {
    prfHash: suite.prfHash,
    preMasterSecret: preMaster,
    clientRandom,
    serverRandom,
    sessionHash,
  });
  return { master: d.value, entry: secretEntry(from, d) };
}

export async function deriveKeys(
  from: Role,
  suite: CipherSuiteInfo,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  provider: CryptoProvider = engineProvider(),
): Promise<{ client: DirectionKeys; server: DirectionKeys; entries: SecretEntry[] }> {
  const { keys, derivations } = await computeKeyBlock(provider, suite, master, clientRandom, serverRandom);
  return {
    client: directionKeys(keys, 'client'),
    server: directionKeys(keys, 'server'),
    entries: derivations.map((d) => secretEntry(from, d)),
  };
}

export async function finishedVerifyData(
  from: Role,
  sender: Role,
  suite: CipherSuiteInfo,
  master: Uint8Array,
  handshakeHash: Uint8Array,
  provider: CryptoProvider = engineProvider(),
): Promise<{ verifyData: Uint8Array; entry: SecretEntry }> {
  const d = await computeVerifyData(provider, suite, master, sender, handshakeHash);
  return { verifyData: d.value, entry: secretEntry(from, d) };
}

/** NSS key log line (`CLIENT_RANDOM <client_random> <master_secret>`) for Wireshark. */
export function nssKeyLogLine(clientRandom: Uint8Array, master: Uint8Array): string {
  return formatKeyLogLine(clientRandom, master);
}
