import type {
  AlertEntry,
  MessageEntry,
  PostgresEntry,
  RecordEntry,
  SecretEntry,
  Transcript,
  HandshakeSummary,
  Role,
} from '../../../lib/tls12/handshake/transcript';
import type { DiagramStep } from '../../components/SequenceDiagram';

/**
 * One step of the Handshake Lab: what crossed the wire at once (a record, or a PostgreSQL preamble
 * message), the handshake messages it carried, and the secrets that became known right after it.
 */
export interface LabStep {
  readonly index: number;
  readonly from: Role;
  readonly title: string;
  readonly record?: RecordEntry;
  readonly postgres?: PostgresEntry;
  readonly messages: readonly MessageEntry[];
  readonly alert?: AlertEntry;
  /** Secrets derived (by either side) after this step and before the next one. */
  readonly secrets: readonly SecretEntry[];
  readonly applicationData?: Uint8Array;
}

const CONTENT_TITLES: Record<number, string> = {
  20: 'ChangeCipherSpec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application data',
};

const MESSAGE_TITLES: Record<string, string> = {
  client_hello: 'ClientHello',
  server_hello: 'ServerHello',
  certificate: 'Certificate',
  server_key_exchange: 'ServerKeyExchange',
  certificate_request: 'CertificateRequest',
  server_hello_done: 'ServerHelloDone',
  client_key_exchange: 'ClientKeyExchange',
  certificate_verify: 'CertificateVerify',
  finished: 'Finished',
  new_session_ticket: 'NewSessionTicket',
  hello_request: 'HelloRequest',
};

export function messageTitle(name: string): string {
  return MESSAGE_TITLES[name] ?? name;
}

export function buildSteps(transcript: Transcript): {
  steps: LabStep[];
  summary?: HandshakeSummary;
  preSecrets: SecretEntry[];
} {
  const steps: LabStep[] = [];
  const preSecrets: SecretEntry[] = [];
  let summary: HandshakeSummary | undefined;
  type Mutable = { -readonly [K in keyof LabStep]: LabStep[K] } & {
    messages: MessageEntry[];
    secrets: SecretEntry[];
  };
  let current: Mutable | undefined;

  const push = (step: Omit<Mutable, 'index' | 'messages' | 'secrets'>) => {
    current = { index: steps.length, messages: [], secrets: [], ...step } as Mutable;
    steps.push(current);
  };

  // The engine reports a message (or alert, or application data) as it produces it, then the record that
  // carries it; so content waits here until its sender's next record of the matching type.
  const pending: Record<Role, { messages: MessageEntry[]; alert?: AlertEntry; data?: Uint8Array }> = {
    client: { messages: [] },
    server: { messages: [] },
  };
  for (const entry of transcript) {
    switch (entry.kind) {
      case 'record': {
        push({
          from: entry.from,
          title: CONTENT_TITLES[entry.contentType] ?? `Record type ${entry.contentType}`,
          record: entry,
        });
        const waiting = pending[entry.from];
        const step = current as Mutable;
        if (entry.contentType === 22 && waiting.messages.length > 0) {
          step.messages.push(...waiting.messages);
          waiting.messages = [];
          step.title = step.messages.map((m) => messageTitle(m.name)).join(' + ');
        } else if (entry.contentType === 21 && waiting.alert) {
          step.alert = waiting.alert;
          step.title = `Alert: ${waiting.alert.name}`;
          delete waiting.alert;
        } else if (entry.contentType === 23 && waiting.data) {
          step.applicationData = waiting.data;
          delete waiting.data;
        }
        break;
      }
      case 'postgres':
        if (!entry.inTunnel) push({ from: entry.from, title: entry.label, postgres: entry });
        else if (current) {
          current.postgres = entry;
          current.title = `Application data: ${entry.label}`;
        }
        break;
      case 'message':
        pending[entry.from].messages.push(entry);
        break;
      case 'alert':
        pending[entry.from].alert = entry;
        break;
      case 'application_data':
        pending[entry.from].data = entry.data;
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
  return { steps, summary, preSecrets };
}

export function diagramSteps(steps: readonly LabStep[]): DiagramStep[] {
  return steps.map((s) => ({
    from: s.from,
    title: s.title,
    note: s.record
      ? `${s.record.bytes.length} bytes${s.record.encrypted ? ', encrypted' : ''}${s.record.tampered ? ', tampered' : ''}`
      : s.postgres
        ? `${s.postgres.bytes.length} byte${s.postgres.bytes.length === 1 ? '' : 's'}, PostgreSQL, in clear`
        : undefined,
    tone:
      s.alert && s.record?.contentType === 21
        ? 'alert'
        : s.postgres && !s.record
          ? 'preamble'
          : s.record?.encrypted
            ? 'secret'
            : 'normal',
  }));
}
