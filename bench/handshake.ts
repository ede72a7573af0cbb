/**
 * Full TLS 1.2 connection, ECDHE-RSA-AES128-GCM-SHA256 over x25519 with an RSA-2048 certificate: our client + our
 * server in one process (runHandshake) vs Node's OpenSSL client + server over an in-memory pipe, in alternating
 * rounds (`_pairs.ts`): the handshake, then close_notify each way (OpenSSL's server also sends a NewSessionTicket,
 * which ours does not implement). Two rows, one per setup (`Setup`: every connection from PEM, or keys and trust
 * loaded once), each the same on both sides.
 */
import { pemToDer, runHandshake, type Scenario } from '../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../src/lib/tls12/pki-verifier.ts';
import { testPki, type TestPki } from '../tests/kit/pure/pki.ts';
import { setupRows } from './_pairs.ts';

/** The scenario, from the PKI's PEM text (as the lab's worker builds it for each run). */
function scenarioFromPem(pki: TestPki): Scenario {
  return {
    client: {
      serverName: 'localhost',
      verifier: pkiVerifier({ anchors: pemToDer(pki.ca.certPem, 'CERTIFICATE') }),
      suites: [0xc02f],
      groups: [29],
    },
    server: {
      certificateChain: pemToDer(pki.rsa.certPem, 'CERTIFICATE'),
      privateKey: pemToDer(pki.rsa.keyPem, 'PRIVATE KEY')[0] as Uint8Array,
    },
  };
}

export default {
  name: 'tls12 connection',
  peer: 'node:tls (OpenSSL 3)',
  run: async () => {
    const pki = await testPki();
    return setupRows({
      name: (setup) =>
        `tls12 connection: ECDHE-RSA-AES128-GCM-SHA256 x25519 RSA-2048, ${setup} (ours client+server vs OpenSSL client+server)`,
      target: 2,
      fromPem: () => scenarioFromPem(pki),
      connect: runHandshake,
      pems: { key: pki.rsa.keyPem, cert: pki.rsa.certPem, ca: pki.ca.certPem },
      server: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', ecdhCurve: 'X25519' },
      client: { maxVersion: 'TLSv1.2' },
    });
  },
};
