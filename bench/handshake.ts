/**
 * Full TLS 1.2 handshake, ECDHE-RSA-AES128-GCM-SHA256 over x25519 with an RSA-2048 certificate:
 * our client + our server in one process (runHandshake) vs Node's OpenSSL client + server over an
 * in-memory pipe. Mean of N handshakes each, after a warm-up.
 */
import tls from 'node:tls';
import { defaultVerifier, runHandshake } from '../src/lib/tls12/handshake/index.ts';
import { memoryDuplexPair } from '../tests/interop/support/memory-duplex.ts';
import { testPki } from '../tests/interop/support/pki.ts';

const N = 20;

async function opensslHandshake(key: string, cert: string, ca: string): Promise<void> {
  const [a, b] = memoryDuplexPair();
  const server = tls.createServer({
    key,
    cert,
    maxVersion: 'TLSv1.2',
    ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
    ecdhCurve: 'X25519',
  });
  server.emit('connection', b);
  const socket = tls.connect({ socket: a, ca, servername: 'localhost', maxVersion: 'TLSv1.2' });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  socket.destroy();
}

export default {
  name: 'tls12 handshake: ECDHE-RSA-AES128-GCM-SHA256 x25519 RSA-2048 (ours client+server vs OpenSSL client+server)',
  peer: 'node:tls (OpenSSL 3)',
  run: async () => {
    const pki = await testPki();
    const scenario = {
      client: {
        serverName: 'localhost',
        verifier: defaultVerifier({ anchors: [pki.ca.certDer] }),
        suites: [0xc02f],
        groups: [29],
      },
      server: { certificateChain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer },
    };
    const ours = async () => {
      const run = await runHandshake(scenario);
      if (!run.ok) throw new Error(`our handshake failed: ${run.alert?.reason}`);
    };
    const peer = () => opensslHandshake(pki.rsa.keyPem, pki.rsa.certPem, pki.ca.certPem);
    const time = async (f: () => Promise<void>) => {
      for (let i = 0; i < 3; i++) await f();
      const start = performance.now();
      for (let i = 0; i < N; i++) await f();
      return (performance.now() - start) / N;
    };
    const ours_ms = await time(ours);
    const peer_ms = await time(peer);
    return { ours_ms, peer_ms, ratio: ours_ms / peer_ms, handshakes: N };
  },
};
