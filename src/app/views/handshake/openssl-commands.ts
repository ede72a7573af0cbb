/**
 * The `openssl` command that recomputes a secret of the key schedule, so a reader can check our numbers with
 * another implementation: `openssl kdf ... TLS1-PRF` (OpenSSL 3) takes the PRF's secret and its seed (label +
 * seed bytes) in hex and prints the output as colon-separated hex. Built from the event log entry's formula
 * (which names the PRF hash and the label) and its inputs; a TLS 1.3 secret brings its own (HKDF).
 */
import { toHex } from '../../../lib/bytes/index';
import type { SecretEntry } from '../../../lib/tls12/index';

const SEEDS: Record<string, { secret: string; seed: readonly string[] }> = {
  'extended master secret': { secret: 'pre_master_secret', seed: ['session_hash'] },
  'master secret': { secret: 'pre_master_secret', seed: ['client_random', 'server_random'] },
  'key expansion': { secret: 'master_secret', seed: ['server_random', 'client_random'] },
  'client finished': { secret: 'master_secret', seed: ['handshake_hash'] },
  'server finished': { secret: 'master_secret', seed: ['handshake_hash'] },
};

export function opensslCommandFor(secret: SecretEntry): string | undefined {
  // A TLS 1.3 key schedule step carries its own `openssl kdf` command (tls13/key-schedule.ts).
  if ('openssl' in secret && typeof secret.openssl === 'string') return secret.openssl;
  const label = /"([a-z ]+)"/.exec(secret.formula)?.[1];
  const hash = /PRF[-_](SHA\d+)/i.exec(secret.formula)?.[1]?.toUpperCase();
  const recipe = label ? SEEDS[label] : undefined;
  if (!label || !hash || !recipe) return undefined;
  const bytes = (name: string) => {
    const v = secret.inputs[name];
    return v instanceof Uint8Array ? v : undefined;
  };
  const key = bytes(recipe.secret);
  const seedParts = recipe.seed.map(bytes);
  if (!key || seedParts.some((p) => p === undefined)) return undefined;
  const seed = toHex(new TextEncoder().encode(label)) + seedParts.map((p) => toHex(p as Uint8Array)).join('');
  return `openssl kdf -keylen ${secret.value.length} -kdfopt digest:${hash} -kdfopt hexsecret:${toHex(key)} -kdfopt hexseed:${seed} TLS1-PRF`;
}

/** The demo server's RSA key as shipped (fixtures/demo-pki/server-rsa.key): public on purpose. */
export const DEMO_RSA_KEY_FILE = 'server-rsa.key';

/**
 * How to recover the pre-master secret with OpenSSL. Static RSA (RFC 5246 §7.4.7.1): the ClientKeyExchange
 * carries it encrypted to the server's key, so `pkeyutl -decrypt` with that key (RSAES-PKCS1-v1_5, pkeyutl's
 * default for RSA) prints it. ECDHE (RFC 8422 §5.10): it is the shared secret of the two ephemeral keys, which
 * `pkeyutl -derive` recomputes from one side's private key and the other's public key (a recipe: the lab does
 * not export the ephemeral keys as files).
 */
export function preMasterSecretCommand(encryptedPreMasterSecret: Uint8Array | undefined): string {
  if (encryptedPreMasterSecret)
    return `echo ${toHex(encryptedPreMasterSecret)} | xxd -r -p | openssl pkeyutl -decrypt -inkey ${DEMO_RSA_KEY_FILE} | xxd -p -c 48`;
  return 'openssl pkeyutl -derive -inkey client-ephemeral.key -peerkey server-ephemeral.pub | xxd -p -c 48';
}
