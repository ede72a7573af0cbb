/**
 * Every predict-the-outcome checkpoint outside the TLS 1.3 lesson (which has its own test), against the run its
 * step shows: the step's state is run through the lab's own path (the Handshake Lab's buildScenario + runLab, the
 * Chain Lab's worker session on the sample, the sslmode Lab's buildScenario + explainConnection and its attackers),
 * and each choice is a claim about that run. Exactly the choice the lesson calls right must hold.
 */
import { describe, expect, it } from 'vitest';
import { lessons, type Lesson } from '../../../src/content/lessons/index.ts';
import { findSample } from '../../../src/content/chain/samples.ts';
import { readParams } from '../../../src/app/url/hash.ts';
import {
  buildScenario as handshakeScenario,
  handshakeSchema,
} from '../../../src/app/model/handshake/scenario.ts';
import { runLab } from '../../../src/app/workers/tls-lab.ts';
import { runChainSession } from '../../../src/app/workers/chain-session.ts';
import {
  attackerScenarios,
  buildScenario as sslmodeScenario,
  sslmodeSchema,
  type SslmodeControls,
} from '../../../src/app/model/sslmode/scenario.ts';
import { attackVerdict, explainConnection, type ConnectionOutcome } from '../../../src/lib/sslmode/index.ts';
import type { HandshakeRun } from '../../../src/lib/tls12/index.ts';
import type { ChainAnalysis } from '../../../src/lib/pki/index.ts';

type Step = Lesson['steps'][number];

async function handshakeRun(step: Step): Promise<HandshakeRun> {
  return runLab(handshakeScenario(readParams(handshakeSchema, new URLSearchParams(step.state))));
}

async function chainRun(step: Step): Promise<ChainAnalysis> {
  const sample = findSample(String(step.state.sample))!;
  const result = await runChainSession({
    inputs: [],
    sampleServed: sample.served,
    sampleAnchors: sample.anchors,
    trust: 'sample',
    ticked: [],
    time: new Date(`${step.state.at ?? sample.at}T12:00:00Z`),
    ...(sample.host ? { hostname: sample.host } : {}),
    purpose: sample.purpose,
    profile: (step.state.profile ?? sample.profile) as ChainAnalysis['verdict']['profile'],
  });
  return result.analysis!;
}

const sslmodeControlsOf = (step: Step): SslmodeControls =>
  readParams(sslmodeSchema, new URLSearchParams(step.state));
const connect = (c: SslmodeControls) => explainConnection(sslmodeScenario(c));
const withMode = (c: SslmodeControls, mode: string): SslmodeControls => ({
  ...c,
  conninfo: c.conninfo.replace(/sslmode=\S+/, `sslmode=${mode}`),
});
async function attacked(c: SslmodeControls, kind: 'strip' | 'impersonate' | 'other-name') {
  const attack = attackerScenarios(c).find((a) => a.kind === kind)!;
  const outcome = await explainConnection(attack.scenario!);
  return { outcome, verdict: attackVerdict(kind, outcome) };
}
const failed = (o: ConnectionOutcome, kind: string) =>
  o.steps.some((s) => s.kind === kind && s.status === 'fail');

const keyExchange = (r: HandshakeRun) => {
  const cke = r.eventLog.find((e) => e.kind === 'message' && e.message.type === 'client_key_exchange');
  return cke?.kind === 'message' && cke.message.type === 'client_key_exchange' ? cke.message.kind : undefined;
};
const verdictMessage = (a: ChainAnalysis) => a.verdict.error?.message;
const validPaths = (a: ChainAnalysis) => a.paths.filter((p) => p.valid).length;

/** lesson/step -> choice -> its claim about the step's run (async: a claim may run a variant of the state). */
const CLAIMS: Record<string, Record<string, (step: Step) => Promise<boolean>>> = {
  'tls12-handshake/version-mismatch': {
    downgrade: async (s) => (await handshakeRun(s)).ok,
    alert: async (s) => {
      const r = await handshakeRun(s);
      return !r.ok && r.alert?.name === 'protocol_version' && r.alert.from === 'server';
    },
    silent: async (s) => {
      const r = await handshakeRun(s);
      return !r.ok && r.alert === undefined;
    },
  },
  'tls12-handshake/tampered-record': {
    bad_record_mac: async (s) => (await handshakeRun(s)).alert?.name === 'bad_record_mac',
    decrypt_error: async (s) => (await handshakeRun(s)).alert?.name === 'decrypt_error',
    none: async (s) => (await handshakeRun(s)).ok,
  },
  'forward-secrecy/static-rsa': {
    yes: async (s) => keyExchange(await handshakeRun(s)) === 'rsa',
    no: async (s) => keyExchange(await handshakeRun(s)) === 'ecdhe',
  },
  'forward-secrecy/ecdhe': {
    yes: async (s) => keyExchange(await handshakeRun(s)) === 'rsa',
    no: async (s) => keyExchange(await handshakeRun(s)) === 'ecdhe',
  },
  'certificates-and-chains/missing-intermediate': {
    ok: async (s) => (await chainRun(s)).verdict.valid,
    issuer: async (s) => verdictMessage(await chainRun(s)) === 'unable to get local issuer certificate',
    'self-signed': async (s) => verdictMessage(await chainRun(s)) === 'self-signed certificate',
  },
  'certificates-and-chains/host-mismatch': {
    yes: async (s) => (await chainRun(s)).verdict.valid,
    no: async (s) =>
      verdictMessage(await chainRun(s)) ===
      'server certificate for "other.example.com" does not match host name "db.example.com"',
  },
  'cross-signing/azure-one-root': {
    zero: async (s) => validPaths(await chainRun(s)) === 0,
    one: async (s) => validPaths(await chainRun(s)) === 1,
    two: async (s) => validPaths(await chainRun(s)) === 2,
  },
  'cross-signing/le-after': {
    valid: async (s) => (await chainRun(s)).verdict.valid,
    expired: async (s) => verdictMessage(await chainRun(s)) === 'certificate has expired',
    issuer: async (s) => verdictMessage(await chainRun(s)) === 'unable to get local issuer certificate',
  },
  'sslmode-protections/prefer': {
    refuse: async (s) => !(await attacked(sslmodeControlsOf(s), 'strip')).outcome.connected,
    plaintext: async (s) => {
      const { outcome } = await attacked(sslmodeControlsOf(s), 'strip');
      return outcome.connected && !outcome.encrypted && outcome.warnings.length === 0;
    },
    warn: async (s) => (await attacked(sslmodeControlsOf(s), 'strip')).outcome.warnings.length > 0,
  },
  'sslmode-protections/require': {
    yes: async (s) => {
      const { outcome } = await attacked(sslmodeControlsOf(s), 'impersonate');
      return outcome.connected && outcome.encrypted;
    },
    no: async (s) => !(await attacked(sslmodeControlsOf(s), 'impersonate')).outcome.connected,
  },
  'sslmode-protections/verify-full': {
    'require-up': async (s) => {
      for (const mode of ['require', 'verify-ca', 'verify-full'])
        if (!(await attacked(withMode(sslmodeControlsOf(s), mode), 'other-name')).verdict.safe) return false;
      return true;
    },
    verify: async (s) => {
      const c = sslmodeControlsOf(s);
      const safe = async (m: string) => (await attacked(withMode(c, m), 'other-name')).verdict.safe;
      return !(await safe('require')) && (await safe('verify-ca')) && (await safe('verify-full'));
    },
    full: async (s) => {
      const c = sslmodeControlsOf(s);
      const safe = async (m: string) => (await attacked(withMode(c, m), 'other-name')).verdict.safe;
      return !(await safe('require')) && !(await safe('verify-ca')) && (await safe('verify-full'));
    },
  },
  'troubleshooting/root-missing': {
    // The right fix connects with the server verified, as verify-full asked.
    require: async (s) => {
      const o = await connect(withMode(sslmodeControlsOf(s), 'require'));
      return o.connected && o.hostnameVerified;
    },
    rootcert: async (s) => {
      const o = await connect({ ...sslmodeControlsOf(s), root: 'root-a' });
      return o.connected && o.hostnameVerified;
    },
    server: async (s) => !sslmodeControlsOf(s).ssl,
  },
  'troubleshooting/verify-failed': {
    'wrong-ca': async (s) => {
      const o = await connect(sslmodeControlsOf(s));
      const fixed = await connect({ ...sslmodeControlsOf(s), root: 'root-a' });
      return failed(o, 'chain') && fixed.connected;
    },
    name: async (s) => failed(await connect(sslmodeControlsOf(s)), 'hostname'),
    hba: async (s) => failed(await connect(sslmodeControlsOf(s)), 'pg_hba'),
  },
  'troubleshooting/no-hba': {
    client: async (s) => {
      const o = await connect(sslmodeControlsOf(s));
      return failed(o, 'pg_hba') && (await connect(withMode(sslmodeControlsOf(s), 'require'))).connected;
    },
    password: async (s) => failed(await connect(sslmodeControlsOf(s)), 'auth'),
    cert: async (s) => failed(await connect(sslmodeControlsOf(s)), 'chain'),
  },
};

const checkpoints = lessons
  .filter((l) => l.id !== 'tls13-one-round-trip')
  .flatMap((l) => l.steps.filter((s) => s.checkpoint).map((s) => ({ key: `${l.id}/${s.id}`, step: s })));

describe('every lesson checkpoint, against the run its step shows', () => {
  it('has a claim for each choice', () => {
    expect(Object.keys(CLAIMS).sort()).toEqual(checkpoints.map((c) => c.key).sort());
    for (const { key, step } of checkpoints)
      expect(Object.keys(CLAIMS[key]!).sort(), key).toEqual(step.checkpoint!.choices.map((c) => c.id).sort());
  });

  for (const { key, step } of checkpoints)
    it(`${key}: exactly the lesson's answer holds`, async () => {
      const holding: string[] = [];
      for (const [choice, claim] of Object.entries(CLAIMS[key]!)) if (await claim(step)) holding.push(choice);
      expect(holding).toEqual([step.checkpoint!.answer]);
    });
});

describe('a lesson body that states a count', () => {
  it('cross-signing, azure-two-roots: "with both roots trusted there are exactly two valid paths"', async () => {
    const step = lessons
      .find((l) => l.id === 'cross-signing')!
      .steps.find((s) => s.id === 'azure-two-roots')!;
    expect(step.body).toContain('exactly two valid paths');
    expect(validPaths(await chainRun(step))).toBe(2);
  });
});
