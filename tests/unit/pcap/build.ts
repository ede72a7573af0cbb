/**
 * Tiny capture builders for hand-made byte cases (little- or big-endian pcap, little-endian pcapng blocks), and
 * a synthesised TCP conversation (our writer's `synthesizeConversation`) to cut, reorder and wrap in link layers.
 */
import { concatBytes } from '../../../src/lib/bytes/index.ts';
import { synthesizeConversation, type IpPacket, type StreamChunk } from '../../../src/lib/pcap/index.ts';

export interface Frame {
  time: number;
  data: Uint8Array;
}

function dv(n: number): { b: Uint8Array; v: DataView } {
  const b = new Uint8Array(n);
  return { b, v: new DataView(b.buffer) };
}

/** A classic pcap file. */
export function pcapFile(
  linkType: number,
  frames: readonly Frame[],
  { little = true, nano = false }: { little?: boolean; nano?: boolean } = {},
): Uint8Array {
  const head = dv(24);
  head.v.setUint32(0, nano ? 0xa1b23c4d : 0xa1b2c3d4, little);
  head.v.setUint16(4, 2, little);
  head.v.setUint16(6, 4, little);
  head.v.setUint32(16, 262144, little);
  head.v.setUint32(20, linkType, little);
  const records = frames.map(({ time, data }) => {
    const r = dv(16);
    const seconds = Math.floor(time / 1000);
    const fraction = Math.round((time - seconds * 1000) * (nano ? 1e6 : 1e3));
    r.v.setUint32(0, seconds, little);
    r.v.setUint32(4, fraction, little);
    r.v.setUint32(8, data.length, little);
    r.v.setUint32(12, data.length, little);
    return concatBytes(r.b, data);
  });
  return concatBytes(head.b, ...records);
}

/** One pcapng block with the given body (padded), in either byte order. */
export function pcapngBlock(type: number, body: Uint8Array, little = true): Uint8Array {
  const padded = concatBytes(body, new Uint8Array((4 - (body.length % 4)) % 4));
  const total = 12 + padded.length;
  const head = dv(8);
  head.v.setUint32(0, type, little);
  head.v.setUint32(4, total, little);
  const tail = dv(4);
  tail.v.setUint32(0, total, little);
  return concatBytes(head.b, padded, tail.b);
}

export function u32s(little: boolean, ...values: number[]): Uint8Array {
  const { b, v } = dv(values.length * 4);
  values.forEach((x, i) => v.setUint32(i * 4, x, little));
  return b;
}

export function shb(little = true): Uint8Array {
  return pcapngBlock(
    0x0a0d0d0a,
    concatBytes(
      u32s(little, 0x1a2b3c4d),
      little ? Uint8Array.of(1, 0, 0, 0) : Uint8Array.of(0, 1, 0, 0),
      u32s(little, 0xffffffff, 0xffffffff),
    ),
    little,
  );
}

/** IDB with an optional if_tsresol option. */
export function idb(linkType: number, tsresol?: number, little = true): Uint8Array {
  const { b, v } = dv(8);
  v.setUint16(0, linkType, little);
  v.setUint32(4, 262144, little);
  if (tsresol === undefined) return pcapngBlock(1, b, little);
  const opt = dv(12);
  opt.v.setUint16(0, 9, little);
  opt.v.setUint16(2, 1, little);
  opt.b[4] = tsresol;
  // opt_endofopt after the padded option: code 0, length 0.
  return pcapngBlock(1, concatBytes(b, opt.b), little);
}

export function epb(iface: number, units: bigint, data: Uint8Array, little = true): Uint8Array {
  const high = Number(units >> 32n);
  const low = Number(units & 0xffffffffn);
  return pcapngBlock(6, concatBytes(u32s(little, iface, high, low, data.length, data.length), data), little);
}

/** A synthesised conversation carrying these chunks, as IP packets (SYN, SYN+ACK, ACK, data..., FIN, FIN, ACK). */
export function conversation(
  chunks: StreamChunk[],
  options: { v6?: boolean; mss?: number; clientIsn?: number } = {},
): IpPacket[] {
  return synthesizeConversation({
    client: { address: options.v6 ? '2001:db8::1' : '192.0.2.1', port: 50000 },
    server: { address: options.v6 ? '2001:db8::2' : '192.0.2.2', port: 5432 },
    chunks,
    mss: options.mss ?? 1460,
    ...(options.clientIsn === undefined ? {} : { clientIsn: options.clientIsn }),
  });
}

export function chunk(
  from: 'client' | 'server',
  offset: number,
  text: string,
  time = 1_700_000_000_000,
): StreamChunk {
  return { from, offset, bytes: new TextEncoder().encode(text), time };
}

/** The bytes a direction carried, joined (chunks may be split differently by segmentation). */
export function stream(chunks: readonly StreamChunk[], from: 'client' | 'server'): string {
  return new TextDecoder('latin1').decode(
    concatBytes(...chunks.filter((c) => c.from === from).map((c) => c.bytes)),
  );
}

export const raw = (packets: readonly IpPacket[]): Frame[] =>
  packets.map((p) => ({ time: p.time, data: p.bytes }));
