/**
 * Our TLS 1.2 client and server against OpenSSL (Node's tls module, OpenSSL 3) over an in-memory duplex,
 * for every suite (CIPHER_SUITES) and group the engine implements, both directions. Proof of agreement: the handshake
 * completes, application data round-trips, and our master secret equals the one OpenSSL writes to its key log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CIPHER_SUITES } from '../../src/lib/tls12/crypto/suites.ts';
import { CipherSuite, NamedGroup } from '../../src/lib/tls12/wire/code-points.ts';
import { type CertificateVerifier } from '../../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../../src/lib/tls12/pki-verifier.ts';
import { ECDSA_SUITES, OPENSSL_GROUP, OPENSSL_SUITE } from '../kit/pure/openssl-names.ts';
import {
  hex,
  loggedMaster,
  openSslToOurServer,
  ourClientToOpenSsl,
  summaryOf,
} from '../kit/programs/node-peers.ts';
import { testPki, type TestPki } from '../kit/pure/pki.ts';

let pki: TestPki;
let verifier: CertificateVerifier;
beforeAll(async () => {
  pki = await testPki();
  verifier = pkiVerifier({ anchors: [pki.ca.certDer] });
});

/** Every suite the engine implements. */
const SUITES = CIPHER_SUITES.map((s) => s.code);
const RSA_KEY_TRANSPORT = new Set(CIPHER_SUITES.filter((s) => s.kex === 'rsa').map((s) => s.code));
const GROUPS = [29, 23, 24];
const label = (suite: number, group: number | undefined) =>
  `${CipherSuite.format(suite)}${group === undefined ? ' (RSA key transport)' : ` over ${NamedGroup.format(group)}`}`;
interface Case {
  suite: number;
  group: number | undefined;
  name: string;
}
const cases: Case[] = SUITES.flatMap((suite): Case[] =>
  RSA_KEY_TRANSPORT.has(suite)
    ? [{ suite, group: undefined, name: label(suite, undefined) }]
    : GROUPS.map((group) => ({ suite, group, name: label(suite, group) })),
);
/** RFC 8422 §5.1: a client must list the ECDSA certificate's curve (P-256) too, or the server cannot use it. */
const withCertCurve = (suite: number, group: number) =>
  ECDSA_SUITES.has(suite) && group !== 23 ? [group, 23] : [group];
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('our client -> OpenSSL server', () => {
  it.each(cases)('$name: completes, round-trips data and agrees on the master secret', async (c) => {
    const id = ECDSA_SUITES.has(c.suite) ? pki.ecdsa : pki.rsa;
    const run = ourClientToOpenSsl(
      {
        serverName: 'localhost',
        verifier,
        suites: [c.suite],
        ...(c.group ? { groups: withCertCurve(c.suite, c.group) } : {}),
      },
      {
        key: id.keyPem,
        cert: id.certPem,
        ciphers: OPENSSL_SUITE[c.suite],
        ...(c.group ? { ecdhCurve: OPENSSL_GROUP[c.group] } : {}),
      },
    );
    expect(await run.ours.settled(), `${c.name}: ${JSON.stringify(run.errors.map((e) => e.message))}`).toBe(
      'complete',
    );
    await run.ours.send(enc('ping from tls-lab'));
    const reply = await run.ours.waitFor((e) => e.kind === 'application_data' && e.from === 'server');
    expect(reply.kind === 'application_data' && dec(reply.data)).toBe('pong:ping from tls-lab');
    const summary = summaryOf(run.ours.eventLog);
    expect(summary.cipherSuite).toBe(c.suite);
    expect(summary.group).toBe(c.group);
    expect(summary.extendedMasterSecret).toBe(true);
    expect(loggedMaster(run.keylog, summary.clientRandom)).toBe(hex(summary.masterSecret));
    await run.ours.close();
  });

  it('agrees on the master secret with extended_master_secret turned off (RFC 5246 §8.1 derivation)', async () => {
    const run = ourClientToOpenSsl(
      { serverName: 'localhost', verifier, suites: [0xc02f], extendedMasterSecret: false },
      { key: pki.rsa.keyPem, cert: pki.rsa.certPem },
    );
    expect(await run.ours.settled()).toBe('complete');
    const summary = summaryOf(run.ours.eventLog);
    expect(summary.extendedMasterSecret).toBe(false);
    const secret = run.ours.eventLog.find((e) => e.kind === 'secret' && e.name === 'master_secret');
    expect(secret?.kind === 'secret' && secret.formula).toContain('"master secret"');
    expect(loggedMaster(run.keylog, summary.clientRandom)).toBe(hex(summary.masterSecret));
  });

  it('signals secure renegotiation with the SCSV instead of the extension and still completes', async () => {
    const run = ourClientToOpenSsl(
      { serverName: 'localhost', verifier, renegotiationSignal: 'scsv', suites: [0xc02f] },
      { key: pki.rsa.keyPem, cert: pki.rsa.certPem },
    );
    expect(await run.ours.settled()).toBe('complete');
    const hello = run.ours.eventLog.find((e) => e.kind === 'message' && e.name === 'server_hello');
    expect(
      hello?.kind === 'message' && hello.message.type === 'server_hello' && hello.message.extensions,
    ).toContainEqual({
      kind: 'renegotiation_info',
      renegotiatedConnection: new Uint8Array(0),
    });
  });
});

describe('OpenSSL client -> our server', () => {
  it.each(cases)('$name: completes, round-trips data and agrees on the master secret', async (c) => {
    const ecdsa = ECDSA_SUITES.has(c.suite);
    const id = ecdsa ? pki.ecdsa : pki.rsa;
    const run = openSslToOurServer(
      {
        certificateChain: [id.certDer],
        privateKey: id.keyDer,
        // Our server accepts the suite under test (its default list holds fewer).
        suites: [c.suite],
        ...(c.group ? { groups: [c.group] } : {}),
      },
      {
        ca: pki.ca.certPem,
        ciphers: OPENSSL_SUITE[c.suite],
        // RFC 8422 §5.1: the client must also list the ECDSA certificate's curve (P-256).
        ...(c.group
          ? {
              ecdhCurve: withCertCurve(c.suite, c.group)
                .map((g) => OPENSSL_GROUP[g])
                .join(':'),
            }
          : {}),
      },
    );
    await run.connected;
    expect(run.socket.authorized).toBe(true);
    expect(run.socket.getCipher().standardName).toBe(CipherSuite.format(c.suite));
    run.socket.write('hello from openssl');
    const got = await run.ours.waitFor((e) => e.kind === 'application_data' && e.from === 'client');
    expect(got.kind === 'application_data' && dec(got.data)).toBe('hello from openssl');
    const back = new Promise<Buffer>((resolve) => run.socket.once('data', resolve));
    await run.ours.send(enc('hello from tls-lab'));
    expect((await back).toString()).toBe('hello from tls-lab');
    const summary = summaryOf(run.ours.eventLog);
    expect(summary.group).toBe(c.group);
    expect(loggedMaster(run.keylog, summary.clientRandom)).toBe(hex(summary.masterSecret));
    run.socket.end();
  });

  it('agrees on the master secret when our server declines extended_master_secret', async () => {
    const run = openSslToOurServer(
      { certificateChain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer, extendedMasterSecret: false },
      { ca: pki.ca.certPem },
    );
    await run.connected;
    const summary = summaryOf(run.ours.eventLog);
    expect(summary.extendedMasterSecret).toBe(false);
    expect(loggedMaster(run.keylog, summary.clientRandom)).toBe(hex(summary.masterSecret));
    run.socket.end();
  });

  it('negotiates ALPN "postgresql" when OpenSSL offers it', async () => {
    const run = openSslToOurServer(
      { certificateChain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer, alpn: ['postgresql'] },
      { ca: pki.ca.certPem, ALPNProtocols: ['postgresql'] },
    );
    await run.connected;
    expect(run.socket.alpnProtocol).toBe('postgresql');
    expect(summaryOf(run.ours.eventLog).alpn).toBe('postgresql');
    run.socket.end();
  });
});
