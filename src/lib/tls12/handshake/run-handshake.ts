/**
 * `runHandshake(scenario)`: our client and our server pumped against each other in memory, the full
 * event log back. With a seed and a clock in the scenario, two runs produce identical event logs.
 */
import type { ClientConfig, ServerConfig } from './config.ts';
import { clientStep, newClient } from './client.ts';
import type { EngineEvent } from './connection.ts';
import { deterministicRandom } from './deterministic-random.ts';
import { newServer, serverStep } from './server.ts';
import type { ClientState, ServerState } from './states.ts';
import { logSecret, type AlertEntry, type HandshakeSummary, type Role, type EventLog } from './event-log.ts';
import { MAX_PLAINTEXT_LENGTH } from '../wire/record.ts';

/**
 * How many deliveries a run in memory may take before it stops (against two engines that would answer each other
 * forever): 64 for the handshake and the closing, plus one for each record the application data fills, so that all
 * the data given is delivered (both versions' records carry at most 2^14 bytes of it).
 */
export function roundBudget(...data: (Uint8Array | undefined)[]): number {
  return 64 + data.reduce((n, d) => n + Math.ceil((d?.length ?? 0) / MAX_PLAINTEXT_LENGTH), 0);
}

export interface Scenario {
  client: Omit<ClientConfig, 'random' | 'now'>;
  server: Omit<ServerConfig, 'random' | 'now'>;
  /** Seed for both sides' randomness (each side gets its own stream); omit for real randomness. */
  seed?: string;
  /** Fixed time (ms since the epoch) for certificate validity; default: now. */
  now?: number;
  /** Application data each side sends once established (e.g. a request and a response). */
  clientData?: Uint8Array;
  serverData?: Uint8Array;
}

export interface HandshakeRun {
  eventLog: EventLog;
  ok: boolean;
  clientState: ClientState['name'];
  serverState: ServerState['name'];
  summary?: HandshakeSummary;
  /** The fatal alert that ended a failed run, with who sent it and why. */
  alert?: AlertEntry;
  /** Application data each side received. */
  received: { client: Uint8Array[]; server: Uint8Array[] };
}

export async function runHandshake(scenario: Scenario): Promise<HandshakeRun> {
  const now = scenario.now ?? Date.now();
  const clock = () => now;
  const rng = (side: Role) =>
    scenario.seed !== undefined ? { random: deterministicRandom(`${scenario.seed}/${side}`) } : {};
  let client = newClient({ ...scenario.client, now: clock, ...rng('client') });
  let server = newServer({ ...scenario.server, now: clock, ...rng('server') });

  const eventLog: EventLog = [];
  const secretAt = new Map<string, number>();
  const received = { client: [] as Uint8Array[], server: [] as Uint8Array[] };
  const queues: Record<Role, Uint8Array[]> = { client: [], server: [] };
  let summary: HandshakeSummary | undefined;

  const take = (producer: Role, events: EngineEvent[]) => {
    for (const e of events) {
      if (e.kind === 'send') {
        queues[producer === 'client' ? 'server' : 'client'].push(e.bytes);
        continue;
      }
      if (e.kind === 'application_data' && e.from !== producer) received[producer].push(e.data);
      if (e.kind === 'secret') {
        logSecret(eventLog, secretAt, e);
        continue;
      }
      if (e.kind === 'handshake_complete') {
        if (producer === 'client') summary = e.summary;
        eventLog.push(e);
        continue;
      }
      // Each record, message and alert appears once, as its sender produced it (with plaintext and reason).
      if (e.from === producer) eventLog.push(e);
    }
  };

  let r1 = await clientStep(client, { kind: 'start' });
  client = r1.state;
  take('client', r1.events);
  let sentClientData = false;
  let sentServerData = false;
  const budget = roundBudget(scenario.clientData, scenario.serverData);
  for (let rounds = 0; rounds < budget; rounds++) {
    if (queues.server.length > 0) {
      const r = await serverStep(server, { kind: 'bytes', data: queues.server.shift()! });
      server = r.state;
      take('server', r.events);
      continue;
    }
    if (queues.client.length > 0) {
      r1 = await clientStep(client, { kind: 'bytes', data: queues.client.shift()! });
      client = r1.state;
      take('client', r1.events);
      continue;
    }
    if (client.name === 'Established' && server.name === 'Established') {
      if (scenario.clientData && !sentClientData) {
        sentClientData = true;
        r1 = await clientStep(client, { kind: 'application-data', data: scenario.clientData });
        client = r1.state;
        take('client', r1.events);
        continue;
      }
      if (scenario.serverData && !sentServerData) {
        sentServerData = true;
        const r = await serverStep(server, { kind: 'application-data', data: scenario.serverData });
        server = r.state;
        take('server', r.events);
        continue;
      }
      r1 = await clientStep(client, { kind: 'close' });
      client = r1.state;
      take('client', r1.events);
      continue;
    }
    break;
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
