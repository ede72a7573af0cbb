/**
 * A live TLS 1.3 run's event log (runHandshake13, our client against our server), written as the CLI's `--json`
 * writes it (`eventLogToJson`), opens in the Handshake Lab (`parseCapture`): the run is reported complete, and the
 * messages and records read back are the ones the engine wrote (ids, bytes, spans, carries, plaintext, the 1.3
 * decoding).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eventLogToJson, type EventLogEntry } from '../../../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../../../src/lib/tls12/pki-verifier.ts';
import { runHandshake13 } from '../../../src/lib/tls13/index.ts';
import { parseCapture } from '../../../src/app/model/handshake/capture.ts';
import { testPki, type TestPki } from '../../kit/pure/pki.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await testPki();
});

const enc = (s: string) => new TextEncoder().encode(s);

/** The parts of messages and records both sides of the file must agree on. */
function contents(log: readonly EventLogEntry[]): Record<string, unknown>[] {
  return log.flatMap((e): Record<string, unknown>[] => {
    if (e.kind === 'message')
      return [
        { kind: e.kind, id: e.id, from: e.from, bytes: e.bytes, spans: e.spans, message13: e.message13 },
      ];
    if (e.kind === 'record')
      return [
        {
          kind: e.kind,
          from: e.from,
          seq: e.seq,
          bytes: e.bytes,
          spans: e.spans,
          carries: e.carries,
          plaintext: e.plaintext,
          innerContentType: e.innerContentType,
          paddingLength: e.paddingLength,
        },
      ];
    return [];
  });
}

describe('a live TLS 1.3 run opens in the Handshake Lab', () => {
  it('parseCapture reads eventLogToJson of runHandshake13 back: complete, the same messages and records', async () => {
    const run = await runHandshake13({
      client: {
        serverName: 'localhost',
        verifier: pkiVerifier({ anchors: [pki.ca.certDer] }),
        alpn: ['postgresql'],
      },
      server: {
        certificates: [{ chain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer }],
        groups: [23],
        tickets: 1,
      },
      seed: 'capture-tls13',
      now: Date.now(),
      clientData: enc('ping'),
      serverData: enc('pong'),
    });
    expect(run.ok, run.alert?.reason).toBe(true);
    const written = run.eventLog as EventLogEntry[];
    const opened = parseCapture(eventLogToJson(written, 2));
    if (!opened.ok) throw new Error(`not opened: ${opened.error.reason} at ${opened.error.path}`);
    expect(opened.run.ok).toBe(true);
    const ours = contents(written);
    expect(ours.filter((e) => e.kind === 'message' && e.message13 !== undefined).length).toBeGreaterThan(8);
    expect(contents(opened.run.eventLog)).toEqual(ours);
    // The key schedule's secrets keep their source and `openssl kdf` command.
    const secrets = (log: readonly EventLogEntry[]) => log.filter((e) => e.kind === 'secret');
    expect(secrets(written).filter((e) => 'openssl' in e && e.openssl).length).toBeGreaterThan(10);
    expect(secrets(opened.run.eventLog)).toEqual(secrets(written));
  });
});
