/**
 * The TLS 1.3 event log: TLS 1.2's entries (tls12/handshake/event-log.ts) where the shape is the same (alerts,
 * ChangeCipherSpec, application data, closed, PostgreSQL), and 1.3's own where it differs: a message holds a
 * 1.3 handshake message, a protected record also has the spans of its TLSInnerPlaintext, a secret is a key
 * schedule step with its `openssl kdf` command, and the summary has no master secret of 1.2's kind.
 */
import type { Span } from '../../bytes/index.ts';
import {
  TLS13_KEY_LOG_LABELS,
  formatTls13KeyLogLine,
  type Tls13KeyLogSecret,
} from '../../tls12/crypto/keylog.ts';
import type { EngineEvent } from '../../tls12/handshake/connection.ts';
import type {
  AlertEntry,
  EventLogEntry,
  ApplicationDataEntry,
  ChangeCipherSpecEntry,
  ClosedEntry,
  MessageEntry,
  PostgresEntry,
  RecordEntry,
  Role,
  SecretEntry,
} from '../../tls12/handshake/event-log.ts';
import type { Handshake13 } from '../wire/index.ts';

export interface Record13Entry extends RecordEntry {
  /** A protected record: spans over `plaintext` (the TLSInnerPlaintext: content, type, zeros). */
  plaintextSpans?: Span[];
}

export interface Message13Entry extends Omit<MessageEntry, 'message'> {
  message: Handshake13;
}

export interface Secret13Entry extends SecretEntry {
  /** Where the formula is specified (RFC 8446 §7.1, ...). */
  source: string;
  /** An `openssl kdf` command that prints `value`. */
  openssl?: string;
}

export interface HandshakeSummary13 {
  version: number;
  cipherSuite: number;
  cipherSuiteName: string;
  group: number;
  groupName: string;
  /** The server's CertificateVerify scheme. */
  signatureScheme: number;
  signatureSchemeName: string;
  /** The client's CertificateVerify scheme, when it sent a certificate. */
  clientSignatureScheme?: number;
  helloRetryRequest: boolean;
  alpn?: string;
  serverName?: string;
  serverCertificates: Uint8Array[];
  clientCertificates: Uint8Array[];
  clientRandom: Uint8Array;
  /** NSS key log lines for this connection (CLIENT_HANDSHAKE_TRAFFIC_SECRET ...), as OpenSSL writes them. */
  keyLog: string[];
}

export interface HandshakeComplete13Entry {
  kind: 'handshake_complete';
  from: Role;
  summary: HandshakeSummary13;
}

export type EventLog13Entry =
  | Record13Entry
  | Message13Entry
  | ChangeCipherSpecEntry
  | Secret13Entry
  | AlertEntry
  | ApplicationDataEntry
  | HandshakeComplete13Entry
  | ClosedEntry
  | PostgresEntry;

export type EventLog13 = EventLog13Entry[];

/** What the engine reports after each step. */
export type EngineEvent13 = { kind: 'send'; bytes: Uint8Array } | EventLog13Entry;

/** A 1.3 engine that handed the connection to the TLS 1.2 engine reports the 1.2 events from then on. */
export type AnyEngineEvent = EngineEvent13 | EngineEvent;
export type AnyEventLogEntry = EventLog13Entry | EventLogEntry;

const KEY_LOG_ORDER: Tls13KeyLogSecret[] = [
  'server_handshake_traffic_secret',
  'client_handshake_traffic_secret',
  'exporter_master_secret',
  'server_application_traffic_secret_0',
  'client_application_traffic_secret_0',
];

/** The NSS key log lines of the secrets an event log holds, in OpenSSL's order (see key-schedule.ts). */
export function keyLogLines13(eventLog: readonly AnyEventLogEntry[], clientRandom: Uint8Array): string[] {
  return KEY_LOG_ORDER.flatMap((name) => {
    const e = eventLog.find((x): x is SecretEntry => x.kind === 'secret' && x.name === name);
    return e ? [formatTls13KeyLogLine(name, clientRandom, e.value)] : [];
  });
}

export { TLS13_KEY_LOG_LABELS };
