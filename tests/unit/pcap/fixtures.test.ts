// Real captures made by tcpdump, dumpcap and editcap of openssl s_client/s_server sessions on 127.0.0.1
// (fixtures/pcap/README.md, scripts/record-pcaps.sh), and The Illustrated TLS 1.2 capture (syncsynchalt, MIT).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCapture, readCapture, type TcpConnection } from '../../../src/lib/pcap/index.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(`fixtures/pcap/${name}`));
const summary = (c: TcpConnection) => c.chunks.map((k) => `${k.from}@${k.offset}+${k.bytes.length}`);

describe.each(['tls12', 'tls13'])('the %s session, captured five ways at once', (session) => {
  const files = [
    { name: `${session}-lo.pcap`, format: 'pcap', linkType: 1 },
    { name: `${session}-lo-ns.pcap`, format: 'pcap', linkType: 1 },
    { name: `${session}-lo.pcapng`, format: 'pcapng', linkType: 1 },
    { name: `${session}-any-sll.pcap`, format: 'pcap', linkType: 113 },
    { name: `${session}-any-sll2.pcap`, format: 'pcap', linkType: 276 },
    { name: `${session}-dsb.pcapng`, format: 'pcapng', linkType: 1 },
  ];
  const reference = openCapture(fixture(`${session}-lo.pcap`)).connections[0] as TcpConnection;

  it.each(files)(
    '$name: link type $linkType, one TLS connection to port 4431x with SNI localhost',
    ({ name, format, linkType }) => {
      const file = readCapture(fixture(name));
      expect(file.format).toBe(format);
      expect(new Set(file.packets.map((p) => p.linkType))).toEqual(new Set([linkType]));
      const opened = openCapture(fixture(name));
      expect(opened.warnings).toEqual([]);
      expect(opened.connections).toHaveLength(1);
      const c = opened.connections[0] as TcpConnection;
      expect(c).toMatchObject({ kind: 'tls', sni: 'localhost', clientBy: 'syn', gaps: [] });
      expect(c.server).toEqual({ address: '127.0.0.1', port: session === 'tls12' ? 44312 : 44313 });
      expect(c.client.address).toBe('127.0.0.1');
      expect(c.client.port).not.toBe(c.server.port);
      // Same session, same reassembled streams whatever the tool and link layer.
      expect(summary(c)).toEqual(summary(reference));
      c.chunks.forEach((k, i) => expect(k.bytes).toEqual(reference.chunks[i]?.bytes));
      // Capture times agree to well under a millisecond across tools (µs, ns, pcapng's µs).
      expect(Math.abs(c.firstTime - reference.firstTime)).toBeLessThan(1);
      expect(c.chunks[0]?.bytes[0]).toBe(0x16);
      expect(c.chunks[0]?.from).toBe('client');
      expect(c.chunks[1]?.from).toBe('server');
    },
  );

  it('nanosecond pcap keeps sub-microsecond digits the microsecond one rounds away', () => {
    const micro = readCapture(fixture(`${session}-lo.pcap`)).packets.map((p) => p.time);
    const nano = readCapture(fixture(`${session}-lo-ns.pcap`)).packets.map((p) => p.time);
    expect(nano).toHaveLength(micro.length);
    nano.forEach((t, i) => expect(Math.abs(t - (micro[i] as number))).toBeLessThan(0.5));
    expect(micro.every((t) => Math.abs(t * 1000 - Math.round(t * 1000)) < 1e-3)).toBe(true);
    expect(nano.some((t) => Math.abs(t * 1000 - Math.round(t * 1000)) > 1e-3)).toBe(true);
  });

  it('the Decryption Secrets Block editcap injected holds the key log file, byte for byte', () => {
    const keyLog = readFileSync(`fixtures/pcap/${session}.keys.log`, 'utf8');
    expect(openCapture(fixture(`${session}-dsb.pcapng`)).keyLog).toBe(keyLog);
    expect(openCapture(fixture(`${session}-lo.pcapng`)).keyLog).toBeUndefined();
    expect(keyLog).toMatch(
      session === 'tls12'
        ? /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/m
        : /^CLIENT_HANDSHAKE_TRAFFIC_SECRET /m,
    );
  });
});

describe('The Illustrated TLS 1.2 capture (null/loopback link type, IPv6)', () => {
  const bytes = new Uint8Array(readFileSync('fixtures/tls12-vectors/illustrated-tls12/capture.pcap'));
  const caps = (name: string) =>
    new Uint8Array(readFileSync(`fixtures/tls12-vectors/illustrated-tls12/caps/${name}`));

  it('opens as one TLS connection over ::1 with SNI example.ulfheim.net', () => {
    expect(readCapture(bytes).packets[0]?.linkType).toBe(0);
    const { connections, warnings } = openCapture(bytes);
    expect(warnings).toEqual([]);
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({
      kind: 'tls',
      sni: 'example.ulfheim.net',
      client: { address: '::1', port: 50159 },
      server: { address: '::1', port: 8443 },
    });
  });

  it("the streams hold the site's records: ClientHello first, ServerHello first", () => {
    const c = openCapture(bytes).connections[0] as TcpConnection;
    const client = c.chunks.find((k) => k.from === 'client')?.bytes as Uint8Array;
    const server = c.chunks.find((k) => k.from === 'server')?.bytes as Uint8Array;
    expect(client).toEqual(caps('clienthello'));
    expect(server.subarray(0, caps('serverhello').length)).toEqual(caps('serverhello'));
  });
});

describe('psql sslmode=require against PostgreSQL 15, captured by tcpdump (no key log)', () => {
  it("is found as postgres-ssl: the 8-byte SSLRequest, the server's 'S', then the ClientHello at offset 8", () => {
    const opened = openCapture(fixture('psql-require-lo.pcap'));
    expect(opened.warnings).toEqual([]);
    expect(opened.connections).toHaveLength(1);
    const c = opened.connections[0] as TcpConnection;
    // libpq sends no SNI for an IP address host.
    expect(c).toMatchObject({
      kind: 'postgres-ssl',
      clientBy: 'syn',
      server: { address: '127.0.0.1', port: 44314 },
      gaps: [],
    });
    expect(c.sni).toBeUndefined();
    expect(c.chunks.slice(0, 3).map((k) => [k.from, k.offset, k.bytes.length])).toEqual([
      ['client', 0, 8],
      ['server', 0, 1],
      ['client', 8, c.chunks[2]?.bytes.length],
    ]);
    expect([...(c.chunks[0]?.bytes ?? [])]).toEqual([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
    expect(c.chunks[1]?.bytes[0]).toBe(0x53);
    expect(c.chunks[2]?.bytes.subarray(0, 2)).toEqual(Uint8Array.of(0x16, 0x03));
    expect(c.chunks[2]?.bytes[5]).toBe(1);
  });
});
