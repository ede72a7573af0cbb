// Finding the TLS in a capture: plain TLS on any port, PostgreSQL's SSLRequest (protocol.sgml: length 8, code
// 80877103) + 'S' + TLS, PostgreSQL 17 direct TLS (ALPN "postgresql"), and connections that carry no TLS.
// ClientHellos are made with the tls12 encoder; the real ones come from the openssl fixtures.
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/lib/bytes/index.ts';
import {
  openCapture,
  SSL_REQUEST,
  tlsConnections,
  type StreamChunk,
  type TcpConnection,
} from '../../../src/lib/pcap/index.ts';
import { encodeClientHello, encodeRecord, fragmentIntoRecords } from '../../../src/lib/tls12/index.ts';
import { chunk, conversation, pcapFile, raw } from './build.ts';

const hello = (alpn: string[], sni?: string) =>
  encodeClientHello({
    clientVersion: 0x0303,
    random: new Uint8Array(32).fill(7),
    sessionId: new Uint8Array(0),
    cipherSuites: [0xc02f],
    compressionMethods: [0],
    extensions: [
      ...(sni ? [{ kind: 'server_name' as const, names: [{ nameType: 0, hostName: sni }] }] : []),
      ...(alpn.length ? [{ kind: 'alpn' as const, protocols: alpn }] : []),
    ],
  });
const record = (message: Uint8Array) => encodeRecord({ contentType: 22, version: 0x0301, fragment: message });
const bin = (from: 'client' | 'server', offset: number, bytes: Uint8Array): StreamChunk => ({
  from,
  offset,
  bytes,
  time: 1_700_000_000_000,
});
const serverHelloish = Uint8Array.of(0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00);

function only(chunks: StreamChunk[]): TcpConnection {
  const opened = openCapture(pcapFile(228, raw(conversation(chunks))));
  expect(opened.connections).toHaveLength(1);
  return opened.connections[0] as TcpConnection;
}

describe('finding the TLS', () => {
  it('TLS on a port that is not 443 (5432 here), with its SNI', () => {
    const c = only([bin('client', 0, record(hello([], 'db.example'))), bin('server', 0, serverHelloish)]);
    expect(c).toMatchObject({ kind: 'tls', sni: 'db.example' });
  });

  it("PostgreSQL SSLRequest, 'S', then TLS: postgres-ssl, SNI read after the 8-byte request", () => {
    const tls = record(hello([], 'pg.example'));
    const c = only([
      bin('client', 0, SSL_REQUEST),
      chunk('server', 0, 'S'),
      bin('client', 8, tls),
      bin('server', 1, serverHelloish),
    ]);
    expect(c).toMatchObject({ kind: 'postgres-ssl', sni: 'pg.example' });
  });

  it("PostgreSQL SSLRequest refused with 'N' is not TLS", () => {
    const c = only([
      bin('client', 0, SSL_REQUEST),
      chunk('server', 0, 'N'),
      chunk('client', 8, '\x00\x00\x00\x09\x00\x03\x00\x00\x00'),
    ]);
    expect(c.kind).toBe('other');
  });

  it('PostgreSQL 17 direct TLS: a ClientHello offering ALPN postgresql', () => {
    const c = only([
      bin('client', 0, record(hello(['postgresql'], 'pg17.example'))),
      bin('server', 0, serverHelloish),
    ]);
    expect(c).toMatchObject({ kind: 'postgres-direct-tls', sni: 'pg17.example' });
    expect(only([bin('client', 0, record(hello(['h2', 'http/1.1'])))]).kind).toBe('tls');
  });

  it('a ClientHello split over two records and three TCP segments still gives its SNI', () => {
    const message = hello(['postgresql'], 'split.example');
    const records = fragmentIntoRecords(22, 0x0301, message, 30).map(encodeRecord);
    const bytes = concatBytes(...records);
    const c = only([
      bin('client', 0, bytes.subarray(0, 10)),
      bin('client', 10, bytes.subarray(10, 50)),
      bin('client', 50, bytes.subarray(50)),
    ]);
    expect(records.length).toBeGreaterThan(1);
    expect(c).toMatchObject({ kind: 'postgres-direct-tls', sni: 'split.example' });
  });

  it('a capture with no TLS lists its connections as other, and tlsConnections is empty', () => {
    const opened = openCapture(
      pcapFile(
        228,
        raw(
          conversation([
            chunk('client', 0, 'GET / HTTP/1.0\r\n\r\n'),
            chunk('server', 0, 'HTTP/1.0 200 OK\r\n\r\n'),
          ]),
        ),
      ),
    );
    expect(opened.connections.map((c) => c.kind)).toEqual(['other']);
    expect(tlsConnections(opened)).toEqual([]);
  });

  it('a capture started after the handshake: records of any type in both directions are TLS; other bytes are not', () => {
    const record = (type: number, n: number) =>
      concatBytes(Uint8Array.of(type, 3, 3, 0, n), new Uint8Array(n).fill(9));
    const kinds = (client: Uint8Array, server: Uint8Array) =>
      openCapture(
        pcapFile(
          228,
          raw(
            conversation([
              { from: 'client', offset: 0, bytes: client, time: 1_700_000_000_000 },
              { from: 'server', offset: 0, bytes: server, time: 1_700_000_000_001 },
            ]),
          ),
        ),
      ).connections.map((c) => c.kind);
    expect(kinds(concatBytes(record(23, 30), record(21, 26)), record(23, 30))).toEqual(['tls']);
    // A length no peer may send, a content type that is not TLS's, a record version 3.5: not TLS.
    expect(kinds(Uint8Array.of(23, 3, 3, 0x50, 0x01), record(23, 30))).toEqual(['other']);
    expect(kinds(record(24, 30), record(23, 30))).toEqual(['other']);
    expect(kinds(Uint8Array.of(23, 3, 5, 0, 1, 0), record(23, 30))).toEqual(['other']);
    // PostgreSQL without TLS: a StartupMessage.
    expect(kinds(Uint8Array.of(0, 0, 0, 8, 0, 3, 0, 0), Uint8Array.of(0x52, 0, 0, 0, 8))).toEqual(['other']);
  });

  it('without the SYN or a hello, the port below the ephemeral range is the server; else the guess is labelled', () => {
    const record = concatBytes(Uint8Array.of(23, 3, 3, 0, 30), new Uint8Array(30).fill(9));
    const packets = conversation([
      { from: 'client', offset: 0, bytes: record, time: 1_700_000_000_000 },
      { from: 'server', offset: 0, bytes: record, time: 1_700_000_000_001 },
    ]);
    // The handshake packets (SYN, SYN+ACK, ACK) left out, the server's data first: a capture started mid-connection.
    const data = packets.filter((p) => p.bytes.length > 64).reverse();
    const [c] = openCapture(pcapFile(228, raw(data))).connections;
    expect(c).toMatchObject({
      clientBy: 'port',
      client: { port: 50000 },
      server: { port: 5432 },
      kind: 'tls',
    });
  });

  it('several connections in one file: listed in order of first packet, with kind, SNI and first time', () => {
    const other = conversation([chunk('client', 0, 'plain text')]);
    const tls = conversation([bin('client', 0, record(hello([], 'second.example')))], { clientIsn: 99 }).map(
      (p) => ({ ...p, time: p.time + 5000 }),
    );
    const both = openCapture(pcapFile(228, raw([...other, ...tls])));
    expect(both.connections.map((c) => [c.index, c.kind, c.sni, c.firstTime])).toEqual([
      [0, 'other', undefined, other[0]?.time],
      [1, 'tls', 'second.example', tls[0]?.time],
    ]);
    expect(tlsConnections(both).map((c) => c.index)).toEqual([1]);
  });
});
