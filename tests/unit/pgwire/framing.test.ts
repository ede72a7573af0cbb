/**
 * PostgreSQL framing around TLS. Byte layouts from the PostgreSQL 15 documentation, "Message Formats"
 * (SSLRequest: Int32(8) Int32(80877103); StartupMessage: Int32 len, Int32(196608), name/value C strings, 0;
 * ErrorResponse: Byte1('E') Int32 len, (Byte1 code, String)*, 0) and "Error and Notice Message Fields".
 */
import { describe, expect, it } from 'vitest';
import { leafSpans } from '../../../src/lib/bytes/index.ts';
import {
  BackendMessageSplitter,
  decodeBackendMessage,
  decodeSslRequest,
  decodeSslResponse,
  decodeStartupMessage,
  describeBackendMessage,
  encodeSslRequest,
  encodeStartupMessage,
} from '../../../src/lib/pgwire/index.ts';

const ascii = (s: string) => Array.from(new TextEncoder().encode(s));
const be32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function backend(tag: string, body: number[]): Uint8Array {
  return new Uint8Array([tag.charCodeAt(0), ...be32(body.length + 4), ...body]);
}

describe('PostgreSQL framing', () => {
  it('encodes SSLRequest as 00 00 00 08 04 d2 16 2f and decodes it with spans over every byte', () => {
    const bytes = encodeSslRequest();
    expect(Array.from(bytes)).toEqual([0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f]);
    const leaves = leafSpans(decodeSslRequest(bytes).spans);
    expect(leaves.map((s) => [s.id, s.start, s.end])).toEqual([
      ['pg.ssl_request.length', 0, 4],
      ['pg.ssl_request.code', 4, 8],
    ]);
  });

  it('rejects a request code other than 80877103', () => {
    expect(() => decodeSslRequest(new Uint8Array([0, 0, 0, 8, 0, 3, 0, 0]))).toThrow(/80877103/);
  });

  it("reads the server's single answer byte", () => {
    expect(decodeSslResponse(new Uint8Array([0x53])).response).toBe('S');
    expect(decodeSslResponse(new Uint8Array([0x4e])).response).toBe('N');
    expect(() => decodeSslResponse(new Uint8Array([0x16]))).toThrow(/expected 'S' or 'N'/);
  });

  it('encodes a protocol 3.0 StartupMessage byte for byte as the documentation lays it out', () => {
    const bytes = encodeStartupMessage({ user: 'alice', database: 'db', application_name: 'tls-lab' });
    const body = [
      ...be32(196608),
      ...ascii('user'),
      0,
      ...ascii('alice'),
      0,
      ...ascii('database'),
      0,
      ...ascii('db'),
      0,
      ...ascii('application_name'),
      0,
      ...ascii('tls-lab'),
      0,
      0,
    ];
    expect(Array.from(bytes)).toEqual([...be32(body.length + 4), ...body]);
    const decoded = decodeStartupMessage(bytes);
    expect(decoded.params).toEqual({ user: 'alice', database: 'db', application_name: 'tls-lab' });
    const leaves = leafSpans(decoded.spans);
    expect(leaves[0]!.start).toBe(0);
    expect(leaves.at(-1)!.end).toBe(bytes.length);
    for (let i = 1; i < leaves.length; i++) expect(leaves[i]!.start).toBe(leaves[i - 1]!.end);
  });

  it('decodes AuthenticationOk, AuthenticationSASL and AuthenticationMD5Password', () => {
    expect(describeBackendMessage(decodeBackendMessage(backend('R', be32(0))).message)).toBe(
      'AuthenticationOk',
    );
    const sasl = backend('R', [
      ...be32(10),
      ...ascii('SCRAM-SHA-256-PLUS'),
      0,
      ...ascii('SCRAM-SHA-256'),
      0,
      0,
    ]);
    expect(describeBackendMessage(decodeBackendMessage(sasl).message)).toBe(
      'AuthenticationSASL (SCRAM-SHA-256-PLUS, SCRAM-SHA-256)',
    );
    const md5 = decodeBackendMessage(backend('R', [...be32(5), 1, 2, 3, 4])).message;
    expect(md5.type === 'authentication' && Array.from(md5.salt ?? [])).toEqual([1, 2, 3, 4]);
  });

  it('decodes an ErrorResponse into S/V/C/M/D/H fields and a readable FATAL line', () => {
    const fields = [
      ...ascii('S'),
      ...ascii('FATAL'),
      0,
      ...ascii('V'),
      ...ascii('FATAL'),
      0,
      ...ascii('C'),
      ...ascii('28000'),
      0,
      ...ascii('M'),
      ...ascii('no pg_hba.conf entry for host "10.0.0.5", user "app", database "app", SSL encryption'),
      0,
      ...ascii('H'),
      ...ascii('check pg_hba.conf'),
      0,
      0,
    ];
    const { message, spans } = decodeBackendMessage(backend('E', fields));
    expect(message.type === 'error' && message.fields).toEqual({
      S: 'FATAL',
      V: 'FATAL',
      C: '28000',
      M: 'no pg_hba.conf entry for host "10.0.0.5", user "app", database "app", SSL encryption',
      H: 'check pg_hba.conf',
    });
    expect(describeBackendMessage(message)).toBe(
      'FATAL: no pg_hba.conf entry for host "10.0.0.5", user "app", database "app", SSL encryption (SQLSTATE 28000)\nHINT: check pg_hba.conf',
    );
    expect(leafSpans(spans).at(-1)!.end).toBe(fields.length + 5);
  });

  it('splits a backend stream into whole messages whatever the chunking', () => {
    const stream = new Uint8Array([
      ...backend('R', be32(0)),
      ...backend('S', [...ascii('TimeZone'), 0, ...ascii('UTC'), 0]),
      ...backend('Z', ascii('I')),
    ]);
    for (const cut of [1, 3, 7, stream.length]) {
      const splitter = new BackendMessageSplitter();
      const out: Uint8Array[] = [];
      for (let at = 0; at < stream.length; at += cut)
        out.push(...splitter.push(stream.subarray(at, at + cut)));
      expect(out.map((m) => describeBackendMessage(decodeBackendMessage(m).message))).toEqual([
        'AuthenticationOk',
        'ParameterStatus TimeZone=UTC',
        'ReadyForQuery (I)',
      ]);
    }
  });
});
