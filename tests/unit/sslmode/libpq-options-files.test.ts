/**
 * How libpq reads option values and the files they name, as psql 15 showed (tests/oracle/sslmode-libpq.test.ts
 * block K runs the same cases against it): no `~` expansion; an empty value is set (the environment is read only
 * for an option the string leaves out, conninfo_add_defaults()) and then means the option's own default.
 */
import { describe, expect, it } from 'vitest';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';
import type { Scenario } from '../../../src/lib/sslmode/types.ts';
import {
  SAMPLE_CLIENT_APP_CERT,
  SAMPLE_CLIENT_APP_KEY,
} from '../../../src/lib/sslmode/samples/client-pki.ts';
import {
  SAMPLE_LEAF_GOOD,
  SAMPLE_ROOT_A,
  SAMPLE_ROOT_B,
} from '../../../src/lib/sslmode/samples/server-pki.ts';

const AT = 'connection to server at "db.example.test" (127.0.0.1), port 5432 failed: ';
const HINT = 'Either provide the file or change sslmode to disable server certificate verification.';

function scenario(
  conninfo: string,
  env: Record<string, string> = {},
  files: Record<string, string> = {},
): Scenario {
  return {
    client: {
      driver: 'libpq',
      version: '15',
      conninfo,
      env,
      home: '/home/postgres',
      files: { '~/.postgresql/root.crt': SAMPLE_ROOT_A, ...files },
    },
    server: { ssl: true, certificateChain: SAMPLE_LEAF_GOOD, hba: ['host all all 0.0.0.0/0 trust'] },
    resolve: { 'db.example.test': ['127.0.0.1'] },
    time: '2026-01-01T00:00:00Z',
  };
}

describe('libpq expands no ~ in a file name', () => {
  it('sslrootcert=~/.postgresql/root.crt is not the home file', async () => {
    const out = await explainConnection(
      scenario('host=db.example.test sslmode=verify-full sslrootcert=~/.postgresql/root.crt'),
    );
    expect(out.error).toBe(`${AT}root certificate file "~/.postgresql/root.crt" does not exist\n${HINT}`);
  });

  it('the home file by its absolute path, and by default', async () => {
    for (const extra of ['', ' sslrootcert=/home/postgres/.postgresql/root.crt']) {
      const out = await explainConnection(scenario(`host=db.example.test sslmode=verify-full${extra}`));
      expect(out.connected, extra).toBe(true);
    }
  });

  it('sslcert=~/... names no file: libpq goes on without a client certificate', async () => {
    const files = {
      '~/.postgresql/postgresql.crt': SAMPLE_CLIENT_APP_CERT,
      '~/.postgresql/postgresql.key': SAMPLE_CLIENT_APP_KEY,
    };
    const out = await explainConnection(
      scenario('host=db.example.test sslmode=require sslcert=~/.postgresql/postgresql.crt', {}, files),
    );
    expect(out.connected).toBe(true);
    expect(out.clientCertificate).toBeUndefined();
    const dflt = await explainConnection(scenario('host=db.example.test sslmode=require', {}, files));
    expect(dflt.clientCertificate?.subject).toBe('CN=app');
  });
});

describe('an empty value is set: the environment is not read for it', () => {
  it("sslrootcert='' is the default root file, not PGSSLROOTCERT", async () => {
    const env = { PGSSLROOTCERT: '/nonexistent.crt' };
    const out = await explainConnection(
      scenario("host=db.example.test sslmode=verify-full sslrootcert=''", env),
    );
    expect(out.connected).toBe(true);
    const fromEnv = await explainConnection(scenario('host=db.example.test sslmode=verify-full', env));
    expect(fromEnv.error).toBe(`${AT}root certificate file "/nonexistent.crt" does not exist\n${HINT}`);
  });

  it("host='' is the Unix-domain socket, not PGHOST", async () => {
    const out = await explainConnection(scenario("host='' sslmode=require", { PGHOST: 'db.example.test' }));
    expect(out.error).toBe(
      'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory\n\tIs the server running locally and accepting connections on that socket?',
    );
  });

  it("sslcert='' is the default certificate file, not PGSSLCERT; port='' is 5432, not PGPORT", async () => {
    const s = scenario(
      "host=db.example.test sslmode=require sslcert='' port=''",
      { PGSSLCERT: '/nonexistent.crt', PGPORT: '6543' },
      {
        '~/.postgresql/postgresql.crt': SAMPLE_CLIENT_APP_CERT,
        '~/.postgresql/postgresql.key': SAMPLE_CLIENT_APP_KEY,
      },
    );
    const out = await explainConnection({ ...s, server: { ...s.server, port: 5432 } });
    expect(out.connected).toBe(true);
    expect(out.clientCertificate?.subject).toBe('CN=app');
  });
});

describe("libpq's fix for a connection that ended without TLS", () => {
  const fix = async (conninfo: string, root: string, ssl = true) => {
    const s = scenario(conninfo, {}, {});
    return explainConnection({
      ...s,
      client: { ...s.client, files: root ? { '~/.postgresql/root.crt': root } : {} },
      server: { ...s.server, ssl },
    });
  };

  it('prefer after a failed verify: the root file is the problem, not the server ssl setting', async () => {
    const out = await fix('host=db.example.test', SAMPLE_ROOT_B);
    expect([out.connected, out.encrypted]).toEqual([true, false]);
    expect(out.fix).toContain('The root file does not anchor the server chain');
    expect(out.fix).not.toContain('Turn ssl=on');
  });

  it('the server answered N: turn ssl on; allow took plaintext first: no word of ssl=on', async () => {
    expect((await fix('host=db.example.test sslmode=prefer', '', false)).fix).toContain('Turn ssl=on');
    const allow = await fix('host=db.example.test sslmode=allow', SAMPLE_ROOT_A);
    expect(allow.fix).toBe(
      'Connected without encryption: sslmode=allow tries without TLS first and the server accepted it. Use sslmode=verify-full with the server CA in sslrootcert.',
    );
  });
});

describe('options libpq validates (psql 15.18 and libpq 18.6 print the same)', () => {
  const error = async (conninfo: string, env: Record<string, string> = {}) =>
    (await explainConnection(scenario(conninfo, env))).error;

  it('hostaddr that is not an IP address: no prefix, the next host is tried', async () => {
    expect(await error('host=db.example.test hostaddr=notanip sslmode=require')).toBe(
      'could not parse network address "notanip": Name or service not known',
    );
    const next = await explainConnection(scenario('host=a,b hostaddr=notanip,127.0.0.1 sslmode=verify-ca'));
    expect(next.connected).toBe(true);
  });

  it('connect_timeout that is not an integer: after the first connect started, with its prefix', async () => {
    expect(await error('host=db.example.test connect_timeout=abc sslmode=require')).toBe(
      `${AT}invalid integer value "abc" for connection option "connect_timeout"`,
    );
    expect(await error('host=db.example.test connect_timeout=-5 sslmode=verify-full')).toBeUndefined();
    expect(await error('host=nosuch.invalid connect_timeout=abc')).toBe(
      'could not translate host name "nosuch.invalid" to address: Name or service not known',
    );
  });

  it('service: the lab has no pg_service.conf, so every service is undefined, before the other options', async () => {
    expect(await error('service=nosuch host=db.example.test sslmode=foo')).toBe(
      'definition of service "nosuch" not found',
    );
    expect(await error("service='' host=db.example.test")).toBe('definition of service "" not found');
    expect(await error('host=db.example.test', { PGSERVICE: 'x' })).toBe(
      'definition of service "x" not found',
    );
  });
});

describe('IP hosts as libpq reads them (inet_aton)', () => {
  it.each(['127.1', '2130706433', '127.000.000.001'])(
    'host=%s is 127.0.0.1, and verify-full matches the IP SAN 127.0.0.1',
    async (host) => {
      const out = await explainConnection(scenario(`host=${host} sslmode=verify-full`));
      expect(out.connected).toBe(true);
      expect(out.hostnameVerified).toBe(true);
      const refused = await explainConnection({
        ...scenario(`host=${host} sslmode=verify-full`),
        server: { ssl: false, hba: [], listen: ['::1'] },
      });
      expect(refused.error).toBe(
        `connection to server at "${host}" (127.0.0.1), port 5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?`,
      );
    },
  );
});

describe("pg_hba sees the client's source address", () => {
  it('127.0.0.2 dialled on the same machine comes from 127.0.0.1 (psql 15.18)', async () => {
    const s = scenario('host=127.0.0.2 sslmode=disable');
    const out = await explainConnection({
      ...s,
      server: {
        ...s.server,
        ssl: false,
        listen: ['127.0.0.1', '127.0.0.2'],
        hba: ['hostssl all all 127.0.0.1/32 trust'],
      },
    });
    expect(out.error).toBe(
      'connection to server at "127.0.0.2", port 5432 failed: FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "postgres", database "postgres", no encryption',
    );
  });
});
