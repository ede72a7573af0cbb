/** Pieces both state machines share: alert handling, key activation, the completion summary. */
import {
  AlertDescription,
  AlertLevel,
  CipherSuite,
  NamedGroup,
  SignatureScheme,
} from '../wire/code-points.ts';
import { bytesEqual } from '../../bytes/index.ts';
import type { HandshakeMessage } from '../wire/index.ts';
import { alertName, FinishedMismatch, TlsAlert } from './alerts.ts';
import type { Connection, EngineEvent, Received } from './connection.ts';
import type { Input } from './states.ts';
import { deriveKeys, deriveMasterSecret, finishedVerifyData } from './secrets.ts';
import type { Keys, Negotiated } from './states.ts';
import type { ClosedEntry, HandshakeSummary, Role } from './event-log.ts';

/** What alert handling needs of a record layer: tls12's `Connection` and tls13's `Connection13` both fit. */
export interface AlertSender {
  readonly role: Role;
  readonly peer: Role;
  closed: boolean;
  emit(event: ClosedEntry): void;
  sendAlert(level: number, description: number, name: string, reason?: string): void;
}

/** A received alert, as both versions' record layers hand it out. */
export interface AlertItem {
  kind: 'alert';
  level: number;
  description: number;
}

/** What `stepSide` needs of a record layer besides alerts; `R` is what it receives, `E` what it emits. */
export interface StepConnection<R extends { kind: string }, E> extends AlertSender {
  fail(error: unknown): void;
  drain(): Promise<E[]>;
  receive(bytes: Uint8Array): AsyncGenerator<R>;
  endOfStream(expecting: string): Error;
  sendApplicationData(data: Uint8Array): void;
}

/** A received alert ends the connection (fatal, or close_notify which we answer). Returns the reason. */
export function onAlert(conn: AlertSender, item: AlertItem): string {
  const name = alertName(item.description);
  if (item.description === AlertDescription.values.close_notify) {
    if (!conn.closed) conn.sendAlert(AlertLevel.values.warning, 0, 'close_notify');
    conn.closed = true;
    conn.emit({ kind: 'closed', from: conn.peer, reason: 'peer sent close_notify' });
    return 'peer sent close_notify';
  }
  conn.closed = true;
  const reason = `received ${AlertLevel.format(item.level)} alert ${name} (${item.description}) from the ${conn.peer}`;
  conn.emit({ kind: 'closed', from: conn.peer, reason });
  return reason;
}

export function unexpected(expected: string, got: Received): TlsAlert {
  const what = got.kind === 'handshake' ? got.message.type : got.kind;
  return new TlsAlert('unexpected_message', `expected ${expected}, got ${what}`);
}

export async function establishKeys(conn: Connection, hs: Negotiated, preMaster: Uint8Array): Promise<Keys> {
  conn.emit({
    kind: 'secret',
    from: conn.role,
    name: 'pre_master_secret',
    value: preMaster,
    formula:
      hs.suite.kex === 'ecdhe'
        ? 'ECDH(own ephemeral private key, peer ephemeral public key), x-coordinate  (RFC 8422 §5.10)'
        : 'client_version(2) + random(46), RSA-encrypted to the server key  (RFC 5246 §7.4.7.1)',
    inputs: {},
  });
  const sessionHash = hs.extendedMasterSecret ? conn.transcriptHash(hs.suite.prfHash) : undefined;
  const { master, entry } = await deriveMasterSecret(
    conn.role,
    hs.suite,
    preMaster,
    hs.clientRandom,
    hs.serverRandom,
    sessionHash,
  );
  conn.emit(entry);
  const keys = await deriveKeys(conn.role, hs.suite, master, hs.clientRandom, hs.serverRandom);
  for (const e of keys.entries) conn.emit(e);
  return {
    master,
    clientWrite: { suite: hs.suite, keys: keys.client },
    serverWrite: { suite: hs.suite, keys: keys.server },
  };
}

export function summarise(hs: Negotiated, keys: Keys): HandshakeSummary {
  return {
    version: hs.version,
    cipherSuite: hs.suite.code,
    cipherSuiteName: CipherSuite.format(hs.suite.code),
    ...(hs.group !== undefined ? { group: hs.group, groupName: NamedGroup.format(hs.group) } : {}),
    ...(hs.signatureScheme !== undefined
      ? {
          signatureScheme: hs.signatureScheme,
          signatureSchemeName: SignatureScheme.format(hs.signatureScheme),
        }
      : {}),
    extendedMasterSecret: hs.extendedMasterSecret,
    ...(hs.resumed ? { resumed: true as const } : {}),
    ...(hs.alpn !== undefined ? { alpn: hs.alpn } : {}),
    ...(hs.serverName !== undefined ? { serverName: hs.serverName } : {}),
    serverCertificates: hs.serverCertificates,
    clientCertificates: hs.clientCertificates,
    clientRandom: hs.clientRandom,
    masterSecret: keys.master,
  };
}

/** Input handling once Established: application data both ways, close_notify. */
export function established(conn: Connection, item: Received): 'open' | string {
  switch (item.kind) {
    case 'application_data':
      return 'open';
    case 'alert':
      return onAlert(conn, item);
    case 'handshake':
      // RFC 5746: we do not renegotiate; a HelloRequest gets a no_renegotiation warning, anything else is fatal.
      if (item.message.type === 'hello_request') {
        conn.sendAlert(
          AlertLevel.values.warning,
          AlertDescription.values.no_renegotiation,
          'no_renegotiation',
        );
        return 'open';
      }
      throw unexpected('application data', item);
    case 'change_cipher_spec':
      throw unexpected('application data', item);
  }
}

export function closeNotify(conn: AlertSender): void {
  if (conn.closed) return;
  conn.sendAlert(
    AlertLevel.values.warning,
    AlertDescription.values.close_notify,
    'close_notify',
    'we are done sending',
  );
  conn.closed = true;
  conn.emit({ kind: 'closed', from: conn.role, reason: 'sent close_notify' });
}

/** What differs between the client and the server when driving one `step`. */
export interface Side<
  S extends { name: string; conn: StepConnection<R, E> },
  R extends { kind: string } = Received,
  E = EngineEvent,
> {
  /** The `start` input: the client sends its ClientHello; the server waits. */
  start(state: S): S | Promise<S>;
  /** The same side, closed for `reason`. */
  closed(state: S, reason: string): S;
  /** One received item (handshake message, alert, CCS, application data) in the state that expects it. */
  handleItem(state: S, item: R): Promise<S>;
  /** After every item of one `bytes` input is handled (unless closed): what waited for the rest of that input. */
  afterInput?(state: S): Promise<S>;
}

const isAlert = (item: { kind: string }): item is AlertItem => item.kind === 'alert';

/**
 * One engine step, the same for both sides: apply the input, turn any failure into a sent alert and a Closed
 * state, and hand back the events the connection queued. The engine does no I/O.
 */
export async function stepSide<
  S extends { name: string; conn: StepConnection<R, E> },
  R extends { kind: string } = Received,
  E = EngineEvent,
>(state: S, input: Input, side: Side<S, R, E>): Promise<{ state: S; events: E[] }> {
  let next = state;
  try {
    next = await applyInput(state, input, side);
  } catch (e) {
    state.conn.fail(e);
    next = side.closed(state, e instanceof Error ? e.message : String(e));
  }
  return { state: next, events: await state.conn.drain() };
}

async function applyInput<
  S extends { name: string; conn: StepConnection<R, E> },
  R extends { kind: string },
  E,
>(state: S, input: Input, side: Side<S, R, E>): Promise<S> {
  switch (input.kind) {
    case 'start':
      return side.start(state);
    case 'application-data':
      if (state.name !== 'Established')
        throw new Error(`cannot send application data in state ${state.name}`);
      state.conn.sendApplicationData(input.data);
      return state;
    case 'close':
      closeNotify(state.conn);
      return state.name === 'Closed' ? state : side.closed(state, 'we sent close_notify');
    case 'end':
      // Closed already (an alert or close_notify ended it): the peer's close is the expected end.
      if (state.name === 'Closed') return state;
      throw state.conn.endOfStream(expectedFrom(state.name));
    case 'bytes': {
      let s = state;
      for await (const item of state.conn.receive(input.data)) {
        if (s.name === 'Closed') {
          if (isAlert(item)) onAlert(s.conn, item);
          continue;
        }
        s = await side.handleItem(s, item);
      }
      return side.afterInput && s.name !== 'Closed' ? side.afterInput(s) : s;
    }
  }
}

/** What a state waits for, in words: `ExpectServerHelloDoneOrCertificateRequest` -> 'ServerHelloDone or CertificateRequest'. */
export function expectedFrom(stateName: string): string {
  if (stateName === 'Established') return 'application data or close_notify';
  if (!stateName.startsWith('Expect')) return `anything (state ${stateName})`;
  return stateName.slice('Expect'.length).replace('Or', ' or ');
}

/** Checks the item is the handshake message we expect (it joins the transcript in the connection). */
export function expectHandshake<T extends HandshakeMessage['type']>(
  item: Received,
  type: T,
  expected: string,
): Extract<HandshakeMessage, { type: T }> {
  if (item.kind !== 'handshake' || item.message.type !== type) throw unexpected(expected, item);
  return item.message as Extract<HandshakeMessage, { type: T }>;
}

/**
 * The peer's Finished, for both sides (RFC 5246 §7.4.9): computes the verify_data we expect from our transcript
 * (shown in the event log), throws FinishedMismatch (decrypt_error) when the peer's differs, and only then adds
 * the Finished to the transcript (our own Finished covers it).
 */
export async function checkPeerFinished(
  conn: Connection,
  me: Role,
  hs: Negotiated,
  keys: Keys,
  item: Received,
): Promise<void> {
  const m = expectHandshake(item, 'finished', 'Finished');
  const peer: Role = me === 'client' ? 'server' : 'client';
  const expected = await finishedVerifyData(
    me,
    peer,
    hs.suite,
    keys.master,
    conn.transcriptHash(hs.suite.prfHash),
  );
  conn.emit(expected.entry);
  if (!bytesEqual(expected.verifyData, m.verifyData))
    throw new FinishedMismatch(peer, expected.verifyData, m.verifyData);
  conn.handshakeMessages.push(item.kind === 'handshake' ? item.bytes : new Uint8Array(0));
}
