/**
 * Every step of the TLS 1.3 key schedule carries an `openssl kdf ... HKDF` command line; run by the real
 * openssl, each prints exactly the step's value. The inputs are The Illustrated TLS 1.3 Connection's
 * (TLS_AES_256_GCM_SHA384, so SHA-384) and RFC 8448 §3's printed values (TLS_AES_128_GCM_SHA256).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createCryptoProvider, fromHex, toHex } from '../../src/lib/tls12/crypto/index.ts';
import {
  computeApplicationSecrets,
  computeHandshakeSecrets,
  finishedKey,
  resumptionMasterSecret,
  trafficKeys,
  transcriptHash,
  verifyData,
  type KeyStep,
} from '../../src/lib/tls13/key-schedule.ts';
import { tls13Suite, type Tls13Suite } from '../../src/lib/tls13/suites.ts';
import { cap13, x25519Key } from '../unit/tls13/illustrated-fixture.ts';
import { requireProgram } from '../kit/programs/programs.ts';

const openssl = requireProgram('openssl');
const provider = createCryptoProvider();

/** Every step from a handshake's shared secret and transcript hashes to the Finished values. */
async function allSteps(
  suite: Tls13Suite,
  sharedSecret: Uint8Array,
  helloHash: Uint8Array,
  serverFinishedHash: Uint8Array,
): Promise<KeyStep[]> {
  const hs = await computeHandshakeSecrets(provider, { hash: suite.hash, sharedSecret, helloHash });
  const app = await computeApplicationSecrets(provider, {
    hash: suite.hash,
    handshakeSecret: hs.handshakeSecret,
    serverFinishedHash,
  });
  const steps = [...hs.steps, ...app.steps];
  const secrets: [string, Uint8Array][] = [
    ['client_handshake_traffic_secret', hs.clientHandshakeTrafficSecret],
    ['server_handshake_traffic_secret', hs.serverHandshakeTrafficSecret],
    ['client_application_traffic_secret_0', app.clientApplicationTrafficSecret],
    ['server_application_traffic_secret_0', app.serverApplicationTrafficSecret],
  ];
  for (const [name, secret] of secrets)
    steps.push(...(await trafficKeys(provider, suite, name, secret)).steps);
  const fk = await finishedKey(
    provider,
    suite.hash,
    'server_handshake_traffic_secret',
    hs.serverHandshakeTrafficSecret,
  );
  steps.push(fk);
  steps.push(
    await verifyData(provider, suite.hash, 'verify_data', fk.value, { name: 'hash', value: helloHash }),
  );
  steps.push(await resumptionMasterSecret(provider, suite.hash, app.masterSecret, serverFinishedHash));
  return steps;
}

function runCommand(command: string): string {
  const [program, ...args] = command.split(' ');
  expect(program).toBe('openssl');
  return execFileSync(openssl, args, { encoding: 'utf8' }).trim().replaceAll(':', '').toLowerCase();
}

describe('the key schedule’s openssl kdf commands, run by openssl', () => {
  it('The Illustrated TLS 1.3 Connection (SHA-384): every step', async () => {
    const suite = tls13Suite(0x1302)!;
    const client = await provider.importEcdhPrivateKey('x25519', x25519Key('client'));
    const server = await provider.importEcdhPrivateKey('x25519', x25519Key('server'));
    const hello = [cap13('clienthello').subarray(5), cap13('serverhello').subarray(5)];
    const flight = ['serverextensions', 'servercert', 'servercertverify', 'serverfinished'].map((n) =>
      cap13(n).subarray(0, -1),
    );
    const steps = await allSteps(
      suite,
      await provider.ecdh(client, server.publicKey),
      await transcriptHash(provider, suite.hash, hello),
      await transcriptHash(provider, suite.hash, [...hello, ...flight]),
    );
    expect(steps.length).toBe(21);
    for (const step of steps) expect(runCommand(step.openssl), step.name).toBe(toHex(step.value));
  });

  it('RFC 8448 §3 (SHA-256): every step', async () => {
    const steps = await allSteps(
      tls13Suite(0x1301)!,
      fromHex('8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d'),
      fromHex('860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8'),
      fromHex('9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13'),
    );
    for (const step of steps) expect(runCommand(step.openssl), step.name).toBe(toHex(step.value));
  });
});
