/**
 * RFC 5246 §8.1 / RFC 7627 §4 master secret, §6.3 key block, §7.4.9 Finished, each returned with the
 * transcript entry that shows its formula and inputs.
 */
import { concatBytes } from '../../bytes/index.ts';
import {
  CLIENT_FINISHED_LABEL,
  EXTENDED_MASTER_SECRET_LABEL,
  KEY_EXPANSION_LABEL,
  MASTER_SECRET_LABEL,
  prf as cryptoPrf,
  SERVER_FINISHED_LABEL,
} from '../crypto/prf.ts';
import type { HashName } from '../crypto/signature-schemes.ts';
import { engineProvider } from './adapter/provider.ts';
import type { DirectionKeys } from './adapter/record-protection.ts';
import type { SuiteInfo } from './adapter/suites.ts';
import type { Role, SecretEntry } from './transcript.ts';

const MASTER_SECRET_LENGTH = 48;
const FINISHED_VERIFY_LENGTH = 12;

/** The RFC 5246 §5 PRF of the crypto layer (HMAC through the CryptoProvider). */
function prf(hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number) {
  return cryptoPrf(engineProvider(), hash, secret, label, seed, length);
}

export async function deriveMasterSecret(
  from: Role,
  suite: SuiteInfo,
  preMaster: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  sessionHash: Uint8Array | undefined,
): Promise<{ master: Uint8Array; entry: SecretEntry }> {
  const prfName = `PRF_${suite.prfHash.toUpperCase()}`;
  if (sessionHash) {
    const master = await prf(
      suite.prfHash,
      preMaster,
      EXTENDED_MASTER_SECRET_LABEL,
      sessionHash,
      MASTER_SECRET_LENGTH,
    );
    return {
      master,
      entry: {
        kind: 'secret',
        from,
        name: 'master_secret',
        value: master,
        formula: `${prfName}(pre_master_secret, "extended master secret", session_hash)[0..47]  (RFC 7627 §4)`,
        inputs: { pre_master_secret: preMaster, session_hash: sessionHash },
      },
    };
  }
  const master = await prf(
    suite.prfHash,
    preMaster,
    MASTER_SECRET_LABEL,
    concatBytes(clientRandom, serverRandom),
    MASTER_SECRET_LENGTH,
  );
  return {
    master,
    entry: {
      kind: 'secret',
      from,
      name: 'master_secret',
      value: master,
      formula: `${prfName}(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]  (RFC 5246 §8.1)`,
      inputs: { pre_master_secret: preMaster, client_random: clientRandom, server_random: serverRandom },
    },
  };
}

export async function deriveKeys(
  from: Role,
  suite: SuiteInfo,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): Promise<{ client: DirectionKeys; server: DirectionKeys; entries: SecretEntry[] }> {
  const mac = suite.macLength;
  const key = suite.keyLength;
  const iv = suite.ivLength;
  const block = await prf(
    suite.prfHash,
    master,
    KEY_EXPANSION_LABEL,
    concatBytes(serverRandom, clientRandom),
    2 * (mac + key + iv),
  );
  let at = 0;
  const take = (n: number) => block.slice(at, (at += n));
  const clientMac = take(mac);
  const serverMac = take(mac);
  const clientKey = take(key);
  const serverKey = take(key);
  const clientIv = take(iv);
  const serverIv = take(iv);
  const formula = `PRF_${suite.prfHash.toUpperCase()}(master_secret, "key expansion", server_random + client_random)  (RFC 5246 §6.3)`;
  const entries: SecretEntry[] = [
    {
      kind: 'secret',
      from,
      name: 'key_block',
      value: block,
      formula,
      inputs: { master_secret: master, server_random: serverRandom, client_random: clientRandom },
    },
  ];
  const parts: [string, Uint8Array][] = [
    ['client_write_MAC_key', clientMac],
    ['server_write_MAC_key', serverMac],
    ['client_write_key', clientKey],
    ['server_write_key', serverKey],
    ['client_write_IV', clientIv],
    ['server_write_IV', serverIv],
  ];
  let offset = 0;
  for (const [name, value] of parts) {
    if (value.length > 0) {
      entries.push({
        kind: 'secret',
        from,
        name,
        value,
        formula: `key_block[${offset}..${offset + value.length - 1}]`,
        inputs: {},
      });
    }
    offset += value.length;
  }
  return {
    client: { key: clientKey, iv: clientIv, macKey: clientMac },
    server: { key: serverKey, iv: serverIv, macKey: serverMac },
    entries,
  };
}

export async function finishedVerifyData(
  from: Role,
  sender: Role,
  suite: SuiteInfo,
  master: Uint8Array,
  handshakeHash: Uint8Array,
): Promise<{ verifyData: Uint8Array; entry: SecretEntry }> {
  const label = sender === 'client' ? CLIENT_FINISHED_LABEL : SERVER_FINISHED_LABEL;
  const verifyData = await prf(suite.prfHash, master, label, handshakeHash, FINISHED_VERIFY_LENGTH);
  return {
    verifyData,
    entry: {
      kind: 'secret',
      from,
      name: `${sender}_verify_data`,
      value: verifyData,
      formula: `PRF_${suite.prfHash.toUpperCase()}(master_secret, "${label}", Hash(handshake_messages))[0..11]  (RFC 5246 §7.4.9)`,
      inputs: { master_secret: master, handshake_hash: handshakeHash },
    },
  };
}

/** NSS key log line (https://nss-crypto.org keylog format) for Wireshark. */
export function nssKeyLogLine(clientRandom: Uint8Array, master: Uint8Array): string {
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `CLIENT_RANDOM ${hex(clientRandom)} ${hex(master)}`;
}
