/**
 * A recognisable, reproducible random source for teaching and tests (like illustrated-tls12's fakerand):
 * SHA-256(seed || counter) blocks. Same seed, same bytes.
 */
import { hashSync } from '../crypto/hash.ts';

export function deterministicRandom(seed: string | Uint8Array): (length: number) => Uint8Array {
  const seedBytes = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed;
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += 32) {
      const input = new Uint8Array(seedBytes.length + 4);
      input.set(seedBytes);
      new DataView(input.buffer).setUint32(seedBytes.length, counter++);
      out.set(hashSync('sha256', input).subarray(0, Math.min(32, length - at)), at);
    }
    return out;
  };
}
