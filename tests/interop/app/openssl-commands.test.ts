import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { keyNodes, keyScheduleView } from '../../../src/app/model/handshake/key-schedule';
import { parseCapture } from '../../../src/app/model/handshake/capture';
import { runHandshake13 } from '../../../src/lib/tls13/index';
import {
  acceptAnyCertificate,
  pemToDer,
  runHandshake,
  type SecretEntry,
} from '../../../src/lib/tls12/handshake/index';

const cert = pemToDer(readFileSync('fixtures/demo-pki/server-rsa.crt', 'utf8'), 'CERTIFICATE');
const key = pemToDer(readFileSync('fixtures/demo-pki/server-rsa.key', 'utf8'), 'PRIVATE KEY')[0]!;

async function secrets(suite: number, extendedMasterSecret: boolean): Promise<SecretEntry[]> {
  const run = await runHandshake({
    client: { suites: [suite], extendedMasterSecret, verifier: acceptAnyCertificate },
    server: { suites: [suite], extendedMasterSecret, certificateChain: cert, privateKey: key },
    seed: 'openssl-commands',
    now: Date.UTC(2026, 0, 1),
  });
  expect(run.ok).toBe(true);
  return run.eventLog.filter((e): e is SecretEntry => e.kind === 'secret');
}

/** Runs the command line with the real openssl and returns its output as plain lower-case hex. */
function run(command: string): string {
  const [program, ...args] = command.split(' ');
  expect(program).toBe('openssl');
  return execFileSync('openssl', args, { encoding: 'utf8' }).trim().replace(/:/g, '').toLowerCase();
}

describe('the openssl commands shown beside the secrets', () => {
  for (const [suite, ems, names] of [
    [0xc02f, true, ['master_secret', 'key_block', 'client_verify_data', 'server_verify_data']],
    [0xc030, false, ['master_secret', 'key_block', 'client_verify_data', 'server_verify_data']],
  ] as const) {
    it(`recompute ${names.join(', ')} with the real openssl (suite 0x${suite.toString(16)}, EMS ${ems ? 'on' : 'off'})`, async () => {
      const all = await secrets(suite, ems);
      for (const name of names) {
        const secret = all.find((s) => s.name === name);
        expect(secret, name).toBeDefined();
        const command = secret!.openssl;
        expect(command, name).toBeDefined();
        expect(run(command!), name).toBe(Buffer.from(secret!.value).toString('hex'));
      }
    });
  }

  it('offers no command for a value openssl kdf cannot recompute', async () => {
    const all = await secrets(0xc02f, true);
    expect(all.find((s) => s.name === 'client_write_key')!.openssl).toBeUndefined();
  });

  it('recompute every node of the TLS 1.3 key schedule diagram with the real openssl', async () => {
    const r = await runHandshake13({
      client: { verifier: acceptAnyCertificate },
      server: { certificates: [{ chain: cert, privateKey: key }] },
      seed: 'openssl-commands-13',
      now: Date.UTC(2026, 0, 1),
    });
    expect(r.ok).toBe(true);
    const nodes = keyNodes(keyScheduleView(r.eventLog as SecretEntry[]));
    let checked = 0;
    for (const n of nodes) {
      if (!n.entry || n.name === 'ecdhe_shared_secret') continue;
      const command = n.entry.openssl;
      expect(command, n.name).toBeDefined();
      expect(run(command!), n.name).toBe(Buffer.from(n.entry.value).toString('hex'));
      checked += 1;
    }
    expect(checked).toBe(nodes.length - 1);
  });

  it('recompute the secrets of a real capture (our CLI against openssl s_server, fixtures/captures) as the lab opens it', () => {
    const opened = parseCapture(readFileSync('fixtures/captures/openssl-s-server-rsa.json', 'utf8'));
    if (!opened.ok) throw new Error(opened.error.reason);
    const withCommand = opened.run.eventLog.filter(
      (e): e is SecretEntry => e.kind === 'secret' && e.openssl !== undefined,
    );
    expect(withCommand.map((s) => s.name).sort()).toEqual([
      'client_verify_data',
      'key_block',
      'master_secret',
      'server_verify_data',
    ]);
    for (const secret of withCommand)
      expect(run(secret.openssl!), secret.name).toBe(Buffer.from(secret.value).toString('hex'));
  });
});
