/**
 * "TLS 1.3 in one round trip": each step's lab state, run through the lab's own engine path (buildScenario +
 * runLab), shows what the step's prose and checkpoint say, so the lesson cannot drift from the engine.
 */
import { describe, expect, it } from 'vitest';
import { tls13Lesson } from '../../../src/content/lessons/tls13';
import { readParams } from '../../../src/app/url/hash';
import { buildScenario, handshakeSchema } from '../../../src/app/model/handshake/scenario';
import { buildSteps } from '../../../src/app/model/handshake/steps';
import { roundTripsBeforeData } from '../../../src/app/model/handshake/compare';
import { runLab } from '../../../src/app/workers/tls-lab';
import { findFault } from '../../../src/content/handshake/faults';

async function run(stepId: string, version?: '1.2' | '1.3') {
  const step = tls13Lesson.steps.find((s) => s.id === stepId)!;
  expect(step.lab).toBe('handshake');
  const c = readParams(handshakeSchema, new URLSearchParams(step.state));
  return { step, run: await runLab(buildScenario(c, Date.now(), version)) };
}

const messages = (log: readonly { kind: string; from?: string; name?: string }[], from: string) =>
  log.flatMap((e) => (e.kind === 'message' && e.from === from && e.name ? [e.name] : []));

describe('TLS 1.3 in one round trip: the lab agrees with the lesson', () => {
  it('client-hello: a TLS 1.3 run whose client sends data after one round trip (two in TLS 1.2)', async () => {
    const { step, run: r } = await run('client-hello');
    expect(r.ok).toBe(true);
    expect(r.summary?.version).toBe(0x0304);
    expect(roundTripsBeforeData(buildSteps(r.eventLog).steps)).toBe(1);
    const { run: r12 } = await run('client-hello', '1.2');
    expect(roundTripsBeforeData(buildSteps(r12.eventLog).steps)).toBe(2);
    expect(step.checkpoint?.answer).toBe('one');
    // The key share travels in the first ClientHello.
    const hello = r.eventLog.find((e) => e.kind === 'message' && e.from === 'client');
    expect(JSON.stringify(hello && 'message13' in hello ? hello.message13 : null)).toContain('key_share');
  });

  it('encrypted-flight: after ServerHello every server handshake message is in a protected record', async () => {
    const { run: r } = await run('encrypted-flight');
    const server = r.eventLog.filter((e) => e.kind === 'record' && e.from === 'server');
    const clear = server.filter((e) => e.kind === 'record' && e.contentType === 22);
    expect(clear).toHaveLength(1); // the ServerHello
    expect(messages(r.eventLog, 'server')).toEqual(
      expect.arrayContaining(['encrypted_extensions', 'certificate', 'certificate_verify', 'finished']),
    );
  });

  it('key-schedule: the run carries the handshake and application traffic secrets with openssl commands', async () => {
    const { run: r } = await run('key-schedule');
    const secrets = r.eventLog.filter((e) => e.kind === 'secret');
    const names = secrets.map((e) => (e.kind === 'secret' ? e.name : ''));
    for (const name of ['client_handshake_traffic_secret', 'server_application_traffic_secret_0'])
      expect(names.join(' ')).toContain(name);
  });

  it('hello-retry: the server sends a HelloRetryRequest and the handshake completes', async () => {
    const { step, run: r } = await run('hello-retry');
    expect(r.ok).toBe(true);
    expect(r.summary && 'helloRetryRequest' in r.summary && r.summary.helloRetryRequest).toBe(true);
    expect(step.checkpoint?.answer).toBe('hrr');
    expect(findFault('tls13-hello-retry')?.alert).toBeUndefined();
  });

  it('downgrade: the client notices and sends illegal_parameter', async () => {
    const { step, run: r } = await run('downgrade');
    expect([r.ok, r.alert?.from, r.alert?.name]).toEqual([false, 'client', 'illegal_parameter']);
    expect(r.alert?.reason).toMatch(/sentinel/);
    expect(step.checkpoint?.answer).toBe('client');
  });

  it('client-certificate: the client has sent its Finished when the server rejects its certificate', async () => {
    const { step, run: r } = await run('client-certificate');
    expect([r.ok, r.alert?.from, r.alert?.name]).toEqual([false, 'server', 'unknown_ca']);
    const clientFinished = r.eventLog.findIndex(
      (e) => e.kind === 'message' && e.from === 'client' && e.name === 'finished',
    );
    const alert = r.eventLog.findIndex((e) => e.kind === 'alert' && e.from === 'server');
    expect(clientFinished).toBeGreaterThan(-1);
    expect(alert).toBeGreaterThan(clientFinished);
    expect(step.checkpoint?.answer).toBe('after');
  });
});
