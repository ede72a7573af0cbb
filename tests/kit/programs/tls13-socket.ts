/**
 * Our TLS 1.3 client and server over TCP for interop tests, run by the CLI's own socket driver
 * (src/cli/engine-socket.ts `EngineSocket.client13` / `server13`).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { Client13Config, Server13Config } from '../../../src/lib/tls13/index.ts';
import { EngineSocket } from '../../../src/cli/engine-socket.ts';
import { requireProgram } from './programs.ts';

/** Our 1.3 client over TCP to 127.0.0.1:port. */
export function connect13(port: number, config: Client13Config): Promise<EngineSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(EngineSocket.client13(socket, config)));
    socket.once('error', reject);
  });
}

/**
 * `openssl s_client` against our 1.3 server (one connection): its output, key log and our side. `-tls1_3` unless
 * `version` names another (`-tls1_2`: a client that cannot speak 1.3).
 */
export async function sClient13AgainstOurServer(
  config: Server13Config,
  args: string[],
  keylogPath: string,
  stdin = 'ping from openssl\n',
  version = '-tls1_3',
): Promise<{ code: number | null; output: string; ours: EngineSocket }> {
  const openssl = requireProgram('openssl', ['/usr/bin/openssl']);
  let ours: EngineSocket | undefined;
  let connected!: () => void;
  const accepted = new Promise<void>((resolve) => (connected = resolve));
  const server = net.createServer((socket) => {
    ours = EngineSocket.server13(socket, config);
    connected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const child = spawn(
    openssl,
    ['s_client', '-connect', `127.0.0.1:${port}`, version, '-keylogfile', keylogPath, ...args],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  await accepted;
  // Once the handshake is settled (either way), s_client gets a line to send and then end of input.
  void ours!.settled().then(
    (how) => {
      if (how === 'complete') void ours!.send(new TextEncoder().encode('hello from tls-lab\n'));
      child.stdin.end(stdin);
    },
    () => child.stdin.end(),
  );
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  server.close();
  await ours!.idle();
  return { code, output, ours: ours! };
}

export { EngineSocket };
