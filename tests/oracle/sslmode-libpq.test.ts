/**
 * Oracle: the real psql (its libpq) against a real PostgreSQL on 127.0.0.1, cell by cell, and
 * explainConnection() must predict connected, encrypted, protocol and the error text EXACTLY.
 *
 * Matrix (each block reuses one server setup; pg_hba has one user per line type, so hba never reloads):
 *   A  sslmode(6) x setup(off, good, noip, mismatch, expired, selfsigned, cross) x root(none, ~/.postgresql/root.crt,
 *      sslrootcert=path, wrong root) with host=localhost and a `host` line
 *   B  sslmode(6) x setup(off, good, mismatch) x root(none, home) x user(hostssl-only, hostnossl-only, no line)
 *   C  sslmode(require, verify-ca, verify-full) x setup(good, noip, mismatch) x host form(localhost, 127.0.0.1,
 *      hostaddr only, host=localhost + hostaddr)
 *   D  server ssl_min_protocol_version=TLSv1.3 x client ssl_max_protocol_version(unset, TLSv1.2) x sslmode
 *   E  scram user: right / wrong / no password x sslmode(allow, prefer, require)
 *   F  connection strings libpq rejects before connecting
 *   H  client certificates: sslmode(allow, prefer, require, verify-full) x client cert (none, right CN in ~/.postgresql,
 *      right CN by sslcert/sslkey, wrong CN, expired, untrusted CA, cert without key, key of another cert, sslcert
 *      naming a missing file) x pg_hba line (hostssl trust, + clientcert=verify-ca, + clientcert=verify-full, cert,
 *      cert clientname=DN), server with ssl_ca_file; H2 the same lines on a server without ssl_ca_file; H3 rejected
 *      certificates under TLS 1.2; H4 a serverAuth-only leaf + intermediate; H5 verify-full name failure vs a rejected
 *      certificate (TLS 1.3 / 1.2); H6 certificate and key files that are not PEM
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lookup } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSLMODES, explainConnection } from '../../src/lib/sslmode/index.ts';
import type { Scenario, ServerSpec } from '../../src/lib/sslmode/types.ts';
import { makeOraclePki, type OraclePki } from '../kit/pure/postgres-pki.ts';
import {
  PgOracleServer,
  findPostgres,
  type PsqlResult,
  type ServerTls,
} from '../kit/programs/postgres-oracle.ts';

const HBA = [
  'host all anyuser 127.0.0.1/32 trust',
  'hostssl all ssluser 127.0.0.1/32 trust',
  'hostnossl all plainuser 127.0.0.1/32 trust',
  'host all pwuser 127.0.0.1/32 scram-sha-256',
  'host all rejectuser 127.0.0.1/32 reject',
  'host all ghost 127.0.0.1/32 trust',
  // Block H: one database per client-certificate rule, all for the role the right client certificate names.
  'hostssl cert_trust certuser 127.0.0.1/32 trust',
  'hostssl cert_ca certuser 127.0.0.1/32 trust clientcert=verify-ca',
  'hostssl cert_full certuser 127.0.0.1/32 trust clientcert=verify-full',
  'hostssl cert_method certuser 127.0.0.1/32 cert',
  'hostssl cert_dn certuser 127.0.0.1/32 cert clientname=DN',
];
const CERT_DATABASES = ['cert_trust', 'cert_ca', 'cert_full', 'cert_method', 'cert_dn'] as const;
const ROLES =
  "create role anyuser login; create role ssluser login; create role plainuser login; create role pwuser login password 'right-pw'; create role rejectuser login; create role certuser login;";
// "ghost" has a trust line but no role.
const USERS = {
  anyuser: null,
  ssluser: null,
  plainuser: null,
  pwuser: 'right-pw',
  rejectuser: null,
  postgres: null,
  certuser: null,
};
const DATABASES = ['postgres', 'template0', 'template1', ...CERT_DATABASES];
const MODES = SSLMODES;

/** A server credential of the PKI by name, or one of these setups built on them. */
type SetupName =
  | keyof OraclePki['servers']
  | 'off'
  | 'tls13'
  | 'tls12'
  | 'clientca'
  | 'clientca12'
  | 'clientcaA'
  | 'mismatchca'
  | 'mismatchca12';
type RootForm = 'none' | 'home' | 'path' | 'wrong';

interface Cell {
  readonly name: string;
  readonly conninfo: string;
  readonly root: RootForm;
  readonly password?: string;
  /** Environment variables for psql and the engine alike (PGSSLROOTCERT ...). */
  readonly env?: Readonly<Record<string, string>>;
  /** Client certificate files: what psql's HOME/.postgresql holds and extra conninfo, and the engine's `files`. */
  readonly client?: ClientFiles;
  /** CRL files (sslcrl=, sslcrldir=, ~/.postgresql/root.crl): on disk for psql, in the engine's `files`. */
  readonly crl?: ClientFiles;
}

interface ClientFiles {
  readonly homeFiles: Record<string, string>;
  readonly files: Record<string, string>;
  readonly extra: string;
}

let pg: PgOracleServer;
let pki: OraclePki;
let localhostAddrs: string[];
const major = findPostgres().major;

function setupTls(name: SetupName): ServerTls {
  if (name === 'off') return { name, ssl: false };
  const client: Partial<Record<SetupName, { base: keyof OraclePki['servers']; ca: string; tls12?: true }>> = {
    clientca: { base: 'good', ca: pki.clients.ca },
    clientca12: { base: 'good', ca: pki.clients.ca, tls12: true },
    clientcaA: { base: 'good', ca: pki.clients.ca + pki.rootA },
    mismatchca: { base: 'mismatch', ca: pki.clients.ca },
    mismatchca12: { base: 'mismatch', ca: pki.clients.ca, tls12: true },
  };
  const c = client[name];
  const cred =
    name === 'tls13' || name === 'tls12'
      ? pki.servers.good
      : c
        ? pki.servers[c.base]
        : pki.servers[name as keyof OraclePki['servers']];
  return {
    name,
    ssl: true,
    chainPem: cred.chainPem,
    keyPem: cred.keyPem,
    ...(c ? { caPem: c.ca } : {}),
    ...(name === 'tls12' || c?.tls12 ? { maxProtocol: 'TLSv1.2' } : {}),
    ...(name === 'tls13' ? { minProtocol: 'TLSv1.3' } : {}),
  };
}

function serverSpec(tls: ServerTls): ServerSpec {
  return {
    ssl: tls.ssl,
    ...(tls.chainPem ? { certificateChain: tls.chainPem } : {}),
    ...(tls.minProtocol ? { minProtocol: tls.minProtocol } : {}),
    ...(tls.maxProtocol ? { maxProtocol: tls.maxProtocol } : {}),
    ...(tls.caPem ? { caFile: tls.caPem } : {}),
    hba: HBA,
    users: USERS,
    databases: DATABASES,
    listen: ['127.0.0.1'],
    port: pg.port,
    majorVersion: major,
  };
}

/** The root file a cell uses: on disk for psql, in `files` for the engine; then the cell's CRL files, if any. */
function rootFiles(
  root: RootForm,
  client?: ClientFiles,
  crl?: ClientFiles,
): { home: string; files: Record<string, string>; extra: string } {
  const base = rootFilesOnly(root, client);
  return {
    home: pg.home({ ...base.homeFiles, ...crl?.homeFiles }),
    files: { ...base.files, ...crl?.files },
    extra: base.extra + (crl?.extra ?? ''),
  };
}

function rootFilesOnly(root: RootForm, client?: ClientFiles): ClientFiles {
  if (client) {
    const path = pg.clientFile('root-a.crt', pki.rootA);
    return {
      homeFiles: client.homeFiles,
      files: { [path]: pki.rootA, ...client.files },
      extra: ` sslrootcert=${path}${client.extra}`,
    };
  }
  if (root === 'home')
    return {
      homeFiles: { 'root.crt': pki.rootA },
      files: { '~/.postgresql/root.crt': pki.rootA },
      extra: '',
    };
  if (root === 'wrong')
    return {
      homeFiles: { 'root.crt': pki.rootB },
      files: { '~/.postgresql/root.crt': pki.rootB },
      extra: '',
    };
  if (root === 'path') {
    const path = pg.clientFile('root-a.crt', pki.rootA);
    return { homeFiles: {}, files: { [path]: pki.rootA }, extra: ` sslrootcert=${path}` };
  }
  return { homeFiles: {}, files: {}, extra: '' };
}

interface Compared {
  readonly cell: string;
  readonly real: PsqlResult;
  readonly predicted: { connected: boolean; encrypted: boolean; protocol?: string; error?: string };
}

async function runCell(setup: ServerTls, cell: Cell): Promise<Compared> {
  const rf = rootFiles(cell.root, cell.client, cell.crl);
  const conninfo = cell.conninfo.includes('port=')
    ? `${cell.conninfo}${rf.extra}`
    : `${cell.conninfo} port=${pg.port}${rf.extra}`;
  const real = await pg.psql(conninfo, {
    home: rf.home,
    ...(cell.password !== undefined ? { password: cell.password } : {}),
    ...(cell.env ? { env: cell.env } : {}),
  });
  const env = { ...cell.env, ...(cell.password !== undefined ? { PGPASSWORD: cell.password } : {}) };
  const scenario: Scenario = {
    client: {
      driver: 'libpq',
      version: String(major),
      conninfo,
      files: rf.files,
      home: rf.home,
      ...(Object.keys(env).length > 0 ? { env } : {}),
    },
    server: serverSpec(setup),
    resolve: { localhost: localhostAddrs },
  };
  const out = await explainConnection(scenario);
  return {
    cell: `${setup.name}: ${cell.name}`,
    real: real,
    predicted: {
      connected: out.connected,
      encrypted: out.encrypted,
      ...(out.protocol ? { protocol: out.protocol } : {}),
      ...(out.error !== undefined ? { error: out.error } : {}),
    },
  };
}

/** Runs cells two at a time (2 shared cores). */
async function runAll(setup: SetupName, cells: readonly Cell[]): Promise<Compared[]> {
  const tls = setupTls(setup);
  await pg.configure(tls);
  const out: Compared[] = [];
  for (let i = 0; i < cells.length; i += 2) {
    out.push(...(await Promise.all(cells.slice(i, i + 2).map((c) => runCell(tls, c)))));
  }
  return out;
}

function expectAgreement(results: readonly Compared[]): void {
  const mismatches = results
    .map((r) => ({
      cell: r.cell,
      real: {
        connected: r.real.connected,
        encrypted: r.real.encrypted,
        ...(r.real.protocol ? { protocol: r.real.protocol } : {}),
        ...(r.real.error !== undefined ? { error: r.real.error } : {}),
      },
      predicted: r.predicted,
    }))
    .filter((r) => JSON.stringify(r.real) !== JSON.stringify(r.predicted));
  if (process.env.SSLMODE_ORACLE_DUMP) {
    appendFileSync(
      process.env.SSLMODE_ORACLE_DUMP,
      results.map((r) => JSON.stringify({ cell: r.cell, real: r.real, predicted: r.predicted })).join('\n') +
        '\n',
    );
  }
  expect(mismatches).toEqual([]);
  expect(results.length).toBeGreaterThan(0);
}

beforeAll(async () => {
  pki = await makeOraclePki('certuser');
  pg = await PgOracleServer.start(HBA, ROLES);
  for (const db of CERT_DATABASES) pg.admin(`create database ${db}`);
  localhostAddrs = (await lookup('localhost', { all: true })).map((a) => a.address);
});

afterAll(() => {
  pg?.stop();
});

describe(`libpq ${findPostgres().psqlVersion} against a real server: explainConnection predicts psql exactly`, () => {
  const setupsA: SetupName[] = [
    'off',
    'good',
    'noip',
    'mismatch',
    'expired',
    'selfsigned',
    'cross',
    'leafonly',
  ];
  for (const setup of setupsA) {
    it(`A: every sslmode x root file with host=localhost, server setup "${setup}"`, async () => {
      const cells: Cell[] = [];
      for (const mode of MODES)
        for (const root of ['none', 'home', 'path', 'wrong'] as const) {
          // The cross-signed setup is the one where Root B alone must anchor the chain.
          const r: RootForm = setup === 'cross' && root === 'wrong' ? 'wrong' : root;
          cells.push({
            name: `sslmode=${mode} root=${r}`,
            conninfo: `host=localhost user=anyuser dbname=postgres sslmode=${mode}`,
            root: r,
          });
        }
      expectAgreement(await runAll(setup, cells));
    });
  }

  for (const setup of ['off', 'good', 'mismatch'] as const) {
    it(`B: hostssl-only, hostnossl-only and unlisted users, server setup "${setup}"`, async () => {
      const cells: Cell[] = [];
      for (const mode of MODES)
        for (const root of ['none', 'home'] as const)
          for (const user of ['ssluser', 'plainuser', 'nosuchuser'])
            cells.push({
              name: `sslmode=${mode} root=${root} user=${user}`,
              conninfo: `host=127.0.0.1 user=${user} dbname=postgres sslmode=${mode}`,
              root,
            });
      expectAgreement(await runAll(setup, cells));
    });
  }

  for (const setup of ['good', 'noip', 'mismatch'] as const) {
    it(`C: host forms (name, IP, hostaddr only, host+hostaddr), server setup "${setup}"`, async () => {
      const cells: Cell[] = [];
      const forms = [
        'host=localhost',
        'host=127.0.0.1',
        'hostaddr=127.0.0.1',
        'host=localhost hostaddr=127.0.0.1',
        'host=db.example.test hostaddr=127.0.0.1',
      ];
      for (const mode of ['require', 'verify-ca', 'verify-full'] as const)
        for (const form of forms)
          cells.push({
            name: `sslmode=${mode} ${form}`,
            conninfo: `${form} user=anyuser dbname=postgres sslmode=${mode}`,
            root: 'path',
          });
      expectAgreement(await runAll(setup, cells));
    });
  }

  it('D: server ssl_min_protocol_version=TLSv1.3 vs client ssl_max_protocol_version', async () => {
    const cells: Cell[] = [];
    for (const mode of ['prefer', 'require', 'verify-full'] as const)
      for (const max of ['', ' ssl_max_protocol_version=TLSv1.2', ' ssl_min_protocol_version=TLSv1.3'])
        for (const user of ['anyuser', 'ssluser'])
          cells.push({
            name: `sslmode=${mode}${max} user=${user}`,
            conninfo: `host=localhost user=${user} dbname=postgres sslmode=${mode}${max}`,
            root: 'home',
          });
    expectAgreement(await runAll('tls13', cells));
  });

  it('D2: server ssl_max_protocol_version=TLSv1.2 vs client ssl_min_protocol_version', async () => {
    const cells: Cell[] = [];
    for (const mode of ['prefer', 'require', 'verify-full'] as const)
      for (const min of ['', ' ssl_min_protocol_version=TLSv1.3'])
        for (const user of ['anyuser', 'ssluser'])
          cells.push({
            name: `sslmode=${mode}${min} user=${user}`,
            conninfo: `host=localhost user=${user} dbname=postgres sslmode=${mode}${min}`,
            root: 'home',
          });
    expectAgreement(await runAll('tls12', cells));
  });

  it('E: scram user with right, wrong and missing password', async () => {
    const cells: Cell[] = [];
    for (const mode of ['allow', 'prefer', 'require'] as const)
      for (const password of ['right-pw', 'wrong-pw', undefined])
        cells.push({
          name: `sslmode=${mode} password=${password ?? '(none)'}`,
          conninfo: `host=127.0.0.1 user=pwuser dbname=postgres sslmode=${mode}`,
          root: 'none',
          ...(password !== undefined ? { password } : {}),
        });
    expectAgreement(await runAll('good', cells));
  });

  it('I: channel_binding=require: a trust line, SCRAM over TLS, SCRAM without TLS; never retried', async () => {
    const cells: Cell[] = [];
    for (const mode of ['disable', 'allow', 'prefer', 'require'] as const)
      cells.push(
        {
          name: `trust user sslmode=${mode}`,
          conninfo: `host=127.0.0.1 user=anyuser dbname=postgres sslmode=${mode} channel_binding=require`,
          root: 'none',
        },
        {
          name: `scram user sslmode=${mode}`,
          conninfo: `host=127.0.0.1 user=pwuser dbname=postgres sslmode=${mode} channel_binding=require`,
          root: 'none',
          password: 'right-pw',
        },
      );
    expectAgreement(await runAll('good', cells));
  });

  it('J: target_session_attrs against a read-write primary, one host and two', async () => {
    const cells: Cell[] = [];
    for (const attrs of [
      'any',
      'read-write',
      'primary',
      'read-only',
      'standby',
      'prefer-standby',
      'nonsense',
    ])
      cells.push(
        {
          name: `target_session_attrs=${attrs}`,
          conninfo: `host=127.0.0.1 user=anyuser dbname=postgres sslmode=prefer target_session_attrs=${attrs}`,
          root: 'none',
        },
        {
          name: `target_session_attrs=${attrs}, two hosts`,
          conninfo: `host=127.0.0.1,localhost user=anyuser dbname=postgres sslmode=require target_session_attrs=${attrs}`,
          root: 'none',
        },
      );
    expectAgreement(await runAll('good', cells));
  });

  it('G: pg_hba reject, missing role, missing database, several hosts and ports', async () => {
    const cells: Cell[] = [];
    for (const mode of ['disable', 'allow', 'prefer', 'require'] as const) {
      cells.push({
        name: `sslmode=${mode} reject line`,
        conninfo: `host=127.0.0.1 user=rejectuser dbname=postgres sslmode=${mode}`,
        root: 'none',
      });
      cells.push({
        name: `sslmode=${mode} no such role`,
        conninfo: `host=127.0.0.1 user=ghost dbname=postgres sslmode=${mode}`,
        root: 'none',
      });
      cells.push({
        name: `sslmode=${mode} no such database`,
        conninfo: `host=127.0.0.1 user=anyuser dbname=nosuchdb sslmode=${mode}`,
        root: 'none',
      });
      cells.push({
        name: `sslmode=${mode} two hosts, hostssl user`,
        conninfo: `host=localhost,127.0.0.1 user=ssluser dbname=postgres sslmode=${mode}`,
        root: 'none',
      });
      cells.push({
        name: `sslmode=${mode} first port closed`,
        conninfo: `host=127.0.0.1,localhost port=1,${pg.port} user=anyuser dbname=postgres sslmode=${mode}`,
        root: 'none',
      });
      cells.push({
        name: `sslmode=${mode} every port closed`,
        conninfo: `host=127.0.0.1,localhost port=1 user=anyuser dbname=postgres sslmode=${mode}`,
        root: 'none',
      });
    }
    expectAgreement(await runAll('good', cells));
  });

  /** Block H's client-certificate variants: files in HOME, conninfo paths, and what the engine is given. */
  function clientVariants(): { name: string; client: ClientFiles }[] {
    const c = pki.clients.certs;
    const inHome = (crt: string, key?: string): ClientFiles => {
      const homeFiles: Record<string, string> = { 'postgresql.crt': crt };
      const files: Record<string, string> = { '~/.postgresql/postgresql.crt': crt };
      if (key !== undefined) {
        homeFiles['postgresql.key'] = key;
        files['~/.postgresql/postgresql.key'] = key;
      }
      return { homeFiles, files, extra: '' };
    };
    const crtPath = pg.clientFile('right.crt', c.right.certPem);
    const keyPath = pg.clientFile('right.key', c.right.keyPem);
    const missing = pg.missingClientFile('nothing.crt');
    return [
      { name: 'no client certificate', client: { homeFiles: {}, files: {}, extra: '' } },
      { name: 'right CN in ~/.postgresql', client: inHome(c.right.certPem, c.right.keyPem) },
      {
        name: 'right CN by sslcert/sslkey',
        client: {
          homeFiles: {},
          files: { [crtPath]: c.right.certPem, [keyPath]: c.right.keyPem },
          extra: ` sslcert=${crtPath} sslkey=${keyPath}`,
        },
      },
      { name: 'wrong CN', client: inHome(c.wrong.certPem, c.wrong.keyPem) },
      { name: 'expired', client: inHome(c.expired.certPem, c.expired.keyPem) },
      { name: 'untrusted CA', client: inHome(c.untrusted.certPem, c.untrusted.keyPem) },
      { name: 'certificate without key file', client: inHome(c.right.certPem) },
      { name: 'key of another certificate', client: inHome(c.right.certPem, c.wrong.keyPem) },
      {
        name: 'sslcert names a missing file',
        client: { homeFiles: {}, files: {}, extra: ` sslcert=${missing}` },
      },
    ];
  }

  for (const mode of ['allow', 'prefer', 'require', 'verify-full'] as const) {
    it(`H: client certificates x pg_hba clientcert/cert lines, sslmode=${mode}, server with ssl_ca_file`, async () => {
      const cells: Cell[] = [];
      for (const v of clientVariants())
        for (const db of CERT_DATABASES)
          cells.push({
            name: `sslmode=${mode} ${v.name} db=${db}`,
            conninfo: `host=localhost user=certuser dbname=${db} sslmode=${mode}`,
            root: 'path',
            client: v.client,
          });
      expectAgreement(await runAll('clientca', cells));
    });
  }

  it('H2: clientcert/cert lines on a server without ssl_ca_file', async () => {
    const cells: Cell[] = [];
    for (const v of clientVariants().slice(0, 2))
      for (const db of CERT_DATABASES)
        cells.push({
          name: `sslmode=require ${v.name} db=${db}`,
          conninfo: `host=localhost user=certuser dbname=${db} sslmode=require`,
          root: 'path',
          client: v.client,
        });
    expectAgreement(await runAll('good', cells));
  });

  it('H3: a rejected client certificate under TLS 1.2 (the alert ends the handshake itself)', async () => {
    const cells: Cell[] = [];
    for (const mode of ['prefer', 'require'] as const)
      for (const v of clientVariants().filter((x) => /right CN in|expired|untrusted|wrong/.test(x.name)))
        cells.push({
          name: `sslmode=${mode} ${v.name} db=cert_full`,
          conninfo: `host=localhost user=certuser dbname=cert_full sslmode=${mode}`,
          root: 'path',
          client: v.client,
        });
    expectAgreement(await runAll('clientca12', cells));
  });

  it('H4: a chain file (leaf + intermediate) whose leaf is for servers only (EKU serverAuth)', async () => {
    // ssl_ca_file trusts Root A too, so the chain builds; OpenSSL's sslclient purpose check refuses the leaf.
    const good = pki.servers.good;
    const client: ClientFiles = {
      homeFiles: { 'postgresql.crt': good.chainPem, 'postgresql.key': good.keyPem },
      files: { '~/.postgresql/postgresql.crt': good.chainPem, '~/.postgresql/postgresql.key': good.keyPem },
      extra: '',
    };
    const cells: Cell[] = ['prefer', 'require'].map((mode) => ({
      name: `sslmode=${mode} serverAuth-only client leaf db=cert_trust`,
      conninfo: `host=localhost user=certuser dbname=cert_trust sslmode=${mode}`,
      root: 'path',
      client,
    }));
    expectAgreement(await runAll('clientcaA', cells));
  });

  for (const setup of ['mismatchca', 'mismatchca12'] as const) {
    it(`H5: verify-full host-name failure vs a rejected client certificate, setup "${setup}"`, async () => {
      // TLS 1.2: the server's alert ends the handshake before libpq checks the name; TLS 1.3: the name check
      // runs when libpq's handshake is done, before the alert arrives.
      const cells: Cell[] = [];
      for (const v of clientVariants().filter((x) => /right CN in|expired|untrusted/.test(x.name)))
        cells.push({
          name: `sslmode=verify-full ${v.name} db=cert_trust`,
          conninfo: 'host=localhost user=certuser dbname=cert_trust sslmode=verify-full',
          root: 'path',
          client: v.client,
        });
      expectAgreement(await runAll(setup, cells));
    });
  }

  it('H6: a certificate file without a certificate, a key file without a key', async () => {
    const c = pki.clients.certs;
    const text = 'this is not PEM\n';
    const variants: { name: string; client: ClientFiles }[] = [
      {
        name: 'certificate file holds no certificate',
        client: {
          homeFiles: { 'postgresql.crt': text, 'postgresql.key': c.right.keyPem },
          files: { '~/.postgresql/postgresql.crt': text, '~/.postgresql/postgresql.key': c.right.keyPem },
          extra: '',
        },
      },
      {
        name: 'key file holds no key',
        client: {
          homeFiles: { 'postgresql.crt': c.right.certPem, 'postgresql.key': text },
          files: { '~/.postgresql/postgresql.crt': c.right.certPem, '~/.postgresql/postgresql.key': text },
          extra: '',
        },
      },
    ];
    const cells: Cell[] = variants.map((v) => ({
      name: `sslmode=require ${v.name} db=cert_trust`,
      conninfo: 'host=localhost user=certuser dbname=cert_trust sslmode=require',
      root: 'path',
      client: v.client,
    }));
    expectAgreement(await runAll('clientca', cells));
  });

  it('K: file names without ~ expansion, empty values, options libpq validates, inet_aton hosts', async () => {
    const base = 'user=anyuser dbname=postgres';
    const missing = { PGSSLROOTCERT: '/nonexistent/root.crt', PGSSLCERT: '/nonexistent/client.crt' };
    const cells: Cell[] = [
      ['host=localhost sslmode=verify-full sslrootcert=~/.postgresql/root.crt', {}],
      ["host=localhost sslmode=verify-full sslrootcert=''", missing],
      ['host=localhost sslmode=verify-full', missing],
      ["host=localhost sslmode=require sslcert=''", missing],
      ["host='' sslmode=require", { PGHOST: 'localhost' }],
      ['host=localhost hostaddr=notanip sslmode=require', {}],
      ['host=localhost connect_timeout=abc sslmode=require', {}],
      ['service=nosuch host=localhost sslmode=foo', {}],
      ['host=127.1 sslmode=verify-full', {}],
      ['host=2130706433 sslmode=verify-full', {}],
      ['host=127.000.000.001 sslmode=verify-full', {}],
    ].map(([conninfo, env]) => ({
      name: `${conninfo as string} ${JSON.stringify(env)}`,
      conninfo: `${conninfo as string} ${base}`,
      root: 'home' as const,
      env: env as Record<string, string>,
    }));
    expectAgreement(await runAll('good', cells));
  });

  it('L: certificate revocation lists (sslcrl, sslcrldir, ~/.postgresql/root.crl)', async () => {
    const leaf = pki.servers.good.chainPem.split(/(?<=-----END CERTIFICATE-----\n)/)[0]!;
    const clean = (await pki.crl('intermediate')) + (await pki.crl('rootA'));
    const revokedLeaf = (await pki.crl('intermediate', { revoke: [leaf] })) + (await pki.crl('rootA'));
    const crls = {
      revokedLeaf,
      clean,
      interOnly: await pki.crl('intermediate'),
      rootOnly: await pki.crl('rootA'),
      expired: (await pki.crl('intermediate', { expired: true })) + (await pki.crl('rootA')),
      revokedInter:
        (await pki.crl('intermediate')) + (await pki.crl('rootA', { revoke: [pki.intermediateFromA] })),
      /** The revoking CRLs under the label @peculiar/x509 writes, which OpenSSL's PEM reader does not know. */
      badLabel: revokedLeaf.replace(/X509 CRL/g, 'CRL'),
      /** A certificate and no CRL: the file loads (its certificate too), so the CRL checks are on. */
      certOnly: pki.rootB,
      /** Root A's certificate with the clean CRLs: the file's certificates join the trust store. */
      rootAclean: pki.rootA + clean,
    };
    const byPath = (name: keyof typeof crls): ClientFiles => {
      const path = pg.clientFile(`${name}.crl`, crls[name]);
      return { homeFiles: {}, files: { [path]: crls[name] }, extra: ` sslcrl=${path}` };
    };
    const inHome = (name: keyof typeof crls): ClientFiles => ({
      homeFiles: { 'root.crl': crls[name] },
      files: { '~/.postgresql/root.crl': crls[name] },
      extra: '',
    });
    const missing = pg.missingClientFile('nothing.crl');
    // sslcrldir: X509_LOOKUP_hash_dir finds a CRL as <issuer name hash>.r0, the name "openssl rehash" gives it.
    const oneEach = (pem: string): string[] =>
      pem.split(/(?<=-----END X509 CRL-----\n)/).filter((p) => p.trim() !== '');
    const byDir = (name: string, pems: readonly string[]): ClientFiles => {
      const dir = join(dirname(dirname(pg.missingClientFile('x'))), name);
      mkdirSync(dir, { recursive: true });
      const files: Record<string, string> = {};
      for (const pem of pems) {
        const hash = execFileSync('openssl', ['crl', '-noout', '-hash'], { input: pem }).toString().trim();
        writeFileSync(join(dir, `${hash}.r0`), pem);
        files[join(dir, `${hash}.r0`)] = pem;
      }
      return { homeFiles: {}, files, extra: ` sslcrldir=${dir}` };
    };
    const dirEmpty = byDir('crl-dir-empty', []);
    const variants: { name: string; crl: ClientFiles; root?: RootForm }[] = [
      { name: 'sslcrl revokes the leaf', crl: byPath('revokedLeaf') },
      { name: 'sslcrl revokes nothing', crl: byPath('clean') },
      { name: "sslcrl: only the leaf's issuer's CRL", crl: byPath('interOnly') },
      { name: "sslcrl: only the root's CRL", crl: byPath('rootOnly') },
      { name: 'sslcrl: the intermediate CRL has expired', crl: byPath('expired') },
      { name: 'sslcrl: Root A revokes the intermediate', crl: byPath('revokedInter') },
      { name: 'sslcrl: revoking CRLs under "BEGIN CRL"', crl: byPath('badLabel') },
      { name: 'sslcrl holds a certificate, no CRL', crl: byPath('certOnly') },
      { name: 'sslcrl names a missing file', crl: { homeFiles: {}, files: {}, extra: ` sslcrl=${missing}` } },
      { name: 'root.crl revokes the leaf, root.crt', crl: inHome('revokedLeaf'), root: 'home' },
      { name: 'root.crl revokes nothing, root.crt', crl: inHome('clean'), root: 'home' },
      { name: 'root.crl revokes the leaf, sslrootcert', crl: inHome('revokedLeaf') },
      { name: 'sslcrl revokes the leaf, no root file', crl: byPath('revokedLeaf'), root: 'none' },
      {
        name: 'sslcrl revokes nothing, root.crl (not read) revokes the leaf',
        crl: { ...byPath('clean'), homeFiles: { 'root.crl': crls.revokedLeaf } },
      },
      {
        name: 'root.crt Root B, sslcrl holds Root A and the clean CRLs',
        crl: byPath('rootAclean'),
        root: 'wrong',
      },
      { name: 'sslcrldir: CRLs revoking nothing', crl: byDir('crl-dir-clean', oneEach(crls.clean)) },
      { name: 'sslcrldir: CRLs revoking the leaf', crl: byDir('crl-dir-revoked', oneEach(crls.revokedLeaf)) },
      { name: 'sslcrldir: an empty directory', crl: dirEmpty },
      {
        name: 'sslcrldir: an empty directory, sslcrl a missing file',
        crl: { ...dirEmpty, extra: `${dirEmpty.extra} sslcrl=${missing}` },
      },
      {
        name: 'sslcrldir: an empty directory, sslcrl revoking nothing',
        crl: { ...byPath('clean'), extra: `${dirEmpty.extra}${byPath('clean').extra}` },
      },
    ];
    const cells: Cell[] = [];
    for (const mode of ['prefer', 'require', 'verify-full'] as const)
      for (const v of variants)
        cells.push({
          name: `sslmode=${mode} ${v.name}`,
          conninfo: `host=db.example.test hostaddr=127.0.0.1 user=anyuser dbname=postgres sslmode=${mode}`,
          root: v.root ?? 'path',
          crl: v.crl,
        });
    expectAgreement(await runAll('good', cells));
  });

  it('F: connection strings libpq rejects before connecting', async () => {
    const bad = [
      'host=localhost sslmode=foo',
      'host=localhost ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2',
      'host=localhost ssl_min_protocol_version=tls1',
      "host='localhost",
      'host=localhost bogus=1',
      'host=localhost sslmode',
      'host=localhost,127.0.0.1 hostaddr=127.0.0.1',
      'host=localhost port=abc',
      'host=localhost channel_binding=foo',
      'host=localhost gssencmode=foo',
      'host=localhost sslmode=',
      'host=localhost channel_binding=',
      'host=localhost gssencmode=',
      "host=localhost sslmode=''",
      'host=localhost gssencmode=require',
      'host=localhost gssencmode=require sslmode=foo',
      'host=localhost channel_binding=foo sslmode=foo',
      ...(major < 17 ? ['host=localhost sslnegotiation=direct'] : []),
    ];
    const uris = [
      'postgresql://localhost?sslmode=verify-all',
      'postgresql://[::1',
      'postgresql://localhost?sslmode',
      'postgresql://localhost?a=b=c',
      'postgresql://localhost/%zz',
      'postgresql://localhost?nosuch=1',
      'postgresql://local%00host',
    ];
    const results: Compared[] = [];
    const tls = setupTls('good');
    await pg.configure(tls);
    for (const conninfo of bad) {
      const real = await pg.psql(conninfo, { home: pg.home({}) });
      const out = await explainConnection({
        client: { driver: 'libpq', version: String(major), conninfo },
        server: serverSpec(tls),
      });
      results.push({
        cell: conninfo,
        real,
        predicted: {
          connected: out.connected,
          encrypted: out.encrypted,
          ...(out.error !== undefined ? { error: out.error } : {}),
        },
      });
    }
    for (const conninfo of uris) {
      const real = await pg.psql(conninfo, { home: pg.home({}) });
      const out = await explainConnection({
        client: { driver: 'libpq', version: String(major), conninfo },
        server: serverSpec(tls),
      });
      results.push({
        cell: conninfo,
        real,
        predicted: {
          connected: out.connected,
          encrypted: out.encrypted,
          ...(out.error !== undefined ? { error: out.error } : {}),
        },
      });
    }
    expectAgreement(results);
  });
});
