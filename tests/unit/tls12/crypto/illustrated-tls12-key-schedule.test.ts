/**
 * The Illustrated TLS 1.2 Connection (syncsynchalt/illustrated-tls12): from the two published X25519
 * private keys to the Finished verify_data, every value compared with expected-values.json and keylog.txt.
 * Suite 0xC013 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, no extended master secret.
 */
import { describe, expect, it } from 'vitest';
import {
  cipherSuite,
  computeKeyBlock,
  computeMasterSecret,
  computeVerifyData,
  concatBytes,
  handshakeHash,
  createCryptoProvider,
  deriveSessionKeys,
  toHex,
} from '../../../../src/lib/tls12/crypto/index.ts';
import { pemToDer } from '../../../../src/lib/bytes/pem.ts';
import { cap, hexValue, keyFile, keylogText, values } from './illustrated-fixture.ts';

const provider = createCryptoProvider();
const suite = cipherSuite(0xc013)!;
const clientRandom = hexValue('client_random');
const serverRandom = hexValue('server_random');

describe('Illustrated TLS 1.2 key schedule (0xC013, x25519)', () => {
  it('the suite table describes 0xC013 as the fixture does', () => {
    expect(values.cipher_suite).toContain(suite.name);
    expect(suite).toMatchObject({
      kex: 'ecdhe',
      certificateKey: 'rsa',
      cipherType: 'block',
      keyLength: 16,
      macKeyLength: 20,
      fixedIvLength: 0,
      recordIvLength: 16,
      prfHash: 'sha256',
    });
  });

  it('X25519 public keys from the published private keys match the published public keys', async () => {
    const client = await provider.importEcdhPrivateKey('x25519', hexValue('client_ephemeral_private_x25519'));
    const server = await provider.importEcdhPrivateKey('x25519', hexValue('server_ephemeral_private_x25519'));
    expect(toHex(client.publicKey)).toBe(values.client_ephemeral_public);
    expect(toHex(server.publicKey)).toBe(values.server_ephemeral_public);
  });

  it('the private keys in keys/*.key (PKCS#8 PEM) are the published scalars', () => {
    // id-X25519 PrivateKeyInfo: the last 32 bytes are the scalar (RFC 8410 §7).
    const client = pemToDer(keyFile('client-ephemeral-private.key'), 'PRIVATE KEY')[0]!;
    const server = pemToDer(keyFile('server-ephemeral-private.key'), 'PRIVATE KEY')[0]!;
    expect(toHex(client.subarray(-32))).toBe(values.client_ephemeral_private_x25519);
    expect(toHex(server.subarray(-32))).toBe(values.server_ephemeral_private_x25519);
  });

  it('both sides compute the published pre_master_secret', async () => {
    const client = await provider.importEcdhPrivateKey('x25519', hexValue('client_ephemeral_private_x25519'));
    const server = await provider.importEcdhPrivateKey('x25519', hexValue('server_ephemeral_private_x25519'));
    expect(toHex(await provider.ecdh(client, server.publicKey))).toBe(values.pre_master_secret);
    expect(toHex(await provider.ecdh(server, client.publicKey))).toBe(values.pre_master_secret);
  });

  it('master_secret matches expected-values.json and the capture keylog.txt', async () => {
    const master = await computeMasterSecret(provider, {
      prfHash: suite.prfHash,
      preMasterSecret: hexValue('pre_master_secret'),
      clientRandom,
      serverRandom,
    });
    expect(toHex(master.value)).toBe(values.master_secret);
    const line = keylogText()
      .split('\n')
      .find((l) => l.startsWith(`CLIENT_RANDOM ${values.client_random} `));
    expect(line?.split(' ')[2]).toBe(toHex(master.value));
    expect(master.name).toBe('master_secret');
    expect(master.formula).toBe(
      'PRF-SHA256(pre_master_secret, "master secret", client_random + server_random)[0..47]',
    );
    expect(master.inputs.map((i) => i.name)).toEqual([
      'pre_master_secret',
      'label',
      'client_random',
      'server_random',
    ]);
  });

  it('key_block (72 bytes) and its split match the published keys', async () => {
    const { keys, derivations } = await computeKeyBlock(
      provider,
      suite,
      hexValue('master_secret'),
      clientRandom,
      serverRandom,
    );
    expect(toHex(derivations[0]!.value)).toBe(values.key_block_72);
    expect(toHex(keys.clientWriteMacKey)).toBe(values.client_write_mac_key);
    expect(toHex(keys.serverWriteMacKey)).toBe(values.server_write_mac_key);
    expect(toHex(keys.clientWriteKey)).toBe(values.client_write_key);
    expect(toHex(keys.serverWriteKey)).toBe(values.server_write_key);
    expect(keys.clientWriteIv.length + keys.serverWriteIv.length).toBe(0);
    expect(derivations.map((d) => [d.name, d.formula])).toEqual([
      ['key_block', 'PRF-SHA256(master_secret, "key expansion", server_random + client_random)[0..71]'],
      ['client_write_MAC_key', 'key_block[0..19]'],
      ['server_write_MAC_key', 'key_block[20..39]'],
      ['client_write_key', 'key_block[40..55]'],
      ['server_write_key', 'key_block[56..71]'],
    ]);
  });

  it('deriveSessionKeys chains master secret and key block', async () => {
    const session = await deriveSessionKeys(provider, {
      suite,
      preMasterSecret: hexValue('pre_master_secret'),
      clientRandom,
      serverRandom,
    });
    expect(toHex(session.masterSecret)).toBe(values.master_secret);
    expect(toHex(session.keys.serverWriteKey)).toBe(values.server_write_key);
    expect(session.derivations.map((d) => d.name)).toEqual([
      'master_secret',
      'key_block',
      'client_write_MAC_key',
      'server_write_MAC_key',
      'client_write_key',
      'server_write_key',
    ]);
  });

  it('the published handshake hashes are SHA-256 over the captured handshake messages', async () => {
    const names = [
      'clienthello',
      'serverhello',
      'servercert',
      'serverkeyexchange',
      'serverhellodone',
      'clientkeyexchange',
    ];
    const transcript = concatBytes(...names.map((n) => cap(n).subarray(5)));
    expect(toHex(await handshakeHash(provider, suite, transcript))).toBe(
      values.handshake_hash_for_client_finished_sha256,
    );
    // The server's Finished also covers the client's Finished message (its decrypted plaintext).
    const withClientFinished = concatBytes(transcript, cap('clientfinishedplain'));
    expect(toHex(await handshakeHash(provider, suite, withClientFinished))).toBe(
      values.handshake_hash_for_server_finished_sha256,
    );
  });

  it('client and server verify_data from the published handshake hashes', async () => {
    const master = hexValue('master_secret');
    const client = await computeVerifyData(
      provider,
      suite,
      master,
      'client',
      hexValue('handshake_hash_for_client_finished_sha256'),
    );
    const server = await computeVerifyData(
      provider,
      suite,
      master,
      'server',
      hexValue('handshake_hash_for_server_finished_sha256'),
    );
    expect(toHex(client.value)).toBe(values.client_verify_data);
    expect(toHex(server.value)).toBe(values.server_verify_data);
    expect(client.formula).toBe(
      'PRF-SHA256(master_secret, "client finished", Hash(handshake_messages))[0..11]',
    );
  });
});
