/**
 * `tls-lab handshake` with TLS 1.3 against real peers: a throw-away PostgreSQL (SSLRequest, our 1.3 client by
 * default, as psql negotiates it; `--tls 1.2` forces 1.2), with PostgreSQL's own log line naming the protocol it
 * accepted; `openssl s_server -tls1_3`; real tcpdump + tshark decrypting the CLI's PostgreSQL connection with the
 * key log the CLI wrote, and the `--pcap-out` file with no key log argument.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLogFromJson } from '../../src/lib/tls12/handshake/index.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { pemToDer } from '../../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../../src/lib/tls12/pki-verifier.ts';
import { PgFront13 } from '../kit/programs/pg-front13.ts';
import { startSServer, tempFiles } from '../kit/programs/openssl-cli.ts';
import { startPostgres, type Postgres } from '../kit/programs/postgres-cli.ts';
import { runCli } from '../kit/programs/run-cli.ts';
import { tcpdump, waitForCapture } from '../kit/programs/tcpdump.ts';
import { tsharkWithNoSettings } from '../kit/programs/tshark.ts';
import { postgresConnectArgs } from '../kit/pure/captures.ts';
import { testPki, type TestPki } from '../kit/pure/pki.ts';

const dir = mkdtempSync(join(tmpdir(), 'tls-lab-cli13-'));
const tsharkRun = tsharkWithNoSettings();
let pki: TestPki;
let pg: Postgres;
let ca: string;

beforeAll(async () => {
  pki = await testPki();
  ca = tempFiles({ 'ca.pem': pki.ca.certPem })['ca.pem']!;
  // log_connections: the server's own line for each connection names the TLS protocol it accepted.
  pg = await startPostgres(pki.rsa.certPem, pki.rsa.keyPem, ['log_connections = on']);
});

afterAll(() => pg?.stop());

const pgArgs = (extra: string[] = []) =>
  postgresConnectArgs(pg.port, ['--servername', 'localhost', '--ca', ca, ...extra]);

/** PostgreSQL's "connection authorized" lines for alice: the protocol of each, in order. */
function serverProtocols(): string[] {
  return [
    ...pg.log().matchAll(/connection authorized: user=alice .*SSL enabled \(protocol=(TLSv1\.\d)/g),
  ].map((m) => m[1]!);
}

describe('tls-lab handshake --starttls postgres: TLS 1.3 by default, as psql', () => {
  it('negotiates TLSv1.3, reaches AuthenticationOk and ReadyForQuery; PostgreSQL logs TLSv1.3', async () => {
    const before = serverProtocols().length;
    const r = await runCli(pgArgs());
    expect(r.code, `${r.stderr}\n${pg.log()}`).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^HANDSHAKE COMPLETE: TLSv1\.3, TLS_AES_\d+_GCM_SHA\d+, ECDHE secp256r1; certificate verified/,
    );
    expect(lines[1]).toBe('PostgreSQL replied: AuthenticationOk');
    // PostgreSQL's ssl_ecdh_curve (prime256v1 by default) does not take our x25519 share: it asks again.
    // OpenSSL writes its middlebox ChangeCipherSpec with the HelloRetryRequest: the transcript lists it before our
    // answer, as it reached us (it was listed after our second ClientHello).
    expect(r.stdout).toMatch(
      /S -> C {2}hello_retry_request \(\d+ bytes\)\n {2}S -> C {2}ChangeCipherSpec\n {2}C -> S {2}ChangeCipherSpec\n {2}C -> S {2}client_hello/,
    );
    expect(r.stdout).toContain('Protocol:          TLSv1.3');
    expect(r.stdout).toMatch(/S -> C {2}encrypted_extensions \(\d+ bytes\) \[encrypted\]/);
    expect(r.stdout).toMatch(/S -> C {2}certificate \(\d+ bytes\) \[encrypted\]/);
    expect(r.stdout).toContain('PostgreSQL ReadyForQuery (I) [in TLS]');
    // Each piece of application data is listed, as `--pcap` lists it (a review found them missing).
    expect(r.stdout).toMatch(
      /C -> S {2}application data \(\d+ bytes\) \[encrypted\]\n {2}C -> S {2}PostgreSQL StartupMessage/,
    );
    expect(serverProtocols().slice(before)).toEqual(['TLSv1.3']);
  });

  it('--tls 1.2 negotiates TLSv1.2; PostgreSQL logs TLSv1.2', async () => {
    const before = serverProtocols().length;
    const r = await runCli(pgArgs(['--tls', '1.2']));
    expect(r.code, `${r.stderr}\n${pg.log()}`).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^HANDSHAKE COMPLETE: TLSv1\.2, TLS_ECDHE_/);
    expect(r.stdout).toContain('PostgreSQL replied: AuthenticationOk');
    expect(serverProtocols().slice(before)).toEqual(['TLSv1.2']);
  });

  it('--tls 1.3 --json: the event log has 1.3 messages and protected records with their inner content type', async () => {
    const r = await runCli(pgArgs(['--tls', '1.3', '--json']));
    expect(r.code, r.stderr).toBe(0);
    const log = eventLogFromJson(r.stdout);
    const names = log.flatMap((e) => (e.kind === 'message' && e.from === 'server' ? [e.name] : []));
    expect(names.slice(0, 6)).toEqual([
      'hello_retry_request',
      'server_hello',
      'encrypted_extensions',
      'certificate',
      'certificate_verify',
      'finished',
    ]);
    const protectedRecords = log.filter((e) => e.kind === 'record' && e.encrypted);
    expect(protectedRecords.length).toBeGreaterThan(4);
    for (const e of protectedRecords)
      expect(e.kind === 'record' && e.innerContentType !== undefined && e.contentType === 23).toBe(true);
    expect(log.some((e) => e.kind === 'postgres' && e.label === 'ReadyForQuery (I)')).toBe(true);
  });
});

/** The CLI against an s_server on `port`, with the test PKI's CA, for localhost. */
const sServerArgs = (port: number, extra: string[] = []) => [
  'handshake',
  '--connect',
  `127.0.0.1:${port}`,
  '--servername',
  'localhost',
  '--ca',
  ca,
  ...extra,
];

describe('tls-lab handshake against openssl s_server -tls1_3', () => {
  it('completes in TLS 1.3; the key log lines equal the server’s -keylogfile', async () => {
    const files = tempFiles({ 'ours.log': '', 'openssl.log': '' });
    const server = await startSServer(pki.ecdsa.certPem, pki.ecdsa.keyPem, [
      '-tls1_3',
      '-keylogfile',
      files['openssl.log']!,
    ]);
    try {
      const r = await runCli(sServerArgs(server.port, ['--keylog', files['ours.log']!]));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/^HANDSHAKE COMPLETE: TLSv1\.3, /);
      expect(r.stdout).toMatch(/Signature scheme:\s+ecdsa_secp256r1_sha256/);
      const ours = readFileSync(files['ours.log']!, 'utf8').trim().split('\n');
      expect(ours.map((l) => l.split(' ')[0]).sort()).toEqual([
        'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
        'CLIENT_TRAFFIC_SECRET_0',
        'EXPORTER_SECRET',
        'SERVER_HANDSHAKE_TRAFFIC_SECRET',
        'SERVER_TRAFFIC_SECRET_0',
      ]);
      const theirs = readFileSync(files['openssl.log']!, 'utf8');
      for (const line of ours) expect(theirs).toContain(line);
      // What the server sends after our Finished is read too: its two tickets, and its close_notify.
      expect(r.stdout.match(/S -> C {2}new_session_ticket \(\d+ bytes\) \[encrypted\]/g)).toHaveLength(2);
      expect(r.stdout).toContain('S -> C  alert close_notify (0) [encrypted]');
    } finally {
      await server.stop();
    }
  });

  it('a server that requires a client certificate refuses our empty one after our Finished: exit 2, its alert', async () => {
    // RFC 8446 §4.4.2.4: the server checks the client's flight after the client's Finished, so its alert comes
    // after what is a complete handshake on our side (openssl s_client reports "tlsv13 alert certificate required").
    const server = await startSServer(pki.rsa.certPem, pki.rsa.keyPem, [
      '-tls1_3',
      '-Verify',
      '1',
      '-CAfile',
      ca,
    ]);
    try {
      const r = await runCli(sServerArgs(server.port));
      expect(r.code, r.stdout).toBe(2);
      expect(r.stdout.split('\n')[0]).toBe(
        'HANDSHAKE FAILED: the server sent fatal alert certificate_required (116)',
      );
      expect(r.stdout).toMatch(/C -> S {2}certificate \(8 bytes\) \[encrypted\]\n {2}C -> S {2}finished/);
      expect(r.stdout).toContain('S -> C  alert certificate_required (116) [encrypted]');
      expect(r.stderr).toBe(
        'tls-lab handshake: failed: the server sent fatal alert certificate_required (116)\n',
      );
    } finally {
      await server.stop();
    }
  });
});

describe('tls-lab handshake --starttls postgres --pg-user: a server that drops the connection after the handshake', () => {
  it('our own unexpected-EOF alert is not the outcome: the server closed before answering (exit 1)', async () => {
    // Node's TLS 1.3 server behind an SSLRequest front: it reads the StartupMessage and destroys the socket with no
    // close_notify. Our client then sends decode_error ("unexpected eof"), which a review found reported as
    // "HANDSHAKE FAILED: we sent fatal alert decode_error" with exit 2.
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.write('S');
        const secure = new tls.TLSSocket(socket, {
          isServer: true,
          key: pki.rsa.keyPem,
          cert: pki.rsa.certPem,
        });
        secure.once('data', () => socket.destroy());
        secure.on('error', () => undefined);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const r = await runCli(postgresConnectArgs(port, ['--servername', 'localhost', '--ca', ca]));
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toMatch(/the server closed the connection before answering the StartupMessage/);
      expect(r.stdout).not.toContain('HANDSHAKE FAILED');
    } finally {
      server.close();
    }
  });
});

describe('tls-lab handshake --starttls postgres --pg-user: a refusal of our certificate flight', () => {
  it('the alert that answers our Finished is the outcome (exit 2), not a connection error', async () => {
    const front = await PgFront13.start();
    try {
      const clientVerifier = pkiVerifier({
        anchors: pemToDer(pki.ca.certPem, 'CERTIFICATE'),
        checkHostName: false,
      });
      const next = front.next({
        certificates: [
          {
            chain: pemToDer(pki.rsa.certPem, 'CERTIFICATE'),
            privateKey: pemToDer(pki.rsa.keyPem, 'PRIVATE KEY')[0]!,
          },
        ],
        requestClientCertificate: true,
        requireClientCertificate: true,
        clientVerifier,
      });
      const r = await runCli(postgresConnectArgs(front.port, ['--servername', 'localhost', '--ca', ca]));
      await (await next).idle();
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stdout.split('\n')[0]).toBe(
        'HANDSHAKE FAILED: the server sent fatal alert certificate_required (116)',
      );
      expect(r.stdout).toContain('PostgreSQL StartupMessage');
      expect(r.stdout).toContain('S -> C  alert certificate_required (116) [encrypted]');
    } finally {
      await front.close();
    }
  });
});

describe('real tshark decrypts the CLI’s TLS 1.3 PostgreSQL connection', () => {
  const decodeAs = () => ['-d', `tcp.port==${pg.port},pgsql`];
  /** Decrypted handshake types and PostgreSQL message types tshark sees. */
  function seen(file: string, ...args: string[]): { handshake: string[]; pgsql: string[] } {
    const field = (filter: string, name: string) =>
      tsharkRun(file, ...decodeAs(), ...args, '-Y', filter, '-T', 'fields', '-e', name)
        .split(/[\n,]/)
        .map((t) => t.trim())
        .filter(Boolean);
    return {
      handshake: field('tls.handshake.type', 'tls.handshake.type'),
      pgsql: field('pgsql', 'pgsql.type'),
    };
  }

  /** The client's close_notify (its last record) is in the file tcpdump is still writing. */
  async function closedInFile(file: string, keys: string): Promise<boolean> {
    const io = memoryIo();
    await main(['handshake', '--pcap', file, '--keylog', keys], io);
    return io.stdout().includes('C -> S  alert close_notify');
  }

  it('a tcpdump capture, with the key log the CLI wrote', async () => {
    const file = join(dir, 'cli13.pcap');
    const keys = join(dir, 'cli13.keys.log');
    const capture = await tcpdump(file, pg.port);
    let live: Awaited<ReturnType<typeof runCli>> | undefined;
    try {
      live = await runCli(pgArgs(['--keylog', keys]));
      // tcpdump -U writes each packet as it sees it: wait until the closing packets are in the file.
      await waitForCapture(() => closedInFile(file, keys));
    } finally {
      await capture.stop();
    }
    expect(live?.code, live?.stderr).toBe(0);
    expect(readFileSync(keys, 'utf8')).toMatch(
      /^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64,96}$/m,
    );
    // Without the key log: the encrypted handshake (EncryptedExtensions = 8, Certificate = 11) stays hidden.
    expect(seen(file).handshake).not.toContain('8');
    const opened = seen(file, '-o', `tls.keylog_file:${keys}`);
    // EncryptedExtensions (8), Certificate (11), CertificateVerify (15), Finished (20) decrypted.
    expect(opened.handshake).toEqual(expect.arrayContaining(['1', '2', '8', '11', '15', '20']));
    expect(opened.pgsql).toEqual(
      expect.arrayContaining(['Startup message', 'Authentication request', 'Ready for query']),
    );
  });

  it('the --pcap-out file, with no key log argument (its Decryption Secrets Block)', async () => {
    const out = join(dir, 'cli13.pcapng');
    const r = await runCli(pgArgs(['--pcap-out', out]));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^HANDSHAKE COMPLETE: TLSv1\.3, /);
    const opened = seen(out);
    expect(opened.handshake).toEqual(expect.arrayContaining(['1', '2', '8', '11', '15', '20']));
    expect(opened.pgsql).toEqual(
      expect.arrayContaining(['Startup message', 'Authentication request', 'Ready for query']),
    );
  });
});
