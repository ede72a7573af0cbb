/**
 * ECDH, signatures and RSA PKCS#1 v1.5 cross-checked against Node's OpenSSL (node:crypto, tests only).
 * Node 20 refuses RSA_PKCS1_PADDING in privateDecrypt since the Marvin-attack fix (CVE-2023-46809), so
 * OpenSSL's decryption runs in a child `node --security-revert=CVE-2023-46809`.
 */
import { execFileSync } from 'node:child_process';
import {
  constants,
  createECDH,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  NAMED_GROUP_CODE,
  SIGNATURE_SCHEMES,
  countingRandom,
  createCryptoProvider,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  namedGroupByCode,
  type SignatureSchemeInfo,
} from '../../../../src/lib/tls12/crypto/index.ts';

const provider = createCryptoProvider();

function der(key: KeyObject, type: 'pkcs8' | 'spki'): Uint8Array {
  return new Uint8Array(key.export({ format: 'der', type }));
}

describe('ECDH against node:crypto (OpenSSL)', () => {
  it('a fresh pair (WebCrypto generateKey) shows the private scalar that belongs to its public key', async () => {
    for (const group of ['x25519', 'secp256r1', 'secp384r1'] as const) {
      const fresh = await provider.generateEcdhKeyPair(group);
      // Importing the shown scalar on a seeded provider (the import path) gives the same public key.
      const again = await createCryptoProvider({ random: countingRandom() }).importEcdhPrivateKey(
        group,
        fresh.privateKey,
      );
      expect(again.publicKey, group).toEqual(fresh.publicKey);
    }
  });

  it('x25519: both sides agree', async () => {
    const theirs = generateKeyPairSync('x25519');
    const theirRaw = der(theirs.publicKey, 'spki').subarray(-32); // SPKI = 12-byte prefix + 32-byte u
    const ours = await provider.generateEcdhKeyPair('x25519');
    const ourKeyObject = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), ours.publicKey]),
      format: 'der',
      type: 'spki',
    });
    const shared = await provider.ecdh(ours, theirRaw);
    expect(Buffer.from(shared)).toEqual(
      diffieHellman({ privateKey: theirs.privateKey, publicKey: ourKeyObject }),
    );
  });

  for (const [group, curve, size] of [
    ['secp256r1', 'prime256v1', 32],
    ['secp384r1', 'secp384r1', 48],
  ] as const) {
    it(`${group}: both sides agree, with uncompressed points of ${1 + 2 * size} bytes`, async () => {
      for (let i = 0; i < 3; i++) {
        const theirs = createECDH(curve);
        theirs.generateKeys();
        const ours = await provider.generateEcdhKeyPair(group);
        expect(ours.publicKey.length).toBe(1 + 2 * size);
        expect(ours.publicKey[0]).toBe(4);
        const shared = await provider.ecdh(ours, theirs.getPublicKey());
        expect(shared.length).toBe(size);
        expect(Buffer.from(shared)).toEqual(theirs.computeSecret(Buffer.from(ours.publicKey)));
      }
    });

    it(`${group}: rejects a compressed point, a wrong length and a point off the curve`, async () => {
      const ours = await provider.generateEcdhKeyPair(group);
      const theirs = createECDH(curve);
      theirs.generateKeys();
      const offCurve = Buffer.from(theirs.getPublicKey());
      offCurve[offCurve.length - 1] = offCurve[offCurve.length - 1]! ^ 1;
      for (const bad of [
        theirs.getPublicKey(undefined, 'compressed'),
        theirs.getPublicKey().subarray(1),
        offCurve,
      ]) {
        await expect(provider.ecdh(ours, bad)).rejects.toMatchObject({ kind: 'invalid-input' });
      }
    });
  }

  it('maps NamedGroup code points both ways (RFC 8422 §5.1.1, RFC 7748)', () => {
    expect([23, 24, 29, 30].map(namedGroupByCode)).toEqual(['secp256r1', 'secp384r1', 'x25519', undefined]);
    expect(NAMED_GROUP_CODE).toEqual({ secp256r1: 23, secp384r1: 24, x25519: 29 });
  });

  it('ephemeral private keys come from the injected random source (same source, same key pair)', async () => {
    for (const group of ['x25519', 'secp256r1', 'secp384r1'] as const) {
      const a = await createCryptoProvider({ random: countingRandom(0x20) }).generateEcdhKeyPair(group);
      const b = await createCryptoProvider({ random: countingRandom(0x20) }).generateEcdhKeyPair(group);
      const c = await createCryptoProvider({ random: countingRandom(0x21) }).generateEcdhKeyPair(group);
      expect(a.publicKey).toEqual(b.publicKey);
      expect(a.publicKey).not.toEqual(c.publicKey);
    }
  });

  it('x25519: rejects a low-order peer key that gives an all-zero secret (RFC 8422 §5.11)', async () => {
    const ours = await provider.generateEcdhKeyPair('x25519');
    await expect(provider.ecdh(ours, new Uint8Array(32))).rejects.toMatchObject({
      kind: 'invalid-shared-secret',
    });
  });
});

/** Node's sign/verify options for a scheme. */
function nodeOptions(scheme: SignatureSchemeInfo, key: KeyObject) {
  const hash = scheme.hash;
  if (scheme.padding === 'pss')
    return {
      hash,
      key: {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[hash],
      },
    };
  if (scheme.padding === 'pkcs1') return { hash, key: { key, padding: constants.RSA_PKCS1_PADDING } };
  return { hash, key: { key, dsaEncoding: 'der' as const } };
}

describe('signatures against node:crypto (OpenSSL), every scheme', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  const keyFor = (s: SignatureSchemeInfo) => (s.keyType === 'rsa' ? rsa : s.hash === 'sha384' ? p384 : p256);

  it('covers the eight schemes of the brief', () => {
    expect(SIGNATURE_SCHEMES.map((s) => s.name)).toEqual([
      'rsa_pkcs1_sha256',
      'rsa_pkcs1_sha384',
      'rsa_pkcs1_sha512',
      'rsa_pss_rsae_sha256',
      'rsa_pss_rsae_sha384',
      'rsa_pss_rsae_sha512',
      'ecdsa_secp256r1_sha256',
      'ecdsa_secp384r1_sha384',
    ]);
  });

  for (const scheme of SIGNATURE_SCHEMES) {
    it(`${scheme.name} (0x${scheme.code.toString(16).padStart(4, '0')}): ours verifies with OpenSSL and OpenSSL's with ours; a changed message fails both`, async () => {
      const pair = keyFor(scheme);
      const privateKey = await provider.importPrivateKey(der(pair.privateKey, 'pkcs8'));
      const publicKey = await provider.importPublicKey(der(pair.publicKey, 'spki'));
      const data = randomBytes(200);
      const other = Buffer.concat([data, Buffer.of(0)]);

      const ours = await provider.sign(scheme.name, privateKey, data);
      const verifyOpts = nodeOptions(scheme, pair.publicKey);
      expect(nodeVerify(verifyOpts.hash, data, verifyOpts.key, ours)).toBe(true);
      expect(nodeVerify(verifyOpts.hash, other, verifyOpts.key, ours)).toBe(false);

      const signOpts = nodeOptions(scheme, pair.privateKey);
      const theirs = nodeSign(signOpts.hash, data, signOpts.key);
      expect(await provider.verify(scheme.name, publicKey, data, theirs)).toBe(true);
      expect(await provider.verify(scheme.name, publicKey, other, theirs)).toBe(false);
      if (scheme.keyType === 'ec') expect(ours[0]).toBe(0x30); // DER SEQUENCE, as TLS carries it
    });
  }

  it('keys we generate (RSA-2048, P-256, P-384) load in OpenSSL and sign verifiably', async () => {
    for (const [kind, scheme] of [
      ['rsa-2048', 'rsa_pss_rsae_sha256'],
      ['p256', 'ecdsa_secp256r1_sha256'],
      ['p384', 'ecdsa_secp384r1_sha384'],
    ] as const) {
      const generated = await provider.generateKeyPair(kind);
      const nodePublic = createPublicKey({ key: Buffer.from(generated.spki), format: 'der', type: 'spki' });
      const details = nodePublic.asymmetricKeyDetails!;
      if (kind === 'rsa-2048')
        expect([nodePublic.asymmetricKeyType, details.modulusLength]).toEqual(['rsa', 2048]);
      else
        expect([nodePublic.asymmetricKeyType, details.namedCurve]).toEqual([
          'ec',
          kind === 'p256' ? 'prime256v1' : 'secp384r1',
        ]);
      const data = randomBytes(64);
      const sig = await provider.sign(scheme, await provider.importPrivateKey(generated.pkcs8), data);
      const opts = nodeOptions(
        SIGNATURE_SCHEMES.find((s) => s.name === scheme)!,
        nodePublic,
      );
      expect(nodeVerify(opts.hash, data, opts.key, sig)).toBe(true);
    }
  });

  it('a key of the wrong type for the scheme is an error, a malformed ECDSA signature is just invalid', async () => {
    const ecPublic = await provider.importPublicKey(der(p256.publicKey, 'spki'));
    await expect(
      provider.verify('rsa_pkcs1_sha256', ecPublic, new Uint8Array(1), new Uint8Array(256)),
    ).rejects.toMatchObject({
      kind: 'invalid-input',
      message: 'signature scheme rsa_pkcs1_sha256 needs an RSA key, got EC',
    });
    expect(
      await provider.verify(
        'ecdsa_secp256r1_sha256',
        ecPublic,
        new Uint8Array(1),
        Uint8Array.of(0x30, 0x03, 0x02, 0x01),
      ),
    ).toBe(false);
  });

  it('ECDSA DER <-> r||s keeps leading-zero and high-bit integers right', () => {
    const raw = Uint8Array.from([...new Uint8Array(31), 0x05, 0x80, ...new Uint8Array(31).fill(0x11)]);
    const encoded = ecdsaRawToDer(raw, 32);
    expect(Buffer.from(encoded).toString('hex')).toBe('3026020105022100' + '80' + '11'.repeat(31));
    expect(ecdsaDerToRaw(encoded, 32)).toEqual(raw);
    expect(() =>
      ecdsaDerToRaw(Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00), 32),
    ).toThrow(/trailing/);
  });
});

/** OpenSSL's RSAES-PKCS1-v1_5 decryption, in a child process that re-enables it. */
function opensslPkcs1Decrypt(pkcs8Pem: string, ciphertext: Uint8Array): Buffer {
  const script =
    "const c=require('crypto');let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);" +
    "process.stdout.write(c.privateDecrypt({key:j.key,padding:c.constants.RSA_PKCS1_PADDING},Buffer.from(j.c,'hex')).toString('hex'))})";
  const out = execFileSync(process.execPath, ['--security-revert=CVE-2023-46809', '-e', script], {
    input: JSON.stringify({ key: pkcs8Pem, c: Buffer.from(ciphertext).toString('hex') }),
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  // Node prints "SECURITY WARNING: Reverting CVE-2023-46809 …" on stdout first: the hex is the last line.
  const hex = out.toString().trim().split('\n').pop()!;
  expect(hex).toMatch(/^[0-9a-f]+$/);
  return Buffer.from(hex, 'hex');
}

describe('RSAES-PKCS1-v1_5 pre-master secret against node:crypto (OpenSSL)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

  it('a pre-master we encrypt decrypts with OpenSSL privateDecrypt(RSA_PKCS1_PADDING)', async () => {
    const publicKey = await provider.importPublicKey(der(rsa.publicKey, 'spki'));
    const pms = Buffer.concat([Buffer.of(3, 3), randomBytes(46)]);
    const encrypted = await provider.rsaPkcs1Encrypt(publicKey, pms);
    expect(encrypted.length).toBe(256);
    expect(opensslPkcs1Decrypt(pem, encrypted)).toEqual(pms);
  });

  it("OpenSSL's publicEncrypt(RSA_PKCS1_PADDING) decrypts with ours, plain and with the RFC 5246 §7.4.7.1 countermeasure", async () => {
    const privateKey = await provider.importPrivateKey(der(rsa.privateKey, 'pkcs8'));
    const pms = Buffer.concat([Buffer.of(3, 3), randomBytes(46)]);
    const encrypted = publicEncrypt({ key: rsa.publicKey, padding: constants.RSA_PKCS1_PADDING }, pms);
    expect(Buffer.from(await provider.rsaPkcs1Decrypt(privateKey, encrypted))).toEqual(pms);
    expect(Buffer.from(await provider.rsaDecryptPreMasterSecret(privateKey, encrypted, 0x0303))).toEqual(pms);
  });

  it('bad padding, a wrong length or a wrong version never throw: the server gets client_version + R from its random source', async () => {
    // countingRandom makes R recognisable: the first 46 bytes drawn are 00 01 … 2d.
    const server = createCryptoProvider({ random: countingRandom(0) });
    const privateKey = await server.importPrivateKey(der(rsa.privateKey, 'pkcs8'));
    const R = Buffer.from([...Array(46).keys()]);
    const garbage = randomBytes(256);
    garbage[0] = 0; // below the modulus, but not PKCS#1 type 2 (overwhelmingly)
    const short = publicEncrypt(
      { key: rsa.publicKey, padding: constants.RSA_PKCS1_PADDING },
      randomBytes(47),
    );
    for (const encrypted of [garbage, short]) {
      const fresh = createCryptoProvider({ random: countingRandom(0) });
      const key = await fresh.importPrivateKey(der(rsa.privateKey, 'pkcs8'));
      const out = await fresh.rsaDecryptPreMasterSecret(key, encrypted, 0x0303);
      expect(Buffer.from(out)).toEqual(Buffer.concat([Buffer.of(3, 3), R]));
    }
    await expect(server.rsaPkcs1Decrypt(privateKey, garbage)).rejects.toMatchObject({
      kind: 'invalid-input',
    });
    // A well-padded 48-byte M with the wrong version: the version is replaced (the handshake then fails at Finished).
    const m = Buffer.concat([Buffer.of(3, 1), randomBytes(46)]);
    const wrongVersion = publicEncrypt({ key: rsa.publicKey, padding: constants.RSA_PKCS1_PADDING }, m);
    const out = await server.rsaDecryptPreMasterSecret(privateKey, wrongVersion, 0x0303);
    expect(Buffer.from(out)).toEqual(Buffer.concat([Buffer.of(3, 3), m.subarray(2)]));
  });
});
