/**
 * Our client against our server in memory (runHandshake): completion for every suite, determinism with a
 * fixed random source and clock, and every staged failure ending with the alert a real peer sends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { countingRandom, createCryptoProvider } from '../../../../src/lib/tls12/crypto/index.ts';
import {
  clientStep,
  newClient,
  runHandshake,
  eventLogFromJson,
  eventLogToJson,
  type Scenario,
} from '../../../../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../../../../src/lib/tls12/pki-verifier.ts';
import { CipherSuite } from '../../../../src/lib/tls12/wire/code-points.ts';
import { runHandshake13 } from '../../../../src/lib/tls13/index.ts';
import { testPki, type TestPki } from '../../../kit/pure/pki.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await testPki();
});

/** One fixed instant for the whole file (the test PKI is valid around the time the tests run). */
const NOW = Date.now();
const enc = (s: string) => new TextEncoder().encode(s);

function scenario(
  overrides: { client?: Partial<Scenario['client']>; server?: Partial<Scenario['server']> } = {},
  ecdsa = false,
): Scenario {
  const id = ecdsa ? pki.ecdsa : pki.rsa;
  return {
    client: {
      serverName: 'localhost',
      verifier: pkiVerifier({ anchors: [pki.ca.certDer] }),
      ...overrides.client,
    },
    server: { certificateChain: [id.certDer], privateKey: id.keyDer, ...overrides.server },
    seed: 'tls-lab',
    now: NOW,
    clientData: enc('GET / HTTP/1.0\r\n\r\n'),
    serverData: enc('HTTP/1.0 200 OK\r\n\r\n'),
  };
}

/** The exact reason each failing peer gives with its alert (what the Handshake Lab shows). */
const ALERT_REASONS: Record<string, string> = {
  'version mismatch -> protocol_version (70)': 'the client offers at most TLSv1.1, we require TLSv1.2',
  'server requires TLS 1.3 -> protocol_version (70)':
    'the client offers at most TLSv1.2 (no supported_versions), we require TLSv1.3 or later',
  'no common suite -> handshake_failure (40)':
    'no cipher suite in common for a RSA certificate (client offered TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)',
  'no common group -> handshake_failure (40)':
    'no cipher suite in common for a RSA certificate (client offered TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; no common group)',
  'tampered client Finished -> decrypt_error (51)':
    'the client Finished verify_data does not match our transcript (RFC 5246 §7.4.9)',
  'tampered server Finished -> decrypt_error (51)':
    'the server Finished verify_data does not match our transcript (RFC 5246 §7.4.9)',
  'tampered client Finished record -> bad_record_mac (20)':
    'cannot open handshake record 0: record authentication failed (bad_record_mac)',
  'tampered server Finished record -> bad_record_mac (20)':
    'cannot open handshake record 0: record authentication failed (bad_record_mac)',
  'tampered application-data record -> bad_record_mac (20)':
    'cannot open application_data record 1: record authentication failed (bad_record_mac)',
  'missing ServerKeyExchange -> unexpected_message (10)': 'expected ServerKeyExchange, got server_hello_done',
  'Finished before ChangeCipherSpec -> unexpected_message (10)': 'expected ChangeCipherSpec, got finished',
  'no common ALPN protocol -> no_application_protocol (120)':
    'no ALPN protocol in common (client offered h2)',
};

describe('runHandshake: our client against our server', () => {
  it.each(
    (
      [
        [0xc02f, false],
        [0xc030, false],
        [0xc02b, true],
        [0xc02c, true],
        [0xcca8, false],
        [0xcca9, true],
        [0xc013, false],
        [0x009c, false],
      ] as const
    ).map(([suite, ecdsa]) => [CipherSuite.format(suite), suite, ecdsa] as const),
  )('%s completes and carries application data both ways', async (_name, suite, ecdsa) => {
    const run = await runHandshake(scenario({ client: { suites: [suite] } }, ecdsa));
    expect(run.ok, run.alert?.reason).toBe(true);
    expect(run.summary?.cipherSuite).toBe(suite);
    expect(new TextDecoder().decode(run.received.server[0])).toBe('GET / HTTP/1.0\r\n\r\n');
    expect(new TextDecoder().decode(run.received.client[0])).toBe('HTTP/1.0 200 OK\r\n\r\n');
    expect(
      run.eventLog.some((e) => e.kind === 'alert' && e.from === 'client' && e.name === 'close_notify'),
    ).toBe(true);
  });

  it('delivers all the application data it is given, however many records it fills (both versions)', async () => {
    // 80 full records each way: past the 64 deliveries a handshake and its closing take.
    const big = (fill: number) => new Uint8Array(80 * 16384).fill(fill);
    const same = (parts: Uint8Array[], want: Uint8Array) => {
      const got = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => (got.set(p, at), at + p.length), 0);
      return got.length === want.length && got.every((b, i) => b === want[i]);
    };
    const run = await runHandshake({ ...scenario(), clientData: big(1), serverData: big(2) });
    expect(run.ok).toBe(true);
    expect(same(run.received.server, big(1))).toBe(true);
    expect(same(run.received.client, big(2))).toBe(true);
    const { client, server } = scenario();
    const run13 = await runHandshake13({
      client: { serverName: client.serverName, verifier: client.verifier },
      server: { certificates: [{ chain: server.certificateChain, privateKey: server.privateKey }] },
      clientData: big(1),
      serverData: big(2),
    });
    expect(run13.ok).toBe(true);
    expect(same(run13.received.server, big(1))).toBe(true);
    expect(same(run13.received.client, big(2))).toBe(true);
  });

  it('is deterministic: the same seed and clock give byte-identical event logs', async () => {
    const a = await runHandshake({ ...scenario(), now: NOW });
    const b = await runHandshake({ ...scenario(), now: NOW });
    expect(a.ok).toBe(true);
    expect(eventLogToJson(a.eventLog)).toBe(eventLogToJson(b.eventLog));
    const c = await runHandshake({ ...scenario(), seed: 'another seed' });
    expect(eventLogToJson(c.eventLog)).not.toBe(eventLogToJson(a.eventLog));
  });

  it('is deterministic with RSA-PSS and ECDSA signatures alike', async () => {
    for (const ecdsa of [false, true]) {
      const a = await runHandshake(scenario({}, ecdsa));
      const b = await runHandshake(scenario({}, ecdsa));
      expect(eventLogToJson(a.eventLog)).toBe(eventLogToJson(b.eventLog));
    }
  });

  it('produces an event log that survives structuredClone and a JSON round trip', async () => {
    const run = await runHandshake(scenario());
    expect(structuredClone(run.eventLog)).toEqual(run.eventLog);
    expect(eventLogFromJson(eventLogToJson(run.eventLog))).toEqual(
      JSON.parse(JSON.stringify(eventLogFromJson(eventLogToJson(run.eventLog))), (_k, v: unknown) => v) &&
        eventLogFromJson(eventLogToJson(run.eventLog)),
    );
    const kinds = new Set(run.eventLog.map((e) => e.kind));
    for (const k of [
      'record',
      'message',
      'change_cipher_spec',
      'secret',
      'application_data',
      'handshake_complete',
      'alert',
    ]) {
      expect(kinds.has(k as never), k).toBe(true);
    }
    const secrets = run.eventLog.flatMap((e) => (e.kind === 'secret' ? [e.name] : []));
    expect(secrets).toEqual(
      expect.arrayContaining([
        'server_ecdhe_private_key',
        'client_ecdhe_private_key',
        'pre_master_secret',
        'master_secret',
        'client_write_key',
        'server_write_IV',
        'client_verify_data',
        'server_verify_data',
      ]),
    );
    const encrypted = run.eventLog.find((e) => e.kind === 'record' && e.encrypted);
    expect(encrypted?.kind === 'record' && encrypted.nonce?.length).toBe(12);
    expect(encrypted?.kind === 'record' && encrypted.aad?.length).toBe(13);
  });

  it('record spans cover every record byte exactly', async () => {
    const run = await runHandshake(scenario());
    for (const e of run.eventLog) {
      if (e.kind !== 'record') continue;
      const top = e.spans[0]!;
      expect(top.start).toBe(0);
      expect(top.end).toBe(e.bytes.length);
    }
  });

  it('uses the RFC 7627 derivation with EMS and RFC 5246 §8.1 without it', async () => {
    const withEms = await runHandshake(scenario());
    const without = await runHandshake(scenario({ client: { extendedMasterSecret: false } }));
    const formula = (r: typeof withEms) => {
      const s = r.eventLog.find((e) => e.kind === 'secret' && e.name === 'master_secret');
      return s?.kind === 'secret' ? s.formula : '';
    };
    expect(formula(withEms)).toContain('extended master secret');
    expect(formula(without)).toContain('"master secret"');
  });

  it('completes a CertificateRequest scenario with a client certificate and CertificateVerify', async () => {
    const run = await runHandshake(
      scenario({
        client: { certificateChain: [pki.client.certDer], privateKey: pki.client.keyDer },
        server: { requestClientCertificate: true },
      }),
    );
    expect(run.ok, run.alert?.reason).toBe(true);
    const names = run.eventLog
      .filter((e) => e.kind === 'message')
      .map((e) => (e.kind === 'message' ? e.name : ''));
    expect(names).toEqual(expect.arrayContaining(['certificate_request', 'certificate_verify']));
    expect(run.summary?.clientCertificates.length).toBe(1);
  });
});

describe('runHandshake: failures end with the alert a real peer sends', () => {
  it.each([
    [
      'version mismatch -> protocol_version (70)',
      { client: { maxVersion: 0x0302 } },
      'server',
      'protocol_version',
      70,
    ],
    [
      'server requires TLS 1.3 -> protocol_version (70)',
      { server: { minVersion: 0x0304, maxVersion: 0x0304 } },
      'server',
      'protocol_version',
      70,
    ],
    [
      'no common suite -> handshake_failure (40)',
      { client: { suites: [0xc030] }, server: { suites: [0xc02f] } },
      'server',
      'handshake_failure',
      40,
    ],
    [
      'no common group -> handshake_failure (40)',
      { client: { suites: [0xc02f], groups: [29] }, server: { groups: [24] } },
      'server',
      'handshake_failure',
      40,
    ],
    [
      'tampered client Finished -> decrypt_error (51)',
      { client: { tamper: 'finished' } },
      'server',
      'decrypt_error',
      51,
    ],
    [
      'tampered server Finished -> decrypt_error (51)',
      { server: { tamper: 'finished' } },
      'client',
      'decrypt_error',
      51,
    ],
    [
      'tampered client Finished record -> bad_record_mac (20)',
      { client: { tamper: 'finished-record' } },
      'server',
      'bad_record_mac',
      20,
    ],
    [
      'tampered server Finished record -> bad_record_mac (20)',
      { server: { tamper: 'finished-record' } },
      'client',
      'bad_record_mac',
      20,
    ],
    [
      'tampered application-data record -> bad_record_mac (20)',
      { client: { tamper: 'application-data-record' } },
      'server',
      'bad_record_mac',
      20,
    ],
    [
      'missing ServerKeyExchange -> unexpected_message (10)',
      { server: { misbehave: 'omit-server-key-exchange' } },
      'client',
      'unexpected_message',
      10,
    ],
    [
      'Finished before ChangeCipherSpec -> unexpected_message (10)',
      { client: { misbehave: 'omit-change-cipher-spec' } },
      'server',
      'unexpected_message',
      10,
    ],
    [
      'no common ALPN protocol -> no_application_protocol (120)',
      { client: { alpn: ['h2'] }, server: { alpn: ['postgresql'] } },
      'server',
      'no_application_protocol',
      120,
    ],
  ] as const)(
    '%s: the peer answers with the matching alert',
    async (_what, overrides, sender, name, code) => {
      const run = await runHandshake(scenario(overrides as never));
      expect(run.ok).toBe(false);
      expect(run.alert?.from).toBe(sender);
      expect(run.alert?.name).toBe(name);
      expect(run.alert?.description).toBe(code);
      expect(run.alert?.reason).toBe(ALERT_REASONS[_what]);
    },
  );

  it.each([
    ['an untrusted CA (unknown_ca 48)', 'untrusted', 'unknown_ca', 48],
    ['an expired certificate (certificate_expired 45)', 'expired', 'certificate_expired', 45],
    ['a certificate for another host (bad_certificate 42)', 'wrongHost', 'bad_certificate', 42],
  ] as const)('the client rejects %s with the matching alert', async (_what, which, name, code) => {
    const id = pki[which];
    const run = await runHandshake({
      ...scenario(),
      server: { certificateChain: [id.certDer], privateKey: id.keyDer },
    });
    expect(run.alert?.from).toBe('client');
    expect(run.alert?.name).toBe(name);
    expect(run.alert?.description).toBe(code);
  });

  it('checks the subject CN only when the certificate has no subjectAltName (as libpq does)', async () => {
    const id = pki.cnOnly;
    const server = { certificateChain: [id.certDer], privateKey: id.keyDer };
    expect((await runHandshake({ ...scenario(), server })).ok).toBe(true);
    const wrong = await runHandshake({ ...scenario({ client: { serverName: 'db.example' } }), server });
    expect(wrong.alert?.name).toBe('bad_certificate');
    expect(wrong.alert?.reason).toBe(
      'hostname mismatch (X509_V_ERR_HOSTNAME_MISMATCH) at depth 0: O=TLS Lab CN only,CN=localhost (issuer O=TLS Lab,CN=TLS Lab Test CA)',
    );
    const sanCert = await runHandshake(scenario({ client: { serverName: 'db.example' } }));
    expect(sanCert.alert?.name).toBe('bad_certificate');
    expect(sanCert.alert?.reason).toMatch(/^hostname mismatch \(X509_V_ERR_HOSTNAME_MISMATCH\) at depth 0: /);
  });

  it('the injected clock decides expiry: the valid certificate is rejected one year later', async () => {
    const run = await runHandshake({ ...scenario(), now: Date.now() + 365 * 86_400_000 });
    expect(run.alert?.name).toBe('certificate_expired');
    expect(run.alert?.reason).toMatch(/^certificate has expired \(X509_V_ERR_CERT_HAS_EXPIRED\) at depth /);
  });
});

describe('randomness through the crypto layer', () => {
  it('takes its random bytes from an injected CryptoProvider: the client random is the provider counter', async () => {
    const provider = createCryptoProvider({ random: countingRandom(0) });
    const client = newClient({ verifier: pkiVerifier({ anchors: [] }), provider });
    const { events } = await clientStep(client, { kind: 'start' });
    const hello = events.find((e) => e.kind === 'message' && e.name === 'client_hello');
    const random =
      hello?.kind === 'message' && hello.message.type === 'client_hello' ? hello.message.random : undefined;
    expect(Array.from(random ?? [])).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });
});
