/**
 * The `openssl` commands the Handshake Lab shows beside the secrets that no `openssl kdf` recomputes: each secret
 * of the key schedule brings its own (`SecretEntry.openssl`, built where the engine derives it).
 */
import { toHex } from '../../../lib/bytes/index';

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
