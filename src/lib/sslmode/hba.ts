/**
 * pg_hba.conf as the server reads it for a TCP connection: the first line whose connection type, database,
 * user and address all match decides; nothing falls through after an authentication failure.
 *
 * Source: PostgreSQL `src/backend/libpq/hba.c` `parse_hba_line()`, `parse_hba_auth_opt()` (clientcert,
 * clientname), `check_hba()` (PG15-18);
 * D: client-auth.sgml "The pg_hba.conf File" (https://www.postgresql.org/docs/17/auth-pg-hba-conf.html).
 */

import type { AuthMethod } from './types.ts';

export type HbaType = 'local' | 'host' | 'hostssl' | 'hostnossl' | 'hostgssenc' | 'hostnogssenc';

export interface HbaLine {
  /** 1-based line number in the hba list as given. */
  readonly line: number;
  readonly text: string;
  readonly type: HbaType;
  readonly databases: readonly string[];
  readonly users: readonly string[];
  /** CIDR ("127.0.0.1/32"), "all", "samehost", "samenet", or a host name. Absent for `local`. */
  readonly address?: string;
  readonly method: AuthMethod | (string & {});
  readonly options: Readonly<Record<string, string>>;
}

export type HbaParse = { ok: true; lines: HbaLine[] } | { ok: false; line: number; error: string };

const TYPES: readonly string[] = ['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'];

function splitTokens(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of text) {
    if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (!quoted && (c === ' ' || c === '\t')) {
      if (current) tokens.push(current);
      current = '';
    } else current += c;
  }
  if (current) tokens.push(current);
  return tokens;
}

const unquote = (s: string): string => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

/** hba.c `parse_hba_line()`, for the subset the engine models. */
export function parseHba(lines: readonly string[]): HbaParse {
  const out: HbaLine[] = [];
  for (let n = 0; n < lines.length; n++) {
    const text = (lines[n] ?? '').replace(/#.*$/, '').trim();
    if (text === '') continue;
    const tokens = splitTokens(text);
    const type = tokens[0] ?? '';
    if (!TYPES.includes(type)) return { ok: false, line: n + 1, error: `invalid connection type "${type}"` };
    const databases = (tokens[1] ?? '').split(',').map(unquote);
    const users = (tokens[2] ?? '').split(',').map(unquote);
    let rest = tokens.slice(3);
    let address: string | undefined;
    if (type !== 'local') {
      address = rest[0];
      rest = rest.slice(1);
      // "IP-address IP-mask" form: turn the mask into a prefix length.
      if (address && !address.includes('/') && /^[\d.]+$/.test(address) && /^[\d.]+$/.test(rest[0] ?? '')) {
        address = `${address}/${maskBits(rest[0]!)}`;
        rest = rest.slice(1);
      }
      if (!address) return { ok: false, line: n + 1, error: 'end-of-line before IP address specification' };
    }
    const method = rest[0];
    if (!method) return { ok: false, line: n + 1, error: 'end-of-line before authentication method' };
    const options: Record<string, string> = {};
    for (const opt of rest.slice(1)) {
      const eq = opt.indexOf('=');
      if (eq === -1) {
        return { ok: false, line: n + 1, error: `authentication option not in name=value format: ${opt}` };
      }
      options[opt.slice(0, eq)] = opt.slice(eq + 1);
    }
    if (method === 'cert' && type !== 'hostssl') {
      return {
        ok: false,
        line: n + 1,
        error: 'cert authentication is only supported on hostssl connections',
      };
    }
    if (options['clientcert'] !== undefined && type !== 'hostssl') {
      return { ok: false, line: n + 1, error: 'clientcert can only be configured for "hostssl" rows' };
    }
    const clientcert = options['clientcert'];
    if (clientcert !== undefined && clientcert !== 'verify-ca' && clientcert !== 'verify-full') {
      return { ok: false, line: n + 1, error: `invalid value for clientcert: "${clientcert}"` };
    }
    const clientname = options['clientname'];
    if (clientname !== undefined && type !== 'hostssl') {
      return { ok: false, line: n + 1, error: 'clientname can only be configured for "hostssl" rows' };
    }
    if (clientname !== undefined && clientname !== 'CN' && clientname !== 'DN') {
      return { ok: false, line: n + 1, error: `invalid value for clientname: "${clientname}"` };
    }
    if (method === 'cert' && options['clientcert'] === 'verify-ca') {
      return {
        ok: false,
        line: n + 1,
        error: 'clientcert only accepts "verify-full" when using "cert" authentication',
      };
    }
    out.push({ line: n + 1, text, type: type as HbaType, databases, users, address, method, options });
  }
  return { ok: true, lines: out };
}

function maskBits(mask: string): number {
  return mask
    .split('.')
    .map((o) => Number(o))
    .reduce((bits, o) => bits + (o.toString(2).match(/1/g)?.length ?? 0), 0);
}

/** Parses an IPv4 or IPv6 literal to bytes; null when it is not one. */
export function ipBytes(text: string): Uint8Array | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    if (octets.some((o) => o > 255)) return null;
    return new Uint8Array(octets);
  }
  if (!text.includes(':')) return null;
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return null;
  const parse = (part: string | undefined): number[] | null => {
    if (!part) return [];
    const groups: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  if (!h || !t) return null;
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...h, ...new Array<number>(tail === undefined ? 0 : missing).fill(0), ...t];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

function addressMatches(spec: string, clientAddress: string, serverAddresses: readonly string[]): boolean {
  if (spec === 'all') return true;
  if (spec === 'samehost') return serverAddresses.includes(clientAddress);
  const slash = spec.indexOf('/');
  if (slash === -1) return false; // host names would need reverse DNS: not modelled, never matches
  const net = ipBytes(spec.slice(0, slash));
  const bits = Number(spec.slice(slash + 1));
  const addr = ipBytes(clientAddress);
  if (!net || !addr || net.length !== addr.length) return false;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i % 8);
    if ((net[i >> 3]! & mask) !== (addr[i >> 3]! & mask)) return false;
  }
  return true;
}

export interface HbaRequest {
  readonly ssl: boolean;
  readonly serverSsl: boolean;
  readonly user: string;
  readonly database: string;
  readonly clientAddress: string;
  readonly serverAddresses: readonly string[];
}

/** hba.c `check_hba()`: the first matching line, or null (the implicit reject, `uaImplicitReject`). */
export function matchHba(lines: readonly HbaLine[], req: HbaRequest): HbaLine | null {
  for (const line of lines) {
    if (line.type === 'local') continue;
    if (line.type === 'hostssl' && (!req.ssl || !req.serverSsl)) continue;
    if (line.type === 'hostnossl' && req.ssl) continue;
    if (line.type === 'hostgssenc') continue; // GSS encryption is not modelled: never in use
    if (!addressMatches(line.address ?? '', req.clientAddress, req.serverAddresses)) continue;
    const dbOk = line.databases.some(
      (d) =>
        d === 'all' ||
        d === req.database ||
        ((d === 'sameuser' || d === 'samerole') && req.database === req.user),
    );
    if (!dbOk) continue;
    if (!line.users.some((u) => u === 'all' || u === req.user)) continue;
    return line;
  }
  return null;
}

/** auth.c `ClientAuthentication()`: the last `%s` of the pg_hba messages. */
export const encryptionLabel = (ssl: boolean): string => (ssl ? 'SSL encryption' : 'no encryption');
