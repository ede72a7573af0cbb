/**
 * TLS 1.2 and TLS 1.3 side by side (src/app/model/handshake/compare.ts): both engines run the same connection
 * (seeded, our client against our server, the same certificate), and the rows read from their event logs say
 * what each version's steps say: the certificate in clear in 1.2 and encrypted in 1.3, two round trips against
 * one (two again after a HelloRetryRequest), the ChangeCipherSpec real in 1.2 and for middleboxes in 1.3.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { pkiVerifier } from '../../../src/lib/tls12/pki-verifier.ts';
import { runHandshake, type EventLog } from '../../../src/lib/tls12/index.ts';
import { runHandshake13 } from '../../../src/lib/tls13/index.ts';
import {
  compareRuns,
  DISAPPEARED,
  PURPOSES,
  type CompareItem,
  type Comparison,
  type Purpose,
} from '../../../src/app/model/handshake/compare.ts';
import { buildSteps } from '../../../src/app/model/handshake/steps.ts';
import { DISAPPEARED_TEXT, PURPOSE_TEXT } from '../../../src/content/tls13/compare.ts';
import { testPki, type TestPki } from '../../kit/pure/pki.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await testPki();
});

const NOW = Date.now();
const enc = (s: string) => new TextEncoder().encode(s);

async function run12(over: { suites?: number[]; sessionTicket?: boolean } = {}): Promise<EventLog> {
  const run = await runHandshake({
    client: {
      serverName: 'localhost',
      verifier: pkiVerifier({ anchors: [pki.ca.certDer] }),
      ...(over.suites ? { suites: over.suites } : {}),
    },
    server: { certificateChain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer },
    seed: 'compare',
    now: NOW,
    clientData: enc('ping'),
    serverData: enc('pong'),
  });
  expect(run.ok, run.alert?.reason).toBe(true);
  return run.eventLog;
}

async function run13(over: { serverGroups?: number[]; tickets?: number } = {}): Promise<EventLog> {
  const run = await runHandshake13({
    client: { serverName: 'localhost', verifier: pkiVerifier({ anchors: [pki.ca.certDer] }) },
    server: {
      certificates: [{ chain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer }],
      ...(over.serverGroups ? { groups: over.serverGroups } : {}),
      tickets: over.tickets ?? 1,
    },
    seed: 'compare',
    now: NOW,
    clientData: enc('ping'),
    serverData: enc('pong'),
  });
  expect(run.ok, run.alert?.reason).toBe(true);
  return run.eventLog as EventLog;
}

const row = (c: Comparison, purpose: Purpose) => c.rows.find((r) => r.purpose === purpose);
const titles = (items: readonly CompareItem[] | undefined) =>
  (items ?? []).map((i) => `${i.from}:${i.title}`);

describe('compareRuns: the same connection in TLS 1.2 and TLS 1.3', () => {
  it('the server certificate is in clear in 1.2 and encrypted in 1.3, and the eavesdropper reads only a size', async () => {
    const c = compareRuns(await run12(), await run13());
    const identity = row(c, 'server-identity');
    expect(titles(identity?.tls12)).toEqual(['server:Certificate']);
    expect(titles(identity?.tls13)).toEqual(['server:Certificate']);
    expect(identity?.tls12[0]?.wire).toBe('clear');
    expect(identity?.tls12[0]?.eavesdropper).toBe('Certificate');
    expect(identity?.tls12[0]?.wire).toBe('clear');
    expect(identity?.tls13[0]?.wire).toBe('encrypted');
    expect(identity?.tls13[0]?.eavesdropper).toMatch(/^Application data record, \d+ bytes of ciphertext$/);
  });

  it('each item points at the step of its own version that carried it', async () => {
    const logs = { tls12: await run12(), tls13: await run13() };
    const c = compareRuns(logs.tls12, logs.tls13);
    for (const side of ['tls12', 'tls13'] as const) {
      const { steps } = buildSteps(logs[side]);
      for (const r of c.rows)
        for (const item of r[side]) {
          if (item.wire === 'not-sent') {
            expect(item.step === -1 || steps[item.step]?.secrets.some((s) => s.name === item.title)).toBe(
              true,
            );
            continue;
          }
          const step = steps[item.step];
          expect(step?.from).toBe(item.from);
          expect(step?.record?.encrypted ?? false).toBe(item.wire === 'encrypted');
          if (r.purpose !== 'switch-to-encryption' && r.purpose !== 'application-data')
            expect(step?.title.split(' + ')).toContain(item.title);
        }
    }
  });

  it('counts two round trips before the client may send data in 1.2, one in 1.3', async () => {
    const c = compareRuns(await run12(), await run13());
    expect(c.roundTrips).toEqual({ tls12: 2, tls13: 1 });
  });

  it('a HelloRetryRequest costs 1.3 the round trip back, and its row shows the retry', async () => {
    const c = compareRuns(await run12(), await run13({ serverGroups: [24] }));
    expect(c.roundTrips.tls13).toBe(2);
    const retry = row(c, 'retry');
    expect(retry?.tls12).toEqual([]);
    expect(titles(retry?.tls13)).toEqual(['server:HelloRetryRequest', 'client:ClientHello']);
    // The key share that counts is the second ClientHello's, answered by the ServerHello.
    const kex = row(c, 'key-exchange')?.tls13 ?? [];
    expect(titles(kex)).toEqual(['client:ClientHello', 'server:ServerHello']);
    expect(kex[0]?.step).toBe(retry?.tls13[1]?.step);
  });

  it('key exchange: ServerKeyExchange and ClientKeyExchange in 1.2, the key_share of the hellos in 1.3', async () => {
    const c = compareRuns(await run12(), await run13());
    const kex = row(c, 'key-exchange');
    expect(titles(kex?.tls12)).toEqual(['server:ServerKeyExchange', 'client:ClientKeyExchange']);
    expect(kex?.tls13.map((i) => i.field)).toEqual(['key_share', 'key_share']);
    expect(titles(row(c, 'proof-of-key')?.tls12)).toEqual(['server:ServerKeyExchange']);
    expect(row(c, 'proof-of-key')?.tls12[0]?.field).toBe('signature');
    expect(titles(row(c, 'proof-of-key')?.tls13)).toEqual(['server:CertificateVerify']);
    expect(row(c, 'proof-of-key')?.tls13[0]?.wire).toBe('encrypted');
    expect(titles(row(c, 'choose')?.tls13)).toEqual(['server:ServerHello', 'server:EncryptedExtensions']);
    expect(titles(row(c, 'server-done')?.tls12)).toEqual(['server:ServerHelloDone']);
    expect(row(c, 'server-done')?.tls13).toEqual([]);
  });

  it('ChangeCipherSpec switches keys in 1.2; in 1.3 it is for middleboxes, and the key schedule switches', async () => {
    const c = compareRuns(await run12(), await run13());
    const sw = row(c, 'switch-to-encryption');
    const ccs12 = sw?.tls12.filter((i) => i.title === 'ChangeCipherSpec') ?? [];
    const ccs13 = sw?.tls13.filter((i) => i.title === 'ChangeCipherSpec') ?? [];
    expect(ccs12.map((i) => [i.from, i.middlebox])).toEqual([
      ['client', undefined],
      ['server', undefined],
    ]);
    expect(ccs13.length).toBeGreaterThan(0);
    expect(ccs13.every((i) => i.middlebox === true && i.wire === 'clear')).toBe(true);
    expect(sw?.tls13.filter((i) => i.wire === 'not-sent').map((i) => i.title)).toEqual([
      'client_handshake_traffic_secret',
      'server_handshake_traffic_secret',
      'client_application_traffic_secret_0',
      'server_application_traffic_secret_0',
    ]);
    expect(sw?.tls12.filter((i) => i.wire === 'not-sent').map((i) => i.title)).toEqual(['key_block']);
  });

  it('Finished is encrypted in both; the 1.3 ticket is encrypted; the first data of each side is found', async () => {
    const c = compareRuns(await run12(), await run13());
    const fin = row(c, 'confirmation');
    expect(titles(fin?.tls12)).toEqual(['client:Finished', 'server:Finished']);
    expect(titles(fin?.tls13)).toEqual(['server:Finished', 'client:Finished']);
    expect([...(fin?.tls12 ?? []), ...(fin?.tls13 ?? [])].every((i) => i.wire === 'encrypted')).toBe(true);
    expect(titles(row(c, 'tickets')?.tls13)).toEqual(['server:NewSessionTicket']);
    expect(row(c, 'tickets')?.tls13[0]?.wire).toBe('encrypted');
    const data = row(c, 'application-data');
    expect(data?.tls12.map((i) => i.from)).toEqual(['client', 'server']);
    expect(data?.tls13.map((i) => i.from)).toEqual(['client', 'server']);
  });

  it('rows keep the purposes order and drop purposes neither run served', async () => {
    const c = compareRuns(await run12(), await run13({ tickets: 0 }));
    const order = c.rows.map((r) => PURPOSES.indexOf(r.purpose));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(c.rows.map((r) => r.purpose)).not.toContain('tickets');
    expect(c.rows.map((r) => r.purpose)).not.toContain('retry');
    expect(c.rows.map((r) => r.purpose)).not.toContain('client-identity');
  });

  it('static RSA: 1.2 proves the key only with its Finished, and the removed list says the run used it', async () => {
    const rsa = compareRuns(await run12({ suites: [0x009c] }), await run13());
    const proof = rsa.rows.find((r) => r.purpose === 'proof-of-key');
    expect(titles(proof?.tls12)).toEqual(['server:Finished']);
    expect(proof?.tls12[0]?.field).toBe('verify_data');
    expect(titles(row(rsa, 'key-exchange')?.tls12)).toEqual(['client:ClientKeyExchange']);
    const used = Object.fromEntries(rsa.disappeared.map((d) => [d.id, d.inTls12Run]));
    expect(used['static-rsa']).toBe(true);
    expect(used['change-cipher-spec']).toBe(true);
    expect(used['compression']).toBe(false);
    // Our ClientHello signals RFC 5746 secure renegotiation, but no second handshake happens.
    expect(used['renegotiation']).toBe(false);
    const ecdhe = compareRuns(await run12({ suites: [0xc02f] }), await run13());
    expect(ecdhe.disappeared.find((d) => d.id === 'static-rsa')?.inTls12Run).toBe(false);
  });

  it('a failed run has no round-trip count', async () => {
    const failed = await runHandshake13({
      client: { serverName: 'localhost', verifier: pkiVerifier({ anchors: [pki.untrustedCa.certDer] }) },
      server: { certificates: [{ chain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer }] },
      seed: 'compare',
      now: NOW,
    });
    expect(failed.ok).toBe(false);
    const c = compareRuns(await run12(), failed.eventLog as EventLog);
    expect(c.roundTrips).toEqual({ tls12: 2 });
  });

  it('every purpose and every removed mechanism has its words', () => {
    for (const p of PURPOSES) expect(PURPOSE_TEXT[p].title.length).toBeGreaterThan(0);
    for (const d of DISAPPEARED) expect(DISAPPEARED_TEXT[d].rfc).toMatch(/^RFC 8446 §/);
  });
});
