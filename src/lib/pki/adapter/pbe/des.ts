/**
 * Triple DES (TDEA, NIST SP 800-67 Rev. 2) block decryption, built on DES as FIPS 46-3 defines it. Decryption
 * is D_K1(E_K2(D_K3(c))) (SP 800-67 §3.1); a 16-byte key is keying option 2 (K3 = K1), as
 * pbeWithSHAAnd2-KeyTripleDES-CBC uses it, and a 24-byte key keying option 1 (pbeWithSHAAnd3-KeyTripleDES-CBC).
 * Bits are numbered 1..64 from the most significant bit of the first byte, as in FIPS 46-3.
 */
import type { BlockDecryptor } from './cbc.ts';

// prettier-ignore
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
  62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
  61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];
/** IP^-1, the inverse of IP. */
const FP = IP.map((_, i) => IP.indexOf(i + 1) + 1);
// prettier-ignore
const E = [
  32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17,
  16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
];
// prettier-ignore
const P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];
// prettier-ignore
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
// prettier-ignore
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
/** Left shifts of C and D per round (FIPS 46-3, key schedule). */
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
/** S1..S8 (FIPS 46-3), each 4 rows of 16 entries written as one hex digit per entry. */
const S = [
  'e4d12fb83a6c59070f74e2d1a6cb953841e8d62bfc973a50fc8249175b3ea06d',
  'f18e6b34972dc05a3d47f28ec01a69b50e7ba4d158c6932fd8a13f42b67c05e9',
  'a09e63f51dc7b428d709346a285ecbf1d6498f30b12c5ae71ad069874fe3b52c',
  '7de3069a1285bc4fd8b56f03472c1ae9a690cb7df13e52843f06a1d8945bc72e',
  '2c417ab6853fd0e9eb2c47d150fa3986421bad78f9c5630eb8c71e2d6f09a453',
  'c1af92680d34e75baf427c9561de0b389ef528c3704a1db6432c95fabe17608d',
  '4b2ef08d3c975a61d0b7491ae35c2f8614bdc37eaf6805926bd814a7950fe23c',
  'd2846fb1a93e50c71fd8a374c56b0e927b419ce206adf35821e74a8dfc90356b',
].map((box) => Array.from(box, (digit) => parseInt(digit, 16)));

/** A block as one bit (0 or 1) per element, bit 1 first. */
type Bits = Uint8Array;

function toBits(bytes: Uint8Array): Bits {
  const bits = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < bits.length; i++) bits[i] = ((bytes[i >> 3] as number) >> (7 - (i & 7))) & 1;
  return bits;
}

function fromBits(bits: Bits): Uint8Array {
  const bytes = new Uint8Array(bits.length / 8);
  for (let i = 0; i < bits.length; i++)
    bytes[i >> 3] = (bytes[i >> 3] as number) | ((bits[i] as number) << (7 - (i & 7)));
  return bytes;
}

/** out[i] = input[table[i] - 1]. */
function permute(input: Bits, table: readonly number[]): Bits {
  return Uint8Array.from(table, (position) => input[position - 1] as number);
}

/** The 16 round keys K1..K16 (48 bits each) of an 8-byte DES key; parity bits are ignored. */
function roundKeys(key: Uint8Array): Bits[] {
  const cd = permute(toBits(key), PC1);
  let c = Array.from(cd.subarray(0, 28));
  let d = Array.from(cd.subarray(28));
  return SHIFTS.map((shift) => {
    c = [...c.slice(shift), ...c.slice(0, shift)];
    d = [...d.slice(shift), ...d.slice(0, shift)];
    return permute(Uint8Array.from([...c, ...d]), PC2);
  });
}

/** The cipher function f(R, K). */
function f(r: Bits, k: Bits): Bits {
  const x = permute(r, E);
  for (let i = 0; i < 48; i++) x[i] = (x[i] as number) ^ (k[i] as number);
  const out = new Uint8Array(32);
  for (let box = 0; box < 8; box++) {
    const six = x.subarray(6 * box, 6 * box + 6);
    const row = ((six[0] as number) << 1) | (six[5] as number);
    const col =
      ((six[1] as number) << 3) | ((six[2] as number) << 2) | ((six[3] as number) << 1) | (six[4] as number);
    const value = (S[box] as number[])[row * 16 + col] as number;
    for (let b = 0; b < 4; b++) out[4 * box + b] = (value >> (3 - b)) & 1;
  }
  return permute(out, P);
}

/** One DES block; decryption applies the round keys in reverse order. */
function desBlock(block: Uint8Array, keys: Bits[], decrypt: boolean): Uint8Array {
  const b = permute(toBits(block), IP);
  let l = b.subarray(0, 32);
  let r = b.subarray(32);
  for (let round = 0; round < 16; round++) {
    const fr = f(r, keys[decrypt ? 15 - round : round] as Bits);
    const next = l.map((bit, i) => bit ^ (fr[i] as number));
    l = r;
    r = next;
  }
  return fromBits(permute(Uint8Array.from([...r, ...l]), FP));
}

/** A TDEA decryptor for a 16-byte (two-key) or 24-byte (three-key) key. */
export function tripleDesDecryptor(key: Uint8Array): BlockDecryptor {
  if (key.length !== 16 && key.length !== 24)
    throw new RangeError(`a triple DES key is 16 or 24 bytes (got ${key.length})`);
  const k1 = roundKeys(key.subarray(0, 8));
  const k2 = roundKeys(key.subarray(8, 16));
  const k3 = key.length === 24 ? roundKeys(key.subarray(16, 24)) : k1;
  return {
    blockSize: 8,
    decryptBlock(block: Uint8Array): Uint8Array {
      if (block.length !== 8) throw new RangeError(`a DES block is 8 bytes (got ${block.length})`);
      return desBlock(desBlock(desBlock(block, k3, true), k2, false), k1, true);
    },
  };
}
