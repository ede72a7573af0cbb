/**
 * sslmode: how long `explainConnection` takes to predict an outcome, against the real psql finding out by
 * connecting to a real PostgreSQL (started here on 127.0.0.1) in the same run. Also the sslmode Lab's matrix:
 * 6 sslmodes x 6 drivers explained one after another. Ratios, not assertions.
 */
import { performance } from 'node:perf_hooks';
import { explainConnection, type Scenario } from '../src/lib/sslmode/index.ts';
import { findPostgres, PgOracleServer } from '../tests/kit/programs/postgres-oracle.ts';
import { makeOraclePki } from '../tests/kit/pure/postgres-pki.ts';

const MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
const DRIVERS = ['libpq', 'node-postgres', 'pgjdbc', 'npgsql', 'pgx', 'asyncpg'] as const;

async function time<T>(n: number, fn: () => Promise<T>): Promise<number> {
  await fn(); // warm-up
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - start) / n;
}

export default {
  name: 'sslmode: explain one verify-full connection',
  peer: 'real psql connecting to a real PostgreSQL',
  async run() {
    const pki = await makeOraclePki();
    const pg = await PgOracleServer.start(
      ['host all anyuser 127.0.0.1/32 trust'],
      'create role anyuser login;',
    );
    try {
      await pg.configure({
        name: 'good',
        ssl: true,
        chainPem: pki.servers.good.chainPem,
        keyPem: pki.servers.good.keyPem,
      });
      const home = pg.home({ 'root.crt': pki.rootA });
      const major = String(findPostgres().major);
      const conninfo = `host=localhost port=${pg.port} user=anyuser dbname=postgres sslmode=verify-full`;
      const scenario = (driver: Scenario['client']['driver'], info: string): Scenario => ({
        client: {
          driver,
          version: major,
          conninfo: info,
          files: { '~/.postgresql/root.crt': pki.rootA },
          home,
        },
        server: {
          ssl: true,
          certificateChain: pki.servers.good.chainPem,
          hba: ['host all anyuser 127.0.0.1/32 trust'],
        },
        resolve: { localhost: ['127.0.0.1'] },
      });
      const predicted = await explainConnection(scenario('libpq', conninfo));
      const real = await pg.psql(conninfo, { home });
      const ours = await time(20, () => explainConnection(scenario('libpq', conninfo)));
      const peer = await time(5, () => pg.psql(conninfo, { home }));
      const url = (mode: string) => `postgres://anyuser@localhost:${pg.port}/postgres?sslmode=${mode}`;
      const cells = MODES.length * DRIVERS.length;
      const matrix = await time(3, async () => {
        for (const driver of DRIVERS) {
          for (const mode of MODES) {
            const info =
              driver === 'libpq'
                ? `host=localhost port=${pg.port} user=anyuser dbname=postgres sslmode=${mode}`
                : driver === 'pgjdbc'
                  ? `jdbc:postgresql://localhost:${pg.port}/postgres?user=anyuser&sslmode=${mode}`
                  : driver === 'npgsql'
                    ? `Host=localhost;Port=${pg.port};Database=postgres;Username=anyuser;SSL Mode=${mode === 'verify-ca' ? 'VerifyCA' : mode === 'verify-full' ? 'VerifyFull' : mode[0]!.toUpperCase() + mode.slice(1)}`
                    : url(mode);
            await explainConnection(scenario(driver, info));
          }
        }
      });
      return [
        {
          name: 'sslmode: explain one verify-full connection (libpq)',
          ours_ms: ours,
          peer_ms: peer,
          ratio: ours / peer,
          agrees_with_psql: predicted.connected === real.connected && predicted.protocol === real.protocol,
        },
        {
          name: `sslmode: the Lab matrix, 6 modes x ${DRIVERS.length} drivers (${cells} explanations)`,
          ours_ms: matrix,
          peer_ms: peer * cells,
          ratio: matrix / (peer * cells),
        },
      ];
    } finally {
      pg.stop();
    }
  },
};
