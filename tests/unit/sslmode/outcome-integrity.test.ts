/**
 * Every outcome explains itself: each step names a rule that exists and carries that rule's source, attempts are
 * numbered in order, and the protection summary agrees with what was verified. Checked over a grid of libpq and
 * node-postgres scenarios on the sample PKI (src/lib/sslmode/samples/server-pki.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  SAMPLE_LEAF_GOOD,
  SAMPLE_ROOT_A,
  SAMPLE_ROOT_B,
} from '../../../src/lib/sslmode/samples/server-pki.ts';
import { RULES, SSLMODES, explainConnection } from '../../../src/lib/sslmode/index.ts';
import type { Scenario } from '../../../src/lib/sslmode/types.ts';

const HBAS = [
  ['host all all 127.0.0.1/32 trust'],
  ['hostssl all all 127.0.0.1/32 trust'],
  ['hostnossl all all 127.0.0.1/32 trust'],
];
const ROOTS: Record<string, string>[] = [
  {},
  { '~/.postgresql/root.crt': SAMPLE_ROOT_A },
  { '~/.postgresql/root.crt': SAMPLE_ROOT_B },
];

function grid(): Scenario[] {
  const out: Scenario[] = [];
  for (const ssl of [false, true])
    for (const mode of SSLMODES)
      for (const hba of HBAS)
        for (const files of ROOTS) {
          const server = { ssl, certificateChain: SAMPLE_LEAF_GOOD, hba };
          out.push({
            client: {
              driver: 'libpq',
              version: '17',
              conninfo: `host=127.0.0.1 user=app sslmode=${mode}`,
              files,
            },
            server,
            time: '2026-01-01T00:00:00Z',
          });
          out.push({
            client: {
              driver: 'node-postgres',
              conninfo: `postgres://app@127.0.0.1/app?sslmode=${mode}&sslrootcert=/ca.pem`,
              files: { '/ca.pem': files['~/.postgresql/root.crt'] ?? SAMPLE_ROOT_A },
            },
            server,
            time: '2026-01-01T00:00:00Z',
          });
        }
  return out;
}

const AT = 'connection to server at "127.0.0.1", port 5432 failed: ';
const HBA = (encryption: string) =>
  `no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", ${encryption}`;

/**
 * What the grid ends in, exactly: each outcome's driver and error text (or "connected") with how many scenarios
 * end that way. The texts themselves are proven against real psql and pg by tests/oracle; this pins that the grid
 * reaches each of them, and no other.
 */
const EXPECTED_ENDINGS: Record<string, number> = {
  'libpq | connected': 48,
  [`libpq | ${AT}FATAL:  ${HBA('no encryption')}`]: 9,
  [`libpq | ${AT}FATAL:  ${HBA('SSL encryption')}`]: 4,
  [`libpq | ${AT}server does not support SSL, but SSL was required`]: 27,
  [`libpq | ${AT}FATAL:  ${HBA('no encryption')}\n${AT}server does not support SSL, but SSL was required`]: 3,
  [`libpq | ${AT}SSL error: certificate verify failed`]: 9,
  [`libpq | ${AT}FATAL:  ${HBA('no encryption')}\n${AT}SSL error: certificate verify failed`]: 1,
  [`libpq | ${AT}SSL error: certificate verify failed\n${AT}FATAL:  ${HBA('no encryption')}`]: 1,
  [`libpq | ${AT}root certificate file "/home/postgres/.postgresql/root.crt" does not exist\nEither provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification.`]: 6,
  'node-postgres | connected': 32,
  [`node-postgres | ${HBA('no encryption')}`]: 6,
  [`node-postgres | ${HBA('SSL encryption')}`]: 10,
  'node-postgres | The server does not support SSL connections': 45,
  'node-postgres | unable to verify the first certificate': 15,
};

describe('outcome integrity', () => {
  it('steps cite rules that exist, with a source or documentation reference; attempts are numbered in order', async () => {
    const rules = new Set(Object.keys(RULES));
    let steps = 0;
    for (const s of grid()) {
      const o = await explainConnection(s);
      let last = 0;
      for (const step of o.steps) {
        expect(rules.has(step.rule), step.rule).toBe(true);
        // "S: file function()" (source read) and/or "D: page" (documentation), as docs/sslmode-rules.md cites them.
        expect(step.source, step.rule).toMatch(/^(S|D): \S/);
        expect(step.attempt).toBeGreaterThanOrEqual(last);
        last = step.attempt;
        steps++;
      }
    }
    expect(steps).toBeGreaterThan(grid().length);
  });

  it('a connected outcome has no error, a failed one ends in one of the exact texts, and protection matches verification', async () => {
    const endings: Record<string, number> = {};
    for (const s of grid()) {
      const o = await explainConnection(s);
      if (o.connected) expect(o.error).toBeUndefined();
      else expect(typeof o.error).toBe('string');
      const key = `${s.client.driver} | ${o.connected ? 'connected' : o.error}`;
      endings[key] = (endings[key] ?? 0) + 1;
      expect(o.protection.eavesdropping).toBe(o.connected && o.encrypted);
      if (o.connected && o.encrypted) {
        expect(o.protection.mitm).toBe(
          o.chainVerified && o.hostnameVerified ? 'full' : o.chainVerified ? 'chain-only' : 'none',
        );
      }
    }
    expect(endings).toEqual(EXPECTED_ENDINGS);
  });
});
