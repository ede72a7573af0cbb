/**
 * PostgreSQL frontend messages sent around TLS (PostgreSQL docs, "Message Formats" and "SSL Session
 * Encryption", protocol 3.0): SSLRequest, the server's single-byte answer, StartupMessage.
 */
import { Reader, Writer, type Span } from '../bytes/index.ts';

/** SSLRequest: Int32 length 8, Int32 80877103 (0x04d2162f: 1234 in the high half, 5679 in the low). */
export const SSL_REQUEST_CODE = 80877103;
export const SSL_REQUEST = new Uint8Array([0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f]);
/** PostgreSQL 17 direct TLS (sslnegotiation=direct): no SSLRequest, ALPN "postgresql" is required. */
export const POSTGRES_ALPN = 'postgresql';
/** Protocol 3.0: major 3 in the high 16 bits. */
export const PROTOCOL_3_0 = 196608;

export function encodeSslRequest(): Uint8Array {
  return new Writer(8).u32(8).u32(SSL_REQUEST_CODE).finish();
}

export function decodeSslRequest(bytes: Uint8Array): { spans: Span[] } {
  const r = new Reader(bytes);
  r.node('pg.ssl_request', () => {
    const lengthAt = r.offset;
    const length = r.u32('pg.ssl_request.length');
    if (length !== 8)
      r.fail(
        'invalid-value',
        'pg.ssl_request.length',
        `SSLRequest length must be 8, got ${length}`,
        lengthAt,
      );
    const codeAt = r.offset;
    const code = r.u32('pg.ssl_request.code', { show: (v) => `${v >>> 16}.${v & 0xffff} (SSLRequest)` });
    if (code !== SSL_REQUEST_CODE) {
      r.fail(
        'invalid-value',
        'pg.ssl_request.code',
        `expected request code ${SSL_REQUEST_CODE}, got ${code}`,
        codeAt,
      );
    }
  });
  r.expectEnd('pg.ssl_request');
  return { spans: r.spans };
}

export type SslResponse = 'S' | 'N' | 'E';

/** The server's answer to SSLRequest: 'S' (go ahead with TLS), 'N' (no TLS), or 'E' (an ErrorResponse follows). */
export function decodeSslResponse(bytes: Uint8Array): { response: SslResponse; spans: Span[] } {
  const r = new Reader(bytes);
  const b = r.u8('pg.ssl_response', {
    show: (v) =>
      ({ 0x53: "'S': TLS accepted", 0x4e: "'N': TLS refused", 0x45: "'E': error" })[v] ??
      `unexpected 0x${v.toString(16)}`,
  });
  const response = String.fromCharCode(b);
  if (response !== 'S' && response !== 'N' && response !== 'E') {
    r.fail('invalid-value', 'pg.ssl_response', `expected 'S' or 'N', got 0x${b.toString(16)}`, 0);
  }
  r.expectEnd('pg.ssl_response');
  return { response: response as SslResponse, spans: r.spans };
}

export interface StartupParameters {
  user: string;
  database?: string;
  application_name?: string;
  [name: string]: string | undefined;
}

const encoder = new TextEncoder();

/** StartupMessage: Int32 length, Int32 protocol 196608, (name\0 value\0)*, \0. */
export function encodeStartupMessage(params: StartupParameters): Uint8Array {
  const body = new Writer();
  body.u32(PROTOCOL_3_0);
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    body.bytes(encoder.encode(name)).u8(0).bytes(encoder.encode(value)).u8(0);
  }
  body.u8(0);
  const b = body.finish();
  return new Writer(b.length + 4)
    .u32(b.length + 4)
    .bytes(b)
    .finish();
}

export function readCString(r: Reader, field: string): string {
  const rest = r.peek(r.remaining);
  const nul = rest.indexOf(0);
  if (nul < 0) r.fail('truncated', field, 'string without its terminating NUL');
  const text = new TextDecoder().decode(rest.subarray(0, nul));
  r.bytes(nul + 1, field, { show: () => text });
  return text;
}

export function decodeStartupMessage(bytes: Uint8Array): { params: Record<string, string>; spans: Span[] } {
  const r = new Reader(bytes);
  const params: Record<string, string> = {};
  r.node('pg.startup', () => {
    const length = r.u32('pg.startup.length');
    if (length !== bytes.length)
      r.fail('length-mismatch', 'pg.startup.length', `length ${length} but ${bytes.length} bytes`, 0);
    r.u32('pg.startup.protocol', { show: (v) => `${v >>> 16}.${v & 0xffff}` });
    let i = 0;
    while (r.remaining > 1) {
      r.node(`pg.startup.parameter[${i}]`, () => {
        const name = readCString(r, `pg.startup.parameter[${i}].name`);
        params[name] = readCString(r, `pg.startup.parameter[${i}].value`);
      });
      i++;
    }
    r.u8('pg.startup.terminator');
  });
  r.expectEnd('pg.startup');
  return { params, spans: r.spans };
}
