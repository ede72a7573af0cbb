/**
 * Ed25519 keys (RFC 8410) and the ed25519 signature scheme (RFC 8446 §4.2.3, PureEdDSA of RFC 8032), on the
 * test vectors RFC 8032 §7.1 prints (TEST 1: empty message; TEST 2: one byte) and RFC 8410 §10.3's example key.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../../src/lib/bytes/index.ts';
import { DerError } from '../../../../src/lib/bytes/der.ts';
import { edPublicKey, parsePkcs8, parseSpki } from '../../../../src/lib/bytes/keys.ts';
import { decodeBase64 } from '../../../../src/lib/bytes/base64.ts';
import { privateKeyFromPkcs8, publicKeyFromSpki } from '../../../../src/lib/tls12/crypto/keys.ts';
import { signWithScheme, verifyWithScheme } from '../../../../src/lib/tls12/crypto/signatures.ts';
import { ed25519 } from '@noble/curves/ed25519.js';

const ED25519 = 0x0807;
// RFC 8410 §7 OneAsymmetricKey / §4 SubjectPublicKeyInfo prefixes for id-Ed25519 (1.3.101.112).
const pkcs8 = (seed: string) => concatBytes(fromHex('302e020100300506032b657004220420'), fromHex(seed));
const spki = (point: string) => concatBytes(fromHex('302a300506032b6570032100'), fromHex(point));

const RFC8032 = [
  {
    name: 'RFC 8032 §7.1 TEST 1',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'RFC 8032 §7.1 TEST 2',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe('ed25519 (RFC 8032 vectors through PKCS#8 and SPKI)', () => {
  it.each(RFC8032)('$name: the key, the signature, and a changed signature refused', async (v) => {
    const key = privateKeyFromPkcs8(pkcs8(v.secret));
    const pub = publicKeyFromSpki(spki(v.public));
    expect(key.kind).toBe('ed25519');
    expect(pub.kind).toBe('ed25519');
    expect(toHex(edPublicKey(fromHex(v.secret)))).toBe(v.public);
    const never = () => {
      throw new Error('Ed25519 draws no randomness');
    };
    const signature = await signWithScheme(key, ED25519, fromHex(v.message), never, true);
    expect(toHex(signature)).toBe(v.signature);
    expect(await verifyWithScheme(pub, ED25519, fromHex(v.message), signature)).toBe(true);
    const changed = signature.slice();
    changed[10]! ^= 1;
    expect(await verifyWithScheme(pub, ED25519, fromHex(v.message), changed)).toBe(false);
    expect(await verifyWithScheme(pub, 0x0403, fromHex(v.message), signature)).toBe(false);
  });

  it("reads RFC 8410 §10.3's example private key", () => {
    const decoded = decodeBase64('MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC');
    if (!decoded.ok) throw new Error(decoded.reason);
    const der = decoded.bytes;
    const parsed = parsePkcs8(der);
    expect(parsed.description).toEqual({ type: 'ed25519' });
    expect(toHex(parsed.edPrivateKey!)).toBe(
      'd4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842',
    );
  });

  it('refuses id-Ed25519 with parameters and keys of the wrong length, saying where', () => {
    // AlgorithmIdentifier { id-Ed25519, NULL }: RFC 8410 §3 says the parameters MUST be absent.
    const withNull = fromHex('302c300706032b65700500032100' + '00'.repeat(32));
    expect(() => parseSpki(withNull)).toThrow(DerError);
    expect(() => parseSpki(withNull)).toThrow(/no parameters/);
    const short = fromHex('3029300506032b6570032000' + '00'.repeat(31));
    expect(() => parseSpki(short)).toThrow(/32 bytes, not 31/);
  });

  it('decodes strictly, as RFC 8032 §5.1.3 and OpenSSL do: a non-canonical public key encoding does not verify', async () => {
    // y = p + 1 (p = 2^255 - 19): a non-canonical encoding of the identity point. Under it R = B, S = 1 "verifies"
    // any message in ZIP-215's permissive decoding (noble's default), which RFC 8032 rejects (y must be < p).
    const nonCanonicalIdentity = 'ee' + 'ff'.repeat(30) + '7f';
    const signature = fromHex('58' + '66'.repeat(31) + '01' + '00'.repeat(31));
    const message = fromHex('74657374');
    expect(ed25519.verify(signature, message, fromHex(nonCanonicalIdentity))).toBe(true);
    const pub = publicKeyFromSpki(spki(nonCanonicalIdentity));
    expect(await verifyWithScheme(pub, ED25519, message, signature)).toBe(false);
  });
});
