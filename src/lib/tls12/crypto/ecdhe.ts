/**
 * ECDHE for TLS 1.2 (RFC 8422 §5.10, RFC 7748 §6.1 for x25519) through the crypto layer's CryptoProvider
 * (WebCrypto X25519 / ECDH where available). Deterministic runs draw the private scalar from the engine's
 * injected random source so that seeded runs repeat; fresh runs let the provider generate the pair. Either
 * way the event log shows the scalar.
 */
import { p256, p384 } from '@noble/curves/nist.js';
import { NamedGroup } from '../wire/code-points.ts';
import { CryptoError } from './errors.ts';
import { engineProvider, namedGroupByCode, type EcdhKeyPair } from './provider.ts';

export interface EphemeralKey {
  group: number;
  secret: Uint8Array;
  /** The ECPoint as sent: 32 bytes for x25519, uncompressed 0x04||X||Y for NIST curves. */
  publicKey: Uint8Array;
  /** The provider's handle for the same key. */
  pair: EcdhKeyPair;
}

export const SUPPORTED_GROUPS: number[] = [
  NamedGroup.values.x25519,
  NamedGroup.values.secp256r1,
  NamedGroup.values.secp384r1,
];

function nist(group: number) {
  if (group === NamedGroup.values.secp256r1) return p256;
  if (group === NamedGroup.values.secp384r1) return p384;
  return undefined;
}

export async function generateEphemeral(
  group: number,
  random: (n: number) => Uint8Array,
  deterministic: boolean,
): Promise<EphemeralKey> {
  const name = namedGroupByCode(group);
  if (!name) throw new Error(`unsupported group ${NamedGroup.format(group)}`);
  if (!deterministic) {
    // Fresh randomness: let the provider make the pair (WebCrypto generateKey where it can).
    const pair = await engineProvider().generateEcdhKeyPair(name);
    return { group, secret: pair.privateKey, publicKey: pair.publicKey, pair };
  }
  let secret: Uint8Array;
  if (group === NamedGroup.values.x25519) {
    secret = random(32);
  } else {
    const curve = nist(group);
    if (!curve) throw new Error(`unsupported group ${NamedGroup.format(group)}`);
    secret = curve.utils.randomSecretKey(random(curve.lengths.seed!));
  }
  const pair = await engineProvider().importEcdhPrivateKey(name, secret);
  return { group, secret, publicKey: pair.publicKey, pair };
}

/** The pre-master secret: the x25519 output, or the X coordinate of the shared point (RFC 8422 §5.10). */
export async function sharedSecret(key: EphemeralKey, peerPublic: Uint8Array): Promise<Uint8Array> {
  try {
    return await engineProvider().ecdh(key.pair, peerPublic);
  } catch (e) {
    if (e instanceof CryptoError && e.kind === 'invalid-shared-secret')
      throw new Error('x25519: all-zero shared secret');
    throw e;
  }
}
