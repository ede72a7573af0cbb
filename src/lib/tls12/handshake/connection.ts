/**
 * The record layer shared by client and server (RFC 5246 §6): splits the byte stream into records, opens
 * protected ones, reassembles handshake messages, keeps the handshake transcript, and turns what we send into
 * records and events. No I/O: bytes come in through `receive`, bytes to send go out as events.
 *
 * Protection is the crypto layer's (`sealRecord` / `openRecord` over the CryptoProvider), which is async.
 * Sending stays a plain call: a protected record is sealed at once but its events join the queue in order,
 * and `drain()` (awaited at the end of each step) hands back the events with every record sealed.
 */
import { decodeOwnBytes, isDecodeError, type Span } from '../../bytes/index.ts';
import { AlertLevel, ContentType, HandshakeType } from '../wire/code-points.ts';
import { decodeAlert, encodeAlert } from '../wire/alert.ts';
import { decodeHandshake, encodeHandshake, type HandshakeMessage } from '../wire/handshake.ts';
import { HandshakeReassembler } from '../wire/handshake-reassembler.ts';
import type { KeyExchange } from '../wire/key-exchange.ts';
import { HANDSHAKE_HEADER_LENGTH } from '../wire/handshake-header.ts';
import { encodeRecord, MAX_PLAINTEXT_LENGTH, RECORD_HEADER_LENGTH, RecordSplitter } from '../wire/record.ts';
import {
  CryptoError,
  openRecord,
  sealRecord,
  type CipherSuiteInfo,
  type CryptoProvider,
  type DirectionKeys,
} from '../crypto/index.ts';
import { RunningHash, type HashName } from '../crypto/hash.ts';
import { engineProvider } from '../crypto/provider.ts';
import { alertName, TlsAlert } from './alerts.ts';
import { EventQueue } from './event-queue.ts';
import type { RandomSource, Tamper } from './config.ts';
import {
  recordEntry,
  type AlertEntry,
  type ApplicationDataEntry,
  type Role,
  type EventLogEntry,
} from './event-log.ts';

/** What the engine reports after each step. */
export type EngineEvent = { kind: 'send'; bytes: Uint8Array } | EventLogEntry;

/** One direction's protection after ChangeCipherSpec: the suite (crypto layer's table) and that direction's keys. */
export interface RecordKeys {
  readonly suite: CipherSuiteInfo;
  readonly keys: DirectionKeys;
  /** Reading only: the peers negotiated encrypt_then_mac (RFC 7366; the observer, never the engine's own peer). */
  readonly encryptThenMac?: boolean;
}

export type Received =
  | { kind: 'handshake'; message: HandshakeMessage; bytes: Uint8Array }
  | { kind: 'change_cipher_spec' }
  | { kind: 'alert'; level: number; description: number }
  | { kind: 'application_data'; data: Uint8Array };

export class Connection {
  readonly peer: Role;
  /** Events in order; a sealed record's events are a promise until its encryption finishes. */
  readonly #queue = new EventQueue<EngineEvent>();
  /** Version written in record headers: 0x0301 for the first ClientHello (as OpenSSL does), then 0x0303. */
  recordVersion: number;
  /** Handshake messages so far, for Hash(handshake_messages). */
  readonly handshakeMessages: Uint8Array[] = [];
  readonly #transcriptHash = new RunningHash();
  keyExchange: KeyExchange | undefined;
  #read: RecordKeys | undefined;
  #write: RecordKeys | undefined;
  #readSeq = 0n;
  #writeSeq = 0n;
  readonly #splitter = new RecordSplitter();
  readonly #reassembler = new HandshakeReassembler();
  #tamper: Tamper | undefined;
  /** How many content items (messages, CCS, alerts, application data) each side has sent: the next id. */
  #sent = 0;
  #received = 0;
  closed = false;

  constructor(
    readonly role: Role,
    readonly random: RandomSource,
    tamper: Tamper | undefined,
    /** Seals and opens records; the engine's shared fast-path provider unless a caller (the observer) injects one. */
    readonly provider: CryptoProvider = engineProvider(),
  ) {
    this.peer = role === 'client' ? 'server' : 'client';
    this.recordVersion = role === 'client' ? 0x0301 : 0x0303;
    this.#tamper = tamper;
  }

  emit(event: EngineEvent): void {
    this.#queue.push(event);
  }

  /** Everything emitted since the last drain, in order, once every record queued so far is sealed. */
  async drain(): Promise<EngineEvent[]> {
    return this.#queue.drain();
  }

  /** Content ids an earlier record layer used on this connection (the TLS 1.3 client's ClientHello). */
  countSent(n: number): void {
    this.#sent += n;
  }

  /** The id of the next content item we send (`client:N`); see `ContentId`. */
  #nextSentId(): string {
    return `${this.role}:${this.#sent++}`;
  }

  #peerId(n: number): string {
    return `${this.peer}:${n}`;
  }

  get writeProtected(): boolean {
    return this.#write !== undefined;
  }

  transcriptHash(name: HashName): Uint8Array {
    // Only the messages added since the last digest are hashed (as the 1.3 record layer does).
    return this.#transcriptHash.digest(name, this.handshakeMessages);
  }

  /** Sends one content item in records (fragmenting if needed), protected when a write cipher is active. */
  #sendRecord(contentType: number, content: Uint8Array, id: string, tamper = false): void {
    for (let at = 0; at < Math.max(content.length, 1); at += MAX_PLAINTEXT_LENGTH) {
      const plaintext = content.subarray(at, at + MAX_PLAINTEXT_LENGTH);
      const seq = this.#writeSeq++;
      const version = this.recordVersion;
      const write = this.#write;
      if (!write) {
        this.#queue.push(...this.#recordEvents(seq, contentType, version, plaintext, id, undefined, tamper));
        continue;
      }
      // RFC 5246 §6.2.3.2: a CBC record's explicit IV comes from our random source (seeded runs repeat);
      // AES-GCM's nonce_explicit is the sequence number (RFC 5288 §3), ChaCha20 has none (RFC 7905 §2).
      const explicitIv = write.suite.cipherType === 'block' ? this.random(16) : undefined;
      const sealing = sealRecord(this.provider, write.suite, write.keys, {
        contentType,
        version,
        plaintext,
        sequenceNumber: seq,
        explicitIv,
      }).then((sealed) => {
        const fragment = sealed.fragment.slice();
        if (tamper) fragment[fragment.length - 1]! ^= 0x01;
        return this.#recordEvents(
          seq,
          contentType,
          version,
          fragment,
          id,
          { plaintext, ...nonceAndAad(sealed) },
          tamper,
        );
      });
      // drain() awaits it and sees any failure; until then it must not count as an unhandled rejection.
      sealing.catch(() => undefined);
      this.#queue.push(sealing);
    }
  }

  /** The event log entry for one record we send, and the bytes to send. */
  #recordEvents(
    seq: bigint,
    contentType: number,
    version: number,
    fragment: Uint8Array,
    id: string,
    sealed: { plaintext: Uint8Array; nonce?: Uint8Array; aad?: Uint8Array } | undefined,
    tamper: boolean,
  ): EngineEvent[] {
    const bytes = encodeRecord({ contentType, version, fragment });
    const record: EngineEvent = {
      ...recordEntry(bytes, this.role, seq, [id], sealed !== undefined),
      ...(sealed ?? {}),
      ...(tamper ? { tampered: true } : {}),
    };
    return [record, { kind: 'send', bytes }];
  }

  /** Encodes, records in the transcript and sends one handshake message. */
  sendHandshake(message: HandshakeMessage, options: { tamperedMessage?: boolean } = {}): Uint8Array {
    const bytes = encodeHandshake(message);
    if (!options.tamperedMessage) this.handshakeMessages.push(bytes);
    const decoded = decodeOwnBytes(bytes, (b) => decodeHandshake(b, { keyExchange: this.keyExchange }));
    const id = this.#nextSentId();
    this.emit({
      kind: 'message',
      id,
      from: this.role,
      msgType: bytes[0]!,
      name: HandshakeType.format(bytes[0]!),
      bytes,
      spans: decoded.spans,
      message,
      encrypted: this.writeProtected,
      ...(options.tamperedMessage ? { tampered: true } : {}),
    });
    const tamperRecord = message.type === 'finished' && this.#tamper === 'finished-record';
    this.#sendRecord(ContentType.values.handshake, bytes, id, tamperRecord);
    return bytes;
  }

  /** Sends ChangeCipherSpec and switches the write side to `protection` (RFC 5246 §7.1). */
  sendChangeCipherSpec(protection: RecordKeys): void {
    const id = this.#nextSentId();
    this.emit({ kind: 'change_cipher_spec', id, from: this.role });
    this.#sendRecord(ContentType.values.change_cipher_spec, new Uint8Array([1]), id);
    this.#write = protection;
    this.#writeSeq = 0n;
  }

  activateRead(protection: RecordKeys): void {
    this.#read = protection;
    this.#readSeq = 0n;
  }

  sendAlert(level: number, description: number, name: string, reason?: string): void {
    const id = this.#nextSentId();
    this.emit({
      kind: 'alert',
      id,
      from: this.role,
      level,
      description,
      name,
      ...(reason ? { reason } : {}),
    });
    this.#sendRecord(ContentType.values.alert, encodeAlert({ level, description }), id);
  }

  sendApplicationData(data: Uint8Array): void {
    const id = this.#nextSentId();
    this.emit({ kind: 'application_data', id, from: this.role, data });
    const tamper = this.#tamper === 'application-data-record';
    if (tamper) this.#tamper = undefined;
    this.#sendRecord(ContentType.values.application_data, data, id, tamper);
  }

  /** Whether a scenario asked us to flip our Finished verify_data. */
  get tamperFinished(): boolean {
    return this.#tamper === 'finished';
  }

  /**
   * Parses incoming bytes one item at a time. A generator, so that a ChangeCipherSpec handled by the state
   * machine switches keys before the next record in the same chunk is opened.
   */
  async *receive(bytes: Uint8Array): AsyncGenerator<Received> {
    // RFC 8446 §5: an unknown record type is unexpected_message.
    const notTls = this.#splitter.notTlsWith(bytes);
    if (notTls) throw new TlsAlert('unexpected_message', `the ${this.peer}'s first bytes are ${notTls}`);
    let records;
    try {
      records = this.#splitter.push(bytes);
    } catch (e) {
      throw new TlsAlert(
        isDecodeError(e) ? 'record_overflow' : 'decode_error',
        `bad record header: ${(e as Error).message}`,
      );
    }
    for (const { record, bytes: raw } of records) {
      const seq = this.#readSeq++;
      let content = record.fragment;
      // `carries` is filled while the content is dispatched below (before the step's events are drained).
      const entry = recordEntry(raw, this.peer, seq, [], this.#read !== undefined);
      if (this.#read) {
        try {
          const opened = await openRecord(this.provider, this.#read.suite, this.#read.keys, {
            contentType: record.contentType,
            version: record.version,
            fragment: record.fragment,
            sequenceNumber: seq,
            encryptThenMac: this.#read.encryptThenMac,
          });
          content = opened.plaintext;
          this.emit({ ...entry, plaintext: opened.plaintext, ...nonceAndAad(opened) });
        } catch (e) {
          const reason = e instanceof CryptoError ? e.message : String(e);
          this.emit({ ...entry, error: reason });
          throw new TlsAlert(
            'bad_record_mac',
            `cannot open ${ContentType.format(record.contentType)} record ${seq}: ${reason}`,
          );
        }
      } else {
        this.emit(entry);
      }
      yield* this.#dispatch(record.contentType, content, entry.carries);
    }
  }

  /** Hands out the record's content items; `carries` receives their ids as they are numbered. */
  *#dispatch(contentType: number, content: Uint8Array, carries: string[]): Generator<Received> {
    const T = ContentType.values;
    const next = () => {
      const id = this.#peerId(this.#received++);
      carries.push(id);
      return id;
    };
    switch (contentType) {
      case T.handshake: {
        for (const { id, msgType, bytes, decoded } of reassembledMessages(
          this.#reassembler,
          content,
          { next, ahead: (n) => this.#peerId(this.#received + n), carries },
          (b) => decodeHandshake(b, { keyExchange: this.keyExchange }),
        )) {
          const message: HandshakeMessage = decoded.message;
          this.emit({
            kind: 'message',
            id,
            from: this.peer,
            msgType,
            name: HandshakeType.format(msgType),
            bytes,
            spans: decoded.spans,
            message,
            encrypted: this.#read !== undefined,
          });
          yield { kind: 'handshake', message, bytes };
        }
        return;
      }
      case T.change_cipher_spec:
        if (content.length !== 1 || content[0] !== 1)
          throw new TlsAlert('decode_error', 'ChangeCipherSpec must be the single byte 01');
        if (this.#reassembler.hasPartial) {
          throw new TlsAlert(
            'unexpected_message',
            'ChangeCipherSpec arrived in the middle of a handshake message',
          );
        }
        this.emit({ kind: 'change_cipher_spec', id: next(), from: this.peer });
        yield { kind: 'change_cipher_spec' };
        return;
      default:
        yield readAlertOrApplicationData(contentType, content, {
          next,
          peer: this.peer,
          protectedRead: this.#read !== undefined,
          emit: (e) => this.emit(e),
        });
    }
  }

  /**
   * The peer closed the connection (end of stream) while we still expected `expecting`: the error OpenSSL gives
   * in the same place ("unexpected eof while reading", ssl3_read_n in ssl/record/rec_layer_s3.c), naming what was
   * being read and how many bytes were missing. OpenSSL 3.0.19's s_client, given half a ServerHello record and
   * then end of stream by a Node TCP server, printed that error and sent a fatal decode_error alert
   * (15 03 01 00 02 02 32); so does `fail` with this error.
   */
  endOfStream(expecting: string): TlsAlert {
    return endOfStreamAlert(this.#splitter, this.#reassembler, this.peer, expecting);
  }

  /** Ends the connection with a fatal alert (encrypted when our write side is protected). */
  fail(error: unknown): void {
    failConnection(this, error);
  }
}

/** What a record layer's `fail` does, in both versions: a fatal alert (protected when the write side is), then closed. */
export function failConnection(
  conn: {
    closed: boolean;
    readonly role: Role;
    sendAlert(level: number, description: number, name: string, reason?: string): void;
    emit(event: { kind: 'closed'; from: Role; reason: string }): void;
  },
  error: unknown,
): void {
  if (conn.closed) return;
  const alert = asTlsAlert(error);
  conn.sendAlert(AlertLevel.values.fatal, alert.description, alert.alert, alert.reason);
  conn.closed = true;
  conn.emit({
    kind: 'closed',
    from: conn.role,
    reason: `sent fatal ${alert.alert} (${alert.description}): ${alert.reason}`,
  });
}

/**
 * The handshake messages a handshake record completes, decoded, each with its content id (`ids.next()` numbers
 * it and adds it to `ids.carries`). A message begun in this record and completed in a later one is carried by
 * this one too: its id (`ids.ahead(k)`, k messages past the next) joins `carries` as well. Shared by both
 * versions' record layers.
 */
export function* reassembledMessages<D extends { spans: Span[] }>(
  reassembler: HandshakeReassembler,
  content: Uint8Array,
  ids: { next: () => string; ahead: (k: number) => string; carries: string[] },
  decode: (bytes: Uint8Array) => D,
): Generator<{ id: string; msgType: number; bytes: Uint8Array; decoded: D }> {
  const messages = reassembler.push(content);
  const partial = reassembler.hasPartial ? ids.ahead(messages.length) : null;
  if (messages.length === 0 && partial) ids.carries.push(partial);
  for (const [i, m] of messages.entries()) {
    const id = ids.next();
    if (i === messages.length - 1 && partial) ids.carries.push(partial);
    let decoded;
    try {
      decoded = decode(m.bytes);
    } catch (e) {
      throw new TlsAlert(
        'decode_error',
        `cannot decode ${HandshakeType.format(m.msgType)}: ${(e as Error).message}`,
      );
    }
    yield { id, msgType: m.msgType, bytes: m.bytes, decoded };
  }
}

/**
 * An alert or application data record's content as both versions read it (its entry emitted, the item for the
 * state machine returned); any other content type is unexpected_message, as is application data before keys.
 */
export function readAlertOrApplicationData(
  contentType: number,
  content: Uint8Array,
  ctx: {
    next: () => string;
    peer: Role;
    protectedRead: boolean;
    emit: (entry: AlertEntry | ApplicationDataEntry) => void;
  },
): { kind: 'alert'; level: number; description: number } | { kind: 'application_data'; data: Uint8Array } {
  if (contentType === ContentType.values.alert) {
    const alert = readAlertContent(content);
    ctx.emit({ kind: 'alert', id: ctx.next(), from: ctx.peer, ...alert });
    return { kind: 'alert', level: alert.level, description: alert.description };
  }
  if (contentType !== ContentType.values.application_data)
    throw new TlsAlert('unexpected_message', `record of unknown content type ${contentType}`);
  if (!ctx.protectedRead)
    throw new TlsAlert(
      'unexpected_message',
      'application data before the handshake protected the connection',
    );
  ctx.emit({ kind: 'application_data', id: ctx.next(), from: ctx.peer, data: content });
  return { kind: 'application_data', data: content };
}

/** An alert record's content, read for the event log (decode_error when it is not the two bytes of an alert). */
export function readAlertContent(content: Uint8Array): { level: number; description: number; name: string } {
  let alert;
  try {
    alert = decodeAlert(content).message;
  } catch (e) {
    throw new TlsAlert('decode_error', `bad alert: ${(e as Error).message}`);
  }
  return {
    level: alert.level,
    description: alert.description,
    name: alertName(alert.description),
  };
}

/** The alert a failure ends the connection with: its own, or internal_error with its message. */
export function asTlsAlert(error: unknown): TlsAlert {
  return error instanceof TlsAlert
    ? error
    : new TlsAlert('internal_error', error instanceof Error ? error.message : String(error));
}

/** The record's nonce (AEAD) or IV (CBC) and its additional data, from the crypto layer's derivations. */
function nonceAndAad(result: { derivations: readonly { name: string; value: Uint8Array }[] }): {
  nonce?: Uint8Array;
  aad?: Uint8Array;
} {
  const nonce = result.derivations.find((d) => d.name === 'nonce' || d.name === 'IV')?.value;
  const aad = result.derivations.find((d) => d.name === 'additional_data')?.value;
  return { ...(nonce ? { nonce } : {}), ...(aad ? { aad } : {}) };
}

/**
 * The error for a peer that closed the connection (end of stream) while we still expected `expecting`, for both
 * versions' record layers: OpenSSL's "unexpected eof while reading" (see `Connection.endOfStream`), naming what was
 * being read and how many bytes were missing.
 */
export function endOfStreamAlert(
  splitter: RecordSplitter,
  reassembler: HandshakeReassembler,
  peer: Role,
  expecting: string,
): TlsAlert {
  const eof = 'unexpected eof while reading';
  const missing = (have: number, total: number) =>
    `${have} of its ${total} bytes arrived, ${total - have} missing`;
  const record = splitter.partial;
  if (record?.total !== undefined && record.contentType !== undefined)
    return new TlsAlert(
      'decode_error',
      `${eof} a ${ContentType.format(record.contentType)} record from the ${peer}: ${missing(record.have, record.total)} (record at stream offset ${record.offset}; we expected ${expecting})`,
    );
  if (record)
    return new TlsAlert(
      'decode_error',
      `${eof} a record header from the ${peer}: ${missing(record.have, RECORD_HEADER_LENGTH)} (stream offset ${record.offset}; we expected ${expecting})`,
    );
  const message = reassembler.partial;
  if (message?.total !== undefined && message.msgType !== undefined)
    return new TlsAlert(
      'decode_error',
      `${eof} ${HandshakeType.format(message.msgType)} from the ${peer}: ${missing(message.have, message.total)} (its records ended mid-message)`,
    );
  if (message)
    return new TlsAlert(
      'decode_error',
      `${eof} a handshake message header from the ${peer}: ${missing(message.have, HANDSHAKE_HEADER_LENGTH)}`,
    );
  return new TlsAlert(
    'decode_error',
    `${eof} ${expecting}: the ${peer} closed the connection before sending any byte of it (a record header's ${RECORD_HEADER_LENGTH} bytes missing, at stream offset ${splitter.offset})`,
  );
}
