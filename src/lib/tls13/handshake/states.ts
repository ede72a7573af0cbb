/**
 * TLS 1.3 handshake states, named for what they expect next (as tls12/handshake/states.ts). Inputs are 1.2's
 * (`start`, `bytes`, `application-data`, `close`, `end`).
 */
import type { EphemeralKey } from '../../tls12/crypto/ecdhe.ts';
import type { PrivateKey } from '../../tls12/crypto/keys.ts';
import type { CertificateInfo } from '../../tls12/handshake/certificate-info.ts';
import type { Tls13Suite } from '../suites.ts';
import type { Client13Config, Resolved13, Server13Config } from './config.ts';
import type { VerifyResult } from '../../tls12/handshake/config.ts';
import type { Connection13 } from './connection.ts';
import type { EngineEvent13 } from './event-log.ts';
import type { ClientState, ServerState } from '../../tls12/handshake/states.ts';
import type { EngineEvent } from '../../tls12/handshake/connection.ts';

export type { Input } from '../../tls12/handshake/states.ts';

export interface StepResult13<S> {
  state: S;
  events: EngineEvent13[];
}

/** What both sides know once ServerHello is through. */
export interface Negotiated13 {
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
  suite: Tls13Suite;
  group: number;
  helloRetryRequest: boolean;
  alpn?: string;
  serverName?: string;
  signatureScheme?: number;
  clientSignatureScheme?: number;
  serverCertificates: Uint8Array[];
  clientCertificates: Uint8Array[];
  clientHandshakeSecret: Uint8Array;
  serverHandshakeSecret: Uint8Array;
  handshakeSecret: Uint8Array;
  /** NSS key log lines, once the application secrets are known. */
  keyLog?: string[];
}

/** The application traffic secrets and how many KeyUpdates each has had. */
export interface Traffic {
  client: { secret: Uint8Array; n: number };
  server: { secret: Uint8Array; n: number };
}

interface ClientBase {
  side: 'client';
  conn: Connection13;
  config: Client13Config;
  resolved: Resolved13;
}

export interface ClientHelloSent {
  clientRandom: Uint8Array;
  sessionId: Uint8Array;
  shares: EphemeralKey[];
  /** The HelloRetryRequest we answered, if any (a second one is unexpected_message). */
  retried: boolean;
  /** The suite the HelloRetryRequest chose: the ServerHello must choose it again. */
  retrySuite?: number;
}

export type Client13State =
  | (ClientBase & { name: 'ClientStart' })
  | (ClientBase & { name: 'ExpectServerHello'; hello: ClientHelloSent })
  | (ClientBase & {
      /**
       * A HelloRetryRequest was read and accepted; the second ClientHello goes once the records that arrived with it
       * are read (the middlebox ChangeCipherSpec a server sends right after it), so the event log lists them in the
       * order they reached us. `hello` is the ClientHello we answer with, but for the key share `group` asks for.
       */
      name: 'AnswerHelloRetryRequest';
      hello: ClientHelloSent;
      group?: number;
      cookie?: Uint8Array;
    })
  | (ClientBase & { name: 'ExpectEncryptedExtensions'; hs: Negotiated13 })
  | (ClientBase & { name: 'ExpectCertificateOrCertificateRequest'; hs: Negotiated13 })
  | (ClientBase & { name: 'ExpectCertificate'; hs: Negotiated13; request: CertificateRequestSeen })
  | (ClientBase & {
      name: 'ExpectCertificateVerify';
      hs: Negotiated13;
      leaf: CertificateInfo;
      request?: CertificateRequestSeen;
      /** The verifier's answer on the server's chain, computed while the CertificateVerify arrives and is checked. */
      verdict: Promise<VerifyResult>;
    })
  | (ClientBase & { name: 'ExpectFinished'; hs: Negotiated13; request?: CertificateRequestSeen })
  | (ClientBase & { name: 'Established'; hs: Negotiated13; traffic: Traffic })
  | (ClientBase & { name: 'Closed'; reason: string })
  /** The server chose TLS 1.2: the 1.2 engine runs the connection; `pending` are its first step's events. */
  | (ClientBase & { name: 'Tls12'; tls12: ClientState; pending: EngineEvent[] });

export interface CertificateRequestSeen {
  context: Uint8Array;
  signatureSchemes: number[];
}

/** The server's HelloRetryRequest: the second ClientHello must match it. */
export interface RetrySent {
  group: number;
  suite: Tls13Suite;
  cookie?: Uint8Array;
  sessionId: Uint8Array;
  clientRandom: Uint8Array;
}

/** An ephemeral key made before it is needed, for `group`. */
export interface SpareKey {
  group: number;
  key: Promise<EphemeralKey>;
}

interface ServerBase {
  side: 'server';
  conn: Connection13;
  config: Server13Config;
  resolved: Resolved13;
}

export type Server13State =
  | (ServerBase & {
      name: 'ExpectClientHello';
      retried?: RetrySent;
      /** A fresh run's key share for our first group, made while the ClientHello is on its way (`newServer13`). */
      spareKey?: SpareKey;
    })
  | (ServerBase & {
      name: 'ExpectCertificate';
      hs: Negotiated13;
      traffic: Traffic;
      requestContext: Uint8Array;
    })
  | (ServerBase & { name: 'ExpectFinished'; hs: Negotiated13; traffic: Traffic })
  | (ServerBase & {
      name: 'ExpectCertificateVerify';
      hs: Negotiated13;
      traffic: Traffic;
      leaf: CertificateInfo;
    })
  | (ServerBase & { name: 'Established'; hs: Negotiated13; traffic: Traffic })
  | (ServerBase & { name: 'Closed'; reason: string })
  /** The client does not speak TLS 1.3: the 1.2 engine serves it; `pending` are its first step's events. */
  | (ServerBase & { name: 'Tls12'; tls12: ServerState; pending: EngineEvent[] });

export type { PrivateKey };
