/**
 * `tls-lab handshake` against `openssl s_server` on 127.0.0.1 (spawned on a free port, killed after): a real
 * TCP handshake by our client engine, the summary, the JSON event log, the key log line compared with the
 * one OpenSSL writes (-keylogfile), and the exit status and message on failure.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventLogFromJson } from '../../src/lib/tls12/handshake/index.ts';
import { startSServer, tempFiles, type SServer } from '../kit/programs/openssl-cli.ts';
import { testPki, type TestPki } from '../kit/pure/pki.ts';
import { runCli } from '../kit/programs/run-cli.ts';

let pki: TestPki;
let files: Record<string, string>;
let server: SServer | undefined;

beforeAll(async () => {
  pki = await testPki();
  files = tempFiles({ 'ca.pem': pki.ca.certPem, 'keylog-ours.txt': '', 'keylog-openssl.txt': '' });
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('tls-lab handshake against openssl s_server', () => {
  it('completes, prints version, suite, group, signature scheme, the chain and every message, exit 0', async () => {
    server = await startSServer(pki.rsa.certPem, pki.rsa.keyPem, [
      '-keylogfile',
      files['keylog-openssl.txt']!,
    ]);
    const r = await runCli([
      'handshake',
      '--connect',
      `127.0.0.1:${server.port}`,
      '--tls',
      '1.2',
      '--servername',
      'localhost',
      '--ca',
      files['ca.pem']!,
      '--suites',
      '0xc02f',
      '--keylog',
      files['keylog-ours.txt']!,
    ]);
    expect(r.code, r.stderr).toBe(0);
    // The outcome first (issue #21), the details after.
    expect(r.stdout.split('\n')[0]).toBe(
      `HANDSHAKE COMPLETE: TLSv1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ECDHE x25519; certificate verified against ${files['ca.pem']} for localhost`,
    );
    expect(r.stdout).toContain('Protocol:          TLSv1.2');
    expect(r.stdout).toContain('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)');
    expect(r.stdout).toMatch(/Key exchange:\s+ECDHE x25519/);
    expect(r.stdout).toMatch(/Signature scheme:\s+rsa_pss_rsae_sha256/);
    expect(r.stdout).toContain('subject CN=localhost, O=TLS Lab RSA');
    expect(r.stdout).toContain('issuer  CN=TLS Lab Test CA, O=TLS Lab');
    for (const m of [
      'client_hello',
      'server_hello',
      'certificate',
      'server_key_exchange',
      'server_hello_done',
      'client_key_exchange',
      'finished',
    ]) {
      expect(r.stdout).toContain(` ${m} (`);
    }
    const ours = readFileSync(files['keylog-ours.txt']!, 'utf8').trim();
    expect(ours).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
    expect(readFileSync(files['keylog-openssl.txt']!, 'utf8')).toContain(ours);
  });

  it('--json prints the event log with records, messages and secrets', async () => {
    server = await startSServer(pki.ecdsa.certPem, pki.ecdsa.keyPem);
    const r = await runCli([
      'handshake',
      '--connect',
      `127.0.0.1:${server.port}`,
      '--tls',
      '1.2',
      '--servername',
      'localhost',
      '--ca',
      files['ca.pem']!,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const eventLog = eventLogFromJson(r.stdout);
    expect(
      eventLog.some((e) => e.kind === 'record' && e.encrypted && e.plaintext instanceof Uint8Array),
    ).toBe(true);
    expect(
      eventLog.filter((e) => e.kind === 'message').map((e) => (e.kind === 'message' ? e.name : '')),
    ).toContain('server_key_exchange');
    expect(
      eventLog.some((e) => e.kind === 'secret' && e.name === 'master_secret' && e.value.length === 48),
    ).toBe(true);
    const done = eventLog.find((e) => e.kind === 'handshake_complete');
    expect(done?.kind === 'handshake_complete' && done.summary.cipherSuiteName).toMatch(/ECDHE_ECDSA/);
  });

  it('--direct-postgres offers ALPN "postgresql" and reports the one the server selected', async () => {
    server = await startSServer(pki.rsa.certPem, pki.rsa.keyPem, ['-alpn', 'postgresql']);
    const r = await runCli([
      'handshake',
      '--connect',
      `127.0.0.1:${server.port}`,
      '--direct-postgres',
      '--servername',
      'localhost',
      '--ca',
      files['ca.pem']!,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ALPN:\s+postgresql/);
  });

  it('exits 2 saying we sent unknown_ca when the server certificate is from an untrusted CA', async () => {
    server = await startSServer(pki.untrusted.certPem, pki.untrusted.keyPem);
    const r = await runCli([
      'handshake',
      '--connect',
      `127.0.0.1:${server.port}`,
      '--servername',
      'localhost',
      '--ca',
      files['ca.pem']!,
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout.split('\n')[0]).toMatch(/^HANDSHAKE FAILED: we sent fatal alert unknown_ca \(48\): /);
    expect(r.stderr).toContain('we sent fatal alert unknown_ca (48)');
    expect(r.stderr).toContain('Untrusted Test CA');
  });

  it('exits 2 saying the server sent handshake_failure when no suite is shared', async () => {
    server = await startSServer(pki.rsa.certPem, pki.rsa.keyPem, ['-cipher', 'ECDHE-RSA-AES256-GCM-SHA384']);
    const r = await runCli([
      'handshake',
      '--connect',
      `127.0.0.1:${server.port}`,
      '--tls',
      '1.2',
      '--ca',
      files['ca.pem']!,
      '--suites',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the server sent fatal alert handshake_failure (40)');
  });

  it('exits 1 with a clear message when nothing listens', async () => {
    const r = await runCli(['handshake', '--connect', '127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot connect to 127\.0\.0\.1:1/);
  });

  it('--help lists the handshake subcommand', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+handshake\s+/m);
  });
});
