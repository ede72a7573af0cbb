/**
 * `tls-lab handshake --connect ... --pcap-out FILE` writes the live connection as pcapng with its key log in a
 * Decryption Secrets Block: real tshark, with no key log argument and an empty profile, shows the decrypted
 * handshake (both Finished messages) and the application data, against `openssl s_server` and against a
 * throw-away PostgreSQL 15 (SSLRequest, 'S', TLS, then StartupMessage / AuthenticationOk ... ReadyForQuery in the
 * tunnel). The file's addresses and ports are the socket's. And our own `--pcap` reads it back decrypted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSServer, tempFiles, type SServer } from '../kit/programs/openssl-cli.ts';
import { startPostgres, type Postgres } from '../kit/programs/postgres-cli.ts';
import { requireProgram } from '../kit/programs/programs.ts';
import { runCli } from '../kit/programs/run-cli.ts';
import { tsharkWithNoSettings } from '../kit/programs/tshark.ts';
import { postgresConnectArgs } from '../kit/pure/captures.ts';
import { testPki } from '../kit/pure/pki.ts';

const dir = mkdtempSync(join(tmpdir(), 'tls-lab-pcap-out-'));
const tsharkRun = tsharkWithNoSettings();

/** "ip.src tcp.srcport" of each decrypted Finished (handshake type 20). */
function finishedFrom(file: string, ...decodeAs: string[]): string[] {
  return tsharkRun(
    file,
    ...decodeAs,
    '-Y',
    'tls.handshake.type == 20',
    '-T',
    'fields',
    '-e',
    'ip.src',
    '-e',
    'tcp.srcport',
  )
    .trim()
    .split('\n')
    .filter(Boolean);
}

let server: SServer;
let pg: Postgres;
let ca: string;

beforeAll(async () => {
  const pki = await testPki();
  ca = tempFiles({ 'ca.pem': pki.ca.certPem })['ca.pem']!;
  server = await startSServer(pki.rsa.certPem, pki.rsa.keyPem, ['-tls1_2']);
  pg = await startPostgres(pki.rsa.certPem, pki.rsa.keyPem);
});

afterAll(async () => {
  await server?.stop();
  pg?.stop();
});

describe('--pcap-out against openssl s_server -tls1_2', () => {
  it('tshark decrypts the handshake and the close_notify alerts with no key log argument', async () => {
    const out = join(dir, 's_server.pcapng');
    const r = await runCli([
      'handshake',
      '--connect',
      `127.0.0.1:${server.port}`,
      '--servername',
      'localhost',
      '--ca',
      ca,
      '--pcap-out',
      out,
    ]);
    expect(r.code, `${r.stderr}\n${server.output()}`).toBe(0);
    const finished = finishedFrom(out);
    expect(finished).toHaveLength(2);
    const ports = new Set(finished.map((l) => l.split('\t')[1]));
    expect(ports.has(String(server.port))).toBe(true);
    expect(finished.every((l) => l.startsWith('127.0.0.1\t'))).toBe(true);
    // Decrypted alerts: level 1 (warning), description 0 (close_notify), from our client at least.
    const alerts = tsharkRun(out, '-Y', 'tls.alert_message.desc == 0', '-T', 'fields', '-e', 'tcp.dstport');
    expect(alerts.trim().split('\n')).toContain(String(server.port));
    // The same bytes, without the file's secrets, show no Finished: it is the DSB that decrypts.
    const stripped = join(dir, 's_server-nokeys.pcapng');
    execFileSync(requireProgram('editcap'), ['--discard-all-secrets', out, stripped]);
    expect(finishedFrom(stripped)).toEqual([]);
  });

  it('our own --pcap reads the file back with every record decrypted', async () => {
    const out = join(dir, 's_server-2.pcapng');
    const live = await runCli(['handshake', '--connect', `127.0.0.1:${server.port}`, '--pcap-out', out]);
    expect(live.code, live.stderr).toBe(0);
    const r = await runCli(['handshake', '--pcap', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^HANDSHAKE COMPLETE: TLSv1.2, .*; every record decrypted$/);
    expect(r.stdout).toContain(`-> 127.0.0.1:${server.port}, SNI (none), TLS`);
  });
});

describe('a failed handshake (TLS 1.3, our client sends unknown_ca)', () => {
  it('--keylog and --pcap-out still hold the handshake secrets, and tshark opens the server flight', async () => {
    const pki = await testPki();
    const untrusted = await startSServer(pki.untrusted.certPem, pki.untrusted.keyPem, ['-tls1_3']);
    try {
      const out = join(dir, 'failed.pcapng');
      const keylog = tempFiles({ 'failed.keys': '' })['failed.keys']!;
      const r = await runCli([
        'handshake',
        '--connect',
        `127.0.0.1:${untrusted.port}`,
        '--servername',
        'localhost',
        '--ca',
        ca,
        '--keylog',
        keylog,
        '--pcap-out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout.split('\n')[0]).toMatch(/^HANDSHAKE FAILED: we sent fatal alert unknown_ca/);
      const labels = readFileSync(keylog, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0]);
      expect(labels).toEqual(
        expect.arrayContaining(['SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET']),
      );
      // The server's Certificate (type 11) and CertificateVerify (15) travel encrypted: tshark reads them.
      const types = tsharkRun(out, '-Y', 'tls.handshake.type', '-T', 'fields', '-e', 'tls.handshake.type');
      expect(types.split(/[\n,]/).map((t) => t.trim())).toEqual(expect.arrayContaining(['11', '15']));
    } finally {
      await untrusted.stop();
    }
  });
});

describe('--pcap-out against PostgreSQL 15 (--starttls postgres --pg-user alice)', () => {
  it('tshark decrypts the handshake and shows the PostgreSQL messages in the tunnel', async () => {
    const out = join(dir, 'postgres.pcapng');
    const r = await runCli(postgresConnectArgs(pg.port, ['--pcap-out', out]));
    expect(r.code, `${r.stderr}\n${pg.log()}`).toBe(0);
    // PostgreSQL on a test port: tell tshark it is PostgreSQL (as it knows 5432); no key log setting.
    const decodeAs = ['-d', `tcp.port==${pg.port},pgsql`];
    expect(finishedFrom(out, ...decodeAs)).toHaveLength(2);
    const pgsql = tsharkRun(out, ...decodeAs, '-Y', 'pgsql', '-T', 'fields', '-e', 'pgsql.type');
    const types = pgsql.split(/[\n,]/).map((t) => t.trim());
    expect(types).toContain('SSL request');
    expect(types).toContain('Startup message');
    expect(types).toContain('Authentication request');
    expect(types).toContain('Ready for query');
    const follow = tsharkRun(out, ...decodeAs, '-q', '-z', 'follow,tls,ascii,0');
    expect(follow).toContain('alice');
    expect(follow).toContain('server_version');
  });

  it('PostgreSQL 15 spoken to with direct TLS closes first: the file puts its FIN before our alert, as the wire had it', async () => {
    // A review found the file drawing our FIN first, contradicting the CLI's own 'the server closed the connection'.
    const out = join(dir, 'direct.pcapng');
    const r = await runCli([
      'handshake',
      '--connect',
      `127.0.0.1:${pg.port}`,
      '--direct-postgres',
      '--pcap-out',
      out,
    ]);
    expect(r.stdout + r.stderr).toContain('the server closed the connection');
    const rows = tsharkRun(out, '-T', 'fields', '-e', 'tcp.srcport', '-e', 'tcp.flags.fin', '-e', 'tcp.len')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const fromServer = (row: string[]) => row[0] === String(pg.port);
    const firstFin = rows.findIndex((row) => row[1] === '1' || row[1] === 'True');
    expect(firstFin, JSON.stringify(rows)).toBeGreaterThan(0);
    expect(fromServer(rows[firstFin]!), JSON.stringify(rows)).toBe(true);
    // Our alert (client data) comes after the server's FIN.
    const lastClientData = rows.findLastIndex((row) => !fromServer(row) && Number(row[2]) > 0);
    expect(lastClientData, JSON.stringify(rows)).toBeGreaterThan(firstFin);
  });
});
