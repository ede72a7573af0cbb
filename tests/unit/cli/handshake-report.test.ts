/**
 * The CLI's words for a handshake's key exchange (src/cli/handshake-report.ts): RFC 7919's finite-field groups are
 * DHE, the curves ECDHE, and a TLS 1.3 handshake without a key share is the pre-shared key alone.
 */
import { describe, expect, it } from 'vitest';
import { groupKeyExchange, summaryLines } from '../../../src/cli/handshake-report.ts';
import type { HandshakeSummary } from '../../../src/lib/tls12/index.ts';

const summary = (extra: Partial<HandshakeSummary>): HandshakeSummary => ({
  version: 0x0304,
  cipherSuite: 0x1301,
  cipherSuiteName: 'TLS_AES_128_GCM_SHA256',
  extendedMasterSecret: false,
  serverCertificates: [],
  clientCertificates: [],
  clientRandom: new Uint8Array(32),
  masterSecret: new Uint8Array(0),
  ...extra,
});

describe('key exchange names', () => {
  it('ffdhe groups (256-511, RFC 7919 §6) are DHE; x25519, P-256 and X448 are ECDHE', () => {
    // Before: "ECDHE ffdhe2048", which tshark names as the finite-field group it is.
    expect(groupKeyExchange(256, 'ffdhe2048')).toBe('DHE ffdhe2048');
    expect(groupKeyExchange(260, 'ffdhe8192')).toBe('DHE ffdhe8192');
    expect(groupKeyExchange(29, 'x25519')).toBe('ECDHE x25519');
    expect(groupKeyExchange(23, 'secp256r1')).toBe('ECDHE secp256r1');
    expect(groupKeyExchange(30, 'x448')).toBe('ECDHE x448');
  });

  it("the summary's line: a group, a TLS 1.3 PSK without (EC)DHE, a TLS 1.2 RSA key transport", () => {
    const line = (s: HandshakeSummary) => summaryLines(s).find((l) => l.startsWith('Key exchange:'));
    expect(line(summary({ group: 256, groupName: 'ffdhe2048' }))).toBe('Key exchange:      DHE ffdhe2048');
    expect(line(summary({}))).toBe(
      'Key exchange:      none: the pre-shared key alone (psk_ke, no forward secrecy)',
    );
    expect(line(summary({ version: 0x0303, cipherSuite: 0x009c }))).toBe(
      'Key exchange:      RSA (no forward secrecy)',
    );
  });
});
