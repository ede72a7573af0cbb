/**
 * One connection target written in each driver's own syntax: libpq key=value (or its URI), node-postgres /
 * pgx / asyncpg postgres:// URLs, pgJDBC jdbc:postgresql:// URLs, Npgsql Key=Value;. Reading any of them gives
 * libpq keywords; writing carries over the keywords the target driver has and names the ones it has not.
 */

import { libpqKeywords, parseConninfo } from './conninfo.ts';
import { parsePgConnectionString } from './pg-connection-string.ts';
import type { Driver } from './types.ts';

/** libpq keyword -> value, in the order written. */
export type Settings = ReadonlyMap<string, string>;

/** Npgsql's keys (lower case, spaces removed) for the libpq keywords it has. */
const NPGSQL_KEYS: Readonly<Record<string, string>> = {
  host: 'Host',
  port: 'Port',
  dbname: 'Database',
  user: 'Username',
  password: 'Password',
  sslmode: 'SSL Mode',
  sslrootcert: 'Root Certificate',
  sslcert: 'SSL Certificate',
  sslkey: 'SSL Key',
  sslpassword: 'SSL Password',
  application_name: 'Application Name',
  connect_timeout: 'Timeout',
};
const NPGSQL_MODES: Readonly<Record<string, string>> = {
  disable: 'Disable',
  allow: 'Allow',
  prefer: 'Prefer',
  require: 'Require',
  'verify-ca': 'VerifyCA',
  'verify-full': 'VerifyFull',
};

/** URL query parameters each URL-taking driver reads (besides user, password, host, port, database). */
const URL_PARAMS: Readonly<Record<'node-postgres' | 'pgx' | 'asyncpg' | 'pgjdbc', readonly string[]>> = {
  // pg-connection-string / connection-parameters.js: sslmode, sslrootcert, sslcert, sslkey, sslnegotiation, ...
  'node-postgres': [
    'sslmode',
    'sslrootcert',
    'sslcert',
    'sslkey',
    'sslnegotiation',
    'application_name',
    'options',
  ],
  // pgconn ParseConfig: every libpq keyword it knows, URL or key=value.
  pgx: [
    'sslmode',
    'sslrootcert',
    'sslcert',
    'sslkey',
    'sslpassword',
    'sslsni',
    'application_name',
    'connect_timeout',
    'target_session_attrs',
    'options',
  ],
  // asyncpg connect_utils.py _parse_connect_dsn_and_args: the query parameters it reads itself (drivers/settings.ts
  // ASYNCPG_DSN_KEYS), and two it forwards to the server, which accepts them as run-time settings. Any other one it
  // would forward too, and the server refuses a libpq keyword (connect_timeout, channel_binding, ...).
  asyncpg: [
    'sslmode',
    'sslrootcert',
    'sslcert',
    'sslkey',
    'sslpassword',
    'sslcrl',
    'sslnegotiation',
    'ssl_min_protocol_version',
    'ssl_max_protocol_version',
    'target_session_attrs',
    'passfile',
    'application_name',
    'options',
  ],
  // PGProperty: sslmode, sslrootcert, sslcert, sslkey, sslpassword, ApplicationName, connectTimeout ...
  pgjdbc: ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslpassword', 'application_name', 'options'],
};

/**
 * Read a connection string as libpq keywords, whichever driver's syntax it is in (the syntax tells them apart:
 * jdbc:postgresql://, Key=Value;..., a postgres:// URL or libpq key=value); null when it cannot be read.
 * Npgsql keys without a libpq keyword are kept as `npgsql:<Key>`.
 */
export function readSettings(text: string): Settings | null {
  const trimmed = text.trim();
  if (
    !/^[a-z]+:\/\//i.test(trimmed) &&
    /^[A-Za-z][A-Za-z ]*=[^;]*(;|$)/.test(trimmed) &&
    trimmed.includes(';')
  ) {
    const back = new Map(
      Object.entries(NPGSQL_KEYS).map(([k, v]) => [v.toLowerCase().replace(/\s+/g, ''), k]),
    );
    back.set('server', 'host').set('userid', 'user').set('db', 'dbname');
    const out = new Map<string, string>();
    for (const part of trimmed.split(';')) {
      const eq = part.indexOf('=');
      if (eq === -1) continue;
      const key = part.slice(0, eq).trim();
      const value = part.slice(eq + 1).trim();
      const libpq = back.get(key.toLowerCase().replace(/\s+/g, ''));
      if (!libpq) out.set(`npgsql:${key}`, value);
      else if (libpq === 'sslmode') {
        const mode = Object.entries(NPGSQL_MODES).find(([, v]) => v.toLowerCase() === value.toLowerCase());
        out.set('sslmode', mode?.[0] ?? value);
      } else out.set(libpq, value);
    }
    return out;
  }
  const jdbc = /^jdbc:postgresql:\/\/([^/:?]*)(?::(\d+))?\/([^?]*)(?:\?(.*))?$/.exec(trimmed);
  if (jdbc) {
    const out = new Map<string, string>();
    if (jdbc[1]) out.set('host', jdbc[1]);
    if (jdbc[2]) out.set('port', jdbc[2]);
    if (jdbc[3]) out.set('dbname', decodeURIComponent(jdbc[3]));
    for (const [k, v] of new URLSearchParams(jdbc[4] ?? '')) {
      if (k === 'ssl' && (v === 'true' || v === '') && !out.has('sslmode')) out.set('sslmode', 'verify-full');
      else if (k === 'ApplicationName') out.set('application_name', v);
      else out.set(k, v);
    }
    return out;
  }
  const parsed = parseConninfo(trimmed);
  if (parsed.ok) return new Map(parsed.options);
  // A URL libpq refuses for a parameter it does not know (node-postgres's uselibpqcompat, a driver's own option,
  // a typo): read it as node-postgres does. Parameters libpq does not know are kept as `pg:<name>`, which no libpq
  // string is written with (as Npgsql's own keys are `npgsql:<Key>`).
  if (!/^postgres(ql)?:\/\//i.test(trimmed)) return null;
  const pg = parsePgConnectionString(trimmed);
  if (!pg.ok) return null;
  const { host, port, user, password, database, params } = pg.config;
  const out = new Map<string, string>();
  for (const [k, v] of [
    ['host', host],
    ['port', port],
    ['dbname', database ?? ''],
    ['user', user],
    ['password', password],
  ] as const)
    if (v) out.set(k, v);
  const libpq = libpqKeywords(17);
  for (const [k, v] of params) out.set(libpq.has(k) ? k : `pg:${k}`, v);
  return out;
}

/** libpq's quoting of a key=value value: single quotes when it is empty or holds a space, quote or backslash. */
function kvValue(v: string): string {
  return v === '' || /[\s'\\]/.test(v) ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : v;
}

export interface Translation {
  readonly conninfo: string;
  /** libpq keywords the target driver has no equivalent for, with their values. */
  readonly dropped: readonly string[];
}

/** Write libpq keywords in `driver`'s syntax. */
/**
 * `keepUnknown`: a URL driver's string keeps the query parameters the driver does not read, as the driver then sees
 * them (asyncpg forwards them to the server): for the string the user gave, with only the sslmode changed.
 */
export function writeSettings(driver: Driver, given: Settings, keepUnknown = false): Translation {
  // The target first (host, port, dbname, user, password), then the rest as written.
  const first = ['host', 'port', 'dbname', 'user', 'password'];
  const settings = new Map([
    ...first.flatMap((k) => (given.has(k) ? [[k, given.get(k)!] as const] : [])),
    ...[...given].filter(([k]) => !first.includes(k)),
  ]);
  const get = (k: string) => settings.get(k);
  const dropped: string[] = [];
  const host = get('host') ?? 'localhost';
  const port = get('port');
  const user = get('user');
  const password = get('password');
  const dbname = get('dbname');
  const core = new Set(['host', 'port', 'user', 'password', 'dbname']);
  if (driver === 'libpq') {
    const parts = [...settings]
      .filter(([k]) => !k.includes(':') || (dropped.push(`${k}=${settings.get(k)}`), false))
      .map(([k, v]) => `${k}=${kvValue(v)}`);
    return { conninfo: parts.join(' '), dropped };
  }
  if (driver === 'npgsql') {
    const parts: string[] = [];
    for (const [k, v] of settings) {
      const key = NPGSQL_KEYS[k] ?? (k.startsWith('npgsql:') ? k.slice(7) : undefined);
      if (!key) dropped.push(`${k}=${v}`);
      else parts.push(`${key}=${k === 'sslmode' ? (NPGSQL_MODES[v] ?? v) : v}`);
    }
    return { conninfo: parts.join(';'), dropped };
  }
  const allowed = new Set(URL_PARAMS[driver]);
  const query = new URLSearchParams();
  for (const [k, v] of settings) {
    if (core.has(k)) continue;
    if (allowed.has(k) || (keepUnknown && !k.includes(':'))) query.set(k, v);
    else dropped.push(`${k}=${v}`);
  }
  const q = query.toString();
  if (driver === 'pgjdbc') {
    const params = new URLSearchParams();
    if (user !== undefined) params.set('user', user);
    if (password !== undefined) params.set('password', password);
    for (const [k, v] of query) params.set(k, v);
    const p = params.toString();
    return {
      conninfo: `jdbc:postgresql://${host}${port ? `:${port}` : ''}/${encodeURIComponent(dbname ?? user ?? '')}${p ? `?${p}` : ''}`,
      dropped,
    };
  }
  const auth =
    user !== undefined
      ? `${encodeURIComponent(user)}${password !== undefined ? `:${encodeURIComponent(password)}` : ''}@`
      : '';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    conninfo: `postgres://${auth}${hostPart}${port ? `:${port}` : ''}/${dbname !== undefined ? encodeURIComponent(dbname) : ''}${q ? `?${q}` : ''}`,
    dropped,
  };
}

/** A connection string in one driver's syntax rewritten for another; null when the source cannot be read. */
export function translateConninfo(text: string, to: Driver): Translation | null {
  const settings = readSettings(text);
  return settings ? writeSettings(to, settings) : null;
}
