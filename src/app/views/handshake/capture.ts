/**
 * A capture opened from a file (`tls-lab handshake --connect ... --json`): read with a clear error for anything
 * else, and described by what its own bytes say (the ClientHello and ServerHello), never by the lab's controls.
 */
import {
  CipherSuite,
  type ClientHello,
  type HandshakeRun,
  type MessageEntry,
  NamedGroup,
  ProtocolVersion,
  type ServerHello,
  type Transcript,
  transcriptFromJson,
} from '../../../lib/tls12/index';

const KINDS = new Set([
  'record',
  'message',
  'change_cipher_spec',
  'secret',
  'alert',
  'application_data',
  'handshake_complete',
  'closed',
  'postgres',
]);

const EXPECTED = 'expected the JSON array printed by `tls-lab handshake --connect HOST:PORT --json`';

/** The run a capture file holds, or an Error saying what is wrong with it and where. */
export function parseCapture(text: string): HandshakeRun {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`it is not JSON (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const list = Array.isArray(parsed)
    ? parsed
    : parsed && typeof parsed === 'object' && Array.isArray((parsed as { transcript?: unknown }).transcript)
      ? (parsed as { transcript: unknown[] }).transcript
      : null;
  if (!list) throw new Error(`it holds no transcript: ${EXPECTED}`);
  if (list.length === 0) throw new Error(`its transcript is empty: ${EXPECTED}`);
  list.forEach((e, i) => {
    const kind = e && typeof e === 'object' ? (e as { kind?: unknown }).kind : undefined;
    if (typeof kind !== 'string' || !KINDS.has(kind))
      throw new Error(`entry ${i + 1} is not a transcript entry (kind ${JSON.stringify(kind)}): ${EXPECTED}`);
  });
  const transcript = transcriptFromJson(JSON.stringify(list));
  const complete = transcript.find((e) => e.kind === 'handshake_complete');
  const alert = transcript.find((e) => e.kind === 'alert' && e.level === 2);
  return {
    transcript,
    ok: !!complete && !alert,
    clientState: complete ? 'Established' : 'Closed',
    serverState: complete ? 'Established' : 'Closed',
    ...(complete?.kind === 'handshake_complete' ? { summary: complete.summary } : {}),
    ...(alert?.kind === 'alert' ? { alert } : {}),
    received: { client: [], server: [] },
  };
}

function hello<T extends 'client_hello' | 'server_hello'>(
  transcript: Transcript,
  type: T,
): (T extends 'client_hello' ? ClientHello : ServerHello) | undefined {
  const entry = transcript.find((e): e is MessageEntry => e.kind === 'message' && e.message.type === type);
  return entry?.message as (T extends 'client_hello' ? ClientHello : ServerHello) | undefined;
}

/** What the capture itself shows about how it was made: one line per setting, in the setup panel's order. */
export function captureSettings(transcript: Transcript): { name: string; value: string }[] {
  const ch = hello(transcript, 'client_hello');
  const sh = hello(transcript, 'server_hello');
  const out: { name: string; value: string }[] = [];
  const sslRequest = transcript.some((e) => e.kind === 'postgres' && !e.inTunnel && e.label === 'SSLRequest');
  const alpn = ch?.extensions?.find((x) => x.kind === 'alpn');
  const pgInTunnel = transcript.some((e) => e.kind === 'postgres' && e.inTunnel);
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
  out.push({ name: 'Client maximum version', value: ProtocolVersion.format(ch.clientVersion) });
  out.push({ name: 'Client offers', value: ch.cipherSuites.map((c) => CipherSuite.format(c)).join(', ') });
  const groups = ch.extensions?.find((x) => x.kind === 'supported_groups');
  if (groups)
    out.push({ name: 'Groups offered', value: groups.groups.map((g) => NamedGroup.format(g)).join(', ') });
  const emsOffered = ch.extensions?.some((x) => x.kind === 'extended_master_secret') ?? false;
  const emsAgreed = sh?.extensions?.some((x) => x.kind === 'extended_master_secret') ?? false;
  out.push({
    name: 'Extended master secret',
    value: `${emsOffered ? 'offered' : 'not offered'}${sh ? `, ${emsAgreed ? 'agreed' : 'not agreed'} by the server` : ''}`,
  });
  if (sh) {
    out.push({
      name: 'Server chose',
      value: `${ProtocolVersion.format(sh.serverVersion)}, ${CipherSuite.format(sh.cipherSuite)}`,
    });
  }
  return out;
}
