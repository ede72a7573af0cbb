/**
 * "TLS 1.3 in one round trip": each step's lab state is run through the lab's own engine path (buildScenario +
 * runLab), and every checkpoint choice is a claim about that run. Exactly the choice the lesson calls right must
 * hold, so the lesson cannot drift from the engine.
 */
import { describe, expect, it } from 'vitest';
import { tls13Lesson } from '../../../src/content/lessons/tls13';
import { readParams } from '../../../src/app/url/hash';
import { buildScenario, handshakeSchema } from '../../../src/app/model/handshake/scenario';
import { buildSteps } from '../../../src/app/model/handshake/steps';
import { roundTripsBeforeData } from '../../../src/app/model/handshake/compare';
import { runLab } from '../../../src/app/workers/tls-lab';
import type { HandshakeRun } from '../../../src/lib/tls12/index';

async function run(stepId: string, version?: '1.2' | '1.3') {
  const step = tls13Lesson.steps.find((s) => s.id === stepId)!;
  expect(step.lab).toBe('handshake');
  const c = readParams(handshakeSchema, new URLSearchParams(step.state));
  return { step, run: await runLab(buildScenario(c, Date.now(), version)) };
}

const firstIndex = (r: HandshakeRun, match: (e: HandshakeRun['eventLog'][number]) => boolean) =>
  r.eventLog.findIndex(match);
const isMessage = (from: string, type: string) => (e: HandshakeRun['eventLog'][number]) =>
  e.kind === 'message' && e.from === from && e.name === type;
/** Whether the record that carries the first `type` message from `from` is in clear (content type handshake). */
function inClear(r: HandshakeRun, from: string, type: string): boolean {
  const message = r.eventLog.find(isMessage(from, type));
  const id = message?.kind === 'message' ? message.id : undefined;
  const record = r.eventLog.find((e) => e.kind === 'record' && e.carries.includes(id!));
  return record?.kind === 'record' && !record.encrypted;
}
const steps = (r: HandshakeRun) => buildSteps(r.eventLog).steps;
const hasRetry = (r: HandshakeRun) => steps(r).some((s) => s.title === 'HelloRetryRequest');

/** For each checkpoint: what each choice claims about the step's run. */
const CLAIMS: Record<string, Record<string, (r: HandshakeRun) => boolean>> = {
  'client-hello': {
    one: (r) => roundTripsBeforeData(steps(r)) === 1,
    two: (r) => roundTripsBeforeData(steps(r)) === 2,
    zero: (r) =>
      firstIndex(r, (e) => e.kind === 'application_data' && e.from === 'client') <
      firstIndex(r, (e) => e.kind === 'message' && e.from === 'server'),
  },
  'encrypted-flight': {
    certificate: (r) => inClear(r, 'server', 'certificate'),
    suite: (r) => inClear(r, 'server', 'server_hello') && !inClear(r, 'server', 'certificate'),
    nothing: (r) => !inClear(r, 'server', 'server_hello'),
  },
  'hello-retry': {
    fail: (r) => !r.ok && r.alert?.name === 'handshake_failure',
    hrr: (r) => r.ok && hasRetry(r),
    accept: (r) => r.ok && !hasRetry(r) && r.summary?.group === 0x001d,
  },
  downgrade: {
    nobody: (r) => r.ok,
    client: (r) => !r.ok && r.alert?.from === 'client' && /sentinel/.test(r.alert.reason ?? ''),
    server: (r) => !r.ok && r.alert?.from === 'server',
  },
  'client-certificate': {
    before: (r) =>
      !r.ok &&
      firstIndex(r, (e) => e.kind === 'alert' && e.from === 'server') <
        firstIndex(r, isMessage('client', 'finished')),
    after: (r) =>
      !r.ok &&
      firstIndex(r, isMessage('client', 'finished')) > -1 &&
      firstIndex(r, (e) => e.kind === 'alert' && e.from === 'server') >
        firstIndex(r, isMessage('client', 'finished')),
    never: (r) => r.ok,
  },
};

describe('TLS 1.3 in one round trip: every checkpoint, against the run its step shows', () => {
  const withCheckpoint = tls13Lesson.steps.filter((s) => s.checkpoint);
  it('every checkpoint has a claim for each choice', () => {
    expect(Object.keys(CLAIMS).sort()).toEqual(withCheckpoint.map((s) => s.id).sort());
    for (const s of withCheckpoint)
      expect(Object.keys(CLAIMS[s.id]!).sort(), s.id).toEqual(s.checkpoint!.choices.map((c) => c.id).sort());
  });

  it.each(withCheckpoint.map((s) => s.id))('%s: exactly the right answer holds in the run', async (id) => {
    const { step, run: r } = await run(id);
    const holding = Object.entries(CLAIMS[id]!)
      .filter(([, claim]) => claim(r))
      .map(([choice]) => choice);
    expect(holding).toEqual([step.checkpoint!.answer]);
  });

  it('client-hello: the same controls in TLS 1.2 take two round trips (what the wrong answer describes)', async () => {
    const { run: r12 } = await run('client-hello', '1.2');
    expect(CLAIMS['client-hello']!.two!(r12)).toBe(true);
  });

  it("client-hello: the step shown is the ClientHello, and the client's first data is PostgreSQL's StartupMessage", async () => {
    // The question asks about the StartupMessage, so the run is PostgreSQL's (an SSLRequest first).
    const { step, run: r } = await run('client-hello');
    expect(steps(r)[Number(step.state?.step)]?.title).toBe('ClientHello');
    const data = steps(r).find((s) => s.title.startsWith('Application data') && s.from === 'client');
    expect(data?.title).toBe('Application data: StartupMessage');
  });

  it('key-schedule: the run carries the handshake and application traffic secrets, each with an openssl command', async () => {
    const { run: r } = await run('key-schedule');
    const secrets = r.eventLog.flatMap((e) => (e.kind === 'secret' ? [e] : []));
    for (const name of ['client_handshake_traffic_secret', 'server_application_traffic_secret_0'])
      expect(secrets.some((e) => e.name.includes(name))).toBe(true);
  });
});
