/**
 * node-postgres settings the oracle does not drive: PGSSLMODE (connection-parameters.js
 * readSSLConfigFromEnvironment, used only when the URL sets no ssl key), a missing sslrootcert file
 * (fs.readFileSync in pg-connection-string parse()), verify-ca under uselibpqcompat without a CA, and the
 * pre-8.23.1 "localhost" check for IP hosts (spec §3.3, seen on pg 8.23.0).
 */
import { describe, expect, it } from 'vitest';
import { SAMPLE_LEAF_GOOD, SAMPLE_ROOT_A } from '../../../src/lib/sslmode/samples/server-pki.ts';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';
import type { Scenario } from '../../../src/lib/sslmode/types.ts';
import { generate, T0 } from '../../kit/pure/trust-graph.ts';

const server: Scenario['server'] = {
  ssl: true,
  certificateChain: SAMPLE_LEAF_GOOD,
  hba: ['host all all 127.0.0.1/32 trust'],
};
const run = (conninfo: string, extra: Partial<Scenario['client']> = {}) =>
  explainConnection({
    client: { driver: 'node-postgres', conninfo, ...extra },
    server,
    time: '2026-01-01T00:00:00Z',
  });

describe('node-postgres configuration', () => {
  it('PGSSLMODE=require turns on full verification when the URL has no ssl setting', async () => {
    const out = await run('postgres://app@127.0.0.1/app', { env: { PGSSLMODE: 'require' } });
    expect(out.error).toBe('unable to verify the first certificate');
  });
  it('PGSSLMODE=allow (or anything unknown) leaves TLS off', async () => {
    const out = await run('postgres://app@127.0.0.1/app', { env: { PGSSLMODE: 'allow' } });
    expect(out.connected && !out.encrypted).toBe(true);
  });
  it('a URL sslmode wins over PGSSLMODE', async () => {
    const out = await run('postgres://app@127.0.0.1/app?sslmode=disable', {
      env: { PGSSLMODE: 'verify-full' },
    });
    expect(out.encrypted).toBe(false);
  });
  it.each(['ssl=', 'sslmode=', 'sslrootcert=', 'sslcert=&sslkey='])(
    'an empty ?%s turns no TLS on (pg-connection-string tests each value for truthiness)',
    async (query) => {
      const out = await run(`postgres://app@127.0.0.1/app?${query}`);
      expect(out.connected && !out.encrypted).toBe(true);
    },
  );
  it('an empty ?ssl= is still an ssl key, so PGSSLMODE is not read; an empty ?sslmode= is not', async () => {
    const env = { PGSSLMODE: 'require' };
    expect((await run('postgres://app@127.0.0.1/app?ssl=', { env })).encrypted).toBe(false);
    expect((await run('postgres://app@127.0.0.1/app?sslmode=', { env })).error).toBe(
      'unable to verify the first certificate',
    );
  });
  it('a missing sslrootcert file is an fs error at parse time', async () => {
    expect((await run('postgres://app@127.0.0.1/app?sslrootcert=/nope.pem')).error).toBe(
      "ENOENT: no such file or directory, open '/nope.pem'",
    );
  });
  it('uselibpqcompat verify-ca without sslrootcert throws the SECURITY WARNING error', async () => {
    expect((await run('postgres://app@127.0.0.1/app?uselibpqcompat=true&sslmode=verify-ca')).error).toMatch(
      /^SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert\./,
    );
  });
  it('pg 8.23.0 checked an IP host against "localhost"; 8.23.1 checks the IP', async () => {
    const url = 'postgres://app@127.0.0.1/app?sslmode=verify-full&sslrootcert=/ca.pem';
    const files = { '/ca.pem': SAMPLE_ROOT_A };
    const old = await run(url, { version: '8.23.0', files });
    expect(old.error).toBe(
      "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:db.example.test, IP Address:127.0.0.1",
    );
    expect((await run(url, { version: '8.23.1', files })).hostnameVerified).toBe(true);
  });

  describe('file paths as Node reads them (fs.readFileSync: no ~ expansion, relative to the working directory)', () => {
    const files = { '~/.postgresql/root.crt': SAMPLE_ROOT_A, 'certs/ca.pem': SAMPLE_ROOT_A };
    const client = { files, home: '/home/app', cwd: '/srv/app' };
    const url = (root: string) =>
      `postgres://app@db.example.test/app?sslmode=verify-full&sslrootcert=${root}`;
    const runAt = (conninfo: string, c: Partial<Scenario['client']> = client) =>
      explainConnection({
        client: { driver: 'node-postgres', conninfo, ...c },
        server,
        resolve: { 'db.example.test': ['127.0.0.1'] },
        time: '2026-01-01T00:00:00Z',
      });
    const connects = async (root: string) => (await runAt(url(root))).connected;
    it('`~` is not expanded: the ENOENT names the path as written', async () => {
      expect((await runAt(url('~/.postgresql/root.crt'))).error).toBe(
        "ENOENT: no such file or directory, open '~/.postgresql/root.crt'",
      );
    });
    it('an absolute path to the file in $HOME works', async () => {
      expect(await connects('/home/app/.postgresql/root.crt')).toBe(true);
    });
    it('a relative path is read against the working directory, not $HOME', async () => {
      expect(await connects('certs/ca.pem')).toBe(true);
      expect(await connects('./certs/../certs/ca.pem')).toBe(true);
      expect(await connects('/srv/app/certs/ca.pem')).toBe(true);
      expect((await runAt(url('.postgresql/root.crt'))).error).toBe(
        "ENOENT: no such file or directory, open '.postgresql/root.crt'",
      );
      // Run from $HOME instead, the same relative path finds the file.
      expect((await runAt(url('.postgresql/root.crt'), { ...client, cwd: '/home/app' })).connected).toBe(
        true,
      );
    });
    it('the fix text says how to name the file', async () => {
      const out = await runAt('postgres://app@db.example.test/app?sslmode=verify-full', {});
      expect(out.fix).toContain('Node does not expand ~');
    });
  });

  it('a server chain that includes its root: "self-signed certificate in certificate chain", explained', async () => {
    const out = await explainConnection({
      client: { driver: 'node-postgres', conninfo: 'postgres://app@db.example.test/app?sslmode=require' },
      server: { ...server, certificateChain: SAMPLE_LEAF_GOOD + SAMPLE_ROOT_A },
      resolve: { 'db.example.test': ['127.0.0.1'] },
      time: '2026-01-01T00:00:00Z',
    });
    expect(out.error).toBe('self-signed certificate in certificate chain');
    expect(out.fix).toMatch(
      /^"in certificate chain": the server sent a self-signed certificate \(its root CA\)/,
    );
  });
});

describe("Node's OpenSSL security level is 1, libpq's on Debian 2", () => {
  // Node reads openssl.cnf's nodejs_conf section, not Debian's SECLEVEL=2 (Node 20 accepts this leaf; openssl
  // verify -auth_level 1 agrees, tests/oracle/pki-openssl-auth-level.test.ts).
  it('an RSA-1024 leaf verifies for node-postgres and fails for libpq', async () => {
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [{ issuer: 'root', subject: 'leaf', mutate: (t) => (t.ips = ['127.0.0.1']) }],
      rsa: { leaf: 1024 },
    });
    const weak = { ssl: true, certificateChain: g.leafPem, hba: ['host all all 127.0.0.1/32 trust'] };
    const files = { '/ca.pem': g.rootPems.join('') };
    const time = T0.toISOString();
    const node = await explainConnection({
      client: {
        driver: 'node-postgres',
        conninfo: 'postgres://app@127.0.0.1/app?sslmode=verify-full&sslrootcert=/ca.pem',
        files,
      },
      server: weak,
      time,
    });
    expect([node.connected, node.chainVerified, node.hostnameVerified]).toEqual([true, true, true]);
    const libpq = await explainConnection({
      client: {
        driver: 'libpq',
        conninfo: 'host=127.0.0.1 dbname=app user=app sslmode=verify-full sslrootcert=/ca.pem',
        files,
      },
      server: weak,
      time,
    });
    expect(libpq.error).toMatch(/certificate verify failed/);
  });
});

describe('node-postgres without a password', () => {
  const ask = (method: string) =>
    explainConnection({
      client: { driver: 'node-postgres', conninfo: 'postgres://app@127.0.0.1/app' },
      server: { ...server, hba: [`host all all 127.0.0.1/32 ${method}`], users: { app: 'good' } },
      time: '2026-01-01T00:00:00Z',
    });
  it('cleartext: sends an empty password (client.js, pg-protocol addCString), which the server refuses', async () => {
    expect((await ask('password')).error).toBe('empty password returned by client');
  });
  it('SCRAM: refused on the client', async () => {
    expect((await ask('scram-sha-256')).error).toBe(
      'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string',
    );
  });
});

describe('NODE_TLS_REJECT_UNAUTHORIZED=0 (_tls_wrap.js connect(): rejectUnauthorized defaults to !getAllowUnauthorized())', () => {
  const env = { NODE_TLS_REJECT_UNAUTHORIZED: '0' };
  it('accepts a certificate no root vouches for, and Node warns', async () => {
    const out = await run('postgres://app@127.0.0.1/app?sslmode=verify-full', { env });
    expect(out.connected && out.encrypted && !out.chainVerified).toBe(true);
    expect(out.warnings).toContain(
      "Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to '0' makes TLS connections and HTTPS requests insecure by disabling certificate verification.",
    );
  });
  it('any other value leaves verification on; without TLS there is no warning', async () => {
    const other = await run('postgres://app@127.0.0.1/app?sslmode=verify-full', {
      env: { NODE_TLS_REJECT_UNAUTHORIZED: 'false' },
    });
    expect(other.error).toBe('unable to verify the first certificate');
    const plain = await run('postgres://app@127.0.0.1/app', { env });
    expect(plain.connected && !plain.encrypted).toBe(true);
    expect(plain.warnings).toEqual([]);
  });
});
