/**
 * A tiny PostgreSQL front for our TLS 1.3 server, so the real psql can be run against it: it reads the 8-byte
 * SSLRequest, answers 'S', runs `EngineSocket.server13` over the rest of the connection, and answers the
 * StartupMessage that arrives in the tunnel with AuthenticationOk + ReadyForQuery. One listener on 127.0.0.1 (a
 * port from the OS) serves one connection at a time with the configuration given to `next`.
 *
 * `rewriteClientHello` stands on the path: it gets the client's first TLS record (the ClientHello) and returns
 * the record our server receives instead.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { bytesEqual, concatBytes } from '../../../src/lib/bytes/index.ts';
import { AUTH_OK_READY, SSL_REQUEST } from '../../../src/lib/pgwire/index.ts';
import type { Server13Config } from '../../../src/lib/tls13/index.ts';
import { EngineSocket } from '../../../src/cli/engine-socket.ts';
import { psqlEnv, type PsqlProgram } from './postgres-oracle.ts';
import { requireProgram } from './programs.ts';

export interface FrontOptions {
  readonly rewriteClientHello?: (record: Uint8Array) => Uint8Array;
}

interface Pending {
  readonly config: Server13Config;
  readonly options: FrontOptions;
  readonly resolve: (ours: EngineSocket) => void;
}

/**
 * The stream the engine runs over: the client's bytes after the SSLRequest (its first TLS record through `rewrite`,
 * when given), and what the engine writes in one turn of the event loop sent as ONE write. psql aborts as soon as
 * it reads a bad ServerHello and resets the connection; a second write of the same flight would then fail, and
 * Node would drop the socket before reading the alert psql sent first.
 */
function tunnel(socket: net.Socket, rewrite?: (record: Uint8Array) => Uint8Array): Duplex {
  let head: Uint8Array | undefined = rewrite ? new Uint8Array(0) : undefined;
  let pending: Buffer[] = [];
  const flush = () => {
    if (socket.writable && pending.length > 0) socket.write(Buffer.concat(pending));
    pending = [];
  };
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      if (pending.push(chunk) === 1) queueMicrotask(flush);
      done();
    },
    final(done) {
      flush();
      socket.end();
      done();
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!head) return void stream.push(chunk);
    head = concatBytes(head, new Uint8Array(chunk));
    if (head.length < 5) return;
    const end = 5 + ((head[3]! << 8) | head[4]!);
    if (head.length < end) return;
    stream.push(concatBytes(rewrite!(head.subarray(0, end)), head.subarray(end)));
    head = undefined;
  });
  // End, not destroy: bytes that came before the reset (psql's alert) must still reach the engine.
  let ended = false;
  const end = () => {
    if (!ended) stream.push(null);
    ended = true;
  };
  socket.on('end', end);
  socket.on('close', end);
  socket.on('error', end);
  return stream;
}

export class PgFront13 {
  #pending: Pending | undefined;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<PgFront13> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const front = new PgFront13(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (socket: net.Socket) => front.#accept(socket));
    return front;
  }

  /** Our server for the next connection; resolves with it once the client's SSLRequest has been answered. */
  next(config: Server13Config, options: FrontOptions = {}): Promise<EngineSocket> {
    return new Promise((resolve) => (this.#pending = { config, options, resolve }));
  }

  #accept(socket: net.Socket): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (!pending) return void socket.destroy();
    socket.once('data', (chunk: Buffer) => {
      if (!bytesEqual(new Uint8Array(chunk), SSL_REQUEST)) return void socket.destroy();
      socket.write('S');
      const ours = EngineSocket.server13(tunnel(socket, pending.options.rewriteClientHello), pending.config);
      // The StartupMessage is the client's first application data: a trust server's answer lets psql in.
      void ours
        .waitFor((e) => (e.kind === 'application_data' && e.from === 'client') || e.kind === 'closed', 30_000)
        .then(
          (e) => (e.kind === 'closed' ? undefined : ours.send(AUTH_OK_READY)),
          () => undefined,
        );
      pending.resolve(ours);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface PsqlRun {
  readonly code: number;
  readonly stdout: string;
  /** stderr without psql's `psql: error: ` prefix and the final newline. */
  readonly error: string;
}

/**
 * The real psql (`-X -w -c '\conninfo'`: it connects, says how, and quits) with only HOME in its environment; or
 * `program` in its place (libpq 18's shim, which prints the same error line when the connection fails).
 */
export function runPsql(conninfo: string, home: string, program?: PsqlProgram): Promise<PsqlRun> {
  const command = program?.command ?? requireProgram('psql', ['/usr/bin/psql']);
  return new Promise((resolve) => {
    execFile(
      command,
      [...(program?.args ?? []), '-X', '-w', '-c', '\\conninfo', conninfo],
      { env: { ...psqlEnv(home), ...program?.env }, encoding: 'utf8', timeout: 30_000 },
      (err, stdout, stderr) => {
        const text = stderr.replace(/\n$/, '');
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : -1) : 0,
          stdout,
          error: text.startsWith('psql: error: ') ? text.slice('psql: error: '.length) : text,
        });
      },
    );
  });
}
