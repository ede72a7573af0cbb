/**
 * A server that closes mid-handshake: a tiny Node TCP server answers the ClientHello with the first 25 bytes of a
 * real ServerHello record (The Illustrated TLS 1.2 Connection) and ends its side. The real `openssl s_client`
 * (the oracle) and `tls-lab handshake` face the same server: both fail with "unexpected eof while reading" and
 * send a fatal decode_error alert; neither waits for the bytes that never come.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cap } from '../unit/tls12/wire/fixtures.ts';
import { runCli } from '../kit/programs/run-cli.ts';

interface HalfServer {
  port: number;
  /** Everything the client sent after the server ended its side. */
  afterEnd: Promise<Uint8Array>;
  stop(): void;
}

const HELLO = cap('serverhello');
const SENT = 25;

function halfServer(): Promise<HalfServer> {
  let settle: (b: Uint8Array) => void = () => undefined;
  const afterEnd = new Promise<Uint8Array>((resolve) => (settle = resolve));
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const late: Buffer[] = [];
    let ended = false;
    socket.on('data', (d: Buffer) => {
      if (ended) return void late.push(d);
      ended = true;
      socket.end(HELLO.subarray(0, SENT));
    });
    socket.on('end', () => settle(new Uint8Array(Buffer.concat(late))));
    socket.on('error', () => settle(new Uint8Array(Buffer.concat(late))));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        afterEnd,
        stop: () => server.close(),
      }),
    ),
  );
}

function sClient(port: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-tls1_2'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

let server: HalfServer | undefined;
afterEach(() => server?.stop());

/** A fatal decode_error alert record, any record version: type 21, length 2, level 2, description 50. */
const isDecodeErrorAlert = (b: Uint8Array) =>
  b.length === 7 && b[0] === 21 && b[3] === 0 && b[4] === 2 && b[5] === 2 && b[6] === 50;

describe('the server closes in the middle of its ServerHello', () => {
  it('openssl s_client (the oracle): "unexpected eof while reading", then a fatal decode_error alert', async () => {
    server = await halfServer();
    const r = await sClient(server.port);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unexpected eof while reading');
    expect(isDecodeErrorAlert(await server.afterEnd)).toBe(true);
  });

  it('tls-lab handshake: the same error naming the record and the missing bytes, the same alert, exit 2', async () => {
    server = await halfServer();
    const r = await runCli(['handshake', '--connect', `127.0.0.1:${server.port}`]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout.split('\n')[0]).toBe(
      `HANDSHAKE FAILED: we sent fatal alert decode_error (50): unexpected eof while reading a handshake record from the server: ${SENT} of its ${HELLO.length} bytes arrived, ${HELLO.length - SENT} missing (record at stream offset 0; we expected ServerHello)`,
    );
    expect(r.stderr).not.toMatch(/at .+\.(ts|js|mjs):\d+/);
    expect(isDecodeErrorAlert(await server.afterEnd)).toBe(true);
  });
});
