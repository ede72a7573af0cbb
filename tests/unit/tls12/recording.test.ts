import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { attackRecording } from '../../../src/lib/tls12/recording';
import { acceptAnyCertificate, pemToDer, runHandshake } from '../../../src/lib/tls12/handshake/index';

const cert = pemToDer(readFileSync('fixtures/demo-pki/server-rsa.crt', 'utf8'), 'CERTIFICATE');
const key = pemToDer(readFileSync('fixtures/demo-pki/server-rsa.key', 'utf8'), 'PRIVATE KEY')[0]!;
const request = new TextEncoder().encode('SELECT secret FROM vault;');

async function record(suite: number, extendedMasterSecret: boolean) {
  return runHandshake({
    client: { suites: [suite], extendedMasterSecret, verifier: acceptAnyCertificate },
    server: { suites: [suite], extendedMasterSecret, certificateChain: cert, privateKey: key },
    now: Date.UTC(2026, 0, 1),
    clientData: request,
  });
}

describe('a recorded session after the server key leaks', () => {
  for (const ems of [true, false]) {
    it(`decrypts completely with static RSA (TLS_RSA_WITH_AES_128_GCM_SHA256, EMS ${ems ? 'on' : 'off'})`, async () => {
      const run = await record(0x009c, ems);
      expect(run.ok).toBe(true);
      const attack = await attackRecording(run.eventLog, key);
      expect(attack.decrypted).toBe(true);
      if (!attack.decrypted) return;
      // The attacker's master secret is the one both endpoints used.
      expect(Buffer.from(attack.masterSecret).toString('hex')).toBe(
        Buffer.from(run.summary!.masterSecret).toString('hex'),
      );
      const clientData = attack.records.filter((r) => r.from === 'client' && r.contentType === 23);
      expect(new TextDecoder().decode(clientData[0]!.plaintext)).toBe('SELECT secret FROM vault;');
    });
  }

  it('stays closed with ECDHE: the long-term key only signed the ephemeral share', async () => {
    const run = await record(0xc02f, true);
    expect(run.ok).toBe(true);
    const attack = await attackRecording(run.eventLog, key);
    expect(attack).toMatchObject({ decrypted: false, suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });
  });
});
