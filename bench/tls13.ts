/**
 * Full TLS 1.3 handshake, TLS_AES_128_GCM_SHA256 over x25519 with an RSA-2048 certificate (rsa_pss_rsae_sha256):
 * our client + our server in one process (runHandshake13) vs Node's OpenSSL client + server over an in-memory
 * pipe, in alternating rounds (`_pairs.ts`). Target: at most 1.5x.
 */
import { pkiVerifier } from '../src/lib/tls12/pki-verifier.ts';
import { runHandshake13 } from '../src/lib/tls13/index.ts';
import { testPki } from '../tests/kit/pure/pki.ts';
import { alternatingRounds, nodeTlsHandshake } from './_pairs.ts';

export default {
  name: 'tls13 handshake: TLS_AES_128_GCM_SHA256 x25519 RSA-2048 (ours client+server vs OpenSSL client+server)',
  peer: 'node:tls (OpenSSL 3)',
  run: async () => {
    const pki = await testPki();
    const scenario = {
      client: {
        serverName: 'localhost',
        verifier: pkiVerifier({ anchors: [pki.ca.certDer] }),
        suites: [0x1301],
        groups: [29],
      },
      server: { certificates: [{ chain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer }] },
    };
    const ours = async () => {
      const run = await runHandshake13(scenario);
      if (!run.ok) throw new Error(`our handshake failed: ${run.alert?.reason}`);
    };
    const pems = { key: pki.rsa.keyPem, cert: pki.rsa.certPem, ca: pki.ca.certPem };
    const peer = () =>
      nodeTlsHandshake(
        pems,
        { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256', ecdhCurve: 'X25519' },
        { minVersion: 'TLSv1.3' },
      );
    return { ...(await alternatingRounds(ours, peer)), target: 1.5 };
  },
};
