/**
 * "Common claims, tested": each sslmode step's lab state, run through the engine, shows what the correction
 * says (so the lesson cannot drift from the engine).
 */
import { describe, expect, it } from 'vitest';
import { commonClaimsLesson } from '../../../src/content/lessons/common-claims';
import { explainConnection, type ConnectionOutcome } from '../../../src/lib/sslmode/index';
import { buildScenario, sslmodeControls } from '../../../src/app/model/sslmode/scenario';
import { readParams } from '../../../src/app/url/hash';
import { sslmodeSchema } from '../../../src/app/model/sslmode/scenario';
import {
  buildScenario as buildHandshakeScenario,
  handshakeSchema,
} from '../../../src/app/model/handshake/scenario';
import { runLab } from '../../../src/app/workers/tls-lab';

async function outcome(stepId: string): Promise<ConnectionOutcome> {
  const step = commonClaimsLesson.steps.find((s) => s.id === stepId)!;
  expect(step.lab).toBe('sslmode');
  const c = sslmodeControls(readParams(sslmodeSchema, new URLSearchParams(step.state)));
  return explainConnection(buildScenario(c));
}

describe('Common claims, tested', () => {
  it('require does not bring a client certificate: encrypted, and the cert line still refuses', async () => {
    const o = await outcome('require-client-cert');
    expect(o.connected).toBe(false);
    expect(o.error).toContain('FATAL:  connection requires a valid client certificate');
    expect(o.steps.some((s) => s.kind === 'tls' && s.status === 'ok')).toBe(true);
  });
  it('pgJDBC without sslmode is prefer', async () => {
    const o = await outcome('jdbc-default');
    expect([o.driver, o.sslmode, o.connected, o.chainVerified]).toEqual(['pgjdbc', 'prefer', true, false]);
  });
  it('verify-full checks the host against the server certificate', async () => {
    expect((await outcome('pinning')).error).toMatch(
      /server certificate for "db\.example\.test" \(and 1 other name\) does not match host name "pg\.example\.net"$/,
    );
  });
  it('require with a root file verifies the chain', async () => {
    expect((await outcome('require-with-root')).error).toMatch(/SSL error: certificate verify failed$/);
  });
  it('prefer with a wrong root file verifies, fails, and falls back to plaintext', async () => {
    const o = await outcome('default-no-verification');
    expect([o.connected, o.encrypted]).toEqual([true, false]);
    expect(o.steps.some((s) => s.kind === 'chain' && s.status === 'fail')).toBe(true);
  });
  it('TLSv1.3 minimum against a TLS 1.2 client: protocol version alert', async () => {
    expect((await outcome('min-protocol-values')).error).toContain('SSL error: tlsv1 alert protocol version');
  });
  it('TLS 1.1 client against a TLS 1.2 minimum (the Handshake Lab step): the server sends protocol_version', async () => {
    const step = commonClaimsLesson.steps.find((s) => s.id === 'tls10-deprecation')!;
    expect(step.lab).toBe('handshake');
    const c = readParams(handshakeSchema, new URLSearchParams(step.state));
    const run = await runLab(buildHandshakeScenario(c));
    expect([run.ok, run.alert?.from, run.alert?.name]).toEqual([false, 'server', 'protocol_version']);
    expect(run.alert?.reason).toMatch(/at most TLSv1\.1, we require TLSv1\.2/);
  });
});
