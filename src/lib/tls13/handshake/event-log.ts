/**
 * The TLS 1.3 event log: TLS 1.2's entries (tls12/handshake/event-log.ts) where the shape is the same (alerts,
 * ChangeCipherSpec, application data, closed, PostgreSQL, and the messages and records, written as the passive
 * observer `tls13/observe.ts` writes them: a message's `message13` from `decodeMessage13`, a protected record's
 * `plaintext` its inner content with `innerContentType` and `paddingLength`), and 1.3's own where it differs: a
 * secret is a key schedule step with its `openssl kdf` command, and the summary has no master secret of 1.2's kind.
 */
import {
  TLS13_KEY_LOG_LABELS,
  formatTls13KeyLogLine,
  type Tls13KeyLogSecret,
} from '../../tls12/crypto/keylog.ts';
import { nssKeyLogLine } from '../../tls12/handshake/secrets.ts';
import { ProtocolVersion } from '../../tls12/wire/code-points.ts';
import type { EngineEvent } from '../../tls12/handshake/connection.ts';
import type { KeyStep } from '../key-schedule.ts';
import type {
  AlertEntry,
  EventLogEntry,
  ApplicationDataEntry,
  HandshakeSummary,
  ChangeCipherSpecEntry,
  ClosedEntry,
  MessageEntry,
  PostgresEntry,
  RecordEntry,
  Role,
  SecretEntry,
} from '../../tls12/handshake/event-log.ts';

export interface Secret13Entry extends SecretEntry {
  /** Where the formula is specified (RFC 8446 §7.1, ...). */
  source: string;
  /** An HKDF-Extract step's input keying material, by its input's name (the key schedule diagram shows it). */
  ikm?: string;
}

/** A key schedule step as the event log holds it, written by the engine and by the observer alike. */
export function keyStepEntry(step: KeyStep, from: Role): Secret13Entry {
  return {
    kind: 'secret',
    from,
    name: step.name,
    value: step.value,
    formula: step.formula,
    inputs: Object.fromEntries(step.inputs.map((i) => [i.name, i.value])),
    source: step.source,
    openssl: step.openssl,
    ...(step.ikm !== undefined ? { ikm: step.ikm } : {}),
  };
}

/**
 * The 1.2 summary (which the observer writes for a 1.3 connection too, with `extendedMasterSecret` false and an
 * empty `masterSecret`), with what the engine knows besides: the group and scheme always, HRR, the key log.
 */
export interface HandshakeSummary13 extends HandshakeSummary {
  group: number;
  groupName: string;
  /** The server's CertificateVerify scheme. */
  signatureScheme: number;
  signatureSchemeName: string;
  /** The client's CertificateVerify scheme, when it sent a certificate. */
  clientSignatureScheme?: number;
  helloRetryRequest: boolean;
  /** NSS key log lines for this connection (CLIENT_HANDSHAKE_TRAFFIC_SECRET ...), as OpenSSL writes them. */
  keyLog: string[];
}

export interface HandshakeComplete13Entry {
  kind: 'handshake_complete';
  from: Role;
  summary: HandshakeSummary13;
}

export type EventLog13Entry =
  | RecordEntry
  | MessageEntry
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

/**
 * A connection's NSS key log lines (either version), whatever its outcome, as SSLKEYLOGFILE writes each secret as it
 * is derived: for TLS 1.3 the traffic secret lines of the secrets the log holds (`keyLogLines13`); for TLS 1.2 the
 * CLIENT_RANDOM line, from its summary or, for a run that failed after the keys were made, from its master_secret
 * entry and the ClientHello's random. Empty when the log holds no key.
 */
export function keyLogLinesOf(
  eventLog: readonly AnyEventLogEntry[],
  summary?: HandshakeSummary | HandshakeSummary13,
): string[] {
  const hello = eventLog.find((e) => e.kind === 'message' && e.message.type === 'client_hello');
  const random =
    summary?.clientRandom ??
    (hello?.kind === 'message' && hello.message.type === 'client_hello' ? hello.message.random : undefined);
  if (!random) return [];
  if (
    summary?.version === ProtocolVersion.values.TLSv1_3 ||
    eventLog.some((e) => e.kind === 'secret' && e.name in TLS13_KEY_LOG_LABELS)
  )
    return keyLogLines13(eventLog, random);
  if (summary) return [nssKeyLogLine(summary.clientRandom, summary.masterSecret)];
  const master = eventLog.find((e) => e.kind === 'secret' && e.name === 'master_secret');
  return master?.kind === 'secret' ? [nssKeyLogLine(random, master.value)] : [];
}

export { TLS13_KEY_LOG_LABELS };
