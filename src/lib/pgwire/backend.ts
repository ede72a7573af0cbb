/**
 * PostgreSQL backend messages a client meets first (protocol 3.0, "Message Formats"): Authentication*,
 * ErrorResponse / NoticeResponse (fields S/V/C/M/D/H...), ParameterStatus, BackendKeyData, ReadyForQuery.
 * Every message: Byte1 type, Int32 length (counting itself), body.
 */
import { concatBytes, Reader, type Span } from '../bytes/index.ts';
import { readCString } from './frontend.ts';

/** AuthenticationOk then ReadyForQuery (idle): what a trust-authenticated server answers a StartupMessage with. */
export const AUTH_OK_READY = new Uint8Array([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49]);

/** ErrorResponse field codes ("Error and Notice Message Fields"). */
export const ERROR_FIELDS: Record<string, string> = {
  S: 'severity',
  V: 'severity (non-localized)',
  C: 'SQLSTATE code',
  M: 'message',
  D: 'detail',
  H: 'hint',
  P: 'position',
  W: 'where',
  F: 'file',
  L: 'line',
  R: 'routine',
};

const AUTH_NAMES: Record<number, string> = {
  0: 'AuthenticationOk',
  2: 'AuthenticationKerberosV5',
  3: 'AuthenticationCleartextPassword',
  5: 'AuthenticationMD5Password',
  7: 'AuthenticationGSS',
  9: 'AuthenticationSSPI',
  10: 'AuthenticationSASL',
  11: 'AuthenticationSASLContinue',
  12: 'AuthenticationSASLFinal',
};

export type BackendMessage =
  | {
      type: 'authentication';
      code: number;
      name: string;
      mechanisms?: string[];
      salt?: Uint8Array;
      data?: Uint8Array;
    }
  | { type: 'error' | 'notice'; fields: Record<string, string> }
  | { type: 'parameter_status'; name: string; value: string }
  | { type: 'backend_key_data'; processId: number; secretKey: Uint8Array }
  | { type: 'ready_for_query'; status: string }
  | { type: 'other'; tag: string; body: Uint8Array };

export function decodeBackendMessage(bytes: Uint8Array): { message: BackendMessage; spans: Span[] } {
  const r = new Reader(bytes);
  const message = r.node('pg.message', () => {
    const tag = String.fromCharCode(r.u8('pg.message.type', { show: (v) => `'${String.fromCharCode(v)}'` }));
    const length = r.u32('pg.message.length');
    const body = r.sub(length - 4, 'pg.message.body');
    const m = readBody(tag, body);
    body.expectEnd('pg.message.body');
    return m;
  });
  r.expectEnd('pg.message');
  return { message, spans: r.spans };
}

function readBody(tag: string, r: Reader): BackendMessage {
  switch (tag) {
    case 'R': {
      const code = r.u32('pg.auth.code', { show: (v) => AUTH_NAMES[v] ?? `unknown ${v}` });
      const name = AUTH_NAMES[code] ?? `Authentication(${code})`;
      if (code === 5) return { type: 'authentication', code, name, salt: r.bytes(4, 'pg.auth.salt') };
      if (code === 10) {
        const mechanisms: string[] = [];
        let i = 0;
        while (r.remaining > 1) mechanisms.push(readCString(r, `pg.auth.mechanism[${i++}]`));
        r.u8('pg.auth.terminator');
        return { type: 'authentication', code, name, mechanisms };
      }
      return {
        type: 'authentication',
        code,
        name,
        ...(r.remaining > 0 ? { data: r.rest('pg.auth.data') } : {}),
      };
    }
    case 'E':
    case 'N': {
      const fields: Record<string, string> = {};
      let i = 0;
      while (r.remaining > 1) {
        r.node(`pg.error.field[${i}]`, () => {
          const code = String.fromCharCode(
            r.u8(`pg.error.field[${i}].code`, {
              show: (v) => ERROR_FIELDS[String.fromCharCode(v)] ?? String.fromCharCode(v),
            }),
          );
          fields[code] = readCString(r, `pg.error.field[${i}].value`);
        });
        i++;
      }
      r.u8('pg.error.terminator');
      return { type: tag === 'E' ? 'error' : 'notice', fields };
    }
    case 'S':
      return {
        type: 'parameter_status',
        name: readCString(r, 'pg.parameter.name'),
        value: readCString(r, 'pg.parameter.value'),
      };
    case 'K':
      return {
        type: 'backend_key_data',
        processId: r.u32('pg.backend_key.process_id'),
        secretKey: r.rest('pg.backend_key.secret'),
      };
    case 'Z':
      return {
        type: 'ready_for_query',
        status: String.fromCharCode(r.u8('pg.ready.status', { show: (v) => String.fromCharCode(v) })),
      };
    default:
      return { type: 'other', tag, body: r.rest('pg.message.data') };
  }
}

/** One line a person can read: "AuthenticationOk", "AuthenticationSASL (SCRAM-SHA-256)", "FATAL: no pg_hba.conf entry ...". */
export function describeBackendMessage(m: BackendMessage): string {
  switch (m.type) {
    case 'authentication':
      return m.mechanisms ? `${m.name} (${m.mechanisms.join(', ')})` : m.name;
    case 'error':
    case 'notice':
      return `${m.fields.S ?? m.fields.V ?? (m.type === 'error' ? 'ERROR' : 'NOTICE')}: ${m.fields.M ?? ''}${m.fields.C ? ` (SQLSTATE ${m.fields.C})` : ''}${m.fields.D ? `\nDETAIL: ${m.fields.D}` : ''}${m.fields.H ? `\nHINT: ${m.fields.H}` : ''}`;
    case 'parameter_status':
      return `ParameterStatus ${m.name}=${m.value}`;
    case 'backend_key_data':
      return `BackendKeyData pid ${m.processId}`;
    case 'ready_for_query':
      return `ReadyForQuery (${m.status})`;
    case 'other':
      return `message '${m.tag}' (${m.body.length} bytes)`;
  }
}

/** Splits a backend byte stream into whole messages. */
export class BackendMessageSplitter {
  #buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array[] {
    this.#buffer = concatBytes(this.#buffer, chunk);
    const out: Uint8Array[] = [];
    while (this.#buffer.length >= 5) {
      const length = new DataView(this.#buffer.buffer, this.#buffer.byteOffset + 1, 4).getUint32(0);
      if (this.#buffer.length < 1 + length) break;
      out.push(this.#buffer.slice(0, 1 + length));
      this.#buffer = this.#buffer.slice(1 + length);
    }
    return out;
  }

  /** Whether bytes of an incomplete message are waiting for the next chunk. */
  get pending(): boolean {
    return this.#buffer.length > 0;
  }
}
