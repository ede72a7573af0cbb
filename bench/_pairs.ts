import tls from 'node:tls';
import { memoryDuplexPair } from '../tests/kit/pure/memory-duplex.ts';
import { medianOf } from './_median.ts';

/**
 * How both sides of a handshake row are set up, the same for ours and the peer:
 * - `per-connection`: every connection starts from PEM text, as the Handshake Lab and the CLI make theirs (ours:
 *   the scenario built from PEM and a new verifier each time, so the private key is imported again; what the lab's
 *   worker also keeps between runs stays, the last decoded certificates and imported public keys; the peer: a new
 *   server and client context each time);
 * - `once`: keys, certificates and trust are loaded once and serve every connection, as a long-running server or
 *   client does (ours: one scenario object, so the imported key and the decoded anchors are reused; the peer: one
 *   SSL_CTX per side).
 */
export type Setup = 'per-connection' | 'once';

export const SETUP_LABEL: Record<Setup, string> = {
  'per-connection': 'each connection from PEM on both sides, as the lab and the CLI make them',
  once: 'keys and trust loaded once on both sides, as a long-running server and client',
};

/**
 * Node's OpenSSL client and server over an in-memory pipe, the peer of the handshake rows, with the given setup.
 * Each call is one connection: the handshake, then close_notify from the client and close_notify back from the
 * server, the records our runHandshake and runHandshake13 exchange after their handshakes.
 */
export function nodeTlsPeer(
  setup: Setup,
  pems: { key: string; cert: string; ca: string },
  server: tls.TlsOptions,
  client: tls.SecureContextOptions,
): () => Promise<void> {
  const makeServer = () =>
    tls.createServer({ key: pems.key, cert: pems.cert, ...server }, (accepted) => {
      accepted.on('end', () => accepted.end()); // the client's close_notify read: answer with ours
      accepted.on('error', () => undefined); // a failure shows on the client side
      accepted.resume();
    });
  const makeContext = () => tls.createSecureContext({ ca: pems.ca, ...client });
  const once = setup === 'once' ? { server: makeServer(), secureContext: makeContext() } : undefined;
  return async () => {
    const [a, b] = memoryDuplexPair();
    (once?.server ?? makeServer()).emit('connection', b);
    const secureContext = once?.secureContext ?? makeContext();
    const socket = tls.connect({ socket: a, secureContext, servername: 'localhost' });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
        socket.once('close', () => reject(new Error('node:tls peer: closed before the handshake completed')));
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('end', resolve); // the server's close_notify
        socket.once('error', reject);
        socket.once('close', () =>
          reject(new Error("node:tls peer: closed before the server's close_notify")),
        );
        socket.resume();
        socket.end();
      });
    } finally {
      socket.destroy();
    }
  };
}

/**
 * The two rows of a handshake benchmark, one per setup: ours runs `connect` on a scenario built from PEM by
 * `fromPem`, for every connection or once for all, and the peer is nodeTlsPeer with the same setup.
 */
export async function setupRows<S>(args: {
  name: (setup: string) => string;
  target: number;
  fromPem: () => S;
  connect: (scenario: S) => Promise<{ ok: boolean; alert?: { reason?: string } }>;
  pems: { key: string; cert: string; ca: string };
  server: tls.TlsOptions;
  client: tls.SecureContextOptions;
}) {
  const rows = [];
  for (const setup of ['per-connection', 'once'] as const) {
    const peer = nodeTlsPeer(setup, args.pems, args.server, args.client);
    const loaded = args.fromPem();
    const ours = async () => {
      const run = await args.connect(setup === 'once' ? loaded : args.fromPem());
      if (!run.ok) throw new Error(`our handshake failed: ${run.alert?.reason}`);
    };
    rows.push({
      name: args.name(SETUP_LABEL[setup]),
      ...(await alternatingRounds(ours, peer)),
      target: args.target,
    });
  }
  return rows;
}

/**
 * Ours against a peer on a shared machine: after a warm-up of both, short rounds of `perRound` runs alternate
 * (ours, then the peer's); the ratio is the median of the per-pair ratios, so load that drifts over seconds falls
 * on both sides of each pair alike. ours_ms / peer_ms are the medians of the rounds. Shared by the handshake rows.
 */
export async function alternatingRounds(
  ours: () => Promise<void>,
  peer: () => Promise<void>,
  { warmup = 20, rounds = 21, perRound = 10 } = {},
): Promise<{
  ours_ms: number;
  peer_ms: number;
  ratio: number;
  rounds: number;
  handshakes_per_round: number;
  ratio_range: number[];
}> {
  for (let i = 0; i < warmup; i++) {
    await ours();
    await peer();
  }
  const round = async (f: () => Promise<void>) => {
    const start = performance.now();
    for (let i = 0; i < perRound; i++) await f();
    return (performance.now() - start) / perRound;
  };
  const oursRounds: number[] = [];
  const peerRounds: number[] = [];
  for (let r = 0; r < rounds; r++) {
    oursRounds.push(await round(ours));
    peerRounds.push(await round(peer));
  }
  const ratios = oursRounds.map((o, i) => o / (peerRounds[i] as number));
  return {
    ours_ms: medianOf(oursRounds),
    peer_ms: medianOf(peerRounds),
    ratio: medianOf(ratios),
    handshakes_per_round: perRound,
    rounds,
    ratio_range: [Math.min(...ratios), Math.max(...ratios)],
  };
}
