/**
 * `tls-lab handshake --pcap FILE [--keylog FILE] [--stream N] [--json]`: a TLS connection read from a capture
 * file (pcap or pcapng, `src/lib/pcap/`) and observed by the engine (`observeConnection`, tls12/observe.ts) with
 * the key logs of the file's Decryption Secrets Blocks and the --keylog file. Prints the report a live run prints
 * (outcome first, the connection, the messages, what was decrypted, what the key log matched and what it did
 * not), or the capture JSON the Handshake Lab opens (`{ eventLog, observation }`). With several TLS connections
 * and no --stream it lists them and asks for one.
 */
import {
  clientGuess,
  CONNECTION_KIND_NAMES,
  describeWarning,
  formatEndpoint,
  isPcapError,
  keyLogSources,
  observeInCapture,
  openCapture,
  tlsConnections,
  warningCount,
  type KeyLogSource,
  type PcapWarning,
  type TcpConnection,
} from '../lib/pcap/index.ts';
import {
  CipherSuite,
  ContentType,
  eventLogToJson,
  fatalAlertOf,
  keyLogLineName,
  type MessageEntry,
  type Decryption,
  type DecryptionStatus,
  type KeyLogLineRef,
  type Observation,
  versionName,
} from '../lib/tls12/index.ts';
import { toHex } from '../lib/bytes/index.ts';
import {
  alertText,
  applicationDataLine,
  arrow,
  encryptedContents,
  entryLine,
  groupKeyExchange,
  summaryLines,
} from './handshake-report.ts';
import { InputError, messageOf, painter, readInputFile, type CliIo } from './io.ts';
import { noTlsMessage, warningsHeading } from '../content/handshake/capture-import.ts';

export interface PcapOptions {
  pcap: string;
  keylog?: string;
  /** 1-based, as listed. */
  stream?: number;
  json: boolean;
}

/** Exit statuses of --pcap (the usage text names them). */
export const PCAP_EXIT = { shown: 0, input: 1, alert: 2, keyLogMismatch: 4 } as const;

/** The reader's warnings the text report lists (the count says how many there were in all). */
const SHOWN_WARNINGS = 20;

function timeOf(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'no time recorded';
}

/** "1  127.0.0.1:43148 -> 127.0.0.1:44312  SNI localhost  2026-12-06T...Z  TLS" */
export function connectionLine(c: TcpConnection, n: number): string {
  return `${n}  ${formatEndpoint(c.client)} -> ${formatEndpoint(c.server)}  SNI ${c.sni ?? '(none)'}  ${timeOf(c.firstTime)}  ${CONNECTION_KIND_NAMES[c.kind]}`;
}

class PcapInputError extends Error {}

async function readKeyLogFile(path: string): Promise<{ name: string; text: string }> {
  return { name: path, text: new TextDecoder().decode(await readInputFile(path, 'key log')) };
}

function open(bytes: Uint8Array, path: string): ReturnType<typeof openCapture> {
  try {
    return openCapture(bytes);
  } catch (e) {
    if (!isPcapError(e)) throw e;
    throw new PcapInputError(`cannot open ${path}: ${e.message}`);
  }
}

export async function runPcap(o: PcapOptions, io: CliIo): Promise<number> {
  try {
    return await showCapture(o, io);
  } catch (e) {
    // Bad input only; anything else is a bug, which main() reports as such.
    if (!(e instanceof PcapInputError || e instanceof InputError)) throw e;
    io.err(`tls-lab handshake: ${messageOf(e)}\n`);
    return PCAP_EXIT.input;
  }
}

async function showCapture(o: PcapOptions, io: CliIo): Promise<number> {
  const opened = open(await readInputFile(o.pcap, 'capture file'), o.pcap);
  const file = o.keylog !== undefined ? await readKeyLogFile(o.keylog) : undefined;
  const found = tlsConnections(opened);
  const n = found.length;
  if (n === 0) throw new PcapInputError(noTlsMessage(o.pcap, opened));
  if (o.stream !== undefined && o.stream > n)
    throw new PcapInputError(
      `--stream ${o.stream}: ${o.pcap} holds ${n} TLS connection${n === 1 ? '' : 's'}, numbered 1 to ${n}`,
    );
  if (o.stream === undefined && n > 1) {
    io.out(
      `${o.pcap} holds ${n} TLS connections:\n${found.map((c, i) => `  ${connectionLine(c, i + 1)}`).join('\n')}\n`,
    );
    throw new PcapInputError(
      `${o.pcap} holds ${n} TLS connections; pick one with --stream N (1 to ${n}, as listed)`,
    );
  }
  const index = (o.stream ?? 1) - 1;
  const c = found[index]!;
  const { sources, unreadable } = keyLogSources(opened.keyLog, file);
  for (const u of unreadable) {
    if (u.name === file?.name) throw new PcapInputError(`--keylog ${u.name}: ${u.reason}`);
    io.err(
      `tls-lab handshake: the key log in ${o.pcap}'s Decryption Secrets Block is not used: ${u.reason}\n`,
    );
  }
  const keyLog = sources.flatMap((s) => s.entries);
  const seen = await observeInCapture(found, index, sources.length > 0 ? { keyLog } : {});
  if (o.json) {
    io.out(`${captureJson(seen)}\n`);
    // The JSON is the capture JSON the lab opens: what the reader skipped goes to stderr, a line each.
    for (const w of opened.warnings)
      io.err(`tls-lab handshake: the capture reader skipped, in ${o.pcap}: ${describeWarning(w)}\n`);
  } else
    io.out(
      `${formatCapture({ path: o.pcap, connection: c, n: index + 1, of: n, seen, sources, warnings: opened.warnings }, io.color)}\n`,
    );
  const fatal = fatalAlertOf(seen.eventLog);
  if (fatal) {
    io.err(
      `tls-lab handshake: the capture shows ${fatal.afterHandshake ? 'a fatal alert after the handshake completed' : 'a failed handshake'}: ${alertText(fatal.alert, false)}\n`,
    );
    return PCAP_EXIT.alert;
  }
  if (sources.length > 0 && keyLogFailed(seen.decryption)) {
    const what = seen.decryption.status === 'incomplete' ? 'all of this connection' : 'this connection';
    io.err(`tls-lab handshake: the key log does not open ${what}: ${seen.decryptionSummary}\n`);
    return PCAP_EXIT.keyLogMismatch;
  }
  return PCAP_EXIT.shown;
}

/** The statuses (either version) in which the key log given is what failed. */
const KEY_LOG_FAILURES = new Set<DecryptionStatus>([
  'key-log-unreadable',
  'no-matching-line',
  'wrong-secret',
  'finished-mismatch',
]);

/**
 * Whether the key log given is what keeps the connection (or part of it) closed, which exits `keyLogMismatch`: one of
 * KEY_LOG_FAILURES, or TLS 1.3 'incomplete' with secrets missing from it. An 'incomplete' with nothing missing is the
 * observer's limit (a TLS 1.2 renegotiation, a 1.3 record it does not open): shown, its first line says why.
 */
function keyLogFailed(d: Decryption): boolean {
  if (d.status === 'incomplete') return 'found' in d && d.missing.length > 0;
  return KEY_LOG_FAILURES.has(d.status);
}

/** The capture JSON the Handshake Lab opens: the event log as `eventLogToJson` writes it, and the report. */
export function captureJson(seen: Observation): string {
  return JSON.stringify(
    {
      eventLog: JSON.parse(eventLogToJson(seen.eventLog)) as unknown,
      observation: {
        decryption: seen.decryption,
        decryptionSummary: seen.decryptionSummary,
        notes: seen.notes,
      },
    },
    null,
    2,
  );
}

interface CaptureReport {
  path: string;
  connection: TcpConnection;
  n: number;
  of: number;
  seen: Observation;
  sources: KeyLogSource[];
  /** What the capture reader skipped in the file (per-packet warnings). */
  warnings: readonly PcapWarning[];
}

/** "TLSv1.2, TLS_ECDHE_..., ECDHE x25519", from the summary or, without one, the ServerHello. */
function negotiated(seen: Observation): string {
  const complete = seen.eventLog.find((e) => e.kind === 'handshake_complete');
  if (complete?.kind === 'handshake_complete') {
    const s = complete.summary;
    const kx = s.resumed
      ? ', an earlier session resumed'
      : s.groupName
        ? `, ${groupKeyExchange(s.group, s.groupName)}`
        : '';
    return `${versionName(s.version)}, ${s.cipherSuiteName}${kx}`;
  }
  const hello = seen.eventLog.find(
    (e): e is MessageEntry => e.kind === 'message' && e.message.type === 'server_hello',
  );
  if (!hello || hello.message.type !== 'server_hello') return 'no ServerHello in the capture';
  const version = seen.version ?? hello.message.serverVersion;
  return `${versionName(version)}, ${CipherSuite.format(hello.message.cipherSuite)}`;
}

/** Why the encrypted records stayed closed, for the outcome line. */
function closedBecause(d: Decryption): string {
  const tls13 = d.version === 'TLSv1.3';
  switch (d.status) {
    case 'no-key-log':
      return 'no key log';
    case 'key-log-unreadable':
      return 'the key log could not be read';
    case 'no-matching-line':
      return tls13
        ? 'the key log has no TLS 1.3 line for this connection'
        : 'the key log has no line for this connection';
    case 'no-client-hello':
      return tls13
        ? 'TLS 1.3 without its ClientHello in the capture (no client random to match the key log)'
        : d.missing
          ? 'the ClientHello is missing from the capture (no client random to match a key log)'
          : 'the capture starts after the handshake (no client random to match a key log)';
    case 'incomplete':
      return !('found' in d)
        ? d.serverHelloMissing
          ? 'the capture lacks the ServerHello (its version and cipher suite are needed with the key log)'
          : "the connection renegotiated, and the second handshake's keys are not followed"
        : d.missing.length === 0 && d.closedReason
          ? `some protected records stay closed (the first: ${d.closedReason})`
          : 'the key log lacks some of the TLS 1.3 secrets';
    case 'wrong-secret':
      return tls13 ? 'a TLS 1.3 secret in the key log is wrong' : "the key log's master secret is wrong";
    case 'decrypted':
      return 'the records listed as not opened stay closed';
    case 'unsupported-suite':
      return 'a cipher suite the engine does not implement';
    case 'unsupported-version':
      return `${d.negotiated}, older than the TLS 1.2 the observer reads`;
    default:
      return d.status;
  }
}

/** The first line: how the handshake ended, and whether its encrypted records were opened. */
export function captureOutcome(seen: Observation, color = false): string {
  const paint = painter(color);
  const bad = (word: string) => paint('red', paint('bold', word));
  const good = (word: string) => paint('green', paint('bold', word));
  const fatal = fatalAlertOf(seen.eventLog);
  const complete = seen.eventLog.some((e) => e.kind === 'handshake_complete');
  const d = seen.decryption.status;
  const head =
    fatal && !fatal.afterHandshake
      ? `${bad('HANDSHAKE FAILED')}: ${alertText(fatal.alert, false)}; `
      : complete
        ? `${good('HANDSHAKE COMPLETE')}: `
        : d === 'nothing-encrypted' || d === 'decrypted' || d === 'finished-mismatch'
          ? `${paint('yellow', paint('bold', 'HANDSHAKE INCOMPLETE'))} in the capture: `
          : `${paint('yellow', paint('bold', 'HANDSHAKE ENCRYPTED'))}: `;
  // As the lab's decryption card counts them: the encrypted records opened and those that stayed closed.
  const encrypted = seen.eventLog.filter((e) => e.kind === 'record' && e.encrypted);
  const decrypted = encrypted.filter((e) => e.kind === 'record' && e.plaintext !== undefined).length;
  // A direction with a hole in the capture, or bytes that are not TLS, has records after it that are not listed.
  const stopped = seen.notes.filter((n) => n.hole || n.undecodable);
  const unread = stopped.length
    ? `; ${paint('yellow', `the ${stopped.map((n) => `${n.from}'s stream is not read past offset ${n.offset}`).join(', and the ')}`)} (see Notes)`
    : '';
  const opened =
    d === 'decrypted' && decrypted === encrypted.length
      ? `every record ${stopped.length ? 'read ' : ''}decrypted`
      : d === 'finished-mismatch'
        ? `records decrypted, but ${paint('red', 'a Finished check failed')}`
        : d === 'nothing-encrypted'
          ? stopped.length
            ? 'nothing encrypted in what was read'
            : 'nothing encrypted'
          : decrypted > 0
            ? `${decrypted} of ${encrypted.length} encrypted records decrypted, ${paint('yellow', `${encrypted.length - decrypted} NOT`)}: ${closedBecause(seen.decryption)}`
            : `encrypted records ${paint('yellow', 'NOT decrypted')}: ${closedBecause(seen.decryption)}`;
  // A fatal alert after a completed handshake ends the connection, not the handshake.
  const ended = fatal?.afterHandshake ? `; then ${bad(alertText(fatal.alert, false))}` : '';
  return `${head}${negotiated(seen)}; ${opened}${unread}${ended}`;
}

/** The lines a later line for the same secret overrode (the last counts, as in Wireshark). */
function notUsedLines(conflicting: readonly KeyLogLineRef[]): string[] {
  return conflicting.map(
    (c) =>
      `  not used: ${keyLogLineName(c)}, another ${c.label} for this client random (the last line counts)`,
  );
}

/** What the key logs held for this connection: the client random's line, the secret's result. */
function keyLogLines(seen: Observation, sources: KeyLogSource[]): string[] {
  const lines = [
    sources.length === 0
      ? 'Key log: none (no --keylog, no Decryption Secrets Block in the file)'
      : `Key log: ${sources.map((s) => `${s.name} (${s.entries.length} entr${s.entries.length === 1 ? 'y' : 'ies'})`).join(' + ')}`,
  ];
  const random = seen.clientRandom;
  if (random) lines.push(`  client random ${toHex(random)}`);
  const d = seen.decryption;
  if ('found' in d) {
    for (const f of d.found)
      lines.push(`  matched: ${f.label} for this client random, on ${keyLogLineName(f)}`);
    lines.push(...notUsedLines(d.conflicting));
    if (d.firstFailure)
      lines.push(
        `  did NOT match: the ${d.firstFailure.label} on that line does not open the ${d.firstFailure.from}'s record ${d.firstFailure.seq} (stream offset ${d.firstFailure.offset})`,
      );
    for (const label of d.missing) lines.push(`  missing: ${label} for this client random`);
    lines.push(`  client Finished: ${d.clientFinished}; server Finished: ${d.serverFinished}`);
  } else if (
    d.status === 'decrypted' ||
    d.status === 'incomplete' ||
    d.status === 'wrong-secret' ||
    d.status === 'finished-mismatch'
  ) {
    lines.push(
      d.resumes
        ? `  matched: no line for this client random; the session it resumes${d.resumes.connection !== undefined ? ` (from connection ${d.resumes.connection})` : ''}, on ${keyLogLineName(d)}`
        : `  matched: the client random, on ${keyLogLineName(d)}`,
    );
    lines.push(...notUsedLines(d.conflicting ?? []));
    if (d.status === 'wrong-secret') {
      const f = d.firstFailure;
      lines.push(
        `  did NOT match: the master secret on that line${f ? ` does not open the ${f.from}'s record ${f.seq} (stream offset ${f.offset})` : ''}`,
      );
    } else if (d.status === 'incomplete' && d.serverHelloMissing)
      lines.push('  not tried: its secret (without the ServerHello no record can be opened)');
    else lines.push('  matched: the master secret (records open with it)');
    lines.push(`  client Finished: ${d.clientFinished}; server Finished: ${d.serverFinished}`);
  } else if (d.status === 'no-matching-line') {
    lines.push(
      `  did NOT match: no CLIENT_RANDOM line carries this client random (${d.clientRandomLines} CLIENT_RANDOM line${d.clientRandomLines === 1 ? '' : 's'}${d.tls13Labels.length > 0 ? `; TLS 1.3 labels ${d.tls13Labels.join(', ')}` : ''})`,
    );
  } else if (d.status === 'no-key-log' && d.wantedLines) {
    lines.push(
      '  would open it (TLS 1.3): these lines in a key log',
      ...d.wantedLines.map((l) => `    ${l}`),
    );
  }
  lines.push(`  ${seen.decryptionSummary}`);
  return lines;
}

/** The readable report: outcome, the connection, the messages, the key log, the parameters, the notes. */
export function formatCapture(r: CaptureReport, color = false): string {
  const { connection: c, seen } = r;
  const lines = [captureOutcome(seen, color), ''];
  lines.push(
    `Connection ${r.n} of ${r.of} in ${r.path}: ${formatEndpoint(c.client)} -> ${formatEndpoint(c.server)}, SNI ${c.sni ?? '(none)'}, ${CONNECTION_KIND_NAMES[c.kind]}, first packet ${timeOf(c.firstTime)}`,
  );
  const guess = clientGuess(c);
  if (guess) lines.push(`  (${guess})`);
  const encrypted = encryptedContents(seen.eventLog);
  for (const e of seen.eventLog) {
    const line = entryLine(e, encrypted);
    if (line !== undefined) lines.push(line);
    else if (e.kind === 'application_data') lines.push(applicationDataLine(e, 'decrypted'));
    else if (e.kind === 'record' && e.encrypted && e.carries.length === 0)
      lines.push(
        `  ${arrow(e.from)}  encrypted record, ${ContentType.format(e.contentType)} (${e.bytes.length} bytes) [not opened]`,
      );
  }
  lines.push('', ...keyLogLines(seen, r.sources));
  const complete = seen.eventLog.find((e) => e.kind === 'handshake_complete');
  if (complete?.kind === 'handshake_complete') lines.push('', ...summaryLines(complete.summary));
  if (seen.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of seen.notes) lines.push(`  ${note.from} stream offset ${note.offset}: ${note.text}`);
  }
  // Each in the Handshake Lab's words (pcap/describe.ts): the packet, its offset in the file, the reason.
  if (r.warnings.length > 0) {
    const listed = r.warnings.slice(0, SHOWN_WARNINGS);
    lines.push(
      '',
      warningsHeading(warningCount(r.warnings), listed.length),
      ...listed.map((w) => `  ${describeWarning(w)}`),
    );
  }
  return lines.join('\n');
}
