/**
 * CBC decryption (NIST SP 800-38A §6.2) over any 8-byte block cipher, and the PKCS#5 padding check
 * (RFC 8018 §6.1.1 step 4, the padding every RFC 7292 Appendix C cipher uses).
 */

export interface BlockDecryptor {
  readonly blockSize: number;
  /** Decrypts one block of exactly blockSize bytes. */
  decryptBlock(block: Uint8Array): Uint8Array;
}

/** The plaintext's padding is not PKCS#5 padding: with a MAC-less file, usually a wrong password. */
export class PaddingError extends Error {
  override readonly name = 'PaddingError';
}

/** Decrypts `ciphertext` in CBC mode; the padding stays (see removePadding). */
export function cbcDecrypt(cipher: BlockDecryptor, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const size = cipher.blockSize;
  if (iv.length !== size)
    throw new RangeError(`the CBC IV is ${iv.length} bytes, the cipher's block is ${size}`);
  if (ciphertext.length === 0 || ciphertext.length % size !== 0) {
    throw new RangeError(
      `the ciphertext is ${ciphertext.length} bytes, not a positive multiple of the ${size}-byte block`,
    );
  }
  const plain = new Uint8Array(ciphertext.length);
  let previous = iv;
  for (let at = 0; at < ciphertext.length; at += size) {
    const block = ciphertext.subarray(at, at + size);
    const out = cipher.decryptBlock(block);
    for (let k = 0; k < size; k++) plain[at + k] = (out[k] as number) ^ (previous[k] as number);
    previous = block;
  }
  return plain;
}

/** Strips PKCS#5 padding for a `size`-byte block; throws PaddingError saying what is wrong. */
export function removePadding(plain: Uint8Array, size: number): Uint8Array {
  if (plain.length === 0 || plain.length % size !== 0)
    throw new PaddingError(
      `the plaintext is ${plain.length} bytes, not a positive multiple of the ${size}-byte block`,
    );
  const pad = plain[plain.length - 1] as number;
  if (pad < 1 || pad > size)
    throw new PaddingError(`the last byte is ${pad}, not a padding length from 1 to ${size}`);
  for (let k = plain.length - pad; k < plain.length; k++) {
    if (plain[k] !== pad) {
      throw new PaddingError(
        `padding byte ${k - (plain.length - pad) + 1} of ${pad} is ${plain[k] as number}, not ${pad}`,
      );
    }
  }
  return plain.slice(0, plain.length - pad);
}
