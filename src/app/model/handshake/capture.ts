/**
 * A capture opened from a file (`tls-lab handshake --connect ... --json`): read with a clear error for anything
 * else, and described by what its own bytes say (the ClientHello and ServerHello), never by the lab's controls.
 *
 * Reading never trusts the file's decoded fields: a record's header fields and field tree, and a handshake
 * message's fields and field tree, are decoded again from their bytes (as the engine decoded them), so what the
 * lab shows is what the bytes say. Everything else the views read is checked for its type and range. Whatever
 * the file holds, `parseCapture` returns a run or a `CaptureError`; it does not throw. A `--pcap --json` file's
 * `observation` (the decryption report) is read too, a file written before TLS 1.2 and 1.3 shared one set of
 * statuses in today's names (`decryptionOf`).
 */
import { tryDecode, walkSpans, type Span } from '../../../lib/bytes/index';
import { decodeHandshake13, findExtension13 } from '../../../lib/tls13/wire/index';
import { decodeMessage13 } from '../../../lib/tls13/message-entry';
import {
  CipherSuite,
  decodeHandshake,
  decodeRecord,
  fatalAlertOf,
  HandshakeType,
  keyExchangeOf,
  NamedGroup,
  ProtocolVersion,
  versionName,
  type ClientHello,
  type HandshakeRun,
  type HandshakeSummary,
  type KeyExchange,
  type MessageEntry,
  type Role,
  type ServerHello,
  type EventLog,
  type EventLogEntry,
  DECRYPTION_STATUSES,
  type DecryptionStatus,
  type DecryptionVersion,
  type ObserveNote,
} from '../../../lib/tls12/index';

const EXPECTED = 'expected the JSON array printed by `tls-lab handshake --connect HOST:PORT --json`';

/** Why a file is not a capture, and where. */
export interface CaptureError {
  /** What is wrong, in words. */
  reason: string;
  /** The JSON path of the offending value (`$[3].bytes`), once the file parsed as JSON. */
  path?: string;
  /** A byte offset: into the file's text for a JSON syntax error, or into the bytes (or hex digits) at `path`. */
  offset?: number;
}

/**
 * The observer's report a `tls-lab handshake --pcap --json` file carries beside its event log: what the lab's
 * Decryption card shows (the status and version, the report in words, the notes). The report's other facts are
 * in its words; the card reads nothing else.
 */
export interface CapturedObservation {
  decryption: { status: DecryptionStatus; version?: DecryptionVersion };
  decryptionSummary: string;
  notes: ObserveNote[];
}

export type CaptureResult =
  { ok: true; run: HandshakeRun; observation?: CapturedObservation } | { ok: false; error: CaptureError };

/** "capture.json is not a tls-lab capture because ... (at $[3].bytes, byte offset 12)". */
export function describeCaptureError(error: CaptureError, file = 'this file'): string {
  const at = [error.path, error.offset !== undefined ? `byte offset ${error.offset}` : undefined]
    .filter((x) => x !== undefined)
    .join(', ');
  return `${file} is not a tls-lab capture because ${error.reason}${at ? ` (at ${at})` : ''}`;
}

class Invalid {
  constructor(
    readonly reason: string,
    readonly path: string,
    readonly offset?: number,
  ) {}
}

function invalid(reason: string, path: string, offset?: number): never {
  throw new Invalid(reason, path, offset);
}

const describe = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : `${typeof v === 'object' ? 'an' : 'a'} ${typeof v}`;

type Obj = Record<string, unknown>;

function object(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    invalid(`it is ${describe(v)}, not an object`, path);
  return v as Obj;
}

function string(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string')
    invalid(`"${key}" is ${v === undefined ? 'missing' : describe(v)}, not a string`, `${path}.${key}`);
  return v;
}

function integer(o: Obj, key: string, path: string, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    invalid(
      `"${key}" is ${typeof v === 'number' ? String(v) : v === undefined ? 'missing' : describe(v)}, not an integer from 0 to ${max}`,
      `${path}.${key}`,
    );
  return v;
}

function boolean(o: Obj, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean')
    invalid(`"${key}" is ${v === undefined ? 'missing' : describe(v)}, not true or false`, `${path}.${key}`);
  return v;
}

function role(o: Obj, path: string): Role {
  const v = o.from;
  if (v !== 'client' && v !== 'server')
    invalid(`"from" is ${JSON.stringify(v) ?? 'missing'}, not "client" or "server"`, `${path}.from`);
  return v;
}

function strings(o: Obj, key: string, path: string): string[] {
  const v = o[key];
  if (!Array.isArray(v))
    invalid(
      `"${key}" is ${v === undefined ? 'missing' : describe(v)}, not a list of strings`,
      `${path}.${key}`,
    );
  v.forEach((x, i) => {
    if (typeof x !== 'string') invalid(`it is ${describe(x)}, not a string`, `${path}.${key}[${i}]`);
  });
  return v as string[];
}

/** Bytes written as `{ "$hex": "..." }` (eventLogToJson). */
function hexValue(v: unknown, path: string): Uint8Array {
  if (typeof v !== 'object' || v === null || typeof (v as Obj).$hex !== 'string')
    invalid(`it is ${v === undefined ? 'missing' : describe(v)}, not bytes ({"$hex": "..."})`, path);
  const hex = (v as { $hex: string }).$hex;
  const bad = hex.search(/[^0-9a-fA-F]/);
  if (bad >= 0) invalid(`its hex has ${JSON.stringify(hex[bad])} at digit ${bad}`, `${path}.$hex`);
  if (hex.length % 2 !== 0)
    invalid(
      `its hex has an odd number of digits (${hex.length}): the last byte is cut short`,
      `${path}.$hex`,
      hex.length >> 1,
    );
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytes(o: Obj, key: string, path: string): Uint8Array {
  return hexValue(o[key], `${path}.${key}`);
}

function optional<T>(
  o: Obj,
  key: string,
  read: (o: Obj, key: string, path: string) => T,
  path: string,
): { [k: string]: T } {
  return o[key] === undefined ? {} : { [key]: read(o, key, path) };
}

/** A field tree from the file: spans inside the bytes, children inside their parent, each row's key unique. */
function spanTree(v: unknown, path: string, length: number): Span[] {
  const read = (x: unknown, p: string, lo: number, hi: number): Span => {
    const o = object(x, p);
    const id = string(o, 'id', p);
    const start = integer(o, 'start', p, hi);
    const end = integer(o, 'end', p, hi);
    if (start < lo || end < start) invalid(`the field ${id} spans ${start}..${end}, outside ${lo}..${hi}`, p);
    const value = o.value;
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'number')
      invalid(`it is ${describe(value)}, not a string or a number`, `${p}.value`);
    const label = o.label === undefined ? undefined : string(o, 'label', p);
    const children =
      o.children === undefined
        ? undefined
        : Array.isArray(o.children)
          ? o.children.map((c, i) => read(c, `${p}.children[${i}]`, start, end))
          : invalid(`it is ${describe(o.children)}, not a list of fields`, `${p}.children`);
    return {
      id,
      start,
      end,
      ...(label !== undefined ? { label } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(children ? { children } : {}),
    };
  };
  if (!Array.isArray(v))
    invalid(`it is ${v === undefined ? 'missing' : describe(v)}, not a list of fields`, path);
  const spans = v.map((x, i) => read(x, `${path}[${i}]`, 0, length));
  // The field tree lists each field once by id and start.
  const seen = new Set<string>();
  walkSpans(spans, (s) => {
    const key = `${s.id}:${s.start}`;
    if (seen.has(key)) invalid(`the field ${s.id} at ${s.start} is listed twice`, path, s.start);
    seen.add(key);
  });
  return spans;
}

function summary(v: unknown, path: string): HandshakeSummary {
  const o = object(v, path);
  const list = (key: string) => {
    const l = o[key];
    if (!Array.isArray(l))
      invalid(
        `"${key}" is ${l === undefined ? 'missing' : describe(l)}, not a list of certificates`,
        `${path}.${key}`,
      );
    return l.map((c, i) => hexValue(c, `${path}.${key}[${i}]`));
  };
  return {
    version: integer(o, 'version', path, 0xffff),
    cipherSuite: integer(o, 'cipherSuite', path, 0xffff),
    cipherSuiteName: string(o, 'cipherSuiteName', path),
    ...optional(o, 'group', (x, k, p) => integer(x, k, p, 0xffff), path),
    ...optional(o, 'groupName', string, path),
    ...optional(o, 'signatureScheme', (x, k, p) => integer(x, k, p, 0xffff), path),
    ...optional(o, 'signatureSchemeName', string, path),
    extendedMasterSecret: boolean(o, 'extendedMasterSecret', path),
    ...(o.resumed === true ? { resumed: true as const } : {}),
    ...optional(o, 'alpn', string, path),
    ...optional(o, 'serverName', string, path),
    serverCertificates: list('serverCertificates'),
    clientCertificates: list('clientCertificates'),
    clientRandom: bytes(o, 'clientRandom', path),
    masterSecret: bytes(o, 'masterSecret', path),
  };
}

interface Reading {
  /** The key exchange of the ServerHello's suite: ServerKeyExchange and ClientKeyExchange need it to decode. */
  keyExchange?: KeyExchange;
  /** `from name` of every secret so far (the secrets panel lists each once). */
  secrets: Set<string>;
}

function message13(o: Obj, raw: Uint8Array, path: string): EventLogEntry {
  const decoded = tryDecode(() => decodeMessage13(raw));
  if (!decoded.ok)
    invalid(
      `its bytes are not one TLS 1.3 handshake message: ${decoded.error.message}`,
      `${path}.bytes`,
      decoded.error.offset,
    );
  return {
    kind: 'message',
    id: string(o, 'id', path),
    from: role(o, path),
    msgType: raw[0]!,
    bytes: raw,
    ...decoded.value,
    encrypted: boolean(o, 'encrypted', path),
    ...optional(o, 'tampered', boolean, path),
  };
}

function entry(v: unknown, path: string, reading: Reading): EventLogEntry {
  const o = object(v, path);
  const kind = o.kind;
  const from = () => role(o, path);
  const id = () => string(o, 'id', path);
  switch (kind) {
    case 'record': {
      const raw = bytes(o, 'bytes', path);
      const decoded = tryDecode(() => decodeRecord(raw));
      if (!decoded.ok)
        invalid(
          `its bytes are not one TLS record: ${decoded.error.message}`,
          `${path}.bytes`,
          decoded.error.offset,
        );
      const record = decoded.value;
      return {
        kind,
        from: from(),
        seq: string(o, 'seq', path),
        bytes: raw,
        contentType: record.message.contentType,
        version: record.message.version,
        spans: record.spans,
        // Absent in captures made before records said what they carry (the lab shows them unpaired).
        ...(o.carries === undefined ? {} : { carries: strings(o, 'carries', path) }),
        encrypted: boolean(o, 'encrypted', path),
        ...optional(o, 'plaintext', bytes, path),
        ...optional(o, 'nonce', bytes, path),
        ...optional(o, 'aad', bytes, path),
        ...optional(o, 'tampered', boolean, path),
        ...optional(o, 'error', string, path),
        // TLS 1.3 (RFC 8446 §5.2): the TLSInnerPlaintext's real type and its zero padding.
        ...optional(o, 'innerContentType', (x, k, p) => integer(x, k, p, 0xff), path),
        ...optional(o, 'paddingLength', (x, k, p) => integer(x, k, p, 1 << 14), path),
      } as EventLogEntry;
    }
    case 'message': {
      const raw = bytes(o, 'bytes', path);
      // A TLS 1.3 message (the observer's entries say so with their 1.3 decoding) is read by the 1.3 decoder.
      if (o.message13 !== undefined) return message13(o, raw, path);
      const keyExchange = reading.keyExchange;
      const decoded = tryDecode(() => decodeHandshake(raw, keyExchange ? { keyExchange } : {}));
      if (!decoded.ok)
        invalid(
          `its bytes are not one handshake message: ${decoded.error.message}`,
          `${path}.bytes`,
          decoded.error.offset,
        );
      const message = decoded.value.message;
      if (message.type === 'server_hello') {
        const kx = keyExchangeOf(message.cipherSuite);
        if (kx) reading.keyExchange = kx;
      }
      return {
        kind,
        id: id(),
        from: from(),
        msgType: raw[0]!,
        name: HandshakeType.format(raw[0]!),
        bytes: raw,
        spans: decoded.value.spans,
        message,
        encrypted: boolean(o, 'encrypted', path),
        ...optional(o, 'tampered', boolean, path),
      };
    }
    case 'change_cipher_spec':
      return { kind, id: id(), from: from() };
    case 'secret': {
      const name = string(o, 'name', path);
      const side = from();
      if (reading.secrets.has(`${side} ${name}`)) invalid(`the ${side}'s secret ${name} appears twice`, path);
      reading.secrets.add(`${side} ${name}`);
      const inputs = object(o.inputs, `${path}.inputs`);
      return {
        kind,
        from: side,
        name,
        value: bytes(o, 'value', path),
        formula: string(o, 'formula', path),
        inputs: Object.fromEntries(
          Object.entries(inputs).map(([k, x]) => [
            k,
            typeof x === 'string' ? x : hexValue(x, `${path}.inputs.${k}`),
          ]),
        ),
        // The `openssl kdf` command that prints it; a TLS 1.3 key schedule step: where it is specified, and an
        // HKDF-Extract's IKM by name.
        ...optional(o, 'openssl', string, path),
        ...optional(o, 'source', string, path),
        ...optional(o, 'bothSides', boolean, path),
        ...optional(o, 'ikm', string, path),
      } as EventLogEntry;
    }
    case 'alert':
      return {
        kind,
        id: id(),
        from: from(),
        level: integer(o, 'level', path, 255),
        description: integer(o, 'description', path, 255),
        name: string(o, 'name', path),
        ...optional(o, 'reason', string, path),
      };
    case 'application_data':
      return { kind, id: id(), from: from(), data: bytes(o, 'data', path) };
    case 'handshake_complete':
      return { kind, from: from(), summary: summary(o.summary, `${path}.summary`) };
    case 'closed':
      return { kind, from: from(), reason: string(o, 'reason', path) };
    case 'postgres': {
      const raw = bytes(o, 'bytes', path);
      return {
        kind,
        from: from(),
        label: string(o, 'label', path),
        bytes: raw,
        spans: spanTree(o.spans, `${path}.spans`, raw.length),
        inTunnel: boolean(o, 'inTunnel', path),
        ...(o.carriedIn === undefined ? {} : { carriedIn: strings(o, 'carriedIn', path) }),
      };
    }
    default:
      return invalid(
        `it is not an event log entry (kind ${JSON.stringify(kind) ?? 'missing'}): ${EXPECTED}`,
        `${path}.kind`,
      );
  }
}

/** The position a JSON.parse error names ("... in JSON at position 12"), or the end for "Unexpected end". */
function errorPosition(message: string, length: number): number | undefined {
  const at = /position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  return /end of JSON input/i.test(message) ? length : undefined;
}

/**
 * Where a JSON syntax error is: the position the engine names, or, when it names only the token (V8:
 * `Unexpected token 'Z', "Z..." is not valid JSON`), the shortest prefix of the text that fails before its end
 * (every shorter prefix is valid JSON or fails only by ending early, so a binary search finds it).
 */
function syntaxOffset(message: string, text: string): number | undefined {
  const named = errorPosition(message, text.length);
  if (named !== undefined) return named;
  const failsInside = (n: number) => {
    try {
      JSON.parse(text.slice(0, n));
      return false;
    } catch (e) {
      const at = errorPosition(e instanceof Error ? e.message : String(e), n);
      return at === undefined || at < n;
    }
  };
  if (!failsInside(text.length)) return undefined;
  let lo = 0;
  let hi = text.length;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >> 1;
    if (failsInside(mid)) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

/** A recorded event log as a run the lab shows (outcome read from the log: complete, or the fatal alert). */
export function runOfEventLog(eventLog: EventLog): HandshakeRun {
  const complete = eventLog.find((e) => e.kind === 'handshake_complete');
  const alert = eventLog.find((e) => e.kind === 'alert' && e.level === 2);
  return {
    eventLog,
    ok: !!complete && !alert,
    clientState: complete ? 'Established' : 'Closed',
    serverState: complete ? 'Established' : 'Closed',
    ...(complete?.kind === 'handshake_complete' ? { summary: complete.summary } : {}),
    ...(alert?.kind === 'alert' ? { alert } : {}),
    received: { client: [], server: [] },
  };
}

/**
 * Whether the run's handshake completed before its fatal alert: the alert then ended a connection whose handshake
 * succeeded (`fatalAlertOf`'s afterHandshake). For an alert past the records shown, `whole` is that verdict over the
 * whole connection (an imported capture's `alertAfterHandshake`); without it, after the handshake those records hold.
 */
export function alertAfterHandshake(run: HandshakeRun, whole?: boolean): boolean {
  if (!run.alert || !run.summary) return false;
  if (!alertShown(run)) return whole ?? run.eventLog.some((e) => e.kind === 'handshake_complete');
  return fatalAlertOf(run.eventLog)?.afterHandshake ?? false;
}

/** Whether the run's fatal alert is among the entries it shows (an imported connection shows its first records). */
export function alertShown(run: HandshakeRun): boolean {
  const alert = run.alert;
  return alert !== undefined && run.eventLog.some((e) => e.kind === 'alert' && e.id === alert.id);
}

/**
 * The statuses files written before TLS 1.2 and 1.3 shared one vocabulary used for TLS 1.3 (status 'tls13' was a
 * 1.3 connection whose ClientHello was not captured).
 */
const TLS13_STATUSES_BEFORE: Record<string, DecryptionStatus> = {
  'tls13-decrypted': 'decrypted',
  'tls13-incomplete': 'incomplete',
  'tls13-wrong-secret': 'wrong-secret',
  'tls13-finished-mismatch': 'finished-mismatch',
  'tls13-no-matching-lines': 'no-matching-line',
  tls13: 'no-client-hello',
};

/** The decryption report's status and version, also from a file written before they were one vocabulary. */
function decryptionOf(v: unknown, path: string): CapturedObservation['decryption'] {
  const d = object(v, path);
  const written = string(d, 'status', path);
  const before = Object.hasOwn(TLS13_STATUSES_BEFORE, written) ? TLS13_STATUSES_BEFORE[written] : undefined;
  const status = before ?? DECRYPTION_STATUSES.find((s) => s === written);
  if (!status)
    invalid(
      `"status" is ${JSON.stringify(written)}, not one of ${DECRYPTION_STATUSES.join(', ')}`,
      `${path}.status`,
    );
  if (d.version !== undefined && d.version !== 'TLSv1.2' && d.version !== 'TLSv1.3')
    invalid(`"version" is ${JSON.stringify(d.version)}, not "TLSv1.2" or "TLSv1.3"`, `${path}.version`);
  // Without a version (an older file): a 1.3 status, or a report listing the 1.3 key log lines, is TLS 1.3. A
  // 'no-client-hello' written without one is a capture that starts after the handshake: no version is known.
  const version: DecryptionVersion | undefined =
    d.version ??
    (before || Array.isArray(d.wantedLines)
      ? 'TLSv1.3'
      : status === 'nothing-encrypted' || status === 'unsupported-version' || status === 'no-client-hello'
        ? undefined
        : 'TLSv1.2');
  return { status, ...(version ? { version } : {}) };
}

function capturedObservation(v: unknown, path: string): CapturedObservation {
  const o = object(v, path);
  const notes = o.notes ?? [];
  if (!Array.isArray(notes)) invalid(`"notes" is ${describe(notes)}, not a list`, `${path}.notes`);
  return {
    decryption: decryptionOf(o.decryption, `${path}.decryption`),
    decryptionSummary: string(o, 'decryptionSummary', path),
    notes: notes.map((n, i) => {
      const at = `${path}.notes[${i}]`;
      const note = object(n, at);
      return {
        from: role(note, at),
        offset: integer(note, 'offset', at, Number.MAX_SAFE_INTEGER),
        text: string(note, 'text', at),
        ...(note.hole === true ? { hole: true as const } : {}),
        ...(note.undecodable === true ? { undecodable: true as const } : {}),
      };
    }),
  };
}

/** The run a capture file holds, or why it is not a capture and where. Never throws. */
export function parseCapture(text: string): CaptureResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const offset = syntaxOffset(message, text);
    return {
      ok: false,
      error: { reason: `it is not JSON (${message})`, ...(offset !== undefined ? { offset } : {}) },
    };
  }
  try {
    const [list, base] = Array.isArray(parsed)
      ? [parsed, '$']
      : parsed && typeof parsed === 'object' && Array.isArray((parsed as { eventLog?: unknown }).eventLog)
        ? [(parsed as { eventLog: unknown[] }).eventLog, '$.event log']
        : invalid(`it holds no event log: ${EXPECTED}`, '$');
    // tls-lab writes an empty event log with the report of a capture it could read no whole record of (cut by the
    // snap length, say): the report says why. An empty log with nothing to say why is no capture.
    const observed = !Array.isArray(parsed) && (parsed as Obj).observation !== undefined;
    if (list.length === 0 && !observed) invalid(`its event log is empty: ${EXPECTED}`, base);
    const reading: Reading = { secrets: new Set() };
    const eventLog: EventLog = list.map((e, i) => entry(e, `${base}[${i}]`, reading));
    const saved = Array.isArray(parsed) ? undefined : (parsed as Obj).observation;
    const observation = saved === undefined ? undefined : capturedObservation(saved, '$.observation');
    return { ok: true, run: runOfEventLog(eventLog), ...(observation ? { observation } : {}) };
  } catch (e) {
    if (e instanceof Invalid)
      return {
        ok: false,
        error: { reason: e.reason, path: e.path, ...(e.offset !== undefined ? { offset: e.offset } : {}) },
      };
    throw e;
  }
}

function hello<T extends 'client_hello' | 'server_hello'>(
  eventLog: EventLog,
  type: T,
): (T extends 'client_hello' ? ClientHello : ServerHello) | undefined {
  const entry = eventLog.find((e): e is MessageEntry => e.kind === 'message' && e.message.type === type);
  return entry?.message as (T extends 'client_hello' ? ClientHello : ServerHello) | undefined;
}

/**
 * The outcome card's line for a complete handshake: version, suite, group, signature scheme, and for TLS 1.2
 * whether extended master secret was on (TLS 1.3 has no such choice).
 */
export function outcomeLine(s: HandshakeSummary): string {
  const parts = [
    versionName(s.version),
    s.cipherSuiteName,
    ...(s.resumed ? ['an earlier session resumed (no key exchange)'] : []),
    ...(s.groupName ? [s.groupName] : []),
    ...(s.signatureSchemeName ? [`signed with ${s.signatureSchemeName}`] : []),
  ];
  const ems =
    s.version === ProtocolVersion.values.TLSv1_3
      ? ''
      : `; extended master secret ${s.extendedMasterSecret ? 'on' : 'off'}`;
  return `${parts.join(', ')}${ems}.`;
}

/**
 * The versions a hello names in supported_versions (RFC 8446 §4.2.1: the ClientHello's list, the ServerHello's
 * selected_version), read by the 1.3 decoder from the message's bytes; undefined when it has none. Where it is
 * present, the legacy version fields say 1.2 whatever was negotiated.
 */
function supportedVersions(eventLog: EventLog, type: 'client_hello' | 'server_hello'): number[] | undefined {
  const entry = eventLog.find((e): e is MessageEntry => e.kind === 'message' && e.message.type === type);
  const decoded = entry && tryDecode(() => decodeHandshake13(entry.bytes));
  if (!decoded?.ok) return undefined;
  const m = decoded.value.message;
  if (m.type !== 'client_hello' && m.type !== 'server_hello') return undefined;
  const ext = findExtension13(m.message.extensions, 'supported_versions');
  if (!ext) return undefined;
  return 'versions' in ext ? ext.versions : [ext.selectedVersion];
}

/** What the capture itself shows about how it was made: one line per setting, in the setup panel's order. */
export function captureSettings(eventLog: EventLog): { name: string; value: string }[] {
  const ch = hello(eventLog, 'client_hello');
  const sh = hello(eventLog, 'server_hello');
  const out: { name: string; value: string }[] = [];
  const sslRequest = eventLog.some((e) => e.kind === 'postgres' && !e.inTunnel && e.label === 'SSLRequest');
  const alpn = ch?.extensions?.find((x) => x.kind === 'alpn');
  const pgInTunnel = eventLog.some((e) => e.kind === 'postgres' && e.inTunnel);
  out.push({
    name: 'PostgreSQL',
    value: sslRequest
      ? 'SSLRequest, then TLS'
      : alpn?.protocols.includes('postgresql')
        ? 'Direct TLS (ALPN postgresql)'
        : pgInTunnel
          ? 'PostgreSQL messages in the tunnel'
          : 'No (plain TLS)',
  });
  if (!ch) return out;
  const sni = ch.extensions?.find((x) => x.kind === 'server_name');
  out.push({ name: 'Server name (SNI)', value: sni?.names.map((n) => n.hostName).join(', ') || 'none sent' });
  const offered = supportedVersions(eventLog, 'client_hello');
  out.push(
    offered
      ? { name: 'Client versions', value: offered.map(versionName).join(', ') }
      : { name: 'Client maximum version', value: versionName(ch.clientVersion) },
  );
  out.push({ name: 'Client offers', value: ch.cipherSuites.map((c) => CipherSuite.format(c)).join(', ') });
  const groups = ch.extensions?.find((x) => x.kind === 'supported_groups');
  if (groups)
    out.push({ name: 'Groups offered', value: groups.groups.map((g) => NamedGroup.format(g)).join(', ') });
  const emsOffered = ch.extensions?.some((x) => x.kind === 'extended_master_secret') ?? false;
  const emsAgreed = sh?.extensions?.some((x) => x.kind === 'extended_master_secret') ?? false;
  const chosen = sh ? (supportedVersions(eventLog, 'server_hello')?.[0] ?? sh.serverVersion) : undefined;
  // RFC 8446 binds every secret to the transcript: extended_master_secret (RFC 7627) is a TLS 1.2 matter only.
  if (chosen !== ProtocolVersion.values.TLSv1_3)
    out.push({
      name: 'Extended master secret',
      value: `${emsOffered ? 'offered' : 'not offered'}${sh ? `, ${emsAgreed ? 'agreed' : 'not agreed'} by the server` : ''}`,
    });
  if (sh && chosen !== undefined)
    out.push({
      name: 'Server chose',
      value: `${versionName(chosen)}, ${CipherSuite.format(sh.cipherSuite)}`,
    });
  return out;
}
