/**
 * The sslmode Lab takes the server's certificate file and the client's root.crt from the Chain Lab (this tab's
 * memory): the scenario it builds carries that chain, that anchor and the Chain Lab's date, every host the
 * connection string names reaches the lab's server, and without a chain the reason is said plainly.
 */
import { describe, expect, it } from 'vitest';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';
import { buildScenario, FROM_CHAIN_LAB, sslmodeControls } from '../../../src/app/model/sslmode/scenario.ts';
import type { HandoffChain } from '../../../src/app/state/chain-handoff.svelte.ts';
import { SAMPLE_LEAF_GOOD, SAMPLE_ROOT_A } from '../../../src/lib/sslmode/samples/server-pki.ts';

const controls = sslmodeControls;

const handoff: HandoffChain = {
  leaf: 'db.example.test',
  chainPem: SAMPLE_LEAF_GOOD,
  count: 1,
  anchor: { subject: 'Sample Root A', pem: SAMPLE_ROOT_A },
  time: '2026-06-01T00:00:00.000Z',
};

describe('sslmode Lab: a chain from the Chain Lab', () => {
  it('uses the Chain Lab chain as ssl_cert_file, its anchor as root.crt and its date', async () => {
    const c = controls({
      cert: FROM_CHAIN_LAB,
      root: FROM_CHAIN_LAB,
      conninfo: 'host=db.example.test dbname=app user=app password=secret sslmode=verify-full',
    });
    const scenario = buildScenario(c, c.conninfo, c.driver, handoff);
    expect(scenario.server.certificateChain).toBe(SAMPLE_LEAF_GOOD);
    expect(scenario.client.files?.['~/.postgresql/root.crt']).toBe(SAMPLE_ROOT_A);
    expect(scenario.time).toBe(handoff.time);
    const outcome = await explainConnection(scenario);
    expect(outcome.connected).toBe(true);
    expect(outcome.hostnameVerified).toBe(true);
  });

  it('lets a host name the user typed reach the lab server, so the name check is what fails', async () => {
    const c = controls({
      cert: FROM_CHAIN_LAB,
      root: FROM_CHAIN_LAB,
      conninfo: 'host=pg.internal.example.com dbname=app user=app password=secret sslmode=verify-full',
    });
    const outcome = await explainConnection(buildScenario(c, c.conninfo, c.driver, handoff));
    expect(outcome.connected).toBe(false);
    expect(outcome.error).toContain('does not match host name "pg.internal.example.com"');
  });

  it('says what to do when the Chain Lab holds nothing in this tab, or found no anchor', () => {
    const c = controls({ cert: FROM_CHAIN_LAB });
    expect(() => buildScenario(c, c.conninfo, c.driver, null)).toThrow(
      /The Chain Lab holds no certificates in this tab: open it, drop or paste your chain/,
    );
    const noAnchor = { ...handoff, anchor: undefined };
    const r = controls({ root: FROM_CHAIN_LAB });
    expect(() => buildScenario(r, r.conninfo, r.driver, noAnchor)).toThrow(
      /found no trust anchor for db.example.test,/,
    );
    // The samples still work without the Chain Lab.
    const sample = controls({});
    expect(buildScenario(sample, sample.conninfo, sample.driver, null).server.certificateChain).toBe(
      SAMPLE_LEAF_GOOD,
    );
  });
});
