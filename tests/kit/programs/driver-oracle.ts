/**
 * What the oracles of the rule-table drivers that run for real (asyncpg, pgJDBC) share: the server's users and
 * pg_hba (any, hostssl-only and hostnossl-only), its TLS setups, the root-file variants each sslmode is tried with,
 * and the comparison of the real client's outcomes with explainConnection's.
 */
import { expect } from 'vitest';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';
import type { RuleTableDriver } from '../../../src/lib/sslmode/drivers/rules.ts';
import type { OraclePki } from '../pure/postgres-pki.ts';
import {
  oracleServerSpec,
  predictedConnection,
  type ObservedConnection,
  type PgOracleServer,
  type ServerTls,
} from './postgres-oracle.ts';

export const DRIVER_ORACLE_HBA = [
  'host all anyuser 127.0.0.1/32 trust',
  'hostssl all ssluser 127.0.0.1/32 trust',
  'hostnossl all plainuser 127.0.0.1/32 trust',
];
export const DRIVER_ORACLE_ROLES =
  'create role anyuser login; create role ssluser login; create role plainuser login;';
const USERS = { anyuser: null, ssluser: null, plainuser: null, postgres: null };

/** The setups every sslmode x root file is tried against. */
export const MATRIX_SETUPS = ['off', 'good', 'mismatch', 'expired', 'selfsigned', 'leafonly'] as const;
/** A server credential of the PKI by name, or ssl off, or the good one limited to one TLS version. */
export type DriverSetupName = keyof OraclePki['servers'] | 'off' | 'tls12' | 'tls13';

export function driverSetupTls(name: DriverSetupName, pki: OraclePki): ServerTls {
  if (name === 'off') return { name, ssl: false };
  if (name === 'tls12' || name === 'tls13') {
    const good = pki.servers.good;
    const range = name === 'tls12' ? { maxProtocol: 'TLSv1.2' } : { minProtocol: 'TLSv1.3' };
    return { name, ssl: true, chainPem: good.chainPem, keyPem: good.keyPem, ...range };
  }
  return { name, ssl: true, chainPem: pki.servers[name].chainPem, keyPem: pki.servers[name].keyPem };
}

/** A root file as a cell has it: in ~/.postgresql (name -> PEM), or named by the connection string (path -> PEM). */
export interface RootVariant {
  readonly home: Record<string, string>;
  readonly files: Record<string, string>;
  /** The connection-string parameter naming the file, or ''. */
  readonly param: string;
}

/** None, ~/.postgresql/root.crt of the right CA (A) or another (B), sslrootcert= either. */
export function rootVariants(server: PgOracleServer, pki: OraclePki, prefix: string): RootVariant[] {
  const rootA = server.clientFile(`${prefix}-root-a.crt`, pki.rootA);
  const rootB = server.clientFile(`${prefix}-root-b.crt`, pki.rootB);
  return [
    { home: {}, files: {}, param: '' },
    { home: { 'root.crt': pki.rootA }, files: {}, param: '' },
    { home: { 'root.crt': pki.rootB }, files: {}, param: '' },
    { home: {}, files: { [rootA]: pki.rootA }, param: `sslrootcert=${rootA}` },
    { home: {}, files: { [rootB]: pki.rootB }, param: `sslrootcert=${rootB}` },
  ];
}

/** One connection of an oracle: the connection string and the root files it sees. */
export interface DriverCell {
  readonly conninfo: string;
  /** ~/.postgresql files: name -> PEM. */
  readonly home: Record<string, string>;
  /** Files the connection string names: path -> PEM. */
  readonly files: Record<string, string>;
}

/**
 * Configures the server with `setup`, runs `real` for every cell (each with its own HOME) and asks explainConnection
 * for `driver`; every cell's real outcome must equal the prediction (after `normalize`, for texts that differ per
 * build). `real` gets the cells with their HOME directories, in order.
 */
export async function expectDriverCells(args: {
  driver: RuleTableDriver;
  server: PgOracleServer;
  pki: OraclePki;
  localhostAddrs: string[];
  setup: DriverSetupName;
  cells: readonly DriverCell[];
  real: (cells: readonly (DriverCell & { homeDir: string })[]) => Promise<ObservedConnection[]>;
  normalize?: (text: string) => string;
}): Promise<void> {
  const { driver, server, setup, cells } = args;
  const tls = driverSetupTls(setup, args.pki);
  await server.configure(tls);
  const withHomes = cells.map((c) => ({ ...c, homeDir: server.home(c.home) }));
  const real = await args.real(withHomes);
  const normalize = args.normalize ?? ((t: string) => t);
  const results = [];
  for (const [i, c] of withHomes.entries()) {
    const out = await explainConnection({
      client: {
        driver,
        conninfo: c.conninfo,
        home: c.homeDir,
        files: {
          ...c.files,
          ...Object.fromEntries(Object.entries(c.home).map(([n, pem]) => [`~/.postgresql/${n}`, pem])),
        },
      },
      server: oracleServerSpec(tls, { hba: DRIVER_ORACLE_HBA, users: USERS, port: server.port }),
      resolve: { localhost: args.localhostAddrs },
    });
    const predicted = predictedConnection(out);
    if (predicted.error !== undefined) predicted.error = normalize(predicted.error);
    const observed = real[i]!;
    const actual = {
      connected: observed.connected,
      encrypted: observed.encrypted,
      ...(observed.protocol !== undefined ? { protocol: observed.protocol } : {}),
      ...(observed.error !== undefined ? { error: normalize(observed.error) } : {}),
    };
    results.push({ setup, conninfo: c.conninfo, home: Object.keys(c.home), real: actual, predicted });
  }
  const mismatches = results.filter((r) => JSON.stringify(r.real) !== JSON.stringify(r.predicted));
  expect(mismatches).toEqual([]);
  expect(results.length).toBe(cells.length);
}

/** Every sslmode x root-file variant, in one driver's connection-string syntax (`conninfo(mode, rootParam)`). */
export function modeRootCells(
  server: PgOracleServer,
  pki: OraclePki,
  prefix: string,
  modes: readonly string[],
  conninfo: (mode: string, rootParam: string) => string,
): DriverCell[] {
  const roots = rootVariants(server, pki, prefix);
  return modes.flatMap((mode) =>
    roots.map((root) => ({ conninfo: conninfo(mode, root.param), home: root.home, files: root.files })),
  );
}

/** Every sslmode for the hostssl-only and the hostnossl-only user (the fallbacks of allow and prefer). */
export function fallbackCells(
  modes: readonly string[],
  conninfo: (mode: string, user: string) => string,
): DriverCell[] {
  return modes.flatMap((mode) =>
    ['ssluser', 'plainuser'].map((user) => ({ conninfo: conninfo(mode, user), home: {}, files: {} })),
  );
}
