/**
 * Records what real libpq 18 does for every libpq 18 oracle scenario into fixtures/libpq18/libpq18-oracle.json.
 *
 *   npx tsx scripts/record-libpq18.ts
 *
 * Makes .tmp/libpq18-venv (python3 -m venv) and pip-installs scripts/libpq18/requirements.txt there (psycopg's
 * binary wheel: libpq 18 with its own OpenSSL), starts a throw-away PostgreSQL as the oracle does
 * (tests/kit/programs/postgres-oracle.ts) and runs each cell of tests/kit/pure/libpq18-cells.ts through
 * scripts/libpq18/psql-shim.py. Re-record when tests/oracle/sslmode-libpq18.test.ts reports the fixture stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FIXTURE, recordLibpq18 } from '../tests/kit/programs/libpq18.ts';

const fixture = await recordLibpq18();
mkdirSync(dirname(FIXTURE), { recursive: true });
writeFileSync(FIXTURE, JSON.stringify(fixture, null, 1) + '\n');
const w = fixture.recordedWith;
console.log(
  `${FIXTURE}: ${fixture.cells.length} cells, libpq ${w.libpq}, ${w.openssl}, psycopg ${w.psycopg}, ${w.server}`,
);
