/**
 * Handshake states in the rustls style: each state is named for what it expects next. A state carries the
 * connection (record layer) and what the handshake has learned so far; `step(state, input)` consumes it and
 * returns the next one plus the events it produced.
 */
import type { CertificateInfo } from './certificate-info.ts';
import type { EphemeralKey } from '../crypto/ecdhe.ts';
import type { PrivateKey } from '../crypto/keys.ts';
import type { CipherSuiteInfo } from '../crypto/suites.ts';
import type { RecordKeys } from './connection.ts';
import type { ClientConfig, Resolved, ServerConfig } from './config.ts';
import type { Connection, EngineEvent } from './connection.ts';

/** What drives a step. */
export type Input =
  /** Client only: send the ClientHello. */
  | { kind: 'start' }
  /** Bytes received from the peer (any chunking). */
  | { kind: 'bytes'; data: Uint8Array }
  /** Application data to protect and send (Established only). */
  | { kind: 'application-data'; data: Uint8Array }
  /** Send close_notify. */
  | { kind: 'close' }
  /** The peer closed the connection (end of stream): nothing more will arrive. */
  | { kind: 'end' };

export interface StepResult<S> {
  state: S;
  events: EngineEvent[];
}

/** What both sides know after the hellos. */
export interface Negotiated {
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
  suite: CipherSuiteInfo;
  version: number;
  extendedMasterSecret: boolean;
  alpn?: string;
  serverName?: string;
  group?: number;
  signatureScheme?: number;
  serverCertificates: Uint8Array[];
  clientCertificates: Uint8Array[];
  /** The server echoed session_ticket: a NewSessionTicket precedes its ChangeCipherSpec (RFC 5077 §3.3). */
  ticketExpected?: boolean;
  /** An abbreviated handshake resumed an earlier session (RFC 5246 §7.3; read from captures: ours never resume). */
  resumed?: boolean;
}

export interface Keys {
  master: Uint8Array;
  clientWrite: RecordKeys;
  serverWrite: RecordKeys;
}

interface ClientBase {
  side: 'client';
  conn: Connection;
  config: ClientConfig;
  resolved: Resolved;
}

export type ClientState =
  | (ClientBase & { name: 'ClientStart' })
  | (ClientBase & { name: 'ExpectServerHello'; clientRandom: Uint8Array; offeredExtensions: Set<string> })
  | (ClientBase & { name: 'ExpectCertificate'; hs: Negotiated })
  | (ClientBase & { name: 'ExpectServerKeyExchange'; hs: Negotiated; leaf: CertificateInfo })
  | (ClientBase & {
      name: 'ExpectServerHelloDoneOrCertificateRequest';
      hs: Negotiated;
      leaf: CertificateInfo;
      serverPublic?: Uint8Array;
      /** Our ECDHE key pair, started while the ServerKeyExchange signature was checked (fresh runs). */
      ephemeral?: Promise<EphemeralKey>;
    })
  | (ClientBase & {
      name: 'ExpectServerHelloDone';
      hs: Negotiated;
      leaf: CertificateInfo;
      serverPublic?: Uint8Array;
      ephemeral?: Promise<EphemeralKey>;
      certificateRequest: { signatureSchemes: number[] };
    })
  | (ClientBase & { name: 'ExpectNewSessionTicket'; hs: Negotiated; keys: Keys })
  | (ClientBase & { name: 'ExpectChangeCipherSpec'; hs: Negotiated; keys: Keys })
  | (ClientBase & { name: 'ExpectFinished'; hs: Negotiated; keys: Keys })
  | (ClientBase & { name: 'Established'; hs: Negotiated; keys: Keys })
  | (ClientBase & { name: 'Closed'; reason: string });

interface ServerBase {
  side: 'server';
  conn: Connection;
  config: ServerConfig;
  resolved: Resolved;
  key: PrivateKey;
}

export type ServerState =
  | (ServerBase & { name: 'ExpectClientHello' })
  | (ServerBase & {
      name: 'ExpectCertificate';
      hs: Negotiated;
      ephemeral?: EphemeralKey;
      clientVersion: number;
    })
  | (ServerBase & {
      name: 'ExpectClientKeyExchange';
      hs: Negotiated;
      ephemeral?: EphemeralKey;
      clientVersion: number;
    })
  | (ServerBase & { name: 'ExpectCertificateVerify'; hs: Negotiated; keys: Keys })
  | (ServerBase & { name: 'ExpectChangeCipherSpec'; hs: Negotiated; keys: Keys })
  | (ServerBase & { name: 'ExpectFinished'; hs: Negotiated; keys: Keys })
  | (ServerBase & { name: 'Established'; hs: Negotiated; keys: Keys })
  | (ServerBase & { name: 'Closed'; reason: string });

export type StateName = ClientState['name'] | ServerState['name'];
