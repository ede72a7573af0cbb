/**
 * Writes pcapng (big-endian sections, as the shared `Writer` writes): a Section Header Block, one Interface
 * Description Block (Ethernet, microsecond timestamps), a Decryption Secrets Block with the TLS key log when
 * there is one (so Wireshark and tshark decrypt with no settings), then an Enhanced Packet Block per packet.
 * `writeConnectionPcapng` synthesises the TCP conversation (synthesize.ts) of a connection's chunks.
 */
import { Writer } from '../bytes/index.ts';
import { LINKTYPE_ETHERNET } from './link.ts';
import {
  BLOCK_DSB,
  BLOCK_EPB,
  BLOCK_IDB,
  BLOCK_SHB,
  BYTE_ORDER_MAGIC,
  SECRETS_TLS_KEY_LOG,
} from './pcapng.ts';
import { synthesizeConversation, type ConversationInput, type IpPacket } from './synthesize.ts';

const CLIENT_MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x01);
const SERVER_MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x02);
const TWO_32 = 4294967296;

function padding(length: number): Uint8Array {
  return new Uint8Array((4 - (length % 4)) % 4);
}

function block(w: Writer, type: number, body: Uint8Array): void {
  const total = 12 + body.length + padding(body.length).length;
  w.u32(type).u32(total).bytes(body).bytes(padding(body.length)).u32(total);
}

function sectionHeader(w: Writer): void {
  // Major 1, minor 0, section length unknown (-1), no options.
  block(
    w,
    BLOCK_SHB,
    new Writer(16).u32(BYTE_ORDER_MAGIC).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff).finish(),
  );
}

export interface PcapngPacket {
  /** ms since the Unix epoch. */
  time: number;
  /** A whole Ethernet frame. */
  frame: Uint8Array;
}

/** pcapng with one Ethernet interface, the key log (if any) in a Decryption Secrets Block, and the frames. */
export function writePcapng(frames: readonly PcapngPacket[], keyLog?: string): Uint8Array {
  const total = frames.reduce((n, f) => n + f.frame.length + 36, 200 + (keyLog?.length ?? 0) * 3);
  const w = new Writer(total);
  sectionHeader(w);
  block(w, BLOCK_IDB, new Writer(8).u16(LINKTYPE_ETHERNET).u16(0).u32(0).finish());
  if (keyLog !== undefined && keyLog.length > 0) {
    const text = new TextEncoder().encode(keyLog.endsWith('\n') ? keyLog : `${keyLog}\n`);
    const body = new Writer(text.length + 12)
      .u32(SECRETS_TLS_KEY_LOG)
      .u32(text.length)
      .bytes(text)
      .bytes(padding(text.length));
    block(w, BLOCK_DSB, body.finish());
  }
  for (const { time, frame } of frames) {
    const micros = Math.max(0, Math.round(time * 1000));
    const body = new Writer(frame.length + 24)
      .u32(0)
      .u32(Math.floor(micros / TWO_32))
      .u32(micros % TWO_32)
      .u32(frame.length)
      .u32(frame.length)
      .bytes(frame);
    block(w, BLOCK_EPB, body.finish());
  }
  return w.finish();
}

/** An IP packet in an Ethernet frame; `fromClient` picks the source and destination MAC. */
export function ethernetFrame(packet: IpPacket, fromClient: boolean): Uint8Array {
  return new Writer(packet.bytes.length + 14)
    .bytes(fromClient ? SERVER_MAC : CLIENT_MAC)
    .bytes(fromClient ? CLIENT_MAC : SERVER_MAC)
    .u16(packet.version === 4 ? 0x0800 : 0x86dd)
    .bytes(packet.bytes)
    .finish();
}

/** A connection's chunks as a pcapng tshark and Wireshark open and, with `keyLog`, decrypt. */
export function writeConnectionPcapng(input: ConversationInput & { keyLog?: string }): Uint8Array {
  const packets = synthesizeConversation(input);
  const frames = packets.map((p) => ({ time: p.time, frame: ethernetFrame(p, p.fromClient) }));
  return writePcapng(frames, input.keyLog);
}
