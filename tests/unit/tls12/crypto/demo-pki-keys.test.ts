/**
 * The demo keys the in-browser server signs with (fixtures/demo-pki, PKCS#8 PEM) load into the provider
 * and make signatures that verify under their certificates' public keys (SPKI taken by node:crypto).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCryptoProvider, type SignatureSchemeName } from '../../../../src/lib/tls12/crypto/index.ts';
import { pemToDer } from '../../../../src/lib/bytes/pem.ts';

const DIR = fileURLToPath(new URL('../../../../fixtures/demo-pki/', import.meta.url));
const provider = createCryptoProvider();

describe('fixtures/demo-pki keys', () => {
  for (const name of [
    'server-rsa',
    'server-ecdsa',
    'server-expired',
    'server-other-host',
    'server-untrusted',
  ]) {
    it(`${name}.key signs so that ${name}.crt's public key verifies`, async () => {
      const key = await provider.importPrivateKey(
        pemToDer(readFileSync(`${DIR}${name}.key`, 'utf8'), 'PRIVATE KEY')[0]!,
      );
      const cert = new X509Certificate(readFileSync(`${DIR}${name}.crt`));
      const publicKey = await provider.importPublicKey(
        new Uint8Array(cert.publicKey.export({ type: 'spki', format: 'der' })),
      );
      expect(publicKey.description).toEqual(key.description);
      const scheme: SignatureSchemeName =
        key.description.type === 'rsa' ? 'rsa_pss_rsae_sha256' : 'ecdsa_secp256r1_sha256';
      const data = new TextEncoder().encode(`ServerKeyExchange params for ${name}`);
      expect(await provider.verify(scheme, publicKey, data, await provider.sign(scheme, key, data))).toBe(
        true,
      );
    });
  }
});
