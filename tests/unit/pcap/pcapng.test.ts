// pcapng structure cases built by hand (draft-ietf-opsawg-pcapng: SHB byte-order magic, IDB if_tsresol,
// EPB/SPB/obsolete PB, DSB secrets type 0x544c534b), and our writer read back.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/lib/bytes/index.ts';
import {
  openCapture,
  readCapture,
  writeConnectionPcapng,
  type TcpConnection,
} from '../../../src/lib/pcap/index.ts';
import { chunk, conversation, epb, idb, pcapngBlock, shb, stream, u32s } from './build.ts';

const packets = conversation([chunk('client', 0, 'hello'), chunk('server', 0, 'world')]);
const T0 = 1_700_000_000_123_456n; // µs since the epoch

describe('pcapng reader', () => {
  it('two sections in opposite byte orders, each with its own interfaces and resolutions', () => {
    const first = packets.slice(0, 5);
    const second = packets.slice(5);
    const file = concatBytes(
      shb(true),
      idb(1, undefined, true), // an Ethernet interface nobody uses
      idb(228, 9, true), // raw IPv4, nanoseconds
      ...first.map((p, i) => epb(1, T0 * 1000n + BigInt(i) * 1000n, p.bytes, true)),
      shb(false),
      idb(228, 0x80 | 20, false), // raw IPv4, 2^-20 s units
      ...second.map((p, i) => epb(0, (T0 / 1_000_000n) * 1048576n + BigInt(i), p.bytes, false)),
    );
    const read = readCapture(file);
    expect(read.packets.map((p) => p.linkType)).toEqual(packets.map(() => 228));
    // A double holds ms since the epoch to about 0.25 µs today: compare to the microsecond.
    expect(read.packets[0]?.time).toBeCloseTo(1_700_000_000_123.456, 3);
    expect(read.packets[1]?.time).toBeCloseTo(1_700_000_000_123.457, 3);
    expect(read.packets[5]?.time).toBeCloseTo(1_700_000_000_000, 3);
    expect(read.packets[6]?.time).toBeCloseTo(1_700_000_000_000 + 1000 / 1048576, 3);
    const c = openCapture(file).connections[0] as TcpConnection;
    expect([stream(c.chunks, 'client'), stream(c.chunks, 'server')]).toEqual(['hello', 'world']);
  });

  it('Simple Packet Blocks (no time), obsolete Packet Blocks and unknown blocks skipped by length', () => {
    const spb = (data: Uint8Array) => pcapngBlock(3, concatBytes(u32s(true, data.length), data));
    const pb = (data: Uint8Array) =>
      pcapngBlock(
        2,
        concatBytes(Uint8Array.of(0, 0, 0, 0), u32s(true, 0, 1_000_000, data.length, data.length), data),
      );
    const unknown = pcapngBlock(0x0bad, Uint8Array.of(1, 2, 3, 4, 5));
    const nrb = pcapngBlock(4, u32s(true, 0));
    const file = concatBytes(
      shb(),
      idb(228),
      unknown,
      spb(packets[0]!.bytes),
      pb(packets[1]!.bytes),
      nrb,
      ...packets.slice(2).map((p) => spb(p.bytes)),
    );
    const read = readCapture(file);
    expect(read.warnings).toEqual([]);
    expect(read.packets).toHaveLength(packets.length);
    expect(read.packets[0]?.time).toBeNaN();
    expect(read.packets[1]?.time).toBe(1000);
    const c = openCapture(file).connections[0] as TcpConnection;
    expect([stream(c.chunks, 'client'), stream(c.chunks, 'server')]).toEqual(['hello', 'world']);
  });

  it('Decryption Secrets Blocks: TLS key logs are returned in order, other secret types ignored', () => {
    const dsb = (type: number, text: string) => {
      const bytes = new TextEncoder().encode(text);
      return pcapngBlock(0x0a, concatBytes(u32s(true, type, bytes.length), bytes));
    };
    const file = concatBytes(
      shb(),
      dsb(0x544c534b, 'CLIENT_RANDOM aa bb\n'),
      dsb(0x57474b4c, 'wireguard'),
      idb(228),
      dsb(0x544c534b, 'CLIENT_RANDOM cc dd'),
    );
    const read = readCapture(file);
    expect(read.keyLogs).toEqual(['CLIENT_RANDOM aa bb\n', 'CLIENT_RANDOM cc dd']);
    expect(openCapture(file).keyLog).toBe('CLIENT_RANDOM aa bb\n\nCLIENT_RANDOM cc dd');
  });

  it('a packet on an interface the section does not describe is a warning', () => {
    const file = concatBytes(
      shb(),
      idb(228),
      epb(3, T0, packets[0]!.bytes),
      ...packets.slice(1).map((p) => epb(0, T0, p.bytes)),
    );
    const read = readCapture(file);
    expect(read.warnings).toHaveLength(1);
    expect(read.warnings[0]?.message).toMatch(/interface 3/);
    expect(read.packets).toHaveLength(packets.length - 1);
  });
});

describe('pcapng writer', () => {
  const real = openCapture(new Uint8Array(readFileSync('fixtures/pcap/tls12-dsb.pcapng')));
  const c = real.connections[0] as TcpConnection;

  it('round trip: write a real connection with its key log, read back the same chunks and key log', () => {
    const written = writeConnectionPcapng({
      client: c.client,
      server: c.server,
      chunks: c.chunks,
      keyLog: real.keyLog as string,
      mss: 65000,
    });
    const back = openCapture(written);
    expect(back.format).toBe('pcapng');
    expect(back.keyLog).toBe(real.keyLog);
    expect(back.connections).toHaveLength(1);
    const d = back.connections[0] as TcpConnection;
    expect(d).toMatchObject({
      kind: 'tls',
      sni: 'localhost',
      client: c.client,
      server: c.server,
      clientBy: 'syn',
      gaps: [],
    });
    expect(d.chunks.map(({ from, offset, bytes }) => ({ from, offset, bytes }))).toEqual(
      c.chunks.map(({ from, offset, bytes }) => ({ from, offset, bytes })),
    );
    // Microsecond timestamps: times agree to the microsecond.
    d.chunks.forEach((k, i) => expect(Math.abs(k.time - (c.chunks[i]?.time as number))).toBeLessThan(0.001));
    expect(d.packets).toBe(3 + c.chunks.length + 3);
  });

  it('segments of at most mss bytes: the streams are unchanged, only cut finer', () => {
    const back = openCapture(
      writeConnectionPcapng({ client: c.client, server: c.server, chunks: c.chunks, mss: 100 }),
    ).connections[0] as TcpConnection;
    expect(back.chunks.every((k) => k.bytes.length <= 100)).toBe(true);
    expect(stream(back.chunks, 'client')).toBe(stream(c.chunks, 'client'));
    expect(stream(back.chunks, 'server')).toBe(stream(c.chunks, 'server'));
  });

  it('IPv6 addresses give an IPv6 conversation; a gap in the chunks stays a gap', () => {
    const chunks = [chunk('client', 0, 'abc'), chunk('client', 10, 'xyz'), chunk('server', 0, 'ok')];
    const back = openCapture(
      writeConnectionPcapng({
        client: { address: '2001:db8::10', port: 1 },
        server: { address: 'fe80::1:2', port: 2 },
        chunks,
      }),
    ).connections[0] as TcpConnection;
    expect(back.client).toEqual({ address: '2001:db8::10', port: 1 });
    expect(back.server).toEqual({ address: 'fe80::1:2', port: 2 });
    expect(back.gaps).toEqual([{ from: 'client', offset: 3, length: 7 }]);
  });

  it('IPv4 and TCP checksums verify (RFC 1071: the sum over a correct header is 0xffff)', () => {
    const frames = readCapture(
      writeConnectionPcapng({ client: c.client, server: c.server, chunks: c.chunks }),
    ).packets.map((p) => p.data.subarray(14));
    const fold = (s: number) => {
      while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
      return s;
    };
    const sum = (b: Uint8Array, s = 0) => {
      for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
      return s;
    };
    for (const ip of frames) {
      expect(fold(sum(ip.subarray(0, 20)))).toBe(0xffff);
      const tcp = ip.subarray(20);
      expect(fold(sum(tcp, sum(ip.subarray(12, 20)) + 6 + tcp.length))).toBe(0xffff);
    }
  });
});
