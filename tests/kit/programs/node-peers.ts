/**
 * OpenSSL (through Node's tls module) as the peer of our engine, over an in-memory duplex. Each helper
 * returns our engine socket, the OpenSSL side, and what OpenSSL wrote to its key log.
 */
import tls from 'node:tls';
import { EngineSocket } from '../../../src/cli/engine-socket.ts';
import type {
  ClientConfig,
  HandshakeSummary,
  ServerConfig,
  EventLogEntry,
} from '../../../src/lib/tls12/handshake/index.ts';
import { memoryDuplexPair } from '../pure/memory-duplex.ts';

export interface OpenSslServerRun {
  ours: EngineSocket;
  keylog: string[];
  /** Errors OpenSSL reported for this connection (tlsClientError). */
  errors: (Error & { code?: string })[];
  server: tls.Server;
}

/** OpenSSL server (echoes "pong:" + data) <- our client. */
export function ourClientToOpenSsl(client: ClientConfig, serverOptions: tls.TlsOptions): OpenSslServerRun {
  const [ourEnd, theirEnd] = memoryDuplexPair();
  const server = tls.createServer({ maxVersion: 'TLSv1.2', ...serverOptions });
  const run: OpenSslServerRun = {
    ours: undefined as unknown as EngineSocket,
    keylog: [],
    errors: [],
    server,
  };
  server.on('keylog', (line: Buffer) => run.keylog.push(line.toString().trim()));
  server.on('secureConnection', (s) => s.on('data', (d: Buffer) => s.write(`pong:${d.toString()}`)));
  server.on('tlsClientError', (e) => run.errors.push(e));
  server.emit('connection', theirEnd);
  run.ours = EngineSocket.client(ourEnd, client);
  return run;
}

export interface OpenSslClientRun {
  ours: EngineSocket;
  socket: tls.TLSSocket;
  keylog: string[];
  /** Resolves on secureConnect, rejects with OpenSSL's error. */
  connected: Promise<void>;
  error: Promise<Error & { code?: string }>;
}

/** OpenSSL client -> our server. */
export function openSslToOurServer(
  serverConfig: ServerConfig,
  clientOptions: tls.ConnectionOptions,
): OpenSslClientRun {
  const [ourEnd, theirEnd] = memoryDuplexPair();
  const ours = EngineSocket.server(ourEnd, serverConfig);
  const socket = tls.connect({
    maxVersion: 'TLSv1.2',
    servername: 'localhost',
    ...clientOptions,
    socket: theirEnd,
  });
  const keylog: string[] = [];
  socket.on('keylog', (line: Buffer) => keylog.push(line.toString().trim()));
  const error = new Promise<Error & { code?: string }>((resolve) => socket.on('error', resolve));
  const connected = new Promise<void>((resolve, reject) => {
    socket.on('secureConnect', () => resolve());
    void error.then(reject);
  });
  connected.catch(() => undefined); // tests that expect a failure await `error` instead
  return { ours, socket, keylog, connected, error };
}

export function summaryOf(eventLog: readonly EventLogEntry[]): HandshakeSummary {
  const e = eventLog.find((x) => x.kind === 'handshake_complete');
  if (!e || e.kind !== 'handshake_complete') throw new Error('no handshake_complete in the event log');
  return e.summary;
}

/** The master secret OpenSSL logged for this client random (NSS key log: CLIENT_RANDOM <cr> <ms>). */
export function loggedMaster(keylog: readonly string[], clientRandom: Uint8Array): string | undefined {
  const cr = Buffer.from(clientRandom).toString('hex');
  for (const line of keylog) {
    const [label, random, secret] = line.split(' ');
    if (label === 'CLIENT_RANDOM' && random === cr) return secret;
  }
  return undefined;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
