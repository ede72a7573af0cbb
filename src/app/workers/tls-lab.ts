/**
 * The Handshake Lab's engine (served off the main thread by tls.worker.ts): our TLS 1.2 or TLS 1.3 client and
 * server run against each other in memory and the whole event log comes back before the first step is shown.
 * The client's verifier is the one the CLI uses too (tls12/pki-verifier.ts: the certificate engine with OpenSSL 3
 * rules), so certificate faults end in the alert OpenSSL sends; a 1.3 server checks client certificates with it.
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
import { hideSupportedVersions, runHandshake13 } from '../../lib/tls13/index';
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

const HTTP_REQUEST = encoder.encode('GET / HTTP/1.1\r\nHost: db.example.com\r\n\r\n');
const HTTP_RESPONSE = encoder.encode('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');

function keyOf(pem: string): Uint8Array {
  const [key] = pemToDer(pem, 'PRIVATE KEY');
  if (!key) throw new Error('A demo key is missing from the scenario');
  return key;
}

/** Runs one handshake of the scenario's version, with the PostgreSQL framing around it. */
export async function runLab(s: LabScenario): Promise<HandshakeRun> {
  const postgres = s.postgres !== 'none';
  const startup = encodeStartupMessage({ user: 'app', database: 'app', application_name: 'tls-lab' });
  const data = {
    clientData: postgres ? startup : HTTP_REQUEST,
    serverData: postgres ? AUTH_OK_READY : HTTP_RESPONSE,
    ...(s.seed !== undefined ? { seed: s.seed } : {}),
    now: s.now,
  };
  const run = s.version === '1.3' ? await run13(s, data) : await run12(s, data);
  return withPostgres(run, s.postgres, startup);
}

type RunData = { clientData: Uint8Array; serverData: Uint8Array; seed?: string; now: number };

function run12(s: LabScenario, data: RunData): Promise<HandshakeRun> {
  const alpn = s.alpn ? { alpn: s.alpn } : {};
  return runHandshake({
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
      privateKey: keyOf(s.serverKeyPem),
    },
    ...data,
  });
}

/**
 * A TLS 1.3 run (runHandshake13). The event log holds 1.3 entries (and 1.2 ones when the downgrade fault hands
 * the server over to the 1.2 engine), which the lab reads as it reads an opened 1.3 capture.
 */
async function run13(s: LabScenario, data: RunData): Promise<HandshakeRun> {
  const t = s.tls13;
  if (!t) throw new Error('A TLS 1.3 scenario needs its 1.3 settings');
  const alpn = s.alpn ? { alpn: s.alpn } : {};
  const anchors = pemToDer(s.trustedRootPem, 'CERTIFICATE');
  const client = t.clientCertificate;
  const run = await runHandshake13({
    client: {
      suites: s.offer,
      groups: s.groups,
      keyShareGroups: [t.keyShare],
      ...(s.serverName ? { serverName: s.serverName } : {}),
      ...alpn,
      verifier: pkiVerifier({ anchors }),
      ...(client
        ? { certificateChain: pemToDer(client.certPem, 'CERTIFICATE'), privateKey: keyOf(client.keyPem) }
        : {}),
      ...(t.downgrade ? { allowTls12: true } : {}),
    },
    server: {
      suites: s.accept,
      groups: t.serverGroups,
      ...alpn,
      certificates: [{ chain: pemToDer(s.serverCertPem, 'CERTIFICATE'), privateKey: keyOf(s.serverKeyPem) }],
      ...(t.requireClientCertificate
        ? {
            requestClientCertificate: true,
            requireClientCertificate: true,
            clientVerifier: pkiVerifier({ anchors }),
          }
        : {}),
      ...(t.serverTamper ? { tamper: t.serverTamper } : {}),
      ...(t.downgrade ? { allowTls12: true } : {}),
    },
    ...(t.downgrade ? { onPath: hideSupportedVersions } : {}),
    ...data,
  });
  // The 1.3 log's entries are 1.2's shapes (1.3 secrets and summary extend them); the app's run names states
  // by outcome, as a run read from a capture does.
  const state = run.ok ? 'Established' : 'Closed';
  return { ...run, eventLog: run.eventLog as EventLog, clientState: state, serverState: state };
}

/** The recording attack of the forward-secrecy story: the server key leaks after the fact. */
export async function attackWithLeakedKey(
  eventLog: EventLog,
  serverKeyPem: string,
): Promise<RecordingAttack> {
  return attackRecording(eventLog, keyOf(serverKeyPem));
}

export const tlsMethods = { runLab, attackWithLeakedKey, ...captureMethods };
export type TlsMethods = typeof tlsMethods;
