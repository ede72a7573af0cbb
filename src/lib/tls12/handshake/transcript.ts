/**
 * The transcript the Handshake Lab renders: an ordered list of plain-data entries (records, handshake
 * messages, derived secrets, alerts, application data, PostgreSQL bytes). Entries hold Uint8Arrays, so they
 * survive structuredClone; `transcriptToJson` / `transcriptFromJson` carry bytes as hex.
 */
import { fromHex, toHex, type Span } from '../../bytes/index.ts';
import type { HandshakeMessage } from '../wire/handshake.ts';

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
  encrypted: boolean;
  /** When encrypted: the decrypted content, the AEAD nonce (or CBC IV) and the additional data. */
  plaintext?: Uint8Array;
  nonce?: Uint8Array;
  aad?: Uint8Array;
  /** True when a scenario flipped a byte of this record after protection. */
  tampered?: boolean;
  /** When the receiver could not open it: why. */
  error?: string;
}

export interface MessageEntry {
  kind: 'message';
  from: Role;
  msgType: number;
  /** e.g. 'client_hello'. */
  name: string;
  /** The whole handshake message (4-byte header + body): the transcript-hash input. */
  bytes: Uint8Array;
  spans: Span[];
  message: HandshakeMessage;
  /** Carried in an encrypted record (Finished). */
  encrypted: boolean;
  tampered?: boolean;
}

export interface ChangeCipherSpecEntry {
  kind: 'change_cipher_spec';
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
}

export interface AlertEntry {
  kind: 'alert';
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
}

export type TranscriptEntry =
  | RecordEntry
  | MessageEntry
  | ChangeCipherSpecEntry
  | SecretEntry
  | AlertEntry
  | ApplicationDataEntry
  | HandshakeCompleteEntry
  | ClosedEntry
  | PostgresEntry;

export type Transcript = TranscriptEntry[];

const HEX_TAG = '$hex';

/** JSON with every Uint8Array as `{ "$hex": "..." }` and bigints as decimal strings. */
export function transcriptToJson(transcript: readonly TranscriptEntry[], space?: number): string {
  return JSON.stringify(
    transcript,
    function (this: unknown, _key, value: unknown) {
      if (value instanceof Uint8Array) return { [HEX_TAG]: toHex(value) };
      if (typeof value === 'bigint') return value.toString();
      return value;
    },
    space,
  );
}

export function transcriptFromJson(json: string): Transcript {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && HEX_TAG in value) {
      return fromHex(String((value as Record<string, unknown>)[HEX_TAG]));
    }
    return value;
  }) as Transcript;
}
