/**
 * Groups TCP segments into connections (by address/port pair; a fresh SYN with a new initial sequence number
 * after data or a FIN/RST starts a new connection on the same pair), reassembles both directions
 * (reassembly.ts), decides which side is the client (the SYN's sender; else the sender of a ClientHello or
 * SSLRequest; else the first packet's sender) and classifies what each carries (classify.ts).
 */
import { classify, isSslRequest, looksLikeClientHello, streamPrefix } from './classify.ts';
import { mergeDirections, reassemble, type PendingSegment } from './reassembly.ts';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from './segment.ts';
import type { Endpoint, TcpConnection } from './types.ts';

interface Side {
  endpoint: Endpoint;
  /** ISN + 1, from this side's SYN. */
  base?: number;
  isn?: number;
  segments: PendingSegment[];
}

interface Building {
  a: Side;
  b: Side;
  firstTime: number;
  firstOrder: number;
  packets: number;
  /** The side that sent a SYN without ACK (a), or answered with SYN+ACK (b). */
  synClient?: 'a' | 'b';
  ended: boolean;
}

export class ConnectionTracker {
  private readonly open = new Map<string, Building>();
  private readonly done: Building[] = [];

  add(s: TcpSegment, time: number, order: number): void {
    const here = `${s.source}|${s.sourcePort}`;
    const there = `${s.destination}|${s.destinationPort}`;
    const key = here < there ? `${here}|${there}` : `${there}|${here}`;
    let c = this.open.get(key);
    const syn = (s.flags & TCP_SYN) !== 0;
    const bareSyn = syn && (s.flags & TCP_ACK) === 0;
    if (c && bareSyn) {
      const sender = c.a.endpoint.address === s.source && c.a.endpoint.port === s.sourcePort ? c.a : c.b;
      const used = c.ended || c.a.segments.length + c.b.segments.length > 0;
      if (used && sender.isn !== s.seq) {
        this.done.push(c);
        this.open.delete(key);
        c = undefined;
      }
    }
    if (!c) {
      c = {
        a: { endpoint: { address: s.source, port: s.sourcePort }, segments: [] },
        b: { endpoint: { address: s.destination, port: s.destinationPort }, segments: [] },
        firstTime: time,
        firstOrder: order,
        packets: 0,
        ended: false,
      };
      this.open.set(key, c);
    }
    c.packets++;
    const fromA = c.a.endpoint.address === s.source && c.a.endpoint.port === s.sourcePort;
    const side = fromA ? c.a : c.b;
    if (syn && side.isn === undefined) {
      side.isn = s.seq;
      side.base = (s.seq + 1) >>> 0;
      if (c.synClient === undefined) c.synClient = bareSyn === fromA ? 'a' : 'b';
    }
    if (s.flags & (TCP_FIN | TCP_RST)) c.ended = true;
    if (s.payload.length > 0) {
      side.segments.push({ seq: syn ? (s.seq + 1) >>> 0 : s.seq, payload: s.payload, time, order });
    }
  }

  connections(): TcpConnection[] {
    const all = [...this.done, ...this.open.values()].sort((x, y) => x.firstOrder - y.firstOrder);
    return all.map((c, index) => finish(c, index));
  }
}

/** Where the ports a client is given start (Linux: 32768; Windows and the IANA range start higher). */
const EPHEMERAL = 32768;

function finish(c: Building, index: number): TcpConnection {
  const a = reassemble('client', c.a.segments, c.a.base);
  const b = reassemble('server', c.b.segments, c.b.base);
  let chunks = mergeDirections(a.chunks, b.chunks);
  let gaps = [...a.gaps, ...b.gaps];
  let clientBy: TcpConnection['clientBy'] = 'first-packet';
  let aIsClient = true;
  if (c.synClient) {
    clientBy = 'syn';
    aIsClient = c.synClient === 'a';
  } else {
    const aStart = streamPrefix(chunks, 'client', 16);
    const bStart = streamPrefix(chunks, 'server', 16);
    const hello = (x: Uint8Array): boolean => looksLikeClientHello(x) || isSslRequest(x);
    if (hello(aStart) || hello(bStart)) {
      clientBy = 'hello';
      aIsClient = hello(aStart);
    } else if (c.a.endpoint.port < EPHEMERAL !== c.b.endpoint.port < EPHEMERAL) {
      // A capture started mid-connection: one port below the ephemeral range is the server's (443, 5432, ...).
      clientBy = 'port';
      aIsClient = c.b.endpoint.port < EPHEMERAL;
    }
  }
  if (!aIsClient) {
    const swap = <T extends { from: 'client' | 'server' }>(x: T): T => ({
      ...x,
      from: x.from === 'client' ? 'server' : 'client',
    });
    chunks = chunks.map(swap);
    gaps = gaps.map(swap);
  }
  const fromStart = {
    client: (aIsClient ? c.a : c.b).base !== undefined,
    server: (aIsClient ? c.b : c.a).base !== undefined,
  };
  const { kind, sni } = classify(streamPrefix(chunks, 'client'), streamPrefix(chunks, 'server'), fromStart);
  const conn: TcpConnection = {
    index,
    client: aIsClient ? c.a.endpoint : c.b.endpoint,
    server: aIsClient ? c.b.endpoint : c.a.endpoint,
    firstTime: c.firstTime,
    chunks,
    gaps,
    kind,
    packets: c.packets,
    clientBy,
    fromStart,
  };
  if (sni !== undefined) conn.sni = sni;
  return conn;
}
