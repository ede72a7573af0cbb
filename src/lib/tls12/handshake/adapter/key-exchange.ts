/** ECDHE for TLS 1.2 (RFC 8422 §5.10, RFC 7748 §6.1 for x25519): key pairs from injected randomness. */
import { x25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { NamedGroup } from '../../wire/code-points.ts';

export interface EphemeralKey {
  group: number;
  secret: Uint8Array;
  /** The ECPoint as sent: 32 bytes for x25519, uncompressed 0x04||X||Y for NIST curves. */
  publicKey: Uint8Array;
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

export function generateEphemeral(group: number, random: (n: number) => Uint8Array): EphemeralKey {
  if (group === NamedGroup.values.x25519) {
    const secret = random(32);
    return { group, secret, publicKey: x25519.getPublicKey(secret) };
  }
  const curve = nist(group);
  if (!curve) throw new Error(`unsupported group ${NamedGroup.format(group)}`);
  const secret = curve.utils.randomSecretKey(random(curve.lengths.seed!));
  return { group, secret, publicKey: curve.getPublicKey(secret, false) };
}

/** The pre-master secret: the x25519 output, or the X coordinate of the shared point (RFC 8422 §5.10). */
export function sharedSecret(key: EphemeralKey, peerPublic: Uint8Array): Uint8Array {
  if (key.group === NamedGroup.values.x25519) {
    const out = x25519.getSharedSecret(key.secret, peerPublic);
    if (out.every((b) => b === 0)) throw new Error('x25519: all-zero shared secret');
    return out;
  }
  const curve = nist(key.group)!;
  return curve.getSharedSecret(key.secret, peerPublic, true).slice(1);
}
