/**
 * The Handshake Lab's engine, off the main thread: our TLS 1.2 client and server run against each other in
 * memory and the whole transcript comes back before the first step is shown. The client's verifier is the
 * certificate engine (OpenSSL 3 rules), so certificate faults end in the alert OpenSSL sends.
 */
import { serveRpc } from './rpc';
import { pemToDer, runHandshake, type HandshakeRun } from '../../lib/tls12/handshake/index';
import { pkiVerifier } from '../../lib/tls12/pki-verifier';
import type { LabScenario } from '../views/handshake/scenario';

const encoder = new TextEncoder();

export async function runLab(s: LabScenario): Promise<HandshakeRun> {
  const [privateKey] = pemToDer(s.serverKeyPem, 'PRIVATE KEY');
  if (!privateKey) throw new Error('The demo server key is missing from the scenario');
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
      privateKey,
    },
    ...(s.seed !== undefined ? { seed: s.seed } : {}),
    now: s.now,
    clientData: encoder.encode('GET / HTTP/1.1\r\nHost: db.example.com\r\n\r\n'),
    serverData: encoder.encode('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
  });
}

export const tlsMethods = { runLab };
export type TlsMethods = typeof tlsMethods;

serveRpc(self as unknown as Parameters<typeof serveRpc>[0], tlsMethods);
