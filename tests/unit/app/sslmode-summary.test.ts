/**
 * What the sslmode Lab prints above the steps is the steps' own facts: over every matrix cell (6 drivers x 6
 * sslmodes) for a grid of root files, server certificates and presets, and over every attacker variant of each
 * cell, the summary agrees with the step list and with the engine's outcome fields; a failed connection never
 * claims anything was readable when nothing was sent; an attacker the client refused is "safe", with no fix.
 */
import { describe, expect, it } from 'vitest';
import {
  attackVerdict,
  explainConnection,
  outcomeFacts,
  protectionText,
  summaryLines,
  type ConnectionOutcome,
  type Step,
} from '../../../src/lib/sslmode/index.ts';
import {
  attackerScenarios,
  buildScenario,
  matrixScenarios,
  sslmodeControls,
  type SslmodeControls,
} from '../../../src/app/model/sslmode/scenario.ts';

const controls = sslmodeControls;

const WITH_PASSWORD = 'host=db.example.test dbname=app user=app password=secret sslmode=prefer';
const VARIANTS: Partial<SslmodeControls>[] = [];
for (const root of ['none', 'root-a', 'root-b', 'public-root'] as const)
  for (const cert of ['good', 'expired', 'self-signed', 'with-root', 'cloud'] as const)
    VARIANTS.push({ root, cert, conninfo: WITH_PASSWORD });
VARIANTS.push(
  { root: 'root-a', conninfo: 'host=db.example.test dbname=app user=app sslmode=prefer' },
  { root: 'root-a', conninfo: 'host=127.0.0.1 dbname=app user=app password=secret' },
  { root: 'public-root', preset: 'azure-flexible', conninfo: WITH_PASSWORD },
  { root: 'root-a', ssl: false, conninfo: WITH_PASSWORD },
  { root: 'root-a', smin: 'TLSv1.3', hba: ['hostnossl all all 0.0.0.0/0 trust'], conninfo: WITH_PASSWORD },
);

/** The oracle, written from the step list the other way round: the LAST step of a kind in the last attempt. */
function lastOf(steps: readonly Step[], kind: Step['kind']): string {
  const attempt = Math.max(0, ...steps.map((s) => s.attempt));
  const decided = steps.filter((s) => s.attempt === attempt && s.kind === kind && s.status !== 'info');
  const status = decided.reverse().find((s) => s.status !== 'skip')?.status;
  return status === 'ok' ? 'verified' : status === 'fail' ? 'failed' : 'not checked';
}

function checkSummary(o: ConnectionOutcome, where: string): void {
  const facts = outcomeFacts(o);
  const lines = Object.fromEntries(summaryLines(facts).map((l) => [l.label.replace(/ \(.*/, ''), l.value]));
  expect(lines['Server certificate chain'], where).toBe(lastOf(o.steps, 'chain'));
  expect(lines['Host name in the certificate'], where).toBe(lastOf(o.steps, 'hostname'));
  const attempt = Math.max(0, ...o.steps.map((s) => s.attempt));
  const tlsDone = o.steps.some((s) => s.attempt === attempt && s.kind === 'tls' && s.status === 'ok');
  expect(lines['Encryption']!.startsWith('TLS handshake completed'), where).toBe(tlsDone);
  // The engine's own fields say the same as the steps, connected or not (tls-lab sslmode --json prints them).
  expect(facts.chain === 'verified', where).toBe(o.chainVerified);
  expect(facts.hostname === 'verified', where).toBe(o.hostnameVerified);
  if (o.connected) {
    expect(facts.encrypted, where).toBe(o.encrypted);
    expect(o.protection.eavesdropping, where).toBe(o.encrypted);
  } else {
    const sentInClear = [...new Set(o.steps.map((s) => s.attempt))].some(
      (a) =>
        o.steps.some((s) => s.attempt === a && ['startup', 'pg_hba', 'auth'].includes(s.kind)) &&
        !o.steps.some((s) => s.attempt === a && s.kind === 'tls' && s.status === 'ok'),
    );
    const text = [...Object.values(lines), protectionText(o, facts)].join(' ');
    expect(facts.exposure, where).toBe(sentInClear ? 'startup' : 'nothing');
    expect(text, where).not.toMatch(/password exchange|anyone on the path can read|the session is plaintext/);
    if (!sentInClear) expect(text, where).toContain('nothing was exposed');
  }
}

describe('sslmode Lab summary', () => {
  it('equals the steps, for every matrix cell and every attacker variant', async () => {
    let cells = 0;
    let attacks = 0;
    for (const values of VARIANTS) {
      const c = controls(values);
      for (const entry of matrixScenarios(c)) {
        const where = `${JSON.stringify(values)} ${entry.driver} ${entry.sslmode}`;
        checkSummary(await explainConnection(entry.scenario), where);
        cells++;
        for (const attack of attackerScenarios(c, entry.conninfo, entry.driver)) {
          if (!attack.scenario) continue;
          const o = await explainConnection(attack.scenario);
          checkSummary(o, `${where} ${attack.kind}`);
          const verdict = attackVerdict(attack.kind, o);
          const facts = outcomeFacts(o);
          // Refused with nothing sent: safe, and no "fix"; anything else: the attacker got something.
          expect(verdict.safe, `${where} ${attack.kind}`).toBe(!o.connected && facts.exposure === 'nothing');
          expect(verdict.fix === undefined, `${where} ${attack.kind}`).toBe(verdict.safe);
          attacks++;
        }
      }
    }
    expect(cells).toBe(VARIANTS.length * 36);
    expect(attacks).toBe(cells * 3);
  });

  it('a host-name failure says the chain was verified; a verify-full login without a password says TLS and the name were fine', async () => {
    const c = controls({ root: 'root-a' });
    const cell = (conninfo: string) =>
      explainConnection(
        matrixScenarios({ ...c, conninfo }).find((e) => e.driver === 'libpq' && e.sslmode === 'verify-full')!
          .scenario,
      );
    const mismatch = outcomeFacts(await cell('host=pg.example.net user=app password=secret'));
    expect([mismatch.chain, mismatch.hostname, mismatch.exposure]).toEqual(['verified', 'failed', 'nothing']);
    // pgtls_open_client(): the name is compared after SSL_connect() completed the handshake.
    expect(summaryLines(mismatch)[0]).toEqual({
      label: 'Encryption',
      value: 'TLS handshake completed (TLSv1.3)',
    });
    const noPassword = await cell('host=db.example.test dbname=app user=app');
    expect(noPassword.connected).toBe(false);
    expect(summaryLines(outcomeFacts(noPassword))).toEqual([
      { label: 'Encryption', value: 'TLS handshake completed (TLSv1.3)' },
      { label: 'Server certificate chain', value: 'verified' },
      { label: 'Host name in the certificate', value: 'verified' },
      {
        label: 'Sent unencrypted',
        value: 'nothing: the connection failed before any user name, password or query was sent',
      },
    ]);
  });
});

describe('sslmode Lab attacker', () => {
  async function verdicts(values: Partial<SslmodeControls>) {
    const c = controls(values);
    const out: Record<string, { safe: boolean; title: string; explanation: string; fix?: string }> = {};
    for (const attack of attackerScenarios(c)) {
      out[attack.kind] = attackVerdict(attack.kind, await explainConnection(attack.scenario!));
    }
    return out;
  }
  const target = 'host=db.example.test dbname=app user=app password=secret';

  it('prefer without a root file: every attacker wins, and each card says so in red terms', async () => {
    const v = await verdicts({ conninfo: `${target} sslmode=prefer` });
    expect(v.strip).toMatchObject({ safe: false, title: 'The attacker reads everything' });
    expect(v.impersonate).toMatchObject({ safe: false, title: 'Encrypted, to the attacker' });
    expect(v['other-name']).toMatchObject({ safe: false, title: 'Encrypted, to the attacker' });
  });

  it('verify-ca with the right root refuses stripping and the self-signed certificate but not another name from the same CA', async () => {
    const v = await verdicts({ conninfo: `${target} sslmode=verify-ca`, root: 'root-a' });
    expect(v.strip).toEqual({ safe: true, title: 'Refused: safe', explanation: expect.any(String) });
    expect(v.impersonate).toMatchObject({ safe: true, title: 'Refused: safe' });
    expect(v['other-name']).toMatchObject({ safe: false, title: 'Encrypted, to the attacker' });
    expect(v['other-name']!.fix).toContain('verify-full');
  });

  it('verify-ca without a root file: refused before any certificate was seen, which is what the cards say', async () => {
    const v = await verdicts({ conninfo: `${target} sslmode=verify-ca`, root: 'none' });
    for (const kind of ['impersonate', 'other-name']) {
      expect(v[kind], kind).toMatchObject({ safe: true, title: 'Refused: safe' });
      expect(v[kind]!.explanation, kind).toContain('no usable root certificate file');
      expect(v[kind]!.explanation, kind).not.toContain('does not chain');
    }
    const real = await explainConnection(
      buildScenario(controls({ conninfo: `${target} sslmode=verify-ca`, root: 'none' })),
    );
    expect(real.error).toContain(
      'root certificate file "/home/postgres/.postgresql/root.crt" does not exist',
    );
    expect(summaryLines(outcomeFacts(real))[1]).toEqual({
      label: 'Server certificate chain',
      value: 'not checked',
    });
  });

  it('verify-full with the right root refuses all three, with no fix offered', async () => {
    const v = await verdicts({ conninfo: `${target} sslmode=verify-full`, root: 'root-a' });
    for (const kind of ['strip', 'impersonate', 'other-name']) {
      expect(v[kind], kind).toMatchObject({ safe: true, title: 'Refused: safe' });
      expect(v[kind]!.fix, kind).toBeUndefined();
    }
  });

  it('the Azure preset: a public-CA-shaped chain, and a certificate for another name from the same public CA', async () => {
    const azure = { preset: 'azure-flexible' as const, root: 'public-root' as const };
    const host = 'host=mydb.postgres.database.azure.com dbname=app user=app password=secret';
    const full = await verdicts({ ...azure, conninfo: `${host} sslmode=verify-full` });
    expect(full['other-name']).toMatchObject({ safe: true });
    const ca = await verdicts({ ...azure, conninfo: `${host} sslmode=verify-ca` });
    expect(ca['other-name']).toMatchObject({ safe: false });
    const c = controls({ ...azure, conninfo: `${host} sslmode=verify-full` });
    const real = await explainConnection(
      matrixScenarios(c).find((e) => e.driver === 'libpq' && e.sslmode === 'verify-full')!.scenario,
    );
    expect(real.connected).toBe(true);
    expect(real.serverCertificate?.subject).toContain('*.postgres.database.azure.com');
  });
});

describe('what went unencrypted, in an outcome that connected after a plaintext attempt', () => {
  it('names the failed attempt and the one that connected, not a failed connection', async () => {
    // allow tries without TLS first; a hostssl-only pg_hba refuses that, then TLS connects.
    const outcome = await explainConnection(
      buildScenario(
        sslmodeControls({
          conninfo: 'host=db.example.test dbname=app user=app password=secret sslmode=allow',
          hba: ['hostssl all all 0.0.0.0/0 scram-sha-256'],
        }),
      ),
    );
    expect(outcome.connected).toBe(true);
    const sent = summaryLines(outcomeFacts(outcome)).find((l) => l.label === 'Sent unencrypted');
    expect(sent?.value).toBe(
      'the startup message (user and database names) in attempt 1, before that attempt failed; attempt 2 then connected',
    );
  });
});

describe('the attacker in the server’s place', () => {
  it('asks for no client certificate and takes any TLS version, whatever the real server does', async () => {
    // require without a root file does not check the chain: a client certificate the real server would reject
    // does not stop an attacker, which does not ask for one.
    const c = sslmodeControls({
      conninfo:
        'host=db.example.test dbname=app user=app password=secret sslmode=require sslcert=client.crt sslkey=client.key',
      root: 'none',
      ccert: 'untrusted',
      sca: 'client-ca',
      smin: 'TLSv1.3',
    });
    const impersonate = attackerScenarios(c).find((a) => a.kind === 'impersonate')!;
    expect(impersonate.scenario?.server.caFile).toBeUndefined();
    expect(impersonate.scenario?.server.minProtocol).toBeUndefined();
    const verdict = attackVerdict('impersonate', await explainConnection(impersonate.scenario!));
    expect(verdict.safe).toBe(false);
  });
});

describe('why a client refused the attacker', () => {
  it('says "would not do TLS" only when the attacker answered the SSLRequest with N', async () => {
    let said = 0;
    let other = 0;
    for (const root of ['none', 'root-a'] as const)
      for (const { driver, sslmode, conninfo } of matrixScenarios(
        controls({ root, conninfo: WITH_PASSWORD }),
      ))
        for (const attack of attackerScenarios(
          controls({ root, conninfo: WITH_PASSWORD }),
          conninfo,
          driver,
        )) {
          if (!attack.scenario) continue;
          const outcome = await explainConnection(attack.scenario);
          const verdict = attackVerdict(attack.kind, outcome);
          const answeredN = outcome.steps.some((s) => s.kind === 'ssl-response' && s.status === 'fail');
          const where = `${driver} sslmode=${sslmode} root=${root} ${attack.kind}: ${verdict.explanation}`;
          if (verdict.explanation.includes('would not do TLS')) {
            said++;
            expect(answeredN, where).toBe(true);
          } else if (verdict.safe && !answeredN) other++;
        }
    expect(said).toBeGreaterThan(5);
    expect(other).toBeGreaterThan(5);
  });
});

describe("libpq's fix for a failed connection", () => {
  it("names the attempt's own failure, not the pg_hba refusal of prefer's plaintext retry", async () => {
    const outcome = await explainConnection(
      buildScenario(
        sslmodeControls({
          conninfo: 'host=db.example.test dbname=app user=app password=wrong sslmode=prefer',
          hba: ['hostssl all all 0.0.0.0/0 scram-sha-256'],
        }),
      ),
    );
    expect(outcome.connected).toBe(false);
    expect(outcome.error).toMatch(/password authentication failed[\s\S]*no pg_hba.conf entry/);
    expect(outcome.fix).toBe('Check the password.');
  });
});

describe("libpq's fix when both of prefer's attempts fail on the password", () => {
  it('says why the error appears twice', async () => {
    const outcome = await explainConnection(
      buildScenario(
        sslmodeControls({
          conninfo: 'host=db.example.test dbname=app user=app password=wrong sslmode=prefer',
          hba: ['hostssl all all 0.0.0.0/0 scram-sha-256', 'hostnossl all all 0.0.0.0/0 scram-sha-256'],
        }),
      ),
    );
    expect(outcome.error?.split('password authentication failed').length).toBe(3);
    expect(outcome.fix).toBe(
      'Check the password (prefer retries without SSL, which is why it appears twice).',
    );
  });
});

describe('what the authentication exchange of a plaintext attempt carried', () => {
  // prefer: TLS fails on the wrong root file, the plaintext retry meets a hostnossl line (psql 15, tcpdump: the
  // PasswordMessage carried "secret" in clear text after AuthenticationCleartextPassword).
  const run = (method: string, extra = '', hba?: string[]) =>
    explainConnection(
      buildScenario(
        sslmodeControls({
          conninfo: `host=db.example.test dbname=app user=app sslmode=prefer ${extra}`,
          root: 'root-b',
          hba: hba ?? ['hostssl all all 0.0.0.0/0 scram-sha-256', `hostnossl all all 0.0.0.0/0 ${method}`],
        }),
      ),
    );
  const sent = (o: ConnectionOutcome) =>
    summaryLines(outcomeFacts(o)).find((l) => l.label.startsWith('Sent unencrypted'))!.value;

  it('method password: the password itself, connected or not', async () => {
    const ok = await run('password', 'password=secret');
    expect(ok.connected).toBe(true);
    expect(outcomeFacts(ok).clearAuth).toEqual([{ attempt: 2, exchange: 'password' }]);
    expect(sent(ok)).toMatch(
      /^everything: the user name, the password itself \(the server asked for it in clear text/,
    );
    const wrong = await run('password', 'password=wrong');
    expect(wrong.connected).toBe(false);
    expect(sent(wrong)).toContain('and the password itself (the server asked for it in clear text');
    expect(protectionText(wrong, outcomeFacts(wrong))).toContain('the password itself');
  });

  it('SCRAM: no password, but what passwords can be tried against offline; no password sent: nothing of it', async () => {
    const scram = await run('scram-sha-256', 'password=wrong');
    expect(sent(scram)).toContain('a SCRAM exchange (no password');
    expect(sent(scram)).not.toContain('password itself');
    const none = await run('password');
    expect(none.error).toContain('fe_sendauth: no password supplied');
    expect(outcomeFacts(none).clearAuth).toEqual([]);
  });

  it('a TLS connection after a plaintext attempt that sent the password says so', async () => {
    // allow: plaintext first; the hostnossl password line fails the password, allow retries with TLS (trust).
    const o = await explainConnection(
      buildScenario(
        sslmodeControls({
          conninfo: 'host=db.example.test dbname=app user=app password=wrong sslmode=allow',
          hba: ['hostnossl all all 0.0.0.0/0 password', 'hostssl all all 0.0.0.0/0 trust'],
        }),
      ),
    );
    expect([o.connected, o.encrypted]).toEqual([true, true]);
    expect(sent(o)).toContain('in attempt 1, and the password itself (the server asked');
    expect(protectionText(o, outcomeFacts(o))).toContain('attempt 1, without TLS, sent the password itself');
  });
});
