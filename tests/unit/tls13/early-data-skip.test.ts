/**
 * Our TLS 1.3 server never accepts 0-RTT early data: it skips the client's early records (RFC 8446 §4.2.10), up to
 * 2^14 bytes of plaintext as OpenSSL's server does by default, and fails a client that sends more. The ClientHello
 * offers early_data through the client's extension layout; the early records stand on the path after it, as a
 * resuming client sends them (tests/interop/tls13-openssl.test.ts has the real s_client -early_data).
 */
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/lib/bytes/index.ts';
import { pemToDer } from '../../../src/lib/tls12/index.ts';
import { pkiVerifier } from '../../../src/lib/tls12/pki-verifier.ts';
import { ExtensionType } from '../../../src/lib/tls12/wire/code-points.ts';
import { runHandshake13, type Scenario13 } from '../../../src/lib/tls13/index.ts';
import { testPki, type TestPki } from '../../kit/pure/pki.ts';

const serverOf = (pki: TestPki) => ({
  certificates: [
    {
      chain: pemToDer(pki.rsa.certPem, 'CERTIFICATE'),
      privateKey: pemToDer(pki.rsa.keyPem, 'PRIVATE KEY')[0] as Uint8Array,
    },
  ],
});

/** A protected-looking record of `length` bytes that no key of this connection opens. */
const earlyRecord = (length: number) =>
  concatBytes(Uint8Array.of(23, 3, 3, length >> 8, length & 0xff), new Uint8Array(length).fill(0x5a));

/**
 * A run whose client offers early_data in its first ClientHello and sends `early` after it; with `retry`, our server
 * takes only P-384 and asks again, and `afterSecondHello` stands on the path before the client's second flight.
 */
async function run(early: Uint8Array[], retry?: { afterSecondHello: Uint8Array }) {
  const pki = await testPki();
  let first = true;
  let hellos = 0;
  const scenario: Scenario13 = {
    client: {
      serverName: 'localhost',
      verifier: pkiVerifier({ anchors: pemToDer(pki.ca.certPem, 'CERTIFICATE') }),
      // RFC 8446 §4.2.10: a second ClientHello (after a HelloRetryRequest) does not offer early data.
      extensionLayout: (message, ours) =>
        message === 'client_hello' && hellos++ === 0
          ? [...ours, { kind: 'unknown', type: ExtensionType.values.early_data, data: new Uint8Array(0) }]
          : ours,
      ...(retry ? { groups: [29, 24] } : {}),
    },
    server: serverOf(pki),
    seed: 'early data skip',
    ...(retry ? { server: { ...serverOf(pki), groups: [24] } } : {}),
    onPath: (bytes) => {
      if (first) {
        first = false;
        return concatBytes(bytes, ...early);
      }
      // The client's second flight begins with its protected records (type 23): the garbage goes before them.
      if (retry && bytes[0] === 23 && hellos === 2) {
        hellos++;
        return concatBytes(retry.afterSecondHello, bytes);
      }
      return bytes;
    },
  };
  return runHandshake13(scenario);
}

describe('our TLS 1.3 server and 0-RTT early data it does not accept', () => {
  it('skips the early records, and the handshake completes', async () => {
    // Before, the first of them ended the connection: bad_record_mac (the run's log holds each record once, from its
    // sender: the server's skipped entries are checked in the interop test).
    const r = await run([earlyRecord(100), earlyRecord(16_000 - 200)]);
    expect(r.ok, r.alert?.reason).toBe(true);
    expect(r.summary?.helloRetryRequest).toBe(false);
  });

  it('after a HelloRetryRequest, skips only what came before the second ClientHello', async () => {
    // A review found the skipping going on into the second handshake: a record the client's handshake keys do not
    // open there is bad_record_mac, as when no early data was offered.
    const ok = await run([earlyRecord(100)], { afterSecondHello: new Uint8Array(0) });
    expect(ok.ok, ok.alert?.reason).toBe(true);
    expect(ok.summary?.helloRetryRequest).toBe(true);
    const bad = await run([earlyRecord(100)], { afterSecondHello: earlyRecord(200) });
    expect(bad.alert).toMatchObject({ name: 'bad_record_mac', from: 'server' });
  });

  it('fails a client that sends more than 2^14 bytes of it: unexpected_message', async () => {
    const r = await run([earlyRecord(16_000), earlyRecord(1_000)]);
    expect(r.ok).toBe(false);
    expect(r.alert).toMatchObject({ name: 'unexpected_message', from: 'server' });
  });
});
