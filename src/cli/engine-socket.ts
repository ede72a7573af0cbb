/**
 * Runs one of our TLS engines over a Node stream (a net.Socket, or an in-memory Duplex in tests): feeds it
 * the bytes that arrive, writes the bytes it emits, and records the event log. Node-only.
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
  type StepResult,
  type EventLogEntry,
} from '../lib/tls12/index.ts';

type AnyState = ClientState | ServerState;

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
    const s = new EngineSocket(stream, newClient(config), onSend);
    s.#enqueue({ kind: 'start' });
    return s;
  }

  static server(stream: Duplex, config: ServerConfig): EngineSocket {
    return new EngineSocket(stream, newServer(config));
  }

  get state(): AnyState['name'] {
    return this.#state.name;
  }

  #enqueue(input: Input): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      const s = this.#state;
      const r: StepResult<AnyState> =
        s.side === 'client' ? await clientStep(s, input) : await serverStep(s, input);
      this.#state = r.state;
      this.#handle(r.events);
    });
    return this.#queue;
  }

  #handle(events: EngineEvent[]): void {
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

  /** Lets queued steps finish. */
  idle(): Promise<void> {
    return this.#queue;
  }
}
