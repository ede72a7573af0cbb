/**
 * A Finished mismatch keeps both verify_data values as fields (as rustls keeps expected/got), not only in prose;
 * runHandshake's tampered-Finished cases (run-handshake.test.ts) check the alert and reason both sides send.
 */
import { describe, expect, it } from 'vitest';
import { FinishedMismatch, TlsAlert } from '../../../../src/lib/tls12/handshake/alerts.ts';

describe('FinishedMismatch', () => {
  it('is a decrypt_error alert (RFC 5246 §7.4.9) carrying expected and got', () => {
    const expected = Uint8Array.from({ length: 12 }, (_, i) => i);
    const got = expected.map((b, i) => (i === 0 ? b ^ 1 : b));
    const e = new FinishedMismatch('server', expected, got);
    expect(e).toBeInstanceOf(TlsAlert);
    expect([e.alert, e.description, e.peer]).toEqual(['decrypt_error', 51, 'server']);
    expect(e.expected).toEqual(expected);
    expect(e.got).toEqual(got);
    expect(e.reason).toBe('the server Finished verify_data does not match our transcript (RFC 5246 §7.4.9)');
  });
});
