/**
 * Record protection (RFC 5246 §6.2.3): AEAD with an explicit 8-byte nonce for AES-GCM (RFC 5288 §3), the
 * RFC 7905 §2 nonce for ChaCha20-Poly1305, and MAC-then-encrypt CBC with an explicit IV (§6.2.3.2).
 */
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { concatBytes } from '../../../bytes/index.ts';
import { hmacOf } from './hashes.ts';
import type { SuiteInfo } from './suites.ts';

export interface SealedRecord {
  fragment: Uint8Array;
  nonce: Uint8Array;
  /** additional_data (AEAD) or the MAC's header input (CBC): seq_num + type + version + length. */
  aad: Uint8Array;
  /** The CBC MAC, when the suite has one. */
  mac?: Uint8Array;
}

export interface OpenedRecord extends SealedRecord {
  plaintext: Uint8Array;
}

export class BadRecordMac extends Error {
  constructor(reason: string) {
    super(`bad_record_mac: ${reason}`);
    this.name = 'BadRecordMac';
  }
}

function u64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

/** seq_num(8) + TLSCompressed.type(1) + version(2) + length(2). */
export function additionalData(
  seq: bigint,
  contentType: number,
  version: number,
  length: number,
): Uint8Array {
  return concatBytes(
    u64(seq),
    new Uint8Array([contentType, version >> 8, version & 0xff, length >> 8, length & 0xff]),
  );
}

export interface DirectionKeys {
  key: Uint8Array;
  iv: Uint8Array;
  macKey: Uint8Array;
}

export class RecordProtection {
  constructor(
    readonly suite: SuiteInfo,
    readonly keys: DirectionKeys,
  ) {}

  seal(
    seq: bigint,
    contentType: number,
    version: number,
    plaintext: Uint8Array,
    random: (n: number) => Uint8Array,
  ): SealedRecord {
    const { suite, keys } = this;
    const aad = additionalData(seq, contentType, version, plaintext.length);
    switch (suite.cipher) {
      case 'aes-gcm': {
        // RFC 5288 §3: nonce = salt(4) || nonce_explicit(8); the sequence number is a safe explicit part.
        const explicit = u64(seq);
        const nonce = concatBytes(keys.iv, explicit);
        const sealed = gcm(keys.key, nonce, aad).encrypt(plaintext);
        return { fragment: concatBytes(explicit, sealed), nonce, aad };
      }
      case 'chacha20-poly1305': {
        const nonce = chachaNonce(keys.iv, seq);
        return { fragment: chacha20poly1305(keys.key, nonce, aad).encrypt(plaintext), nonce, aad };
      }
      case 'aes-cbc': {
        const mac = hmacOf(suite.macHash!, keys.macKey, concatBytes(aad, plaintext));
        const iv = random(16);
        const contentLength = plaintext.length + mac.length;
        const padLength = 15 - (contentLength % 16);
        const padded = concatBytes(plaintext, mac, new Uint8Array(padLength + 1).fill(padLength));
        const ciphertext = cbc(keys.key, iv, { disablePadding: true }).encrypt(padded);
        return { fragment: concatBytes(iv, ciphertext), nonce: iv, aad, mac };
      }
    }
  }

  open(seq: bigint, contentType: number, version: number, fragment: Uint8Array): OpenedRecord {
    const { suite, keys } = this;
    switch (suite.cipher) {
      case 'aes-gcm': {
        if (fragment.length < 8 + 16)
          throw new BadRecordMac(`record of ${fragment.length} bytes is too short for AES-GCM`);
        const explicit = fragment.subarray(0, 8);
        const nonce = concatBytes(keys.iv, explicit);
        const aad = additionalData(seq, contentType, version, fragment.length - 8 - 16);
        try {
          const plaintext = gcm(keys.key, nonce, aad).decrypt(fragment.subarray(8));
          return { plaintext, fragment, nonce, aad };
        } catch {
          throw new BadRecordMac(`AES-GCM tag check failed for record ${seq}`);
        }
      }
      case 'chacha20-poly1305': {
        if (fragment.length < 16) throw new BadRecordMac('record too short for ChaCha20-Poly1305');
        const nonce = chachaNonce(keys.iv, seq);
        const aad = additionalData(seq, contentType, version, fragment.length - 16);
        try {
          return {
            plaintext: chacha20poly1305(keys.key, nonce, aad).decrypt(fragment),
            fragment,
            nonce,
            aad,
          };
        } catch {
          throw new BadRecordMac(`Poly1305 tag check failed for record ${seq}`);
        }
      }
      case 'aes-cbc': {
        const macLength = suite.macLength;
        if (fragment.length < 32 || fragment.length % 16 !== 0) {
          throw new BadRecordMac(`CBC record of ${fragment.length} bytes is not a whole number of blocks`);
        }
        const iv = fragment.subarray(0, 16);
        const padded = cbc(keys.key, iv, { disablePadding: true }).decrypt(fragment.subarray(16));
        const padLength = padded[padded.length - 1]!;
        let ok = padLength + 1 + macLength <= padded.length;
        for (let i = padded.length - 1 - padLength; ok && i < padded.length; i++)
          ok = padded[i] === padLength;
        const plaintextLength = ok ? padded.length - padLength - 1 - macLength : 0;
        const plaintext = padded.slice(0, plaintextLength);
        const received = padded.subarray(plaintextLength, plaintextLength + macLength);
        const aad = additionalData(seq, contentType, version, plaintextLength);
        const mac = hmacOf(suite.macHash!, keys.macKey, concatBytes(aad, plaintext));
        if (!ok || !mac.every((b, i) => b === received[i]))
          throw new BadRecordMac(`CBC padding or MAC check failed for record ${seq}`);
        return { plaintext, fragment, nonce: iv.slice(), aad, mac };
      }
    }
  }
}

/** RFC 7905 §2: the 64-bit sequence number, left-padded, XORed with the 12-byte write IV. */
function chachaNonce(iv: Uint8Array, seq: bigint): Uint8Array {
  const nonce = iv.slice();
  const s = u64(seq);
  for (let i = 0; i < 8; i++) nonce[4 + i]! ^= s[i]!;
  return nonce;
}
