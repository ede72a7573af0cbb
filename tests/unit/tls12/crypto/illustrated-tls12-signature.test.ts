/**
 * The Illustrated TLS 1.2 Connection: the server's ServerKeyExchange signature (rsa_pkcs1_sha256 over
 * client_random + server_random + ServerECDHParams, RFC 8422 §5.4 / RFC 5246 §7.4.3). RSASSA-PKCS1-v1_5
 * is deterministic, so signing with keys/server.key must reproduce the captured signature byte for byte,
 * and it must verify with the public key of keys/server.crt.
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  createCryptoProvider,
  signatureScheme,
  toHex,
  wrapRsaPrivateKeyInPkcs8,
} from '../../../../src/lib/tls12/crypto/index.ts';
import { pemToDer } from '../../../../src/lib/bytes/pem.ts';
import { cap, hexValue, keyFile } from './illustrated-fixture.ts';

const provider = createCryptoProvider();

/** caps/serverkeyexchange: record header (5), handshake header (4), params (36), scheme (2), length (2), signature. */
function serverKeyExchange() {
  const body = cap('serverkeyexchange').subarray(5 + 4);
  const params = body.subarray(0, 4 + body[3]!); // curve_type, named_curve, opaque point<1..2^8-1>
  const rest = body.subarray(params.length);
  const scheme = (rest[0]! << 8) | rest[1]!;
  const length = (rest[2]! << 8) | rest[3]!;
  return { params, scheme, signature: rest.subarray(4, 4 + length), trailing: rest.length - 4 - length };
}

describe('Illustrated TLS 1.2 ServerKeyExchange signature', () => {
  const ske = serverKeyExchange();
  const signed = concatBytes(hexValue('client_random'), hexValue('server_random'), ske.params);

  it('is rsa_pkcs1_sha256 over the x25519 server public key', () => {
    expect(ske.trailing).toBe(0);
    expect(signatureScheme(ske.scheme)?.name).toBe('rsa_pkcs1_sha256');
    expect(toHex(ske.params)).toBe('03001d20' + toHex(hexValue('server_ephemeral_public')));
  });

  it('verifies with the public key of keys/server.crt, and not after one changed byte', async () => {
    const spki = new X509Certificate(keyFile('server.crt')).publicKey.export({ type: 'spki', format: 'der' });
    const publicKey = await provider.importPublicKey(new Uint8Array(spki));
    expect(publicKey.description).toEqual({ type: 'rsa', modulusBits: 2048 });
    expect(await provider.verify('rsa_pkcs1_sha256', publicKey, signed, ske.signature)).toBe(true);
    const altered = signed.slice();
    altered[0] = altered[0]! ^ 1;
    expect(await provider.verify('rsa_pkcs1_sha256', publicKey, altered, ske.signature)).toBe(false);
  });

  it('signing again with keys/server.key (PKCS#1, wrapped in PKCS#8) reproduces the captured signature', async () => {
    const pkcs8 = wrapRsaPrivateKeyInPkcs8(pemToDer(keyFile('server.key'), 'RSA PRIVATE KEY')[0]!);
    const privateKey = await provider.importPrivateKey(pkcs8);
    expect(toHex(await provider.sign('rsa_pkcs1_sha256', privateKey, signed))).toBe(toHex(ske.signature));
  });
});
