/**
 * The RFC 8446 §4.1.3 downgrade sentinel, checked by a real TLS 1.3 client: `openssl s_client` (offering TLS 1.3
 * and 1.2) against our TLS 1.2 server. Without the sentinel OpenSSL accepts 1.2; with `downgradeSentinel` our
 * ServerHello.random ends in "DOWNGRD" 01 and OpenSSL aborts with illegal_parameter.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineSocket } from '../../src/cli/engine-socket.ts';
import type { ServerConfig } from '../../src/lib/tls12/handshake/index.ts';
import { requireProgram } from '../kit/programs/programs.ts';
import { testPki, type TestPki } from '../kit/pure/pki.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await testPki();
});

/** One `openssl s_client` connection with its default versions (1.2 and 1.3 on OpenSSL 3) to our 1.2 server. */
async function sClientDefaultVersions(config: ServerConfig): Promise<{ output: string; ours: EngineSocket }> {
  const openssl = requireProgram('openssl', ['/usr/bin/openssl']);
  let ours: EngineSocket | undefined;
  const server = net.createServer((socket) => {
    ours = EngineSocket.server(socket, config);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const child = spawn(openssl, ['s_client', '-connect', `127.0.0.1:${port}`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  server.close();
  if (!ours) throw new Error(`openssl s_client never connected: ${output}`);
  await ours.idle();
  return { output, ours };
}

describe('downgrade sentinel against openssl s_client (TLS 1.3-capable)', () => {
  it('without the sentinel, OpenSSL accepts our TLS 1.2 ServerHello', async () => {
    const run = await sClientDefaultVersions({
      certificateChain: [pki.rsa.certDer],
      privateKey: pki.rsa.keyDer,
    });
    expect(run.output).toMatch(/Protocol\s*: TLSv1\.2/);
    expect(run.ours.eventLog.some((e) => e.kind === 'handshake_complete')).toBe(true);
  });

  it('with the sentinel, OpenSSL aborts with illegal_parameter', async () => {
    const run = await sClientDefaultVersions({
      certificateChain: [pki.rsa.certDer],
      privateKey: pki.rsa.keyDer,
      downgradeSentinel: true,
    });
    const alert = run.ours.eventLog.find((e) => e.kind === 'alert' && e.from === 'client');
    expect(alert?.kind === 'alert' && alert.name, run.output).toBe('illegal_parameter');
    expect(run.output).toMatch(/inappropriate fallback/);
  });
});
