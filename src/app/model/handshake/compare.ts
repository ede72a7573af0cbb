/**
 * TLS 1.2 and TLS 1.3 side by side: the same connection's two event logs, their steps (`buildSteps`) aligned by
 * purpose (offer, choose parameters, key exchange, server identity, ...), each side's messages with what an
 * eavesdropper sees of them, and the round trips before the client may send application data. Everything is read
 * from the two event logs; nothing here knows what a version "should" do. The words are in
 * `src/content/tls13/compare.ts`, keyed by the ids below.
 */
import {
  cipherSuite,
  ContentType,
  messageTitle,
  type EventLog,
  type MessageEntry,
  type Role,
  type SecretEntry,
} from '../../../lib/tls12/index';
import { messageName } from '../../../lib/tls13/wire/index';
import { buildSteps, eavesdropperTitle, type LabStep } from './steps';

/** The rows, in the order a handshake pursues them. */
export const PURPOSES = [
  'offer',
  'retry',
  'choose',
  'key-exchange',
  'server-identity',
  'proof-of-key',
  'client-identity',
  'server-done',
  'switch-to-encryption',
  'confirmation',
  'application-data',
  'tickets',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** What TLS 1.3 removed (RFC 8446 §1.2 and the sections the content cites). */
export const DISAPPEARED = ['static-rsa', 'change-cipher-spec', 'renegotiation', 'compression'] as const;
export type DisappearedId = (typeof DISAPPEARED)[number];

export type Wire = 'clear' | 'encrypted' | 'not-sent';

export interface CompareItem {
  /**
   * The step (in `buildSteps` of that version's event log) that carried it; for a secret, the step after which
   * it is known (-1: before the first step).
   */
  readonly step: number;
  readonly from: Role;
  /** A message's title, or a secret's name. */
  readonly title: string;
  /** How it crossed the wire: in clear, in an encrypted record, or not at all (a secret each side computes). */
  readonly wire: Wire;
  /** All an eavesdropper learns of it: the message in clear, only the record's outer type and size when encrypted. */
  readonly eavesdropper: string;
  /** The part of the message that serves this row's purpose (key_share, signature, verify_data). */
  readonly field?: string;
  /** A ChangeCipherSpec in a TLS 1.3 run: middlebox compatibility only, it switches nothing (RFC 8446 §D.4). */
  readonly middlebox?: boolean;
  /**
   * A secret: who is known to compute it. Both sides when the run completed or the log says the other side derived it
   * too (`bothSides`); else the side the log has it from, as the other stopped before.
   */
  readonly computedBy?: Role | 'both';
}

export interface CompareRow {
  readonly purpose: Purpose;
  readonly tls12: readonly CompareItem[];
  readonly tls13: readonly CompareItem[];
}

export interface Comparison {
  /** Only the purposes at least one side served. */
  readonly rows: readonly CompareRow[];
  /** Server flights the client waited for before it may send application data (undefined: no handshake). */
  readonly roundTrips: { readonly tls12?: number; readonly tls13?: number };
  /** What TLS 1.3 removed, each with whether this 1.2 run uses or offers it. */
  readonly disappeared: readonly { readonly id: DisappearedId; readonly inTls12Run: boolean }[];
  /** Both runs start with PostgreSQL's SSLRequest and 'S': one more round trip before TLS, not in `roundTrips`. */
  readonly sslRequest: boolean;
}

type Side = 'tls12' | 'tls13';

/** The secrets that stand for "from here on, records are encrypted" on each side. */
const KEY_SECRETS: Record<Side, RegExp> = {
  tls12: /^key_block$/,
  tls13: /^(client|server)_(handshake|application)_traffic_secret(_0)?$/,
};

function wireOf(step: LabStep): Wire {
  return step.record?.encrypted ? 'encrypted' : 'clear';
}

/** What an eavesdropper reads of a message: all of it in clear, else the record's outer type and size (the wire tag says which). */
function eavesdropperOf(step: LabStep, title: string): string {
  return step.record?.encrypted ? eavesdropperTitle(step) : title;
}

/** The purposes a handshake message serves in a version, and the field that serves each (if only a part does). */
function purposesOf(
  side: Side,
  m: MessageEntry,
  name: string,
  hello: { afterRetry: boolean; last: boolean },
): { purpose: Purpose; field?: string }[] {
  switch (name) {
    case 'client_hello': {
      const first: Purpose = hello.afterRetry ? 'retry' : 'offer';
      // TLS 1.3: the key share of the ClientHello the server answered (not one a HelloRetryRequest refused).
      return side === 'tls13' && hello.last
        ? [{ purpose: first }, { purpose: 'key-exchange', field: 'key_share' }]
        : [{ purpose: first }];
    }
    case 'hello_retry_request':
      return [{ purpose: 'retry' }];
    case 'server_hello':
      return side === 'tls13'
        ? [{ purpose: 'choose' }, { purpose: 'key-exchange', field: 'key_share' }]
        : [{ purpose: 'choose' }];
    case 'encrypted_extensions':
      return [{ purpose: 'choose' }];
    case 'server_key_exchange':
      return [{ purpose: 'key-exchange' }, { purpose: 'proof-of-key', field: 'signature' }];
    case 'client_key_exchange':
      return [{ purpose: 'key-exchange' }];
    case 'certificate':
    case 'certificate_verify':
      if (m.from === 'client') return [{ purpose: 'client-identity' }];
      return [{ purpose: name === 'certificate' ? 'server-identity' : 'proof-of-key' }];
    case 'certificate_request':
      return [{ purpose: 'client-identity' }];
    case 'server_hello_done':
      return [{ purpose: 'server-done' }];
    case 'finished':
      return [{ purpose: 'confirmation' }];
    case 'new_session_ticket':
      return [{ purpose: 'tickets' }];
    default:
      return [];
  }
}

/** Static RSA: the server proves its key only by decrypting the pre-master secret, which its Finished shows. */
function staticRsa(log: EventLog): boolean {
  return log.some(
    (e) => e.kind === 'message' && e.message.type === 'client_key_exchange' && e.message.kind === 'rsa',
  );
}

/** Each side's items by purpose, read from one event log's steps. */
function sideItems(
  side: Side,
  log: EventLog,
  built: ReturnType<typeof buildSteps>,
): Map<Purpose, CompareItem[]> {
  const { steps, preSecrets } = built;
  const out = new Map<Purpose, CompareItem[]>();
  const add = (purpose: Purpose, item: CompareItem) => out.set(purpose, [...(out.get(purpose) ?? []), item]);
  const seen = new Set<string>();
  const firstData = new Set<Role>();
  let afterRetry = false;
  const lastHello = log.findLast(
    (e) => e.kind === 'message' && e.from === 'client' && e.name === 'client_hello',
  );
  const rsa = side === 'tls12' && staticRsa(log);
  const completed = (['client', 'server'] as const).every((r) =>
    log.some((e) => e.kind === 'handshake_complete' && e.from === r),
  );
  for (const secret of preSecrets)
    if (KEY_SECRETS[side].test(secret.name)) add('switch-to-encryption', secretItem(-1, secret, completed));
  for (const step of steps) {
    for (const m of step.messages) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      const name = messageName(m);
      const title = messageTitle(name);
      const base = { step: step.index, from: m.from, title, wire: wireOf(step) };
      const item = { ...base, eavesdropper: eavesdropperOf(step, title) };
      for (const p of purposesOf(side, m, name, { afterRetry, last: m === lastHello }))
        add(p.purpose, p.field ? { ...item, field: p.field } : item);
      if (rsa && name === 'finished' && m.from === 'server')
        add('proof-of-key', { ...item, field: 'verify_data' });
      if (name === 'hello_retry_request') afterRetry = true;
    }
    const isCcs =
      step.record?.contentType === ContentType.values.change_cipher_spec && !step.record.encrypted;
    if (isCcs) {
      const title = 'ChangeCipherSpec';
      add('switch-to-encryption', {
        step: step.index,
        from: step.from,
        title,
        wire: 'clear',
        eavesdropper: eavesdropperOf(step, title),
        ...(side === 'tls13' ? { middlebox: true } : {}),
      });
    }
    if (step.applicationData && !firstData.has(step.from)) {
      firstData.add(step.from);
      add('application-data', {
        step: step.index,
        from: step.from,
        title: step.title,
        wire: wireOf(step),
        eavesdropper: eavesdropperOf(step, step.title),
      });
    }
    for (const secret of step.secrets)
      if (KEY_SECRETS[side].test(secret.name))
        add('switch-to-encryption', secretItem(step.index, secret, completed));
  }
  return out;
}

function secretItem(step: number, secret: SecretEntry, completed: boolean): CompareItem {
  return {
    step,
    from: secret.from,
    title: secret.name,
    wire: 'not-sent',
    eavesdropper: 'never on the wire, so the eavesdropper sees nothing of it',
    computedBy: completed || secret.bothSides ? 'both' : secret.from,
  };
}

/**
 * How many server flights the client waits for before it may send application data: the flights up to the
 * later of the two Finished messages (TLS 1.2's full handshake: the server's; TLS 1.3: the client's, sent with
 * its first data). PostgreSQL's SSLRequest, before TLS, is not counted (it costs both versions one more).
 */
export function roundTripsBeforeData(steps: readonly LabStep[]): number | undefined {
  const finished = (from: Role) =>
    steps.find((s) => s.from === from && s.messages.some((m) => m.from === from && m.name === 'finished'));
  const client = finished('client');
  const server = finished('server');
  if (!client || !server) return undefined;
  const point = Math.max(client.index, server.index);
  let flights = 0;
  let previous: Role | undefined;
  for (const s of steps.slice(0, point + 1)) {
    if (!s.record) continue;
    if (s.from === 'server' && previous !== 'server') flights += 1;
    previous = s.from;
  }
  return flights;
}

function firstClientHello(log: EventLog) {
  for (const e of log)
    if (e.kind === 'message' && e.from === 'client' && e.message.type === 'client_hello') return e.message;
  return undefined;
}

/** Whether the 1.2 run uses or offers each mechanism TLS 1.3 removed (read from its messages and records). */
function inTls12Run(id: DisappearedId, log: EventLog): boolean {
  const hello = firstClientHello(log);
  switch (id) {
    case 'static-rsa':
      return staticRsa(log) || (hello?.cipherSuites.some((c) => cipherSuite(c)?.kex === 'rsa') ?? false);
    case 'change-cipher-spec':
      return log.some((e) => e.kind === 'change_cipher_spec');
    case 'renegotiation':
      // A second handshake on the connection (HelloRequest, or a ClientHello after the first); the
      // renegotiation_info extension or SCSV every 1.2 ClientHello of ours carries (RFC 5746) only says the
      // client would do it securely, it renegotiates nothing.
      return (
        log.some((e) => e.kind === 'message' && e.message.type === 'hello_request') ||
        log.filter((e) => e.kind === 'message' && e.from === 'client' && e.message.type === 'client_hello')
          .length > 1
      );
    case 'compression':
      return hello?.compressionMethods.some((m) => m !== 0) ?? false;
  }
}

/** The same connection in TLS 1.2 and TLS 1.3, aligned by purpose. */
export function compareRuns(tls12: EventLog, tls13: EventLog): Comparison {
  const built12 = buildSteps(tls12);
  const built13 = buildSteps(tls13);
  const a = sideItems('tls12', tls12, built12);
  const b = sideItems('tls13', tls13, built13);
  const rows = PURPOSES.flatMap((purpose): CompareRow[] => {
    const row = { purpose, tls12: a.get(purpose) ?? [], tls13: b.get(purpose) ?? [] };
    return row.tls12.length + row.tls13.length > 0 ? [row] : [];
  });
  const r12 = roundTripsBeforeData(built12.steps);
  const r13 = roundTripsBeforeData(built13.steps);
  return {
    rows,
    roundTrips: {
      ...(r12 !== undefined ? { tls12: r12 } : {}),
      ...(r13 !== undefined ? { tls13: r13 } : {}),
    },
    disappeared: DISAPPEARED.map((id) => ({ id, inTls12Run: inTls12Run(id, tls12) })),
    sslRequest: [tls12, tls13].every((log) =>
      log.some((e) => e.kind === 'postgres' && e.from === 'client' && e.label === 'SSLRequest'),
    ),
  };
}
