/**
 * The RFC 7292 Appendix C password-based encryption schemes that OpenSSL 1.x and Windows use by default
 * (certificates under pbeWithSHAAnd40BitRC2-CBC, keys under pbeWithSHAAnd3-KeyTripleDES-CBC): key (ID 1) and
 * IV (ID 2) from the PKCS#12 KDF with SHA-1, then CBC with PKCS#5 padding. The RC4 schemes are named, not
 * implemented.
 */
import { DerError, readTlv } from '../../../bytes/der.ts';
import { cbcDecrypt, removePadding, type BlockDecryptor } from './cbc.ts';
import { tripleDesDecryptor } from './des.ts';
import { bmpPassword, pkcs12Kdf } from './pkcs12-kdf.ts';
import { rc2Decryptor } from './rc2.ts';

interface Scheme {
  readonly name: string;
  /** Key length in bytes; undefined for the schemes this tool names but does not implement. */
  readonly keyBytes?: number;
  readonly cipher?: (key: Uint8Array) => BlockDecryptor;
}

/** RFC 7292 Appendix C, OIDs under pkcs-12PbeIds (1.2.840.113549.1.12.1). */
const SCHEMES: Readonly<Record<string, Scheme>> = {
  '1.2.840.113549.1.12.1.1': { name: 'pbeWithSHAAnd128BitRC4' },
  '1.2.840.113549.1.12.1.2': { name: 'pbeWithSHAAnd40BitRC4' },
  '1.2.840.113549.1.12.1.3': {
    name: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
    keyBytes: 24,
    cipher: tripleDesDecryptor,
  },
  '1.2.840.113549.1.12.1.4': {
    name: 'pbeWithSHAAnd2-KeyTripleDES-CBC',
    keyBytes: 16,
    cipher: tripleDesDecryptor,
  },
  '1.2.840.113549.1.12.1.5': {
    name: 'pbeWithSHAAnd128BitRC2-CBC',
    keyBytes: 16,
    cipher: (key) => rc2Decryptor(key, 128),
  },
  '1.2.840.113549.1.12.1.6': {
    name: 'pbeWithSHAAnd40BitRC2-CBC',
    keyBytes: 5,
    cipher: (key) => rc2Decryptor(key, 40),
  },
};

/** The Appendix C name of `oid`, or undefined when it is not a PKCS#12 PBE scheme. */
export function legacyPbeName(oid: string): string | undefined {
  return SCHEMES[oid]?.name;
}

/** Whether this tool can decrypt `oid`'s scheme. */
export function legacyPbeSupported(oid: string): boolean {
  return SCHEMES[oid]?.cipher !== undefined;
}

export interface Pkcs12PbeParams {
  readonly salt: Uint8Array;
  readonly iterations: number;
}

/** pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } (RFC 7292 Appendix C), as DER. */
export function parsePbeParams(der: Uint8Array): Pkcs12PbeParams {
  const seq = readTlv(der, 0);
  if (seq.tagNumber !== 0x10 || !seq.constructed || seq.end !== der.length)
    throw new DerError(0, 'the PKCS#12 PBE parameters are not one SEQUENCE');
  const salt = readTlv(der, seq.contentStart, seq.end);
  if (salt.tagNumber !== 0x04 || salt.constructed)
    throw new DerError(salt.start, 'the PKCS#12 PBE salt is not an OCTET STRING');
  const count = readTlv(der, salt.end, seq.end);
  if (count.tagNumber !== 0x02 || count.end !== seq.end)
    throw new DerError(count.start, 'the PKCS#12 PBE iteration count is not the last element, an INTEGER');
  const bytes = der.subarray(count.contentStart, count.end);
  if (bytes.length === 0 || bytes.length > 4 || (bytes[0] as number) >= 0x80)
    throw new DerError(count.start, 'the PKCS#12 PBE iteration count is not a positive 32-bit INTEGER');
  const iterations = bytes.reduce((n, b) => n * 256 + b, 0);
  return { salt: der.slice(salt.contentStart, salt.end), iterations };
}

/**
 * Decrypts `ciphertext` under the Appendix C scheme `oid`. Throws PaddingError (cbc.ts) when the padding is
 * wrong, which without a MAC is how a wrong password shows; RangeError for a scheme this tool cannot decrypt.
 */
export function legacyPbeDecrypt(
  oid: string,
  params: Pkcs12PbeParams,
  password: string,
  ciphertext: Uint8Array,
): Uint8Array {
  const scheme = SCHEMES[oid];
  if (scheme?.cipher === undefined || scheme.keyBytes === undefined)
    throw new RangeError(`${scheme?.name ?? oid} is not a PKCS#12 PBE scheme this tool decrypts`);
  const pw = bmpPassword(password);
  const key = pkcs12Kdf(pw, params.salt, params.iterations, 1, scheme.keyBytes);
  const iv = pkcs12Kdf(pw, params.salt, params.iterations, 2, 8);
  const cipher = scheme.cipher(key);
  return removePadding(cbcDecrypt(cipher, iv, ciphertext), cipher.blockSize);
}
