/**
 * libpq rules that differ by version or cannot be exercised by the installed psql (PostgreSQL 15 only here).
 * Facts: /work/shared reference sslmode spec §1.4-§1.6 and §4.2, read in fe-connect.c / fe-secure-openssl.c of
 * PG15.15, PG16.13, PG17.4, PG18.3. The PG15 cases are also run against real psql in the oracle.
 */
import { describe, expect, it } from 'vitest';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';
import type { Scenario } from '../../../src/lib/sslmode/types.ts';
import { SAMPLE_LEAF_GOOD } from '../../../src/lib/sslmode/samples/server-pki.ts';

const HOST = 'connection to server at "127.0.0.1", port 5432 failed: ';
const scenario = (version: string, conninfo: string, server: Partial<Scenario['server']> = {}): Scenario => ({
  client: { driver: 'libpq', version, conninfo, home: '/home/app' },
  server: { ssl: false, hba: ['host all all 127.0.0.1/32 trust'], ...server },
});

describe('libpq version differences', () => {
  it('PG15 hints only at providing the file; PG16+ also at sslrootcert=system', async () => {
    const server = { ssl: true, certificateChain: '' };
    const v15 = await explainConnection(scenario('15', 'host=127.0.0.1 sslmode=verify-ca', server));
    const v16 = await explainConnection(scenario('16', 'host=127.0.0.1 sslmode=verify-ca', server));
    expect(v15.error).toBe(
      `${HOST}root certificate file "/home/app/.postgresql/root.crt" does not exist\nEither provide the file or change sslmode to disable server certificate verification.`,
    );
    expect(v16.error).toBe(
      `${HOST}root certificate file "/home/app/.postgresql/root.crt" does not exist\nEither provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification.`,
    );
  });

  it('sslrootcert=system (16+) makes verify-full the default and rejects weaker explicit modes before connecting', async () => {
    const weak = await explainConnection(scenario('16', 'host=127.0.0.1 sslrootcert=system sslmode=require'));
    expect(weak.error).toBe(
      'weak sslmode "require" may not be used with sslrootcert=system (use "verify-full")',
    );
    const dflt = await explainConnection(scenario('17', 'host=127.0.0.1 sslrootcert=system'));
    expect(dflt.sslmode).toBe('verify-full');
    expect(dflt.error).toBe(`${HOST}server does not support SSL, but SSL was required`);
  });

  it('on PG15 "system" is just a file name', async () => {
    const out = await explainConnection(
      scenario('15', 'host=127.0.0.1 sslrootcert=system sslmode=verify-full', {
        ssl: true,
        certificateChain: '',
      }),
    );
    expect(out.error).toBe(
      `${HOST}root certificate file "system" does not exist\nEither provide the file or change sslmode to disable server certificate verification.`,
    );
  });

  it('sslnegotiation=direct (17+) needs sslmode require or stronger; 15/16 do not know the keyword', async () => {
    expect((await explainConnection(scenario('17', 'host=127.0.0.1 sslnegotiation=direct'))).error).toBe(
      'weak sslmode "prefer" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")',
    );
    expect((await explainConnection(scenario('16', 'host=127.0.0.1 sslnegotiation=direct'))).error).toBe(
      'invalid connection option "sslnegotiation"',
    );
  });

  it('allow, plaintext rejected, SSL retry answered N: 15/16 resend in plaintext and repeat the error, 17/18 say SSL was required', async () => {
    const server = { ssl: false, hba: ['hostssl all all 127.0.0.1/32 trust'] };
    const reject = `${HOST}FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption`;
    const v15 = await explainConnection(scenario('15', 'host=127.0.0.1 user=app sslmode=allow', server));
    const v17 = await explainConnection(scenario('17', 'host=127.0.0.1 user=app sslmode=allow', server));
    expect(v15.error).toBe(`${reject}\n${reject}`);
    expect(v17.error).toBe(`${reject}\n${HOST}server does not support SSL, but SSL was required`);
  });

  it('ignores sslmode over a Unix-domain socket (no host): the engine reports the socket it would use', async () => {
    const out = await explainConnection(scenario('17', 'sslmode=require'));
    expect(out.error).toBe(
      'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory\n\tIs the server running locally and accepting connections on that socket?',
    );
    expect(out.steps.some((s) => s.rule === 'libpq.socket')).toBe(true);
  });

  it('reads PGSSLMODE when the connection string has no sslmode', async () => {
    const out = await explainConnection({
      ...scenario('17', 'host=127.0.0.1'),
      client: { driver: 'libpq', conninfo: 'host=127.0.0.1', env: { PGSSLMODE: 'require' } },
    });
    expect(out.sslmode).toBe('require');
    expect(out.error).toBe(`${HOST}server does not support SSL, but SSL was required`);
  });
});

describe('libpq 16-18 differences proven with libpq 18 and read in the 16 and 17 sources', () => {
  const tls = { ssl: true, certificateChain: '' };

  it('17 quoted the option name in the protocol-version errors; 16 and 15 did not; sslmode never', async () => {
    const text = async (v: string, c: string) =>
      (await explainConnection(scenario(v, `host=127.0.0.1 ${c}`))).error;
    expect(await text('16', 'ssl_min_protocol_version=TLSv1.4')).toBe(
      'invalid ssl_min_protocol_version value: "TLSv1.4"',
    );
    expect(await text('17', 'ssl_max_protocol_version=x')).toBe(
      'invalid "ssl_max_protocol_version" value: "x"',
    );
    expect(await text('18', 'sslmode=x')).toBe('invalid sslmode value: "x"');
    expect(await text('16', 'sslcertmode=x')).toBe('invalid sslcertmode value: "x"');
    expect(await text('15', 'sslcertmode=x')).toBe('invalid connection option "sslcertmode"');
  });

  it('pqConnectOptions2() order: require_auth, sslmode, sslnegotiation, sslrootcert=system, protocol versions', async () => {
    const text = async (c: string) => (await explainConnection(scenario('18', `host=127.0.0.1 ${c}`))).error;
    expect(await text('require_auth=x sslmode=x')).toBe('invalid require_auth value: "x"');
    expect(await text('sslrootcert=system sslmode=require ssl_min_protocol_version=x')).toBe(
      'weak sslmode "require" may not be used with sslrootcert=system (use "verify-full")',
    );
    expect(await text('sslnegotiation=direct sslrootcert=system sslmode=prefer')).toBe(
      'weak sslmode "prefer" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")',
    );
  });

  it('require_auth lists are all plain or all negated, each method once (source-read texts)', async () => {
    const text = async (v: string) =>
      (await explainConnection(scenario('16', `host=127.0.0.1 require_auth=${v}`))).error;
    expect(await text('password,!md5')).toBe(
      'negative require_auth method "!md5" cannot be mixed with non-negative methods',
    );
    expect(await text('!password,md5')).toBe(
      'require_auth method "md5" cannot be mixed with negative methods',
    );
    expect(await text('md5,md5')).toBe('require_auth method "md5" is specified more than once');
    expect(await text('none,none')).toBe('require_auth method "none" is specified more than once');
  });

  it('direct TLS needs a 17+ server: an older one closes the connection (server.majorVersion, default 17)', async () => {
    const conninfo = 'host=127.0.0.1 sslmode=require sslnegotiation=direct';
    const v17 = await explainConnection(scenario('17', conninfo, { ...tls, majorVersion: 17 }));
    const dflt = await explainConnection(scenario('18', conninfo, tls));
    const v16 = await explainConnection(scenario('17', conninfo, { ...tls, majorVersion: 16 }));
    expect(v17.connected).toBe(true);
    expect(dflt.connected).toBe(true);
    expect(v16.error).toBe(`${HOST}SSL error: unexpected eof while reading`);
    expect(v16.steps.some((s) => s.rule === 'libpq.openssl.build')).toBe(true);
    await expect(explainConnection(scenario('17', conninfo, { ...tls, majorVersion: 9.6 }))).rejects.toThrow(
      'server.majorVersion: expected a PostgreSQL major version such as 15 or 17 (an integer from 10), got 9.6',
    );
  });

  it('a client limited to TLS 1.0-1.1: the OpenSSL build decides, and the outcome names the one assumed', async () => {
    const conninfo =
      'host=127.0.0.1 sslmode=require ssl_min_protocol_version=TLSv1 ssl_max_protocol_version=TLSv1.1';
    const hint =
      '\nThis may indicate that the server does not support any SSL protocol version between TLSv1 and TLSv1.1.';
    const v17 = await explainConnection(scenario('17', conninfo, tls));
    const v18 = await explainConnection(scenario('18', conninfo, tls));
    expect(v17.error).toBe(`${HOST}SSL error: tlsv1 alert protocol version${hint}`);
    expect(v17.opensslBuild).toMatch(/Debian 12's OpenSSL 3\.0/);
    expect(v18.error).toBe(`${HOST}SSL error: no protocols available${hint}`);
    expect(v18.opensslBuild).toMatch(/psycopg's binary wheel/);
    for (const out of [v17, v18]) expect(out.steps.some((s) => s.rule === 'libpq.openssl.build')).toBe(true);
  });
});

describe('managed-service presets', () => {
  it('Azure require_secure_transport and RDS rds.force_ssl reject plaintext with the stock pg_hba text', async () => {
    for (const preset of ['azure-flexible', 'aws-rds'] as const) {
      const out = await explainConnection(
        scenario('17', 'host=127.0.0.1 user=app password=pw sslmode=disable', { ssl: true, hba: [], preset }),
      );
      expect(out.error).toBe(
        `${HOST}FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption`,
      );
    }
  });
  it('turning the setting off lets plaintext reach authentication', async () => {
    const out = await explainConnection(
      scenario('17', 'host=127.0.0.1 user=app password=pw sslmode=disable', {
        ssl: true,
        hba: [],
        preset: 'aws-rds',
        rdsForceSsl: false,
      }),
    );
    expect(out.connected).toBe(true);
    expect(out.encrypted).toBe(false);
  });
});

describe('sslnegotiation=direct and the server version', () => {
  const run = (majorVersion?: number) =>
    explainConnection({
      client: {
        driver: 'libpq',
        version: '17',
        conninfo: 'host=127.0.0.1 user=app sslmode=require sslnegotiation=direct',
      },
      server: {
        ssl: true,
        certificateChain: SAMPLE_LEAF_GOOD,
        hba: ['hostssl all all 127.0.0.1/32 trust'],
        ...(majorVersion !== undefined ? { majorVersion } : {}),
      },
      time: '2026-01-01T00:00:00Z',
    });
  it('a server before 17 closes the connection: unexpected eof', async () => {
    for (const v of [13, 15, 16]) {
      const o = await run(v);
      expect(o.error, String(v)).toBe(
        'connection to server at "127.0.0.1", port 5432 failed: SSL error: unexpected eof while reading',
      );
    }
  });
  it('17 and later, or an unstated version, connect', async () => {
    for (const v of [17, 18, undefined]) expect((await run(v)).connected, String(v)).toBe(true);
  });
});
