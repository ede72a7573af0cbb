/**
 * Runs our TLS 1.3 client or server over a Node stream (a net.Socket): feeds it what arrives, writes what it
 * emits, records the event log. The 1.3 counterpart of src/cli/engine-socket.ts, for interop tests.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import {
  client13Step,
  newClient13,
  newServer13,
  server13Step,
  type Client13Config,
  type Client13State,
  type AnyEngineEvent,
  type AnyEventLogEntry,
  type HandshakeSummary13,
  type Server13Config,
  type Server13State,
} from '../../../src/lib/tls13/index.ts';
import type { Input } from '../../../src/lib/tls12/handshake/states.ts';
import { requireProgram } from './programs.ts';

type AnyState = Client13State | Server13State;

export class Engine13Socket {
  readonly eventLog: AnyEventLogEntry[] = [];
  #state: AnyState;
  #queue: Promise<void> = Promise.resolve();
  #waiters: { pred: (e: AnyEventLogEntry) => boolean; resolve: (e: AnyEventLogEntry) => void }[] = [];

  private constructor(
    readonly stream: Duplex,
    state: AnyState,
  ) {
    this.#state = state;
    stream.on('data', (chunk: Buffer) => void this.#enqueue({ kind: 'bytes', data: new Uint8Array(chunk) }));
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      void this.#enqueue({ kind: 'end' });
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
  }

  static client(stream: Duplex, config: Client13Config): Engine13Socket {
    const s = new Engine13Socket(stream, newClient13(config));
    void s.#enqueue({ kind: 'start' });
    return s;
  }

  static server(stream: Duplex, config: Server13Config): Engine13Socket {
    return new Engine13Socket(stream, newServer13(config));
  }

  get state(): AnyState['name'] {
    return this.#state.name;
  }

  #enqueue(input: Input): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      const s = this.#state;
      const r = s.side === 'client' ? await client13Step(s, input) : await server13Step(s, input);
      this.#state = r.state;
      this.#handle(r.events);
    });
    return this.#queue;
  }

  #handle(events: AnyEngineEvent[]): void {
    for (const e of events) {
      if (e.kind === 'send') {
        if (!this.stream.destroyed && this.stream.writable) this.stream.write(e.bytes);
        continue;
      }
      this.eventLog.push(e);
      for (const w of this.#waiters.slice()) {
        if (w.pred(e)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    }
  }

  send(data: Uint8Array): Promise<void> {
    return this.#enqueue({ kind: 'application-data', data });
  }

  close(): Promise<void> {
    return this.#enqueue({ kind: 'close' });
  }

  waitFor(pred: (e: AnyEventLogEntry) => boolean, ms = 10_000): Promise<AnyEventLogEntry> {
    const found = this.eventLog.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${ms} ms in state ${this.state}`)),
        ms,
      );
      this.#waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** 'complete' once the handshake completes, 'closed' when an alert or the stream ended it first. */
  async settled(ms = 10_000): Promise<'complete' | 'closed'> {
    const e = await this.waitFor((x) => x.kind === 'handshake_complete' || x.kind === 'closed', ms);
    return e.kind === 'handshake_complete' ? 'complete' : 'closed';
  }

  get summary(): HandshakeSummary13 | undefined {
    const e = this.eventLog.find((x) => x.kind === 'handshake_complete');
    return e?.kind === 'handshake_complete' && 'keyLog' in e.summary ? e.summary : undefined;
  }

  /** The reason the connection closed (an alert we sent or received), if it did. */
  get closedReason(): string | undefined {
    const e = this.eventLog.find((x) => x.kind === 'closed');
    return e?.kind === 'closed' ? e.reason : undefined;
  }

  idle(): Promise<void> {
    return this.#queue;
  }
}

/** Our 1.3 client over TCP to 127.0.0.1:port. */
export function connect13(port: number, config: Client13Config): Promise<Engine13Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(Engine13Socket.client(socket, config)));
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
): Promise<{ code: number | null; output: string; ours: Engine13Socket }> {
  const openssl = requireProgram('openssl', ['/usr/bin/openssl']);
  let ours: Engine13Socket | undefined;
  let connected!: () => void;
  const accepted = new Promise<void>((resolve) => (connected = resolve));
  const server = net.createServer((socket) => {
    ours = Engine13Socket.server(socket, config);
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
