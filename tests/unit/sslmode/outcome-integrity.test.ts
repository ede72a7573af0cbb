/**
 * Every outcome explains itself: each step names a rule that exists and carries that rule's source, attempts are
 * numbered in order, and the protection summary agrees with what was verified. Checked over a grid of libpq and
 * node-postgres scenarios on the sample PKI (src/content/sslmode/sample-pki.ts).
 */
import { describe, expect, it } from 'vitest';
import { SAMPLE_LEAF_GOOD, SAMPLE_ROOT_A, SAMPLE_ROOT_B } from '../../../src/content/sslmode/sample-pki.ts';
import { RULES, explainConnection } from '../../../src/lib/sslmode/index.ts';
import type { Scenario } from '../../../src/lib/sslmode/types.ts';

const MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
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
    for (const mode of MODES)
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

describe('outcome integrity', () => {
  it('steps cite existing rules with their sources; protection matches verification', async () => {
    const rules = RULES as Record<string, { source: string }>;
    for (const s of grid()) {
      const o = await explainConnection(s);
      let last = 0;
      for (const step of o.steps) {
        expect(rules[step.rule]?.source, step.rule).toBe(step.source);
        expect(step.attempt).toBeGreaterThanOrEqual(last);
        last = step.attempt;
      }
      expect(o.connected ? o.error : 'failed').toBe(o.connected ? undefined : 'failed');
      expect(o.protection.eavesdropping).toBe(o.connected && o.encrypted);
      if (o.connected && o.encrypted) {
        expect(o.protection.mitm).toBe(
          o.chainVerified && o.hostnameVerified ? 'full' : o.chainVerified ? 'chain-only' : 'none',
        );
      }
      if (!o.connected) expect(o.error).toBeTruthy();
    }
  });
});
