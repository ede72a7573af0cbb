/**
 * The event log the Handshake Lab renders: an ordered list of plain-data entries (records, handshake
 * messages, derived secrets, alerts, application data, PostgreSQL bytes). Entries hold Uint8Arrays, so they
 * survive structuredClone; `eventLogToJson` / `eventLogFromJson` carry bytes as hex.
 */
import { fromHex, toHex, type Span } from '../../bytes/index.ts';
import type { HandshakeMessage } from '../wire/handshake.ts';
import { decodeRecord } from '../wire/record.ts';
import { ProtocolVersion } from '../wire/code-points.ts';
import type { Handshake13 } from '../../tls13/wire/index.ts';
import { VERIFY_ALERT_NUMBERS } from '../../pki/openssl-alerts.ts';

export type Role = 'client' | 'server';

export interface RecordEntry {
  kind: 'record';
  /** Who sent the record. */
  from: Role;
  /** Sequence number within its direction and epoch (as a decimal string, so it survives JSON). */
  seq: string;
  /** The record exactly as on the wire (header + fragment). */
  bytes: Uint8Array;
  contentType: number;
  version: number;
  /** Spans over `bytes`: record.header.* and record.fragment. */
  spans: Span[];
  /**
   * The ids of the content entries (handshake messages, ChangeCipherSpec, alert, application data) whose bytes
   * this record holds, in order. A handshake message split over several records is carried by each of them; one
   * record may carry several messages. The engine knows this pairing; nothing else should guess it.
   */
  carries: string[];
  encrypted: boolean;
  /** When encrypted: the decrypted content, the AEAD nonce (or CBC IV) and the additional data. */
  plaintext?: Uint8Array;
  nonce?: Uint8Array;
  aad?: Uint8Array;
  /** True when a scenario flipped a byte of this record after protection, or rewrote it on the path (`bytes` as altered). */
  tampered?: boolean;
  /** When the receiver could not open it: why. */
  error?: string;
  /** TLS 1.3, opened: TLSInnerPlaintext's real content type (`plaintext` is its content) and its zero padding. */
  innerContentType?: number;
  paddingLength?: number;
}

/**
 * The entry of one record as it is on the wire: content type, version and spans read from its bytes (both record
 * layers, sending and receiving, and both observers write records through here). The fields a sealed or opened
 * record adds (`plaintext`, `nonce`, ...) are set by the caller.
 */
export function recordEntry(
  bytes: Uint8Array,
  from: Role,
  seq: bigint | number | string,
  carries: string[],
  encrypted: boolean,
): RecordEntry {
  return {
    kind: 'record',
    from,
    seq: seq.toString(),
    bytes,
    contentType: bytes[0]!,
    version: (bytes[1]! << 8) | bytes[2]!,
    spans: decodeRecord(bytes).spans,
    carries,
    encrypted,
  };
}

/**
 * A content entry's id: `client:N` / `server:N`, N counting what that side sent over the connection (handshake
 * messages, ChangeCipherSpec, alerts, application data), from 0. The sender and the receiver count alike.
 */
export type ContentId = string;

export interface MessageEntry {
  kind: 'message';
  id: ContentId;
  from: Role;
  msgType: number;
  /** e.g. 'client_hello'. */
  name: string;
  /** The whole handshake message (4-byte header + body): the transcript-hash input. */
  bytes: Uint8Array;
  spans: Span[];
  message: HandshakeMessage;
  /**
   * TLS 1.3 (the observer): the message as RFC 8446 defines it; `message` then holds tls12's decoding of the
   * structures both versions share (hellos, CertificateVerify, Finished) and `unknown` for the others.
   */
  message13?: Handshake13;
  /** Carried in an encrypted record (Finished). */
  encrypted: boolean;
  tampered?: boolean;
}

export interface ChangeCipherSpecEntry {
  kind: 'change_cipher_spec';
  id: ContentId;
  from: Role;
}

export interface SecretEntry {
  kind: 'secret';
  /** The side that derived it. */
  from: Role;
  name: string;
  value: Uint8Array;
  /** e.g. 'PRF(pre_master_secret, "extended master secret", session_hash)[0..48]' (RFC 7627 §4). */
  formula: string;
  inputs: Record<string, Uint8Array | string>;
  /**
   * An `openssl` (3.x) command line that prints `value`, where openssl can recompute it: `kdf ... TLS1-PRF` for the
   * 1.2 PRF's outputs, `kdf ... HKDF` for every TLS 1.3 key schedule step.
   */
  openssl?: string;
  /**
   * The other side derived it too. A run's log holds each secret once, from the side that derived it first (`from`);
   * in a run that failed, this tells a secret both sides computed from one only the first did.
   */
  bothSides?: boolean;
}

export interface AlertEntry {
  kind: 'alert';
  id: ContentId;
  /** Who sent the alert. */
  from: Role;
  level: number;
  description: number;
  /** e.g. 'handshake_failure'. */
  name: string;
  /** Why the sender sent it (known only to our own engine). */
  reason?: string;
}

export interface ApplicationDataEntry {
  kind: 'application_data';
  id: ContentId;
  from: Role;
  data: Uint8Array;
}

export interface HandshakeSummary {
  version: number;
  cipherSuite: number;
  cipherSuiteName: string;
  group?: number;
  groupName?: string;
  signatureScheme?: number;
  signatureSchemeName?: string;
  extendedMasterSecret: boolean;
  /**
   * TLS 1.2: an abbreviated handshake resumed an earlier session (session ID or ticket): no key exchange and no
   * certificate here, the master secret is that session's. Only read from captures; our engine never resumes.
   */
  resumed?: true;
  alpn?: string;
  serverName?: string;
  /** The chain the server sent (DER, leaf first). */
  serverCertificates: Uint8Array[];
  clientCertificates: Uint8Array[];
  clientRandom: Uint8Array;
  masterSecret: Uint8Array;
}

export interface HandshakeCompleteEntry {
  kind: 'handshake_complete';
  from: Role;
  summary: HandshakeSummary;
}

export interface ClosedEntry {
  kind: 'closed';
  from: Role;
  reason: string;
}

export interface PostgresEntry {
  kind: 'postgres';
  from: Role;
  /** e.g. 'SSLRequest', "SSL response 'S'", 'StartupMessage', 'AuthenticationOk'. */
  label: string;
  bytes: Uint8Array;
  spans: Span[];
  /** Inside the TLS tunnel (application data) or in clear before the handshake. */
  inTunnel: boolean;
  /** In the tunnel: the ids of the application data entries whose bytes hold this message, in order. */
  carriedIn?: ContentId[];
}

export type EventLogEntry =
  | RecordEntry
  | MessageEntry
  | ChangeCipherSpecEntry
  | SecretEntry
  | AlertEntry
  | ApplicationDataEntry
  | HandshakeCompleteEntry
  | ClosedEntry
  | PostgresEntry;

export type EventLog = EventLogEntry[];

/**
 * Adds a secret a side derived to a run's log (`at`: each logged secret's index, by name): once, from the side that
 * derived it first, marked `bothSides` when the other side derives it too. Shared by runHandshake and runHandshake13.
 */
export function logSecret(eventLog: EventLogEntry[], at: Map<string, number>, secret: SecretEntry): void {
  const index = at.get(secret.name);
  if (index === undefined) {
    at.set(secret.name, eventLog.length);
    eventLog.push(secret);
    return;
  }
  const first = eventLog[index];
  if (first?.kind === 'secret' && first.from !== secret.from && !first.bothSides)
    eventLog[index] = { ...first, bothSides: true };
}

/**
 * The first fatal alert in the log, and whether the handshake had completed before it: such an alert ends a
 * connection whose handshake succeeded, it does not fail the handshake. A handshake_complete entry must come first.
 * In TLS 1.3 the server checks the client's second flight (its certificate, CertificateVerify, Finished) after the
 * client's Finished, so a server's alert counts as after the handshake only:
 * - once the server sent anything after it (application data, a NewSessionTicket, a KeyUpdate, a post-handshake
 *   CertificateRequest): it had accepted;
 * - or, when the client sent something after its Finished (psql sends its StartupMessage at once), if the alert is
 *   not one that refuses a flight (`REFUSES_CLIENT_FLIGHT`): then it answers that (bad_record_mac).
 * The client judged the server's flight before its own Finished: its alerts after that are after the handshake.
 */
export function fatalAlertOf(
  eventLog: readonly EventLogEntry[],
): { alert: AlertEntry; afterHandshake: boolean } | undefined {
  const at = eventLog.findIndex((e) => e.kind === 'alert' && e.level === 2);
  if (at < 0) return undefined;
  const alert = eventLog[at] as AlertEntry;
  const complete = eventLog.findIndex((e) => e.kind === 'handshake_complete');
  if (complete < 0 || complete > at) return { alert, afterHandshake: false };
  const entry = eventLog[complete] as HandshakeCompleteEntry;
  if (entry.summary.version !== ProtocolVersion.values.TLSv1_3 || alert.from === 'client')
    return { alert, afterHandshake: true };
  const between = eventLog.slice(complete + 1, at);
  const sent = (from: Role) =>
    between.some((e) => (e.kind === 'application_data' || e.kind === 'message') && e.from === from);
  if (sent('server')) return { alert, afterHandshake: true };
  return { alert, afterHandshake: sent('client') && !REFUSES_CLIENT_FLIGHT.has(alert.name) };
}

/**
 * The alerts a TLS 1.3 server sends when it refuses the client's second flight: those its certificate check can
 * yield (OpenSSL's ssl_x509err2alert table, `VERIFY_ALERT_NUMBERS`, decrypt_error among them, which also answers a
 * bad CertificateVerify or Finished, §4.4.3, §4.4.4), certificate_required for none (§4.4.2.4) and access_denied.
 */
const REFUSES_CLIENT_FLIGHT: ReadonlySet<string> = new Set([
  ...Object.keys(VERIFY_ALERT_NUMBERS),
  'certificate_required',
  'access_denied',
]);

const HEX_TAG = '$hex';

/** JSON with every Uint8Array as `{ "$hex": "..." }` and bigints as decimal strings. */
export function eventLogToJson(eventLog: readonly EventLogEntry[], space?: number): string {
  return JSON.stringify(
    eventLog,
    function (this: unknown, _key, value: unknown) {
      if (value instanceof Uint8Array) return { [HEX_TAG]: toHex(value) };
      if (typeof value === 'bigint') return value.toString();
      return value;
    },
    space,
  );
}

export function eventLogFromJson(json: string): EventLog {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && HEX_TAG in value) {
      return fromHex(String((value as Record<string, unknown>)[HEX_TAG]));
    }
    return value;
  }) as EventLog;
}

/**
 * The event log in wire order for PostgreSQL's messages in the tunnel: each one moves to just after the
 * application data entry that completed it (the last of its `carriedIn` ids), keeping the order among those
 * completed by the same entry. Entries without a known carrier stay where they are.
 */
export function placeInTunnel(eventLog: readonly EventLogEntry[]): EventLog {
  const ids = new Set(eventLog.flatMap((e) => (e.kind === 'application_data' ? [e.id] : [])));
  const completedBy = new Map<string, PostgresEntry[]>();
  const rest: EventLogEntry[] = [];
  for (const e of eventLog) {
    const last = e.kind === 'postgres' && e.inTunnel ? e.carriedIn?.at(-1) : undefined;
    if (e.kind === 'postgres' && last !== undefined && ids.has(last)) {
      completedBy.set(last, [...(completedBy.get(last) ?? []), e]);
    } else rest.push(e);
  }
  return rest.flatMap((e): EventLogEntry[] =>
    e.kind === 'application_data' ? [e, ...(completedBy.get(e.id) ?? [])] : [e],
  );
}
