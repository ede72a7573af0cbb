/**
 * The key schedule diagram's model (src/app/model/handshake/key-schedule.ts) over a seeded TLS 1.3 run of our
 * client and server: every node holds the run's own secret entry, and the drawn edges are the entries' inputs
 * (a stage's node is an input of the next stage and of its branches; the (EC)DHE input drawn is the value
 * handshake_secret was extracted from). A log without the spine (a capture and its key log) shows it unknown.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { pkiVerifier } from '../../../src/lib/tls12/pki-verifier.ts';
import type { EventLog } from '../../../src/lib/tls12/index.ts';
import { runHandshake13 } from '../../../src/lib/tls13/index.ts';
import { keyLogLineFor, keyNodes, keyScheduleView } from '../../../src/app/model/handshake/key-schedule.ts';
import { testPki, type TestPki } from '../../kit/pure/pki.ts';

let pki: TestPki;
let log: EventLog;
beforeAll(async () => {
  pki = await testPki();
  const run = await runHandshake13({
    client: { serverName: 'localhost', verifier: pkiVerifier({ anchors: [pki.ca.certDer] }) },
    server: { certificates: [{ chain: [pki.ecdsa.certDer], privateKey: pki.ecdsa.keyDer }] },
    seed: 'key-schedule',
    now: Date.now(),
    clientData: new TextEncoder().encode('ping'),
  });
  expect(run.ok, run.alert?.reason).toBe(true);
  log = run.eventLog as EventLog;
});

describe('keyScheduleView', () => {
  it('knows every node of a live run, each with the value and command of the run’s entry', () => {
    const view = keyScheduleView(log);
    expect(view.known).toBe(view.total);
    for (const n of keyNodes(view)) {
      const entry = log.find((e) => e.kind === 'secret' && e.name === n.name);
      expect(n.entry, n.name).toBe(entry);
      if (n.name !== 'ecdhe_shared_secret') expect(n.entry && 'openssl' in n.entry, n.name).toBe(true);
    }
  });

  it('draws the spine and branches the entries’ inputs name', () => {
    const view = keyScheduleView(log);
    const names = view.stages.map((s) => s.node.name);
    expect(names).toEqual([
      'early_secret',
      'derived_early',
      'handshake_secret',
      'derived_handshake',
      'master_secret',
    ]);
    view.stages.forEach((stage, i) => {
      const before = view.stages[i - 1];
      if (before) expect(stage.node.inputs).toContain(before.node.name);
      for (const b of stage.branches) {
        expect(b.node.inputs).toContain(stage.node.name);
        for (const c of b.children)
          expect(
            c.inputs.some((i) => i === b.node.name || i === 'finished_key'),
            c.name,
          ).toBe(true);
      }
    });
    expect(view.stages.map((s) => s.ikm)).toEqual([
      '0 (no PSK)',
      undefined,
      '(EC)DHE shared secret',
      undefined,
      '0',
    ]);
    const hs = view.stages[2]!;
    expect(hs.mixedIn?.entry?.value).toEqual(hs.node.entry?.inputs['(EC)DHE shared secret']);
    expect(hs.branches.map((b) => b.children.map((c) => c.name))).toEqual([
      [
        'client_handshake_traffic_secret.key',
        'client_handshake_traffic_secret.iv',
        'client_handshake_traffic_secret.finished_key',
        'client_finished.verify_data',
      ],
      [
        'server_handshake_traffic_secret.key',
        'server_handshake_traffic_secret.iv',
        'server_handshake_traffic_secret.finished_key',
        'server_finished.verify_data',
      ],
    ]);
  });

  it('a log with the traffic secrets only (a capture and its key log) leaves the spine unknown', () => {
    const traffic = log.filter((e) => e.kind !== 'secret' || /traffic_secret/.test(e.name));
    const view = keyScheduleView(traffic);
    expect(view.stages.every((s) => s.node.entry === undefined)).toBe(true);
    expect(view.known).toBeGreaterThan(0);
    expect(view.known).toBeLessThan(view.total);
  });
});

describe('what a capture does not know, and why (keyLogLineFor)', () => {
  it("a key log without the application secrets: those nodes name the missing lines, the spine names none (a review found 'its key log holds the traffic secrets' on them)", async () => {
    const { readFileSync } = await import('node:fs');
    const { openFileBytes, importConnection } = await import('../../../src/app/model/handshake/import.ts');
    const text = readFileSync('fixtures/pcap/tls13.keys.log', 'utf8')
      .split('\n')
      .filter((l) => !/^(CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET) /.test(l))
      .join('\n');
    const opened = openFileBytes(
      'tls13-lo.pcap',
      new Uint8Array(readFileSync('fixtures/pcap/tls13-lo.pcap')),
    );
    if (opened.kind !== 'capture' || !opened.capture) throw new Error('not opened');
    const { run } = await importConnection(opened.capture, 0, { name: 'partial.keys.log', text });
    const unknown = keyNodes(keyScheduleView(run.eventLog)).filter((n) => !n.entry);
    const lines = unknown.map((n) => keyLogLineFor(n.name)?.label ?? 'none');
    expect(new Set(lines)).toEqual(
      new Set(['none', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'EXPORTER_SECRET']),
    );
    // A node the key log gave a line for is known: no unknown node names a line the key log holds.
    for (const label of lines) if (label !== 'none') expect(text).not.toContain(`${label} `);
    expect(keyLogLineFor('server_application_traffic_secret_0.iv')).toEqual({
      secret: 'server_application_traffic_secret_0',
      label: 'SERVER_TRAFFIC_SECRET_0',
    });
    expect(keyLogLineFor('handshake_secret')).toBeUndefined();
  });
});
