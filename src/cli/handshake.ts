/**
 * `tls-lab handshake --connect HOST:PORT`: a real TLS handshake over a TCP socket with OUR client engine (TLS 1.3
 * offering 1.2 too by default, as psql does; `--tls 1.2` or `--tls 1.3` for one version only), optionally inside
 * PostgreSQL's SSLRequest negotiation or PostgreSQL 17 direct TLS, then a StartupMessage in the tunnel. Prints a readable summary, or the event log with --json; `--pcap-out` writes the connection as
 * pcapng with its key log (wire-recorder.ts). `--pcap FILE` reads a capture instead (handshake-pcap.ts).
 */
import { appendFileSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  acceptAnyCertificate,
  type AlertEntry,
  type ApplicationDataEntry,
  CIPHER_SUITES,
  CipherSuite,
  type HandshakeSummary,
  pemToDer,
  placeInTunnel,
  type EventLogEntry,
  eventLogToJson,
  fatalAlertOf,
  ProtocolVersion,
  versionName,
} from '../lib/tls12/index.ts';
import { pkiVerifier } from '../lib/tls12/pki-verifier.ts';
import {
  keyLogLinesOf,
  TLS13_SUITES,
  type Client13Config,
  type HandshakeSummary13,
} from '../lib/tls13/index.ts';
import { decodeOwnBytes } from '../lib/bytes/index.ts';
import {
  BackendMessageSplitter,
  decodeBackendMessage,
  decodeSslRequest,
  decodeSslResponse,
  decodeStartupMessage,
  describeBackendMessage,
  encodeSslRequest,
  encodeStartupMessage,
  POSTGRES_ALPN,
  type BackendMessage,
} from '../lib/pgwire/index.ts';
import { EngineSocket } from './engine-socket.ts';
import {
  alertText,
  applicationDataLine,
  encryptedContents,
  entryLine,
  groupKeyExchange,
  summaryLines,
} from './handshake-report.ts';
import { runPcap, type PcapOptions } from './handshake-pcap.ts';
import {
  checkAppendable,
  InputError,
  messageOf,
  painter,
  processIo,
  readInputFile,
  type CliIo,
} from './io.ts';
import { parseCertificates } from '../lib/pki/index.ts';
import { endpointsOf, recordedPcapng, WireRecorder } from './wire-recorder.ts';

export const usage = `Usage: tls-lab handshake --connect HOST:PORT [options]
       tls-lab handshake --pcap FILE [--keylog FILE] [--stream N] [--json]

A real TLS handshake with TLS Lab's own client engine, or a TLS connection read from a capture file. After the
handshake (and the PostgreSQL reply, with --pg-user) the client sends close_notify; in TLS 1.3 it then reads what
the server still sends until it closes, for at most 2 s: its session tickets, or its alert refusing our
certificate flight, which comes only after our Finished.

Options for a live connection:
  --connect HOST:PORT     where to connect
  --tls 1.2|1.3           offer only this TLS version (default: TLS 1.3, with TLS 1.2 offered too, as psql
                          and OpenSSL do: the server chooses)
  --starttls postgres     send PostgreSQL's SSLRequest first, expect 'S', then TLS
  --direct-postgres       PostgreSQL 17 direct TLS: no SSLRequest, ALPN "postgresql"
  --servername NAME       SNI and the name the certificate must match (default: HOST unless an IP)
  --ca FILE               PEM file of trusted certificates; without it the chain is NOT verified
                          (read and checked before connecting: each CERTIFICATE block must parse)
  --suites LIST           comma-separated cipher suites (0xc02f or TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 for
                          TLS 1.2, 0x1301 or TLS_AES_128_GCM_SHA256 for TLS 1.3): the ClientHello offers
                          exactly the suites listed, and only the versions they belong to (only TLS 1.2
                          suites: TLS 1.2 only; only TLS 1.3 suites: TLS 1.3 only; both: both). With --tls,
                          every suite listed must be of that version. Only suites TLS Lab implements (no
                          CCM, no DHE): another is refused before connecting, with the list
  --pg-user NAME          send a StartupMessage for NAME in the tunnel and report the reply: the first
                          authentication message, or the ErrorResponse that refuses it (even after
                          AuthenticationOk, for a role or database that does not exist)
  --pg-database NAME      database for the StartupMessage (default: the user name)
  --keylog FILE           append the NSS key log lines for Wireshark (the file is opened for appending
                          before connecting, and created if missing): CLIENT_RANDOM ... for TLS 1.2; for
                          TLS 1.3 CLIENT_HANDSHAKE_TRAFFIC_SECRET, SERVER_HANDSHAKE_TRAFFIC_SECRET,
                          EXPORTER_SECRET, SERVER_TRAFFIC_SECRET_0, CLIENT_TRAFFIC_SECRET_0
  --pcap-out FILE         write the connection as pcapng (the bytes as sent and received on the socket, with
                          its real addresses and ports; 192.0.2.1:49152 -> 192.0.2.2:PORT when Node cannot
                          tell them) with the key log in a Decryption Secrets Block: Wireshark and tshark
                          open it decrypted with no settings (the file is created before connecting; TLS on
                          port 5432 without an SSLRequest needs Decode As TLS in Wireshark 4.0, as the CLI
                          then says). The TCP around the bytes is drawn: the handshake, and FINs in the order
                          the two sides closed (a reset is drawn as a FIN)
  --json                  print the event log as JSON (bytes as {"$hex": ...})
  --timeout MS            give up after MS milliseconds, a whole number from 1 to 2147483647 (default 10000)

Options for a capture (--pcap excludes the options above but --keylog, read here, and --json):
  --pcap FILE             a pcap or pcapng file (tcpdump, dumpcap, Wireshark); key logs in its Decryption
                          Secrets Blocks are used
  --keylog FILE           an NSS key log (SSLKEYLOGFILE) to use as well
  --stream N              the TLS connection to show, N as listed (1 is the first; in order of first
                          packet); needed when the file holds several
  --json                  print the capture JSON the Handshake Lab opens: { eventLog, observation }

Exit status: 0 success; 1 usage, file or connection error (for --pcap: the file cannot be read or opened, holds
no TLS connection, or holds several and no --stream was given, which lists them); 2 TLS alert (sent or
received; for --pcap: a fatal alert in the capture); 3 PostgreSQL refused (SSLRequest answered 'N', or
ErrorResponse to the StartupMessage); 4 (--pcap) a key log was given but does not open the connection.`;

interface Options {
  host: string;
  port: number;
  /** One version only (--tls, or that of every --suites suite); undefined: TLS 1.3 with TLS 1.2 offered too. */
  tls?: '1.2' | '1.3';
  starttls?: 'postgres';
  directPostgres: boolean;
  serverName?: string;
  /** The --ca path, as the report names it. */
  ca?: string;
  /** Its certificates (DER), read and checked before connecting (checkFiles). */
  anchors?: Uint8Array[];
  suites?: number[];
  pgUser?: string;
  pgDatabase?: string;
  keylog?: string;
  pcapOut?: string;
  json: boolean;
  timeout: number;
}

/** Flags that only mean something for a live connection. */
const LIVE_ONLY = [
  'connect',
  'tls',
  'starttls',
  'direct-postgres',
  'servername',
  'ca',
  'suites',
  'pg-user',
  'pg-database',
  'pcap-out',
  'timeout',
] as const;

class UsageError extends Error {}

/** A 1.3 suite (RFC 8446 §B.4: 0x13xx) is offered by the 1.3 engine, any other by the 1.2 one. */
const isTls13Suite = (code: number) => code >> 8 === 0x13;

/** The suites the engines implement, TLS 1.3's first: a suite it cannot use would end the handshake it offers. */
const IMPLEMENTED_SUITES = [...TLS13_SUITES, ...CIPHER_SUITES].map((suite) => suite.code);

function parseSuite(s: string): number {
  const t = s.trim();
  const v = /^0x[0-9a-f]{1,4}$/i.test(t)
    ? Number.parseInt(t, 16)
    : (CipherSuite.values as Record<string, number>)[t];
  if (v === undefined) throw new UsageError(`unknown cipher suite "${t}" (use 0xc02f or an IANA name)`);
  if (!IMPLEMENTED_SUITES.includes(v))
    throw new UsageError(
      `--suites: ${CipherSuite.format(v)} (${hexList([v])}) is not one TLS Lab's client implements, so a server choosing it would end the handshake; list only suites it implements: TLS 1.3 ${hexList(IMPLEMENTED_SUITES.filter(isTls13Suite))}; TLS 1.2 ${hexList(IMPLEMENTED_SUITES.filter((c) => !isTls13Suite(c)))}`,
    );
  return v;
}

export function parseOptions(argv: string[]): Options | PcapOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      connect: { type: 'string' },
      tls: { type: 'string' },
      starttls: { type: 'string' },
      'direct-postgres': { type: 'boolean', default: false },
      servername: { type: 'string' },
      ca: { type: 'string' },
      suites: { type: 'string' },
      'pg-user': { type: 'string' },
      'pg-database': { type: 'string' },
      keylog: { type: 'string' },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      pcap: { type: 'string' },
      'pcap-out': { type: 'string' },
      stream: { type: 'string' },
    },
    strict: true,
  });
  if (values.pcap !== undefined) {
    const live = LIVE_ONLY.find((k) => values[k] !== undefined && values[k] !== false);
    if (live) throw new UsageError(`--pcap reads a capture file; --${live} is for a live connection`);
    return {
      pcap: values.pcap,
      ...(values.keylog !== undefined ? { keylog: values.keylog } : {}),
      ...(values.stream !== undefined ? { stream: parseStream(values.stream) } : {}),
      json: values.json ?? false,
    };
  }
  if (values.stream !== undefined) throw new UsageError('--stream picks a connection of a --pcap file');
  if (!values.connect) throw new UsageError('--connect HOST:PORT or --pcap FILE is required');
  const m = /^(.*):(\d+)$/.exec(values.connect);
  if (!m) throw new UsageError(`--connect must be HOST:PORT, got "${values.connect}"`);
  if (values.starttls !== undefined && values.starttls !== 'postgres') {
    throw new UsageError(`--starttls supports only "postgres", got "${values.starttls}"`);
  }
  if (values.tls !== undefined && values.tls !== '1.2' && values.tls !== '1.3')
    throw new UsageError(`--tls must be 1.2 or 1.3, got "${values.tls}"`);
  if (values.starttls && values['direct-postgres'])
    throw new UsageError('--starttls postgres and --direct-postgres exclude each other');
  const suites = values.suites?.split(',').map(parseSuite);
  const tls = offeredVersion(values.tls, suites);
  const host = m[1]!.replace(/^\[(.*)\]$/, '$1');
  const port = Number(m[2]);
  if (port < 1 || port > 65535)
    throw new UsageError(
      `--connect HOST:PORT needs a port from 1 to 65535, got ${m[2]} in "${values.connect}"`,
    );
  return {
    host,
    port,
    ...(tls ? { tls } : {}),
    ...(values.starttls ? { starttls: 'postgres' as const } : {}),
    directPostgres: values['direct-postgres'] ?? false,
    ...(values.servername ? { serverName: values.servername } : net.isIP(host) ? {} : { serverName: host }),
    ...(values.ca ? { ca: values.ca } : {}),
    ...(suites ? { suites } : {}),
    ...(values['pg-user'] ? { pgUser: values['pg-user'] } : {}),
    ...(values['pg-database'] ? { pgDatabase: values['pg-database'] } : {}),
    ...(values.keylog ? { keylog: values.keylog } : {}),
    ...(values['pcap-out'] ? { pcapOut: values['pcap-out'] } : {}),
    json: values.json ?? false,
    timeout: values.timeout !== undefined ? parseTimeout(values.timeout) : 10_000,
  };
}

/** The longest delay a Node timer takes (2^31 - 1 ms, about 24.8 days); a longer one would fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function parseTimeout(text: string): number {
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 1 || ms > MAX_TIMEOUT_MS)
    throw new UsageError(
      `--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got "${text}"`,
    );
  return ms;
}

const hexList = (codes: number[]) => codes.map((c) => `0x${c.toString(16).padStart(4, '0')}`).join(', ');

/**
 * The one version to offer, or undefined for both: --tls's, else that of every suite listed (only TLS 1.2 suites:
 * TLS 1.2 only; only TLS 1.3 suites: TLS 1.3 only). A suite listed for the other version than --tls asks for
 * something that cannot be offered: a usage error, never a suite silently dropped nor a default one added.
 */
function offeredVersion(
  tls: '1.2' | '1.3' | undefined,
  suites: number[] | undefined,
): '1.2' | '1.3' | undefined {
  if (!suites) return tls;
  const of12 = suites.filter((c) => !isTls13Suite(c));
  const of13 = suites.filter(isTls13Suite);
  if (tls === '1.3' && of12.length > 0)
    throw new UsageError(
      `--tls 1.3 offers TLS 1.3 only, but --suites lists TLS 1.2 suites (${hexList(of12)}): list only TLS 1.3 suites (0x1301, 0x1302, 0x1303), or leave out --tls`,
    );
  if (tls === '1.2' && of13.length > 0)
    throw new UsageError(
      `--tls 1.2 offers TLS 1.2 only, but --suites lists TLS 1.3 suites (${hexList(of13)}): list only TLS 1.2 suites (0xc02f, ...), or leave out --tls`,
    );
  if (tls) return tls;
  if (of13.length === 0) return '1.2';
  if (of12.length === 0) return '1.3';
  return undefined;
}

function parseStream(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1)
    throw new UsageError(`--stream must be a connection number as listed (1, 2, ...), got "${text}"`);
  return Number(text);
}

function connect(host: string, port: number, timeout: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // Half-open: when the server ends its side mid-handshake we can still send our fatal alert, as OpenSSL does.
    const socket = net.connect({ host, port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection to ${host}:${port} timed out after ${timeout} ms`));
    }, timeout);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot connect to ${host}:${port}: ${e.message}`));
    });
  });
}

function readBytes(
  socket: net.Socket,
  n: number,
  timeout: number,
  recorder?: WireRecorder,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeout} ms`)), timeout);
    const onData = (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= n) {
        if (got.length > n) {
          recorder?.unread(got.length - n);
          socket.unshift(got.subarray(n));
        }
        finish(undefined);
      }
    };
    const onEnd = () => finish(new Error('the server closed the connection'));
    const finish = (e: Error | undefined) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      if (e) reject(e);
      else resolve(new Uint8Array(got.subarray(0, n)));
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
  });
}

interface Result {
  entries: EventLogEntry[];
  summary?: HandshakeSummary | HandshakeSummary13;
  alert?: AlertEntry;
  pgReply?: BackendMessage;
  refused?: string;
  /** With --pcap-out: the bytes on the socket and its two ends. */
  wire?: { recorder: WireRecorder; ends: ReturnType<typeof endpointsOf> };
}

/**
 * Our client on the socket: the 1.2 engine for TLS 1.2 only, else the 1.3 engine (offering 1.2 too unless TLS 1.3
 * only). With --suites each version offers exactly the listed suites of that version (parseOptions made `tls` the
 * version(s) they belong to), else its engine's defaults.
 */
export function openEngine(
  socket: Duplex,
  o: Options,
  verifier: Client13Config['verifier'],
  onSend: ((bytes: Uint8Array) => void) | undefined,
): EngineSocket {
  const suites12 = o.suites?.filter((c) => !isTls13Suite(c));
  const suites13 = o.suites?.filter(isTls13Suite);
  const alpn = o.directPostgres ? { alpn: [POSTGRES_ALPN] } : {};
  const common = { ...(o.serverName ? { serverName: o.serverName } : {}), verifier, ...alpn };
  if (o.tls === '1.2')
    return EngineSocket.client(socket, { ...common, ...(suites12 ? { suites: suites12 } : {}) }, onSend);
  return EngineSocket.client13(
    socket,
    {
      ...common,
      ...(suites13 ? { suites: suites13 } : {}),
      ...(o.tls === '1.3'
        ? {}
        : { allowTls12: true, tls12: { ...alpn, ...(suites12 ? { suites: suites12 } : {}) } }),
    },
    onSend,
  );
}

/**
 * The connection's NSS key log lines, whatever its outcome (lib `keyLogLinesOf`), as SSLKEYLOGFILE has each secret
 * as soon as it is derived: a failed handshake stays decryptable up to where it failed, as in the lab's export.
 */
function keyLogText(entries: Result['entries'], summary: Result['summary']): string | undefined {
  const lines = keyLogLinesOf(entries, summary);
  return lines.length > 0 ? lines.map((l) => `${l}\n`).join('') : undefined;
}

/**
 * The files a live run reads or writes, checked before connecting: the --ca file read, each of its PEM CERTIFICATE
 * blocks a certificate (its DER becomes `anchors`), and the --keylog and --pcap-out files ones the run can write
 * (opened for appending: created empty when missing; --pcap-out is replaced after the run).
 */
export async function checkFiles(o: Options): Promise<Options> {
  if (o.keylog !== undefined) await checkAppendable(o.keylog, '--keylog file');
  if (o.pcapOut !== undefined) await checkAppendable(o.pcapOut, '--pcap-out file');
  if (o.ca === undefined) return o;
  const text = new TextDecoder().decode(await readInputFile(o.ca, '--ca file'));
  let anchors: Uint8Array[];
  try {
    anchors = pemToDer(text, 'CERTIFICATE');
  } catch (e) {
    throw new InputError(`--ca ${o.ca}: ${messageOf(e)}`);
  }
  if (anchors.length === 0) throw new InputError(`--ca ${o.ca}: no PEM CERTIFICATE block in it`);
  for (const [i, der] of anchors.entries()) {
    const report = await parseCertificates(der);
    const problem = report.problems[0];
    if (problem || report.certificates.length !== 1)
      throw new InputError(
        `--ca ${o.ca}: certificate ${i + 1} of ${anchors.length} is not a certificate: ${problem ? `${problem.where}: ${problem.message}` : 'it holds no single certificate'}`,
      );
  }
  return { ...o, anchors };
}

export async function handshake(options: Options): Promise<Result> {
  // The --ca file's anchors, read (and checked) here too when the caller has not: verification and the report's
  // "verified against" line must come from the same file.
  const o = options.ca !== undefined && options.anchors === undefined ? await checkFiles(options) : options;
  const pre: EventLogEntry[] = [];
  const socket = await connect(o.host, o.port, o.timeout);
  const recorder = o.pcapOut ? new WireRecorder() : undefined;
  recorder?.listen(socket);
  const wire = recorder ? { wire: { recorder, ends: endpointsOf(socket, o.port) } } : {};
  try {
    if (o.starttls === 'postgres') {
      const request = encodeSslRequest();
      pre.push({
        kind: 'postgres',
        from: 'client',
        label: 'SSLRequest',
        bytes: request,
        spans: decodeOwnBytes(request, decodeSslRequest).spans,
        inTunnel: false,
      });
      socket.write(request);
      recorder?.record('client', request);
      const answer = await readBytes(socket, 1, o.timeout, recorder);
      const { response, spans } = decodeSslResponse(answer);
      pre.push({
        kind: 'postgres',
        from: 'server',
        label: `SSL response '${response}'`,
        bytes: answer,
        spans,
        inTunnel: false,
      });
      if (response !== 'S') {
        return {
          ...wire,
          entries: pre,
          refused:
            response === 'N'
              ? "the server answered 'N': it does not accept TLS (ssl = off)"
              : 'the server answered with an error to SSLRequest',
        };
      }
    }
    const ours = openEngine(
      socket,
      o,
      o.anchors ? pkiVerifier({ anchors: o.anchors }) : acceptAnyCertificate,
      recorder && ((bytes) => recorder.record('client', bytes)),
    );
    const outcome = await Promise.race([
      ours.settled(o.timeout),
      ours.ended(o.timeout).then(() => 'ended' as const),
    ]);
    await ours.idle();
    const result: Result = { ...wire, entries: [...pre, ...ours.eventLog] };
    const complete = ours.eventLog.find((e) => e.kind === 'handshake_complete');
    if (complete?.kind === 'handshake_complete') result.summary = complete.summary;
    const keyLog = keyLogText(ours.eventLog, result.summary);
    if (o.keylog && keyLog) appendFileSync(o.keylog, keyLog);
    const alert = handshakeAlert(ours.eventLog);
    if (alert) result.alert = alert;
    if (outcome !== 'complete') {
      if (!alert)
        throw new Error(`the connection ended during the handshake (state ${ours.state}) without an alert`);
      return result;
    }
    if (o.pgUser) {
      const startup = encodeStartupMessage({
        user: o.pgUser,
        database: o.pgDatabase ?? o.pgUser,
        application_name: 'tls-lab',
      });
      const before = ours.eventLog.length;
      await ours.send(startup);
      const splitter = new BackendMessageSplitter();
      let seen = before;
      let reply: BackendMessage | undefined;
      const sent = ours.eventLog
        .slice(before)
        .find((e): e is ApplicationDataEntry => e.kind === 'application_data' && e.from === 'client');
      const tunnel: EventLogEntry[] = [
        {
          kind: 'postgres',
          from: 'client',
          label: 'StartupMessage',
          bytes: startup,
          spans: decodeOwnBytes(startup, decodeStartupMessage).spans,
          inTunnel: true,
          ...(sent ? { carriedIn: [sent.id] } : {}),
        },
      ];
      // The application data entries holding the start of the message the splitter is still waiting for.
      let open: string[] = [];
      let waiting = false;
      reading: while (!reply || waiting) {
        await ours.waitFor(
          (e) =>
            ours.eventLog.indexOf(e) >= seen &&
            ((e.kind === 'application_data' && e.from === 'server') || e.kind === 'closed'),
          o.timeout,
        );
        for (const e of ours.eventLog.slice(seen)) {
          if (e.kind === 'closed' && !reply) {
            // A TLS 1.3 server checks our certificate flight after our Finished: its alert comes here.
            result.alert = handshakeAlert(ours.eventLog);
            if (result.alert) break reading;
            throw new Error(
              `the server closed the connection before answering the StartupMessage (${e.reason})`,
            );
          }
          if (e.kind === 'closed') waiting = false;
          if (e.kind !== 'application_data' || e.from !== 'server') continue;
          open.push(e.id);
          for (const bytes of splitter.push(e.data)) {
            const { message, spans } = decodeBackendMessage(bytes);
            tunnel.push({
              kind: 'postgres',
              from: 'server',
              label: describeBackendMessage(message).split('\n')[0]!,
              bytes,
              spans,
              inTunnel: true,
              carriedIn: open,
            });
            open = [e.id];
            // The reply is the first authentication message, unless an ErrorResponse follows it: under trust,
            // AuthenticationOk comes before a FATAL for a role or database that does not exist.
            if (message.type === 'error' || (!reply && message.type === 'authentication')) reply = message;
            // Trust: AuthenticationOk is followed by ParameterStatus, BackendKeyData and ReadyForQuery; keep
            // reading until the server waits for us (ReadyForQuery, an authentication request) or refused.
            if (message.type === 'authentication' && message.code === 0) waiting = true;
            if (message.type === 'ready_for_query' || message.type === 'error') waiting = false;
          }
          if (!splitter.pending) open = [];
        }
        seen = ours.eventLog.length;
      }
      result.pgReply = reply;
      result.entries.push(...tunnel);
    }
    await ours.close();
    // A TLS 1.2 server's verdict is its Finished, already read; a TLS 1.3 server's may come after ours.
    if (result.summary?.version === ProtocolVersion.values.TLSv1_3)
      await peerClosed(ours, Math.min(o.timeout, CLOSE_WAIT_MS));
    // What the server sent after our last flight: its tickets, and in TLS 1.3 an alert refusing our certificate
    // flight, which only comes after our Finished (RFC 8446 §4.4.2.4), as `openssl s_client` reports it.
    result.alert ??= handshakeAlert(ours.eventLog);
    result.entries = placeInTunnel([
      ...pre,
      ...ours.eventLog,
      ...result.entries.filter((e) => e.kind === 'postgres' && e.inTunnel),
    ]);
    return result;
  } finally {
    socket.end();
    socket.destroy();
  }
}

/** How long we wait, after our close_notify, for the server to close its side (it need not, RFC 8446 §6.1). */
const CLOSE_WAIT_MS = 2000;

/** The fatal alert that failed the handshake (`fatalAlertOf`: not one that ended a connection after it). */
function handshakeAlert(log: readonly EventLogEntry[]): AlertEntry | undefined {
  const fatal = fatalAlertOf(log);
  return fatal && !fatal.afterHandshake ? fatal.alert : undefined;
}

/** Resolves when the server has closed (its close_notify, a fatal alert or the end of the stream), or after `ms`. */
async function peerClosed(ours: EngineSocket, ms: number): Promise<void> {
  await Promise.race([
    ours.ended(ms),
    ours.waitFor((e) => e.kind === 'closed' && e.from === 'server', ms),
  ]).catch(() => undefined);
  await ours.idle();
}

/** The first line of the report: how the handshake ended. */
export function outcomeLine(o: Options, r: Result, color = false): string {
  const paint = painter(color);
  const bad = (word: string) => paint('red', paint('bold', word));
  if (r.refused) return `${bad('REFUSED')}: PostgreSQL refused TLS: ${r.refused}`;
  if (r.alert) return `${bad('HANDSHAKE FAILED')}: ${alertText(r.alert)}`;
  if (r.pgReply?.type === 'error')
    return `${bad('REFUSED')} by PostgreSQL after the handshake: ${describeBackendMessage(r.pgReply).split('\n')[0]}`;
  const s = r.summary;
  const what = s
    ? `${versionName(s.version)}, ${s.cipherSuiteName}${s.groupName ? `, ${groupKeyExchange(s.group, s.groupName)}` : ''}`
    : 'TLS';
  const verified = o.ca
    ? `certificate verified against ${o.ca}${o.serverName ? ` for ${o.serverName}` : ''}`
    : `certificate ${paint('yellow', 'NOT verified')} (no --ca given)`;
  return `${paint('green', paint('bold', 'HANDSHAKE COMPLETE'))}: ${what}; ${verified}`;
}

export function formatSummary(o: Options, r: Result, color = false): string {
  const lines: string[] = [outcomeLine(o, r, color)];
  if (r.pgReply) lines.push(`PostgreSQL replied: ${describeBackendMessage(r.pgReply)}`);
  lines.push('');
  lines.push(
    `Connected to ${o.host}:${o.port}${o.starttls ? ' (PostgreSQL SSLRequest)' : o.directPostgres ? ' (PostgreSQL direct TLS, ALPN postgresql)' : ''}`,
  );
  const encrypted = encryptedContents(r.entries);
  for (const e of r.entries) {
    const line = entryLine(e, encrypted);
    if (line !== undefined) lines.push(line);
    // As `--pcap` lists the same connection (its --pcap-out file): each piece of application data.
    else if (e.kind === 'application_data') lines.push(applicationDataLine(e, 'encrypted'));
  }
  const s = r.summary;
  if (s) {
    lines.push('');
    lines.push(...summaryLines(s));
    lines.push(
      o.ca
        ? `Certificate verified against ${o.ca}${o.serverName ? ` for ${o.serverName}` : ''}`
        : 'Certificate NOT verified (no --ca given)',
    );
  }
  return lines.join('\n');
}

/**
 * What to know before opening the --pcap-out file: TLS from the first byte (direct TLS, or plain TLS) on PostgreSQL's
 * port, which Wireshark 4.0's PostgreSQL dissector takes, so it shows no TLS without Decode As
 * (tests/interop/lab-tls13-pcapng-tshark.test.ts). After an SSLRequest the dissector hands over to TLS itself.
 */
export function pcapOutNote(
  o: Pick<Options, 'pcapOut' | 'starttls'>,
  serverPort: number,
): string | undefined {
  if (!o.pcapOut || o.starttls || serverPort !== 5432) return undefined;
  return `${o.pcapOut}: Wireshark 4.0 reads port 5432 as PostgreSQL's own protocol and shows no TLS in a connection without an SSLRequest: use Decode As TLS (tshark -d tcp.port==5432,tls)`;
}

/** --pcap-out: the connection as pcapng, with its key log lines in a Decryption Secrets Block. */
function writePcapOut(path: string, r: Result): void {
  const { recorder, ends } = r.wire!;
  const keyLog = keyLogText(r.entries, r.summary);
  try {
    writeFileSync(path, recordedPcapng(recorder, ends, keyLog));
  } catch (e) {
    throw new Error(`cannot write --pcap-out ${path}: ${messageOf(e)}`);
  }
}

export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  let o: Options | PcapOptions;
  try {
    o = parseOptions(argv);
  } catch (e) {
    io.err(`tls-lab handshake: ${messageOf(e)}\n\n${usage}\n`);
    return 1;
  }
  if ('pcap' in o) return runPcap(o, io);
  let r: Result;
  // checkFiles creates a missing --pcap-out file; a run that fails before writing it leaves none behind.
  const pcapOutCreated = o.pcapOut !== undefined && !existsSync(o.pcapOut);
  try {
    o = await checkFiles(o);
    r = await handshake(o);
    if (o.pcapOut && r.wire) {
      writePcapOut(o.pcapOut, r);
      const note = pcapOutNote(o, r.wire.ends.server.port);
      if (note) io.err(`tls-lab handshake: ${note}\n`);
    }
  } catch (e) {
    if (pcapOutCreated && o.pcapOut && existsSync(o.pcapOut) && statSync(o.pcapOut).size === 0)
      rmSync(o.pcapOut);
    io.err(`tls-lab handshake: ${messageOf(e)}\n`);
    return 1;
  }
  io.out(`${o.json ? eventLogToJson(r.entries, 2) : formatSummary(o, r, io.color)}\n`);
  if (r.refused) {
    io.err(`tls-lab handshake: PostgreSQL refused TLS: ${r.refused}\n`);
    return 3;
  }
  if (r.alert) {
    io.err(`tls-lab handshake: failed: ${alertText(r.alert)}\n`);
    return 2;
  }
  if (r.pgReply?.type === 'error') {
    io.err(
      `tls-lab handshake: PostgreSQL refused the StartupMessage: ${describeBackendMessage(r.pgReply)}\n`,
    );
    return 3;
  }
  return 0;
}
