/**
 * Our TLS 1.3 client against our TLS 1.3 server in memory (runHandshake13): every suite and group, the
 * HelloRetryRequest, client certificates, every staged failure ending in the alert a real peer sends, seeded
 * runs repeating, and every byte of every message and record annotated with an explained field id.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  fromHex,
  leafSpans,
  normaliseFieldId,
  toHex,
  walkSpans,
  type Span,
} from '../../../src/lib/bytes/index.ts';
import { explainField } from '../../../src/content/tls12/fields.ts';
import { describeCaptureError, parseCapture } from '../../../src/app/model/handshake/capture.ts';
import { eventLogToJson } from '../../../src/lib/tls12/handshake/event-log.ts';
import { engineProvider } from '../../../src/lib/tls12/crypto/index.ts';
import { pkiVerifier } from '../../../src/lib/tls12/pki-verifier.ts';
import {
  clientStep,
  deterministicRandom,
  newClient,
  newServer,
  serverStep,
  type Input,
} from '../../../src/lib/tls12/handshake/index.ts';
import {
  client13Step,
  newClient13,
  newServer13,
  server13Step,
  type AnyEngineEvent,
  downgradeProblem,
  downgradeSentinel,
  hideSupportedVersions,
  keyLogLines13,
  runHandshake13,
  TLS13_SUITES,
  withDowngradeSentinel,
  type Scenario13,
} from '../../../src/lib/tls13/index.ts';
import { concatBytes } from '../../../src/lib/bytes/index.ts';
import { testPki, type TestPki } from '../../kit/pure/pki.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await testPki();
});

const NOW = Date.now();
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
type Over = { client?: Partial<Scenario13['client']>; server?: Partial<Scenario13['server']> };

function scenario(over: Over = {}, ecdsa = false): Scenario13 {
  const id = ecdsa ? pki.ecdsa : pki.rsa;
  return {
    client: { serverName: 'localhost', verifier: pkiVerifier({ anchors: [pki.ca.certDer] }), ...over.client },
    server: { certificates: [{ chain: [id.certDer], privateKey: id.keyDer }], ...over.server },
    seed: 'tls-lab-13',
    now: NOW,
    clientData: enc('ping'),
    serverData: enc('pong'),
  };
}

const names = (run: Awaited<ReturnType<typeof runHandshake13>>) =>
  run.eventLog.flatMap((e) => (e.kind === 'message' ? [`${e.from}:${e.name}`] : []));

describe('runHandshake13: a fresh run makes each key share and CertificateVerify once', () => {
  // The server makes its key share before the ClientHello arrives (spareKey) and starts its signature beside the
  // ECDH, over the transcript it is about to send (startSignature); the handshake completing proves the client
  // verified both, and one key per share and one signature per signer prove neither was made twice.
  const fresh = (over: Over): Scenario13 => {
    const { seed: _seed, ...rest } = scenario(over);
    return rest;
  };
  const clientCert = () => ({ certificateChain: [pki.client.certDer], privateKey: pki.client.keyDer });
  it.each([
    { name: 'plain', over: () => ({}), signers: 1, keys: 2 },
    {
      name: 'after a HelloRetryRequest',
      over: () => ({ server: { groups: [24] } }),
      signers: 1,
      keys: 3,
    },
    {
      name: 'with ALPN',
      over: () => ({ client: { alpn: ['postgresql'] }, server: { alpn: ['postgresql'] } }),
      signers: 1,
      keys: 2,
    },
    {
      name: 'with a CertificateRequest and a client certificate',
      over: () => ({ client: clientCert(), server: { requestClientCertificate: true } }),
      signers: 2,
      keys: 2,
    },
  ])('$name', async ({ over, signers, keys }) => {
    const sign = vi.spyOn(engineProvider(), 'sign');
    const generate = vi.spyOn(engineProvider(), 'generateEcdhKeyPair');
    try {
      const run = await runHandshake13(fresh(over() as Over));
      expect(run.ok, run.alert?.reason).toBe(true);
      expect(sign).toHaveBeenCalledTimes(signers);
      expect(generate).toHaveBeenCalledTimes(keys);
      expect(run.summary?.helloRetryRequest).toBe(keys === 3);
    } finally {
      sign.mockRestore();
      generate.mockRestore();
    }
  });
});

describe('runHandshake13: completes', () => {
  const cases = TLS13_SUITES.flatMap((s) =>
    [29, 23, 24].map((g) => ({ suite: s.code, group: g, name: `${s.name} over ${g}` })),
  );
  it.each(cases)('$name, both ways with data', async (c) => {
    const run = await runHandshake13(scenario({ client: { suites: [c.suite], groups: [c.group] } }));
    expect(run.ok, run.alert?.reason).toBe(true);
    expect(run.summary?.cipherSuite).toBe(c.suite);
    expect(run.summary?.group).toBe(c.group);
    expect(run.summary?.helloRetryRequest).toBe(false);
    expect(dec(run.received.server[0])).toBe('ping');
    expect(dec(run.received.client[0])).toBe('pong');
  });

  it('signs with ECDSA P-256 for an ECDSA certificate and RSA-PSS for an RSA one', async () => {
    expect((await runHandshake13(scenario({}, true))).summary?.signatureSchemeName).toBe(
      'ecdsa_secp256r1_sha256',
    );
    expect((await runHandshake13(scenario())).summary?.signatureSchemeName).toBe('rsa_pss_rsae_sha256');
  });

  it('signs with Ed25519 (RFC 8032) for an Ed25519 certificate, and a tampered Ed25519 signature ends in decrypt_error', async () => {
    const ed = { certificates: [{ chain: [pki.ed25519.certDer], privateKey: pki.ed25519.keyDer }] };
    const run = await runHandshake13(scenario({ server: ed }));
    expect(run.ok, run.alert?.reason).toBe(true);
    expect(run.summary?.signatureSchemeName).toBe('ed25519');
    const tampered = await runHandshake13(scenario({ server: { ...ed, tamper: 'certificate-verify' } }));
    expect([tampered.alert?.from, tampered.alert?.name]).toEqual(['client', 'decrypt_error']);
    const notOffered = await runHandshake13(scenario({ server: ed, client: { signatureSchemes: [0x0403] } }));
    expect([notOffered.alert?.from, notOffered.alert?.name]).toEqual(['server', 'handshake_failure']);
  });

  it.each([
    [0x0805, 'rsa_pss_rsae_sha384'],
    [0x0806, 'rsa_pss_rsae_sha512'],
  ])('signs CertificateVerify with %s when the client offers only that scheme', async (scheme, name) => {
    const run = await runHandshake13(scenario({ client: { signatureSchemes: [scheme] } }));
    expect(run.ok, run.alert?.reason).toBe(true);
    expect(run.summary?.signatureSchemeName).toBe(name);
  });

  it('refuses a server whose only certificate cannot sign a scheme the client offers (handshake_failure)', async () => {
    const run = await runHandshake13(scenario({ client: { signatureSchemes: [0x0503] } }));
    expect(run.alert?.from).toBe('server');
    expect(run.alert?.name).toBe('handshake_failure');
  });

  it('picks the certificate by key type: an RSA-PSS-only client gets the RSA one', async () => {
    const certificates = [
      { chain: [pki.ecdsa.certDer], privateKey: pki.ecdsa.keyDer },
      { chain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer },
    ];
    const run = await runHandshake13(
      scenario({ client: { signatureSchemes: [0x0804] }, server: { certificates } }),
    );
    expect(run.ok, run.alert?.reason).toBe(true);
    expect(run.summary?.serverCertificates[0]).toEqual(pki.rsa.certDer);
  });

  it('sends a HelloRetryRequest when the client shares x25519 but the server takes only P-384, with a cookie echoed', async () => {
    const run = await runHandshake13(scenario({ server: { groups: [24], cookie: true } }));
    expect(run.ok, run.alert?.reason).toBe(true);
    expect(run.summary?.helloRetryRequest).toBe(true);
    expect(run.summary?.group).toBe(24);
    expect(names(run).slice(0, 3)).toEqual([
      'client:client_hello',
      'server:hello_retry_request',
      'client:client_hello',
    ]);
    const hellos = run.eventLog.filter((e) => e.kind === 'message' && e.name === 'client_hello');
    const second = hellos[1]?.kind === 'message' ? hellos[1].message13 : undefined;
    expect(
      second !== undefined &&
        'message' in second &&
        second.type === 'client_hello' &&
        second.message.extensions.some((x) => x.kind === 'cookie'),
    ).toBe(true);
  });

  it('completes with a client certificate and CertificateVerify, and with an empty Certificate when not required', async () => {
    const withCert = await runHandshake13(
      scenario({
        client: { certificateChain: [pki.client.certDer], privateKey: pki.client.keyDer },
        server: { requestClientCertificate: true, requireClientCertificate: true },
      }),
    );
    expect(withCert.ok, withCert.alert?.reason).toBe(true);
    expect(withCert.summary?.clientCertificates).toHaveLength(1);
    expect(names(withCert)).toEqual(
      expect.arrayContaining(['server:certificate_request', 'client:certificate_verify']),
    );
    const without = await runHandshake13(scenario({ server: { requestClientCertificate: true } }));
    expect(without.ok, without.alert?.reason).toBe(true);
    expect(without.summary?.clientCertificates).toEqual([]);
  });

  it('shows NewSessionTickets and keeps going', async () => {
    const run = await runHandshake13(scenario({ server: { tickets: 2 } }));
    expect(run.ok, run.alert?.reason).toBe(true);
    expect(names(run).filter((n) => n === 'server:new_session_ticket')).toHaveLength(2);
    expect(dec(run.received.client[0])).toBe('pong');
  });

  it('repeats byte for byte with the same seed and clock', async () => {
    const a = await runHandshake13(scenario());
    const b = await runHandshake13(scenario());
    const records = (r: typeof a) => r.eventLog.flatMap((e) => (e.kind === 'record' ? [e.bytes] : []));
    expect(records(a)).toEqual(records(b));
    expect(a.summary?.keyLog).toEqual(b.summary?.keyLog);
  });

  it('reports the five NSS key log lines, equal to the secrets in the event log', async () => {
    const run = await runHandshake13(scenario());
    const lines = run.summary!.keyLog;
    expect(lines.map((l) => l.split(' ')[0])).toEqual([
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'EXPORTER_SECRET',
      'SERVER_TRAFFIC_SECRET_0',
      'CLIENT_TRAFFIC_SECRET_0',
    ]);
    expect(keyLogLines13(run.eventLog, run.summary!.clientRandom)).toEqual(lines);
  });
});

/** Every byte offset of `length` bytes lies in a leaf span. */
function uncovered(spans: readonly Span[], length: number): number[] {
  const covered = new Uint8Array(length);
  for (const s of leafSpans(spans)) covered.fill(1, s.start, s.end);
  return [...covered.keys()].filter((i) => covered[i] === 0);
}

describe('runHandshake13: every byte annotated', () => {
  it('spans cover every byte of every message, record and TLSInnerPlaintext; every field id is explained', async () => {
    const run = await runHandshake13(
      scenario({
        client: {
          certificateChain: [pki.client.certDer],
          privateKey: pki.client.keyDer,
          alpn: ['postgresql'],
        },
        server: {
          requestClientCertificate: true,
          groups: [23],
          cookie: true,
          tickets: 1,
          alpn: ['postgresql'],
        },
      }),
    );
    expect(run.ok, run.alert?.reason).toBe(true);
    const ids = new Set<string>();
    let checked = 0;
    for (const e of run.eventLog) {
      const parts: [Span[], number][] = [];
      if (e.kind === 'message') parts.push([e.spans, e.bytes.length]);
      if (e.kind === 'record') {
        parts.push([e.spans, e.bytes.length]);
        // A protected record's plaintext is its inner content: with the type byte, the zeros and the 16-byte tag
        // it fills the fragment.
        if (e.encrypted)
          expect(e.plaintext!.length + 1 + e.paddingLength! + 16, `record ${e.from} ${e.seq}`).toBe(
            e.bytes.length - 5,
          );
      }
      for (const [spans, length] of parts) {
        expect(uncovered(spans, length), `${e.kind} ${'name' in e ? e.name : ''}`).toEqual([]);
        walkSpans(spans, (s) => ids.add(normaliseFieldId(s.id)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect([...ids].filter((id) => !explainField(id))).toEqual([]);
  });
});

describe('runHandshake13: failures end with the alert a real peer sends', () => {
  it.each(
    (
      [
        ['tampered server Finished', () => ({ server: { tamper: 'finished' } }), 'client', 'decrypt_error'],
        ['tampered client Finished', () => ({ client: { tamper: 'finished' } }), 'server', 'decrypt_error'],
        [
          'tampered server CertificateVerify',
          () => ({ server: { tamper: 'certificate-verify' } }),
          'client',
          'decrypt_error',
        ],
        [
          'tampered client CertificateVerify',
          () => ({
            client: {
              tamper: 'certificate-verify',
              certificateChain: [pki.client.certDer],
              privateKey: pki.client.keyDer,
            },
            server: { requestClientCertificate: true },
          }),
          'server',
          'decrypt_error',
        ],
        [
          'second HelloRetryRequest',
          () => ({ server: { groups: [24], tamper: 'second-hrr' } }),
          'client',
          'unexpected_message',
        ],
        [
          'HelloRetryRequest for a group not offered',
          () => ({ client: { groups: [29, 23] }, server: { tamper: 'hrr-unoffered-group' } }),
          'client',
          'illegal_parameter',
        ],
        [
          'HelloRetryRequest for a group not offered, to a client offering every group of ours',
          () => ({ client: { groups: [29, 23, 24, 25] }, server: { tamper: 'hrr-unoffered-group' } }),
          'client',
          'illegal_parameter',
        ],
        [
          'no common group',
          () => ({ client: { groups: [29] }, server: { groups: [24] } }),
          'server',
          'handshake_failure',
        ],
        [
          'no common suite',
          () => ({ client: { suites: [0x1301] }, server: { suites: [0x1302] } }),
          'server',
          'handshake_failure',
        ],
        [
          'client certificate required, none sent',
          () => ({ server: { requestClientCertificate: true, requireClientCertificate: true } }),
          'server',
          'certificate_required',
        ],
        [
          'server certificate from an unknown CA',
          () => ({ client: { verifier: pkiVerifier({ anchors: [pki.untrustedCa.certDer] }) } }),
          'client',
          'unknown_ca',
        ],
      ] as [string, () => Over, string, string][]
    ).map(([name, over, from, alert]) => ({ name, over, from, alert })),
  )('$name: the $from sends $alert', async ({ over, from, alert }) => {
    const run = await runHandshake13(scenario(over()));
    expect(run.ok).toBe(false);
    expect(run.alert?.from).toBe(from);
    expect(run.alert?.name).toBe(alert);
    expect(run.alert?.reason).toBeTruthy();
  });
});

describe('downgrade sentinel (RFC 8446 §4.1.3)', () => {
  it('is written into the last 8 bytes and found again', () => {
    const random = new Uint8Array(32).fill(7);
    const r12 = withDowngradeSentinel(random, 0x0303);
    expect(downgradeSentinel(r12)).toBe('tls12');
    expect(downgradeSentinel(withDowngradeSentinel(random, 0x0302))).toBe('tls11');
    expect(downgradeSentinel(random)).toBeUndefined();
    expect(downgradeProblem(r12, true)).toMatch(/DOWNGRD/);
    expect(downgradeProblem(r12, false)).toBeUndefined();
    expect(r12.subarray(0, 24)).toEqual(random.subarray(0, 24));
  });
});

type Step<S> = (state: S, input: Input) => Promise<{ state: S; events: AnyEngineEvent[] }>;

/**
 * A client and a server engine pumped against each other in memory; `onTheWay` may rewrite what the client
 * sends (a middlebox). Returns both final states and the client's events.
 */
async function pump<C, S>(
  client: { state: C; step: Step<C> },
  server: { state: S; step: Step<S> },
  onTheWay: (bytes: Uint8Array) => Uint8Array = (b) => b,
) {
  const sent = (events: AnyEngineEvent[]) => events.flatMap((e) => (e.kind === 'send' ? [e.bytes] : []));
  const log: AnyEngineEvent[] = [];
  let c = await client.step(client.state, { kind: 'start' });
  let clientState = c.state;
  let serverState = server.state;
  log.push(...c.events);
  const toServer = sent(c.events).map(onTheWay);
  const toClient: Uint8Array[] = [];
  for (let round = 0; round < 16 && (toServer.length > 0 || toClient.length > 0); round++) {
    for (const data of toServer.splice(0)) {
      const r = await server.step(serverState, { kind: 'bytes', data });
      serverState = r.state;
      toClient.push(...sent(r.events));
    }
    for (const data of toClient.splice(0)) {
      c = await client.step(clientState, { kind: 'bytes', data });
      clientState = c.state;
      log.push(...c.events);
      toServer.push(...sent(c.events).map(onTheWay));
    }
  }
  return { client: clientState, server: serverState, log };
}

describe('version negotiation with a TLS 1.2 server (our own 1.2 engine)', () => {
  const client13 = () =>
    newClient13({
      serverName: 'localhost',
      verifier: pkiVerifier({ anchors: [pki.ca.certDer] }),
      allowTls12: true,
      random: deterministicRandom('fallback/client'),
      now: () => NOW,
    });

  /** Our 1.3 client (offering 1.2 too) against our 1.2 server. */
  function against12(downgradeSentinel: boolean) {
    const server = newServer({
      certificateChain: [pki.rsa.certDer],
      privateKey: pki.rsa.keyDer,
      downgradeSentinel,
      random: deterministicRandom('fallback/server'),
      now: () => NOW,
    });
    return pump({ state: client13(), step: client13Step }, { state: server, step: serverStep });
  }

  it('continues in the TLS 1.2 engine when the server chooses 1.2 without the sentinel', async () => {
    const { client, server, log } = await against12(false);
    expect(client.name).toBe('Tls12');
    expect(client.name === 'Tls12' && client.tls12.name).toBe('Established');
    expect(server.name).toBe('Established');
    const done = log.find((e) => e.kind === 'handshake_complete');
    expect(done?.kind === 'handshake_complete' && done.summary.version).toBe(0x0303);
    // One ClientHello (client:0), then the 1.2 engine's own messages and ids.
    const ours = log.flatMap((e) =>
      e.kind === 'message' && e.from === 'client' ? [`${e.id} ${e.name}`] : [],
    );
    expect(ours[0]).toBe('client:0 client_hello');
    expect(ours[1]).toBe('client:1 client_key_exchange');
  });

  it('aborts with illegal_parameter when a 1.3-capable server marked its 1.2 ServerHello with the sentinel', async () => {
    const { client, log } = await against12(true);
    expect(client.name).toBe('Closed');
    const alert = log.find((e) => e.kind === 'alert' && e.from === 'client');
    expect(alert?.kind === 'alert' && alert.name).toBe('illegal_parameter');
    expect(alert?.kind === 'alert' && alert.reason).toMatch(/downgrade sentinel/);
  });

  it('our 1.3 server serves a 1.2-only client with the 1.2 engine and the sentinel in its random', async () => {
    const client = newClient({
      serverName: 'localhost',
      verifier: pkiVerifier({ anchors: [pki.ca.certDer] }),
      random: deterministicRandom('tls12-client'),
      now: () => NOW,
    });
    const server = newServer13({
      certificates: [{ chain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer }],
      allowTls12: true,
      random: deterministicRandom('tls13-server'),
      now: () => NOW,
    });
    const run = await pump({ state: client, step: clientStep }, { state: server, step: server13Step });
    expect(run.client.name).toBe('Established');
    expect(run.server.name === 'Tls12' && run.server.tls12.name).toBe('Established');
    const hello = run.log.find((e) => e.kind === 'message' && e.name === 'server_hello');
    const random = hello?.kind === 'message' && 'random' in hello.message ? hello.message.random : undefined;
    expect(downgradeSentinel(random!)).toBe('tls12');
  });

  it('a middlebox that hides supported_versions is caught: the 1.3 client sees the sentinel, illegal_parameter', async () => {
    const server = newServer13({
      certificates: [{ chain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer }],
      allowTls12: true,
      random: deterministicRandom('tls13-server'),
      now: () => NOW,
    });
    // The middlebox renames the ClientHello's supported_versions extension (0x002b) to a type the server ignores.
    const hide = (bytes: Uint8Array) => {
      const out = hideSupportedVersions(bytes);
      if (bytes[5] === 1) expect(toHex(out)).toBe(toHex(bytes).replace('002b0005040304', 'fafa0005040304'));
      return out;
    };
    const run = await pump(
      { state: client13(), step: client13Step },
      { state: server, step: server13Step },
      hide,
    );
    expect(run.server.name).toBe('Tls12');
    const alert = run.log.find((e) => e.kind === 'alert' && e.from === 'client');
    expect(alert?.kind === 'alert' && alert.name).toBe('illegal_parameter');
    expect(alert?.kind === 'alert' && alert.reason).toMatch(/downgrade sentinel/);
  });
});

describe("a client's alert in the clear (OpenSSL's client sends it so when our first flight fails)", () => {
  // A fatal alert as a plaintext record: level 2, the description given.
  const plainAlert = (description: number) => Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 2, description);
  const client = () =>
    newClient13({
      serverName: 'localhost',
      verifier: pkiVerifier({ anchors: [pki.ca.certDer] }),
      random: deterministicRandom('plain-alert/client'),
      now: () => NOW,
    });
  const server = () =>
    newServer13({
      certificates: [{ chain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer }],
      random: deterministicRandom('plain-alert/server'),
      now: () => NOW,
    });

  it("is read by the server before the client's first protected record (as OpenSSL's server does)", async () => {
    const hello = (await client13Step(client(), { kind: 'start' })).events;
    let state = server();
    for (const e of hello)
      if (e.kind === 'send') state = (await server13Step(state, { kind: 'bytes', data: e.bytes })).state;
    expect(state.name).toBe('ExpectFinished');
    const r = await server13Step(state, { kind: 'bytes', data: plainAlert(51) });
    const alert = r.events.find((e) => e.kind === 'alert');
    expect(alert?.kind === 'alert' && [alert.from, alert.name]).toEqual(['client', 'decrypt_error']);
    expect(r.state.name).toBe('Closed');
  });

  it('is refused with unexpected_message once the client protects its records', async () => {
    const run = await pump({ state: client(), step: client13Step }, { state: server(), step: server13Step });
    expect(run.server.name).toBe('Established');
    const r = await server13Step(run.server, { kind: 'bytes', data: plainAlert(51) });
    const alert = r.events.find((e) => e.kind === 'alert');
    expect(alert?.kind === 'alert' && [alert.from, alert.name]).toEqual(['server', 'unexpected_message']);
    expect(alert?.kind === 'alert' && alert.reason).toMatch(/in clear after the keys changed/);
  });
});

describe('a HelloRetryRequest and the ChangeCipherSpec sent with it, read in one input', () => {
  // OpenSSL's server writes both in one TCP segment: the client reads both before it answers, so its event log
  // (the CLI's transcript) lists them in the order they reached it.
  const client = () =>
    newClient13({
      serverName: 'localhost',
      groups: [29, 23],
      verifier: pkiVerifier({ anchors: [pki.ca.certDer] }),
      random: deterministicRandom('hrr-ccs/client'),
      now: () => NOW,
    });
  const server = () =>
    newServer13({
      certificates: [{ chain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer }],
      groups: [23],
      random: deterministicRandom('hrr-ccs/server'),
      now: () => NOW,
    });
  const sent = (events: AnyEngineEvent[]) => events.flatMap((e) => (e.kind === 'send' ? [e.bytes] : []));
  const order = (events: AnyEngineEvent[]) =>
    events.flatMap((e) =>
      e.kind === 'record' ? [`${e.from}:${e.contentType === 20 ? 'ccs' : e.contentType}`] : [],
    );
  async function serverAnswer() {
    const start = await client13Step(client(), { kind: 'start' });
    let s = server();
    const out: Uint8Array[] = [];
    for (const bytes of sent(start.events)) {
      const r = await server13Step(s, { kind: 'bytes', data: bytes });
      s = r.state;
      out.push(...sent(r.events));
    }
    return { client: start.state, server: s, hrrAndCcs: out };
  }

  it('lists the server CCS before our CCS and second ClientHello, and then completes', async () => {
    const answer = await serverAnswer();
    expect(answer.hrrAndCcs).toHaveLength(2);
    let c = await client13Step(answer.client, { kind: 'bytes', data: concatBytes(...answer.hrrAndCcs) });
    expect(order(c.events)).toEqual(['server:22', 'server:ccs', 'client:ccs', 'client:22']);
    expect(c.state.name).toBe('ExpectServerHello');
    let s = answer.server;
    for (let round = 0; round < 4 && sent(c.events).length > 0; round++) {
      const toClient: Uint8Array[] = [];
      for (const data of sent(c.events)) {
        const r = await server13Step(s, { kind: 'bytes', data });
        s = r.state;
        toClient.push(...sent(r.events));
      }
      c = await client13Step(c.state, { kind: 'bytes', data: concatBytes(...toClient) });
    }
    expect([c.state.name, s.name]).toEqual(['Established', 'Established']);
  });

  it('answers in order when the CCS comes in an input of its own', async () => {
    const { client: c, hrrAndCcs } = await serverAnswer();
    const first = await client13Step(c, { kind: 'bytes', data: hrrAndCcs[0]! });
    expect(order(first.events)).toEqual(['server:22', 'client:ccs', 'client:22']);
    const second = await client13Step(first.state, { kind: 'bytes', data: hrrAndCcs[1]! });
    expect(order(second.events)).toEqual(['server:ccs']);
  });
});

describe('hostile bytes', () => {
  it('any bytes after our ClientHello end in a sent alert or a wait, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 4 }), async (chunks) => {
        let state = newClient13({ serverName: 'localhost', verifier: async () => ({ ok: true }) });
        state = (await client13Step(state, { kind: 'start' })).state;
        for (const data of chunks) state = (await client13Step(state, { kind: 'bytes', data })).state;
        const end = await client13Step(state, { kind: 'end' });
        expect(end.state.name).toBe('Closed');
      }),
      { numRuns: 60 },
    );
  });

  it('a ServerHello cut short inside its message ends in decode_error naming what failed', async () => {
    // Record header (handshake, 0x0303, 8 bytes), then a ServerHello header claiming 4 body bytes: 03 03 00 00.
    const truncated = fromHex('16030300080200000403030000');
    const state = (
      await client13Step(newClient13({ verifier: async () => ({ ok: true }) }), { kind: 'start' })
    ).state;
    const r = await client13Step(state, { kind: 'bytes', data: truncated });
    const alert = r.events.find((e) => e.kind === 'alert');
    expect(alert?.kind === 'alert' && alert.name).toBe('decode_error');
    expect(alert?.kind === 'alert' && alert.reason).toMatch(/cannot decode server_hello/);
    expect(r.state.name).toBe('Closed');
  });
});

describe('runHandshake13: a secret both sides derived says so, in a run that failed', () => {
  it("the client rejects the server's certificate: both derived the handshake traffic secrets, only the server the application ones", async () => {
    // The log keeps each secret once, from the side that derived it first (the server, which sends ServerHello).
    // The client derived the handshake secrets too: it opened the Certificate it rejects.
    const run = await runHandshake13(
      scenario({ client: { verifier: pkiVerifier({ anchors: [pki.ecdsa.certDer] }) } }),
    );
    expect(run.ok).toBe(false);
    expect(run.alert).toMatchObject({ from: 'client', name: 'unknown_ca' });
    const secrets = new Map(run.eventLog.flatMap((e) => (e.kind === 'secret' ? [[e.name, e] as const] : [])));
    for (const name of ['client_handshake_traffic_secret', 'server_handshake_traffic_secret'])
      expect(secrets.get(name), name).toMatchObject({ from: 'server', bothSides: true });
    for (const name of ['client_application_traffic_secret_0', 'server_application_traffic_secret_0'])
      expect(secrets.get(name)?.bothSides, name).toBeUndefined();
    // The run's JSON, opened again by the lab's reader, keeps it.
    const reread = parseCapture(eventLogToJson(run.eventLog));
    if (!reread.ok) throw new Error(describeCaptureError(reread.error));
    expect(reread.run.eventLog.filter((e) => e.kind === 'secret' && e.bothSides).length).toBe(
      run.eventLog.filter((e) => e.kind === 'secret' && e.bothSides).length,
    );
    // A completed run: every secret of the key schedule, both sides.
    const ok = await runHandshake13(scenario());
    const shared = ok.eventLog.filter((e) => e.kind === 'secret' && e.name.endsWith('_traffic_secret_0'));
    expect(shared.length).toBeGreaterThan(0);
    for (const e of shared)
      expect(e.kind === 'secret' && e.bothSides, e.kind === 'secret' ? e.name : '').toBe(true);
  });
});
