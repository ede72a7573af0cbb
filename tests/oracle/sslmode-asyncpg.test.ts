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
import { afterAll, beforeAll, describe, it } from 'vitest';
import { makeOraclePki, type OraclePki } from '../kit/pure/postgres-pki.ts';
import {
  DRIVER_ORACLE_HBA,
  DRIVER_ORACLE_ROLES,
  expectDriverCells,
  fallbackCells,
  MATRIX_SETUPS,
  modeRootCells,
  type DriverCell,
  type DriverSetupName,
} from '../kit/programs/driver-oracle.ts';
import { PgOracleServer, type ObservedConnection } from '../kit/programs/postgres-oracle.ts';
import { ensureVenv, ROOT, runFor } from '../kit/programs/python-venv.ts';

const REQUIREMENTS = join(ROOT, 'scripts/asyncpg/requirements.txt');
const SHIM = join(ROOT, 'scripts/asyncpg/connect-shim.py');

let server: PgOracleServer;
let pki: OraclePki;
let python: string;
let localhostAddrs: string[];

/** CPython's "(_ssl.c:N)": its line differs per CPython build. */
const sslLine = (text: string) => text.replace(/\(_ssl\.c:\d+\)/g, '(_ssl.c:N)');

async function realAsyncpg(dsn: string, home: string): Promise<ObservedConnection> {
  // The environment is all asyncpg reads besides the DSN: HOME for ~/.postgresql, and no PG* variables.
  const { stdout } = await promisify(execFile)(python, [SHIM, dsn], {
    env: { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeout: 30_000,
  });
  const r = JSON.parse(stdout) as ObservedConnection & { type?: string };
  return {
    connected: r.connected,
    encrypted: r.encrypted,
    ...(r.protocol !== undefined ? { protocol: r.protocol } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}

const runCells = (setup: DriverSetupName, cells: readonly DriverCell[]) =>
  expectDriverCells({
    driver: 'asyncpg',
    server,
    pki,
    localhostAddrs,
    setup,
    cells,
    normalize: sslLine,
    real: async (withHomes) => {
      const out = [];
      for (const c of withHomes) out.push(await realAsyncpg(c.conninfo, c.homeDir));
      return out;
    },
  });

beforeAll(async () => {
  python = ensureVenv('asyncpg-venv', REQUIREMENTS, runFor('asyncpg oracle', REQUIREMENTS));
  pki = await makeOraclePki('anyuser');
  server = await PgOracleServer.start(DRIVER_ORACLE_HBA, DRIVER_ORACLE_ROLES);
  localhostAddrs = (await lookup('localhost', { all: true })).map((a) => a.address);
}, 900_000);

afterAll(() => {
  server?.stop();
});

const MODES = ['', 'disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

describe('asyncpg 0.31 against a real server', () => {
  for (const setup of MATRIX_SETUPS) {
    it(`every DSN sslmode x root file (none, ~/.postgresql/root.crt, sslrootcert=), setup "${setup}"`, async () => {
      const dsn = (mode: string, root: string) => {
        const params = [mode ? `sslmode=${mode}` : '', root].filter(Boolean).join('&');
        return `postgresql://anyuser@localhost:${server.port}/postgres${params ? `?${params}` : ''}`;
      };
      await runCells(setup, modeRootCells(server, pki, 'asyncpg', MODES, dsn));
    });
  }

  for (const setup of ['off', 'good'] as const) {
    it(`allow and prefer fall back (or not) for hostssl-only and hostnossl-only users, setup "${setup}"`, async () => {
      const dsn = (mode: string, user: string) =>
        `postgresql://${user}@127.0.0.1:${server.port}/postgres${mode ? `?sslmode=${mode}` : ''}`;
      await runCells(setup, fallbackCells(MODES, dsn));
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
      ].map((q) => ({ conninfo: at + q, home: {}, files: {} })),
    );
    await runCells(
      'tls13',
      ['prefer', 'require'].map((m) => ({
        conninfo: `${at}?sslmode=${m}&ssl_max_protocol_version=TLSv1.2`,
        home: {},
        files: {},
      })),
    );
    await runCells('tls12', [
      { conninfo: `${at}?sslmode=require&ssl_min_protocol_version=TLSv1.3`, home: {}, files: {} },
    ]);
  });
});
