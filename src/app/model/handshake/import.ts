/**
 * Opening a capture file in the Handshake Lab (run in the lab's worker, never on the page): a pcap or pcapng
 * (`src/lib/pcap`) gives the TLS connections to choose from; the chosen one is observed with a key log
 * (`tls12/observe.ts`: the file the user gave, else the capture's own Decryption Secrets Block) into the same
 * event log a live run has, so the lab shows it with the same views. tls-lab JSON still opens as before
 * (capture.ts). Going the other way, any run's event log becomes a pcapng with its key log inside
 * (`pcap/write-pcapng.ts`), which Wireshark opens decrypted.
 */
import {
  clientGuess,
  CONNECTION_KIND_NAMES,
  describeWarning,
  formatEndpoint,
  warningCount,
  isPcapError,
  keyLogSources,
  observeInCapture,
  openCapture,
  plural,
  tlsConnections,
  writeConnectionPcapng,
  type ConnectionKind,
  type Endpoint,
  type OpenedCapture,
  type StreamChunk,
  type TcpConnection,
} from '../../../lib/pcap/index';
import {
  type Decryption,
  type DecryptionStatus,
  type DecryptionVersion,
  type EventLog,
  fatalAlertOf,
  type HandshakeRun,
  type ObserveNote,
} from '../../../lib/tls12/index';
import { keyLogLinesOf } from '../../../lib/tls13/handshake/event-log';
import { describeCaptureError, parseCapture, runOfEventLog } from './capture';
import { CAPTURE_HELP, noTlsMessage } from '../../../content/handshake/capture-import';

/** Larger files are refused before they are read (the bench opens 200 MB; a tab holds the whole file). */
export const MAX_CAPTURE_BYTES = 512 * 1024 * 1024;

/** One TLS connection the user can pick: plain data, without its bytes. */
export interface ConnectionChoice {
  /** Its place among the capture's TCP connections (what `importConnection` takes). */
  index: number;
  /** Its number among the capture's TLS connections, from 1: `tls-lab handshake --pcap FILE --stream N`. */
  stream: number;
  client: Endpoint;
  server: Endpoint;
  sni?: string;
  /** ms since the Unix epoch */
  firstTime: number;
  kind: Exclude<ConnectionKind, 'other'>;
  packets: number;
  /** Bytes both sides sent. */
  bytes: number;
  /** Missing stretches in its streams. */
  gaps: number;
  /** How client and server were told apart when the capture does not show it (`clientGuess`). */
  clientBy?: TcpConnection['clientBy'];
}

export type OpenedFile =
  | {
      kind: 'json';
      name: string;
      run: HandshakeRun;
      /** The decryption report a `tls-lab handshake --pcap --json` file carries. */
      report?: ObservedReport;
    }
  | {
      kind: 'capture';
      name: string;
      format: OpenedCapture['format'];
      packets: number;
      tcpConnections: number;
      choices: ConnectionChoice[];
      /** The capture carries a key log (pcapng Decryption Secrets Block). */
      keyLogInFile: boolean;
      warnings: string[];
      /** How many things the reader skipped (more than `warnings` past its cap). */
      skipped: number;
    }
  | { kind: 'error'; name: string; message: string };

const PCAP_MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a];

/** JSON (tls-lab's) or a capture, by the first bytes: a capture's magic number, else JSON's `[` or `{`. */
export function looksLikeJson(head: Uint8Array): boolean {
  if (head.length >= 4) {
    const magic = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
    if (PCAP_MAGICS.includes(magic)) return false;
  }
  for (const b of head) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf)
      continue;
    return b === 0x5b || b === 0x7b;
  }
  return false;
}

function choiceOf(c: TcpConnection, stream: number): ConnectionChoice {
  return {
    index: c.index,
    stream,
    client: c.client,
    server: c.server,
    ...(c.sni !== undefined ? { sni: c.sni } : {}),
    firstTime: c.firstTime,
    kind: c.kind as ConnectionChoice['kind'],
    packets: c.packets,
    bytes: c.chunks.reduce((n, k) => n + k.bytes.length, 0),
    gaps: c.gaps.length,
    ...(clientGuess(c) ? { clientBy: c.clientBy } : {}),
  };
}

/** A whole file, read: a tls-lab JSON run, the TLS connections of a capture, or what is wrong with it. */
export function openFileBytes(name: string, bytes: Uint8Array): OpenedFile & { capture?: OpenedCapture } {
  if (looksLikeJson(bytes.subarray(0, 64))) {
    const read = parseCapture(new TextDecoder().decode(bytes));
    if (!read.ok) return { kind: 'error', name, message: describeCaptureError(read.error, name) };
    const report = read.observation ? { run: read.run, ...read.observation } : undefined;
    return { kind: 'json', name, run: read.run, ...(report ? { report } : {}) };
  }
  let capture: OpenedCapture;
  try {
    capture = openCapture(bytes);
  } catch (e) {
    if (isPcapError(e)) return { kind: 'error', name, message: `${name} could not be opened: ${e.message}` };
    throw e;
  }
  // Numbered as the CLI numbers them (--stream N): the TLS connections, in the order tlsConnections gives.
  const choices = tlsConnections(capture).map((c, i) => choiceOf(c, i + 1));
  if (choices.length === 0) return { kind: 'error', name, message: noTlsMessage(name, capture) };
  return {
    kind: 'capture',
    name,
    format: capture.format,
    packets: capture.packets,
    tcpConnections: capture.connections.length,
    choices,
    keyLogInFile: capture.keyLog !== undefined,
    warnings: capture.warnings.map(describeWarning),
    skipped: warningCount(capture.warnings),
    capture,
  };
}

/** Where the key log used for a connection came from. */
export interface KeyLogUse {
  /** The key logs read, by name (`keyLogSources`: the capture's own first, then the user's file). */
  used: string[];
  /** Given but not an NSS key log, with the parser's reason. */
  unreadable: { name: string; reason: string }[];
}

/**
 * The lab draws every record as a step (diagram, list, detail): past this many, drawing one connection would hold
 * the page for a second or more, so an imported connection is shown up to here (its handshake is at the start).
 */
export const MAX_SHOWN_RECORDS = 100;

/** The event log up to its `max`-th record (entries after a record belong to it until the next record). */
export function firstRecords(eventLog: EventLog, max: number): { eventLog: EventLog; records: number } {
  let records = 0;
  let cut = eventLog.length;
  for (const [i, e] of eventLog.entries()) {
    if (e.kind !== 'record') continue;
    if (records === max && cut === eventLog.length) cut = i;
    records++;
  }
  return { eventLog: eventLog.slice(0, cut), records };
}

/** What the lab's Decryption card shows: a connection observed here, or the report a capture JSON carries. */
export interface ObservedReport {
  /** The run shown: the observed event log, up to MAX_SHOWN_RECORDS records, with the whole connection's outcome. */
  run: HandshakeRun;
  /** Records in the connection, when more than the run shows. */
  recordsInConnection?: number;
  /** The key logs read (absent for a capture JSON: the CLI read them when it wrote the file). */
  keyLog?: KeyLogUse;
  decryption: { status: DecryptionStatus; version?: DecryptionVersion };
  /**
   * Whether the connection's fatal alert came after a completed handshake (`fatalAlertOf` over the whole connection,
   * for an alert past the records the run shows); absent without a fatal alert.
   */
  alertAfterHandshake?: boolean;
  /** The decryption report in words (observe.ts `describeDecryption`). */
  decryptionSummary: string;
  notes: ObserveNote[];
}

export interface ImportedConnection extends ObservedReport {
  connection: ConnectionChoice;
  keyLog: KeyLogUse;
  decryption: Decryption;
}

/** One connection of an opened capture, observed with the user's key log, else the capture's own. */
export async function importConnection(
  capture: OpenedCapture,
  index: number,
  keyLogFile?: { name: string; text: string },
): Promise<ImportedConnection> {
  const c = capture.connections[index];
  if (!c || c.kind === 'other') throw new Error(`The capture has no TLS connection number ${index + 1}`);
  const { sources, unreadable } = keyLogSources(capture.keyLog, keyLogFile);
  const keyLog: KeyLogUse = { used: sources.map((k) => k.name), unreadable };
  // A key log file that is not one and nothing else to read with: the observer says it could not be read.
  const input =
    sources.length > 0
      ? { keyLog: sources.flatMap((k) => k.entries) }
      : keyLogFile
        ? { keyLog: keyLogFile.text }
        : {};
  const tls = tlsConnections(capture);
  const observed = await observeInCapture(tls, tls.indexOf(c), input);
  const shown = firstRecords(observed.eventLog, MAX_SHOWN_RECORDS);
  const fatal = fatalAlertOf(observed.eventLog);
  // The outcome is the whole connection's, as the CLI reads it: a fatal alert past the records shown still fails it.
  return {
    run: { ...runOfEventLog(observed.eventLog), eventLog: shown.eventLog },
    ...(shown.records > MAX_SHOWN_RECORDS ? { recordsInConnection: shown.records } : {}),
    ...(fatal ? { alertAfterHandshake: fatal.afterHandshake } : {}),
    connection: choiceOf(c, tlsConnections(capture).indexOf(c) + 1),
    keyLog,
    decryption: observed.decryption,
    decryptionSummary: observed.decryptionSummary,
    notes: observed.notes,
  };
}

/**
 * The bytes each side put on the wire, from an event log: PostgreSQL's clear framing and every record, in log
 * order, each direction's offsets counted from 0. Times are unknown (NaN): the pcapng writer spaces them.
 */
export function wireChunks(eventLog: EventLog): StreamChunk[] {
  const next = { client: 0, server: 0 };
  const out: StreamChunk[] = [];
  for (const e of eventLog) {
    const bytes = e.kind === 'record' || (e.kind === 'postgres' && !e.inTunnel) ? e.bytes : undefined;
    if (!bytes) continue;
    out.push({ from: e.from, bytes, offset: next[e.from], time: Number.NaN });
    next[e.from] += bytes.length;
  }
  return out;
}

/** PostgreSQL 17's direct TLS: PostgreSQL's messages in the tunnel, none before TLS (no SSLRequest). */
export function isDirectPostgres(eventLog: EventLog): boolean {
  const postgres = eventLog.filter((e) => e.kind === 'postgres');
  return postgres.length > 0 && postgres.every((e) => e.kind === 'postgres' && e.inTunnel);
}

/** Documentation addresses (RFC 5737) for a run that has none; the server's port says what it speaks. */
export function labEndpoints(eventLog: EventLog): { client: Endpoint; server: Endpoint } {
  const postgres = eventLog.some((e) => e.kind === 'postgres');
  return {
    client: { address: '192.0.2.1', port: 50000 },
    server: { address: '192.0.2.2', port: postgres ? 5432 : 443 },
  };
}

/** The run's NSS key log (lib `keyLogLinesOf`: either version, whatever its outcome), or undefined without a key. */
export function runKeyLog(run: HandshakeRun): string | undefined {
  const lines = keyLogLinesOf(run.eventLog, run.summary);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/**
 * A run as pcapng: its bytes as a TCP conversation between `endpoints` (an imported connection's own, else
 * documentation addresses) starting at `startTime`, with the run's key log line in a Decryption Secrets Block
 * when the run knows its master secret.
 */
export function runPcapng(
  run: HandshakeRun,
  startTime: number,
  endpoints: { client: Endpoint; server: Endpoint } = labEndpoints(run.eventLog),
): Uint8Array {
  const keyLog = runKeyLog(run);
  return writeConnectionPcapng({
    ...endpoints,
    chunks: wireChunks(run.eventLog),
    startTime,
    ...(keyLog !== undefined ? { keyLog } : {}),
  });
}

/** A connection in the picker, fact by fact (the first one names it). */
export function choiceFacts(c: ConnectionChoice): string[] {
  const guess = c.clientBy && clientGuess({ clientBy: c.clientBy });
  const time = Number.isFinite(c.firstTime)
    ? new Date(c.firstTime).toISOString().replace('T', ' ')
    : undefined;
  return [
    `${formatEndpoint(c.client)} → ${formatEndpoint(c.server)}`,
    CONNECTION_KIND_NAMES[c.kind],
    c.sni !== undefined ? `SNI ${c.sni}` : 'no SNI',
    ...(time ? [`first packet ${time}`] : []),
    `${plural(c.packets, 'packet')}, ${plural(c.bytes, 'byte')}`,
    ...(c.gaps > 0 ? [`${plural(c.gaps, 'gap')} in the streams`] : []),
    ...(guess ? [guess] : []),
  ];
}

export interface KeyLogReport {
  tone: 'ok' | 'bad' | 'info';
  /** Where the key log came from. */
  source: string;
  /** observe.ts's report in words. */
  summary: string;
  /** What the page shows in the clear and what stays closed. */
  clear: string;
}

function keyLogSourceText(k: KeyLogUse): string {
  const used =
    k.used.length === 0
      ? 'Key log: none given, and the capture carries none.'
      : `Key log: ${k.used.join(' and ')}.`;
  return [used, ...k.unreadable.map((u) => `${u.name} is not an NSS key log (${u.reason}).`)].join(' ');
}

/** The decryption report the lab shows above an imported connection (or a capture JSON's). */
export function keyLogReport(imported: ObservedReport): KeyLogReport {
  const records = imported.run.eventLog.filter((e) => e.kind === 'record');
  const closed = records.filter((e) => e.kind === 'record' && e.encrypted && !e.plaintext).length;
  const opened = records.filter((e) => e.kind === 'record' && e.encrypted && e.plaintext).length;
  const status = imported.decryption.status;
  return {
    tone:
      status === 'decrypted'
        ? 'ok'
        : status === 'nothing-encrypted' || status === 'no-key-log'
          ? 'info'
          : 'bad',
    source: imported.keyLog ? keyLogSourceText(imported.keyLog) : CAPTURE_HELP.jsonReport,
    summary: imported.decryptionSummary,
    clear:
      `${plural(records.length, 'record')}: ${records.length - opened - closed} in the clear, ${opened} decrypted, ${closed} still encrypted.` +
      (imported.recordsInConnection !== undefined
        ? ` The connection has ${imported.recordsInConnection} records; the lab shows the first ${records.length}, and the pcapng it exports holds those.`
        : ''),
  };
}

/** Why a captured handshake without a fatal alert is not called complete, by the report shown with it, if any. */
export function notVerifiedText(report: ObservedReport | undefined): string {
  if (!report) return CAPTURE_HELP.noReport;
  return report.decryption.status === 'finished-mismatch'
    ? CAPTURE_HELP.finishedMismatch
    : CAPTURE_HELP.notVerified;
}

/** The picker lists at most this many connections at once; the filter finds the others. */
export const PICKER_LIMIT = 50;

/** The connections whose facts contain every word of `query` (case-insensitive), the first `limit` of them. */
export function filterChoices(
  choices: readonly ConnectionChoice[],
  query: string,
  limit = PICKER_LIMIT,
): { shown: ConnectionChoice[]; matching: number } {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const shown: ConnectionChoice[] = [];
  let matching = 0;
  for (const c of choices) {
    const text = choiceFacts(c).join(' ').toLowerCase();
    if (!words.every((w) => text.includes(w))) continue;
    matching++;
    if (shown.length < limit) shown.push(c);
  }
  return { shown, matching };
}
