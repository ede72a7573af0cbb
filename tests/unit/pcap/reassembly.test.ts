// TCP reassembly cases built from a synthesised conversation whose packets are reordered, repeated, dropped
// or altered (RFC 9293 sequence space). Policy under test (reassembly.ts): the copy that starts earliest in the
// stream wins, at the same start the first captured; a hole is a gap at its offset.
import { describe, expect, it } from 'vitest';
import { openCapture, type IpPacket, type TcpConnection } from '../../../src/lib/pcap/index.ts';
import { chunk, conversation, pcapFile, raw, stream } from './build.ts';

const open = (packets: IpPacket[]): TcpConnection => {
  const opened = openCapture(pcapFile(228, raw(packets)));
  expect(opened.connections).toHaveLength(1);
  return opened.connections[0] as TcpConnection;
};

/** IPv4 payload offset of the TCP payload (20-byte IP + 20-byte TCP headers in synthesised packets). */
const TCP_PAYLOAD = 40;

/** The same packet with its TCP payload bytes replaced (same length; checksums are not our reader's concern). */
function withPayload(p: IpPacket, text: string): IpPacket {
  const bytes = p.bytes.slice();
  bytes.set(new TextEncoder().encode(text), TCP_PAYLOAD);
  return { ...p, bytes };
}

// Client sends "abcdefghij" as 5 segments of 2 bytes: packets 3..7; the server answers "OK" (packet 8).
const base = conversation([chunk('client', 0, 'abcdefghij'), chunk('server', 0, 'OK')], { mss: 2 });
const data = base.slice(3, 8);
const handshake = base.slice(0, 3);
const rest = base.slice(8);

describe('TCP reassembly', () => {
  it('in order', () => {
    const c = open(base);
    expect(stream(c.chunks, 'client')).toBe('abcdefghij');
    expect(c.chunks.map((k) => k.offset)).toEqual([0, 2, 4, 6, 8, 0]);
    expect(c.gaps).toEqual([]);
  });

  it('out of order: segments are placed by sequence number and released when contiguous', () => {
    const shuffled = [data[1], data[0], data[4], data[2], data[3]] as IpPacket[];
    const c = open([...handshake, ...shuffled, ...rest]);
    expect(stream(c.chunks, 'client')).toBe('abcdefghij');
    expect(c.chunks.filter((k) => k.from === 'client').map((k) => k.offset)).toEqual([0, 2, 4, 6, 8]);
    expect(c.gaps).toEqual([]);
  });

  it('the server reply stays after the client bytes that became readable before it', () => {
    const late = [data[0], data[1], data[3], data[4]] as IpPacket[];
    // The segment at offset 4 arrives only after the server's reply: offsets 4..9 become readable then.
    const c = open([...handshake, ...late, ...rest.slice(0, 1), data[2] as IpPacket, ...rest.slice(1)]);
    expect(c.chunks.map((k) => `${k.from}@${k.offset}`)).toEqual([
      'client@0',
      'client@2',
      'server@0',
      'client@4',
      'client@6',
      'client@8',
    ]);
  });

  it('retransmissions are dropped: the first copy wins', () => {
    const again = withPayload(data[1] as IpPacket, 'XX');
    const c = open([...handshake, ...data.slice(0, 2), again, ...data.slice(2), ...rest]);
    expect(stream(c.chunks, 'client')).toBe('abcdefghij');
    expect(c.packets).toBe(base.length + 1);
  });

  it('overlap: a later segment covering old and new bytes adds only the new ones', () => {
    // A 4-byte segment at offset 2 ("XXef" with the first two bytes differing) replaces the 2-byte ones at 2 and 4.
    const big = conversation(
      [
        chunk('client', 0, 'ab'),
        chunk('client', 2, 'XXef'),
        chunk('client', 6, 'ghij'),
        chunk('server', 0, 'OK'),
      ],
      { mss: 4 },
    );
    const mixed = [...big.slice(0, 3), data[0], data[1], big[4], ...big.slice(5)] as IpPacket[];
    const c = open(mixed);
    // data[1] ("cd" at offset 2) was captured first and starts at the same offset: it wins; "ef" is new.
    expect(stream(c.chunks, 'client')).toBe('abcdefghij');
  });

  it('overlap: the copy that starts earlier in the stream wins over one captured earlier', () => {
    const big = conversation(
      [chunk('client', 0, 'abcd'), chunk('client', 4, 'efghij'), chunk('server', 0, 'OK')],
      { mss: 4 },
    );
    // Captured first: "cd" at 2 altered to "ZZ"; then "abcd" at 0 (starts earlier, so it wins for 2..3).
    const c = open([...big.slice(0, 3), withPayload(data[1] as IpPacket, 'ZZ'), ...big.slice(3)]);
    expect(stream(c.chunks, 'client')).toBe('abcdefghij');
  });

  it('a missing segment is a gap at its stream offset, and the rest still arrives', () => {
    const c = open([...handshake, data[0], data[1], data[3], data[4], ...rest] as IpPacket[]);
    expect(c.gaps).toEqual([{ from: 'client', offset: 4, length: 2 }]);
    expect(stream(c.chunks, 'client')).toBe('abcdghij');
    expect(c.chunks.filter((k) => k.from === 'client').map((k) => k.offset)).toEqual([0, 2, 6, 8]);
  });

  it('a connection seen mid-way (no SYN) starts at offset 0 with its first captured byte', () => {
    const c = open([...data.slice(2), ...rest]);
    // No SYN, no hello: the server is the endpoint below the ephemeral range (5432 here, against 50000).
    expect(c.clientBy).toBe('port');
    expect(stream(c.chunks, 'client')).toBe('efghij');
    expect(c.chunks[0]).toMatchObject({ from: 'client', offset: 0 });
  });

  it('mid-way, the ClientHello sender is the client even when the server speaks first in the capture', () => {
    const hello = '\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00';
    const packets = conversation([chunk('server', 0, 'late server bytes'), chunk('client', 0, hello)]).slice(
      3,
      5,
    );
    const c = open(packets);
    expect(c.clientBy).toBe('hello');
    expect(c.client).toEqual({ address: '192.0.2.1', port: 50000 });
  });

  it('sequence numbers that wrap past 2^32', () => {
    const wrapped = conversation([chunk('client', 0, 'abcdefghij'), chunk('server', 0, 'OK')], {
      mss: 2,
      clientIsn: 0xfffffffb,
    });
    const c = open(wrapped);
    expect(stream(c.chunks, 'client')).toBe('abcdefghij');
    expect(c.gaps).toEqual([]);
  });

  it('a new SYN on the same addresses and ports after the first connection ended starts a second connection', () => {
    const second = conversation([chunk('client', 0, 'again'), chunk('server', 0, 'yes')], {
      clientIsn: 0x5000,
    });
    const opened = openCapture(pcapFile(228, raw([...base, ...second])));
    expect(opened.connections.map((c) => stream(c.chunks, 'client'))).toEqual(['abcdefghij', 'again']);
    expect(opened.connections.map((c) => c.index)).toEqual([0, 1]);
  });
});
