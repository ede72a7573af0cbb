/**
 * The engine signs and verifies through the crypto layer's WebCrypto provider, except for seeded runs, where
 * RSA-PSS (salt from the injected randomness) and ECDSA (RFC 6979) stay in JS so event logs reproduce.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../../../src/lib/tls12/handshake/certificate-info.ts';
import { privateKeyFromPkcs8 as parsePkcs8 } from '../../../../src/lib/tls12/crypto/keys.ts';
import { rsaSign } from '../../../../src/lib/tls12/crypto/rsa-signature.ts';
import { signWithScheme, verifyWithScheme } from '../../../../src/lib/tls12/crypto/signatures.ts';
import { deterministicRandom } from '../../../../src/lib/tls12/handshake/index.ts';
import { SignatureScheme } from '../../../../src/lib/tls12/wire/code-points.ts';
import { testPki, type TestPki } from '../../../kit/pure/pki.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await testPki();
});

const S = SignatureScheme.values;
const message = new TextEncoder().encode('client_random + server_random + params');

describe('engine signatures over the CryptoProvider', () => {
  it('RSA-PSS: WebCrypto signatures are randomised and verify; seeded ones repeat byte for byte', async () => {
    const key = parsePkcs8(pki.rsa.keyDer);
    const leaf = parseCertificate(pki.rsa.certDer).publicKey;
    const a = await signWithScheme(key, S.rsa_pss_rsae_sha256, message, deterministicRandom('x'));
    const b = await signWithScheme(key, S.rsa_pss_rsae_sha256, message, deterministicRandom('x'));
    expect(a).not.toEqual(b); // WebCrypto draws its own salt
    expect(await verifyWithScheme(leaf, S.rsa_pss_rsae_sha256, message, a)).toBe(true);
    const c = await signWithScheme(key, S.rsa_pss_rsae_sha256, message, deterministicRandom('x'), true);
    const d = await signWithScheme(key, S.rsa_pss_rsae_sha256, message, deterministicRandom('x'), true);
    expect(c).toEqual(d);
    expect(await verifyWithScheme(leaf, S.rsa_pss_rsae_sha256, message, c)).toBe(true);
  });

  it('RSA PKCS#1 v1.5 through WebCrypto equals the bigint signer (deterministic by construction)', async () => {
    const key = parsePkcs8(pki.rsa.keyDer);
    const ours = await signWithScheme(key, S.rsa_pkcs1_sha256, message, deterministicRandom('x'), true);
    if (key.kind !== 'rsa') throw new Error('expected an RSA key');
    expect(ours).toEqual(rsaSign(key.rsa, 'pkcs1', 'sha256', message, deterministicRandom('x')));
  });

  it('ECDSA: seeded signatures repeat (RFC 6979), WebCrypto ones verify; a flipped bit does not', async () => {
    const key = parsePkcs8(pki.ecdsa.keyDer);
    const leaf = parseCertificate(pki.ecdsa.certDer).publicKey;
    const r = deterministicRandom('x');
    const a = await signWithScheme(key, S.ecdsa_secp256r1_sha256, message, r, true);
    expect(await signWithScheme(key, S.ecdsa_secp256r1_sha256, message, r, true)).toEqual(a);
    const w = await signWithScheme(key, S.ecdsa_secp256r1_sha256, message, r);
    expect(await verifyWithScheme(leaf, S.ecdsa_secp256r1_sha256, message, w)).toBe(true);
    const bad = w.slice();
    bad[bad.length - 1]! ^= 1;
    expect(await verifyWithScheme(leaf, S.ecdsa_secp256r1_sha256, message, bad)).toBe(false);
  });
});
