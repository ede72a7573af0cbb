/**
 * One TLS certificate verifier: the CLI (`tls-lab handshake --ca`, a child process talking to `openssl
 * s_server` over TCP) and the Handshake Lab's worker code (tls-lab.ts, our client against our server in
 * memory) judge the same chain with the same anchors and server name, and must end the same way: both
 * complete, or both send the same fatal alert with the same reason.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLab } from '../../src/app/workers/tls-lab.ts';
import type { LabScenario } from '../../src/app/model/handshake/scenario.ts';
import { eventLogFromJson, type EventLogEntry } from '../../src/lib/tls12/handshake/index.ts';
import { startSServer, tempFiles, type SServer } from '../kit/programs/openssl-cli.ts';
import { testPki, type Issued, type TestPki } from '../kit/pure/pki.ts';
import { runCli } from '../kit/programs/run-cli.ts';

let pki: TestPki;
let files: Record<string, string>;
let server: SServer | undefined;

beforeAll(async () => {
  pki = await testPki();
  files = tempFiles({ 'ca.pem': pki.ca.certPem, 'other-ca.pem': pki.untrustedCa.certPem });
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** How a run ended: completed, or the fatal alert our client sent (name, number, reason). */
function ending(eventLog: readonly EventLogEntry[]): string {
  const alert = eventLog.find((e) => e.kind === 'alert' && e.level === 2);
  if (alert?.kind === 'alert') return `${alert.from} ${alert.name} (${alert.description}): ${alert.reason}`;
  return eventLog.some((e) => e.kind === 'handshake_complete') ? 'complete' : 'neither';
}

const SUITES = [0xc02b, 0xc02f]; // ECDHE_ECDSA / ECDHE_RSA with AES_128_GCM_SHA256
const GROUPS = [0x001d, 0x0017]; // x25519, secp256r1 (the test leaves are P-256)

function labScenario(served: Issued, rootPem: string, serverName: string): LabScenario {
  return {
    version: '1.2',
    offer: SUITES,
    accept: SUITES,
    groups: GROUPS,
    clientVersions: [0x0303, 0x0303],
    serverVersions: [0x0303, 0x0303],
    serverName,
    ems: true,
    serverCertPem: served.certPem,
    serverKeyPem: served.keyPem,
    trustedRootPem: rootPem,
    postgres: 'none',
    now: Date.now(),
  };
}

describe('the CLI and the worker share one certificate verifier', () => {
  it.each([
    ['a valid chain', 'rsa', 'ca', 'localhost', 'complete'],
    ['an expired leaf', 'expired', 'ca', 'localhost', 'client certificate_expired (45)'],
    ['a leaf for another host', 'wrongHost', 'ca', 'localhost', 'client bad_certificate (42)'],
    ['a CN-only leaf for another host', 'cnOnly', 'ca', 'db.example', 'client bad_certificate (42)'],
    ['a leaf from an untrusted CA', 'untrusted', 'ca', 'localhost', 'client unknown_ca (48)'],
    ['an anchor that did not issue the leaf', 'ecdsa', 'other-ca', 'localhost', 'client unknown_ca (48)'],
  ] as const)('%s: the same verdict and alert', async (_what, leaf, root, serverName, expected) => {
    const served = pki[leaf];
    server = await startSServer(served.certPem, served.keyPem);
    const cli = await runCli([
      'handshake',
      '--connect',
      `127.0.0.1:${server.port}`,
      '--servername',
      serverName,
      '--ca',
      files[`${root}.pem`]!,
      '--json',
    ]);
    expect(cli.code, cli.stderr).toBe(expected === 'complete' ? 0 : 2);
    const viaCli = ending(eventLogFromJson(cli.stdout));
    const rootPem = root === 'ca' ? pki.ca.certPem : pki.untrustedCa.certPem;
    const viaWorker = ending((await runLab(labScenario(served, rootPem, serverName))).eventLog);
    expect(viaCli.startsWith(expected), viaCli).toBe(true);
    expect(viaWorker).toBe(viaCli);
  });
});
