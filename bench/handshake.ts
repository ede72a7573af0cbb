/**
 * Full TLS 1.2 handshake, ECDHE-RSA-AES128-GCM-SHA256 over x25519 with an RSA-2048 certificate:
 * our client + our server in one process (runHandshake) vs Node's OpenSSL client + server over an
 * in-memory pipe, in alternating rounds (`_pairs.ts`).
 */
import { runHandshake } from '../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../src/lib/tls12/pki-verifier.ts';
import { testPki } from '../tests/kit/pure/pki.ts';
import { alternatingRounds, nodeTlsHandshake } from './_pairs.ts';

const N = 10;

export default {
  name: 'tls12 handshake: ECDHE-RSA-AES128-GCM-SHA256 x25519 RSA-2048 (ours client+server vs OpenSSL client+server)',
  peer: 'node:tls (OpenSSL 3)',
  run: async () => {
    const pki = await testPki();
    const scenario = {
      client: {
        serverName: 'localhost',
        verifier: pkiVerifier({ anchors: [pki.ca.certDer] }),
        suites: [0xc02f],
        groups: [29],
      },
      server: { certificateChain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer },
    };
    const ours = async () => {
      const run = await runHandshake(scenario);
      if (!run.ok) throw new Error(`our handshake failed: ${run.alert?.reason}`);
    };
    const pems = { key: pki.rsa.keyPem, cert: pki.rsa.certPem, ca: pki.ca.certPem };
    const peer = () =>
      nodeTlsHandshake(
        pems,
        { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', ecdhCurve: 'X25519' },
        { maxVersion: 'TLSv1.2' },
      );
    return { ...(await alternatingRounds(ours, peer, { perRound: N })), target: 2 };
  },
};
