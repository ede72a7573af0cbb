/**
 * The Illustrated TLS 1.3 Connection: from its fixed x25519 keys and the handshake messages in caps/, the key
 * schedule's secrets equal keylog.txt line by line, and every protected record opens with the derived keys to
 * the plaintext in caps/ and seals back to the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { createCryptoProvider, type CryptoProvider } from '../../../src/lib/tls12/crypto/index.ts';
import {
  computeApplicationSecrets,
  computeHandshakeSecrets,
  tls13KeyLogLines,
  trafficKeys,
  transcriptHash,
} from '../../../src/lib/tls13/key-schedule.ts';
import { openRecord13, sealRecord13, type TrafficKey } from '../../../src/lib/tls13/record-protection.ts';
import { tls13Suite } from '../../../src/lib/tls13/suites.ts';
import { cap13, keylog13, PROTECTED_RECORDS, x25519Key } from './illustrated-fixture.ts';

const suite = tls13Suite(0x1302)!;
const clientRandom = Uint8Array.from({ length: 32 }, (_, i) => i);
/** A handshake message inside a plaintext file: everything but the trailing content type byte. */
const message = (name: string) => cap13(name).subarray(0, -1);

async function schedule(provider: CryptoProvider) {
  const client = await provider.importEcdhPrivateKey('x25519', x25519Key('client'));
  const server = await provider.importEcdhPrivateKey('x25519', x25519Key('server'));
  const sharedSecret = await provider.ecdh(client, server.publicKey);
  const hello = [cap13('clienthello').subarray(5), cap13('serverhello').subarray(5)];
  const hs = await computeHandshakeSecrets(provider, {
    hash: suite.hash,
    sharedSecret,
    helloHash: await transcriptHash(provider, suite.hash, hello),
  });
  const flight = ['serverextensions', 'servercert', 'servercertverify', 'serverfinished'].map(message);
  const app = await computeApplicationSecrets(provider, {
    hash: suite.hash,
    handshakeSecret: hs.handshakeSecret,
    serverFinishedHash: await transcriptHash(provider, suite.hash, [...hello, ...flight]),
  });
  return { hs, app };
}

describe('The Illustrated TLS 1.3 Connection: key schedule', () => {
  const provider = createCryptoProvider();

  it('derives every secret in keylog.txt, line by line', async () => {
    const { hs, app } = await schedule(provider);
    const lines = tls13KeyLogLines(clientRandom, hs, app);
    expect(lines).toEqual(keylog13().trim().split('\n'));
  });

  it('every protected record opens to the plaintext in caps/ and seals back to the same bytes', async () => {
    const { hs, app } = await schedule(provider);
    const keys = async (name: string, secret: Uint8Array): Promise<TrafficKey> =>
      trafficKeys(provider, suite, name, secret);
    const directions: [readonly (readonly [string, string])[], TrafficKey][] = [
      [PROTECTED_RECORDS.serverHandshake, await keys('s_hs', hs.serverHandshakeTrafficSecret)],
      [PROTECTED_RECORDS.clientHandshake, await keys('c_hs', hs.clientHandshakeTrafficSecret)],
      [PROTECTED_RECORDS.serverApplication, await keys('s_ap', app.serverApplicationTrafficSecret)],
      [PROTECTED_RECORDS.clientApplication, await keys('c_ap', app.clientApplicationTrafficSecret)],
    ];
    let opened = 0;
    for (const [records, key] of directions) {
      let sequenceNumber = 0n;
      for (const [encrypted, plain] of records) {
        const record = cap13(encrypted);
        const { message: inner } = await openRecord13(provider, suite, key, { record, sequenceNumber });
        expect(inner.paddingLength).toBe(0);
        expect([...inner.content, inner.contentType]).toEqual([...cap13(plain)]);
        const sealed = await sealRecord13(provider, suite, key, { inner, sequenceNumber });
        expect(sealed.record).toEqual(record);
        sequenceNumber++;
        opened++;
      }
    }
    expect(opened).toBe(9);
  });

  it('a record opened with the wrong sequence number fails as bad_record_mac', async () => {
    const { hs } = await schedule(provider);
    const key = await trafficKeys(provider, suite, 's_hs', hs.serverHandshakeTrafficSecret);
    await expect(
      openRecord13(provider, suite, key, { record: cap13('serverencextensions'), sequenceNumber: 1n }),
    ).rejects.toMatchObject({ kind: 'bad-record-mac' });
  });
});
