/**
 * What a TCP connection carries, read from the first bytes of each direction: TLS records (any port),
 * PostgreSQL's SSLRequest then `S` then TLS, or PostgreSQL 17's direct TLS (a ClientHello offering ALPN
 * "postgresql"). The ClientHello is decoded by the TLS wire decoder (tls12), never by a parser of our own. A
 * capture that starts after the handshake is TLS too when both directions begin with TLS records (of any type), or
 * with the end of one followed by whole records (a capture begun inside a record).
 */
import { concatBytes, tryDecode } from '../bytes/index.ts';
import { decodeClientHello, findExtension } from '../tls12/index.ts';
import { recordBoundary, recordChain } from '../tls12/wire/record-boundary.ts';
import type { ConnectionKind, Direction, StreamChunk } from './types.ts';

/** PostgreSQL SSLRequest: length 8, code 80877103 (protocol.sgml). */
export const SSL_REQUEST = Uint8Array.of(0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f);
const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
/** Enough for any ClientHello we decode: it may span records, each at most 2^14 + 5 bytes. */
const PREFIX_LIMIT = 4 * (16384 + 5);

/** The contiguous bytes a direction sent from offset 0, up to `limit` (a copy only when several chunks are joined). */
export function streamPrefix(
  chunks: readonly StreamChunk[],
  from: Direction,
  limit = PREFIX_LIMIT,
): Uint8Array {
  const parts: Uint8Array[] = [];
  let next = 0;
  for (const c of chunks) {
    if (c.from !== from) continue;
    if (c.offset !== next || next >= limit) break;
    parts.push(c.bytes);
    next += c.bytes.length;
  }
  if (parts.length === 1) return (parts[0] as Uint8Array).subarray(0, limit);
  return concatBytes(...parts).subarray(0, limit);
}

function startsWith(b: Uint8Array, prefix: Uint8Array, at = 0): boolean {
  if (b.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[at + i] !== prefix[i]) return false;
  return true;
}

/** A TLS record header (handshake, SSL 3.0 to TLS 1.3 record versions) at `at`. */
export function looksLikeTlsHandshake(b: Uint8Array, at = 0): boolean {
  return b[at] === HANDSHAKE && b[at + 1] === 3 && (b[at + 2] ?? 9) <= 4;
}

/**
 * TLS records from `b`'s start: each header whose bytes are all in `b` has a content type 20 to 23, version 3.1 to
 * 3.4 and a length a peer may send (at most 2^14 + 2048, RFC 5246 §6.2.3), and there is at least one.
 */
export function looksLikeTlsRecords(b: Uint8Array): boolean {
  return (recordChain(b)?.headers ?? 0) > 0;
}

export function looksLikeClientHello(b: Uint8Array, at = 0): boolean {
  return looksLikeTlsHandshake(b, at) && b[at + 5] === CLIENT_HELLO;
}

export function isSslRequest(b: Uint8Array): boolean {
  return startsWith(b, SSL_REQUEST);
}

/**
 * A PostgreSQL connection whose server answered its SSLRequest with 'N' (it does not accept SSL: ssl = off, a server
 * built without it, a pooler without TLS), so no TLS followed: the client went on unencrypted (sslmode prefer or
 * allow) or gave up.
 */
export function sslRequestRefused(chunks: readonly StreamChunk[]): boolean {
  return isSslRequest(streamPrefix(chunks, 'client')) && streamPrefix(chunks, 'server')[0] === 0x4e;
}

export interface HelloFacts {
  sni?: string;
  alpn: string[];
}

/** The ClientHello at `at` (handshake records joined), decoded by tls12's decoder; undefined if it does not decode. */
export function clientHelloFacts(b: Uint8Array, at = 0): HelloFacts | undefined {
  const fragments: Uint8Array[] = [];
  let have = 0;
  let need = Infinity;
  let p = at;
  while (have < need && looksLikeTlsHandshake(b, p) && p + 5 <= b.length) {
    const length = ((b[p + 3] ?? 0) << 8) | (b[p + 4] ?? 0);
    const fragment = b.subarray(p + 5, p + 5 + length);
    fragments.push(fragment);
    have += fragment.length;
    p += 5 + length;
    if (need === Infinity && have >= 4) {
      const joined = fragments.length === 1 ? fragment : concatBytes(...fragments);
      need = 4 + (((joined[1] ?? 0) << 16) | ((joined[2] ?? 0) << 8) | (joined[3] ?? 0));
    }
    if (fragment.length < length) break;
  }
  if (have < need) return undefined;
  const message = concatBytes(...fragments).subarray(0, need);
  const decoded = tryDecode(() => decodeClientHello(message));
  if (!decoded.ok) return undefined;
  const extensions = decoded.value.message.extensions ?? [];
  const sni = findExtension(extensions, 'server_name')?.names[0]?.hostName;
  const alpn = findExtension(extensions, 'alpn')?.protocols ?? [];
  return sni === undefined ? { alpn } : { sni, alpn };
}

/**
 * What a connection carries, from each direction's first bytes. `fromStart`: whether each direction is held from its
 * first byte (its SYN is in the capture); one that is not may begin inside a record, while bytes before a record in
 * one that is are some other protocol (an HTTP CONNECT, SMTP before STARTTLS).
 */
export function classify(
  client: Uint8Array,
  server: Uint8Array,
  fromStart: { client: boolean; server: boolean } = { client: true, server: true },
): { kind: ConnectionKind; sni?: string } {
  const withSni = (
    kind: ConnectionKind,
    facts: HelloFacts | undefined,
  ): { kind: ConnectionKind; sni?: string } =>
    facts?.sni === undefined ? { kind } : { kind, sni: facts.sni };
  if (
    isSslRequest(client) &&
    (server.length === 0 || server[0] === 0x53) &&
    (client.length === 8 || looksLikeTlsHandshake(client, 8))
  )
    return withSni('postgres-ssl', clientHelloFacts(client, 8));
  if (looksLikeTlsHandshake(client)) {
    const facts = clientHelloFacts(client);
    return withSni(facts?.alpn.includes('postgresql') ? 'postgres-direct-tls' : 'tls', facts);
  }
  if (client.length === 0 && looksLikeTlsHandshake(server)) return { kind: 'tls' };
  // Started after the handshake: records (application data, alerts) in every direction that sent anything, from
  // its first byte or, for a capture begun inside a record, from the first record boundary.
  const records = (b: Uint8Array, held: boolean) =>
    b.length === 0 || looksLikeTlsRecords(b) || (!held && recordBoundary(b, true) !== undefined);
  if (
    (client.length > 0 || server.length > 0) &&
    records(client, fromStart.client) &&
    records(server, fromStart.server)
  )
    return { kind: 'tls' };
  return { kind: 'other' };
}
