/**
 * Oracle: real libpq 18 (psycopg's binary wheel, with its own OpenSSL, in a virtual environment this test makes)
 * through scripts/libpq18/psql-shim.py against a throw-away PostgreSQL, every scenario of
 * tests/kit/pure/libpq18-cells.ts: sslrootcert=system with the server's CA in and out of the system store,
 * sslnegotiation=direct against this (pre-17) server and its "weak sslmode" check, sslcertmode, require_auth,
 * sslkeylogfile, the ssl_min/max_protocol_version wording and ranges, the root-file hint, and the sslmode x root
 * file core.
 *
 * 1. explainConnection() at libpq version 18 must predict connected, encrypted, protocol and the error text exactly.
 * 2. fixtures/libpq18/libpq18-oracle.json (what tests/unit/sslmode/libpq18-replay.test.ts replays on any machine)
 *    must be what this run recorded, apart from the temp directory and the port: otherwise it is stale and
 *    `npx tsx scripts/record-libpq18.ts` re-records it.
 *
 * Nothing is skipped: without python3's venv module or pip able to install the pinned wheels, beforeAll throws.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { engineMismatches, normalized, type Libpq18Fixture } from '../kit/pure/libpq18-cells.ts';
import { FIXTURE, recordLibpq18 } from '../kit/programs/libpq18.ts';

let fresh: Libpq18Fixture;

beforeAll(async () => {
  fresh = await recordLibpq18();
}, 900_000);

describe('real libpq 18 (psycopg binary wheel) against a real server', () => {
  it('explainConnection predicts every cell exactly', async () => {
    const mismatches = await engineMismatches(fresh, fresh.cells);
    expect(mismatches).toEqual([]);
    expect(fresh.cells.length).toBeGreaterThan(100);
  });

  it('the committed fixture is what libpq 18 does now (else re-record it)', () => {
    const committed = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Libpq18Fixture;
    const versions = (f: Libpq18Fixture) => ({
      libpq: f.recordedWith.libpq,
      openssl: f.recordedWith.openssl,
      psycopg: f.recordedWith.psycopg,
      pqImplementation: f.recordedWith.pqImplementation,
      serverMajor: f.serverMajor,
    });
    expect(versions(fresh)).toEqual(versions(committed));
    expect(fresh.cells.map((c) => normalized(fresh, c))).toEqual(
      committed.cells.map((c) => normalized(committed, c)),
    );
  });
});
