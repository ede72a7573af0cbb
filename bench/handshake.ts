/**
 * Full TLS 1.2 handshake, ECDHE-RSA-AES128-GCM-SHA256 over x25519 with an RSA-2048 certificate:
 * our client + our server in one process (runHandshake) vs Node's OpenSSL client + server over an
 * in-memory pipe. After a warm-up of both, short rounds of N handshakes alternate (ours, then OpenSSL's); the
 * ratio is the median of the per-pair ratios, so that load on this shared machine, which drifts over seconds,
 * falls on both sides of each pair alike. ours_ms / peer_ms are the medians of the rounds.
 */
import tls from 'node:tls';
import { runHandshake } from '../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../src/lib/tls12/pki-verifier.ts';
import { memoryDuplexPair } from '../tests/kit/pure/memory-duplex.ts';
import { testPki } from '../tests/kit/pure/pki.ts';

const N = 10;

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
    const peer = () => opensslHandshake(pki.rsa.keyPem, pki.rsa.certPem, pki.ca.certPem);
    // Warm both sides up (JIT, key imports), then alternate rounds of ours and OpenSSL's so that load on this
    // shared machine hits both alike; report the median round of each.
    const WARMUP = 20;
    const ROUNDS = 21;
    for (let i = 0; i < WARMUP; i++) {
      await ours();
      await peer();
    }
    const round = async (f: () => Promise<void>) => {
      const start = performance.now();
      for (let i = 0; i < N; i++) await f();
      return (performance.now() - start) / N;
    };
    const oursRounds: number[] = [];
    const peerRounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      oursRounds.push(await round(ours));
      peerRounds.push(await round(peer));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const ratios = oursRounds.map((o, i) => o / (peerRounds[i] as number));
    return {
      ours_ms: median(oursRounds),
      peer_ms: median(peerRounds),
      ratio: median(ratios),
      target: 2,
      handshakes_per_round: N,
      rounds: ROUNDS,
      ratio_range: [Math.min(...ratios), Math.max(...ratios)],
    };
  },
};
