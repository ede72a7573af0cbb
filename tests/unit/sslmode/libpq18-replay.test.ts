/**
 * What real libpq 18 did (fixtures/libpq18/libpq18-oracle.json, recorded by scripts/record-libpq18.ts with the
 * libpq and OpenSSL of psycopg's binary wheel against PostgreSQL 15) replayed through the engine: every cell must
 * come out exactly as recorded (connected, encrypted, protocol, the full error text). Pure: no Python, no server.
 * tests/oracle/sslmode-libpq18.test.ts re-runs the real client and fails when this fixture is stale.
 */
import { describe, expect, it } from 'vitest';
import fixtureJson from '../../../fixtures/libpq18/libpq18-oracle.json';
import { cellDefs, engineMismatches, type Libpq18Fixture } from '../../kit/pure/libpq18-cells.ts';

const fixture = fixtureJson as unknown as Libpq18Fixture;

describe(`libpq ${fixture.recordedWith.libpq} (${fixture.recordedWith.openssl}) replayed through the engine`, () => {
  it('the fixture holds every scenario of libpq18-cells.ts, recorded with libpq 18', () => {
    expect(fixture.recordedWith.libpq).toMatch(/^18\./);
    expect(fixture.cells.map((c) => c.name.replace(/^\w+: /, ''))).toEqual(cellDefs().map((d) => d.name));
  });

  const groups = new Map<string, Libpq18Fixture['cells'][number][]>();
  for (const cell of fixture.cells) {
    const group = cell.name.replace(/^\w+: /, '').split(/[:= ]/)[0]!;
    groups.set(group, [...(groups.get(group) ?? []), cell]);
  }
  for (const [group, cells] of groups) {
    it(`${group}: ${cells.length} cells as libpq 18 printed them`, async () => {
      expect(await engineMismatches(fixture, cells)).toEqual([]);
    });
  }
});
