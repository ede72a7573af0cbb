/**
 * The Handshake Lab's live TLS 1.3 runs (issue 17): the `tls` control, the worker's runLab running runHandshake13
 * with the demo PKI, the PostgreSQL framing, recognisable runs that repeat, key log and pcapng of a live 1.3 run,
 * and every TLS 1.3 fault preset ending in its alert, sent by the side that notices.
 */
import { describe, expect, it } from 'vitest';
import { readParams } from '../../../src/app/url/hash.ts';
import {
  buildScenario,
  buildScenarios,
  chooseFault,
  chooseTls,
  faultChoices,
  handshakeSchema,
  failureShown,
  serverCertificateShown,
  groups13,
  presetSets,
  type LabScenario,
  presetMissed,
  labVersion,
  shownVersion,
  type HandshakeControls,
} from '../../../src/app/model/handshake/scenario.ts';
import { runLab } from '../../../src/app/workers/tls-lab.ts';
import { compareRuns } from '../../../src/app/model/handshake/compare.ts';
import { runKeyLog, runPcapng } from '../../../src/app/model/handshake/import.ts';
import {
  buildSteps,
  diagramSteps,
  eavesdropperTitle,
  isTls13Run,
} from '../../../src/app/model/handshake/steps.ts';
import { outcomeLine } from '../../../src/app/model/handshake/capture.ts';
import { faultForAlert, faultPresets, findFault } from '../../../src/content/handshake/faults.ts';
import { eventLogToJson, pemToDer } from '../../../src/lib/tls12/index.ts';
import { toHex } from '../../../src/lib/bytes/index.ts';
import { openCapture } from '../../../src/lib/pcap/index.ts';

const controls = (query: string): HandshakeControls =>
  readParams(handshakeSchema, new URLSearchParams(query));
const run13 = (query = '') => runLab(buildScenario(controls(`tls=1.3&${query}`)));

describe('the tls control', () => {
  it('defaults to TLS 1.2, so existing links keep their meaning', () => {
    expect(controls('').tls).toBe('1.2');
    expect(buildScenario(controls('')).version).toBe('1.2');
    expect(controls('tls=1.4').tls).toBe('1.2');
  });

  it("'both' builds one scenario per version from the same controls", () => {
    const both = buildScenarios(controls('tls=both&pg=direct&sni=x.example'));
    expect(both.map((s) => [s.version, s.postgres, s.serverName, s.alpn])).toEqual([
      ['1.2', 'direct', 'x.example', ['postgresql']],
      ['1.3', 'direct', 'x.example', ['postgresql']],
    ]);
  });

  it('a link to a 1.3 preset stages it in 1.3; the fault select offers the version’s presets', () => {
    expect(labVersion(controls('fault=tls13-downgrade'))).toBe('1.3');
    expect(faultChoices('1.3').every((f) => f.id === 'none' || f.tls === '1.3')).toBe(true);
    expect(faultChoices('1.2').some((f) => f.tls === '1.3')).toBe(false);
    expect(faultChoices('both').map((f) => f.id)).toEqual([
      'none',
      'untrusted-certificate',
      'expired-certificate',
      'host-mismatch',
      'tls13-hello-retry',
    ]);
    expect(chooseFault(controls(''), 'tls13-bad-finished')).toEqual({
      fault: 'tls13-bad-finished',
      tls: '1.3',
    });
    expect(chooseFault(controls('tls=both'), 'untrusted-certificate').tls).toBe('both');
    expect(chooseTls(controls('tls=1.3&fault=tls13-bad-finished'), '1.2')).toEqual({
      tls: '1.2',
      fault: 'none',
    });
    expect(chooseTls(controls('tls=1.3&fault=tls13-bad-finished'), 'both')).toEqual({
      tls: 'both',
      fault: 'none',
    });
    expect(chooseTls(controls('fault=expired-certificate'), 'both')).toEqual({ tls: 'both' });
    // The same failure keeps its place under the other version's name.
    expect(chooseTls(controls('fault=untrusted-certificate'), '1.3')).toEqual({
      tls: '1.3',
      fault: 'tls13-unknown-ca',
    });
    expect(chooseTls(controls('tls=1.3&fault=tls13-unknown-ca'), '1.2')).toEqual({
      tls: '1.2',
      fault: 'untrusted-certificate',
    });
    expect(chooseTls(controls('fault=expired-certificate'), '1.3')).toEqual({ tls: '1.3', fault: 'none' });
  });

  it("side by side, a certificate preset breaks both runs alike; a preset of one version only is not staged in 'both'", async () => {
    for (const f of faultChoices('both').filter((p) => p.id !== 'none' && p.alert)) {
      const runs = await Promise.all(buildScenarios(controls(`tls=both&fault=${f.id}`)).map(runLab));
      expect(
        runs.map((r) => [r.ok, r.alert?.from, r.alert?.name]),
        f.id,
      ).toEqual([
        [false, 'client', f.alert],
        [false, 'client', f.alert],
      ]);
    }
    // The HelloRetryRequest preset: the same P-256-only server; TLS 1.2 simply picks P-256, TLS 1.3 retries.
    const [hrr12, hrr13] = await Promise.all(
      buildScenarios(controls('tls=both&fault=tls13-hello-retry')).map(runLab),
    );
    expect([hrr12!.ok, hrr12!.summary?.group, hrr13!.ok, hrr13!.summary?.group]).toEqual([
      true,
      0x17,
      true,
      0x17,
    ]);
    expect(buildSteps(hrr13!.eventLog).steps.map((s) => s.title)).toContain('HelloRetryRequest');
    expect(buildSteps(hrr12!.eventLog).steps.map((s) => s.title)).not.toContain('HelloRetryRequest');
    const typed = await Promise.all(buildScenarios(controls('tls=both&fault=tampered-record')).map(runLab));
    expect(typed.map((r) => r.ok)).toEqual([true, true]);
  });

  it('the outcome card explains the preset the run on show stages, else the preset its failure is an instance of', async () => {
    expect(shownVersion(controls('tls=both&side=1.2'))).toBe('1.2');
    expect(shownVersion(controls('fault=tls13-bad-finished'))).toBe('1.3');
    const staged = controls('tls=1.3&fault=tls13-bad-finished');
    const stagedRun = await runLab(buildScenario(staged));
    expect(failureShown(staged, stagedRun)).toEqual({ fault: findFault('tls13-bad-finished'), staged: true });
    // A server name the certificate does not hold, typed by hand: TLS 1.2's host-mismatch preset, not staged;
    // TLS 1.3 has no preset for it, so no card.
    const byHand = controls('sni=other.example');
    const mismatch = await runLab(buildScenario(byHand));
    expect(mismatch.alert?.name).toBe('bad_certificate');
    expect(failureShown(byHand, mismatch)).toEqual({ fault: findFault('host-mismatch'), staged: false });
    const byHand13 = controls('tls=1.3&sni=other.example');
    const mismatch13 = await runLab(buildScenario(byHand13));
    expect(mismatch13.alert?.name).toBe('bad_certificate');
    expect(failureShown(byHand13, mismatch13)).toBeUndefined();
    // In 'both', a completed side shows no failure.
    expect(failureShown(controls('tls=both&side=1.2'), { ok: true })).toBeUndefined();
  });

  it("the eavesdropper's titles name no message inside an encrypted record", async () => {
    const { steps } = buildSteps((await run13('fault=tls13-bad-finished')).eventLog);
    const encrypted = steps.filter((s) => s.record?.encrypted);
    expect(encrypted.map((s) => s.title)).toEqual(expect.arrayContaining(['Certificate', 'Finished']));
    // The client's alert about the server's flight goes in the clear, as OpenSSL's client sends it.
    expect(steps.filter((s) => s.record && !s.record.encrypted).map((s) => s.title)).toContain(
      'Alert: decrypt_error',
    );
    for (const title of [
      ...encrypted.map(eavesdropperTitle),
      ...diagramSteps(encrypted, true).map((d) => d.title),
    ])
      expect(title).toMatch(/^Application data record, \d+ bytes of ciphertext$/);
    const clear = steps.filter((s) => !s.record?.encrypted);
    expect(clear.map(eavesdropperTitle)).toEqual(clear.map((s) => s.title));
  });

  it('the diagram draws a fatal alert as one, an encrypted 1.3 one too, except to the eavesdropper; close_notify is no fault (a review found them the other way round)', async () => {
    const run = await run13('fault=tls13-client-cert-required');
    const { steps } = buildSteps(run.eventLog);
    const at = steps.findIndex((s) => s.alert?.name === 'certificate_required');
    expect(steps[at]?.record?.encrypted).toBe(true);
    expect(diagramSteps(steps)[at]?.tone).toBe('alert');
    expect(diagramSteps(steps, true)[at]?.tone).toBe('secret');
    const ok = await runLab(buildScenario(controls('tls=1.2')));
    const closes = buildSteps(ok.eventLog).steps.flatMap((s, i) =>
      s.alert?.name === 'close_notify' ? [i] : [],
    );
    expect(closes.length).toBeGreaterThan(0);
    for (const i of closes) expect(diagramSteps(buildSteps(ok.eventLog).steps)[i]?.tone).not.toBe('alert');
  });

  it('the key share control shows the share the client sends: the chosen one, else what the groups or a preset set', async () => {
    const notListed = controls('tls=1.3&groups=001d,0017&share=0018');
    expect(groups13(notListed)).toMatchObject({ keyShare: 0x1d, shareSetBy: 'groups' });
    const run = await runLab(buildScenario(notListed));
    expect(buildScenario(notListed).tls13?.keyShare).toBe(0x1d);
    expect(run.summary?.group).toBe(0x1d);
    expect(groups13(controls('tls=1.3&groups=001d,0018&share=0018'))).toEqual({
      keyShare: 0x18,
      clientGroups: [0x1d, 0x18],
      serverGroups: [0x1d, 0x18],
    });
    expect(groups13(controls('tls=1.3&fault=tls13-hello-retry&share=0018'))).toMatchObject({
      keyShare: 0x1d,
      shareSetBy: 'preset',
    });
  });

  it('the server certificate control shows the certificate a preset brings', async () => {
    for (const fault of [
      'untrusted-certificate',
      'tls13-unknown-ca',
      'expired-certificate',
      'no-shared-suite',
    ]) {
      const c = controls(`cert=ecdsa&fault=${fault}`);
      expect(serverCertificateShown(c), fault).toEqual({ cert: 'rsa', byPreset: true });
      const leaf = pemToDer(buildScenario(c).serverCertPem, 'CERTIFICATE')[0];
      // RSA: the SubjectPublicKeyInfo's rsaEncryption OID (1.2.840.113549.1.1.1) in the server's certificate.
      expect(leaf && toHex(leaf), fault).toContain('2a864886f70d010101');
    }
    expect(serverCertificateShown(controls('cert=ecdsa'))).toEqual({ cert: 'ecdsa', byPreset: false });
    // 'both' does not stage no-shared-suite (a 1.2 preset it does not offer): the chosen certificate stands.
    expect(serverCertificateShown(controls('tls=both&cert=ecdsa&fault=no-shared-suite'))).toEqual({
      cert: 'ecdsa',
      byPreset: false,
    });
    const ecdsa = pemToDer(buildScenario(controls('cert=ecdsa')).serverCertPem, 'CERTIFICATE')[0]!;
    expect(toHex(ecdsa)).not.toContain('2a864886f70d010101');
  });

  it('the server accepts TLS 1.2 only (the lab implements no older version): a lower bound in the URL is not taken', () => {
    const c = controls('tls=1.2&smin=1.0&smax=1.1&cmin=1.1&cmax=1.1');
    expect([c.smin, c.smax]).toEqual(['1.2', '1.2']);
    const s = buildScenario(c);
    expect(s.serverVersions).toEqual([0x0303, 0x0303]);
    expect(s.clientVersions).toEqual([0x0302, 0x0302]);
  });

  it('the version, suite and group controls a preset sets are the ones the run does not take from the controls', () => {
    // Controls unlike any preset's: if the run's value differs from the controls', the preset set it.
    const own = 'cmin=1.0&cmax=1.1&smin=1.0&smax=1.1&offer=009c&groups=0017&share=0017';
    for (const f of faultPresets) {
      for (const tls of ['1.2', '1.3', 'both'] as const) {
        const c = controls(`tls=${tls}&fault=${f.id}&${own}`);
        const plain = controls(`tls=${tls}&${own}`);
        const sets = presetSets(c);
        const runs = buildScenarios(c);
        // The same version's run of the same controls without the preset.
        const differs = (pick: (s: LabScenario) => unknown) =>
          runs.some(
            (r) => JSON.stringify(pick(r)) !== JSON.stringify(pick(buildScenario(plain, r.now, r.version))),
          );
        const where = `${f.id}, tls=${tls}`;
        const twelve = runs.filter((r) => r.version === '1.2');
        expect(sets.versions, where).toBe(
          twelve.length > 0 && differs((r) => [r.clientVersions, r.serverVersions]),
        );
        expect(sets.offer, where).toBe(
          twelve.length > 0 && differs((r) => (r.version === '1.2' ? r.offer : 0)),
        );
        expect(sets.groups, where).toBe(differs((r) => [r.groups, r.tls13?.keyShare, r.tls13?.serverGroups]));
      }
    }
    expect(presetSets(controls('fault=version-mismatch')).versions).toBe(true);
    expect(presetSets(controls('fault=no-shared-suite')).offer).toBe(true);
    expect(presetSets(controls('tls=both&fault=tls13-hello-retry')).groups).toBe(true);
  });

  it('a preset that other settings keep from playing out is not explained as staged', async () => {
    // HelloRetryRequest preset, but no TLS 1.3 suite in common: the server fails before any retry.
    const noSuite = controls('tls=1.3&fault=tls13-hello-retry&offer13=1301&accept13=1302');
    const noSuiteRun = await runLab(buildScenario(noSuite));
    expect(noSuiteRun.alert).toMatchObject({ name: 'handshake_failure', from: 'server' });
    expect(failureShown(noSuite, noSuiteRun)?.fault.id).not.toBe('tls13-hello-retry');
    expect(presetMissed(noSuite, noSuiteRun)?.id).toBe('tls13-hello-retry');
    // The same preset as staged: complete after a retry.
    const hrr = controls('tls=1.3&fault=tls13-hello-retry');
    const hrrRun = await runLab(buildScenario(hrr));
    expect(failureShown(hrr, hrrRun)).toEqual({ fault: findFault('tls13-hello-retry'), staged: true });
    expect(presetMissed(hrr, hrrRun)).toBeUndefined();
    // A bad Finished preset with no suite in common: psql's "digest check failed" would be false.
    const badFinished = controls('tls=1.3&fault=tls13-bad-finished&offer13=1301&accept13=1302');
    const badFinishedRun = await runLab(buildScenario(badFinished));
    expect(failureShown(badFinished, badFinishedRun)?.fault.id).not.toBe('tls13-bad-finished');
    expect(presetMissed(badFinished, badFinishedRun)?.id).toBe('tls13-bad-finished');
    // TLS 1.2: the untrusted certificate preset (an RSA certificate) with only ECDSA suites offered.
    const ecdsaOnly = controls('fault=untrusted-certificate&offer=c02b');
    const ecdsaOnlyRun = await runLab(buildScenario(ecdsaOnly));
    expect(ecdsaOnlyRun.alert?.name).toBe('handshake_failure');
    expect(failureShown(ecdsaOnly, ecdsaOnlyRun)?.fault.id).not.toBe('untrusted-certificate');
    expect(presetMissed(ecdsaOnly, ecdsaOnlyRun)?.id).toBe('untrusted-certificate');
    // Every preset played out on its own controls.
    for (const f of faultPresets.filter((p) => p.id !== 'none')) {
      const c = controls(`fault=${f.id}`);
      expect(presetMissed(c, await runLab(buildScenario(c))), f.id).toBeUndefined();
    }
  });
});

describe('a live TLS 1.3 run in the lab', () => {
  it('completes in TLS 1.3 with the chosen suite and key share group, and the outcome names TLSv1.3', async () => {
    const run = await run13('offer13=1302&accept13=1302&groups=0018,001d&share=0018');
    expect(run.ok).toBe(true);
    expect(isTls13Run(run.eventLog)).toBe(true);
    expect(outcomeLine(run.summary!)).toMatch(/^TLSv1\.3, TLS_AES_256_GCM_SHA384, secp384r1/);
  });

  it('a key share for any group the server accepts is used at once, as OpenSSL and Go servers do (no HelloRetryRequest)', async () => {
    const run = await run13('share=0018');
    expect(
      buildSteps(run.eventLog)
        .steps.map((s) => s.title)
        .slice(0, 2),
    ).toEqual(['ClientHello', 'ServerHello']);
    expect(run.summary?.group).toBe(0x0018);
  });

  it('recognisable runs repeat byte for byte; fresh runs do not', async () => {
    const json = async (q: string) => eventLogToJson((await run13(q)).eventLog);
    expect(await json('')).toBe(await json(''));
    expect(await json('run=fresh')).not.toBe(await json('run=fresh'));
  });

  it('carries PostgreSQL: SSLRequest and S in clear, then TLS 1.3; direct TLS with ALPN postgresql', async () => {
    const steps = (r: Awaited<ReturnType<typeof run13>>) => buildSteps(r.eventLog).steps.map((s) => s.title);
    const starttls = await run13('pg=sslrequest');
    expect(steps(starttls).slice(0, 3)).toEqual(['SSLRequest', "Server answers 'S'", 'ClientHello']);
    expect(steps(starttls)).toContain('Application data: StartupMessage');
    const direct = await run13('pg=direct');
    expect(steps(direct)[0]).toBe('ClientHello');
    expect(direct.summary?.alpn).toBe('postgresql');
  });

  it('writes its key log (five traffic secret lines) and a pcapng that holds it', async () => {
    const run = await run13();
    const keyLog = runKeyLog(run)!;
    expect(keyLog.split('\n').map((l) => l.split(' ')[0])).toEqual([
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'EXPORTER_SECRET',
      'SERVER_TRAFFIC_SECRET_0',
      'CLIENT_TRAFFIC_SECRET_0',
    ]);
    expect(openCapture(runPcapng(run, Date.UTC(2026, 0, 1))).keyLog).toContain(keyLog);
  });

  it('the secrets panel shows each traffic secret with its openssl kdf command', async () => {
    const secrets = (await run13()).eventLog.filter((e) => e.kind === 'secret');
    for (const name of ['client_handshake_traffic_secret', 'server_application_traffic_secret_0']) {
      const s = secrets.find((e) => e.name === name);
      expect(s && s.openssl).toMatch(/^openssl kdf .*HKDF/);
    }
  });
});

/** Who notices each failure (RFC 8446): the client checks the server's flight, the server the client's certificate. */

describe('side by side with PostgreSQL', () => {
  it.each([
    ['sslrequest', true],
    ['direct', false],
    ['none', false],
  ] as const)('pg=%s: the SSLRequest round trip both versions pay is said: %s', async (pg, said) => {
    const [r12, r13] = await Promise.all(buildScenarios(controls(`tls=both&pg=${pg}`)).map(runLab));
    const c = compareRuns(r12!.eventLog, r13!.eventLog);
    expect(c.sslRequest).toBe(said);
    expect([c.roundTrips.tls12, c.roundTrips.tls13]).toEqual([2, 1]);
  });
});

describe('the TLS 1.2 fault presets', () => {
  it.each(faultPresets.filter((f) => f.tls === '1.2' && f.alert))(
    '$id ends in exactly its alert from the side the preset names',
    async (f) => {
      const run = await runLab(buildScenario(controls(`fault=${f.id}`)));
      expect([run.ok, run.alert?.from, run.alert?.name]).toEqual([false, f.alertFrom, f.alert]);
      expect(faultForAlert(run.alert?.name, '1.2', run.alert!.from)?.id).toBe(f.id);
    },
  );
});

describe('the TLS 1.3 fault presets', () => {
  const presets13 = faultPresets.filter((f) => f.tls === '1.3');
  it.each(presets13.filter((f) => f.alert))(
    '$id ends in exactly its alert from the side that notices',
    async (f) => {
      for (const pg of ['none', 'sslrequest', 'direct']) {
        const run = await run13(`fault=${f.id}&pg=${pg}`);
        const fatal = run.eventLog.filter((e) => e.kind === 'alert' && e.level === 2);
        expect(fatal.map((e) => e.kind === 'alert' && [e.from, e.name])).toEqual([[f.alertFrom, f.alert]]);
        // A failure staged by hand is matched by alert and side (decrypt_error and illegal_parameter from the
        // client each end two presets: the first one is named).
        const same = faultForAlert(run.alert?.name, '1.3', run.alert!.from);
        expect([same?.alert, same?.alertFrom]).toEqual([f.alert, f.alertFrom]);
      }
    },
  );

  it('tls13-hello-retry succeeds after a HelloRetryRequest for P-256', async () => {
    const run = await run13('fault=tls13-hello-retry');
    expect(run.ok).toBe(true);
    expect(run.summary && 'helloRetryRequest' in run.summary && run.summary.helloRetryRequest).toBe(true);
    expect(run.summary?.groupName).toBe('secp256r1');
  });

  it('tls13-downgrade: the server answers in TLS 1.2 with the sentinel, the client names it', async () => {
    const run = await run13('fault=tls13-downgrade');
    expect(run.alert?.reason).toMatch(/downgrade sentinel/);
    // The ClientHello record is shown as the server read it (supported_versions renamed, marked tampered);
    // the client's message is what it sent.
    const record = run.eventLog.find((e) => e.kind === 'record' && e.from === 'client');
    const message = run.eventLog.find((e) => e.kind === 'message' && e.message.type === 'client_hello');
    const sentVersions = '002b00050403040303';
    expect(
      record?.kind === 'record' && [record.tampered, toHex(record.bytes).includes(sentVersions)],
    ).toEqual([true, false]);
    expect(record?.kind === 'record' && toHex(record.bytes)).toContain('fafa00050403040303');
    expect(message?.kind === 'message' && toHex(message.bytes)).toContain(sentVersions);
    const hello = run.eventLog.find((e) => e.kind === 'message' && e.message.type === 'server_hello');
    expect(
      hello?.kind === 'message' && hello.message.type === 'server_hello' && hello.message.serverVersion,
    ).toBe(0x0303);
    // A 1.3 ClientHello answered in TLS 1.2 is not a TLS 1.3 run (no key schedule diagram, 1.2 explanations).
    expect(hello?.kind === 'message' && hello.message13).toBeUndefined();
    expect(message?.kind === 'message' && message.message13 !== undefined).toBe(true);
    expect(isTls13Run(run.eventLog)).toBe(false);
    // A 1.3 ClientHello the server refuses with an alert, before any answer: a TLS 1.3 run.
    const refused = await run13('offer13=1301&accept13=1302');
    expect(refused.alert?.name).toBe('handshake_failure');
    expect(refused.eventLog.some((e) => e.kind === 'message' && e.from === 'server')).toBe(false);
    expect(isTls13Run(refused.eventLog)).toBe(true);
  });

  it('every preset names its version and the 1.3 ones are all staged', () => {
    expect(presets13.map((f) => f.id).every((id) => id.startsWith('tls13-'))).toBe(true);
    // A preset with an alert names who sends it, and one without an alert names nobody.
    expect(faultPresets.every((f) => (f.alert === undefined) === (f.alertFrom === undefined))).toBe(true);
  });
});
