/**
 * Captures real TLS 1.2 handshakes between Node's `tls` (OpenSSL 3) client and server through a recording
 * TCP proxy, so the wire codecs can be checked against bytes produced by OpenSSL rather than by ourselves.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

const KEYS = fileURLToPath(
  new URL('../../../../fixtures/tls12-vectors/illustrated-tls12/keys/', import.meta.url),
);
export const serverKeyPem = readFileSync(`${KEYS}server.key`, 'utf8');
export const serverCertPem = readFileSync(`${KEYS}server.crt`, 'utf8');
export const caCertPem = readFileSync(`${KEYS}ca.crt`, 'utf8');

export interface Capture {
  /** Bytes the client sent, in order. */
  clientToServer: Uint8Array;
  /** Bytes the server sent, in order. */
  serverToClient: Uint8Array;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** Runs one TLS connection (client writes "ping", server answers "pong") and records both directions. */
export async function captureHandshake(
  serverOptions: tls.TlsOptions,
  clientOptions: Omit<tls.ConnectionOptions, 'host' | 'port'>,
): Promise<Capture> {
  const server = tls.createServer({ key: serverKeyPem, cert: serverCertPem, ...serverOptions }, (socket) => {
    socket.on('data', () => socket.end('pong'));
    socket.on('error', () => {});
  });
  const tlsPort = await listen(server);
  const c2s: Buffer[] = [];
  const s2c: Buffer[] = [];
  const proxy = net.createServer((client) => {
    const upstream = net.connect(tlsPort, '127.0.0.1');
    client.on('data', (d) => (c2s.push(d), upstream.write(d)));
    upstream.on('data', (d) => (s2c.push(d), client.write(d)));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  const proxyPort = await listen(proxy);
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port: proxyPort,
        rejectUnauthorized: false,
        ...clientOptions,
      });
      socket.once('secureConnect', () => socket.write('ping'));
      socket.on('data', () => socket.end());
      socket.once('close', () => resolve());
      socket.once('error', reject);
    });
  } finally {
    await new Promise((r) => proxy.close(r));
    await new Promise((r) => server.close(r));
  }
  return {
    clientToServer: new Uint8Array(Buffer.concat(c2s)),
    serverToClient: new Uint8Array(Buffer.concat(s2c)),
  };
}

/**
 * Captures what `openssl s_client` sends first (its ClientHello flight) by accepting the TCP connection,
 * reading until `bytes` have arrived, and closing. Fails if the openssl binary is missing.
 */
export async function captureOpensslClientHello(args: string[], bytes = 5): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let done!: () => void;
  const received = new Promise<void>((r) => (done = r));
  const server = net.createServer((socket) => {
    socket.on('data', (d) => {
      chunks.push(d);
      const total = Buffer.concat(chunks);
      if (total.length >= 5 && total.length >= 5 + total.readUInt16BE(3) && total.length >= bytes) {
        socket.destroy();
        done();
      }
    });
    socket.on('error', () => {});
  });
  const port = await listen(server);
  const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...args], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  try {
    await Promise.race([
      received,
      exited.then(() => Promise.reject(new Error('openssl s_client exited before sending a ClientHello'))),
    ]);
  } finally {
    child.stdin.end();
    child.kill();
    await new Promise((r) => server.close(r));
  }
  return new Uint8Array(Buffer.concat(chunks));
}
