// Hand-built frames around one synthesised conversation: every link type, byte order, VLAN tags, IPv6
// extension headers, IPv4 options and fragments. Link-layer layouts from the tcpdump.org LINKTYPE pages.
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/lib/bytes/index.ts';
import { openCapture, type IpPacket, type TcpConnection } from '../../../src/lib/pcap/index.ts';
import { chunk, conversation, pcapFile, raw, stream, type Frame } from './build.ts';

const chunks = [
  chunk('client', 0, 'ping from the client'),
  chunk('server', 0, 'pong from the server'),
  chunk('client', 20, '!'),
];
const v4 = conversation(chunks);
const v6 = conversation(chunks, { v6: true });

function only(file: Uint8Array): TcpConnection {
  const opened = openCapture(file);
  expect(opened.warnings).toEqual([]);
  expect(opened.connections).toHaveLength(1);
  return opened.connections[0] as TcpConnection;
}

function expectConversation(c: TcpConnection, v6addr = false): void {
  expect(c.client).toEqual({ address: v6addr ? '2001:db8::1' : '192.0.2.1', port: 50000 });
  expect(c.server).toEqual({ address: v6addr ? '2001:db8::2' : '192.0.2.2', port: 5432 });
  expect(c.clientBy).toBe('syn');
  expect(stream(c.chunks, 'client')).toBe('ping from the client!');
  expect(stream(c.chunks, 'server')).toBe('pong from the server');
  expect(c.chunks.map((k) => k.from)).toEqual(['client', 'server', 'client']);
  expect(c.packets).toBe(v4.length);
}

const ethertype = (p: IpPacket) => (p.version === 4 ? [0x08, 0x00] : [0x86, 0xdd]);
const wrap = (packets: IpPacket[], head: (p: IpPacket) => number[]): Frame[] =>
  packets.map((p) => ({ time: p.time, data: concatBytes(Uint8Array.from(head(p)), p.bytes) }));
const macs = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];

describe('link types', () => {
  it.each([
    ['Ethernet', 1, (p: IpPacket) => [...macs, ...ethertype(p)]],
    ['Ethernet + 802.1Q VLAN 42', 1, (p: IpPacket) => [...macs, 0x81, 0x00, 0x00, 42, ...ethertype(p)]],
    [
      'Ethernet + 802.1ad + 802.1Q (QinQ)',
      1,
      (p: IpPacket) => [...macs, 0x88, 0xa8, 0, 7, 0x81, 0x00, 0, 42, ...ethertype(p)],
    ],
    ['null, little-endian AF_INET', 0, (p: IpPacket) => (p.version === 4 ? [2, 0, 0, 0] : [30, 0, 0, 0])],
    ['null, big-endian AF_INET', 0, (p: IpPacket) => (p.version === 4 ? [0, 0, 0, 2] : [0, 0, 0, 24])],
    ['OpenBSD loop', 108, (p: IpPacket) => (p.version === 4 ? [0, 0, 0, 2] : [0, 0, 0, 24])],
    ['raw (101)', 101, () => []],
    ['Linux SLL', 113, (p: IpPacket) => [0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, ...ethertype(p)]],
    [
      'Linux SLL2',
      276,
      (p: IpPacket) => [...ethertype(p), 0, 0, 0, 0, 0, 1, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0],
    ],
  ])('%s, over IPv4 and IPv6', (_name, linkType, head) => {
    expectConversation(only(pcapFile(linkType, wrap(v4, head))));
    expectConversation(only(pcapFile(linkType, wrap(v6, head))), true);
  });

  it('raw IPv4 (228) and raw IPv6 (229)', () => {
    expectConversation(only(pcapFile(228, raw(v4))));
    expectConversation(only(pcapFile(229, raw(v6))), true);
  });

  it('Ethernet frames that are not IP (ARP) are passed over without a warning', () => {
    const arp = { time: 0, data: Uint8Array.from([...macs, 0x08, 0x06, ...new Array<number>(28).fill(0)]) };
    expectConversation(only(pcapFile(1, [arp, ...wrap(v4, (p) => [...macs, ...ethertype(p)])])));
  });
});

describe('byte order and resolution of pcap files', () => {
  it.each([
    { little: true, nano: false },
    { little: false, nano: false },
    { little: true, nano: true },
    { little: false, nano: true },
  ])('little=$little nano=$nano', (options) => {
    const c = only(pcapFile(228, raw(v4), options));
    expectConversation(c);
    expect(c.firstTime).toBeCloseTo(v4[0]?.time as number, 3);
  });
});

describe('IP layer', () => {
  it('IPv4 header options are skipped by IHL', () => {
    const withOptions = v4.map((p) => {
      const b = concatBytes(p.bytes.subarray(0, 20), Uint8Array.of(1, 1, 1, 0), p.bytes.subarray(20)); // NOP NOP NOP EOL
      b[0] = 0x46;
      const total = b.length;
      b[2] = total >> 8;
      b[3] = total & 0xff;
      return { ...p, bytes: b };
    });
    expectConversation(only(pcapFile(228, raw(withOptions))));
  });

  it('IPv6 extension headers (hop-by-hop, destination options) are skipped', () => {
    const withExtensions = v6.map((p) => {
      const hop = Uint8Array.of(60, 0, 1, 4, 0, 0, 0, 0); // next: destination options; PadN
      const dest = Uint8Array.of(6, 1, 1, 12, ...new Array<number>(12).fill(0)); // next: TCP; 16 bytes
      const b = concatBytes(p.bytes.subarray(0, 40), hop, dest, p.bytes.subarray(40));
      b[6] = 0; // next header: hop-by-hop
      const length = b.length - 40;
      b[4] = length >> 8;
      b[5] = length & 0xff;
      return { ...p, bytes: b };
    });
    expectConversation(only(pcapFile(229, raw(withExtensions))), true);
  });

  it('an IPv4 fragment is reported as a warning with its packet index and offset, not reassembled', () => {
    const fragmented = v4.map((p, i) => {
      if (i !== 3) return p;
      const b = p.bytes.slice();
      b[6] = 0x20; // more fragments
      return { ...p, bytes: b };
    });
    const file = pcapFile(228, raw(fragmented));
    const opened = openCapture(file);
    expect(opened.warnings).toHaveLength(1);
    expect(opened.warnings[0]?.packet).toBe(3);
    expect(opened.warnings[0]?.message).toMatch(/fragment/);
    // 24-byte global header, then three records of 16 + their length.
    const offset = 24 + v4.slice(0, 3).reduce((n, p) => n + 16 + p.bytes.length, 0);
    expect(opened.warnings[0]?.offset).toBe(offset);
    // The fragment held the client's first chunk: the stream has a gap there.
    const c = opened.connections[0] as TcpConnection;
    expect(c.gaps).toEqual([{ from: 'client', offset: 0, length: 20 }]);
  });

  it('Ethernet padding after a short IPv4 packet is not taken as TCP payload', () => {
    const padded = wrap(v4, (p) => [...macs, ...ethertype(p)]).map((f) => ({
      ...f,
      data: concatBytes(f.data, new Uint8Array(6)),
    }));
    expectConversation(only(pcapFile(1, padded)));
  });
});
