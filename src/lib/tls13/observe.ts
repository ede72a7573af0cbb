/**
 * The passive observer's TLS 1.3 half (RFC 8446). `tls12/observe.ts` reads a connection up to the ServerHello with
 * the 1.2 record layer (the hellos are the same records in both versions); once the ServerHello (or a
 * HelloRetryRequest) says 0x0304, every later record of both directions comes here. The key log's four traffic
 * secrets for the ClientHello's random give the handshake and application keys (`trafficKeys`), each protected
 * record is opened with `openRecord13` (inner content type and padding kept), handshake messages are decoded by
 * `decodeHandshake13`, both Finished values are recomputed from the handshake traffic secrets and the transcript,
 * KeyUpdate moves the sender to its next application traffic secret, and application data goes back to the 1.2
 * observer for the PostgreSQL messages in the tunnel. Entries are the event log's; nothing here throws on bad input.
 */
import { bytesEqual, concatBytes, toHex } from '../bytes/index.ts';
import { ContentType, ExtensionType, NamedGroup, SignatureScheme } from '../tls12/wire/code-points.ts';
import { decodeAlert } from '../tls12/wire/alert.ts';
import { alertName } from '../tls12/handshake/alerts.ts';
import { HandshakeType } from '../tls12/wire/code-points.ts';
import { HandshakeReassembler } from '../tls12/wire/handshake-reassembler.ts';
import {
  keyLogLineName,
  TLS13_KEY_LOG_LABELS,
  type CryptoProvider,
  conflictingLines,
  hashLength,
  keyLogLine,
  keyLogLineRef,
  type KeyLogEntry,
  type KeyLogLineRef,
} from '../tls12/crypto/index.ts';
import {
  recordEntry,
  type EventLogEntry,
  type HandshakeSummary,
  type RecordEntry,
  type Role,
  type SecretEntry,
} from '../tls12/handshake/event-log.ts';
import {
  decodeClientHello13,
  decodeServerHello13,
  findExtension13,
  isHelloRetryRequest,
  type Handshake13,
  type ServerHello13,
} from './wire/index.ts';
import {
  expandLabelStep,
  finishedKey,
  finishedTranscriptName,
  trafficKeys,
  transcriptHash,
  verifyData,
  type KeyStep,
} from './key-schedule.ts';
import type { FinishedCheck } from '../tls12/observe.ts';
import { decodeMessage13 } from './message-entry.ts';
import { keyStepEntry } from './handshake/event-log.ts';
import { openRecord13, recordHeader, recordNonce, type TrafficKey } from './record-protection.ts';
import { TLS13_SUITES, tls13Suite, type Tls13Suite } from './suites.ts';

/**
 * What the 1.2 reader says of a client record before any ServerHello after a ClientHello offering early_data: 0-RTT
 * early data, which the 1.3 reader opens (or says why not) once the ServerHello names the suite.
 */
export const EARLY_DATA_NOT_OPENED =
  'not opened: 0-RTT early data (RFC 8446 §4.2.10), protected with CLIENT_EARLY_TRAFFIC_SECRET';

/** EndOfEarlyData (RFC 8446 §4.5): its body is empty, so its bytes are known without opening its record. */
const END_OF_EARLY_DATA = Uint8Array.of(HandshakeType.values.end_of_early_data, 0, 0, 0);

/** The four key log labels that open a TLS 1.3 connection, in the order its records need them. */
export const TLS13_TRAFFIC_LABELS = [
  TLS13_KEY_LOG_LABELS.server_handshake_traffic_secret,
  TLS13_KEY_LOG_LABELS.client_handshake_traffic_secret,
  TLS13_KEY_LOG_LABELS.server_application_traffic_secret_0,
  TLS13_KEY_LOG_LABELS.client_application_traffic_secret_0,
] as const;

/** What the key log did for a TLS 1.3 connection. */
export interface Tls13Decryption {
  /**
   * decrypted: every protected record opened and both Finished values verified; incomplete: some records stayed
   * closed because their label is missing from the key log; wrong-secret: a logged secret does not open its first
   * record; finished-mismatch: records opened, a Finished does not match the messages seen; no-matching-line: the
   * key log has no TLS 1.3 line for this client random. The same statuses as TLS 1.2's (`tls12/observe.ts`
   * `Decryption`), told apart by `version`.
   */
  status: 'decrypted' | 'incomplete' | 'wrong-secret' | 'finished-mismatch' | 'no-matching-line';
  version: 'TLSv1.3';
  /** incomplete with every traffic secret in the key log: why the first protected record that stayed closed did. */
  closedReason?: string;
  /** The labels found for this client random, with their key log line (1-based) and key log (when several were read). */
  found: KeyLogLineRef[];
  /**
   * Other lines for this client random and one of those labels, with another secret: the last line of each label
   * is the one used, as in Wireshark (a capture's Decryption Secrets Block comes before the user's file, so the
   * file's line wins), these are not.
   */
  conflicting: KeyLogLineRef[];
  /**
   * Which of the four traffic secret labels the key log lacks for this client random, and CLIENT_EARLY_TRAFFIC_SECRET
   * when 0-RTT records stayed closed without it.
   */
  missing: string[];
  /** `LABEL <client random> <secret>` for each missing label: the lines that would open the rest. */
  wantedLines: string[];
  /** Every TLS 1.3 label the key log holds, for any client random. */
  tls13Labels: string[];
  /** The first record a logged secret did not open. */
  firstFailure?: { from: Role; seq: string; offset: number; label: string };
  clientFinished: FinishedCheck;
  serverFinished: FinishedCheck;
}

/** What the 1.2 observer lends: the log it writes, its notes, and the PostgreSQL reader for application data. */
export interface Tls13Host {
  readonly log: EventLogEntry[];
  note(from: Role, offset: number, text: string): void;
  /** Called after an application_data entry was pushed (the tunnel reads `log.at(-1)`). */
  applicationData(from: Role): void;
}

interface Side {
  role: Role;
  /** Next content id number. */
  sent: number;
  epoch: 'clear' | 'handshake' | 'application';
  /** The traffic secret in use and its key log label (or how it was derived). */
  secret?: { name: string; label: string; value: Uint8Array };
  keys?: TrafficKey;
  seq: bigint;
  generation: number;
  reassembler: HandshakeReassembler;
  /** Why this direction's protected records stay closed from here on. */
  closed?: string;
}

const SECRET_NAMES: Record<string, string> = {
  [TLS13_KEY_LOG_LABELS.server_handshake_traffic_secret]: 'server_handshake_traffic_secret',
  [TLS13_KEY_LOG_LABELS.client_handshake_traffic_secret]: 'client_handshake_traffic_secret',
  [TLS13_KEY_LOG_LABELS.server_application_traffic_secret_0]: 'server_application_traffic_secret_0',
  [TLS13_KEY_LOG_LABELS.client_application_traffic_secret_0]: 'client_application_traffic_secret_0',
  [TLS13_KEY_LOG_LABELS.exporter_master_secret]: 'exporter_master_secret',
};

/** The event log's record layer for TLS 1.3, after the first ServerHello (see the file comment). */
export class Tls13Observer {
  readonly #host: Tls13Host;
  readonly #provider: CryptoProvider;
  readonly #clientRandom: Uint8Array;
  readonly #keyLog: readonly KeyLogEntry[] | undefined;
  readonly #sides: Record<Role, Side>;
  #suite: Tls13Suite | undefined;
  #serverHello: ServerHello13 | undefined;
  #awaitingSecondHello = false;
  /** Handshake messages for Transcript-Hash (the first ClientHello replaced by message_hash after an HRR). */
  #transcript: Uint8Array[];
  #finished: Record<Role, FinishedCheck> = { client: 'not seen', server: 'not seen' };
  #firstFailure: Tls13Decryption['firstFailure'];
  #missingUsed = new Set<string>();
  /** Why the first protected record that stayed closed did (a missing label, an unknown suite, 0-RTT data ...). */
  #firstClosed: string | undefined;
  /** A handshake record stayed closed: the transcript is not known from here. */
  #transcriptGap = false;
  /** Post-handshake authentication under way: its CertificateRequest and the client's answer so far. */
  #postHandshake: Uint8Array[] | undefined;
  #complete = false;
  #group: number | undefined;
  #signatureScheme: number | undefined;
  #alpn: string | undefined;
  #certificates: Record<Role, Uint8Array[]> = { client: [], server: [] };
  #serverName: string | undefined;
  /** The ClientHello offered early_data (0-RTT), and the server's EncryptedExtensions accepted it. */
  #earlyOffered = false;
  #earlyAccepted = false;
  /** A client record opened with its handshake keys: 0-RTT records, if any, came before it. */
  #clientOpened = false;
  /**
   * 0-RTT: the early traffic keys from the key log's CLIENT_EARLY_TRAFFIC_SECRET, their sequence number, and the
   * suite they are for; until the first early record opened, `candidates` holds each suite that may protect them.
   */
  #early: {
    keys?: TrafficKey;
    suite?: Tls13Suite;
    candidates?: EarlyKeys[];
    line?: KeyLogEntry;
    seq: bigint;
  } = { seq: 0n };
  /** The client's EndOfEarlyData was read. */
  #earlyEnded = false;
  /** An early record stayed closed because the key log has no CLIENT_EARLY_TRAFFIC_SECRET line. */
  #earlyMissing = false;
  /** Stream offset of the record being read (for notes). */
  #offset = 0;

  constructor(
    host: Tls13Host,
    args: {
      provider: CryptoProvider;
      keyLog: readonly KeyLogEntry[] | undefined;
      clientHello: Uint8Array;
      clientRandom: Uint8Array;
      serverName?: string;
    },
  ) {
    this.#host = host;
    this.#provider = args.provider;
    this.#clientRandom = args.clientRandom;
    this.#keyLog = args.keyLog;
    this.#serverName = args.serverName;
    this.#transcript = [args.clientHello];
    const side = (role: Role): Side => ({
      role,
      sent: host.log.filter((e) => 'id' in e && e.from === role).length,
      epoch: 'clear',
      seq: 0n,
      generation: 0,
      reassembler: new HandshakeReassembler(),
    });
    this.#sides = { client: side('client'), server: side('server') };
    try {
      this.#earlyOffered = (decodeClientHello13(args.clientHello).message.extensions ?? []).some(
        (x) => x.kind === 'unknown' && x.type === ExtensionType.values.early_data,
      );
    } catch {
      // The 1.2 reader decoded it already; a ClientHello the 1.3 decoder refuses offers nothing more here.
    }
  }

  /**
   * The reading of `role`'s stream ended early (a hole in the capture, bytes that are not records): before its
   * Finished, the handshake messages it sent from there are unknown, so no Finished after them can be checked.
   */
  stopped(role: Role): void {
    if (this.#sides[role].epoch === 'application') return;
    this.#transcriptGap = true;
    // The client's Finished covers the server's whole flight: checked before the server's stream stopped short of
    // its Finished (a lost segment is only known at the server's next one), it was checked without part of it.
    if (role === 'server' && this.#finished.client === 'mismatch')
      this.#finished.client = 'transcript incomplete';
  }

  /** Takes the first ServerHello (already in the log, decoded by the 1.2 reader). */
  async start(serverHello: Uint8Array): Promise<void> {
    await this.#onServerHello(serverHello);
    if (this.#earlyOffered) await this.#openEarlyRecords();
    // Records still closed from before the ServerHello leave the report incomplete.
    for (const e of this.#host.log)
      if (e.kind === 'record' && e.encrypted && e.plaintext === undefined && e.error !== undefined)
        this.#firstClosed ??= e.error;
  }

  /**
   * 0-RTT: the early traffic keys from the key log, and the early records the 1.2 reader kept before the ServerHello,
   * opened in place with their content after them. Early data is protected with the suite of the session it resumes
   * (RFC 8446 §4.2.10), which the capture does not show: a server that accepts it chose that suite again, but one
   * that rejects it may choose another. So every suite with the secret's hash is a candidate (the ServerHello's
   * first), and the first early record's tag tells which one it is.
   */
  async #openEarlyRecords(): Promise<void> {
    const line = this.#line(TLS13_KEY_LOG_LABELS.client_early_traffic_secret);
    if (this.#suite && line) {
      this.#early.line = line;
      this.#host.log.push({
        kind: 'secret',
        from: 'client',
        name: 'client_early_traffic_secret',
        value: line.secret,
        formula: `the key log's ${keyLogLineName(line)}: ${line.label} client_random secret  (NSS key log format)`,
        inputs: { client_random: this.#clientRandom },
      });
      const suites = [this.#suite, ...TLS13_SUITES.filter((x) => x !== this.#suite)].filter(
        (x) => hashLength(x.hash) === line.secret.length,
      );
      this.#early.candidates = await Promise.all(
        suites.map(async (suite) => ({
          suite,
          ...(await trafficKeys(this.#provider, suite, 'client_early_traffic_secret', line.secret)),
        })),
      );
      // Until a record tells, the keys of the first candidate stand for all (a record none opens is reported so).
      const first = this.#early.candidates[0];
      if (first) this.#early.keys = { key: first.key, iv: first.iv };
    }
    const log = this.#host.log;
    const client = this.#sides.client;
    for (let i = 0; i < log.length; i++) {
      const e = log[i]!;
      if (e.kind !== 'record' || e.from !== 'client' || e.error !== EARLY_DATA_NOT_OPENED) continue;
      // Its stream offset: the client's bytes before it (records, and an SSLRequest in the clear).
      const offset = log
        .slice(0, i)
        .reduce(
          (n, x) =>
            x.from === 'client' && (x.kind === 'record' || (x.kind === 'postgres' && !x.inTunnel))
              ? n + x.bytes.length
              : n,
          0,
        );
      const inner = await this.#openEarly(e, offset);
      if (!inner) {
        e.error = this.#earlyClosedReason();
        if (this.#early.line)
          this.#firstFailure ??= { from: 'client', seq: e.seq, offset, label: this.#early.line.label };
        continue;
      }
      delete e.error;
      const id = `client:${client.sent++}`;
      e.carries.push(id);
      if (inner.contentType === ContentType.values.application_data) {
        log.splice(i + 1, 0, { kind: 'application_data', id, from: 'client', data: inner.content });
        i++;
      }
    }
  }

  /**
   * Opens `entry` (a client record) with the early keys in place, or returns undefined when it does not open. The
   * first early record settles the suite among the candidates: its keys are logged, and a note says when it is not
   * the ServerHello's.
   */
  async #openEarly(
    entry: RecordEntry,
    offset: number,
  ): Promise<{ contentType: number; content: Uint8Array } | undefined> {
    const seq = this.#early.seq;
    const candidates = this.#early.candidates;
    if (candidates) {
      delete this.#early.candidates;
      const opened = await firstOpening(this.#provider, candidates, entry.bytes, seq);
      // No candidate: the key log's early secret has no suite's hash length, so it opens nothing.
      const chosen = opened ?? candidates[0];
      if (chosen) {
        this.#early.suite = chosen.suite;
        this.#early.keys = { key: chosen.key, iv: chosen.iv };
        this.#host.log.push(...chosen.steps.map(secretEntry));
      }
      if (opened && chosen && chosen.suite !== this.#suite)
        this.#host.note(
          'client',
          offset,
          `the 0-RTT early data is protected with ${chosen.suite.name}, the cipher suite of the session it resumes (RFC 8446 §4.2.10), not with the ServerHello's ${this.#suite!.name}`,
        );
    }
    const keys = this.#early.keys;
    const suite = this.#early.suite;
    if (!keys || !suite) return undefined;
    try {
      const inner = (
        await openRecord13(this.#provider, suite, keys, { record: entry.bytes, sequenceNumber: seq })
      ).message;
      this.#early.seq++;
      Object.assign(entry, {
        seq: String(seq),
        plaintext: inner.content,
        nonce: recordNonce(keys.iv, seq),
        aad: recordHeader(entry.bytes.length - 5),
        innerContentType: inner.contentType,
        paddingLength: inner.paddingLength,
      });
      return inner;
    } catch {
      return undefined;
    }
  }

  /** Why a 0-RTT record stays closed, with the key log line that would open it. */
  #earlyClosedReason(): string {
    const label = TLS13_KEY_LOG_LABELS.client_early_traffic_secret;
    const line = this.#early.line;
    if (line)
      return `${EARLY_DATA_NOT_OPENED}, and it did not open with the key log's ${keyLogLineName(line)}`;
    this.#earlyMissing = true;
    // Without the early keys, a record past the early data that the handshake keys do not open looks the same.
    const handshake = this.#sides.client.secret?.label;
    const or = handshake
      ? ` (or, past the early data, a record the key log's ${handshake} does not open: without the early secret the two cannot be told apart)`
      : '';
    return `${EARLY_DATA_NOT_OPENED}${or}; the key log has no ${label} line for this connection. A line like this would open it: ${label} ${toHex(this.#clientRandom)} <secret in hex>`;
  }

  async #onServerHello(bytes: Uint8Array): Promise<void> {
    let sh: ServerHello13;
    try {
      sh = decodeServerHello13(bytes).message;
    } catch (e) {
      this.#host.note('server', 0, `the TLS 1.3 ServerHello cannot be decoded: ${(e as Error).message}`);
      return;
    }
    this.#suite ??= tls13Suite(sh.cipherSuite);
    if (isHelloRetryRequest(sh)) {
      // RFC 8446 §4.4.1: the first ClientHello is replaced by message_hash, Hash(ClientHello1) in a handshake header.
      if (this.#suite && this.#transcript.length === 1) {
        const hash = await transcriptHash(this.#provider, this.#suite.hash, this.#transcript);
        this.#transcript = [concatBytes(new Uint8Array([254, 0, 0, hash.length]), hash)];
      }
      this.#transcript.push(bytes);
      this.#awaitingSecondHello = true;
      return;
    }
    this.#transcript.push(bytes);
    this.#serverHello = sh;
    this.#group = this.#shareGroup(sh);
    // From here both directions' handshake messages are protected with the handshake traffic secrets.
    for (const role of ['server', 'client'] as const)
      await this.#enter(this.#sides[role], 'handshake', `${role}_handshake_traffic_secret`);
  }

  #shareGroup(sh: ServerHello13): number | undefined {
    const ks = findExtension13(sh.extensions, 'key_share');
    return ks && 'serverShare' in ks ? ks.serverShare.group : undefined;
  }

  /** The key log line with `label` for this client random (the last one, as Wireshark: `keyLogLine`). */
  #line(label: string): KeyLogEntry | undefined {
    return keyLogLine(this.#keyLog, label, this.#clientRandom);
  }

  /** Switches `side` to a new epoch, with the key log's secret for it when there is one. */
  async #enter(side: Side, epoch: Side['epoch'], name: string): Promise<void> {
    side.epoch = epoch;
    side.seq = 0n;
    delete side.secret;
    delete side.keys;
    if (side.closed !== undefined || !this.#suite) return;
    const line = this.#logSecret(name);
    if (line) await this.#useSecret(side, { name, label: line.label, value: line.secret });
  }

  /** Logs the secret `name` from its key log line, when the key log has one. */
  #logSecret(name: string): KeyLogEntry | undefined {
    const label = Object.entries(SECRET_NAMES).find(([, n]) => n === name)![0];
    const line = this.#line(label);
    if (!line) return undefined;
    this.#host.log.push({
      kind: 'secret',
      from: 'client',
      name,
      value: line.secret,
      formula: `the key log's ${keyLogLineName(line)}: ${label} client_random secret  (NSS key log format)`,
      inputs: { client_random: this.#clientRandom },
    });
    return line;
  }

  async #useSecret(side: Side, secret: NonNullable<Side['secret']>): Promise<void> {
    const suite = this.#suite!;
    side.secret = secret;
    const keys = await trafficKeys(this.#provider, suite, secret.name, secret.value);
    side.keys = { key: keys.key, iv: keys.iv };
    this.#host.log.push(...keys.steps.map(secretEntry));
  }

  /** One whole record of `role`'s stream at stream `offset`. */
  async record(role: Role, raw: Uint8Array, offset: number): Promise<void> {
    this.#offset = offset;
    const side = this.#sides[role];
    const contentType = raw[0]!;
    const entry = recordEntry(raw, role, side.seq, [], false);
    const fragment = raw.subarray(5);
    if (contentType === ContentType.values.application_data && side.epoch === 'clear') {
      // Before this side's handshake keys, after a HelloRetryRequest: 0-RTT data the client sent before it saw the
      // HelloRetryRequest, which the server skips (RFC 8446 §4.2.10); not opened here.
      side.seq++;
      entry.encrypted = true;
      entry.error = `not opened: protected before the ${role}'s handshake keys`;
      this.#firstClosed ??= entry.error;
      this.#host.log.push(entry);
      return;
    }
    // 0-RTT after the ServerHello arrived: the client's early records up to EndOfEarlyData, under the early keys.
    if (
      role === 'client' &&
      contentType === ContentType.values.application_data &&
      this.#earlyOffered &&
      !this.#clientOpened &&
      !this.#earlyEnded
    ) {
      const inner = await this.#openEarly(entry, offset);
      if (inner) {
        entry.encrypted = true;
        this.#host.log.push(entry);
        return this.#content(side, inner.contentType, inner.content, entry, undefined);
      }
    }
    // RFC 8446 §5: ChangeCipherSpec (middlebox compatibility) and the hellos are in the clear.
    if (contentType !== ContentType.values.application_data || side.epoch === 'clear') {
      if (side.epoch === 'clear') side.seq++;
      this.#host.log.push(entry);
      return this.#content(side, contentType, fragment, entry, offset + 5);
    }
    entry.encrypted = true;
    const seq = side.seq++;
    if (side.closed !== undefined || !side.keys || !this.#suite) {
      if (side.epoch === 'handshake') this.#transcriptGap = true;
      entry.error = side.closed ?? this.#closedReason(side);
      this.#firstClosed ??= entry.error;
      this.#host.log.push(entry);
      return;
    }
    try {
      const opened = await openRecord13(this.#provider, this.#suite, side.keys, {
        record: raw,
        sequenceNumber: seq,
      });
      const inner = opened.message;
      if (role === 'client' && side.epoch === 'handshake' && !this.#clientOpened) {
        this.#clientOpened = true;
        // Accepted 0-RTT whose EndOfEarlyData stayed closed: its known bytes are in the transcript all the same.
        if (this.#earlyAccepted && !this.#earlyEnded) this.#transcript.push(END_OF_EARLY_DATA);
      }
      Object.assign(entry, {
        plaintext: inner.content,
        nonce: recordNonce(side.keys.iv, seq),
        aad: recordHeader(fragment.length),
        innerContentType: inner.contentType,
        paddingLength: inner.paddingLength,
      });
      this.#host.log.push(entry);
      return this.#content(side, inner.contentType, inner.content, entry, undefined);
    } catch (e) {
      const earlyPhase =
        role === 'client' &&
        side.epoch === 'handshake' &&
        this.#earlyOffered &&
        !this.#clientOpened &&
        !this.#earlyEnded;
      // Before the client's first record under its handshake keys: 0-RTT early data (and, when the server accepted
      // it, EndOfEarlyData), which a server that rejected it skipped (§4.2.10). Without the early keys the observer
      // cannot tell; with them, a record of an accepted early phase that they do not open means the early secret is
      // wrong, and any other record that opens with neither key means the handshake secret is (reported below).
      if (earlyPhase && (!this.#early.keys || this.#earlyAccepted)) {
        side.seq = seq;
        entry.error = this.#earlyClosedReason();
        if (this.#early.line)
          this.#firstFailure ??= { from: role, seq: entry.seq, offset, label: this.#early.line.label };
        this.#firstClosed ??= entry.error;
        this.#host.log.push(entry);
        return;
      }
      const label = side.secret!.label;
      const reason = e instanceof Error ? e.message : String(e);
      entry.error = `not opened with ${label}: ${reason}`;
      this.#host.log.push(entry);
      this.#firstFailure ??= { from: role, seq: entry.seq, offset, label };
      if (side.epoch === 'handshake') this.#transcriptGap = true;
      side.closed = `not opened: the ${role}'s record ${entry.seq} (stream offset ${offset}) did not open with the key log's ${label}, so neither do the ones after it`;
    }
  }

  /** Why a protected record stays closed, with the key log line that would open it. */
  #closedReason(side: Side): string {
    if (!this.#suite)
      return `encrypted with TLS 1.3 cipher suite 0x${(this.#serverHello?.cipherSuite ?? 0).toString(16).padStart(4, '0')}, which the engine does not implement`;
    const name =
      side.epoch === 'handshake'
        ? `${side.role}_handshake_traffic_secret`
        : `${side.role}_application_traffic_secret_0`;
    const label = Object.entries(SECRET_NAMES).find(([, n]) => n === name)![0];
    if (side.generation > 0) return `encrypted after a KeyUpdate whose previous secret is not known`;
    this.#missingUsed.add(label);
    const wanted = `${label} ${toHex(this.#clientRandom)} <secret in hex>`;
    if (!this.#keyLog) return `encrypted; no key log was given. This key log line would open it: ${wanted}`;
    return `encrypted; the key log has no ${label} line for this connection. A line like this would open it: ${wanted}`;
  }

  /** Content of one record (clear or opened): handshake messages, CCS, alerts, application data. */
  async #content(
    side: Side,
    contentType: number,
    content: Uint8Array,
    entry: RecordEntry,
    origin: number | undefined,
  ): Promise<void> {
    const T = ContentType.values;
    const id = () => {
      const value = `${side.role}:${side.sent++}`;
      entry.carries.push(value);
      return value;
    };
    switch (contentType) {
      case T.change_cipher_spec:
        this.#host.log.push({ kind: 'change_cipher_spec', id: id(), from: side.role });
        return;
      case T.alert: {
        let alert;
        try {
          alert = decodeAlert(content).message;
        } catch (e) {
          return this.#host.note(side.role, origin ?? 0, `a bad alert: ${(e as Error).message}`);
        }
        this.#host.log.push({
          kind: 'alert',
          id: id(),
          from: side.role,
          level: alert.level,
          description: alert.description,
          name: alertName(alert.description),
        });
        return;
      }
      case T.application_data:
        this.#host.log.push({ kind: 'application_data', id: id(), from: side.role, data: content });
        this.#host.applicationData(side.role);
        return;
      case T.handshake:
        return this.#handshakeContent(side, content, entry, origin, id);
      default:
        this.#host.note(side.role, origin ?? 0, `a record of unknown content type ${contentType}`);
    }
  }

  async #handshakeContent(
    side: Side,
    content: Uint8Array,
    entry: RecordEntry,
    origin: number | undefined,
    id: () => string,
  ): Promise<void> {
    let messages;
    try {
      messages = side.reassembler.push(content);
    } catch (e) {
      side.closed = `not decoded: ${(e as Error).message}`;
      return this.#host.note(side.role, origin ?? 0, `bad handshake data: ${(e as Error).message}`);
    }
    const partial = side.reassembler.hasPartial ? `${side.role}:${side.sent + messages.length}` : null;
    if (messages.length === 0 && partial) entry.carries.push(partial);
    for (const [i, m] of messages.entries()) {
      const messageId = id();
      if (i === messages.length - 1 && partial) entry.carries.push(partial);
      let decoded;
      try {
        decoded = decodeMessage13(m.bytes);
      } catch (e) {
        this.#host.note(
          side.role,
          origin ?? 0,
          `cannot decode ${HandshakeType.format(m.msgType)}: ${(e as Error).message}`,
        );
        continue;
      }
      this.#host.log.push({
        kind: 'message',
        id: messageId,
        from: side.role,
        msgType: m.msgType,
        name: decoded.name,
        bytes: m.bytes,
        spans: decoded.spans,
        message: decoded.message,
        message13: decoded.message13,
        encrypted: entry.encrypted,
      });
      await this.#onMessage(side, decoded.message13, m.bytes);
    }
  }

  async #onMessage(side: Side, message: Handshake13, bytes: Uint8Array): Promise<void> {
    switch (message.type) {
      case 'client_hello':
        if (this.#awaitingSecondHello) this.#transcript.push(bytes);
        return;
      case 'server_hello':
        if (!this.#awaitingSecondHello) return;
        this.#awaitingSecondHello = false;
        return this.#onServerHello(bytes);
      case 'finished':
        if (side.epoch === 'application')
          return this.#onPostHandshakeFinished(side, message.message.verifyData);
        return this.#onFinished(side, message.message.verifyData, bytes);
      case 'key_update':
        return this.#onKeyUpdate(side);
      case 'new_session_ticket':
        return;
      case 'end_of_early_data':
        this.#earlyEnded = true;
        break;
      case 'encrypted_extensions': {
        const alpn = message.message.extensions.find((x) => x.kind === 'alpn');
        if (alpn?.kind === 'alpn') this.#alpn = alpn.protocols[0];
        this.#earlyAccepted = message.message.extensions.some(
          (x) => x.kind === 'unknown' && x.type === ExtensionType.values.early_data,
        );
        const earlySuite = this.#early.suite;
        if (this.#earlyAccepted && earlySuite && this.#suite && earlySuite !== this.#suite)
          this.#host.note(
            'server',
            this.#offset,
            `the server accepted the 0-RTT early data sent under ${earlySuite.name} while choosing ${this.#suite.name}: RFC 8446 §4.2.10 lets a server accept early data only with the cipher suite of the session it resumes`,
          );
        if (this.#earlyOffered && !this.#earlyAccepted)
          this.#host.note(
            'server',
            this.#offset,
            "the server did not accept the client's 0-RTT early data (no early_data in EncryptedExtensions): it skipped those records unread (RFC 8446 §4.2.10)",
          );
        break;
      }
      case 'certificate_request':
        // After the handshake: post-handshake authentication (RFC 8446 §4.6.2), with a transcript of its own.
        if (side.epoch === 'application') this.#postHandshake = [bytes];
        break;
      case 'certificate':
        if (side.epoch === 'application') this.#postHandshake?.push(bytes);
        else this.#certificates[side.role] = message.message.certificateList.map((c) => c.certData);
        break;
      case 'certificate_verify':
        if (side.epoch === 'application') this.#postHandshake?.push(bytes);
        else if (side.role === 'server') this.#signatureScheme = message.message.signatureScheme;
        break;
      default:
        break;
    }
    if (side.epoch === 'handshake') this.#transcript.push(bytes);
  }

  async #onFinished(side: Side, got: Uint8Array, bytes: Uint8Array): Promise<void> {
    const suite = this.#suite;
    const base = this.#line(
      side.role === 'server'
        ? TLS13_KEY_LOG_LABELS.server_handshake_traffic_secret
        : TLS13_KEY_LOG_LABELS.client_handshake_traffic_secret,
    );
    if (this.#transcriptGap) this.#finished[side.role] = 'transcript incomplete';
    else if (suite && base) {
      const verified = await this.#finishedMatches(
        suite,
        { name: `${side.role}_handshake_traffic_secret`, value: base.secret },
        `${side.role}_finished.verify_data`,
        {
          name: finishedTranscriptName(side.role, this.#transcript),
          messages: this.#transcript,
        },
        got,
      );
      this.#finished[side.role] = verified ? 'verified' : 'mismatch';
    }
    this.#transcript.push(bytes);
    // The sender protects what follows its Finished with its first application traffic secret.
    await this.#enter(side, 'application', `${side.role}_application_traffic_secret_0`);
    // The exporter secret (RFC 8446 §7.5) comes with the application secrets; OpenSSL's key log has its line.
    if (side.role === 'server' && this.#suite) this.#logSecret('exporter_master_secret');
    if (this.#finished.client === 'verified' && this.#finished.server === 'verified' && !this.#complete) {
      this.#complete = true;
      this.#host.log.push({ kind: 'handshake_complete', from: 'client', summary: this.#summary() });
    }
  }

  /**
   * RFC 8446 §4.4.4: whether `got` is HMAC(finished_key of `base`, Transcript-Hash(`transcript`)); the finished key and
   * the expected verify_data go to the log as secret entries.
   */
  async #finishedMatches(
    suite: Tls13Suite,
    base: { name: string; value: Uint8Array },
    verifyName: string,
    transcript: { name: string; messages: readonly Uint8Array[] },
    got: Uint8Array,
  ): Promise<boolean> {
    const key = await finishedKey(this.#provider, suite.hash, base.name, base.value);
    const th = await transcriptHash(this.#provider, suite.hash, transcript.messages);
    const expected = await verifyData(this.#provider, suite.hash, verifyName, key.value, {
      name: transcript.name,
      value: th,
    });
    this.#host.log.push(secretEntry(key), secretEntry(expected));
    return bytesEqual(expected.value, got);
  }

  /**
   * The client's Finished of post-handshake authentication (RFC 8446 §4.4, §4.6.2): its base key is the client's
   * current application traffic secret and it covers the handshake and this exchange's CertificateRequest,
   * Certificate and CertificateVerify. No key changes: the client's records go on under the same keys and sequence.
   */
  async #onPostHandshakeFinished(side: Side, got: Uint8Array): Promise<void> {
    const exchange = this.#postHandshake;
    this.#postHandshake = undefined;
    const suite = this.#suite;
    const base = side.secret;
    if (!exchange || side.role !== 'client' || !suite || !base) {
      this.#host.note(
        side.role,
        this.#offset,
        `a Finished after the handshake that answers no CertificateRequest`,
      );
      return;
    }
    if (this.#transcriptGap)
      return this.#host.note(
        'client',
        this.#offset,
        'post-handshake authentication: the client Finished cannot be checked, the handshake transcript is incomplete',
      );
    const verified = await this.#finishedMatches(
      suite,
      base,
      'post_handshake_client_finished.verify_data',
      {
        name: finishedTranscriptName('client', exchange, 'ClientHello...client Finished, CertificateRequest'),
        messages: [...this.#transcript, ...exchange],
      },
      got,
    );
    this.#host.note(
      'client',
      this.#offset,
      `post-handshake authentication (RFC 8446 §4.6.2): the client answered the server's CertificateRequest; its Finished ${verified ? 'verified' : 'does NOT match'} with ${base.name}, and no key changes`,
    );
  }

  /** RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length). */
  async #onKeyUpdate(side: Side): Promise<void> {
    const previous = side.secret;
    side.generation++;
    side.seq = 0n;
    delete side.secret;
    delete side.keys;
    if (!previous || !this.#suite) return;
    const name = `${side.role}_application_traffic_secret_${side.generation}`;
    const step: KeyStep = await expandLabelStep(
      this.#provider,
      this.#suite.hash,
      name,
      { name: previous.name, value: previous.value },
      'traffic upd',
      { name: '""', value: new Uint8Array(0) },
      previous.value.length,
    );
    this.#host.log.push({ ...secretEntry(step), formula: `${step.formula} (RFC 8446 §7.2)` });
    await this.#useSecret(side, { name, label: previous.label, value: step.value });
  }

  #summary(): HandshakeSummary {
    const suite = this.#suite!;
    return {
      version: 0x0304,
      cipherSuite: suite.code,
      cipherSuiteName: suite.name,
      ...(this.#group !== undefined ? { group: this.#group, groupName: NamedGroup.format(this.#group) } : {}),
      ...(this.#signatureScheme !== undefined
        ? {
            signatureScheme: this.#signatureScheme,
            signatureSchemeName: SignatureScheme.format(this.#signatureScheme),
          }
        : {}),
      extendedMasterSecret: false,
      ...(this.#alpn !== undefined ? { alpn: this.#alpn } : {}),
      ...(this.#serverName !== undefined ? { serverName: this.#serverName } : {}),
      serverCertificates: this.#certificates.server,
      clientCertificates: this.#certificates.client,
      clientRandom: this.#clientRandom,
      // TLS 1.3 has no 1.2 master secret; the key log's traffic secrets are the log's secret entries.
      masterSecret: new Uint8Array(0),
    };
  }

  /** The decryption report (undefined when nothing was protected). */
  report(tls13Labels: string[]): Tls13Decryption {
    // The four traffic secrets, and the early one when 0-RTT records were opened (or tried) with it.
    const used = [
      ...TLS13_TRAFFIC_LABELS.flatMap((label) => this.#line(label) ?? []),
      ...(this.#early.line ? [this.#early.line] : []),
    ];
    const found = used.map(keyLogLineRef);
    const conflicting = conflictingLines(this.#keyLog, used);
    const missing = [
      ...TLS13_TRAFFIC_LABELS.filter((l) => !found.some((f) => f.label === l)),
      ...(this.#earlyMissing ? [TLS13_KEY_LOG_LABELS.client_early_traffic_secret] : []),
    ];
    const random = toHex(this.#clientRandom);
    const finished = (role: Role): FinishedCheck =>
      this.#finished[role] === 'not seen' && (this.#firstFailure || missing.length > 0)
        ? 'not opened'
        : this.#finished[role];
    const mismatch = this.#finished.client === 'mismatch' || this.#finished.server === 'mismatch';
    const status: Tls13Decryption['status'] =
      found.length === 0
        ? 'no-matching-line'
        : this.#firstFailure
          ? 'wrong-secret'
          : mismatch
            ? 'finished-mismatch'
            : this.#missingUsed.size > 0 || this.#firstClosed !== undefined
              ? 'incomplete'
              : 'decrypted';
    return {
      status,
      version: 'TLSv1.3',
      found,
      conflicting,
      missing: [...missing],
      wantedLines: missing.map((l) => `${l} ${random} <secret in hex>`),
      tls13Labels,
      ...(this.#firstFailure ? { firstFailure: this.#firstFailure } : {}),
      ...(this.#firstClosed !== undefined && missing.length === 0 ? { closedReason: this.#firstClosed } : {}),
      clientFinished: finished('client'),
      serverFinished: finished('server'),
    };
  }
}

/** The early traffic keys for one suite the 0-RTT records may be protected with. */
interface EarlyKeys {
  suite: Tls13Suite;
  key: Uint8Array;
  iv: Uint8Array;
  steps: KeyStep[];
}

/** The first of `candidates` whose keys open `record` at `seq` (its AEAD tag verifies), if one does. */
async function firstOpening(
  provider: CryptoProvider,
  candidates: readonly EarlyKeys[],
  record: Uint8Array,
  seq: bigint,
): Promise<EarlyKeys | undefined> {
  for (const c of candidates) {
    const opened = await openRecord13(provider, c.suite, c, { record, sequenceNumber: seq }).then(
      () => true,
      () => false,
    );
    if (opened) return c;
  }
  return undefined;
}

/** The key log lines that would open a TLS 1.3 connection with this client random. */
export function tls13WantedLines(clientRandom: Uint8Array | undefined): string[] {
  const random = clientRandom ? toHex(clientRandom) : '<client random: the ClientHello was not captured>';
  return TLS13_TRAFFIC_LABELS.map((l) => `${l} ${random} <secret in hex>`);
}

/** A key schedule step as a secret entry: as the engine writes it, from the client's side (both derive it). */
const secretEntry = (step: KeyStep): SecretEntry => keyStepEntry(step, 'client');
