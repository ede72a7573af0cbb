/**
 * `runHandshake13(scenario)`: our 1.3 client and server pumped against each other in memory, the whole event
 * log back (as 1.2's `runHandshake`). With a seed and a clock, two runs produce identical event logs.
 */
import { bytesEqual } from '../../bytes/index.ts';
import { logSecret, type AlertEntry, type Role } from '../../tls12/handshake/event-log.ts';
import { deterministicRandom } from '../../tls12/handshake/deterministic-random.ts';
import { roundBudget } from '../../tls12/handshake/run-handshake.ts';
import { client13Step, newClient13 } from './client.ts';
import type { Client13Config, Server13Config } from './config.ts';
import type { AnyEngineEvent, AnyEventLogEntry, HandshakeSummary13 } from './event-log.ts';
import { newServer13, server13Step } from './server.ts';
import type { Client13State, Server13State } from './states.ts';

export interface Scenario13 {
  client: Omit<Client13Config, 'random' | 'now'>;
  server: Omit<Server13Config, 'random' | 'now'>;
  /** Seed for both sides' randomness (each side its own stream); omit for real randomness. */
  seed?: string;
  /** Fixed time (ms since the epoch) for certificate checks; default: now. */
  now?: number;
  clientData?: Uint8Array;
  serverData?: Uint8Array;
  /**
   * Something on the path rewrites what the client sends before the server reads it (a middlebox). A rewritten
   * record's entry holds the bytes the server read, marked `tampered`; the client's messages stay what it sent.
   * E.g. `hideSupportedVersions`, the downgrade attack.
   */
  onPath?: (bytes: Uint8Array) => Uint8Array;
}

export interface HandshakeRun13 {
  /** TLS 1.3 entries (and TLS 1.2 ones, had the client fallen back; our 1.3 server never negotiates 1.2). */
  eventLog: AnyEventLogEntry[];
  ok: boolean;
  clientState: Client13State['name'];
  serverState: Server13State['name'];
  summary?: HandshakeSummary13;
  /** The fatal alert that ended a failed run. */
  alert?: AlertEntry;
  received: { client: Uint8Array[]; server: Uint8Array[] };
}

type Next =
  { kind: 'bytes'; data: Uint8Array } | { kind: 'application-data'; data: Uint8Array } | { kind: 'close' };

export async function runHandshake13(scenario: Scenario13): Promise<HandshakeRun13> {
  const now = scenario.now ?? Date.now();
  const rng = (side: Role) =>
    scenario.seed !== undefined ? { random: deterministicRandom(`${scenario.seed}/${side}`) } : {};
  let client = newClient13({ ...scenario.client, now: () => now, ...rng('client') });
  let server = newServer13({ ...scenario.server, now: () => now, ...rng('server') });
  const eventLog: AnyEventLogEntry[] = [];
  const secretAt = new Map<string, number>();
  const received = { client: [] as Uint8Array[], server: [] as Uint8Array[] };
  const queues: Record<Role, Uint8Array[]> = { client: [], server: [] };
  let summary: HandshakeSummary13 | undefined;
  const rewrite = (bytes: Uint8Array): Uint8Array => {
    const out = scenario.onPath?.(bytes) ?? bytes;
    if (bytesEqual(out, bytes)) return bytes;
    const at = eventLog.findLastIndex(
      (x) => x.kind === 'record' && x.from === 'client' && bytesEqual(x.bytes, bytes),
    );
    const entry = eventLog[at];
    if (entry?.kind === 'record') eventLog[at] = { ...entry, bytes: out, tampered: true };
    return out;
  };
  const take = (producer: Role, events: AnyEngineEvent[]) => {
    for (const e of events) {
      if (e.kind === 'send' && producer === 'client') queues.server.push(rewrite(e.bytes));
      else if (e.kind === 'send') queues.client.push(e.bytes);
      else if (e.kind === 'application_data' && e.from !== producer) received[producer].push(e.data);
      else if (e.kind === 'secret') logSecret(eventLog, secretAt, e);
      else if (e.kind === 'handshake_complete') {
        if (producer === 'client' && 'keyLog' in e.summary) summary = e.summary;
        eventLog.push(e);
      } else if (e.from === producer) eventLog.push(e);
    }
  };
  const stepClient = async (input: Next | { kind: 'start' }) => {
    const r = await client13Step(client, input);
    client = r.state;
    take('client', r.events);
  };
  const stepServer = async (input: Next) => {
    const r = await server13Step(server, input);
    server = r.state;
    take('server', r.events);
  };
  await stepClient({ kind: 'start' });
  const pending = { client: scenario.clientData, server: scenario.serverData };
  const budget = roundBudget(scenario.clientData, scenario.serverData);
  for (let rounds = 0; rounds < budget; rounds++) {
    if (queues.server.length > 0) await stepServer({ kind: 'bytes', data: queues.server.shift()! });
    else if (queues.client.length > 0) await stepClient({ kind: 'bytes', data: queues.client.shift()! });
    else if (client.name !== 'Established' || server.name !== 'Established') break;
    else if (pending.client) {
      await stepClient({ kind: 'application-data', data: pending.client });
      pending.client = undefined;
    } else if (pending.server) {
      await stepServer({ kind: 'application-data', data: pending.server });
      pending.server = undefined;
    } else await stepClient({ kind: 'close' });
  }
  const alert = eventLog.find((e): e is AlertEntry => e.kind === 'alert' && e.level === 2);
  return {
    eventLog,
    ok: summary !== undefined && alert === undefined,
    clientState: client.name,
    serverState: server.name,
    ...(summary ? { summary } : {}),
    ...(alert ? { alert } : {}),
    received,
  };
}
