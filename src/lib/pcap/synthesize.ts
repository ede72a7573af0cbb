/**
 * A TCP conversation that carries a connection's byte streams, as IP packets (RFC 9293): the three-way
 * handshake, each chunk cut into segments of at most `mss` bytes with seq/ack numbers that follow both streams
 * (a gap in a stream leaves the same hole in sequence space), then FIN from the client, FIN+ACK, ACK; or, when the
 * server closed first (`serverClosed`), its FIN where it came among the chunks, the client's FIN after the last
 * chunk and the server's ACK. Resets are not drawn: a connection a peer reset ends with FINs here. IPv4
 * (RFC 791, header checksum, DF, incrementing identification) or IPv6 (RFC 8200), chosen by the addresses.
 * Checksums are computed, so Wireshark and tshark flag nothing.
 */
import { concatBytes, Writer } from '../bytes/index.ts';
import { parseAddress } from './address.ts';
import { foldChecksum, sumWords } from './checksum.ts';
import { TCP_ACK, TCP_FIN, TCP_SYN } from './segment.ts';
import type { Direction, Endpoint, StreamChunk } from './types.ts';

export const TCP_PSH = 0x08;

export interface ConversationInput {
  client: Endpoint;
  server: Endpoint;
  /** In wire order; offsets within each direction's stream. */
  chunks: readonly StreamChunk[];
  /** Largest TCP payload per segment (default 1460). */
  mss?: number;
  clientIsn?: number;
  serverIsn?: number;
  /** Time of the SYN when the chunks carry none (ms since the epoch; default 0). */
  startTime?: number;
  /**
   * The server closed its side first: its FIN came after the first `afterChunks` chunks, at `time` (ms since the
   * epoch); the chunks after it (the client's) follow it.
   */
  serverClosed?: { afterChunks: number; time: number };
}

export interface IpPacket {
  time: number;
  /** 4 (IPv4) or 6 (IPv6). */
  version: 4 | 6;
  bytes: Uint8Array;
  fromClient: boolean;
}

const TTL = 64;
const WINDOW = 65535;

export function synthesizeConversation(input: ConversationInput): IpPacket[] {
  const mss = input.mss ?? 1460;
  if (!Number.isInteger(mss) || mss < 1 || mss > 65495) throw new RangeError(`mss ${mss} is not in 1..65495`);
  const clientIp = parseAddress(input.client.address);
  const serverIp = parseAddress(input.server.address);
  if (clientIp.length !== serverIp.length)
    throw new RangeError(
      `client ${input.client.address} and server ${input.server.address} are not the same IP version`,
    );
  const version = clientIp.length === 4 ? 4 : 6;
  const isn: Record<Direction, number> = {
    client: input.clientIsn ?? 0x1000_0000,
    server: input.serverIsn ?? 0x2000_0000,
  };
  /** Bytes of each stream acknowledged by the peer so far (the end of what was sent). */
  const sent: Record<Direction, number> = { client: 0, server: 0 };
  const packets: IpPacket[] = [];
  let id = 1;
  const firstTime = input.chunks.find((c) => Number.isFinite(c.time))?.time ?? input.startTime ?? 0;
  let clock = firstTime - 0.3;
  const at = (time: number): number => {
    clock = Number.isFinite(time) ? Math.max(clock, time) : clock + 0.001;
    return clock;
  };
  const seqOf = (from: Direction, offset: number): number => (isn[from] + 1 + offset) >>> 0;
  const emit = (
    from: Direction,
    time: number,
    seq: number,
    ack: number,
    flags: number,
    payload: Uint8Array,
  ): void => {
    const [src, dst] = from === 'client' ? [clientIp, serverIp] : [serverIp, clientIp];
    const [sport, dport] =
      from === 'client' ? [input.client.port, input.server.port] : [input.server.port, input.client.port];
    const tcp = tcpSegmentBytes(src, dst, sport, dport, seq, ack, flags, payload);
    const ip = version === 4 ? ipv4Packet(src, dst, tcp, id++) : ipv6Packet(src, dst, tcp);
    packets.push({ time: at(time), version, bytes: ip, fromClient: from === 'client' });
  };
  const peer = (d: Direction): Direction => (d === 'client' ? 'server' : 'client');
  const ackOf = (from: Direction): number => seqOf(peer(from), sent[peer(from)]);

  emit('client', clock, isn.client, 0, TCP_SYN, new Uint8Array(0));
  emit('server', clock + 0.1, isn.server, seqOf('client', 0), TCP_SYN | TCP_ACK, new Uint8Array(0));
  emit('client', clock + 0.1, seqOf('client', 0), seqOf('server', 0), TCP_ACK, new Uint8Array(0));
  const fin = (from: Direction, flags: number, time = clock): void => {
    emit(from, time, seqOf(from, sent[from]), ackOf(from), flags, new Uint8Array(0));
  };
  let serverFin = false;
  const closeServer = (time: number): void => {
    fin('server', TCP_FIN | TCP_ACK, time);
    sent.server += 1; // the FIN takes one sequence number
    serverFin = true;
  };
  const closed = input.serverClosed;
  for (const [n, c] of input.chunks.entries()) {
    if (closed && !serverFin && n >= closed.afterChunks) closeServer(closed.time);
    for (let i = 0; i < c.bytes.length; i += mss) {
      const piece = c.bytes.subarray(i, i + mss);
      const last = i + mss >= c.bytes.length;
      emit(c.from, c.time, seqOf(c.from, c.offset + i), ackOf(c.from), TCP_ACK | (last ? TCP_PSH : 0), piece);
    }
    sent[c.from] = Math.max(sent[c.from], c.offset + c.bytes.length);
  }
  if (closed && !serverFin) closeServer(closed.time);
  fin('client', TCP_FIN | TCP_ACK);
  sent.client += 1; // the FIN takes one sequence number
  if (serverFin) fin('server', TCP_ACK);
  else {
    closeServer(clock);
    fin('client', TCP_ACK);
  }
  return packets;
}

function tcpSegmentBytes(
  src: Uint8Array,
  dst: Uint8Array,
  sport: number,
  dport: number,
  seq: number,
  ack: number,
  flags: number,
  payload: Uint8Array,
): Uint8Array {
  // Data offset 5 (no options), checksum and urgent pointer 0 until the checksum is known.
  const header = new Writer(20)
    .u16(sport)
    .u16(dport)
    .u32(seq)
    .u32(flags & TCP_ACK ? ack : 0)
    .u8(5 << 4)
    .u8(flags)
    .u16(WINDOW)
    .u32(0)
    .finish();
  const length = header.length + payload.length;
  // Pseudo-header: addresses, protocol 6, TCP length (RFC 9293 §3.1; RFC 8200 §8.1 for IPv6).
  let sum = sumWords(src);
  sum = sumWords(dst, sum);
  sum += 6 + length;
  sum = sumWords(header, sum);
  sum = sumWords(payload, sum);
  const checksum = foldChecksum(sum);
  header[16] = checksum >> 8;
  header[17] = checksum & 0xff;
  return concatBytes(header, payload);
}

function ipv4Packet(src: Uint8Array, dst: Uint8Array, tcp: Uint8Array, id: number): Uint8Array {
  // Version 4, IHL 5, DSCP 0; Don't Fragment; protocol 6; checksum 0 until it is known.
  const header = new Writer(20)
    .u8(0x45)
    .u8(0)
    .u16(20 + tcp.length)
    .u16(id & 0xffff)
    .u16(0x4000)
    .u8(TTL)
    .u8(6)
    .u16(0)
    .bytes(src)
    .bytes(dst)
    .finish();
  const checksum = foldChecksum(sumWords(header));
  header[10] = checksum >> 8;
  header[11] = checksum & 0xff;
  return concatBytes(header, tcp);
}

function ipv6Packet(src: Uint8Array, dst: Uint8Array, tcp: Uint8Array): Uint8Array {
  // Version 6, traffic class and flow label 0, next header TCP.
  return new Writer(40 + tcp.length)
    .u32(0x60000000)
    .u16(tcp.length)
    .u8(6)
    .u8(TTL)
    .bytes(src)
    .bytes(dst)
    .bytes(tcp)
    .finish();
}
