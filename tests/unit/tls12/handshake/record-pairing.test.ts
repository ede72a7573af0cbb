/**
 * Records carry the ids of the content they hold (RecordEntry.carries), from the engine, on both sides of a
 * connection: the sender's record and the receiver's copy of it name the same content, a record that packs a
 * whole flight (as OpenSSL may send it) names every message in it, and a message over 16 KiB is carried by
 * each of its records. The Handshake Lab's steps read this pairing (buildSteps), never guess it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/bytes/index.ts';
import {
  acceptAnyCertificate,
  clientStep,
  newClient,
  newServer,
  placeInTunnel,
  runHandshake,
  serverStep,
  type ClientState,
  type EngineEvent,
  type ServerState,
  type EventLogEntry,
} from '../../../../src/lib/tls12/handshake/index.ts';
import { decodeRecord, encodeRecord } from '../../../../src/lib/tls12/wire/record.ts';
import { buildSteps } from '../../../../src/app/model/handshake/steps.ts';
import { testPki, type TestPki } from '../../../kit/pure/pki.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await testPki();
});

const NOW = Date.now();
const enc = (s: string) => new TextEncoder().encode(s);

type Side = 'client' | 'server';
interface Pumped {
  /** Everything each side's engine reported, in order (its own sends and what it received). */
  seen: Record<Side, EventLogEntry[]>;
}

/**
 * Our client and server pumped by hand, each side's event log kept whole (runHandshake keeps only the
 * sender's copy). `rewrite` may change what the server's step sends before the client reads it.
 */
async function pump(
  chain: Uint8Array[],
  rewrite: (sends: Uint8Array[]) => Uint8Array[] = (s) => s,
): Promise<Pumped> {
  let client: ClientState = newClient({
    serverName: 'localhost',
    verifier: acceptAnyCertificate,
    now: () => NOW,
  });
  let server: ServerState = newServer({
    certificateChain: chain,
    privateKey: pki.rsa.keyDer,
    now: () => NOW,
  });
  const seen: Pumped['seen'] = { client: [], server: [] };
  const wire: Record<Side, Uint8Array[]> = { client: [], server: [] };
  const take = (side: Side, events: EngineEvent[]) => {
    const sends: Uint8Array[] = [];
    for (const e of events) {
      if (e.kind === 'send') sends.push(e.bytes);
      else seen[side].push(e);
    }
    const to: Side = side === 'client' ? 'server' : 'client';
    wire[to].push(...(side === 'server' ? rewrite(sends) : sends));
  };
  let r = await clientStep(client, { kind: 'start' });
  client = r.state;
  take('client', r.events);
  let dataSent = false;
  for (let i = 0; i < 64; i++) {
    if (wire.server.length > 0) {
      const s = await serverStep(server, { kind: 'bytes', data: wire.server.shift()! });
      server = s.state;
      take('server', s.events);
    } else if (wire.client.length > 0) {
      r = await clientStep(client, { kind: 'bytes', data: wire.client.shift()! });
      client = r.state;
      take('client', r.events);
    } else if (client.name === 'Established' && !dataSent) {
      dataSent = true;
      r = await clientStep(client, { kind: 'application-data', data: enc('hello') });
      client = r.state;
      take('client', r.events);
      const s = await serverStep(server, { kind: 'application-data', data: enc('world') });
      server = s.state;
      take('server', s.events);
    } else if (client.name === 'Established') {
      r = await clientStep(client, { kind: 'close' });
      client = r.state;
      take('client', r.events);
    } else break;
  }
  return { seen };
}

/** The full handshake, one record per message, as the steps title it (sender, then title). */
const HANDSHAKE = [
  'client ClientHello',
  'server ServerHello',
  'server Certificate',
  'server ServerKeyExchange',
  'server ServerHelloDone',
  'client ClientKeyExchange',
  'client ChangeCipherSpec',
  'client Finished',
  'server ChangeCipherSpec',
  'server Finished',
];

const KIND_OF_TYPE: Record<number, string> = {
  20: 'change_cipher_spec',
  21: 'alert',
  22: 'message',
  23: 'application_data',
};

/** Every record names content of its own type from its own sender, and every content item is carried. */
function expectConsistent(eventLog: EventLogEntry[]): void {
  const byId = new Map<string, EventLogEntry>();
  for (const e of eventLog) if ('id' in e) byId.set(e.id, e);
  const carried = new Set<string>();
  for (const e of eventLog) {
    if (e.kind !== 'record') continue;
    expect(e.carries.length, `record ${e.from} ${e.seq}`).toBeGreaterThan(0);
    for (const id of e.carries) {
      const c = byId.get(id);
      expect(c?.kind, id).toBe(KIND_OF_TYPE[e.contentType]);
      expect(c && 'from' in c && c.from).toBe(e.from);
      carried.add(id);
    }
  }
  expect([...byId.keys()].filter((id) => !carried.has(id))).toEqual([]);
}

describe('records carry the ids of their content', () => {
  it('in runHandshake (the lab): each record names the message, CCS, alert or data it carries', async () => {
    const run = await runHandshake({
      client: { serverName: 'localhost', verifier: acceptAnyCertificate },
      server: { certificateChain: [pki.rsa.certDer], privateKey: pki.rsa.keyDer },
      seed: 'pairing',
      now: NOW,
      clientData: enc('ping'),
      serverData: enc('pong'),
    });
    expectConsistent(run.eventLog);
    const { steps } = buildSteps(run.eventLog);
    expect(steps.map((s) => `${s.from} ${s.title}`)).toEqual([
      ...HANDSHAKE,
      'client Application data',
      'server Application data',
      'client Alert: close_notify',
      'server Alert: close_notify',
    ]);
    const serverFinished = steps.find((s) => s.title === 'Finished' && s.from === 'server');
    expect(serverFinished?.record?.encrypted).toBe(true);
    expect(serverFinished?.messages[0]?.bytes.length).toBe(16);
  });

  it("the receiver's copy of each record names the same content as the sender's", async () => {
    const { seen } = await pump([pki.rsa.certDer]);
    expectConsistent(seen.client);
    expectConsistent(seen.server);
    for (const [sender, receiver] of [
      ['client', 'server'],
      ['server', 'client'],
    ] as const) {
      const sent = seen[sender].filter((e) => e.kind === 'record' && e.from === sender);
      const got = seen[receiver].filter((e) => e.kind === 'record' && e.from === sender);
      expect(got.length).toBeGreaterThan(5);
      const key = (e: EventLogEntry) => (e.kind === 'record' ? `${toHex(e.bytes)} ${e.carries.join()}` : '');
      // The receiver saw a prefix of what was sent (the client's close_notify may be the last word).
      expect(got.map(key)).toEqual(sent.slice(0, got.length).map(key));
    }
    // The client's own view of the handshake, as a capture shows it, step by step.
    const { steps } = buildSteps(seen.client);
    expect(steps.slice(0, 10).map((s) => `${s.from} ${s.title}`)).toEqual(HANDSHAKE);
    expect(steps[9]?.messages[0]?.bytes.length).toBe(16);
    expect(steps[9]?.record?.encrypted).toBe(true);
  });

  it('one record holding a whole flight names every message in it, in order', async () => {
    // Pack the server's first flight into one handshake record, as a server may.
    const coalesce = (sends: Uint8Array[]) => {
      const records = sends.map((b) => decodeRecord(b).message);
      if (records.length < 2 || records.some((r) => r.contentType !== 22)) return sends;
      const fragment = new Uint8Array(records.reduce((n, r) => n + r.fragment.length, 0));
      let at = 0;
      for (const r of records) {
        fragment.set(r.fragment, at);
        at += r.fragment.length;
      }
      return [encodeRecord({ contentType: 22, version: records[0]!.version, fragment })];
    };
    const { seen } = await pump([pki.rsa.certDer], coalesce);
    expectConsistent(seen.client);
    const flight = seen.client.find((e) => e.kind === 'record' && e.from === 'server');
    expect(flight?.kind === 'record' && flight.carries).toEqual([
      'server:0',
      'server:1',
      'server:2',
      'server:3',
    ]);
    const { steps } = buildSteps(seen.client);
    expect(steps[1]?.title).toBe('ServerHello + Certificate + ServerKeyExchange + ServerHelloDone');
  });

  it('a Certificate over 16 KiB is carried by two records, each naming it', async () => {
    const chain = Array.from({ length: Math.ceil(20_000 / pki.rsa.certDer.length) }, () => pki.rsa.certDer);
    const { seen } = await pump(chain);
    expectConsistent(seen.client);
    const certRecords = seen.client.filter(
      (e) => e.kind === 'record' && e.from === 'server' && e.carries.includes('server:1'),
    );
    expect(certRecords).toHaveLength(2);
    const { steps } = buildSteps(seen.client);
    expect(steps.filter((s) => s.messages[0]?.name === 'certificate').map((s) => s.title)).toEqual([
      'Certificate (part 1 of 2)',
      'Certificate (part 2 of 2)',
    ]);
  });

  it('placeInTunnel puts a PostgreSQL message right after the application data that completed it', () => {
    const data = (id: string): EventLogEntry => ({
      kind: 'application_data',
      id,
      from: 'server',
      data: new Uint8Array(1),
    });
    const pg = (label: string, carriedIn: string[]): EventLogEntry => ({
      kind: 'postgres',
      from: 'server',
      label,
      bytes: new Uint8Array(1),
      spans: [],
      inTunnel: true,
      carriedIn,
    });
    const closed: EventLogEntry = { kind: 'closed', from: 'client', reason: 'sent close_notify' };
    const placed = placeInTunnel([
      data('server:5'),
      data('server:6'),
      closed,
      pg('A', ['server:5']),
      pg('B', ['server:5', 'server:6']),
      pg('C', ['server:6']),
    ]);
    expect(placed.map((e) => (e.kind === 'postgres' ? e.label : 'id' in e ? e.id : e.kind))).toEqual([
      'server:5',
      'A',
      'server:6',
      'B',
      'C',
      'closed',
    ]);
  });
});
