/**
 * A peer whose first bytes are not TLS at all (an HTTP answer, PostgreSQL spoken to without its SSLRequest): the
 * engine says so, with the bytes, and ends with unexpected_message (RFC 8446 §5: an unknown record type). A review
 * found `tls-lab handshake` against an HTTP server saying "record_overflow: ... length 20527 exceeds the maximum".
 */
import { describe, expect, it } from 'vitest';
import { notTlsStart } from '../../../src/lib/tls12/wire/record.ts';
import { runHandshake13 } from '../../../src/lib/tls13/index.ts';
import { testScenario13 } from '../../kit/pure/scenario13.ts';

describe('bytes that are not TLS', () => {
  it('the server reads an HTTP request where the ClientHello should be', async () => {
    const request = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: db.example.com\r\n\r\n');
    const run = await runHandshake13(await testScenario13({ seed: 'not tls', onPath: () => request }));
    expect(run.ok).toBe(false);
    expect(run.alert).toMatchObject({ from: 'server', name: 'unexpected_message' });
    expect(run.alert?.reason).toBe(
      `the client's first bytes are not TLS: a record starts with a content type from 20 to 24 and a version 03 xx, these bytes start 47 45 54 20 2f 20 48 54 ("GET / HTTP/1.1..Host: db")`,
    );
  });

  it("notTlsStart: a TLS record header passes; PostgreSQL's ErrorResponse and a short start do not", () => {
    expect(notTlsStart(Uint8Array.of(22, 3, 1, 0, 200))).toBeUndefined();
    expect(notTlsStart(Uint8Array.of(21, 3, 3, 0, 2))).toBeUndefined();
    expect(notTlsStart(new TextEncoder().encode('E\0\0\0\x7fSFATAL'))).toMatch(
      /^not TLS: .* start 45 00 00 00 7f 53 46 41 \("E\.\.\.\.SFATAL"\)$/,
    );
    expect(notTlsStart(Uint8Array.of(22))).toBeUndefined();
  });
});
