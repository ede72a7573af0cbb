/**
 * Runs one of our TLS engines (1.2's or 1.3's client or server) over a Node stream (a net.Socket, or an in-memory
 * Duplex in tests): feeds it the bytes that arrive, writes the bytes it emits, and records the event log (one
 * shape for both versions: a 1.3 engine's entries are the 1.2 event log's). Node-only.
 */
import type { Duplex } from 'node:stream';
import {
  clientStep,
  newClient,
  newServer,
  serverStep,
  type ClientConfig,
  type ClientState,
  type EngineEvent,
  type Input,
  type ServerConfig,
  type ServerState,
  type EventLogEntry,
} from '../lib/tls12/index.ts';
import {
  client13Step,
  newClient13,
  newServer13,
  server13Step,
  type AnyEngineEvent,
  type Client13Config,
  type Client13State,
  type HandshakeSummary13,
  type Server13Config,
  type Server13State,
} from '../lib/tls13/index.ts';

type AnyState = ClientState | ServerState | Client13State | Server13State;

/** One step of the engine the socket runs (1.2's or 1.3's client or server step, chosen when it is made). */
type Step = (
  state: AnyState,
  input: Input,
) => Promise<{ state: AnyState; events: (EngineEvent | AnyEngineEvent)[] }>;

const STEPS = {
  client: clientStep as Step,
  server: serverStep as Step,
  client13: client13Step as Step,
  server13: server13Step as Step,
};

export class EngineSocket {
  readonly eventLog: EventLogEntry[] = [];
  #state: AnyState;
  #queue: Promise<void> = Promise.resolve();
  #waiters: { pred: (e: EventLogEntry) => boolean; resolve: (e: EventLogEntry) => void }[] = [];
  #ended = false;
  #endWaiters: (() => void)[] = [];

  private constructor(
    readonly stream: Duplex,
    state: AnyState,
    readonly step: Step,
    /** Told of every byte string written to the stream (for `--pcap-out`). */
    readonly onSend?: (bytes: Uint8Array) => void,
  ) {
    this.#state = state;
    stream.on('data', (chunk: Buffer) => this.#enqueue({ kind: 'bytes', data: new Uint8Array(chunk) }));
    // The peer closed (or the socket failed): the engine gets its end-of-stream input, so a flight cut short
    // ends in "unexpected eof while reading ..." and a fatal alert instead of waiting for bytes that never come.
    const end = () => {
      if (this.#ended) return;
      void this.#enqueue({ kind: 'end' });
      this.#ended = true;
      for (const w of this.#endWaiters.splice(0)) w();
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
  }

  static client(stream: Duplex, config: ClientConfig, onSend?: (bytes: Uint8Array) => void): EngineSocket {
    const s = new EngineSocket(stream, newClient(config), STEPS.client, onSend);
    s.#enqueue({ kind: 'start' });
    return s;
  }

  static server(stream: Duplex, config: ServerConfig): EngineSocket {
    return new EngineSocket(stream, newServer(config), STEPS.server);
  }

  get state(): AnyState['name'] {
    return this.#state.name;
  }

  /** Our TLS 1.3 client (with `allowTls12`, it offers 1.2 too and hands over to the 1.2 engine when chosen). */
  static client13(
    stream: Duplex,
    config: Client13Config,
    onSend?: (bytes: Uint8Array) => void,
  ): EngineSocket {
    const s = new EngineSocket(stream, newClient13(config), STEPS.client13, onSend);
    s.#enqueue({ kind: 'start' });
    return s;
  }

  static server13(stream: Duplex, config: Server13Config): EngineSocket {
    return new EngineSocket(stream, newServer13(config), STEPS.server13);
  }

  #enqueue(input: Input): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      const r = await this.step(this.#state, input);
      this.#state = r.state;
      this.#handle(r.events);
    });
    return this.#queue;
  }

  #handle(events: (EngineEvent | AnyEngineEvent)[]): void {
    for (const e of events) {
      if (e.kind === 'send') {
        if (!this.stream.destroyed && this.stream.writable) {
          this.stream.write(e.bytes);
          this.onSend?.(e.bytes);
        }
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

  /** Resolves with the first event log entry (past or future) matching `pred`; rejects after `ms`. */
  waitFor<T extends EventLogEntry>(pred: (e: EventLogEntry) => e is T, ms?: number): Promise<T>;
  waitFor(pred: (e: EventLogEntry) => boolean, ms?: number): Promise<EventLogEntry>;
  waitFor(pred: (e: EventLogEntry) => boolean, ms = 10_000): Promise<EventLogEntry> {
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

  /** Resolves when the handshake completes, or when the connection ends / an alert closes it. */
  async settled(ms = 10_000): Promise<'complete' | 'closed'> {
    const e = await this.waitFor((x) => x.kind === 'handshake_complete' || x.kind === 'closed', ms);
    return e.kind === 'handshake_complete' ? 'complete' : 'closed';
  }

  /** Waits until the stream has ended (peer closed). */
  ended(ms = 10_000): Promise<void> {
    if (this.#ended) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`stream did not end within ${ms} ms`)), ms);
      this.#endWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The TLS 1.3 summary (with the NSS key log lines), once a 1.3 handshake completed. */
  get summary13(): HandshakeSummary13 | undefined {
    const e = this.eventLog.find((x) => x.kind === 'handshake_complete');
    return e?.kind === 'handshake_complete' && 'keyLog' in e.summary
      ? (e.summary as HandshakeSummary13)
      : undefined;
  }

  /** The reason the connection closed (an alert we sent or received), if it did. */
  get closedReason(): string | undefined {
    const e = this.eventLog.find((x) => x.kind === 'closed');
    return e?.kind === 'closed' ? e.reason : undefined;
  }

  /** Lets queued steps finish. */
  idle(): Promise<void> {
    return this.#queue;
  }
}
