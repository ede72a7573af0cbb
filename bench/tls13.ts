/**
 * Full TLS 1.3 connection, TLS_AES_128_GCM_SHA256 over x25519 with an RSA-2048 certificate (rsa_pss_rsae_sha256):
 * our client + our server in one process (runHandshake13) vs Node's OpenSSL client + server over an in-memory
 * pipe, in alternating rounds (`_pairs.ts`). Both do the same connection: the handshake, two NewSessionTickets
 * (OpenSSL's server sends two by default, SSL_CTX_set_num_tickets), close_notify each way. Two rows, one per setup
 * (`Setup`: every connection from PEM, or keys and trust loaded once), each the same on both sides. Target: at
 * most 1.5x.
 */
import { pemToDer } from '../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../src/lib/tls12/pki-verifier.ts';
import { runHandshake13, type Scenario13 } from '../src/lib/tls13/index.ts';
import { testPki, type TestPki } from '../tests/kit/pure/pki.ts';
import { setupRows } from './_pairs.ts';

/** The scenario, from the PKI's PEM text (as the lab's worker builds it for each run). */
function scenarioFromPem(pki: TestPki): Scenario13 {
  return {
    client: {
      serverName: 'localhost',
      verifier: pkiVerifier({ anchors: pemToDer(pki.ca.certPem, 'CERTIFICATE') }),
      suites: [0x1301],
      groups: [29],
    },
    server: {
      certificates: [
        {
          chain: pemToDer(pki.rsa.certPem, 'CERTIFICATE'),
          privateKey: pemToDer(pki.rsa.keyPem, 'PRIVATE KEY')[0] as Uint8Array,
        },
      ],
      tickets: 2,
    },
  };
}

export default {
  name: 'tls13 connection',
  peer: 'node:tls (OpenSSL 3)',
  run: async () => {
    const pki = await testPki();
    return setupRows({
      name: (setup) =>
        `tls13 connection: TLS_AES_128_GCM_SHA256 x25519 RSA-2048, ${setup} (ours client+server vs OpenSSL client+server)`,
      target: 1.5,
      fromPem: () => scenarioFromPem(pki),
      connect: runHandshake13,
      pems: { key: pki.rsa.keyPem, cert: pki.rsa.certPem, ca: pki.ca.certPem },
      server: { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256', ecdhCurve: 'X25519' },
      client: { minVersion: 'TLSv1.3' },
    });
  },
};
