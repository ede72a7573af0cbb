import { describe, expect, it } from 'vitest';
import { readParams } from '../../../src/app/url/hash.ts';
import {
  buildScenario,
  buildScenarios,
  failureShown,
  handshakeSchema,
  libpqTextOf,
  presetMissed,
  SUITE_CHOICES,
} from '../../../src/app/model/handshake/scenario.ts';
import { runLab } from '../../../src/app/workers/tls-lab.ts';

describe('the Handshake Lab suite choices', () => {
  it('read each suite’s certificate key from the engine’s suite table (the labels say the same)', () => {
    // The labels are OpenSSL's names (openssl ciphers -V): ECDSA in the name means an EC certificate.
    for (const s of SUITE_CHOICES)
      expect([s.name, s.certificateKey]).toEqual([s.name, s.name.includes('ECDSA') ? 'ec' : 'rsa']);
  });

  it('no-shared-suite offers only the EC-certificate suites to a server holding an RSA certificate', () => {
    const controls = {
      ...readParams(handshakeSchema, new URLSearchParams()),
      fault: 'no-shared-suite' as const,
    };
    const scenario = buildScenario(controls);
    expect(scenario.offer).toEqual([0xc02b, 0xc02c, 0xcca9]);
  });

  it('host-mismatch: what psql prints names the host the client asked for (a review found db.example.com whatever the SNI said)', async () => {
    const cases: [sni: string, host: string][] = [
      ['', 'db.example.com'],
      ['foo.example.com', 'foo.example.com'],
    ];
    for (const [sni, host] of cases) {
      const c = readParams(handshakeSchema, new URLSearchParams({ tls: '1.2', fault: 'host-mismatch', sni }));
      const run = await runLab(buildScenario(c, Date.now(), '1.2'));
      expect(run.alert?.name).toBe('bad_certificate');
      // The name the run's client checked, in its ClientHello's server_name.
      const hello = run.eventLog.find((e) => e.kind === 'message' && e.name === 'client_hello');
      const sent =
        hello?.kind === 'message' && hello.message.type === 'client_hello' ? hello.message.extensions : [];
      expect(JSON.stringify(sent)).toContain(`"hostName":"${host}"`);
      const failure = failureShown(c, run);
      expect(failure?.staged).toBe(true);
      expect(libpqTextOf(failure!, c)).toBe(
        `server certificate for "other.example.com" does not match host name "${host}"`,
      );
    }
  });

  it("tls=both with a preset 'both' does not offer (a hand-written URL): no preset is staged, and none is said to have missed", async () => {
    for (const query of ['tls=both&fault=tampered-finished&side=1.2', 'tls=both&fault=tls13-bad-finished']) {
      const c = readParams(handshakeSchema, new URLSearchParams(query));
      // The run on show, as the lab builds it: buildScenarios gives the 1.2 run first.
      const run = await runLab(buildScenarios(c)[c.side === '1.2' ? 0 : 1]!);
      expect(run.ok, query).toBe(true);
      expect(presetMissed(c, run), query).toBeUndefined();
      expect(failureShown(c, run), query).toBeUndefined();
    }
  });
});
