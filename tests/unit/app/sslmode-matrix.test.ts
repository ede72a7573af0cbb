/**
 * The matrix's cell model (src/app/model/sslmode/matrix.ts): each cell's class, read from the steps' facts, agrees
 * with the engine's own outcome fields for every cell of several lab states; the known cells of the Root A grid
 * land where the real clients put them; the five classes have five words and five glyphs.
 */
import { describe, expect, it } from 'vitest';
import {
  droppedByDriver,
  matrixCells,
  matrixRows,
  OUTCOME_CLASSES,
  type MatrixCell,
  type OutcomeClass,
} from '../../../src/app/model/sslmode/matrix.ts';
import {
  buildScenario,
  sslmodeControls,
  type SslmodeControls,
} from '../../../src/app/model/sslmode/scenario.ts';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';

/** What the sslmode worker returns for these controls. */
const cells = (values: Partial<SslmodeControls>): Promise<MatrixCell[]> =>
  matrixCells(sslmodeControls(values));

/** The class from the outcome's fields (not its steps): the independent side of the comparison. */
function fromFields(o: MatrixCell['outcome']): OutcomeClass {
  if (!o.connected) return 'refused';
  if (!o.encrypted) return 'plaintext';
  if (o.chainVerified && o.hostnameVerified) return 'verified-full';
  return o.chainVerified ? 'verified-ca' : 'unverified';
}

describe('matrix cell classes', () => {
  it('agree with the outcome fields in every cell, for several lab states', async () => {
    for (const values of [
      {},
      { root: 'root-a' },
      { root: 'root-b' },
      { root: 'public-root', preset: 'azure-flexible' },
      { ssl: false },
    ] as Partial<SslmodeControls>[]) {
      const rows = matrixRows(await cells(values));
      expect(rows.flatMap((r) => r.cells)).toHaveLength(36);
      for (const row of rows)
        for (const cell of row.cells)
          expect(cell.class, `${JSON.stringify(values)} ${row.driver} ${cell.sslmode}`).toBe(
            fromFields(cell.outcome),
          );
    }
  });
  it('puts the Root A grid where the clients do', async () => {
    const rows = matrixRows(await cells({ root: 'root-a' }));
    const row = (d: string) => rows.find((r) => r.driver === d)!.cells.map((c) => c.class);
    expect(row('libpq')).toEqual([
      'plaintext',
      'plaintext',
      'verified-ca',
      'verified-ca',
      'verified-ca',
      'verified-full',
    ]);
    expect(row('asyncpg')[2]).toBe('unverified');
    expect(row('node-postgres').slice(1)).toEqual(Array(5).fill('refused'));
  });
  it('gives each class its own word and glyph', () => {
    const texts = Object.values(OUTCOME_CLASSES);
    expect(texts).toHaveLength(5);
    expect(new Set(texts.map((t) => t.word)).size).toBe(5);
    expect(new Set(texts.map((t) => t.glyph)).size).toBe(5);
  });
});

describe('the matrix target, whatever syntax the connection string is in', () => {
  it('is the same for the same target written for libpq, pgJDBC, Npgsql and node-postgres', async () => {
    const written = {
      libpq: 'host=pg.internal dbname=app user=app password=secret sslmode=verify-full',
      pgjdbc: 'jdbc:postgresql://pg.internal/app?user=app&password=secret&sslmode=verify-full',
      npgsql: 'Host=pg.internal;Database=app;Username=app;Password=secret;SSL Mode=VerifyFull',
      // A URL libpq refuses (uselibpqcompat is node-postgres's own parameter).
      'node-postgres': 'postgres://app:secret@pg.internal/app?sslmode=verify-full&uselibpqcompat=true',
    } as const;
    const classes = async (driver: keyof typeof written) =>
      matrixRows(await cells({ conninfo: written[driver], driver, root: 'root-a' })).map((r) =>
        r.cells.map((c) => `${c.driver} ${c.sslmode} ${c.class}`),
      );
    const libpq = await classes('libpq');
    // The target names a host the lab resolves and a password: most cells connect.
    expect(libpq.flat().filter((c) => !c.endsWith('refused')).length).toBeGreaterThan(20);
    for (const driver of ['pgjdbc', 'npgsql', 'node-postgres'] as const)
      expect(await classes(driver), driver).toEqual(libpq);
  });
});

describe("the matrix carries the lab's connection string", () => {
  it("the cell of the lab's own driver and sslmode is the lab's own outcome, whatever else the string sets", async () => {
    const base = 'host=db.example.test dbname=app user=app password=secret';
    for (const values of [
      { root: 'root-a', conninfo: `${base} sslmode=verify-full sslrootcert=/nonexistent.crt` },
      {
        root: 'root-a',
        smin: 'TLSv1.3',
        conninfo: `${base} sslmode=prefer ssl_max_protocol_version=TLSv1.2`,
      },
      { root: 'root-a', pgver: '16', conninfo: `${base} sslmode=require sslnegotiation=direct` },
    ] as Partial<SslmodeControls>[]) {
      const c = sslmodeControls(values);
      const own = await explainConnection(buildScenario(c));
      const sslmode = /sslmode=(\S+)/.exec(values.conninfo!)![1];
      const cell = (await cells(values)).find((x) => x.driver === 'libpq' && x.sslmode === sslmode)!;
      expect(cell.outcome.connected, values.conninfo).toBe(own.connected);
      expect(cell.outcome.error, values.conninfo).toBe(own.error);
      expect(cell.dropped).toEqual([]);
    }
  });

  it("for every driver, the cell of the lab's own driver and sslmode is the lab's own outcome", async () => {
    for (const values of [
      {
        driver: 'asyncpg',
        smin: 'TLSv1.3',
        conninfo:
          'postgres://app:secret@db.example.test/app?sslmode=require&ssl_max_protocol_version=TLSv1.2',
      },
      {
        driver: 'asyncpg',
        conninfo: 'postgres://app:secret@db.example.test/app?sslmode=require&channel_binding=require',
      },
      {
        driver: 'asyncpg',
        conninfo: 'postgres://app:secret@db.example.test/app?sslmode=require&connect_timeout=5',
      },
      {
        driver: 'node-postgres',
        pgver: '16',
        conninfo: 'postgres://app:secret@db.example.test/app?sslmode=require&sslnegotiation=direct',
      },
      {
        driver: 'pgx',
        conninfo:
          // A relative path: pgx's ParseConfig error quotes the string, whose "/" the matrix writes as %2F.
          'postgres://app:secret@db.example.test/app?sslmode=verify-full&sslrootcert=nonexistent.crt',
      },
      {
        driver: 'pgjdbc',
        conninfo:
          'jdbc:postgresql://db.example.test/app?user=app&password=secret&sslmode=verify-full&sslrootcert=/nonexistent.crt',
      },
    ] as Partial<SslmodeControls>[]) {
      const c = sslmodeControls({ root: 'root-a', ...values });
      const own = await explainConnection(buildScenario(c));
      const sslmode = /sslmode=([a-z-]+)/.exec(values.conninfo!)![1];
      const cell = (await cells({ root: 'root-a', ...values })).find(
        (x) => x.driver === c.driver && x.sslmode === sslmode,
      )!;
      expect([cell.outcome.connected, cell.outcome.error], values.conninfo).toEqual([
        own.connected,
        own.error,
      ]);
      expect(cell.dropped, values.conninfo).toEqual([]);
    }
  });

  it('names the settings a driver has no equivalent for, per driver', async () => {
    const conninfo = 'host=db.example.test dbname=app user=app sslmode=require sslcertmode=disable';
    const dropped = droppedByDriver(await cells({ conninfo }));
    expect(dropped.map((d) => d.driver)).not.toContain('libpq');
    expect(dropped.length).toBeGreaterThan(0);
    for (const d of dropped) expect(d.dropped).toEqual(['sslcertmode=disable']);
  });
});
