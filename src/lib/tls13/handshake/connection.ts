/**
 * The TLS 1.3 record layer (RFC 8446 §5) for both sides: splits the stream into records, opens protected ones
 * (TLSInnerPlaintext: the real content type is inside), reassembles handshake messages, keeps the transcript,
 * and turns what we send into records and events. No I/O, as tls12's `Connection`: sealing is async, so a
 * protected record's events are queued as a promise and `drain()` hands everything back in order.
 *
 * Keys change per direction (handshake, then application traffic keys, then KeyUpdate); the middlebox
 * ChangeCipherSpec (RFC 8446 §5, §D.4) is always a plaintext record and is never protected.
 */
import { concatBytes, decodeOwnBytes, isDecodeError } from '../../bytes/index.ts';
import { ContentType } from '../../tls12/wire/code-points.ts';
import { encodeAlert } from '../../tls12/wire/alert.ts';
import {
  endOfStreamAlert,
  failConnection,
  readAlertOrApplicationData,
  reassembledMessages,
} from '../../tls12/handshake/connection.ts';
import { HandshakeReassembler } from '../../tls12/wire/handshake-reassembler.ts';
import { encodeRecord, MAX_PLAINTEXT_LENGTH, RecordSplitter } from '../../tls12/wire/record.ts';
import { CryptoError, type CryptoProvider } from '../../tls12/crypto/index.ts';
import { RunningHash } from '../../tls12/crypto/hash.ts';
import { engineProvider } from '../../tls12/crypto/provider.ts';
import { TlsAlert } from '../../tls12/handshake/alerts.ts';
import type { RandomSource } from '../../tls12/handshake/config.ts';
import type { Role } from '../../tls12/handshake/event-log.ts';
import {
  openRecord13,
  recordHeader,
  recordNonce,
  sealRecord13,
  type TrafficKey,
} from '../record-protection.ts';
import { decodeMessage13, messageEntryName13 } from '../message-entry.ts';
import type { Tls13Suite } from '../suites.ts';
import { encodeHandshake13, type Handshake13 } from '../wire/index.ts';
import { recordEntry, type RecordEntry } from '../../tls12/handshake/event-log.ts';
import type { EngineEvent13 } from './event-log.ts';
import { EventQueue } from '../../tls12/handshake/event-queue.ts';

/** One direction's protection: the suite and that direction's current traffic key and IV. */
export interface Protection {
  readonly suite: Tls13Suite;
  readonly keys: TrafficKey;
}

export type Received13 =
  | { kind: 'handshake'; message: Handshake13; bytes: Uint8Array }
  | { kind: 'change_cipher_spec' }
  | { kind: 'alert'; level: number; description: number }
  | { kind: 'application_data'; data: Uint8Array };

/** What a skipped 0-RTT record's entry says. */
export const EARLY_DATA_SKIPPED =
  "skipped: 0-RTT early data, which this server does not accept (RFC 8446 §4.2.10); the client's handshake keys do not open it";

/** The plaintext of early data a server skips before it fails the connection: OpenSSL's default, 2^14 bytes. */
export const SKIPPED_EARLY_DATA_LIMIT = 16384;

export class Connection13 {
  readonly peer: Role;
  readonly #queue = new EventQueue<EngineEvent13>();
  /** Version in plaintext record headers: 0x0301 for the first ClientHello (as OpenSSL does), then 0x0303. */
  recordVersion: number;
  /** Handshake messages so far (whole, with headers), for Transcript-Hash; after a HRR the first is message_hash. */
  readonly transcript: Uint8Array[] = [];
  readonly #transcriptHash = new RunningHash();
  #read: Protection | undefined;
  #write: Protection | undefined;
  /** Client: its handshake keys, derived from the ServerHello but first used for its second flight (`holdWrite`). */
  #heldWrite: Protection | undefined;
  #readSeq = 0n;
  #writeSeq = 0n;
  /** Server: the client's alerts may still come in the clear (see `setRead`). */
  #plainAlertsAllowed = false;
  readonly #splitter = new RecordSplitter();
  readonly #reassembler = new HandshakeReassembler();
  #sent = 0;
  #received = 0;
  closed = false;
  /** Until the ServerHello is read, the client keeps every byte received (for a fallback to TLS 1.2). */
  receivedSoFar: Uint8Array[] | undefined;
  /** Another engine took the connection over: nothing more is read here. */
  detached = false;
  /** We sent the middlebox ChangeCipherSpec (it is sent once). */
  sentChangeCipherSpec = false;
  /**
   * Server: the client offered 0-RTT early data, which this server never accepts. RFC 8446 §4.2.10: its records are
   * skipped (those our handshake keys do not open, and before them the protected ones a HelloRetryRequest leaves
   * unread), up to `budget` bytes of plaintext, until the first record that opens.
   */
  skipEarlyData: { budget: number } | undefined;
  /**
   * Send a flight's handshake messages together, in as few records as they fit (RFC 8446 §5.1 allows it; NSS
   * does, as RFC 8448's traces show). Off: one record per message, as OpenSSL sends them.
   */
  coalesceHandshake = false;
  /** Handshake messages waiting for their shared record: sent before anything else, a key change or a drain. */
  #pending: { bytes: Uint8Array; id: string }[] = [];
  /** The plaintext record version when the first pending message was queued (a ClientHello's 0x0301). */
  #pendingVersion = 0;

  constructor(
    readonly role: Role,
    readonly random: RandomSource,
    readonly provider: CryptoProvider = engineProvider(),
  ) {
    this.peer = role === 'client' ? 'server' : 'client';
    this.recordVersion = role === 'client' ? 0x0301 : 0x0303;
  }

  emit(event: EngineEvent13): void {
    this.#queue.push(event);
  }

  async drain(): Promise<EngineEvent13[]> {
    this.#flush();
    return this.#queue.drain();
  }

  /** Transcript-Hash of `transcript` (RFC 8446 §4.4.1), hashing only the messages added since the last call. */
  transcriptHash(suite: Tls13Suite): Uint8Array {
    return this.#transcriptHash.digest(suite.hash, this.transcript);
  }

  get writeProtected(): boolean {
    return this.#write !== undefined;
  }

  setWrite(p: Protection): void {
    this.#flush();
    this.#write = p;
    this.#writeSeq = 0n;
    this.#heldWrite = undefined;
  }

  /**
   * Client: keys for its next flight, not for what it writes before that. OpenSSL's client switches to its
   * handshake keys only when it writes its second flight, so an alert about the server's flight (unknown_ca,
   * decrypt_error) goes in the clear, where anyone on the path reads it; `useHeldWrite` switches.
   */
  holdWrite(p: Protection): void {
    this.#heldWrite = p;
  }

  useHeldWrite(): void {
    if (this.#heldWrite) this.setWrite(this.#heldWrite);
  }

  setRead(p: Protection): void {
    if (this.#reassembler.hasPartial)
      throw new TlsAlert(
        'unexpected_message',
        'a key change in the middle of a handshake message (RFC 8446 §5.1)',
      );
    // A client that fails on our first flight may not have switched to its handshake keys yet: OpenSSL's client
    // sends that alert in the clear, and OpenSSL's server accepts plaintext alerts until the client's first
    // protected record (ENC_READ_STATE_ALLOW_PLAIN_ALERTS, ssl3_get_record). So does ours.
    this.#plainAlertsAllowed = this.role === 'server' && this.#read === undefined;
    this.#read = p;
    this.#readSeq = 0n;
  }

  #nextSentId(): string {
    return `${this.role}:${this.#sent++}`;
  }

  /** The pending handshake messages, in one record (or as few as 2^14 bytes allow), each naming what it carries. */
  #flush(): void {
    const pending = this.#pending.splice(0);
    if (pending.length === 0) return;
    const ends = pending.map((_, i) => pending.slice(0, i + 1).reduce((n, m) => n + m.bytes.length, 0));
    const carries = (from: number, to: number) =>
      pending.filter((_, i) => ends[i]! > from && ends[i]! - pending[i]!.bytes.length < to).map((m) => m.id);
    const content = concatBytes(...pending.map((m) => m.bytes));
    this.#send(ContentType.values.handshake, content, carries, false, this.#pendingVersion);
  }

  /**
   * Sends content in records of at most 2^14 bytes, protected when a write key is set; `carries` names the
   * content ids in each record's byte range.
   */
  #send(
    contentType: number,
    content: Uint8Array,
    carries: (from: number, to: number) => string[],
    plaintextOnly = false,
    version = this.recordVersion,
  ): void {
    for (let at = 0; at < Math.max(content.length, 1); at += MAX_PLAINTEXT_LENGTH) {
      const piece = content.subarray(at, at + MAX_PLAINTEXT_LENGTH);
      const ids = carries(at, at + piece.length);
      const write = plaintextOnly ? undefined : this.#write;
      if (!write) {
        const bytes = encodeRecord({ contentType, version, fragment: piece });
        this.#queue.push(...this.#recordEvents(bytes, '0', ids, undefined));
        continue;
      }
      const seq = this.#writeSeq++;
      const sealing = sealRecord13(this.provider, write.suite, write.keys, {
        inner: { content: piece, contentType, paddingLength: 0 },
        sequenceNumber: seq,
      }).then((sealed) => {
        const d = (name: string) => sealed.derivations.find((x) => x.name === name)!.value;
        return this.#recordEvents(sealed.record, seq.toString(), ids, {
          plaintext: piece,
          nonce: d('nonce'),
          aad: d('additional_data'),
          innerContentType: contentType,
          paddingLength: 0,
        });
      });
      sealing.catch(() => undefined);
      this.#queue.push(sealing);
    }
  }

  #recordEvents(
    bytes: Uint8Array,
    seq: string,
    ids: string[],
    sealed:
      Pick<RecordEntry, 'plaintext' | 'nonce' | 'aad' | 'innerContentType' | 'paddingLength'> | undefined,
  ): EngineEvent13[] {
    const record: RecordEntry = {
      ...recordEntry(bytes, this.role, seq, ids, sealed !== undefined),
      ...sealed,
    };
    return [record, { kind: 'send', bytes }];
  }

  /** Encodes, adds to the transcript (unless `transcript: false`) and sends one handshake message. */
  sendHandshake(
    message: Handshake13,
    options: { transcript?: boolean; tampered?: boolean } = {},
  ): Uint8Array {
    const bytes = encodeHandshake13(message);
    if (options.transcript !== false) this.transcript.push(bytes);
    const decoded = decodeOwnBytes(bytes, decodeMessage13);
    const id = this.#nextSentId();
    this.emit({
      kind: 'message',
      id,
      from: this.role,
      msgType: bytes[0]!,
      name: messageEntryName13(message, bytes[0]!),
      bytes,
      spans: decoded.spans,
      message: decoded.message,
      message13: message,
      encrypted: this.writeProtected,
      ...(options.tampered ? { tampered: true } : {}),
    });
    if (this.coalesceHandshake && this.#pending.length === 0) this.#pendingVersion = this.recordVersion;
    if (this.coalesceHandshake) this.#pending.push({ bytes, id });
    else this.#send(ContentType.values.handshake, bytes, () => [id]);
    return bytes;
  }

  /** The middlebox-compatibility ChangeCipherSpec (RFC 8446 §D.4): a plaintext record, no key change. */
  sendChangeCipherSpec(): void {
    this.#flush();
    this.sentChangeCipherSpec = true;
    const id = this.#nextSentId();
    this.emit({ kind: 'change_cipher_spec', id, from: this.role });
    this.#send(ContentType.values.change_cipher_spec, Uint8Array.of(1), () => [id], true);
  }

  sendAlert(level: number, description: number, name: string, reason?: string): void {
    this.#flush();
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
    this.#send(ContentType.values.alert, encodeAlert({ level, description }), () => [id]);
  }

  sendApplicationData(data: Uint8Array): void {
    this.#flush();
    const id = this.#nextSentId();
    this.emit({ kind: 'application_data', id, from: this.role, data });
    this.#send(ContentType.values.application_data, data, () => [id]);
  }

  /** Parses incoming bytes one item at a time (a generator: a key change applies from the next record on). */
  async *receive(bytes: Uint8Array): AsyncGenerator<Received13> {
    this.receivedSoFar?.push(bytes.slice());
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
      if (this.detached) return;
      const entry = recordEntry(raw, this.peer, 0, [], false);
      let contentType = record.contentType;
      let content = record.fragment;
      const T = ContentType.values;
      const plainAlert = contentType === T.alert && this.#plainAlertsAllowed;
      if (!this.#read && contentType === T.application_data && this.skipEarlyData) {
        this.#skipEarly(entry, raw);
        continue;
      }
      if (this.#read && contentType !== T.change_cipher_spec && !plainAlert) {
        if (contentType !== T.application_data)
          throw new TlsAlert(
            'unexpected_message',
            `a ${ContentType.format(contentType)} record in clear after the keys changed (RFC 8446 §5)`,
          );
        const seq = this.#readSeq++;
        entry.seq = seq.toString();
        entry.encrypted = true;
        try {
          const opened = await openRecord13(this.provider, this.#read.suite, this.#read.keys, {
            record: raw,
            sequenceNumber: seq,
          });
          contentType = opened.message.contentType;
          content = opened.message.content;
          this.#plainAlertsAllowed = false;
          Object.assign(entry, {
            plaintext: content,
            nonce: recordNonce(this.#read.keys.iv, seq),
            aad: recordHeader(raw.length - 5),
            innerContentType: contentType,
            paddingLength: opened.message.paddingLength,
          });
        } catch (e) {
          if (this.skipEarlyData && e instanceof CryptoError) {
            this.#readSeq = seq; // a skipped record takes no sequence number of the handshake keys
            this.#skipEarly(entry, raw);
            continue;
          }
          const reason = e instanceof CryptoError || isDecodeError(e) ? (e as Error).message : String(e);
          this.emit({ ...entry, error: reason });
          throw new TlsAlert(
            isDecodeError(e) ? 'unexpected_message' : 'bad_record_mac',
            `cannot open record ${seq} from the ${this.peer}: ${reason}`,
          );
        }
      }
      // The first record that opens ends the client's early data.
      if (entry.encrypted) this.skipEarlyData = undefined;
      this.emit(entry);
      yield* this.#dispatch(contentType, content, entry.carries);
    }
  }

  /** A 0-RTT record we do not accept, skipped unread (RFC 8446 §4.2.10), or too many of them. */
  #skipEarly(entry: RecordEntry, raw: Uint8Array): void {
    const skip = this.skipEarlyData!;
    // Its plaintext is at most the fragment less the tag and the inner content type byte.
    skip.budget -= Math.max(0, raw.length - 5 - 17);
    if (skip.budget < 0)
      throw new TlsAlert(
        'unexpected_message',
        'more 0-RTT early data than this server skips (RFC 8446 §4.2.10: up to max_early_data_size)',
      );
    this.emit({ ...entry, encrypted: true, error: EARLY_DATA_SKIPPED });
  }

  *#dispatch(contentType: number, content: Uint8Array, carries: string[]): Generator<Received13> {
    const T = ContentType.values;
    const next = () => {
      const id = `${this.peer}:${this.#received++}`;
      carries.push(id);
      return id;
    };
    switch (contentType) {
      case T.handshake: {
        if (content.length === 0)
          throw new TlsAlert('unexpected_message', 'a handshake record with no content (RFC 8446 §5.1)');
        for (const { id, msgType, bytes, decoded } of reassembledMessages(
          this.#reassembler,
          content,
          { next, ahead: (n) => `${this.peer}:${this.#received + n}`, carries },
          decodeMessage13,
        )) {
          this.emit({
            kind: 'message',
            id,
            from: this.peer,
            msgType,
            name: decoded.name,
            bytes,
            spans: decoded.spans,
            message: decoded.message,
            message13: decoded.message13,
            encrypted: this.#read !== undefined,
          });
          yield { kind: 'handshake', message: decoded.message13, bytes };
        }
        return;
      }
      case T.change_cipher_spec:
        if (content.length !== 1 || content[0] !== 1)
          throw new TlsAlert(
            'unexpected_message',
            'ChangeCipherSpec must be the single byte 01 (RFC 8446 §5)',
          );
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

  /** Hands the connection to another engine: queued entries of what the peer sent are dropped (it re-reads them). */
  detach(): Uint8Array {
    this.detached = true;
    this.#queue.retain((e) => e.kind === 'send' || !('from' in e) || e.from !== this.peer);
    return concatBytes(...(this.receivedSoFar ?? []));
  }

  /** The peer closed the stream while we expected `expecting` (OpenSSL's "unexpected eof while reading"). */
  endOfStream(expecting: string): TlsAlert {
    return endOfStreamAlert(this.#splitter, this.#reassembler, this.peer, expecting);
  }

  /** Ends the connection with a fatal alert (protected when our write side is). */
  fail(error: unknown): void {
    failConnection(this, error);
  }
}
