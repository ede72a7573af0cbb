/**
 * Oracle: the real `pg` package (node-postgres, with its pg-connection-string) on this Node against a real
 * PostgreSQL on 127.0.0.1; explainConnection() must predict connected, encrypted, protocol and err.message.
 * Default URL semantics and uselibpqcompat=true, over server setups, root files and host forms; and client
 * certificates (sslcert/sslkey in the URL) against a server with ssl_ca_file and clientcert/cert pg_hba lines.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookup } from 'node:dns/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainConnection } from '../../src/lib/sslmode/index.ts';
import type { ServerSpec } from '../../src/lib/sslmode/types.ts';
import { makeOraclePki, type OraclePki } from '../kit/pure/postgres-pki.ts';
import {
  oracleServerSpec,
  PgOracleServer,
  predictedConnection,
  type ObservedConnection,
  type ServerTls,
} from '../kit/programs/postgres-oracle.ts';

const HBA = [
  'host all anyuser 127.0.0.1/32 trust',
  'hostssl all ssluser 127.0.0.1/32 trust',
  'hostnossl all plainuser 127.0.0.1/32 trust',
  'hostssl cert_trust certuser 127.0.0.1/32 trust',
  'hostssl cert_ca certuser 127.0.0.1/32 trust clientcert=verify-ca',
  'hostssl cert_full certuser 127.0.0.1/32 trust clientcert=verify-full',
  'hostssl cert_method certuser 127.0.0.1/32 cert',
];
const CERT_DATABASES = ['cert_trust', 'cert_ca', 'cert_full', 'cert_method'] as const;
const ROLES =
  'create role anyuser login; create role ssluser login; create role plainuser login; create role certuser login;';
const USERS = { anyuser: null, ssluser: null, plainuser: null, postgres: null, certuser: null };
const PG_VERSION = (await import('pg/package.json', { with: { type: 'json' } })).default.version as string;

type SetupName = 'off' | 'good' | 'noip' | 'mismatch' | 'expired' | 'selfsigned' | 'leafonly' | 'clientca';

let server: PgOracleServer;
let pki: OraclePki;
let localhostAddrs: string[];

function setupTls(name: SetupName): ServerTls {
  if (name === 'off') return { name, ssl: false };
  if (name === 'clientca') {
    const good = pki.servers.good;
    return { name, ssl: true, chainPem: good.chainPem, keyPem: good.keyPem, caPem: pki.clients.ca };
  }
  return { name, ssl: true, chainPem: pki.servers[name].chainPem, keyPem: pki.servers[name].keyPem };
}

function serverSpec(tls: ServerTls): ServerSpec {
  return oracleServerSpec(tls, { hba: HBA, users: USERS, port: server.port });
}

type Observed = ObservedConnection;

async function realPg(url: string): Promise<Observed> {
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  } catch (e) {
    return { connected: false, encrypted: false, error: (e as Error).message };
  }
  client.on('error', () => undefined);
  let connected = false;
  try {
    await client.connect();
    connected = true;
    const r = await client.query<{ ssl: boolean; version: string | null }>(
      'select ssl, version from pg_stat_ssl where pid = pg_backend_pid()',
    );
    const row = r.rows[0]!;
    return { connected: true, encrypted: row.ssl, ...(row.version ? { protocol: row.version } : {}) };
  } catch (e) {
    // OpenSSL 3 starts its error strings with the thread id ("80DC41393D7F0000:error:..."), which differs per
    // process: drop it; the rest of the text is compared exactly.
    const message = (e as Error).message.replace(/^[0-9A-F]+:(?=error:)/, '');
    return { connected: false, encrypted: false, error: message };
  } finally {
    // After a failed connect, pg 8.23's end() can wait for ever: when the server's TLS alert has already closed the
    // socket, end() destroys it again and waits for an 'end' event that never comes (seen here on the second of two
    // back-to-back connections refused with "certificate expired"). Close the socket ourselves instead.
    if (connected) await client.end().catch(() => undefined);
    else client.connection.stream.destroy();
  }
}

async function cell(
  tls: ServerTls,
  url: string,
  files: Record<string, string>,
): Promise<{ url: string; real: Observed; predicted: Observed }> {
  const real = await realPg(url);
  const out = await explainConnection({
    client: { driver: 'node-postgres', version: PG_VERSION, conninfo: url, files },
    server: serverSpec(tls),
    resolve: { localhost: localhostAddrs },
  });
  const predicted = predictedConnection(out);
  return { url, real, predicted };
}

async function runSetup(
  setup: SetupName,
  urls: readonly { url: string; files: Record<string, string> }[],
): Promise<void> {
  const tls = setupTls(setup);
  await server.configure(tls);
  const results = [];
  for (const u of urls) results.push(await cell(tls, u.url, u.files));
  const mismatches = results.filter((r) => JSON.stringify(r.real) !== JSON.stringify(r.predicted));
  if (process.env.SSLMODE_ORACLE_DUMP) {
    appendFileSync(process.env.SSLMODE_ORACLE_DUMP, results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  expect(mismatches).toEqual([]);
  expect(results.length).toBe(urls.length);
}

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (k.startsWith('PG')) delete process.env[k];
  pki = await makeOraclePki('certuser');
  server = await PgOracleServer.start(HBA, ROLES);
  for (const db of CERT_DATABASES) server.admin(`create database ${db}`);
  localhostAddrs = (await lookup('localhost', { all: true })).map((a) => a.address);
  // node-postgres prints its deprecation warning through process.emitWarning; keep test output quiet.
  process.removeAllListeners('warning');
  process.on('warning', () => undefined);
});

afterAll(() => {
  server?.stop();
});

const MODES = [
  '',
  'sslmode=disable',
  'sslmode=allow',
  'sslmode=prefer',
  'sslmode=require',
  'sslmode=verify-ca',
  'sslmode=verify-full',
  'sslmode=no-verify',
  'ssl=true',
];

describe(`node-postgres ${PG_VERSION} (Node ${process.versions.node}) against a real server`, () => {
  it.each(['prefer', 'require', 'verify-ca'])(
    'predicts the SECURITY WARNING pg-connection-string prints for sslmode=%s',
    async (mode) => {
      const url = `postgres://anyuser@localhost:${server.port}/postgres?sslmode=${mode}`;
      // Exit non-zero on purpose so execFileSync hands back stderr, where Node prints process warnings.
      const run = (): string => {
        try {
          execFileSync(
            process.execPath,
            ['-e', `require('pg-connection-string').parse(${JSON.stringify(url)}); process.exitCode = 3`],
            {
              cwd: process.cwd(),
              encoding: 'utf8',
              stdio: ['ignore', 'pipe', 'pipe'],
            },
          );
          return '';
        } catch (e) {
          return String((e as { stderr: string }).stderr);
        }
      };
      const printed = run()
        .replace(/^\(node:\d+\) Warning: /, '')
        .replace(/\n\(Use `node --trace-warnings[^\n]*\n?$/, '');
      const out = await explainConnection({
        client: { driver: 'node-postgres', conninfo: url },
        server: serverSpec(setupTls('off')),
      });
      expect(out.warnings).toEqual([printed]);
    },
  );

  it('prints no warning for verify-full and disable', async () => {
    for (const mode of ['verify-full', 'disable']) {
      const out = await explainConnection({
        client: { driver: 'node-postgres', conninfo: `postgres://a@localhost/p?sslmode=${mode}` },
        server: serverSpec(setupTls('off')),
      });
      expect(out.warnings).toEqual([]);
    }
  });

  for (const setup of ['off', 'good', 'mismatch', 'expired', 'selfsigned', 'leafonly'] as const) {
    it(`every URL sslmode x uselibpqcompat x sslrootcert, host=localhost, setup "${setup}"`, async () => {
      const rootA = server.clientFile('node-root-a.crt', pki.rootA);
      const rootB = server.clientFile('node-root-b.crt', pki.rootB);
      const urls: { url: string; files: Record<string, string> }[] = [];
      for (const mode of MODES)
        for (const compat of [false, true])
          for (const root of [null, rootA, rootB]) {
            const params = [mode, compat ? 'uselibpqcompat=true' : '', root ? `sslrootcert=${root}` : '']
              .filter(Boolean)
              .join('&');
            const files: Record<string, string> = root
              ? { [root]: root === rootA ? pki.rootA : pki.rootB }
              : {};
            urls.push({
              url: `postgres://anyuser@localhost:${server.port}/postgres${params ? `?${params}` : ''}`,
              files,
            });
          }
      await runSetup(setup, urls);
    });
  }

  it('sslnegotiation=direct against this (pre-17) server, with and without ssl, and its checked values', async () => {
    const rootA = server.clientFile('node-root-a.crt', pki.rootA);
    for (const setup of ['good', 'off'] as const) {
      const urls = [
        'sslnegotiation=direct',
        `sslnegotiation=direct&sslrootcert=${rootA}`,
        'sslnegotiation=direct&sslmode=disable',
        'sslnegotiation=postgres&sslmode=no-verify',
        'sslnegotiation=foo',
      ].map((params) => ({
        url: `postgres://anyuser@localhost:${server.port}/postgres?${params}`,
        files: { [rootA]: pki.rootA },
      }));
      await runSetup(setup, urls);
    }
  });

  for (const setup of ['good', 'noip'] as const) {
    it(`IP host 127.0.0.1 and hostssl/hostnossl users, setup "${setup}"`, async () => {
      const rootA = server.clientFile('node-root-a.crt', pki.rootA);
      const urls: { url: string; files: Record<string, string> }[] = [];
      for (const mode of ['', 'sslmode=require', 'sslmode=verify-full', 'sslmode=no-verify'])
        for (const compat of [false, true])
          for (const user of ['anyuser', 'ssluser', 'plainuser'])
            for (const host of ['127.0.0.1', 'localhost']) {
              const params = [mode, compat ? 'uselibpqcompat=true' : '', `sslrootcert=${rootA}`]
                .filter(Boolean)
                .join('&');
              urls.push({
                url: `postgres://${user}@${host}:${server.port}/postgres?${params}`,
                files: { [rootA]: pki.rootA },
              });
            }
      await runSetup(setup, urls);
    });
  }

  it('client certificates (sslcert/sslkey) x clientcert/cert pg_hba lines, server with ssl_ca_file', async () => {
    const rootA = server.clientFile('node-root-a.crt', pki.rootA);
    const c = pki.clients.certs;
    const file = (name: string, text: string): [string, string] => [server.clientFile(name, text), text];
    const right = file('node-right.crt', c.right.certPem);
    const rightKey = file('node-right.key', c.right.keyPem);
    const wrong = file('node-wrong.crt', c.wrong.certPem);
    const wrongKey = file('node-wrong.key', c.wrong.keyPem);
    const expired = file('node-expired.crt', c.expired.certPem);
    const expiredKey = file('node-expired.key', c.expired.keyPem);
    const untrusted = file('node-untrusted.crt', c.untrusted.certPem);
    const untrustedKey = file('node-untrusted.key', c.untrusted.keyPem);
    const missingKey = server.missingClientFile('node-nothing.key');
    const variants: { name: string; cert?: [string, string]; key?: [string, string] | string }[] = [
      { name: 'none' },
      { name: 'right', cert: right, key: rightKey },
      { name: 'wrong CN', cert: wrong, key: wrongKey },
      { name: 'expired', cert: expired, key: expiredKey },
      { name: 'untrusted CA', cert: untrusted, key: untrustedKey },
      { name: 'cert without sslkey', cert: right },
      { name: 'sslkey names a missing file', cert: right, key: missingKey },
      { name: 'key of another certificate', cert: right, key: wrongKey },
    ];
    const urls: { url: string; files: Record<string, string> }[] = [];
    for (const mode of ['sslmode=verify-full', 'sslmode=no-verify'])
      for (const v of variants)
        for (const db of CERT_DATABASES) {
          const files: Record<string, string> = { [rootA]: pki.rootA };
          const params = [mode, `sslrootcert=${rootA}`];
          if (v.cert) {
            params.push(`sslcert=${v.cert[0]}`);
            files[v.cert[0]] = v.cert[1];
          }
          if (typeof v.key === 'string') params.push(`sslkey=${v.key}`);
          else if (v.key) {
            params.push(`sslkey=${v.key[0]}`);
            files[v.key[0]] = v.key[1];
          }
          urls.push({ url: `postgres://certuser@localhost:${server.port}/${db}?${params.join('&')}`, files });
        }
    await runSetup('clientca', urls);
    // 64 real connections, each with TLS and a client certificate: 2-3 s on a quiet machine, but over 60 s once in a
    // fresh-clone run while a browser test and a benchmark loaded the same two cores: a budget of its own.
  }, 180_000);

  it('reads sslrootcert as Node does: no ~ expansion, relative to the working directory, absolute paths', async () => {
    const tls = setupTls('good');
    await server.configure(tls);
    const cwd = mkdtempSync(join(tmpdir(), 'tls-lab-node-cwd-'));
    const home = mkdtempSync(join(tmpdir(), 'tls-lab-node-home-'));
    mkdirSync(join(cwd, 'certs'));
    mkdirSync(join(home, '.postgresql'));
    writeFileSync(join(cwd, 'certs', 'root.crt'), pki.rootA);
    writeFileSync(join(home, '.postgresql', 'root.crt'), pki.rootA);
    const pgPath = createRequire(import.meta.url).resolve('pg');
    // A separate process, so it has its own working directory and $HOME (a worker thread cannot chdir).
    const script = `const pg = require(${JSON.stringify(pgPath)});
      const fail = (e) => console.log(JSON.stringify({ connected: false, encrypted: false,
        error: e.message.replace(/^[0-9A-F]+:(?=error:)/, '') }));
      let c;
      try { c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 10000 }); }
      catch (e) { fail(e); process.exit(0); }
      c.on('error', () => {});
      c.connect().then(
        () => c.query('select ssl from pg_stat_ssl where pid = pg_backend_pid()').then((r) => {
          console.log(JSON.stringify({ connected: true, encrypted: r.rows[0].ssl })); return c.end(); }),
        fail,
      );`;
    try {
      const roots = [
        '~/.postgresql/root.crt',
        `${home}/.postgresql/root.crt`,
        'certs/root.crt',
        './certs/../certs/root.crt',
        '.postgresql/root.crt',
        'root.crt',
      ];
      const results = [];
      for (const root of roots) {
        const url = `postgres://anyuser@localhost:${server.port}/postgres?sslmode=verify-full&sslrootcert=${root}`;
        const stdout = execFileSync(process.execPath, ['-e', script, url], {
          cwd,
          env: { PATH: process.env.PATH ?? '', HOME: home },
          encoding: 'utf8',
        });
        const real = JSON.parse(stdout.trim().split('\n').pop()!) as Observed;
        const out = await explainConnection({
          client: {
            driver: 'node-postgres',
            version: PG_VERSION,
            conninfo: url,
            files: { '~/.postgresql/root.crt': pki.rootA, 'certs/root.crt': pki.rootA },
            home,
            cwd,
          },
          server: serverSpec(tls),
          resolve: { localhost: localhostAddrs },
        });
        const predicted: Observed = {
          connected: out.connected,
          encrypted: out.encrypted,
          ...(out.error !== undefined ? { error: out.error } : {}),
        };
        results.push({ root, real, predicted });
      }
      expect(results.filter((r) => JSON.stringify(r.real) !== JSON.stringify(r.predicted))).toEqual([]);
      // What real pg did, pinned: ~ fails with Node's ENOENT text; absolute and cwd-relative paths connect.
      expect(
        results.map((r) => [r.root.replace(home, '$HOME'), r.real.connected, r.real.error ?? '']),
      ).toEqual([
        ['~/.postgresql/root.crt', false, "ENOENT: no such file or directory, open '~/.postgresql/root.crt'"],
        ['$HOME/.postgresql/root.crt', true, ''],
        ['certs/root.crt', true, ''],
        ['./certs/../certs/root.crt', true, ''],
        ['.postgresql/root.crt', false, "ENOENT: no such file or directory, open '.postgresql/root.crt'"],
        ['root.crt', false, "ENOENT: no such file or directory, open 'root.crt'"],
      ]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a server that sends its root too: "self-signed certificate in certificate chain" without a CA, connects with it', async () => {
    const good = pki.servers.good;
    const tls: ServerTls = {
      name: 'withroot',
      ssl: true,
      chainPem: good.chainPem + pki.rootA,
      keyPem: good.keyPem,
    };
    const rootA = server.clientFile('node-root-a.crt', pki.rootA);
    await server.configure(tls);
    const results = [];
    for (const params of [
      'sslmode=require',
      'sslmode=verify-full',
      `sslmode=verify-full&sslrootcert=${rootA}`,
    ]) {
      results.push(
        await cell(tls, `postgres://anyuser@localhost:${server.port}/postgres?${params}`, {
          [rootA]: pki.rootA,
        }),
      );
    }
    expect(results.filter((r) => JSON.stringify(r.real) !== JSON.stringify(r.predicted))).toEqual([]);
    expect(results.map((r) => r.real.error ?? 'connected')).toEqual([
      'self-signed certificate in certificate chain',
      'self-signed certificate in certificate chain',
      'connected',
    ]);
  });
});
