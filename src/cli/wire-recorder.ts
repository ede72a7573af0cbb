/**
 * What `tls-lab handshake --connect ... --pcap-out FILE` writes: the bytes as they went over the socket (each
 * write, each arriving chunk, in that order, with the time it happened), the socket's real addresses and ports,
 * and the connection's key log line, as a pcapng with a Decryption Secrets Block (`src/lib/pcap/write-pcapng.ts`),
 * so Wireshark and tshark open it decrypted with no settings. The TCP around the bytes is drawn, not captured: the
 * handshake, and at the end FINs in the order the two sides closed (a reset is drawn as a FIN).
 */
import net from 'node:net';
import { writeConnectionPcapng, type Direction, type Endpoint, type StreamChunk } from '../lib/pcap/index.ts';

/**
 * Documented placeholders for a socket whose addresses Node cannot tell (RFC 5737 TEST-NET-1 addresses, the
 * first dynamic port for the client); the server keeps the port that was dialled.
 */
export const PLACEHOLDER_CLIENT: Endpoint = { address: '192.0.2.1', port: 49152 };
export const PLACEHOLDER_SERVER_ADDRESS = '192.0.2.2';

export class WireRecorder {
  readonly chunks: StreamChunk[] = [];
  /** Where and when the server closed its side (its FIN arrived), if it did before the client closed. */
  serverClosed: { afterChunks: number; time: number } | undefined;
  readonly #next: Record<Direction, number> = { client: 0, server: 0 };
  #unread = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Bytes one side put on the wire. */
  record(from: Direction, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push({ from, bytes: bytes.slice(), offset: this.#next[from], time: this.now() });
    this.#next[from] += bytes.length;
  }

  /** Listens to what the server sends on `socket` (call before anything is read from it). */
  listen(socket: net.Socket): void {
    socket.on('data', (d: Buffer) => {
      const skip = Math.min(this.#unread, d.length);
      this.#unread -= skip;
      this.record('server', new Uint8Array(d.subarray(skip)));
    });
    socket.on('end', () => {
      if (!socket.writableEnded) this.serverClosed ??= { afterChunks: this.chunks.length, time: this.now() };
    });
  }

  /** `n` bytes were pushed back into the socket (`unshift`): they arrive again and are not new. */
  unread(n: number): void {
    this.#unread += n;
  }
}

/** The socket's two ends, or the documented placeholders when Node does not know them. */
export function endpointsOf(socket: net.Socket, port: number): { client: Endpoint; server: Endpoint } {
  const local = socket.localAddress;
  const remote = socket.remoteAddress;
  const family = (a: string | undefined) => (a ? net.isIP(a) : 0);
  if (
    local &&
    remote &&
    family(local) !== 0 &&
    family(local) === family(remote) &&
    socket.localPort &&
    socket.remotePort
  )
    return {
      client: { address: local, port: socket.localPort },
      server: { address: remote, port: socket.remotePort },
    };
  return { client: PLACEHOLDER_CLIENT, server: { address: PLACEHOLDER_SERVER_ADDRESS, port } };
}

/** The pcapng bytes of a recorded connection, with its key log (if the handshake got that far). */
export function recordedPcapng(
  recorder: WireRecorder,
  ends: { client: Endpoint; server: Endpoint },
  keyLog: string | undefined,
): Uint8Array {
  return writeConnectionPcapng({
    ...ends,
    chunks: recorder.chunks,
    ...(recorder.serverClosed ? { serverClosed: recorder.serverClosed } : {}),
    ...(keyLog ? { keyLog } : {}),
  });
}
