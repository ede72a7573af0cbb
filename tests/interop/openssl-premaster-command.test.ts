/**
 * The "check it yourself" command beside the pre-master secret, run with the real openssl: for static RSA it
 * decrypts the ClientKeyExchange with the demo server's key (`pkeyutl -decrypt`) and prints exactly the
 * pre-master secret the engine derived; ECDHE gets the `pkeyutl -derive` recipe, never a decrypt.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_RSA_KEY_FILE, preMasterSecretCommand } from '../../src/app/views/handshake/openssl-commands.ts';
import {
  acceptAnyCertificate,
  pemToDer,
  runHandshake,
  type SecretEntry,
} from '../../src/lib/tls12/handshake/index.ts';
import { tempFiles } from '../kit/programs/openssl-cli.ts';

const keyPem = readFileSync('fixtures/demo-pki/server-rsa.key', 'utf8');
const cert = pemToDer(readFileSync('fixtures/demo-pki/server-rsa.crt', 'utf8'), 'CERTIFICATE');
const key = pemToDer(keyPem, 'PRIVATE KEY')[0]!;

async function run(suite: number) {
  const r = await runHandshake({
    client: { suites: [suite], verifier: acceptAnyCertificate },
    server: { suites: [suite], certificateChain: cert, privateKey: key },
    seed: 'pre-master-command',
    now: Date.UTC(2026, 0, 1),
  });
  expect(r.ok).toBe(true);
  const secret = r.eventLog.find(
    (e): e is SecretEntry => e.kind === 'secret' && e.name === 'pre_master_secret',
  );
  let encrypted: Uint8Array | undefined;
  for (const e of r.eventLog)
    if (e.kind === 'message' && e.message.type === 'client_key_exchange' && e.message.kind === 'rsa')
      encrypted = e.message.encryptedPreMasterSecret;
  return { secret: secret!, encrypted };
}

describe('the pre-master secret command', () => {
  it('static RSA: pkeyutl -decrypt with the server key prints the engine’s pre-master secret', async () => {
    const { secret, encrypted } = await run(0x009c);
    expect(encrypted?.length).toBe(256);
    const command = preMasterSecretCommand(encrypted);
    expect(command).toContain('openssl pkeyutl -decrypt');
    const dir = dirname(tempFiles({ [DEMO_RSA_KEY_FILE]: keyPem })[DEMO_RSA_KEY_FILE]!);
    const out = execFileSync('bash', ['-o', 'pipefail', '-c', command], { cwd: dir, encoding: 'utf8' });
    expect(out.trim()).toBe(Buffer.from(secret.value).toString('hex'));
    expect(secret.value.length).toBe(48);
  });

  it('ECDHE: no ciphertext to decrypt, so the derive recipe', async () => {
    const { encrypted } = await run(0xc02f);
    expect(encrypted).toBeUndefined();
    expect(preMasterSecretCommand(encrypted)).toMatch(/^openssl pkeyutl -derive /);
  });
});
