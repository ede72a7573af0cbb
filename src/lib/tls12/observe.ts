/**
 * The passive observer: one TCP connection's bytes as a capture saw them (both directions, in capture order) and
 * an optional NSS key log in, the same event log a live run produces out. Each direction is read by the engine's
 * own record layer (`handshake/connection.ts`: a receiving Connection per direction), so records, handshake
 * messages with their spans, `carries` ids, ChangeCipherSpec, alerts and application data are numbered and decoded
 * exactly as the engine does. The observer adds what only it knows: the key log lookup, the key block derived from
 * the logged master secret, both Finished checks, records it cannot open (and what would open them), PostgreSQL's
 * framing before and inside the tunnel, and notes where a gap or a truncation ends decoding. It never throws on
 * bad input.
 */
import { bytesEqual, concatBytes, toHex } from '../bytes/index.ts';
import { RECORD_HEADER_LENGTH, RecordSplitter } from './wire/record.ts';
import { mayStartRecord, recordBoundary, recordChain } from './wire/record-boundary.ts';
import { keyExchangeOf } from './wire/key-exchange.ts';
import { ContentType, ExtensionType, versionName } from './wire/code-points.ts';
import { TLS12 } from './handshake/config.ts';
import type { HandshakeMessage } from './wire/handshake.ts';
import {
  cipherSuite,
  CLIENT_RANDOM_LABEL,
  conflictingLines,
  keyLogLine,
  keyLogLineName,
  parseKeyLog,
  type CipherSuiteInfo,
  type CryptoProvider,
  type KeyLogEntry,
  type KeyLogLineRef,
} from './crypto/index.ts';
import { engineProvider } from './crypto/provider.ts';
import { hashSync } from './crypto/hash.ts';
import { Connection } from './handshake/connection.ts';
import { TlsAlert } from './handshake/alerts.ts';
import { summarise } from './handshake/common.ts';
import { deriveKeys, finishedVerifyData } from './handshake/secrets.ts';
import type { Negotiated } from './handshake/states.ts';
import {
  recordEntry,
  type EventLogEntry,
  type PostgresEntry,
  type RecordEntry,
  type Role,
} from './handshake/event-log.ts';
import {
  BackendMessageSplitter,
  decodeBackendMessage,
  decodeSslRequest,
  decodeSslResponse,
  decodeStartupMessage,
  describeBackendMessage,
  POSTGRES_ALPN,
  SSL_REQUEST,
} from '../pgwire/index.ts';
import {
  EARLY_DATA_NOT_OPENED,
  Tls13Observer,
  TLS13_TRAFFIC_LABELS,
  tls13WantedLines,
  type Tls13Decryption,
} from '../tls13/observe.ts';
import { decodeMessage13 } from '../tls13/message-entry.ts';

/** Bytes of one direction's TCP stream, as reassembled from a capture. */
export interface ObservedChunk {
  from: Role;
  bytes: Uint8Array;
  /** Offset of `bytes[0]` in that direction's stream. */
  offset: number;
  /** Milliseconds since the epoch. */
  time: number;
}

/** Bytes of one direction's stream the capture did not hold. */
export interface ObservedGap {
  from: Role;
  offset: number;
  length: number;
}

export type ObservedItem = ObservedChunk | ObservedGap;

export interface ObserveOptions {
  /** An NSS key log (SSLKEYLOGFILE text, or entries parsed by `parseKeyLog`). */
  keyLog?: string | readonly KeyLogEntry[];
  provider?: CryptoProvider;
  /**
   * TLS 1.2 sessions earlier connections of the same capture set up (their `Observation.session`): a connection
   * that resumes one, with no key log line of its own, is read with its master secret, as Wireshark does.
   */
  sessions?: readonly ResumableSession[];
  /**
   * Whether each direction's stream is held from its first byte (its SYN is in the capture; the default). One that is
   * not may begin anywhere, even inside a record: then the end of that record is skipped (`recordBoundary`).
   */
  fromStart?: { client: boolean; server: boolean };
}

/**
 * A TLS 1.2 session a connection set up and a later one may resume (RFC 5246 §7.3 by session ID, RFC 5077 by
 * ticket), with the master secret the key log gave for it. Wireshark keeps the same cache across a capture.
 */
export interface ResumableSession {
  /** ServerHello.session_id, when the server gave one. */
  sessionId?: Uint8Array;
  /** NewSessionTicket.ticket, when the server sent one. */
  ticket?: Uint8Array;
  masterSecret: Uint8Array;
  /** The key log line the master secret came from (in the connection that set the session up). */
  line: number;
  source?: string;
  /** Which connection set it up (1-based, as the capture's TLS connections are numbered), set by the caller. */
  connection?: number;
}

/** Where decoding of one direction stopped, or something else the reader must know, in words. */
export interface ObserveNote {
  from: Role;
  /** Offset in that direction's stream. */
  offset: number;
  text: string;
  /** The capture lacks bytes of this direction's stream here: decoding of it ends, and what follows is not read. */
  hole?: true;
  /** This direction's bytes here cannot be read as TLS: decoding of it ends, and what follows is not read. */
  undecodable?: true;
}

/**
 * How a Finished checked: `transcript incomplete` when it was read but a handshake message before it is not known
 * (a record that stayed closed, or a hole in the capture), so the transcript it covers is not either.
 */
export type FinishedCheck = 'verified' | 'mismatch' | 'not seen' | 'not opened' | 'transcript incomplete';

/**
 * The protocol version a decryption report is about, as OpenSSL names it: TLSv1.3 when the ServerHello chose it
 * (the key log's four traffic secrets), else TLSv1.2 (the CLIENT_RANDOM line's master secret, the key schedule the
 * observer reads every earlier connection with).
 */
export type DecryptionVersion = 'TLSv1.2' | 'TLSv1.3';

/**
 * What the key log did for this connection: one set of statuses for both versions, `version` says which (and
 * each version keeps its own facts: 1.2 the CLIENT_RANDOM line, 1.3 the labels found and missing).
 */
export type Decryption =
  /**
   * `version` is absent when no ServerHello was seen; `hole`: the capture lacks part of a stream (`ObserveNote.hole`),
   * so what was read is in the clear but what is missing may not be.
   */
  | { status: 'nothing-encrypted'; version?: DecryptionVersion; hole?: true }
  | {
      status: 'no-key-log';
      version: DecryptionVersion;
      wantedLine: string;
      /** TLS 1.3: the four lines (also in `wantedLine`, one a line). */ wantedLines?: string[];
    }
  | {
      status: 'key-log-unreadable';
      version: DecryptionVersion;
      reason: string;
      wantedLine: string;
      wantedLines?: string[];
    }
  | {
      status: 'no-matching-line';
      version: 'TLSv1.2';
      wantedLine: string;
      clientRandomLines: number;
      tls13Labels: string[];
    }
  /**
   * The ClientHello is not in the capture, so without its client random no key log line can be matched: TLS 1.3
   * (`version`) whose ClientHello was missed, or a capture that starts after the handshake (no version known).
   */
  | {
      status: 'no-client-hello';
      version?: 'TLSv1.3';
      tls13Labels: string[];
      /** The capture holds the connection from its start, but the ClientHello's bytes are missing (a hole). */
      missing?: true;
    }
  | Tls13Decryption
  | { status: 'unsupported-suite'; version: 'TLSv1.2'; cipherSuite: number }
  /**
   * The ServerHello chose a version before TLS 1.2 (SSL 3.0, TLS 1.0, 1.1): its PRF and record protection are not
   * TLS 1.2's, which the observer implements, so the records stay closed (`negotiated`: "TLSv1.1", ...).
   */
  | { status: 'unsupported-version'; version?: undefined; negotiated: string }
  | {
      /**
       * decrypted: every record opened and both Finished messages matched; wrong-secret: a record failed to open
       * with the logged master secret; finished-mismatch: records opened, but a Finished does not match the
       * handshake messages seen (one is missing from the capture, or was altered); incomplete: the first
       * handshake's records opened and its Finished messages matched, but the connection renegotiated and the
       * records under the second handshake's keys stay closed (`renegotiation`).
       */
      status: 'decrypted' | 'incomplete' | 'wrong-secret' | 'finished-mismatch';
      version: 'TLSv1.2';
      /**
       * The key log line that matched the client random (1-based), and the key log it is in when several were read.
       * When several lines carry this client random, the last one is used, as Wireshark does (`keyLogLine`).
       */
      line: number;
      source?: string;
      /** The other CLIENT_RANDOM lines for this client random, with another secret, passed over (absent when none). */
      conflicting?: KeyLogLineRef[];
      /**
       * No line for this client random, but the connection resumes a session an earlier connection of the capture
       * set up (`ObserveOptions.sessions`): `line` is that connection's line, and the master secret its.
       */
      resumes?: { connection?: number };
      firstFailure?: { from: Role; seq: string; offset: number };
      clientFinished: FinishedCheck;
      serverFinished: FinishedCheck;
      /**
       * Incomplete: the line that would open the renegotiated handshake's records (Wireshark follows it), keyed by
       * its ClientHello's random, and the key log's line number for it when the key log has one.
       */
      renegotiation?: { wantedLine: string; line?: number };
      /**
       * Incomplete: the key log has a line for the client random (CLIENT_RANDOM, or a TLS 1.3 secret), but the capture
       * lacks the ServerHello (its version and cipher suite, and in TLS 1.2 its random, are needed), so no record
       * opened.
       */
      serverHelloMissing?: true;
    };

/** Every status a decryption report can have, for either version. */
export type DecryptionStatus = Decryption['status'];

/** The statuses, listed (a reader of saved reports checks against it; the check below keeps it complete). */
export const DECRYPTION_STATUSES = [
  'decrypted',
  'incomplete',
  'wrong-secret',
  'finished-mismatch',
  'no-matching-line',
  'no-key-log',
  'key-log-unreadable',
  'nothing-encrypted',
  'unsupported-suite',
  'unsupported-version',
  'no-client-hello',
] as const satisfies readonly DecryptionStatus[];
// A status added to `Decryption` but not listed above fails to compile here.
const everyStatusListed: Exclude<DecryptionStatus, (typeof DECRYPTION_STATUSES)[number]> extends never
  ? true
  : never = true;
void everyStatusListed;

export interface Observation {
  eventLog: EventLogEntry[];
  /** The version the ServerHello chose (0x0303; 0x0304 from supported_versions), when one was seen. */
  version?: number;
  clientRandom?: Uint8Array;
  decryption: Decryption;
  /** One plain sentence about the decryption (the Wireshark user's question: why is nothing decrypted?). */
  decryptionSummary: string;
  notes: ObserveNote[];
  /** TLS 1.2: the session this connection set up or resumed, with its master secret, when the key log gave it. */
  session?: ResumableSession;
  /** TLS 1.2: the ServerHello echoes the ClientHello's non-empty session ID, so the connection resumes a session. */
  resumesSession?: true;
}

const SUPPORTED_VERSIONS = 43;
const TLS13 = 0x0304;

interface Direction {
  role: Role;
  /** Receives this direction's records; its `peer` is `role`. */
  conn: Connection;
  splitter: RecordSplitter;
  /** Next stream offset expected. */
  next: number;
  stopped: boolean;
  /** After ChangeCipherSpec (1.2) or ServerHello (1.3): records are protected. */
  protectedFrom: boolean;
  /** Protected and not opened by us: why, for each such record. */
  opaque?: string;
  opaqueSeq: bigint;
  /** PostgreSQL framing before TLS: bytes held until the decision. */
  prefix: Uint8Array;
  tls: boolean;
  /** Stream offset of the first TLS byte (after PostgreSQL's SSLRequest or its answer). */
  base: number;
  /**
   * A capture begun inside a record: while its first whole record is looked for, the first offset of `prefix` that
   * could still be where it starts.
   */
  seek?: number;
  /** A stream that may begin inside a record, holding fewer bytes than a record header: its next bytes decide. */
  waiting?: boolean;
}

function isGap(item: ObservedItem): item is ObservedGap {
  return !('bytes' in item);
}

function tls13LabelsOf(entries: readonly KeyLogEntry[]): string[] {
  return [
    ...new Set(
      entries.filter((e) => e.label !== CLIENT_RANDOM_LABEL && e.label !== 'RSA').map((e) => e.label),
    ),
  ];
}

/** Turns one connection's captured bytes (and a key log) into the event log a live run of it produces. */
export async function observeConnection(
  items: readonly ObservedItem[],
  options: ObserveOptions = {},
): Promise<Observation> {
  return new Observer(options).run(items);
}

class Observer {
  readonly #provider: CryptoProvider;
  readonly #keyLog: readonly KeyLogEntry[] | undefined;
  #keyLogError: string | undefined;
  readonly log: EventLogEntry[] = [];
  readonly notes: ObserveNote[] = [];
  readonly #dirs: Record<Role, Direction>;
  #transcript: Uint8Array[] = [];
  #clientHello: Extract<HandshakeMessage, { type: 'client_hello' }> | undefined;
  /** A direction's first record was not a handshake record: the capture starts after the handshake. */
  #afterHandshake = false;
  /** A ClientKeyExchange was seen: a full handshake, not a resumption. */
  #keyExchanged = false;
  #clientHelloBytes: Uint8Array | undefined;
  /** Reads every record after a TLS 1.3 ServerHello (or HelloRetryRequest). */
  #tls13: Tls13Observer | undefined;
  #serverHello: Extract<HandshakeMessage, { type: 'server_hello' }> | undefined;
  #version: number | undefined;
  #suite: CipherSuiteInfo | undefined;
  #master: Uint8Array | undefined;
  #line: KeyLogEntry | undefined;
  readonly #sessions: readonly ResumableSession[];
  readonly #fromStart: { client: boolean; server: boolean };
  /** The earlier connection's session this one resumes, when its master secret came from there. */
  #resumedFrom: ResumableSession | undefined;
  #ticket: Uint8Array | undefined;
  #keys: Awaited<ReturnType<typeof deriveKeys>> | undefined;
  #finished: Record<Role, FinishedCheck> = { client: 'not seen', server: 'not seen' };
  /** TLS 1.2: a direction stopped before its Finished (its later handshake messages are not known). */
  #transcriptGap = false;
  /** Where the other direction's stream had been read to when each side's Finished was checked. */
  #checkedAt: Partial<Record<Role, number>> = {};
  #firstFailure: { from: Role; seq: string; offset: number } | undefined;
  #sawEncrypted = false;
  #serverCertificates: Uint8Array[] = [];
  #clientCertificates: Uint8Array[] = [];
  #group: number | undefined;
  #signatureScheme: number | undefined;
  #complete = false;
  #renegotiated = false;
  /** The ClientHello of a renegotiation, when its record was opened. */
  #renegotiationHello: Extract<HandshakeMessage, { type: 'client_hello' }> | undefined;
  /** Stream offset of the record being read. */
  #at = 0;
  // PostgreSQL.
  #sslRequest = false;
  #postgres = false;
  #startupSeen = false;
  readonly #backend = new BackendMessageSplitter();
  #open: string[] = [];

  constructor(options: ObserveOptions) {
    this.#provider = options.provider ?? engineProvider();
    this.#sessions = options.sessions ?? [];
    this.#fromStart = options.fromStart ?? { client: true, server: true };
    if (typeof options.keyLog === 'string') {
      try {
        this.#keyLog = parseKeyLog(options.keyLog);
      } catch (e) {
        this.#keyLogError = e instanceof Error ? e.message : String(e);
      }
    } else this.#keyLog = options.keyLog;
    const dir = (role: Role): Direction => ({
      role,
      // A receiving Connection for `role`'s records is the other side's.
      conn: new Connection(
        role === 'client' ? 'server' : 'client',
        () => new Uint8Array(0),
        undefined,
        this.#provider,
      ),
      splitter: new RecordSplitter(),
      next: 0,
      stopped: false,
      protectedFrom: false,
      opaqueSeq: 0n,
      prefix: new Uint8Array(0),
      tls: false,
      base: 0,
    });
    this.#dirs = { client: dir('client'), server: dir('server') };
  }

  async run(items: readonly ObservedItem[]): Promise<Observation> {
    for (const item of items) {
      const d = this.#dirs[item.from];
      if (d.stopped) continue;
      if (isGap(item) || item.offset > d.next) await this.#settle(d, false);
      if (d.stopped) continue;
      if (isGap(item)) {
        this.#stop(
          d,
          item.offset,
          `the capture is missing ${item.length} bytes of the ${d.role}'s stream at offset ${item.offset}; decoding of this direction ends here`,
          'hole',
        );
        continue;
      }
      if (item.offset > d.next) {
        this.#stop(
          d,
          d.next,
          `the capture is missing the ${d.role}'s bytes ${d.next}..${item.offset - 1}; decoding of this direction ends here`,
          'hole',
        );
        continue;
      }
      // Bytes already seen (a retransmission the reassembler left in) are skipped.
      const fresh = item.bytes.subarray(Math.min(item.bytes.length, d.next - item.offset));
      d.next += fresh.length;
      if (fresh.length > 0) await this.#bytes(d, fresh);
    }
    for (const d of [this.#dirs.client, this.#dirs.server]) {
      await this.#settle(d, true);
      this.#end(d);
    }
    return this.#result();
  }

  /**
   * Ends decoding of `d` with a note; `why`: the capture lacks bytes of its stream (a hole), or they cannot be read
   * as TLS (undecodable). Without one, the stream ends as it should (PostgreSQL's 'N').
   */
  #stop(d: Direction, offset: number, text: string, why?: 'hole' | 'undecodable'): void {
    d.stopped = true;
    this.#cutShort(d);
    this.notes.push({
      from: d.role,
      offset,
      text,
      ...(why === 'hole'
        ? { hole: true as const }
        : why === 'undecodable'
          ? { undecodable: true as const }
          : {}),
    });
  }

  #end(d: Direction): void {
    if (d.stopped) return;
    if (!d.tls && d.prefix.length > 0) {
      this.notes.push({
        from: d.role,
        offset: 0,
        text: `the ${d.role}'s stream ended after ${d.prefix.length} bytes, before any TLS record`,
      });
      return;
    }
    const partial = d.splitter.partial;
    if (partial) {
      const what =
        partial.total !== undefined && partial.contentType !== undefined
          ? `a ${ContentType.format(partial.contentType)} record cut short: ${partial.have} of its ${partial.total} bytes`
          : `a record header cut short: ${partial.have} of its ${RECORD_HEADER_LENGTH} bytes`;
      // The splitter counts from the first TLS byte; the stream offset adds what came before it.
      const offset = d.base + partial.offset;
      this.notes.push({
        from: d.role,
        offset,
        text: `the ${d.role}'s stream ends inside ${what} (record at stream offset ${offset})`,
      });
    }
    // Ended (cut short or not) before its Finished: what it sent from there is not known, as after a hole. A clean
    // end is a loss too when the other side answered what is missing (the client's Finished after the server's).
    this.#cutShort(d);
  }

  /** PostgreSQL's SSLRequest and its one-byte answer come before TLS; everything else goes to the record layer. */
  async #bytes(d: Direction, bytes: Uint8Array): Promise<void> {
    if (d.tls) return this.#records(d, bytes);
    d.prefix = concatBytes(d.prefix, bytes);
    if (d.seek !== undefined) return this.#seek(d, 'more');
    if (d.role === 'client') {
      const n = Math.min(d.prefix.length, SSL_REQUEST.length);
      if (!bytesEqual(d.prefix.subarray(0, n), SSL_REQUEST.subarray(0, n))) return this.#startTls(d, 0);
      if (d.prefix.length < SSL_REQUEST.length) return;
      this.#sslRequest = true;
      this.#postgres = true;
      const raw = d.prefix.slice(0, SSL_REQUEST.length);
      this.log.push({
        kind: 'postgres',
        from: 'client',
        label: 'SSLRequest',
        bytes: raw,
        spans: decodeSslRequest(raw).spans,
        inTunnel: false,
      });
      return this.#startTls(d, SSL_REQUEST.length);
    }
    if (!this.#sslRequest) return this.#startTls(d, 0);
    const raw = d.prefix.slice(0, 1);
    let answer;
    try {
      answer = decodeSslResponse(raw);
    } catch (e) {
      return this.#stop(
        d,
        0,
        `the server answered SSLRequest with 0x${toHex(raw)}, not 'S' or 'N': ${(e as Error).message}`,
      );
    }
    this.log.push({
      kind: 'postgres',
      from: 'server',
      label: `SSL response '${answer.response}'`,
      bytes: raw,
      spans: answer.spans,
      inTunnel: false,
    });
    if (answer.response !== 'S') {
      this.#dirs.client.stopped = true;
      return this.#stop(
        d,
        1,
        `the server answered '${answer.response}': no TLS on this connection, the rest is plain PostgreSQL (not decoded)`,
      );
    }
    return this.#startTls(d, 1);
  }

  async #startTls(d: Direction, skip: number): Promise<void> {
    // A capture without the connection's SYN, whose bytes do not begin with a record header (and no hello was seen):
    // it began inside a record. Fewer bytes than a header cannot tell yet.
    if (skip === 0 && !this.#fromStart[d.role] && !this.#clientHello) {
      const first = d.prefix.subarray(0, RECORD_HEADER_LENGTH);
      d.waiting = first.length < RECORD_HEADER_LENGTH;
      if (d.waiting) return;
      if (!recordChain(first)) {
        d.seek = 0;
        return this.#seek(d, 'more');
      }
    }
    return this.#begin(d, skip);
  }

  /** The record layer from `skip` on. Stream offsets of the record layer count from there; notes add `skip` back. */
  async #begin(d: Direction, skip: number): Promise<void> {
    d.tls = true;
    d.waiting = false;
    const rest = d.prefix.subarray(skip);
    d.prefix = new Uint8Array(0);
    d.base = skip;
    if (rest.length > 0) await this.#records(d, rest);
  }

  /**
   * What was held for a decision, decided on the bytes there are: at the stream's end (`ended`), fewer bytes than a
   * header start a record cut short if they could begin one, and the boundary search takes its last chance; before a
   * hole, only a boundary found in the bytes before it counts (the stream goes on past the hole, so "not TLS" cannot
   * be said).
   */
  async #settle(d: Direction, ended: boolean): Promise<void> {
    if (d.stopped || d.tls) return;
    if (d.waiting && ended) {
      if (mayStartRecord(d.prefix)) return this.#begin(d, 0);
      d.waiting = false;
      d.seek = 0;
    }
    if (d.seek !== undefined) await this.#seek(d, ended ? 'end' : 'hole');
  }

  /**
   * A capture begun inside a record: the end of that record is skipped, and records are read from the first whole
   * one (`recordBoundary`), once enough bytes (or the stream's end) decide where it starts.
   */
  async #seek(d: Direction, until: 'more' | 'hole' | 'end'): Promise<void> {
    // Before a hole the bytes held are final up to it, but the stream goes on past it: a boundary found there counts,
    // and none found is no verdict (the hole ends this direction).
    const found = recordBoundary(d.prefix, until !== 'more', d.seek);
    if (until === 'hole' && !(found && 'at' in found)) return;
    if (found !== undefined && 'waitFrom' in found) {
      d.seek = found.waitFrom;
      return;
    }
    d.seek = undefined;
    if (found === undefined)
      return this.#stop(
        d,
        0,
        `the ${d.role}'s first ${d.prefix.length} bytes hold no TLS record that starts within a record's length of the capture's start, so they are not TLS; decoding of this direction ends here`,
        'undecodable',
      );
    this.notes.push({
      from: d.role,
      offset: 0,
      text: `the capture starts inside a record: the ${d.role}'s first ${found.at} bytes are the end of a record sent before the capture began, and its records are read from stream offset ${found.at}`,
    });
    return this.#begin(d, found.at);
  }

  async #records(d: Direction, bytes: Uint8Array): Promise<void> {
    let records;
    try {
      records = d.splitter.push(bytes);
    } catch (e) {
      const offset = d.base + ((e as { offset?: number }).offset ?? d.splitter.offset);
      return this.#stop(
        d,
        offset,
        `the ${d.role}'s bytes at stream offset ${offset} are not a TLS record: ${(e as Error).message}; decoding of this direction ends here`,
        'undecodable',
      );
    }
    for (const split of records) {
      if (d.stopped) return;
      await this.#record(d, split.bytes, d.base + split.offset);
    }
  }

  async #record(d: Direction, raw: Uint8Array, offset: number): Promise<void> {
    this.#at = offset;
    if (this.#tls13) {
      try {
        return await this.#tls13.record(d.role, raw, offset);
      } catch (e) {
        // The 1.3 reader reports what it can read; anything else ends this direction with a note, never a throw.
        return this.#stop(
          d,
          offset,
          `the ${d.role}'s record at stream offset ${offset} cannot be decoded: ${e instanceof Error ? e.message : String(e)}; decoding of this direction ends here`,
          'undecodable',
        );
      }
    }
    const contentType = raw[0]!;
    if (
      !d.protectedFrom &&
      !this.#clientHello &&
      !this.#serverHello &&
      contentType !== ContentType.values.handshake
    ) {
      // A capture that starts after the handshake: these records are protected under keys it never showed.
      d.protectedFrom = true;
      d.opaque = AFTER_HANDSHAKE;
      this.#afterHandshake = true;
    }
    if (
      !d.protectedFrom &&
      d.role === 'client' &&
      !this.#serverHello &&
      contentType === ContentType.values.application_data &&
      this.#offersEarlyData()
    ) {
      // 0-RTT early data sent with no ChangeCipherSpec before it (middlebox compatibility is optional, §D.4).
      d.protectedFrom = true;
      d.opaque = EARLY_DATA_NOT_OPENED;
    }
    if (
      d.protectedFrom &&
      (d.opaque !== undefined ||
        (this.#version === TLS13 && contentType !== ContentType.values.change_cipher_spec))
    ) {
      this.#sawEncrypted = true;
      const seq = d.opaqueSeq++;
      const record: RecordEntry = {
        ...recordEntry(raw, d.role, seq, [], true),
        error: d.opaque ?? this.#opaqueReason(),
      };
      this.log.push(record);
      return;
    }
    if (d.protectedFrom) this.#sawEncrypted = true;
    try {
      for await (const item of d.conn.receive(raw)) {
        this.log.push(...((await d.conn.drain()) as EventLogEntry[]));
        if (item.kind === 'handshake') await this.#handshake(d, item.message, item.bytes);
        else if (item.kind === 'change_cipher_spec') this.#changeCipherSpec(d);
        else if (item.kind === 'application_data') this.#tunnel(d);
      }
      this.log.push(...((await d.conn.drain()) as EventLogEntry[]));
    } catch (e) {
      const events = (await d.conn.drain().catch(() => [])) as EventLogEntry[];
      this.log.push(...events);
      const failed = events.find((x): x is RecordEntry => x.kind === 'record' && x.error !== undefined);
      if (failed) {
        this.#firstFailure ??= { from: d.role, seq: failed.seq, offset };
        d.opaque = `not opened: an earlier ${d.role} record (sequence number ${this.#firstFailure.seq}) failed to open with the key log's secret`;
        d.opaqueSeq = BigInt(failed.seq) + 1n;
        return;
      }
      const reason = e instanceof TlsAlert ? e.reason : e instanceof Error ? e.message : String(e);
      this.#stop(
        d,
        offset,
        `the ${d.role}'s record at stream offset ${offset} cannot be decoded: ${reason}; decoding of this direction ends here`,
        'undecodable',
      );
    }
  }

  /** The ClientHello offers early_data: TLS 1.3 0-RTT (RFC 8446 §4.2.10). */
  #offersEarlyData(): boolean {
    return (this.#clientHello?.extensions ?? []).some(
      (x) => x.kind === 'unknown' && x.type === ExtensionType.values.early_data,
    );
  }

  /** Why a protected record stays closed, with the key log line that would open it. */
  #opaqueReason(): string {
    // A client's ChangeCipherSpec before any ServerHello, after a ClientHello offering early_data: TLS 1.3 0-RTT
    // (RFC 8446 §4.2.10, middlebox compatibility §D.4), whose records follow it.
    if (!this.#serverHello && this.#offersEarlyData()) return EARLY_DATA_NOT_OPENED;
    if (this.#version === TLS13)
      return "encrypted with TLS 1.3 keys; the ClientHello was not captured, so its client random, which the key log's lines are keyed by, is unknown";
    if (this.#version !== undefined && this.#version < TLS12)
      return `encrypted with ${versionName(this.#version)}, whose key derivation and record protection the observer does not implement`;
    const wanted = this.#wantedLine();
    if (this.#suite === undefined && this.#serverHello)
      return `encrypted with cipher suite 0x${this.#serverHello.cipherSuite.toString(16).padStart(4, '0')}, which the engine does not implement`;
    if (!this.#keyLog) return `encrypted; no key log was given. This key log line would open it: ${wanted}`;
    const found = this.#lineWithoutServerHello();
    if (found)
      return `encrypted; the capture lacks the ServerHello, whose version and cipher suite (and, in TLS 1.2, random) the key log's ${keyLogLineName(found)} needs to open it`;
    return `encrypted; the key log has no line for this connection. A line like this would open it: ${wanted}`;
  }

  /**
   * The key log's line for the ClientHello's random (its CLIENT_RANDOM, else a TLS 1.3 secret's), when no ServerHello
   * was read (the capture lacks it).
   */
  #lineWithoutServerHello(): KeyLogEntry | undefined {
    const ch = this.#clientHello;
    if (this.#serverHello || !ch || !this.#keyLog) return undefined;
    return [CLIENT_RANDOM_LABEL, ...TLS13_TRAFFIC_LABELS]
      .map((label) => keyLogLine(this.#keyLog, label, ch.random))
      .find((entry) => entry !== undefined);
  }

  #wantedLine(): string {
    const random = this.#clientHello
      ? toHex(this.#clientHello.random)
      : '<client random: the ClientHello was not captured>';
    return `${CLIENT_RANDOM_LABEL} ${random} <48-byte master secret in hex>`;
  }

  async #handshake(d: Direction, message: HandshakeMessage, bytes: Uint8Array): Promise<void> {
    if (message.type === 'finished') {
      await this.#checkFinished(d.role, message.verifyData);
      this.#transcript.push(bytes);
      return;
    }
    if (message.type !== 'hello_request') this.#transcript.push(bytes);
    switch (message.type) {
      case 'client_hello':
        if (this.#clientHello) this.#renegotiationHello ??= message;
        this.#clientHello ??= message;
        this.#clientHelloBytes ??= bytes;
        if (message.extensions?.some((x) => x.kind === 'alpn' && x.protocols.includes(POSTGRES_ALPN)))
          this.#postgres = true;
        return;
      case 'server_hello':
        return this.#onServerHello(message, bytes);
      case 'certificate':
        if (d.role === 'server') this.#serverCertificates = message.certificates;
        else this.#clientCertificates = message.certificates;
        return;
      case 'client_key_exchange':
        this.#keyExchanged = true;
        return;
      case 'new_session_ticket':
        this.#ticket ??= message.ticket;
        return;
      case 'server_key_exchange':
        if (message.kind === 'ecdhe') {
          this.#group = message.namedCurve;
          this.#signatureScheme = message.signatureScheme;
        }
        return;
      default:
        return;
    }
  }

  async #onServerHello(
    sh: Extract<HandshakeMessage, { type: 'server_hello' }>,
    bytes: Uint8Array,
  ): Promise<void> {
    if (this.#serverHello) {
      // A second handshake on this connection (renegotiation, RFC 5746) brings a new master secret.
      this.#renegotiated = true;
      this.notes.push({
        from: 'server',
        offset: this.#at,
        text: 'the connection renegotiates here (a second ServerHello); the observer follows the first handshake only, so records after the next ChangeCipherSpec stay closed',
      });
      return;
    }
    this.#serverHello = sh;
    const sv = sh.extensions?.find((x) => x.kind === 'unknown' && x.type === SUPPORTED_VERSIONS);
    this.#version =
      sv?.kind === 'unknown' && sv.data.length === 2 ? (sv.data[0]! << 8) | sv.data[1]! : sh.serverVersion;
    if (this.#version === TLS13) return this.#startTls13(bytes);
    if (this.#version < TLS12) return; // SSL 3.0 / TLS 1.0 / 1.1: not read (reported as unsupported-version)
    const kx = keyExchangeOf(sh.cipherSuite);
    for (const d of [this.#dirs.client, this.#dirs.server]) d.conn.keyExchange = kx;
    this.#suite = cipherSuite(sh.cipherSuite);
    const ch = this.#clientHello;
    if (!this.#suite || !ch || !this.#keyLog) return;
    this.#line = keyLogLine(this.#keyLog, CLIENT_RANDOM_LABEL, ch.random);
    this.#resumedFrom = this.#line ? undefined : this.#resumedSession(ch, sh);
    const from = this.#line ?? this.#resumedFrom;
    if (!from) return;
    this.#master = this.#line?.secret ?? this.#resumedFrom!.masterSecret;
    this.log.push({
      kind: 'secret',
      from: 'client',
      name: 'master_secret',
      value: this.#master,
      formula: this.#line
        ? `the key log's ${keyLogLineName(this.#line)}: ${CLIENT_RANDOM_LABEL} client_random master_secret  (NSS key log format)`
        : `the session this connection resumes (${resumedWhere(this.#resumedFrom!)}): its master_secret`,
      inputs: { client_random: ch.random },
    });
    this.#keys = await deriveKeys('client', this.#suite, this.#master, ch.random, sh.random, this.#provider);
    this.log.push(...this.#keys.entries);
  }

  /**
   * The earlier session this ServerHello resumes (RFC 5246 §7.3: it echoes the ClientHello's non-empty session ID;
   * with a ticket, RFC 5077 §3.4, the same), found by the ticket the client sent, else by the session ID.
   */
  #resumedSession(
    ch: Extract<HandshakeMessage, { type: 'client_hello' }>,
    sh: Extract<HandshakeMessage, { type: 'server_hello' }>,
  ): ResumableSession | undefined {
    if (!this.#resumesSession()) return undefined;
    const ext = ch.extensions?.find((x) => x.kind === 'session_ticket');
    const ticket = ext?.kind === 'session_ticket' && ext.ticket.length > 0 ? ext.ticket : undefined;
    return ticket
      ? this.#sessions.findLast((s) => s.ticket !== undefined && bytesEqual(s.ticket, ticket))
      : this.#sessions.findLast((s) => s.sessionId !== undefined && bytesEqual(s.sessionId, sh.sessionId));
  }

  /** The ServerHello echoes the ClientHello's non-empty session ID: a TLS 1.2 resumption (RFC 5246 §7.3). */
  #resumesSession(): boolean {
    const ch = this.#clientHello;
    const sh = this.#serverHello;
    return (
      this.#version !== TLS13 &&
      !!ch &&
      !!sh &&
      ch.sessionId.length > 0 &&
      bytesEqual(ch.sessionId, sh.sessionId)
    );
  }

  /** The session this connection set up (or resumed), for later connections of the capture. */
  #session(): ResumableSession | undefined {
    const from = this.#line ?? this.#resumedFrom;
    const sh = this.#serverHello;
    if (!this.#master || !from || !sh || this.#version === TLS13) return undefined;
    const ticket = this.#ticket ?? this.#resumedFrom?.ticket;
    return {
      ...(sh.sessionId.length > 0 ? { sessionId: sh.sessionId } : {}),
      ...(ticket ? { ticket } : {}),
      masterSecret: this.#master,
      line: from.line,
      ...(from.source !== undefined ? { source: from.source } : {}),
    };
  }

  /**
   * TLS 1.3: the hellos read so far become 1.3 messages, as the engine logs them (1.3 field ids, `message13`, a
   * HelloRetryRequest named for what it is); every later record goes to the 1.3 reader; without the ClientHello,
   * they stay closed.
   */
  async #startTls13(serverHello: Uint8Array): Promise<void> {
    this.#hellosAsTls13();
    const ch = this.#clientHello;
    if (!ch || !this.#clientHelloBytes) {
      for (const d of [this.#dirs.client, this.#dirs.server]) d.protectedFrom = true;
      return;
    }
    const sni = ch.extensions?.find((x) => x.kind === 'server_name');
    this.#tls13 = new Tls13Observer(
      {
        log: this.log,
        note: (from, offset, text) => this.notes.push({ from, offset, text }),
        applicationData: (from) => this.#tunnel(this.#dirs[from]),
      },
      {
        provider: this.#provider,
        keyLog: this.#keyLog,
        clientHello: this.#clientHelloBytes,
        clientRandom: ch.random,
        ...(sni?.kind === 'server_name' && sni.names[0] ? { serverName: sni.names[0].hostName } : {}),
      },
    );
    await this.#tls13.start(serverHello);
  }

  /**
   * The messages logged before the ServerHello said TLS 1.3 (the ClientHello, that ServerHello or HelloRetryRequest)
   * were read by the 1.2 connection: their entries take the 1.3 decoding. One that does not decode as 1.3 stays.
   */
  #hellosAsTls13(): void {
    for (const [i, e] of this.log.entries()) {
      if (e.kind !== 'message' || e.message13 !== undefined) continue;
      try {
        this.log[i] = { ...e, ...decodeMessage13(e.bytes) };
      } catch {
        // kept as read
      }
    }
  }

  #changeCipherSpec(d: Direction): void {
    if (this.#version === TLS13) return; // middlebox compatibility (RFC 8446 §D.4): nothing changes
    d.protectedFrom = true;
    if (this.#renegotiated)
      d.opaque =
        'not opened: encrypted with the keys of a renegotiated handshake, which the observer does not follow';
    else if (this.#keys && this.#suite) {
      d.conn.activateRead({
        suite: this.#suite,
        keys: this.#keys[d.role],
        // RFC 7366 §3: only a CBC suite changes, and only when the ServerHello echoed the extension.
        encryptThenMac:
          this.#suite.cipherType === 'block' &&
          (this.#serverHello?.extensions ?? []).some(
            (x) => x.kind === 'unknown' && x.type === ExtensionType.values.encrypt_then_mac,
          ),
      });
    } else d.opaque = this.#opaqueReason();
  }

  /** A direction that is not read to its end (a hole, bytes that are not records, a record cut short). */
  #cutShort(d: Direction): void {
    if (this.#tls13) this.#tls13.stopped(d.role);
    else this.#stoppedBeforeFinished(d);
  }

  /**
   * A TLS 1.2 direction that stopped before its Finished: what it sent from there is unknown, so a Finished checked
   * after this is `transcript incomplete`, and so is one checked before that found a mismatch while this direction
   * had been read exactly as far as it stopped (the lost bytes came before that Finished was sent).
   */
  #stoppedBeforeFinished(d: Direction): void {
    if (this.#finished[d.role] !== 'not seen') return;
    this.#transcriptGap = true;
    const other = d.role === 'client' ? 'server' : 'client';
    if (this.#finished[other] === 'mismatch' && this.#checkedAt[other] === d.next)
      this.#finished[other] = 'transcript incomplete';
  }

  /**
   * Whether the other side's messages that `sender`'s Finished covers were all read: the client's covers the server's
   * first flight up to ServerHelloDone (or its Finished, in a resumption), the server's the client's up to its
   * Finished (only the ClientHello, in a resumption, where the server's Finished comes first).
   */
  #coveredFlightRead(sender: Role): boolean {
    const seen = (from: Role, ...names: string[]) =>
      this.log.some((e) => e.kind === 'message' && e.from === from && names.includes(e.name));
    if (sender === 'client') return seen('server', 'server_hello_done', 'finished');
    return this.#resumesSession() || seen('client', 'finished');
  }

  async #checkFinished(sender: Role, verifyData: Uint8Array): Promise<void> {
    if (!this.#suite || !this.#master) return;
    // Where the other direction had been read to, when the part of its flight this Finished covers was not all read
    // yet: a hole found there later explains a mismatch (see #stoppedBeforeFinished).
    const other = sender === 'client' ? 'server' : 'client';
    this.#checkedAt[sender] = this.#coveredFlightRead(sender) ? undefined : this.#dirs[other].next;
    if (this.#transcriptGap) {
      this.#finished[sender] = 'transcript incomplete';
      return;
    }
    const hash = hashSync(this.#suite.prfHash, concatBytes(...this.#transcript));
    const expected = await finishedVerifyData(
      'client',
      sender,
      this.#suite,
      this.#master,
      hash,
      this.#provider,
    );
    if (!this.log.some((e) => e.kind === 'secret' && e.name === expected.entry.name))
      this.log.push(expected.entry);
    this.#finished[sender] = bytesEqual(expected.verifyData, verifyData) ? 'verified' : 'mismatch';
    if (this.#finished.client === 'verified' && this.#finished.server === 'verified' && !this.#complete) {
      this.#complete = true;
      this.log.push({
        kind: 'handshake_complete',
        from: 'client',
        summary: summarise(this.#negotiated(), {
          master: this.#master,
          clientWrite: { suite: this.#suite, keys: this.#keys!.client },
          serverWrite: { suite: this.#suite, keys: this.#keys!.server },
        }),
      });
    }
  }

  #negotiated(): Negotiated {
    const ch = this.#clientHello!;
    const sh = this.#serverHello!;
    const alpn = sh.extensions?.find((x) => x.kind === 'alpn');
    const sni = ch.extensions?.find((x) => x.kind === 'server_name');
    return {
      clientRandom: ch.random,
      serverRandom: sh.random,
      suite: this.#suite!,
      version: this.#version ?? sh.serverVersion,
      extendedMasterSecret: sh.extensions?.some((x) => x.kind === 'extended_master_secret') ?? false,
      // Both Finished verified with no ClientKeyExchange: an abbreviated handshake (RFC 5246 §7.3).
      ...(this.#keyExchanged ? {} : { resumed: true }),
      ...(alpn?.kind === 'alpn' && alpn.protocols[0] !== undefined ? { alpn: alpn.protocols[0] } : {}),
      ...(sni?.kind === 'server_name' && sni.names[0] ? { serverName: sni.names[0].hostName } : {}),
      ...(this.#group !== undefined ? { group: this.#group } : {}),
      ...(this.#signatureScheme !== undefined ? { signatureScheme: this.#signatureScheme } : {}),
      serverCertificates: this.#serverCertificates,
      clientCertificates: this.#clientCertificates,
    };
  }

  /** PostgreSQL in the tunnel: the client's StartupMessage, the server's messages (as the CLI labels them). */
  #tunnel(d: Direction): void {
    if (!this.#postgres) return;
    const entry = this.log.at(-1);
    if (entry?.kind !== 'application_data') return;
    if (d.role === 'client') {
      if (this.#startupSeen) return;
      this.#startupSeen = true;
      try {
        const { spans } = decodeStartupMessage(entry.data);
        this.log.push({
          kind: 'postgres',
          from: 'client',
          label: 'StartupMessage',
          bytes: entry.data,
          spans,
          inTunnel: true,
          carriedIn: [entry.id],
        });
      } catch {
        // Not a StartupMessage in one record (a CancelRequest, or split): left as application data.
      }
      return;
    }
    this.#open.push(entry.id);
    for (const bytes of this.#backend.push(entry.data)) {
      let pg: PostgresEntry;
      try {
        const { message, spans } = decodeBackendMessage(bytes);
        pg = {
          kind: 'postgres',
          from: 'server',
          label: describeBackendMessage(message).split('\n')[0]!,
          bytes,
          spans,
          inTunnel: true,
          carriedIn: this.#open,
        };
      } catch {
        continue;
      }
      this.log.push(pg);
      this.#open = [entry.id];
    }
    if (!this.#backend.pending) this.#open = [];
  }

  #result(): Observation {
    const ch = this.#clientHello;
    const decryption = this.#decryptionReport();
    const session = this.#session();
    return {
      eventLog: this.log,
      ...(this.#version !== undefined ? { version: this.#version } : {}),
      ...(ch ? { clientRandom: ch.random } : {}),
      decryption,
      decryptionSummary: describeDecryption(decryption),
      notes: this.notes,
      ...(session ? { session } : {}),
      ...(this.#resumesSession() ? { resumesSession: true as const } : {}),
    };
  }

  #tls13Report(labels: string[]): Decryption {
    const version = 'TLSv1.3';
    if (!this.#tls13) return { status: 'no-client-hello', version, tls13Labels: labels };
    if (!this.log.some((e) => e.kind === 'record' && e.encrypted))
      return { status: 'nothing-encrypted', version };
    const wantedLines = tls13WantedLines(this.#clientHello?.random);
    const wantedLine = wantedLines.join('\n');
    if (this.#keyLogError !== undefined)
      return { status: 'key-log-unreadable', version, reason: this.#keyLogError, wantedLine, wantedLines };
    if (!this.#keyLog) return { status: 'no-key-log', version, wantedLine, wantedLines };
    return this.#tls13.report(labels);
  }

  #decryptionReport(): Decryption {
    const labels = this.#keyLog ? tls13LabelsOf(this.#keyLog) : [];
    if (this.#version === TLS13) return this.#tls13Report(labels);
    if (this.#afterHandshake && !this.#clientHello) return { status: 'no-client-hello', tls13Labels: labels };
    // The ClientHello lost in a hole, while records after it were captured: no client random to match either.
    if (!this.#clientHello && this.#sawEncrypted)
      return { status: 'no-client-hello', tls13Labels: labels, missing: true };
    const version = 'TLSv1.2';
    if (!this.#sawEncrypted)
      return {
        status: 'nothing-encrypted',
        ...(this.#version !== undefined ? { version } : {}),
        ...(this.notes.some((n) => n.hole) ? { hole: true as const } : {}),
      };
    if (this.#version !== undefined && this.#version < TLS12)
      return { status: 'unsupported-version', negotiated: versionName(this.#version) };
    if (this.#serverHello && !this.#suite)
      return { status: 'unsupported-suite', version, cipherSuite: this.#serverHello.cipherSuite };
    const wantedLine = this.#wantedLine();
    if (this.#keyLogError !== undefined)
      return { status: 'key-log-unreadable', version, reason: this.#keyLogError, wantedLine };
    if (!this.#keyLog) return { status: 'no-key-log', version, wantedLine };
    const from = this.#line ?? this.#resumedFrom;
    const withoutServerHello = from ? undefined : this.#lineWithoutServerHello();
    if (withoutServerHello)
      return {
        status: 'incomplete',
        version,
        line: withoutServerHello.line,
        ...(withoutServerHello.source !== undefined ? { source: withoutServerHello.source } : {}),
        clientFinished: this.#finished.client,
        serverFinished: this.#finished.server,
        serverHelloMissing: true,
      };
    if (!from)
      return {
        status: 'no-matching-line',
        version,
        wantedLine,
        clientRandomLines: this.#keyLog.filter((e) => e.label === CLIENT_RANDOM_LABEL).length,
        tls13Labels: labels,
      };
    const finished = (role: Role): FinishedCheck =>
      this.#finished[role] === 'not seen' && this.#firstFailure ? 'not opened' : this.#finished[role];
    const mismatch = this.#finished.client === 'mismatch' || this.#finished.server === 'mismatch';
    const closed = this.log.some((e) => e.kind === 'record' && e.encrypted && e.plaintext === undefined);
    const conflicting = this.#line ? conflictingLines(this.#keyLog, [this.#line]) : [];
    const status = this.#firstFailure
      ? 'wrong-secret'
      : mismatch
        ? 'finished-mismatch'
        : this.#renegotiated && closed
          ? 'incomplete'
          : 'decrypted';
    return {
      status,
      version,
      line: from.line,
      ...(from.source !== undefined ? { source: from.source } : {}),
      ...(this.#resumedFrom
        ? {
            resumes:
              this.#resumedFrom.connection !== undefined ? { connection: this.#resumedFrom.connection } : {},
          }
        : {}),
      ...(conflicting.length > 0 ? { conflicting } : {}),
      ...(this.#firstFailure ? { firstFailure: this.#firstFailure } : {}),
      clientFinished: finished('client'),
      serverFinished: finished('server'),
      ...(status === 'incomplete' ? { renegotiation: this.#renegotiationLine() } : {}),
    };
  }

  /** The key log line a renegotiated handshake's records need, and whether the key log has it. */
  #renegotiationLine(): { wantedLine: string; line?: number } {
    const random = this.#renegotiationHello?.random;
    if (!random)
      return {
        wantedLine: `${CLIENT_RANDOM_LABEL} <the second ClientHello's random: its record was not opened> <48-byte master secret in hex>`,
      };
    const entry = keyLogLine(this.#keyLog, CLIENT_RANDOM_LABEL, random);
    return {
      wantedLine: `${CLIENT_RANDOM_LABEL} ${toHex(random)} <48-byte master secret in hex>`,
      ...(entry ? { line: entry.line } : {}),
    };
  }
}

/** A record of a capture that starts after the handshake. */
const AFTER_HANDSHAKE =
  "not opened: the capture starts after this connection's handshake, so its ClientHello and the client random that key log lines are keyed by are not in it";

/** The decryption report in plain words. */
export function describeDecryption(d: Decryption): string {
  if ('found' in d) return describeTls13Decryption(d);
  switch (d.status) {
    case 'nothing-encrypted':
      return d.hole
        ? 'Nothing read from this capture is encrypted, but the capture lacks part of the streams (see the notes): what is missing is not read.'
        : 'Nothing in this capture is encrypted.';
    case 'no-key-log':
      return d.wantedLines
        ? `Encrypted records are shown as they are: no key log was given. This is TLS 1.3: a key log with these lines would open them: ${d.wantedLines.join('; ')}`
        : `Encrypted records are shown as they are: no key log was given. A key log with this line would open them: ${d.wantedLine}`;
    case 'key-log-unreadable':
      return `The key log could not be read (${d.reason}), so encrypted records stay closed. ${d.wantedLines ? `The lines needed: ${d.wantedLines.join('; ')}` : `The line needed: ${d.wantedLine}`}`;
    case 'no-matching-line': {
      const has =
        d.clientRandomLines === 0
          ? d.tls13Labels.length > 0
            ? `it has no CLIENT_RANDOM lines at all, only TLS 1.3 secrets (${d.tls13Labels.join(', ')}), which cannot open a TLS 1.2 connection`
            : 'it has no CLIENT_RANDOM lines at all'
          : `none of its ${d.clientRandomLines} CLIENT_RANDOM line${d.clientRandomLines === 1 ? '' : 's'} carries this connection's client random`;
      return `The key log does not match this connection: ${has}. It was probably written for another connection or another run. The line needed: ${d.wantedLine}`;
    }
    case 'no-client-hello':
      if (d.missing)
        return "This connection's ClientHello is missing from the capture (see Notes): without its client random no key log line can be matched, so the encrypted records stay closed.";
      return d.version
        ? `This is a TLS 1.3 connection whose ClientHello is not in the capture: without its client random no key log line can be matched, so the encrypted records stay closed.${d.tls13Labels.length > 0 ? ` (The key log holds TLS 1.3 secrets: ${d.tls13Labels.join(', ')}.)` : ''}`
        : "The capture starts after this connection's handshake: its records are encrypted, and without the ClientHello's client random no key log line can be matched (nor the version and cipher suite known), so they stay closed. To read a connection, start the capture before it connects.";
    case 'unsupported-version':
      return `The connection negotiated ${d.negotiated}, older than TLS 1.2: its key derivation and record protection are not the ones the observer implements, so its encrypted records stay closed. (PostgreSQL 13 and later refuse it by default: ssl_min_protocol_version = TLSv1.2.)`;
    case 'unsupported-suite':
      return `The connection uses cipher suite 0x${d.cipherSuite.toString(16).padStart(4, '0')}, which the engine does not implement, so its encrypted records stay closed.`;
    case 'decrypted':
      return `Decrypted with ${secretSource(d)}; client Finished ${d.clientFinished}, server Finished ${d.serverFinished}.${unusedLines(d.conflicting ?? [])}`;
    case 'incomplete': {
      if (d.serverHelloMissing)
        return `The key log's ${keyLogLineName(d)} has this connection's client random, but the capture lacks the ServerHello: its version and cipher suite (and, in TLS 1.2, its random) are needed with that secret, so the encrypted records stay closed. Capture the whole connection (see Notes for what is missing).`;
      const r = d.renegotiation;
      const has =
        r?.line !== undefined
          ? ` The key log has the line for its ClientHello's random (line ${r.line}); Wireshark follows a renegotiation and opens them with it.`
          : r
            ? ` A key log line for its ClientHello's random would open them (Wireshark follows a renegotiation): ${r.wantedLine}`
            : '';
      return `Decrypted with ${secretSource(d)} up to a renegotiation; client Finished ${d.clientFinished}, server Finished ${d.serverFinished}. The connection then ran a second handshake, and the records under its keys stay closed: the observer follows the first handshake only.${has}${unusedLines(d.conflicting ?? [])}`;
    }
    case 'finished-mismatch':
      return `Every record opened with ${secretSource(d)}, so the secret is right, but the Finished check failed (client Finished: ${d.clientFinished}; server Finished: ${d.serverFinished}): the handshake messages seen are not the ones the peers hashed, so one is missing from the capture or was altered.${unusedLines(d.conflicting ?? [])}`;
    case 'wrong-secret': {
      const failure = d.firstFailure
        ? ` The first record that fails to open is the ${d.firstFailure.from}'s record ${d.firstFailure.seq} (at stream offset ${d.firstFailure.offset}).`
        : '';
      return `${d.resumes ? `The master secret of the session it resumes (${resumedWhere({ ...d, ...d.resumes })}) does not open this connection's records.` : `The key log's ${keyLogLineName(d)} has this connection's client random, but its master secret is wrong.`}${failure} Client Finished: ${d.clientFinished}; server Finished: ${d.serverFinished}.${unusedLines(d.conflicting ?? [])}`;
    }
  }
}

/** Where a TLS 1.2 connection's master secret came from: its own key log line, or the session it resumes. */
function resumedWhere(s: { connection?: number; line: number; source?: string }): string {
  return `${s.connection !== undefined ? `from connection ${s.connection}, ` : ''}the key log's ${keyLogLineName(s)}`;
}

function secretSource(d: { line: number; source?: string; resumes?: { connection?: number } }): string {
  return d.resumes
    ? `the master secret of the session it resumes (${resumedWhere({ ...d, ...d.resumes })}; no line carries its own client random, and Wireshark too reads it with the session's)`
    : `the key log's ${keyLogLineName(d)}`;
}

/**
 * " Not used: line 1, another CLIENT_RANDOM for this client random." for the lines a later one overrode (Wireshark
 * uses the last), or '' when there are none.
 */
function unusedLines(conflicting: readonly KeyLogLineRef[]): string {
  return conflicting.length
    ? ` Not used (the last line for a secret counts, as in Wireshark): ${conflicting.map((c) => `${keyLogLineName(c)}, another ${c.label} for this client random`).join('; ')}.`
    : '';
}

function describeTls13Decryption(d: Tls13Decryption): string {
  const found = d.found.map((f) => `${f.label} (${keyLogLineName(f)})`).join(', ');
  const unused = unusedLines(d.conflicting);
  const finished = `client Finished ${d.clientFinished}, server Finished ${d.serverFinished}`;
  const wanted =
    d.wantedLines.length > 0 ? ` Lines that would open the rest: ${d.wantedLines.join('; ')}` : '';
  switch (d.status) {
    case 'decrypted':
      return `TLS 1.3, decrypted with the key log's ${found}; ${finished}.${unused}`;
    case 'incomplete':
      return d.missing.length === 0 && d.closedReason
        ? `TLS 1.3: the key log has ${found} for this client random, but some protected records stay closed (the first: ${d.closedReason}); ${finished}.${unused}`
        : `TLS 1.3: the key log has ${found} for this client random but not ${d.missing.join(', ')}, so the records those secrets protect stay closed; ${finished}.${wanted}${unused}`;
    case 'wrong-secret': {
      const f = d.firstFailure!;
      return `TLS 1.3: the key log has this connection's client random, but its ${f.label} is wrong: it does not open the ${f.from}'s record ${f.seq} (at stream offset ${f.offset}). Found: ${found}; ${finished}.${unused}`;
    }
    case 'finished-mismatch':
      return `TLS 1.3: every record opened with the key log's ${found}, so the secrets are right, but the Finished check failed (${finished}): the handshake messages seen are not the ones the peers hashed, so one is missing from the capture or was altered.${unused}`;
    case 'no-matching-line': {
      const has =
        d.tls13Labels.length > 0
          ? `its TLS 1.3 lines (${d.tls13Labels.join(', ')}) are for other client randoms`
          : 'it has no TLS 1.3 lines at all (CLIENT_RANDOM lines open TLS 1.2 only)';
      return `The key log does not match this TLS 1.3 connection: ${has}. It was probably written for another connection or another run.${wanted}`;
    }
  }
}
