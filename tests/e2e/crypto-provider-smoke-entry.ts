/**
 * Runs in Chromium (bundled by chromium-provider.test.ts): exercises every provider path with the inputs
 * it is given and returns hex strings for Node to check. No Node built-ins here.
 */
import {
  SIGNATURE_SCHEMES,
  cipherSuite,
  computeKeyBlock,
  computeMasterSecret,
  computeVerifyData,
  countingRandom,
  createCryptoProvider,
  fromHex,
  openRecord,
  sealRecord,
  toHex,
} from '../../src/lib/tls12/crypto/index.ts';

export interface SmokeInput {
  illustrated: Record<string, string>;
  clientFinishedRecord: string;
  keys: { rsa: { pkcs8: string; spki: string }; p256: { pkcs8: string }; p384: { pkcs8: string } };
  message: string;
  rsaCiphertextFromNode: string;
}

export async function smoke(input: SmokeInput): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const provider = createCryptoProvider();
  const v = input.illustrated;
  const h = (name: string) => fromHex(v[name]!);

  // Illustrated TLS 1.2: X25519 -> master secret -> key block -> verify_data -> CBC record.
  const client = await provider.importEcdhPrivateKey('x25519', h('client_ephemeral_private_x25519'));
  const server = await provider.importEcdhPrivateKey('x25519', h('server_ephemeral_private_x25519'));
  const pms = await provider.ecdh(client, server.publicKey);
  out.pre_master_secret = toHex(pms);
  const suite = cipherSuite(0xc013)!;
  const master = await computeMasterSecret(provider, {
    prfHash: 'sha256',
    preMasterSecret: pms,
    clientRandom: h('client_random'),
    serverRandom: h('server_random'),
  });
  out.master_secret = toHex(master.value);
  const { keys, derivations } = await computeKeyBlock(
    provider,
    suite,
    master.value,
    h('client_random'),
    h('server_random'),
  );
  out.key_block_72 = toHex(derivations[0]!.value);
  out.client_verify_data = toHex(
    (
      await computeVerifyData(
        provider,
        suite,
        master.value,
        'client',
        h('handshake_hash_for_client_finished_sha256'),
      )
    ).value,
  );
  const record = fromHex(input.clientFinishedRecord);
  const opened = await openRecord(
    provider,
    suite,
    { key: keys.clientWriteKey, iv: keys.clientWriteIv, macKey: keys.clientWriteMacKey },
    { contentType: record[0]!, version: 0x0303, fragment: record.subarray(5), sequenceNumber: 0n },
  );
  out.client_finished_plaintext = toHex(opened.plaintext);
  const resealed = await sealRecord(
    provider,
    suite,
    { key: keys.clientWriteKey, iv: keys.clientWriteIv, macKey: keys.clientWriteMacKey },
    {
      contentType: 22,
      version: 0x0303,
      plaintext: opened.plaintext,
      sequenceNumber: 0n,
      explicitIv: record.subarray(5, 21),
    },
  );
  out.client_finished_resealed = toHex(resealed.record);

  // AEAD records with fixed keys, opened back in Node.
  for (const code of [0xc02f, 0xc030, 0xcca8]) {
    const s = cipherSuite(code)!;
    const dir = {
      key: new Uint8Array(s.keyLength).fill(7),
      iv: new Uint8Array(s.fixedIvLength).fill(9),
      macKey: new Uint8Array(0),
    };
    const sealed = await sealRecord(provider, s, dir, {
      contentType: 23,
      version: 0x0303,
      plaintext: new TextEncoder().encode(input.message),
      sequenceNumber: 3n,
    });
    out[`aead_${code.toString(16)}`] = toHex(sealed.fragment);
  }

  // The fast path (noble digests, HMAC and AES-GCM) in Chromium: two records under one key object each, and the
  // key block through its HMAC, as WebCrypto makes them.
  const fast = createCryptoProvider({ fastPath: true });
  for (const code of [0xc02f, 0xc030]) {
    const s = cipherSuite(code)!;
    const dir = {
      key: new Uint8Array(s.keyLength).fill(7),
      iv: new Uint8Array(s.fixedIvLength).fill(9),
      macKey: new Uint8Array(0),
    };
    for (const [name, p] of [
      ['web', provider],
      ['fast', fast],
    ] as const) {
      for (const sequenceNumber of [3n, 4n]) {
        const sealed = await sealRecord(p, s, dir, {
          contentType: 23,
          version: 0x0303,
          plaintext: new TextEncoder().encode(input.message.repeat(Number(sequenceNumber))),
          sequenceNumber,
        });
        out[`aead_${name}_${code.toString(16)}_${sequenceNumber}`] = toHex(sealed.fragment);
      }
    }
  }
  const fastBlock = await computeKeyBlock(fast, suite, master.value, h('client_random'), h('server_random'));
  out.key_block_72_fast = toHex(fastBlock.derivations[0]!.value);
  out.digest_fast = toHex(await fast.digest('sha384', new TextEncoder().encode(input.message)));
  out.digest_web = toHex(await provider.digest('sha384', new TextEncoder().encode(input.message)));

  // Deterministic NIST ECDH key pairs (private keys from countingRandom) and their shared secrets.
  for (const group of ['secp256r1', 'secp384r1'] as const) {
    const a = await createCryptoProvider({ random: countingRandom(0x20) }).generateEcdhKeyPair(group);
    const b = await createCryptoProvider({ random: countingRandom(0x90) }).generateEcdhKeyPair(group);
    out[`${group}_a_public`] = toHex(a.publicKey);
    out[`${group}_shared`] = toHex(await provider.ecdh(a, b.publicKey));
    out[`${group}_shared_reverse`] = toHex(await provider.ecdh(b, a.publicKey));
  }

  // Signatures with keys made in Node.
  const message = new TextEncoder().encode(input.message);
  const rsa = await provider.importPrivateKey(fromHex(input.keys.rsa.pkcs8));
  const p256 = await provider.importPrivateKey(fromHex(input.keys.p256.pkcs8));
  const p384 = await provider.importPrivateKey(fromHex(input.keys.p384.pkcs8));
  for (const scheme of SIGNATURE_SCHEMES) {
    const key = scheme.keyType === 'rsa' ? rsa : scheme.hash === 'sha384' ? p384 : p256;
    out[`sig_${scheme.name}`] = toHex(await provider.sign(scheme.name, key, message));
  }

  // RSAES-PKCS1-v1_5 both ways.
  const rsaPublic = await provider.importPublicKey(fromHex(input.keys.rsa.spki));
  out.rsa_encrypted = toHex(await provider.rsaPkcs1Encrypt(rsaPublic, new Uint8Array(48).fill(0x33)));
  out.rsa_decrypted = toHex(
    await provider.rsaDecryptPreMasterSecret(rsa, fromHex(input.rsaCiphertextFromNode), 0x0303),
  );

  // Key generation.
  for (const kind of ['p256', 'p384', 'rsa-2048'] as const)
    out[`generated_${kind}_spki`] = toHex((await provider.generateKeyPair(kind)).spki);
  return out;
}
