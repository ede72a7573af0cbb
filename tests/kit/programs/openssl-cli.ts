/**
 * The openssl CLI as a peer over TCP on 127.0.0.1: `openssl s_server` (spawned on a free port, killed after)
 * and `openssl s_client`. Used where Node's tls module does not flush the alert OpenSSL decided on (errors
 * after the first flight), and by the CLI tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineSocket } from '../../../src/cli/engine-socket.ts';
import type { ServerConfig } from '../../../src/lib/tls12/handshake/index.ts';
import { requireProgram } from './programs.ts';

export function tempFiles(files: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'tls-lab-'));
  const out: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    out[name] = join(dir, name);
    writeFileSync(out[name], content);
  }
  return out;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface SServer {
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `openssl s_server` with the given cert/key PEMs and extra args; resolves once it accepts. */
export async function startSServer(certPem: string, keyPem: string, args: string[] = []): Promise<SServer> {
  const openssl = requireProgram('openssl', ['/usr/bin/openssl']);
  const files = tempFiles({ 'cert.pem': certPem, 'key.pem': keyPem });
  const port = await freePort();
  const child = spawn(
    openssl,
    [
      's_server',
      '-accept',
      `127.0.0.1:${port}`,
      '-cert',
      files['cert.pem']!,
      '-key',
      files['key.pem']!,
      ...args,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const start = Date.now();
  while (!output.includes('ACCEPT')) {
    if (child.exitCode !== null) throw new Error(`openssl s_server exited: ${output}`);
    if (Date.now() - start > 10_000) throw new Error(`openssl s_server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}

/** Our engine as a TCP client to 127.0.0.1:port. */
export function connectOurs(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Runs `openssl s_client` against our server (one connection) and returns its exit code and output. */
export async function sClientAgainstOurServer(
  serverConfig: ServerConfig,
  args: string[],
): Promise<{ code: number | null; output: string; ours: EngineSocket }> {
  const openssl = requireProgram('openssl', ['/usr/bin/openssl']);
  let ours: EngineSocket | undefined;
  const server = net.createServer((socket) => {
    ours = EngineSocket.server(socket, serverConfig);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const child = spawn(openssl, ['s_client', '-connect', `127.0.0.1:${port}`, '-tls1_2', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // Keep stdin open briefly so s_client finishes the handshake, then end it (s_client exits on EOF).
  setTimeout(() => child.stdin.end(), 1500);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  server.close();
  if (!ours) throw new Error(`openssl s_client never connected: ${output}`);
  await ours.idle();
  return { code, output, ours };
}
