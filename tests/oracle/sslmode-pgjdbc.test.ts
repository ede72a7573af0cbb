/**
 * Oracle: the real pgJDBC (Debian's libpostgresql-jdbc-java, tests/kit/programs/pgjdbc.ts) against a real PostgreSQL
 * on 127.0.0.1; explainConnection() for driver 'pgjdbc' must predict connected, encrypted, protocol and the
 * exception's getMessage() exactly, for every URL sslmode (and ssl=true) x root file x server setup, the fallbacks of
 * allow and prefer against hostssl-only and hostnossl-only users, and the other URL parameters that change trust.
 *
 * Nothing is skipped: without a JDK or the driver's jar, beforeAll throws.
 */
import { lookup } from 'node:dns/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { makeOraclePki, type OraclePki } from '../kit/pure/postgres-pki.ts';
import {
  DRIVER_ORACLE_HBA,
  DRIVER_ORACLE_ROLES,
  expectDriverCells,
  fallbackCells,
  MATRIX_SETUPS,
  modeRootCells,
  rootVariants,
  type DriverCell,
  type DriverSetupName,
} from '../kit/programs/driver-oracle.ts';
import { pgjdbcProgram, type PgjdbcProgram } from '../kit/programs/pgjdbc.ts';
import { PgOracleServer } from '../kit/programs/postgres-oracle.ts';

let server: PgOracleServer;
let pki: OraclePki;
let pgjdbc: PgjdbcProgram;
let localhostAddrs: string[];

const runCells = (setup: DriverSetupName, cells: readonly DriverCell[]) =>
  expectDriverCells({
    driver: 'pgjdbc',
    server,
    pki,
    localhostAddrs,
    setup,
    cells,
    real: async (withHomes) =>
      (await pgjdbc.connect(withHomes.map((c) => ({ home: c.homeDir, url: c.conninfo })))).map(
        ({ type: _type, ...observed }) => observed,
      ),
  });

beforeAll(async () => {
  pgjdbc = pgjdbcProgram();
  // Printed with the results, so a run says which pgJDBC and JVM it proved.
  console.info(`pgJDBC oracle: ${pgjdbc.versions.pgjdbc} on Java ${pgjdbc.versions.java}`);
  pki = await makeOraclePki('anyuser');
  server = await PgOracleServer.start(DRIVER_ORACLE_HBA, DRIVER_ORACLE_ROLES);
  localhostAddrs = (await lookup('localhost', { all: true })).map((a) => a.address);
}, 600_000);

afterAll(() => {
  server?.stop();
});

const MODES = ['', 'ssl=true', 'disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
const modeParam = (mode: string) => (mode === '' || mode.includes('=') ? mode : `sslmode=${mode}`);

describe('pgJDBC against a real server', () => {
  for (const setup of MATRIX_SETUPS) {
    it(`every URL sslmode x root file (none, ~/.postgresql/root.crt, sslrootcert=), setup "${setup}"`, async () => {
      const url = (mode: string, root: string) =>
        `jdbc:postgresql://localhost:${server.port}/postgres?${['user=anyuser', modeParam(mode), root].filter(Boolean).join('&')}`;
      await runCells(setup, modeRootCells(server, pki, 'pgjdbc', MODES, url));
    });
  }

  for (const setup of ['off', 'good'] as const) {
    it(`allow and prefer fall back (or not) for hostssl-only and hostnossl-only users, setup "${setup}"`, async () => {
      const url = (mode: string, user: string) =>
        `jdbc:postgresql://127.0.0.1:${server.port}/postgres?${[`user=${user}`, modeParam(mode)].filter(Boolean).join('&')}`;
      await runCells(setup, fallbackCells(MODES, url));
    });
  }

  for (const setup of ['good', 'mismatch', 'selfsigned', 'expired', 'tls12'] as const) {
    it(`other URL parameters: sslfactory, sslhostnameverifier, ssl=false and TRUE, a bad, an upper-case and a repeated sslmode, setup "${setup}"`, async () => {
      const at = `jdbc:postgresql://localhost:${server.port}/postgres?user=anyuser`;
      const cells = [
        '&ssl=true&sslfactory=org.postgresql.ssl.NonValidatingFactory',
        '&sslmode=require&sslfactory=org.postgresql.ssl.NonValidatingFactory',
        '&sslmode=verify-ca&sslfactory=org.postgresql.ssl.NonValidatingFactory',
        '&sslmode=verify-full&sslfactory=org.postgresql.ssl.LibPQFactory',
        '&ssl=false',
        '&ssl=false&sslmode=require',
        '&sslmode=bogus',
        '&sslmode=REQUIRE',
        '&ssl=TRUE',
        '&sslmode=verify-full&sslmode=require',
        '&sslmode=disable&sslfactory=com.example.NoSuchFactory',
        '&sslmode=require&sslhostnameverifier=com.example.NoSuchVerifier',
        '&sslmode=verify-full&sslhostnameverifier=com.example.NoSuchVerifier',
      ].map((q) => ({ conninfo: at + q, home: {}, files: {} }));
      await runCells(setup, cells);
    });
  }

  for (const setup of ['good', 'noip', 'mismatch', 'cross'] as const) {
    it(`verify-ca and verify-full by name and by IP address, against either root, setup "${setup}"`, async () => {
      const cells: DriverCell[] = [];
      for (const host of ['localhost', '127.0.0.1'])
        for (const mode of ['verify-ca', 'verify-full'])
          for (const root of rootVariants(server, pki, 'pgjdbc').filter((r) => r.param !== ''))
            cells.push({
              conninfo: `jdbc:postgresql://${host}:${server.port}/postgres?user=anyuser&sslmode=${mode}&${root.param}`,
              home: root.home,
              files: root.files,
            });
      await runCells(setup, cells);
    });
  }

  it('a root file whose own validity has ended, an expired self-signed certificate trusted as itself, and an expired intermediate', async () => {
    const rootC = server.clientFile('pgjdbc-root-c-expired.crt', pki.expiredRootC);
    const self = server.clientFile('pgjdbc-expired-self.crt', pki.expiredSelfSigned);
    const cells = (file: string, pem: string): DriverCell[] =>
      ['sslmode=require', 'sslmode=verify-ca', 'sslmode=verify-full', 'ssl=true'].flatMap(
        (mode): DriverCell[] => [
          {
            conninfo: `jdbc:postgresql://localhost:${server.port}/postgres?user=anyuser&${mode}&sslrootcert=${file}`,
            home: {},
            files: { [file]: pem },
          },
          {
            conninfo: `jdbc:postgresql://localhost:${server.port}/postgres?user=anyuser&${mode}`,
            home: { 'root.crt': pem },
            files: {},
          },
        ],
      );
    await runCells('expiredroot', cells(rootC, pki.expiredRootC));
    await runCells('expiredself', cells(self, pki.expiredSelfSigned));
    // The leniency has its limits: an expired intermediate under a valid root is refused.
    const rootA = server.clientFile('pgjdbc-root-a.crt', pki.rootA);
    await runCells('expiredinter', cells(rootA, pki.rootA));
  });

  for (const setup of ['good', 'mismatch'] as const) {
    it(`sslhostnameverifier under verify-full: pgJDBC's own class by name, and another after a refused chain, setup "${setup}"`, async () => {
      const [, rootA, , , rootB] = rootVariants(server, pki, 'pgjdbc-verifier');
      const at = `jdbc:postgresql://localhost:${server.port}/postgres?user=anyuser&sslmode=verify-full`;
      await runCells(
        setup,
        [
          {
            conninfo: `${at}&sslhostnameverifier=org.postgresql.ssl.PGjdbcHostnameVerifier&${rootA!.param}`,
            home: {},
            files: {},
          },
          {
            conninfo: `${at}&sslhostnameverifier=com.example.NoSuchVerifier&${rootB!.param}`,
            home: {},
            files: {},
          },
        ].map((c, i) => ({ ...c, files: i === 0 ? rootA!.files : rootB!.files })),
      );
    });
  }
});
