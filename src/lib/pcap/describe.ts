/**
 * What the CLI (`tls-lab handshake --pcap`) and the Handshake Lab both say and do with a found connection, in one
 * place so the two agree: its endpoints and kind in words, the items the observer reads (chunks with the capture's
 * holes placed among them), and the key log it is read with (the pcapng's own Decryption Secrets Blocks first,
 * then the user's file; each source keeps its own line numbers), and what the reader skipped in the file (their
 * sentences are `content/handshake/capture-import.ts`).
 */
import {
  observeConnection,
  parseKeyLog,
  type KeyLogEntry,
  type Observation,
  type ObserveOptions,
  type ResumableSession,
} from '../tls12/index.ts';
import type {
  ConnectionKind,
  Endpoint,
  PcapWarning,
  StreamChunk,
  StreamGap,
  TcpConnection,
} from './types.ts';

/**
 * How client and server were told apart when the capture holds neither the SYN nor a hello, or undefined when it
 * shows which is which (the CLI's listing and the lab's picker both say it).
 */
export function clientGuess(c: Pick<TcpConnection, 'clientBy'>): string | undefined {
  if (c.clientBy === 'port')
    return 'client and server told apart by port (the one below the ephemeral range, 32768, taken as the server): the capture holds neither the SYN nor a hello';
  if (c.clientBy === 'first-packet')
    return "client and server guessed (the first packet's sender taken as the client): the capture holds neither the SYN nor a hello";
  return undefined;
}

/** How many earlier connections to the same server a resumed session is looked for in (nearest first). */
export const SESSION_LOOKBACK = 50;

/**
 * Connection `index` of `connections` (the capture's TLS connections, numbered from 1 as listed) read by the
 * observer, as the CLI and the lab both read it: a TLS 1.2 connection with no key log line of its own is read again
 * with the sessions the earlier connections to the same server set up (Wireshark's session cache: a resumed
 * session's master secret is the one its first connection's line gave), the nearest SESSION_LOOKBACK of them.
 */
export async function observeInCapture(
  connections: readonly TcpConnection[],
  index: number,
  options: ObserveOptions,
): Promise<Observation> {
  const c = connections[index]!;
  // A direction whose SYN is not in the capture may begin anywhere, even inside a record.
  const own = { ...options, fromStart: c.fromStart };
  const seen = await observeConnection(observedItems(c), own);
  if (seen.decryption.status !== 'no-matching-line' || !options.keyLog || !seen.resumesSession) return seen;
  const same = (e: Endpoint) => e.address === c.server.address && e.port === c.server.port;
  const earlier = connections
    .slice(0, index)
    .map((e, i) => ({ e, n: i + 1 }))
    .filter(({ e }) => same(e.server))
    .slice(-SESSION_LOOKBACK);
  const sessions: ResumableSession[] = [];
  for (const { e, n } of earlier) {
    const session = (await observeConnection(observedItems(e), { ...options, fromStart: e.fromStart }))
      .session;
    if (session) sessions.push({ ...session, connection: n });
  }
  return sessions.length > 0 ? observeConnection(observedItems(c), { ...own, sessions }) : seen;
}

/** What a connection speaks, as the CLI's listing and the lab's picker name it. */
export const CONNECTION_KIND_NAMES: Record<ConnectionKind, string> = {
  tls: 'TLS',
  'postgres-ssl': 'PostgreSQL SSLRequest, then TLS',
  'postgres-direct-tls': 'PostgreSQL direct TLS (ALPN postgresql)',
  other: 'not TLS',
};

/** host:port, an IPv6 address in brackets (RFC 3986 §3.2.2). */
export function formatEndpoint(e: Endpoint): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/**
 * The connection as the observer reads it: its chunks in capture order, each gap placed before the first chunk
 * of its direction that lies past it, and the gaps no chunk follows at the end.
 */
export function observedItems(c: TcpConnection): (StreamChunk | StreamGap)[] {
  const gaps: StreamGap[] = [...c.gaps];
  const items: (StreamChunk | StreamGap)[] = [];
  for (const chunk of c.chunks) {
    for (let i = 0; i < gaps.length; i++) {
      const g = gaps[i]!;
      if (g.from === chunk.from && g.offset < chunk.offset) {
        items.push(g);
        gaps.splice(i--, 1);
      }
    }
    items.push(chunk);
  }
  return [...items, ...gaps];
}

/** One key log and where it came from. */
export interface KeyLogSource {
  name: string;
  entries: KeyLogEntry[];
}

/** The name the capture's own key log goes by in reports. */
export const CAPTURE_KEY_LOG_NAME = "the capture's Decryption Secrets Block";

/**
 * The key logs a connection of this capture is read with: the capture's own (pcapng DSB), then the user's file, the
 * order Wireshark reads them in; where both have a line for the same secret the observer uses the last, the file's,
 * as Wireshark does (`keyLogLine`).
 * A source that is not an NSS key log is left out and named in `unreadable` with the parser's reason (line and
 * what is wrong).
 */
export function keyLogSources(
  captureKeyLog: string | undefined,
  file?: { name: string; text: string },
): { sources: KeyLogSource[]; unreadable: { name: string; reason: string }[] } {
  const sources: KeyLogSource[] = [];
  const unreadable: { name: string; reason: string }[] = [];
  const given = [
    ...(captureKeyLog !== undefined ? [{ name: CAPTURE_KEY_LOG_NAME, text: captureKeyLog }] : []),
    ...(file ? [file] : []),
  ];
  for (const { name, text } of given) {
    try {
      sources.push({ name, entries: parseKeyLog(text).map((e) => ({ ...e, source: name })) });
    } catch (e) {
      unreadable.push({ name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { sources, unreadable };
}

/** "1 packet", "2 packets". */
export function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** A per-packet warning in words: which packet, where in the file, what. */
export function describeWarning(w: PcapWarning): string {
  return w.packet < 0 ? w.message : `packet ${w.packet + 1} (file offset ${w.offset}): ${w.message}`;
}

/** How many things the reader skipped: each warning, and those a capped list's last note stands for. */
export function warningCount(warnings: readonly PcapWarning[]): number {
  return warnings.reduce((n, w) => n + (w.leftOut ?? 1), 0);
}
