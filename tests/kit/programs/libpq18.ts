/**
 * Real libpq 18 for the oracle: psycopg 3's binary wheel (it bundles libpq 18 and its own OpenSSL) in a virtual
 * environment under .tmp/ (ignored by git), and scripts/libpq18/psql-shim.py, which takes psql's arguments and prints
 * `psql: error: ` + PQerrorMessage. `recordLibpq18()` runs every cell of libpq18-cells.ts against a throw-away
 * PostgreSQL (postgres-oracle.ts) and returns what libpq 18 did, in the fixture's format.
 *
 * Fails (throws) when the virtual environment cannot be made or pip cannot install the pinned wheels: the oracle
 * must never silently skip.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeOraclePki, type OraclePki } from '../pure/postgres-pki.ts';
import { PgOracleServer, findPostgres, type PsqlProgram } from './postgres-oracle.ts';
import { ensureVenv, ROOT, runFor } from './python-venv.ts';
import {
  DATABASES,
  HBA,
  ROLES,
  cellDefs,
  SETUPS,
  type CellDef,
  type Libpq18Fixture,
  type Libpq18Setup,
  type SetupName,
  type PemName,
  type RecordedCell,
} from '../pure/libpq18-cells.ts';

export const SHIM = join(ROOT, 'scripts/libpq18/psql-shim.py');
const REQUIREMENTS = join(ROOT, 'scripts/libpq18/requirements.txt');
export const FIXTURE = join(ROOT, 'fixtures/libpq18/libpq18-oracle.json');

export interface Libpq18Versions {
  readonly libpq: string;
  readonly openssl: string;
  readonly psycopg: string;
  readonly pqImplementation: string;
}

const run = runFor('libpq 18 oracle', `${REQUIREMENTS} (psycopg-binary bundles libpq 18)`);

/**
 * The virtual environment with the pinned wheels (made, or re-made when its requirements changed), and the
 * versions its libpq and OpenSSL report.
 */
export function ensureLibpq18(): { python: string; versions: Libpq18Versions } {
  const python = ensureVenv('libpq18-venv', REQUIREMENTS, run);
  const versions = JSON.parse(run(python, [SHIM, '--versions'], 'the shim')) as Libpq18Versions;
  return { python, versions };
}

/** PEM texts by fixture name. */
function pemTable(pki: OraclePki): Record<PemName, string> {
  return {
    rootA: pki.rootA,
    rootB: pki.rootB,
    goodChain: pki.servers.good.chainPem,
    noipChain: pki.servers.noip.chainPem,
    mismatchChain: pki.servers.mismatch.chainPem,
    clientCa: pki.clients.ca,
    clientRightCert: pki.clients.certs.right.certPem,
    clientRightKey: pki.clients.certs.right.keyPem,
  };
}

/** Starts a throw-away PostgreSQL, runs every cell through real libpq 18, stops the server. */
export async function recordLibpq18(): Promise<Libpq18Fixture> {
  const { python, versions } = ensureLibpq18();
  const recordedAt = new Date();
  const pki = await makeOraclePki('certuser');
  const pem = pemTable(pki);
  const pg = await PgOracleServer.start(HBA, ROLES);
  try {
    for (const db of DATABASES.filter((d) => d.startsWith('cert_'))) pg.admin(`create database ${db}`);
    const server = pg.admin('show server_version');
    const noStore = join(pg.dir, 'client-files', 'no-system-store');
    const cells: RecordedCell[] = [];
    // Consecutive cells of one setup share a server configuration; they run two at a time (2 shared cores).
    const defs = cellDefs();
    for (let i = 0; i < defs.length;) {
      const setup = defs[i]!.setup;
      let end = i;
      while (end < defs.length && defs[end]!.setup === setup) end++;
      await configure(pg, setup, pki, pem);
      for (let k = i; k < end; k += 2) {
        const batch = defs.slice(k, Math.min(k + 2, end));
        cells.push(...(await Promise.all(batch.map((d) => runCell(pg, d, pem, python, noStore)))));
      }
      i = end;
    }
    return {
      recordedWith: { ...versions, server: `PostgreSQL ${server}` },
      recordedAt: recordedAt.toISOString(),
      port: pg.port,
      dir: pg.dir,
      serverMajor: findPostgres().major,
      pem,
      cells,
    };
  } finally {
    pg.stop();
  }
}

/** The server credential behind a chain's PEM name. */
const CHAIN_SERVER = { goodChain: 'good', noipChain: 'noip', mismatchChain: 'mismatch' } as const;

async function configure(pg: PgOracleServer, name: SetupName, pki: OraclePki, pem: Record<PemName, string>) {
  const s: Libpq18Setup = SETUPS[name];
  const cred = s.chain ? pki.servers[CHAIN_SERVER[s.chain as keyof typeof CHAIN_SERVER]] : undefined;
  await pg.configure({
    name,
    ssl: s.ssl,
    ...(cred ? { chainPem: cred.chainPem, keyPem: cred.keyPem } : {}),
    ...(s.ca ? { caPem: pem[s.ca] } : {}),
    ...(s.minProtocol ? { minProtocol: s.minProtocol } : {}),
    ...(s.maxProtocol ? { maxProtocol: s.maxProtocol } : {}),
  });
}

/** Writes the cell's files, runs the shim as psql, and records what it did and what the engine is given. */
async function runCell(
  pg: PgOracleServer,
  def: CellDef,
  pem: Record<PemName, string>,
  python: string,
  noStore: string,
): Promise<RecordedCell> {
  const files: Record<string, PemName> = {};
  const conninfo =
    def.conninfo.replace(/\{([\w.-]+)\}/g, (_, name: string) => {
      const which = def.clientFiles?.[name];
      if (which === undefined) {
        // A file the client writes (sslkeylogfile): its directory exists, the file does not yet.
        mkdirSync(join(pg.dir, 'client-files'), { recursive: true });
        return join(pg.dir, 'client-files', name);
      }
      const path = pg.clientFile(name, pem[which]);
      files[path] = which;
      return path;
    }) + ` port=${pg.port}`;
  const homeFiles = Object.fromEntries(Object.entries(def.home ?? {}).map(([n, p]) => [n, pem[p]]));
  for (const [n, p] of Object.entries(def.home ?? {})) files[`~/.postgresql/${n}`] = p;
  const home = pg.home(homeFiles);
  let systemFile = noStore;
  if (def.system !== undefined) {
    systemFile = pg.clientFile(`system-${def.system}.pem`, pem[def.system]);
    files['system'] = def.system;
  }
  const program: PsqlProgram = {
    command: python,
    args: [SHIM],
    // OpenSSL's default verify paths (sslrootcert=system): only what the cell puts there, never the machine's.
    env: {
      SSL_CERT_FILE: systemFile,
      SSL_CERT_DIR: join(pg.dir, 'client-files', 'no-system-dir'),
      ...def.env,
    },
  };
  const real = await pg.psql(conninfo, {
    home,
    ...(def.password !== undefined ? { password: def.password } : {}),
    program,
  });
  return {
    name: `${def.setup}: ${def.name}`,
    setup: def.setup,
    conninfo,
    home,
    files,
    ...(def.password !== undefined || def.env
      ? { env: { ...(def.password !== undefined ? { PGPASSWORD: def.password } : {}), ...def.env } }
      : {}),
    real: {
      connected: real.connected,
      encrypted: real.encrypted,
      ...(real.protocol ? { protocol: real.protocol } : {}),
      ...(real.error !== undefined ? { error: real.error } : {}),
    },
  };
}
