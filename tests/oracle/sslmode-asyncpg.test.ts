/**
 * Oracle: the real asyncpg (0.31.0, pinned in scripts/asyncpg/requirements.txt, in a virtual environment this test
 * makes) through scripts/asyncpg/connect-shim.py against a real PostgreSQL on 127.0.0.1; explainConnection() must
 * predict connected, encrypted, protocol and str(exception) exactly for every DSN sslmode x root file x server setup,
 * and the fallbacks of allow and prefer against hostssl-only and hostnossl-only users. The one part compared
 * loosely is CPython's "(_ssl.c:N)" suffix, whose line differs per CPython build (the engine prints CPython
 * 3.11.7's).
 *
 * Nothing is skipped: without python3's venv module or pip able to install the pinned wheel, beforeAll throws.
 */
import { execFile } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
import { ensureVenv, ROOT, runFor } from '../kit/programs/python-venv.ts';

const REQUIREMENTS = join(ROOT, 'scripts/asyncpg/requirements.txt');
const SHIM = join(ROOT, 'scripts/asyncpg/connect-shim.py');
const HBA = [
  'host all anyuser 127.0.0.1/32 trust',
  'hostssl all ssluser 127.0.0.1/32 trust',
  'hostnossl all plainuser 127.0.0.1/32 trust',
];
const ROLES = 'create role anyuser login; create role ssluser login; create role plainuser login;';
const USERS = { anyuser: null, ssluser: null, plainuser: null, postgres: null };

type SetupName = 'off' | 'good' | 'mismatch' | 'expired' | 'selfsigned' | 'leafonly' | 'tls12' | 'tls13';

let server: PgOracleServer;
let pki: OraclePki;
let python: string;
let localhostAddrs: string[];

function setupTls(name: SetupName): ServerTls {
  if (name === 'off') return { name, ssl: false };
  if (name === 'tls12' || name === 'tls13') {
    const good = pki.servers.good;
    const range = name === 'tls12' ? { maxProtocol: 'TLSv1.2' } : { minProtocol: 'TLSv1.3' };
    return { name, ssl: true, chainPem: good.chainPem, keyPem: good.keyPem, ...range };
  }
  return { name, ssl: true, chainPem: pki.servers[name].chainPem, keyPem: pki.servers[name].keyPem };
}

function serverSpec(tls: ServerTls): ServerSpec {
  return oracleServerSpec(tls, { hba: HBA, users: USERS, port: server.port });
}

type Observed = ObservedConnection;

/** CPython's "(_ssl.c:N)": its line differs per CPython build. */
const sslLine = (text: string) => text.replace(/\(_ssl\.c:\d+\)/g, '(_ssl.c:N)');

async function realAsyncpg(dsn: string, home: string): Promise<Observed> {
  // The environment is all asyncpg reads besides the DSN: HOME for ~/.postgresql, and no PG* variables.
  const { stdout } = await promisify(execFile)(python, [SHIM, dsn], {
    env: { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeout: 30_000,
  });
  const r = JSON.parse(stdout) as Observed & { type?: string };
  return {
    connected: r.connected,
    encrypted: r.encrypted,
    ...(r.protocol !== undefined ? { protocol: r.protocol } : {}),
    ...(r.error !== undefined ? { error: sslLine(r.error) } : {}),
  };
}

interface Cell {
  dsn: string;
  /** ~/.postgresql files: name -> PEM. */
  home: Record<string, string>;
  /** Files the DSN names: path -> PEM. */
  files: Record<string, string>;
}

async function runCells(setup: SetupName, cells: readonly Cell[]): Promise<void> {
  const tls = setupTls(setup);
  await server.configure(tls);
  const results = [];
  for (const c of cells) {
    const home = server.home(c.home);
    const real = await realAsyncpg(c.dsn, home);
    const out = await explainConnection({
      client: {
        driver: 'asyncpg',
        conninfo: c.dsn,
        home,
        files: {
          ...c.files,
          ...Object.fromEntries(Object.entries(c.home).map(([n, pem]) => [`~/.postgresql/${n}`, pem])),
        },
      },
      server: serverSpec(tls),
      resolve: { localhost: localhostAddrs },
    });
    const predicted = predictedConnection(out);
    if (predicted.error !== undefined) predicted.error = sslLine(predicted.error);
    results.push({ setup, dsn: c.dsn, home: Object.keys(c.home), real, predicted });
  }
  const mismatches = results.filter((r) => JSON.stringify(r.real) !== JSON.stringify(r.predicted));
  expect(mismatches).toEqual([]);
  expect(results.length).toBe(cells.length);
}

beforeAll(async () => {
  python = ensureVenv('asyncpg-venv', REQUIREMENTS, runFor('asyncpg oracle', REQUIREMENTS));
  pki = await makeOraclePki('anyuser');
  server = await PgOracleServer.start(HBA, ROLES);
  localhostAddrs = (await lookup('localhost', { all: true })).map((a) => a.address);
}, 900_000);

afterAll(() => {
  server?.stop();
});

const MODES = ['', 'disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

describe('asyncpg 0.31 against a real server', () => {
  for (const setup of ['off', 'good', 'mismatch', 'expired', 'selfsigned', 'leafonly'] as const) {
    it(`every DSN sslmode x root file (none, ~/.postgresql/root.crt, sslrootcert=), setup "${setup}"`, async () => {
      const rootA = server.clientFile('asyncpg-root-a.crt', pki.rootA);
      const rootB = server.clientFile('asyncpg-root-b.crt', pki.rootB);
      const roots: { home: Record<string, string>; files: Record<string, string>; param: string }[] = [
        { home: {}, files: {}, param: '' },
        { home: { 'root.crt': pki.rootA }, files: {}, param: '' },
        { home: { 'root.crt': pki.rootB }, files: {}, param: '' },
        { home: {}, files: { [rootA]: pki.rootA }, param: `sslrootcert=${rootA}` },
        { home: {}, files: { [rootB]: pki.rootB }, param: `sslrootcert=${rootB}` },
      ];
      const cells: Cell[] = [];
      for (const mode of MODES)
        for (const root of roots) {
          const params = [mode ? `sslmode=${mode}` : '', root.param].filter(Boolean).join('&');
          cells.push({
            dsn: `postgresql://anyuser@localhost:${server.port}/postgres${params ? `?${params}` : ''}`,
            home: root.home,
            files: root.files,
          });
        }
      await runCells(setup, cells);
    });
  }

  for (const setup of ['off', 'good'] as const) {
    it(`allow and prefer fall back (or not) for hostssl-only and hostnossl-only users, setup "${setup}"`, async () => {
      const cells: Cell[] = [];
      for (const mode of MODES)
        for (const user of ['ssluser', 'plainuser'])
          cells.push({
            dsn: `postgresql://${user}@127.0.0.1:${server.port}/postgres${mode ? `?sslmode=${mode}` : ''}`,
            home: {},
            files: {},
          });
      await runCells(setup, cells);
    });
  }
  it('DSN parameters asyncpg sends to the server as settings, and its TLS version range', async () => {
    const at = `postgres://anyuser@localhost:${server.port}/postgres`;
    await runCells(
      'good',
      [
        '?sslmode=require&channel_binding=require',
        '?sslmode=prefer&gssencmode=disable',
        '?ssl=true',
        '?sslmode=require&application_name=tls-lab',
        '?sslmode=require&ssl_max_protocol_version=TLSv1.4',
      ].map((q) => ({ dsn: at + q, home: {}, files: {} })),
    );
    await runCells(
      'tls13',
      ['prefer', 'require'].map((m) => ({
        dsn: `${at}?sslmode=${m}&ssl_max_protocol_version=TLSv1.2`,
        home: {},
        files: {},
      })),
    );
    await runCells('tls12', [
      { dsn: `${at}?sslmode=require&ssl_min_protocol_version=TLSv1.3`, home: {}, files: {} },
    ]);
  });
});
