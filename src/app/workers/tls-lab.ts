/**
 * The Handshake Lab's engine (served off the main thread by tls.worker.ts): our TLS 1.2 client and server run
 * against each other in memory and the whole event log comes back before the first step is shown. The
 * client's verifier is the one the CLI uses too (tls12/pki-verifier.ts: the certificate engine with OpenSSL 3
 * rules), so certificate faults end in the alert OpenSSL sends.
 */
import {
  type ApplicationDataEntry,
  attackRecording,
  type HandshakeRun,
  pemToDer,
  placeInTunnel,
  type PostgresEntry,
  type RecordingAttack,
  runHandshake,
  type EventLog,
} from '../../lib/tls12/index';
import { pkiVerifier } from '../../lib/tls12/pki-verifier';
import { decodeOwnBytes } from '../../lib/bytes/index';
import {
  AUTH_OK_READY,
  BackendMessageSplitter,
  decodeBackendMessage,
  describeBackendMessage,
  decodeSslRequest,
  decodeSslResponse,
  decodeStartupMessage,
  encodeSslRequest,
  encodeStartupMessage,
} from '../../lib/pgwire/index';
import type { LabScenario } from '../model/handshake/scenario';
import { captureMethods } from './capture-session';

const encoder = new TextEncoder();

function pgEntry(
  from: 'client' | 'server',
  label: string,
  bytes: Uint8Array,
  spans: PostgresEntry['spans'],
  inTunnel: boolean,
  carriedIn?: string,
): PostgresEntry {
  return {
    kind: 'postgres',
    from,
    label,
    bytes,
    spans,
    inTunnel,
    ...(carriedIn ? { carriedIn: [carriedIn] } : {}),
  };
}

/**
 * PostgreSQL framing around the TLS run: the SSLRequest and the server's 'S' in clear before the handshake
 * (not for PostgreSQL 17 direct TLS), and the StartupMessage / AuthenticationOk + ReadyForQuery carried as the
 * first application data of each side (each message names the application data entry that carried it).
 */
function withPostgres(run: HandshakeRun, mode: LabScenario['postgres'], startup: Uint8Array): HandshakeRun {
  if (mode === 'none') return run;
  const pre: EventLog = [];
  if (mode === 'sslrequest') {
    const request = encodeSslRequest();
    const answer = new Uint8Array([0x53]);
    pre.push(
      pgEntry('client', 'SSLRequest', request, decodeOwnBytes(request, decodeSslRequest).spans, false),
    );
    pre.push(
      pgEntry('server', "Server answers 'S'", answer, decodeOwnBytes(answer, decodeSslResponse).spans, false),
    );
  }
  const firstData = (from: 'client' | 'server') =>
    run.eventLog.find((e): e is ApplicationDataEntry => e.kind === 'application_data' && e.from === from)?.id;
  const clientData = firstData('client');
  const serverData = firstData('server');
  const tunnelled: EventLog = [];
  if (clientData)
    tunnelled.push(
      pgEntry(
        'client',
        'StartupMessage',
        startup,
        decodeOwnBytes(startup, decodeStartupMessage).spans,
        true,
        clientData,
      ),
    );
  if (serverData)
    for (const bytes of new BackendMessageSplitter().push(AUTH_OK_READY)) {
      const { message, spans } = decodeOwnBytes(bytes, decodeBackendMessage);
      tunnelled.push(pgEntry('server', describeBackendMessage(message), bytes, spans, true, serverData));
    }
  return { ...run, eventLog: placeInTunnel([...pre, ...run.eventLog, ...tunnelled]) };
}

export async function runLab(s: LabScenario): Promise<HandshakeRun> {
  const [privateKey] = pemToDer(s.serverKeyPem, 'PRIVATE KEY');
  if (!privateKey) throw new Error('The demo server key is missing from the scenario');
  const alpn = s.alpn ? { alpn: s.alpn } : {};
  const postgres = s.postgres !== 'none';
  const startup = encodeStartupMessage({ user: 'app', database: 'app', application_name: 'tls-lab' });
  const run = await runHandshake({
    client: {
      suites: s.offer,
      groups: s.groups,
      minVersion: s.clientVersions[0],
      maxVersion: s.clientVersions[1],
      extendedMasterSecret: s.ems,
      ...(s.serverName ? { serverName: s.serverName } : {}),
      ...alpn,
      verifier: pkiVerifier({ anchors: pemToDer(s.trustedRootPem, 'CERTIFICATE') }),
      ...(s.tamper ? { tamper: s.tamper } : {}),
    },
    server: {
      suites: s.accept,
      groups: s.groups,
      minVersion: s.serverVersions[0],
      maxVersion: s.serverVersions[1],
      extendedMasterSecret: s.ems,
      ...alpn,
      certificateChain: pemToDer(s.serverCertPem, 'CERTIFICATE'),
      privateKey,
    },
    ...(s.seed !== undefined ? { seed: s.seed } : {}),
    now: s.now,
    clientData: postgres ? startup : encoder.encode('GET / HTTP/1.1\r\nHost: db.example.com\r\n\r\n'),
    serverData: postgres ? AUTH_OK_READY : encoder.encode('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
  });
  return withPostgres(run, s.postgres, startup);
}

/** The recording attack of the forward-secrecy story: the server key leaks after the fact. */
export async function attackWithLeakedKey(
  eventLog: EventLog,
  serverKeyPem: string,
): Promise<RecordingAttack> {
  const [key] = pemToDer(serverKeyPem, 'PRIVATE KEY');
  if (!key) throw new Error('The demo server key is missing');
  return attackRecording(eventLog, key);
}

export const tlsMethods = { runLab, attackWithLeakedKey, ...captureMethods };
export type TlsMethods = typeof tlsMethods;
