import { concatBytes } from '../../../lib/bytes/index';
import { messageTitle, ProtocolVersion, RECORD_HEADER_LENGTH } from '../../../lib/tls12/index';
import { messageName } from '../../../lib/tls13/wire/index';
import type {
  AlertEntry,
  ApplicationDataEntry,
  ChangeCipherSpecEntry,
  MessageEntry,
  PostgresEntry,
  RecordEntry,
  SecretEntry,
  EventLog,
  HandshakeSummary,
  Role,
} from '../../../lib/tls12/index';
import type { DiagramStep } from '../../components/SequenceDiagram';

/**
 * One step of the Handshake Lab: what crossed the wire at once (a record, or a PostgreSQL preamble
 * message), the content it carried (as the engine paired it), and the secrets that became known right after it.
 */
export interface LabStep {
  readonly index: number;
  readonly from: Role;
  readonly title: string;
  readonly record?: RecordEntry;
  /** A PostgreSQL message sent in clear before TLS (SSLRequest, the server's answer). */
  readonly preamble?: PostgresEntry;
  readonly messages: readonly MessageEntry[];
  /** When the record holds only a part of a handshake message that spans several records. */
  readonly part?: { readonly n: number; readonly of: number };
  readonly alert?: AlertEntry;
  readonly applicationData?: Uint8Array;
  /** PostgreSQL messages in the tunnel whose last bytes this record carried (decrypted). */
  readonly tunnelled: readonly PostgresEntry[];
  /** Secrets derived (by either side) after this step and before the next one. */
  readonly secrets: readonly SecretEntry[];
}

const CONTENT_TITLES: Record<number, string> = {
  20: 'ChangeCipherSpec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application data',
};

/**
 * Whether a run is TLS 1.3: its summary says so, the server answered in TLS 1.3 (a message of its with a 1.3
 * decoding: ServerHello or HelloRetryRequest), a record carries an inner content type, or a 1.3 ClientHello got no
 * handshake message back (a server that refused it with an alert). A 1.3 ClientHello answered in TLS 1.2 (a 1.2-only
 * server, or a downgrade) is not.
 */
export function isTls13Run(eventLog: EventLog): boolean {
  let offered13 = false;
  let answered = false;
  for (const e of eventLog) {
    if (e.kind === 'handshake_complete' && e.summary.version === ProtocolVersion.values.TLSv1_3) return true;
    if (e.kind === 'record' && e.innerContentType !== undefined) return true;
    if (e.kind !== 'message') continue;
    if (e.from === 'server') {
      if (e.message13 !== undefined) return true;
      answered = true;
    } else if (e.message13 !== undefined) offered13 = true;
  }
  return offered13 && !answered;
}

/** The bytes of ciphertext an eavesdropper sees after a protected record's header. */
export function ciphertextLength(record: { bytes: Uint8Array }): number {
  return record.bytes.length - RECORD_HEADER_LENGTH;
}

/** A record's outer content type in words (all an eavesdropper reads of an encrypted record). */
export function contentTypeTitle(contentType: number): string {
  return CONTENT_TITLES[contentType] ?? `Record type ${contentType}`;
}

/** A step as the lab's status says it to a screen reader: its direction and its title (the eavesdropper's, in that view). */
export function stepSpoken(step: LabStep, eavesdropper: boolean): string {
  const direction = step.from === 'client' ? 'client to server' : 'server to client';
  return `${direction}, ${eavesdropper ? eavesdropperTitle(step) : step.title}`;
}

/**
 * A step's title as an eavesdropper reads it: an encrypted record is its outer content type and its size (in TLS
 * 1.3 every encrypted record says application data); what travels in clear keeps its title.
 */
export function eavesdropperTitle(step: Pick<LabStep, 'title' | 'record'>): string {
  return step.record?.encrypted
    ? `${contentTypeTitle(step.record.contentType)} record, ${ciphertextLength(step.record)} bytes of ciphertext`
    : step.title;
}

type CarriedEntry = MessageEntry | AlertEntry | ApplicationDataEntry | ChangeCipherSpecEntry;

function tunnelTitle(tunnelled: readonly PostgresEntry[]): string {
  const labels = tunnelled.map((p) => p.label);
  if (labels.length <= 3) return labels.join(' + ');
  return `${labels.slice(0, 2).join(' + ')} + ${labels.length - 2} more`;
}

function recordTitle(
  record: RecordEntry,
  step: Omit<LabStep, 'title' | 'index' | 'from' | 'secrets'>,
): string {
  const base = contentTypeTitle(record.contentType);
  if (step.messages.length > 0) {
    const names = step.messages.map((m) => messageTitle(messageName(m))).join(' + ');
    return step.part ? `${names} (part ${step.part.n} of ${step.part.of})` : names;
  }
  if (step.alert) return `Alert: ${step.alert.name}`;
  if (step.tunnelled.length > 0) return `${base}: ${tunnelTitle(step.tunnelled)}`;
  if (record.error) return `${base} (could not be opened)`;
  return base;
}

/**
 * The steps of an event log. A record's content is what the engine says it carries (`RecordEntry.carries`);
 * a PostgreSQL message in the tunnel belongs to the record that carried its last bytes. `unpaired` is true
 * for an event log whose records do not say what they carry (a capture made before records carried ids).
 */
export function buildSteps(eventLog: EventLog): {
  steps: LabStep[];
  summary?: HandshakeSummary;
  preSecrets: SecretEntry[];
  unpaired: boolean;
} {
  const steps: LabStep[] = [];
  const preSecrets: SecretEntry[] = [];
  let summary: HandshakeSummary | undefined;
  let unpaired = false;
  const content = new Map<string, CarriedEntry>();
  const tunnelledBy = new Map<string, PostgresEntry[]>();
  /** How many records carry each content id, and how many of them are behind us. */
  const carriers = new Map<string, { of: number; seen: number }>();
  for (const e of eventLog) {
    if (
      e.kind === 'message' ||
      e.kind === 'alert' ||
      e.kind === 'application_data' ||
      e.kind === 'change_cipher_spec'
    ) {
      if (typeof e.id === 'string') content.set(e.id, e);
    } else if (e.kind === 'postgres' && e.inTunnel && e.carriedIn?.length) {
      const last = e.carriedIn[e.carriedIn.length - 1]!;
      tunnelledBy.set(last, [...(tunnelledBy.get(last) ?? []), e]);
    } else if (e.kind === 'record' && Array.isArray(e.carries)) {
      for (const id of e.carries) {
        const c = carriers.get(id) ?? { of: 0, seen: 0 };
        c.of += 1;
        carriers.set(id, c);
      }
    }
  }

  let current: { secrets: SecretEntry[] } | undefined;
  for (const entry of eventLog) {
    switch (entry.kind) {
      case 'record': {
        if (!Array.isArray(entry.carries)) unpaired = true;
        const carried = (entry.carries ?? []).flatMap((id) => {
          const c = content.get(id);
          return c ? [c] : [];
        });
        const messages = carried.filter((c): c is MessageEntry => c.kind === 'message');
        const alert = carried.find((c): c is AlertEntry => c.kind === 'alert');
        const data = carried.filter((c): c is ApplicationDataEntry => c.kind === 'application_data');
        let part: LabStep['part'];
        for (const id of entry.carries ?? []) {
          const c = carriers.get(id);
          if (!c) continue;
          c.seen += 1;
          if (c.of > 1 && messages.length === 1) part = { n: c.seen, of: c.of };
        }
        const body = {
          record: entry,
          messages,
          ...(part ? { part } : {}),
          ...(alert ? { alert } : {}),
          ...(data.length > 0 ? { applicationData: concatBytes(...data.map((d) => d.data)) } : {}),
          tunnelled: data.flatMap((d) => tunnelledBy.get(d.id) ?? []),
        };
        const step = {
          index: steps.length,
          from: entry.from,
          title: recordTitle(entry, body),
          ...body,
          secrets: [] as SecretEntry[],
        };
        steps.push(step);
        current = step;
        break;
      }
      case 'postgres':
        if (!entry.inTunnel) {
          const step = {
            index: steps.length,
            from: entry.from,
            title: entry.label,
            preamble: entry,
            messages: [],
            tunnelled: [],
            secrets: [] as SecretEntry[],
          };
          steps.push(step);
          current = step;
        }
        break;
      case 'secret':
        if (current) current.secrets.push(entry);
        else preSecrets.push(entry);
        break;
      case 'handshake_complete':
        summary ??= entry.summary;
        break;
      default:
        break;
    }
  }
  return { steps, ...(summary ? { summary } : {}), preSecrets, unpaired };
}

export function diagramSteps(steps: readonly LabStep[], eavesdropper = false): DiagramStep[] {
  return steps.map((s) => ({
    from: s.from,
    title: eavesdropper ? eavesdropperTitle(s) : s.title,
    note: s.record
      ? `${s.record.bytes.length} bytes${s.record.encrypted ? ', encrypted' : ''}${s.record.tampered ? ', tampered' : ''}`
      : s.preamble
        ? `${s.preamble.bytes.length} byte${s.preamble.bytes.length === 1 ? '' : 's'}, PostgreSQL, in clear`
        : undefined,
    // A fatal alert is drawn as one, except to an eavesdropper of a TLS 1.3 record, whose outer type (23) hides it.
    tone:
      s.alert?.level === 2 && (!eavesdropper || s.record?.contentType === 21)
        ? 'alert'
        : s.preamble
          ? 'preamble'
          : s.record?.encrypted
            ? 'secret'
            : 'normal',
  }));
}
