/**
 * Failure paths provoked against OpenSSL end with the alert a real peer sends (RFC 5246 §7.2.2): our side
 * and OpenSSL agree on who sent what. OpenSSL's view comes from its error (Node maps OpenSSL's reason,
 * e.g. "tlsv1 alert unknown ca" -> ERR_SSL_TLSV1_ALERT_UNKNOWN_CA).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineSocket } from '../../src/cli/engine-socket.ts';
import { type AlertEntry, type CertificateVerifier } from '../../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../../src/lib/tls12/pki-verifier.ts';
import { openSslToOurServer, ourClientToOpenSsl } from '../kit/programs/node-peers.ts';
import {
  connectOurs,
  sClientAgainstOurServer,
  startSServer,
  tempFiles,
} from '../kit/programs/openssl-cli.ts';
import { requireProgram } from '../kit/programs/programs.ts';
import { testPki, type TestPki } from '../kit/pure/pki.ts';

let pki: TestPki;
let verifier: CertificateVerifier;
beforeAll(async () => {
  pki = await testPki();
  verifier = pkiVerifier({ anchors: [pki.ca.certDer] });
});

const isAlert = (from: 'client' | 'server') => (e: { kind: string; from?: string }) =>
  e.kind === 'alert' && e.from === from;

async function alertFrom(ours: EngineSocket, from: 'client' | 'server'): Promise<AlertEntry> {
  return (await ours.waitFor(isAlert(from))) as AlertEntry;
}

/** The exact reason our client gives with each certificate alert (what the Handshake Lab and the CLI show). */
/** The one verifier's reasons: OpenSSL's error text and code, then the certificate at that depth and its issuer. */
const VERIFY_REASONS = {
  untrusted: () =>
    'unable to get local issuer certificate (X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY) at depth 0: O=Untrusted,CN=localhost (issuer O=Elsewhere,CN=Untrusted Test CA)',
  expired: () =>
    'certificate has expired (X509_V_ERR_CERT_HAS_EXPIRED) at depth 0: O=TLS Lab expired,CN=localhost (issuer O=TLS Lab,CN=TLS Lab Test CA)',
  wrongHost: () =>
    'hostname mismatch (X509_V_ERR_HOSTNAME_MISMATCH) at depth 0: O=TLS Lab wrong host,CN=wrong.example (issuer O=TLS Lab,CN=TLS Lab Test CA)',
} as const;

describe('our client against an OpenSSL server', () => {
  it('receives protocol_version (70) from a TLS 1.3-only OpenSSL server', async () => {
    const run = ourClientToOpenSsl(
      { serverName: 'localhost', verifier },
      { key: pki.rsa.keyPem, cert: pki.rsa.certPem, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
    );
    const alert = await alertFrom(run.ours, 'server');
    expect(alert.description).toBe(70);
    expect(run.ours.state).toBe('Closed');
  });

  it('receives handshake_failure (40) when the cipher suites are disjoint', async () => {
    const run = ourClientToOpenSsl(
      { serverName: 'localhost', verifier, suites: [0xc02f] },
      { key: pki.rsa.keyPem, cert: pki.rsa.certPem, ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' },
    );
    expect((await alertFrom(run.ours, 'server')).description).toBe(40);
  });

  it('receives handshake_failure (40) when no group is shared', async () => {
    const run = ourClientToOpenSsl(
      { serverName: 'localhost', verifier, suites: [0xc02f], groups: [29] },
      { key: pki.rsa.keyPem, cert: pki.rsa.certPem, ecdhCurve: 'P-384' },
    );
    expect((await alertFrom(run.ours, 'server')).description).toBe(40);
  });

  it.each([
    ['an untrusted CA with unknown_ca (48)', 'untrusted', 48, 'unknown_ca', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'],
    [
      'an expired certificate',
      'expired',
      45,
      'certificate_expired',
      'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
    ],
    [
      'a certificate for another host',
      'wrongHost',
      42,
      'bad_certificate',
      'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
    ],
  ] as const)('rejects %s, and OpenSSL reports the alert', async (_what, which, code, name, opensslCode) => {
    const id = pki[which];
    const run = ourClientToOpenSsl(
      { serverName: 'localhost', verifier },
      { key: id.keyPem, cert: id.certPem },
    );
    const sent = await alertFrom(run.ours, 'client');
    expect(sent.description).toBe(code);
    expect(sent.name).toBe(name);
    expect(sent.reason).toBe(VERIFY_REASONS[which]());
    await waitUntil(() => run.errors.length > 0);
    expect(run.errors[0]?.code).toBe(opensslCode);
  });

  // Node's tls module does not flush the alert OpenSSL decides on after the first flight, so these run
  // against `openssl s_server` over TCP.
  it.each([
    [
      'a flipped ciphertext byte in our Finished record (AES-GCM) -> bad_record_mac (20)',
      0xc02f,
      'finished-record',
      undefined,
      20,
      /bad record mac|decryption failed|cipher operation failed/i,
    ],
    [
      'a flipped ciphertext byte in our Finished record (ChaCha20-Poly1305) -> bad_record_mac (20)',
      0xcca8,
      'finished-record',
      undefined,
      20,
      /bad record mac/i,
    ],
    [
      'a flipped byte of our Finished verify_data -> decrypt_error (51)',
      0xc02f,
      'finished',
      undefined,
      51,
      /digest check failed/i,
    ],
    [
      'a Finished without ChangeCipherSpec -> unexpected_message (10)',
      0xc02f,
      undefined,
      'omit-change-cipher-spec',
      10,
      /unexpected message/i,
    ],
  ] as const)(
    '%s: openssl s_server sends that alert',
    async (_what, suite, tamper, misbehave, code, reason) => {
      const server = await startSServer(pki.rsa.certPem, pki.rsa.keyPem, ['-tls1_2', '-naccept', '1']);
      try {
        const socket = await connectOurs(server.port);
        const ours = EngineSocket.client(socket, {
          serverName: 'localhost',
          verifier,
          suites: [suite],
          ...(tamper ? { tamper } : {}),
          ...(misbehave ? { misbehave } : {}),
        });
        expect((await alertFrom(ours, 'server')).description).toBe(code);
        await waitUntil(() => reason.test(server.output()));
      } finally {
        await server.stop();
      }
    },
  );

  it('a flipped byte in our first application-data record (AES-CBC) makes OpenSSL send bad_record_mac (20)', async () => {
    const run = ourClientToOpenSsl(
      { serverName: 'localhost', verifier, suites: [0xc013], tamper: 'application-data-record' },
      { key: pki.rsa.keyPem, cert: pki.rsa.certPem },
    );
    expect(await run.ours.settled()).toBe('complete');
    await run.ours.send(new TextEncoder().encode('this record is damaged in transit'));
    expect((await alertFrom(run.ours, 'server')).description).toBe(20);
  });
});

describe('OpenSSL client against our server', () => {
  it('we send protocol_version (70) to a TLS 1.2 client when configured TLS 1.3-only', async () => {
    const run = openSslToOurServer(
      {
        certificateChain: [pki.rsa.certDer],
        privateKey: pki.rsa.keyDer,
        minVersion: 0x0304,
        maxVersion: 0x0304,
      },
      { ca: pki.ca.certPem },
    );
    const err = await run.error;
    expect(err.code).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect((await alertFrom(run.ours, 'server')).description).toBe(70);
  });

  it('we send handshake_failure (40) when the client offers no suite we accept', async () => {
    const run = openSslToOurServer(
      { certificateChain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer, suites: [0xc02f] },
      { ca: pki.ca.certPem, ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' },
    );
    expect((await run.error).code).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
    expect((await alertFrom(run.ours, 'server')).reason).toContain('no cipher suite in common');
  });

  it.each([
    [
      'a missing ServerKeyExchange -> unexpected_message (10)',
      { misbehave: 'omit-server-key-exchange' as const, suites: [0xc02f] },
      10,
      /unexpected message/i,
    ],
    [
      'a flipped byte of our server Finished -> decrypt_error (51)',
      { tamper: 'finished' as const },
      51,
      /digest check failed/i,
    ],
    [
      'a flipped ciphertext byte in our server Finished record -> bad_record_mac (20)',
      { tamper: 'finished-record' as const },
      20,
      /bad record mac|decryption failed|cipher operation failed/i,
    ],
  ])('%s: openssl s_client answers with the matching alert', async (_what, extra, code, reason) => {
    const { output, ours } = await sClientAgainstOurServer(
      { certificateChain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer, ...extra },
      ['-servername', 'localhost', '-CAfile', tempFiles({ 'ca.pem': pki.ca.certPem })['ca.pem']!],
    );
    expect(output).toMatch(reason);
    expect((await alertFrom(ours, 'client')).description).toBe(code);
  });

  it('openssl s_client -verify_return_error rejects our server certificate from an unknown CA with unknown_ca (48)', async () => {
    const openssl = requireProgram('openssl');
    const dir = mkdtempSync(join(tmpdir(), 'tls-lab-'));
    writeFileSync(join(dir, 'ca.pem'), pki.ca.certPem);
    let ours: EngineSocket | undefined;
    const server = net.createServer((socket) => {
      ours = EngineSocket.server(socket, {
        certificateChain: [pki.untrusted.certDer],
        privateKey: pki.untrusted.keyDer,
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const child = spawn(
      openssl,
      [
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        '-tls1_2',
        '-servername',
        'localhost',
        '-CAfile',
        join(dir, 'ca.pem'),
        '-verify_return_error',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    server.close();
    expect(code).not.toBe(0);
    expect(output).toMatch(/unable to get local issuer certificate|unable to verify/);
    const alert = await ours!.waitFor(isAlert('client'));
    expect(alert.kind === 'alert' && alert.description).toBe(48);
  });
});

async function waitUntil(cond: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
