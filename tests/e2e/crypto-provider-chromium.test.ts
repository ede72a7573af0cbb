/**
 * The provider runs unchanged in Chromium (Debian's /usr/bin/chromium through playwright-core, as the
 * e2e suite does): chromium-smoke-entry.ts is bundled with esbuild, served from 127.0.0.1 (a secure
 * context, which WebCrypto requires), and its outputs are checked in Node against the Illustrated TLS 1.2
 * values, node:crypto and our Node-side provider. Fails if Chromium is missing.
 */
import { createServer, type Server } from 'node:http';
import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  verify as nodeVerify,
} from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../kit/programs/browser.ts';
import {
  SIGNATURE_SCHEMES,
  cipherSuite,
  countingRandom,
  createCryptoProvider,
  fromHex,
  openRecord,
  toHex,
} from '../../src/lib/tls12/crypto/index.ts';
import type { SmokeInput } from './crypto-provider-smoke-entry.ts';
import { cap, values } from '../unit/tls12/crypto/illustrated-fixture.ts';

const provider = createCryptoProvider();
const MESSAGE = 'TLS Lab in Chromium';

describe('the crypto provider in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let results: Record<string, string>;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  const hex = (b: Buffer) => b.toString('hex');
  const rsaCiphertext = publicEncrypt(
    { key: rsa.publicKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.alloc(48, 0x44).fill(3, 0, 2),
  );

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./crypto-provider-smoke-entry.ts', import.meta.url))],
      bundle: true,
      format: 'iife',
      globalName: 'CryptoSmoke',
      platform: 'browser',
      target: 'es2022',
      write: false,
    });
    const js = bundle.outputFiles[0]!.text;
    server = createServer((req, res) => {
      if (req.url === '/smoke.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      else
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><script src="/smoke.js"></script>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const input: SmokeInput = {
      illustrated: Object.fromEntries(
        Object.entries(values).filter(([, v]) => typeof v === 'string'),
      ) as Record<string, string>,
      clientFinishedRecord: toHex(cap('clientfinished')),
      keys: {
        rsa: {
          pkcs8: hex(rsa.privateKey.export({ format: 'der', type: 'pkcs8' })),
          spki: hex(rsa.publicKey.export({ format: 'der', type: 'spki' })),
        },
        p256: { pkcs8: hex(p256.privateKey.export({ format: 'der', type: 'pkcs8' })) },
        p384: { pkcs8: hex(p384.privateKey.export({ format: 'der', type: 'pkcs8' })) },
      },
      message: MESSAGE,
      rsaCiphertextFromNode: hex(rsaCiphertext),
    };
    results = await page.evaluate(
      (i) =>
        (
          globalThis as unknown as { CryptoSmoke: { smoke(i: SmokeInput): Promise<Record<string, string>> } }
        ).CryptoSmoke.smoke(i),
      input,
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('computes the Illustrated TLS 1.2 secrets and opens and re-seals its client Finished record', () => {
    expect(results.pre_master_secret).toBe(values.pre_master_secret);
    expect(results.master_secret).toBe(values.master_secret);
    expect(results.key_block_72).toBe(values.key_block_72);
    expect(results.client_verify_data).toBe(values.client_verify_data);
    expect(results.client_finished_plaintext).toBe(toHex(cap('clientfinishedplain')));
    expect(results.client_finished_resealed).toBe(toHex(cap('clientfinished')));
  });

  it('seals AES-GCM and ChaCha20-Poly1305 records that open in Node', async () => {
    for (const code of [0xc02f, 0xc030, 0xcca8]) {
      const s = cipherSuite(code)!;
      const dir = {
        key: new Uint8Array(s.keyLength).fill(7),
        iv: new Uint8Array(s.fixedIvLength).fill(9),
        macKey: new Uint8Array(0),
      };
      const opened = await openRecord(provider, s, dir, {
        contentType: 23,
        version: 0x0303,
        fragment: fromHex(results[`aead_${code.toString(16)}`]!),
        sequenceNumber: 3n,
      });
      expect(new TextDecoder().decode(opened.plaintext)).toBe(MESSAGE);
    }
  });

  it("seals with the fast path's noble AES-GCM as with Chromium's WebCrypto, and derives the same key block and digest", () => {
    for (const code of ['c02f', 'c030'])
      for (const seq of [3, 4]) {
        expect(results[`aead_fast_${code}_${seq}`]).toBe(results[`aead_web_${code}_${seq}`]);
        expect(results[`aead_fast_${code}_${seq}`]).toMatch(/^[0-9a-f]{80,}$/);
      }
    expect(results.key_block_72_fast).toBe(values.key_block_72);
    expect(results.digest_fast).toBe(results.digest_web);
    expect(results.digest_fast).toHaveLength(96);
  });

  it('derives the same P-256/P-384 key pairs from the same random source as Node, and agrees on ECDH', async () => {
    for (const group of ['secp256r1', 'secp384r1'] as const) {
      const a = await createCryptoProvider({ random: countingRandom(0x20) }).generateEcdhKeyPair(group);
      const b = await createCryptoProvider({ random: countingRandom(0x90) }).generateEcdhKeyPair(group);
      expect(results[`${group}_a_public`]).toBe(toHex(a.publicKey));
      expect(results[`${group}_shared`]).toBe(toHex(await provider.ecdh(a, b.publicKey)));
      expect(results[`${group}_shared_reverse`]).toBe(results[`${group}_shared`]);
    }
  });

  it('signs with every scheme so that node:crypto verifies', () => {
    for (const scheme of SIGNATURE_SCHEMES) {
      const key =
        scheme.keyType === 'rsa' ? rsa.publicKey : scheme.hash === 'sha384' ? p384.publicKey : p256.publicKey;
      const padding =
        scheme.padding === 'pss'
          ? {
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[scheme.hash],
            }
          : {};
      const signature = Buffer.from(results[`sig_${scheme.name}`]!, 'hex');
      expect(nodeVerify(scheme.hash, Buffer.from(MESSAGE), { key, ...padding }, signature)).toBe(true);
    }
  });

  it('does RSAES-PKCS1-v1_5 both ways and exports generated keys as SPKI Node can load', async () => {
    const rsaKey = await provider.importPrivateKey(
      new Uint8Array(rsa.privateKey.export({ format: 'der', type: 'pkcs8' })),
    );
    expect(toHex(await provider.rsaPkcs1Decrypt(rsaKey, fromHex(results.rsa_encrypted!)))).toBe(
      '33'.repeat(48),
    );
    expect(results.rsa_decrypted).toBe('0303' + '44'.repeat(46));
    expect(
      createPublicKey({ key: Buffer.from(results.generated_p256_spki!, 'hex'), format: 'der', type: 'spki' })
        .asymmetricKeyDetails?.namedCurve,
    ).toBe('prime256v1');
    expect(
      createPublicKey({ key: Buffer.from(results.generated_p384_spki!, 'hex'), format: 'der', type: 'spki' })
        .asymmetricKeyDetails?.namedCurve,
    ).toBe('secp384r1');
    expect(
      createPublicKey({
        key: Buffer.from(results['generated_rsa-2048_spki']!, 'hex'),
        format: 'der',
        type: 'spki',
      }).asymmetricKeyDetails?.modulusLength,
    ).toBe(2048);
  });
});
