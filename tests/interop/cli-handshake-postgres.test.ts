/**
 * `tls-lab handshake --starttls postgres` against a real PostgreSQL 15 with ssl=on, started by the test on
 * 127.0.0.1: SSLRequest -> 'S' -> our TLS handshake (1.3 by default, `--tls 1.2` where 1.2 is checked) -> StartupMessage in the tunnel -> the server's first
 * reply (AuthenticationOk, AuthenticationSASL, or FATAL: no pg_hba.conf entry ...).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLogFromJson } from '../../src/lib/tls12/handshake/index.ts';
import { tempFiles } from '../kit/programs/openssl-cli.ts';
import { testPki } from '../kit/pure/pki.ts';
import { startPostgres, type Postgres } from '../kit/programs/postgres-cli.ts';
import { runCli } from '../kit/programs/run-cli.ts';

let pg: Postgres;
let ca: string;

beforeAll(async () => {
  const pki = await testPki();
  ca = tempFiles({ 'ca.pem': pki.ca.certPem })['ca.pem']!;
  pg = await startPostgres(pki.rsa.certPem, pki.rsa.keyPem);
});

afterAll(() => pg?.stop());

const base = () => [
  'handshake',
  '--connect',
  `127.0.0.1:${pg.port}`,
  '--starttls',
  'postgres',
  '--servername',
  'localhost',
  '--ca',
  ca,
];

describe('tls-lab handshake --starttls postgres against PostgreSQL 15', () => {
  it('a trusted user gets AuthenticationOk inside TLS 1.2 (--tls 1.2; TLS 1.3, the default: cli-handshake-tls13)', async () => {
    const r = await runCli([...base(), '--tls', '1.2', '--pg-user', 'alice', '--pg-database', 'postgres']);
    expect(r.code, `${r.stderr}\n${pg.log()}`).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^HANDSHAKE COMPLETE: TLSv1\.2, /);
    expect(r.stdout.split('\n')[1]).toBe('PostgreSQL replied: AuthenticationOk');
    expect(r.stdout).toContain("PostgreSQL SSL response 'S'");
    expect(r.stdout).toContain('Protocol:          TLSv1.2');
    expect(r.stdout).toContain('PostgreSQL replied: AuthenticationOk');
  });

  it('lists the tunnel in wire order: StartupMessage, every reply up to ReadyForQuery, then close_notify', async () => {
    const r = await runCli([...base(), '--pg-user', 'alice', '--pg-database', 'postgres']);
    expect(r.code, `${r.stderr}\n${pg.log()}`).toBe(0);
    const lines = r.stdout.split('\n').map((l) => l.trim());
    const at = (re: RegExp) => {
      const i = lines.findIndex((l) => re.test(l));
      expect(i, `${re} in\n${r.stdout}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    const startup = at(/^C -> S {2}PostgreSQL StartupMessage \[in TLS\]$/);
    const ok = at(/^S -> C {2}PostgreSQL AuthenticationOk \[in TLS\]$/);
    const params = at(/^S -> C {2}PostgreSQL ParameterStatus server_version=15\./);
    const ready = at(/^S -> C {2}PostgreSQL ReadyForQuery \(I\) \[in TLS\]$/);
    const close = at(/^C -> S {2}alert close_notify \(0\)/);
    expect(startup).toBeLessThan(ok);
    expect(ok).toBeLessThan(params);
    expect(params).toBeLessThan(ready);
    expect(ready).toBeLessThan(close);
  });

  it('--json: each record names what it carries, each PostgreSQL reply the application data that held it', async () => {
    const r = await runCli([...base(), '--pg-user', 'alice', '--pg-database', 'postgres', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const t = eventLogFromJson(r.stdout);
    const content = new Map(t.flatMap((e) => ('id' in e ? [[e.id, e] as const] : [])));
    const kinds: Record<number, string> = {
      20: 'change_cipher_spec',
      21: 'alert',
      22: 'message',
      23: 'application_data',
    };
    for (const e of t) {
      if (e.kind !== 'record') continue;
      expect(e.carries.length).toBeGreaterThan(0);
      // TLS 1.3 (the default): a protected record's real content type is its inner one.
      for (const id of e.carries)
        expect(content.get(id)?.kind, id).toBe(kinds[e.innerContentType ?? e.contentType]);
    }
    const replies = t.filter((e) => e.kind === 'postgres' && e.inTunnel && e.from === 'server');
    expect(replies.map((e) => (e.kind === 'postgres' ? e.label : ''))).toEqual(
      expect.arrayContaining(['AuthenticationOk', 'ReadyForQuery (I)']),
    );
    for (const e of t) {
      if (e.kind !== 'postgres' || !e.inTunnel) continue;
      expect(e.carriedIn?.length, e.label).toBeGreaterThan(0);
      // The bytes of the message are in the plaintext of the application data that carried it.
      const carried = Buffer.concat(
        (e.carriedIn ?? []).map((id) => {
          const d = content.get(id);
          return d?.kind === 'application_data' && d.from === e.from ? d.data : new Uint8Array();
        }),
      );
      expect(carried.includes(Buffer.from(e.bytes)), e.label).toBe(true);
    }
  });

  it('a scram user is asked for SASL (SCRAM-SHA-256)', async () => {
    const r = await runCli([...base(), '--pg-user', 'bob', '--pg-database', 'postgres']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PostgreSQL replied: AuthenticationSASL \(SCRAM-SHA-256/);
  });

  it('a user without a pg_hba.conf entry gets the FATAL text and exit 3', async () => {
    const r = await runCli([...base(), '--pg-user', 'mallory', '--pg-database', 'postgres']);
    expect(r.code).toBe(3);
    expect(r.stdout.split('\n')[0]).toBe(
      'REFUSED by PostgreSQL after the handshake: FATAL: no pg_hba.conf entry for host "127.0.0.1", user "mallory", database "postgres", SSL encryption (SQLSTATE 28000)',
    );
    expect(r.stdout).toContain(
      'PostgreSQL replied: FATAL: no pg_hba.conf entry for host "127.0.0.1", user "mallory", database "postgres", SSL encryption',
    );
    expect(r.stdout).toContain('SQLSTATE 28000');
  });

  it('a trusted user asking for a database that does not exist: AuthenticationOk, then the FATAL, and exit 3', async () => {
    // A review found 'PostgreSQL replied: AuthenticationOk' and exit 0: under trust the FATAL follows AuthenticationOk.
    const r = await runCli([...base(), '--pg-user', 'alice', '--pg-database', 'nosuchdb']);
    expect(r.code, r.stdout).toBe(3);
    expect(r.stdout.split('\n')[0]).toBe(
      'REFUSED by PostgreSQL after the handshake: FATAL: database "nosuchdb" does not exist (SQLSTATE 3D000)',
    );
    const lines = r.stdout.split('\n').map((l) => l.trim());
    const ok = lines.findIndex((l) => l.includes('PostgreSQL AuthenticationOk'));
    const fatal = lines.findIndex((l) => l.includes('PostgreSQL FATAL: database "nosuchdb" does not exist'));
    expect(ok, r.stdout).toBeGreaterThan(0);
    expect(fatal, r.stdout).toBeGreaterThan(ok);
  });

  it('--json shows the SSLRequest bytes, the S byte and the StartupMessage in the tunnel', async () => {
    const r = await runCli([...base(), '--pg-user', 'alice', '--pg-database', 'postgres', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const t = eventLogFromJson(r.stdout);
    const pgEntries = t.filter((e) => e.kind === 'postgres');
    expect(pgEntries[0]?.kind === 'postgres' && Buffer.from(pgEntries[0].bytes).toString('hex')).toBe(
      '0000000804d2162f',
    );
    expect(pgEntries[1]?.kind === 'postgres' && pgEntries[1].label).toBe("SSL response 'S'");
    const startup = pgEntries.find((e) => e.kind === 'postgres' && e.label === 'StartupMessage');
    expect(startup?.kind === 'postgres' && startup.inTunnel).toBe(true);
    // The StartupMessage travelled as encrypted application data.
    expect(
      t.some((e) => e.kind === 'record' && e.from === 'client' && e.contentType === 23 && e.encrypted),
    ).toBe(true);
  });
});
