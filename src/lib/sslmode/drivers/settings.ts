/**
 * Each rule-table driver's own connection-string syntax, reduced to the settings the model needs: pgJDBC's
 * jdbc:postgresql:// URL, Npgsql's Key=Value;, pgx's libpq-style key=value or URL (read as Go's net/url and
 * pgconn read it), asyncpg's DSN (read as CPython's urllib.parse reads it). Errors are the driver's own texts.
 */

import { parseKeyValue } from '../conninfo.ts';
import { goQuery, goSplitHostPort, goUrlString, parseGoUrl } from '../go-url.ts';
import { ipBytes } from '../hba.ts';
import { isOneOf, SSLMODES, type SslMode } from '../names.ts';
import { pyInt, pyParseQsStrict, pyRepr, pyUnquote, pyUrlsplit } from '../py-url.ts';
import type { Scenario, TlsVersion } from '../types.ts';
import { DRIVER_RULES, type RuleTableDriver } from './rules.ts';

export interface DriverSettings {
  host: string;
  port: string;
  user: string;
  database: string;
  password: string | undefined;
  sslmode: SslMode;
  sslrootcert: string | undefined;
  /**
   * pgJDBC with sslfactory=org.postgresql.ssl.NonValidatingFactory: its trust manager accepts every certificate, so
   * no root file is read and no chain is checked in any mode; verify-full still checks the host name (MakeSSL).
   */
  trustsAnyCertificate?: boolean;
  /**
   * pgJDBC with a socket factory of the application's: what its TLS handshake decides is not modelled. The sentence
   * says so where a TLS handshake would happen.
   */
  unmodelledTls?: string;
  /**
   * pgJDBC's sslhostnameverifier when it is pgJDBC's own class, given by name: the default check, whose text names the
   * class as given.
   */
  hostnameVerifier?: string;
  /** pgJDBC with a host-name verifier of the application's: the sentence that stands for the host-name check. */
  unmodelledHostCheck?: string;
  /** asyncpg: ssl_min/max_protocol_version (DSN, else PGSSL{MIN,MAX}PROTOCOLVERSION); the minimum defaults to TLSv1.2. */
  tlsRange?: { readonly min: TlsVersion; readonly max: TlsVersion | undefined };
  /** pgx: the database as configured ('' when not given), which ConnectError prints. */
  configuredDatabase?: string;
  /**
   * asyncpg and pgx: the connection string's parameters the driver does not read itself, which it sends to the
   * server as run-time settings (asyncpg's server_settings, pgx's RuntimeParams), in the string's order.
   */
  serverSettings?: readonly string[];
}

/** pgJDBC's own host-name verifier class (its default, MakeSSL.verifyPeerName()). */
const PGJDBC_HOSTNAME_VERIFIER = 'org.postgresql.ssl.PGjdbcHostnameVerifier';

/** pgJDBC's socket factory that trusts every certificate (often pasted from old hosting guides with ssl=true). */
const NON_VALIDATING_FACTORY = 'org.postgresql.ssl.NonValidatingFactory';

/** Each driver's own connection-string syntax, reduced to the settings the model needs. */
export function parseDriverSettings(
  driver: RuleTableDriver,
  s: Scenario,
): DriverSettings | { error: string; cause?: string } {
  const text = s.client.conninfo;
  const env = s.client.env ?? {};
  const fallbackUser = s.client.osUser ?? 'postgres';
  if (driver === 'pgjdbc') {
    // jdbc:postgresql://host:port/db?user=..&password=..&ssl=..&sslmode=..&sslrootcert=..
    const m = /^jdbc:postgresql:\/\/([^/:?]*)(?::(\d+))?\/([^?]*)(?:\?(.*))?$/.exec(text);
    if (!m) return { error: `The engine expects a jdbc:postgresql://host:port/database URL, got: ${text}` };
    const q = new URLSearchParams(m[4] ?? '');
    // Driver.parseURL(): a parameter given twice keeps its last value.
    const get = (k: string): string | null => q.getAll(k).at(-1) ?? null;
    const given = get('sslmode');
    const ssl = get('ssl');
    // SslMode.of(): ssl=true (Boolean.parseBoolean: any case) or ssl= (empty) without sslmode means verify-full;
    // ssl=false means prefer. A given sslmode is matched ignoring case (equalsIgnoreCase).
    const sslmode =
      given === null
        ? ssl !== null && (ssl === '' || ssl.toLowerCase() === 'true')
          ? 'verify-full'
          : 'prefer'
        : given.toLowerCase();
    if (!isOneOf(SSLMODES, sslmode)) return { error: `Invalid sslmode value: ${given}` };
    // SocketFactoryFactory.getSslSocketFactory(), called by MakeSSL.convert() once the server answered 'S': no
    // sslfactory, or either LibPQFactory name, is LibPQFactory. Another factory decides trust in its own code: not
    // modelled. MakeSSL.verifyPeerName() (verify-full, after the handshake) uses sslhostnameverifier when given.
    const factory = get('sslfactory');
    const libpqFactory = [null, 'org.postgresql.ssl.LibPQFactory', 'org.postgresql.ssl.jdbc4.LibPQFactory'];
    const unmodelled = !(libpqFactory.includes(factory) || factory === NON_VALIDATING_FACTORY)
      ? `The engine models sslfactory=org.postgresql.ssl.LibPQFactory (the default) and ${NON_VALIDATING_FACTORY}, not ${factory}: another factory decides trust in its own code.`
      : undefined;
    const verifier = get('sslhostnameverifier');
    const ownVerifier = verifier === PGJDBC_HOSTNAME_VERIFIER;
    const user = get('user') ?? fallbackUser;
    return {
      host: m[1] || 'localhost',
      port: m[2] ?? '5432',
      user,
      database: m[3] || user,
      password: get('password') ?? undefined,
      sslmode,
      sslrootcert: get('sslrootcert') ?? undefined,
      ...(factory === NON_VALIDATING_FACTORY ? { trustsAnyCertificate: true } : {}),
      ...(unmodelled ? { unmodelledTls: unmodelled } : {}),
      ...(ownVerifier ? { hostnameVerifier: verifier } : {}),
      ...(verifier !== null && !ownVerifier
        ? {
            unmodelledHostCheck: `The engine models pgJDBC's own host-name check (${PGJDBC_HOSTNAME_VERIFIER}), not sslhostnameverifier=${verifier}: another verifier decides in its own code.`,
          }
        : {}),
    };
  }
  if (driver === 'npgsql') return parseNpgsql(text, env, fallbackUser);
  if (driver === 'asyncpg') return parseAsyncpgDsn(text, env, fallbackUser);
  // pgx: libpq-style key=value or URL (pgconn/config.go ParseConfigWithOptions()).
  let opts: ReadonlyMap<string, string>;
  if (/^postgres(ql)?:\/\//.test(text)) {
    const parsed = pgxUrlSettings(text);
    if ('error' in parsed) return parsed;
    opts = parsed;
  } else {
    const parsed = parseKeyValue(text);
    if (!parsed.ok)
      return { error: `cannot parse \`${text}\`: failed to parse as keyword/value (${parsed.error})` };
    opts = parsed.options;
  }
  const get = (k: string, e: string): string | undefined => opts.get(k) ?? env[e];
  const parseError = (msg: string): { error: string } => ({
    error: `cannot parse \`${redactPgxPassword(text)}\`: ${msg}`,
  });
  let sslmode = get('sslmode', 'PGSSLMODE') ?? 'prefer';
  const sslrootcert = get('sslrootcert', 'PGSSLROOTCERT');
  // ParseConfigWithOptions() (v5.10.0 config.go 446-469): per host, its port (or the first one) is parsed, then
  // configTLS() runs unless the host is a Unix socket directory. configTLS() (config.go 803-831) reads a named
  // sslrootcert before it looks at sslmode, so a missing file fails ParseConfig in every sslmode, disable too.
  const hosts = (get('host', 'PGHOST') ?? 'localhost').split(',');
  const ports = (get('port', 'PGPORT') ?? '5432').split(',');
  for (const [i, host] of hosts.entries()) {
    const portError = goPortError(ports[i] ?? ports[0]!);
    if (portError) return parseError(`invalid port (${portError})`);
    if (host.startsWith('/')) continue;
    if (sslrootcert !== undefined && sslrootcert !== '' && sslrootcert !== 'system') {
      if (s.client.files?.[sslrootcert] === undefined)
        return parseError(`failed to configure TLS (${DRIVER_RULES.pgx.texts.rootMissing(sslrootcert)})`);
    }
    if (sslrootcert === 'system') sslmode = 'verify-full';
    if (!isOneOf(SSLMODES, sslmode)) return parseError('failed to configure TLS (sslmode is invalid)');
  }
  // Not modelled: a string of Unix-socket hosts only, for which pgx never runs configTLS() and so never checks sslmode.
  if (!isOneOf(SSLMODES, sslmode)) return parseError('failed to configure TLS (sslmode is invalid)');
  const user = get('user', 'PGUSER') ?? fallbackUser;
  // config.go: every setting but the ones in notRuntimeParams is sent to the server as a run-time parameter.
  const serverSettings = [...opts.keys()].filter((k) => !PGX_NOT_RUNTIME_PARAMS.has(k));
  const database = get('dbname', 'PGDATABASE');
  return {
    ...(serverSettings.length > 0 ? { serverSettings } : {}),
    host: hosts[0]!,
    port: ports[0]!,
    user,
    // Not sent when empty (pgconn.go connect()): the server then takes the user name.
    database: database || user,
    configuredDatabase: database ?? '',
    password: get('password', 'PGPASSWORD'),
    sslmode,
    sslrootcert,
  };
}

/**
 * pgconn/config.go ParseConfigWithOptions() notRuntimeParams (v5.10.0, lines 399-423), keyed as the model reads
 * them (dbname for pgx's canonical "database"): every other setting is a run-time parameter for the server.
 */
const PGX_NOT_RUNTIME_PARAMS = new Set([
  'host',
  'port',
  'dbname',
  'user',
  'password',
  'passfile',
  'connect_timeout',
  'sslmode',
  'sslkey',
  'sslcert',
  'sslrootcert',
  'sslnegotiation',
  'sslpassword',
  'sslsni',
  'krbspn',
  'krbsrvname',
  'target_session_attrs',
  'service',
  'servicefile',
  'min_protocol_version',
  'max_protocol_version',
  'channel_binding',
  'require_auth',
]);

/** Npgsql's Key=Value; connection string (NpgsqlConnectionStringBuilder), reduced to the settings the model needs. */
function parseNpgsql(
  text: string,
  env: Readonly<Record<string, string>>,
  fallbackUser: string,
): DriverSettings | { error: string; cause?: string } {
  const kv = new Map<string, string>();
  // The keyword as DbConnectionOptions hands it to the builder's indexer: trimmed, lower-cased (GetKeyName()).
  const written = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const keyword = part.slice(0, eq).trim().toLowerCase();
    kv.set(keyword.replace(/\s+/g, ''), part.slice(eq + 1).trim());
    written.set(keyword.replace(/\s+/g, ''), keyword);
  }
  const modeText = kv.get('sslmode') ?? 'Prefer';
  const sslmode = npgsqlSslMode(modeText);
  if (!sslmode) {
    // The generated setter's Enum.Parse throws; the builder's indexer (NpgsqlConnectionStringBuilder.cs
    // this[keyword] set, v8.0.9 line 116) wraps it: new ArgumentException("Couldn't set " + keyword, keyword, e),
    // whose Message .NET ends with the parameter name; Enum.Parse's own text is its InnerException.
    const keyword = written.get('sslmode') ?? 'sslmode';
    return {
      error: `Couldn't set ${keyword} (Parameter '${keyword}')`,
      cause: `Requested value '${modeText}' was not found.`,
    };
  }
  const user = kv.get('username') ?? kv.get('userid') ?? kv.get('user') ?? fallbackUser;
  return {
    host: kv.get('host') ?? kv.get('server') ?? 'localhost',
    port: kv.get('port') ?? '5432',
    user,
    database: kv.get('database') ?? kv.get('db') ?? user,
    password: kv.get('password'),
    sslmode,
    sslrootcert: kv.get('rootcertificate') ?? env['PGSSLROOTCERT'],
  };
}

/**
 * Npgsql's SslMode from its connection-string value: the generated setter's GetValue() is
 * Enum.Parse(typeof(SslMode), s, ignoreCase: true) (src/Npgsql.SourceGenerators/NpgsqlConnectionStringBuilder.snbtxt,
 * v8.0.9 line 87), so a member name in any case (Disable, Allow, Prefer, Require, VerifyCA, VerifyFull) or its
 * number (0-5); libpq's spellings with '-' (verify-full) are no member names. Other numbers (which Enum.Parse
 * accepts) are not modelled: undefined, like a name that is no member.
 */
function npgsqlSslMode(text: string): SslMode | undefined {
  const members = ['disable', 'allow', 'prefer', 'require', 'verifyca', 'verifyfull'];
  const i = /^[0-9]+$/.test(text) ? Number(text) : members.indexOf(text.toLowerCase());
  return SSLMODES[i];
}

/**
 * pgconn/config.go parseURLSettings() (v5.10): Go's url.Parse, then each comma-separated host[:port] of the
 * authority split with net.SplitHostPort unless it is an IP or has no colon (isIPOnly); query keys override,
 * dbname as database. Settings keyed as the model reads them (dbname).
 */
function pgxUrlSettings(text: string): Map<string, string> | { error: string } {
  const parsed = parseGoUrl(text);
  if (!parsed.ok)
    return { error: `cannot parse \`${redactPgxPassword(text)}\`: failed to parse as URL (${parsed.error})` };
  const url = parsed.url;
  const m = new Map<string, string>();
  if (url.user?.username) m.set('user', url.user.username);
  if (url.user?.password !== undefined) m.set('password', url.user.password);
  const hosts: string[] = [];
  const ports: string[] = [];
  for (const hostport of url.host.split(',')) {
    if (hostport === '') continue;
    const bare = hostport.replace(/^\[+|\]+$/g, '');
    if (ipBytes(bare) !== null || !hostport.includes(':')) {
      hosts.push(bare);
      continue;
    }
    const split = goSplitHostPort(hostport);
    if (!split.ok)
      return {
        error: `cannot parse \`${redactPgxPassword(text)}\`: failed to parse as URL (failed to split host:port in '${hostport}', err: ${split.error})`,
      };
    if (split.host !== '') hosts.push(split.host);
    if (split.port !== '') ports.push(split.port);
  }
  if (hosts.length > 0) m.set('host', hosts.join(','));
  if (ports.length > 0) m.set('port', ports.join(','));
  const database = url.path.replace(/^\/+/, '');
  if (database !== '') m.set('dbname', database);
  // No ssl=true alias in v5.10.0 (pgx main added one after the release, commit 023281e5): "ssl" is a run-time
  // parameter like any other query key.
  for (const [k, v] of goQuery(url.rawQuery)) m.set(k === 'database' ? 'dbname' : k, v[0]!);
  return m;
}

/** pgconn/config.go parsePort(): strconv.ParseUint(s, 10, 16)'s error text, or "outside range" for 0. */
function goPortError(port: string): string | null {
  if (!/^[0-9]+$/.test(port)) return `strconv.ParseUint: parsing ${JSON.stringify(port)}: invalid syntax`;
  if (Number(port) > 65535) return `strconv.ParseUint: parsing ${JSON.stringify(port)}: value out of range`;
  return Number(port) < 1 ? 'outside range' : null;
}

/**
 * pgconn/errors.go redactPW(): a URL that url.Parse reads is printed back by (*URL).String() with the password
 * as xxxxx; anything else has password=... values and a ":...@" userinfo masked by pattern.
 */
function redactPgxPassword(text: string): string {
  if (/^postgres(ql)?:\/\//.test(text)) {
    const parsed = parseGoUrl(text);
    if (parsed.ok) {
      const u = parsed.url;
      return goUrlString(
        u.user?.password !== undefined ? { ...u, user: { username: u.user.username, password: 'xxxxx' } } : u,
      );
    }
  }
  return text
    .replace(/password='[^']*'/g, 'password=xxxxx')
    .replace(/password=[^ ]*/g, 'password=xxxxx')
    .replace(/:[^:@]+?@/g, ':xxxxxx@');
}

/**
 * asyncpg's DSN: a postgres:// or postgresql:// URL only (connect_utils.py _parse_connect_dsn_and_args(),
 * _parse_hostlist(), _validate_port_spec(), v0.31), read with CPython's urllib.parse. What it raises (its own
 * ClientConfigurationError, or a ValueError / IndexError from Python itself) is the error text. No keyword
 * arguments are modelled, so the DSN and then PG* variables decide; the first host and its port are used.
 */
function parseAsyncpgDsn(
  text: string,
  env: Readonly<Record<string, string>>,
  fallbackUser: string,
): DriverSettings | { error: string } {
  const split = pyUrlsplit(text);
  if (!split.ok) return { error: split.error };
  const parsed = split.url;
  let query = new Map<string, string>();
  if (parsed.query) {
    const q = pyParseQsStrict(parsed.query);
    if (!q.ok) return { error: q.error };
    query = q.values;
  }
  if (parsed.scheme !== 'postgres' && parsed.scheme !== 'postgresql')
    return {
      error: `invalid DSN: scheme is expected to be either "postgresql" or "postgres", got ${pyRepr(parsed.scheme)}`,
    };
  const at = parsed.netloc.indexOf('@');
  const auth = at === -1 ? '' : parsed.netloc.slice(0, at);
  const hostspec = at === -1 ? parsed.netloc : parsed.netloc.slice(at + 1);
  const colon = auth.indexOf(':');
  const dsnUser = colon === -1 ? auth : auth.slice(0, colon);
  const dsnPassword = colon === -1 ? '' : auth.slice(colon + 1);
  let hosts: string[] = [];
  let ports: number[] = [];
  if (hostspec) {
    const list = asyncpgHostlist(hostspec, ports, true, env);
    if ('error' in list) return list;
    ({ hosts, ports } = list);
  }
  let database: string | undefined;
  if (parsed.path) database = pyUnquote(parsed.path.replace(/^\//, ''));
  let user = dsnUser ? pyUnquote(dsnUser) : undefined;
  let password = dsnPassword ? pyUnquote(dsnPassword) : undefined;
  const portText = query.get('port');
  if (portText && ports.length === 0) {
    for (const p of portText.split(',')) {
      const n = pyInt(p);
      if (!n.ok) return { error: n.error };
      ports.push(n.value);
    }
  }
  const hostText = query.get('host');
  if (hostText && hosts.length === 0) {
    const list = asyncpgHostlist(hostText, ports, false, env);
    if ('error' in list) return list;
    ({ hosts, ports } = list);
  }
  database ??= query.get('dbname') ?? query.get('database');
  user ??= query.get('user');
  password ??= query.get('password');
  if (hosts.length === 0 && env['PGHOST']) {
    const list = asyncpgHostlist(env['PGHOST'], ports, false, env);
    if ('error' in list) return list;
    ({ hosts, ports } = list);
  }
  // SSLMode.parse(): the value with '-' replaced by '_' must name a member, so verify_full is accepted too.
  const modeText = query.get('sslmode') ?? env['PGSSLMODE'] ?? 'prefer';
  const sslmode = modeText.replace(/_/g, '-');
  if (!isOneOf(SSLMODES, sslmode))
    return { error: `\`sslmode\` parameter must be one of: ${SSLMODES.join(', ')}` };
  user ??= env['PGUSER'] || fallbackUser;
  const rootText = query.get('sslrootcert') ?? env['PGSSLROOTCERT'];
  // The TLS range is read when the SSL context is made (any sslmode but disable): _parse_tls_version().
  let tlsRange: DriverSettings['tlsRange'];
  if (sslmode !== 'disable') {
    const min = asyncpgTlsVersion(
      query.get('ssl_min_protocol_version') || env['PGSSLMINPROTOCOLVERSION'] || 'TLSv1.2',
    );
    if (typeof min !== 'string') return min;
    const maxText = query.get('ssl_max_protocol_version') || env['PGSSLMAXPROTOCOLVERSION'];
    const max = maxText ? asyncpgTlsVersion(maxText) : undefined;
    if (max !== undefined && typeof max !== 'string') return max;
    tlsRange = { min, max };
  }
  const serverSettings = [...query.keys()].filter((k) => !ASYNCPG_DSN_KEYS.has(k));
  return {
    ...(tlsRange ? { tlsRange } : {}),
    ...(serverSettings.length > 0 ? { serverSettings } : {}),
    host: hosts[0] ?? 'localhost',
    port: String(ports[0] ?? (env['PGPORT'] || '5432')),
    user,
    database: database || env['PGDATABASE'] || user,
    password: password ?? env['PGPASSWORD'],
    sslmode,
    // `if sslrootcert:` - an empty value means the default file.
    sslrootcert: rootText ? rootText : undefined,
  };
}

/** The DSN query parameters asyncpg reads itself (_parse_connect_dsn_and_args()); any other becomes a server setting. */
const ASYNCPG_DSN_KEYS = new Set([
  'port',
  'host',
  'dbname',
  'database',
  'user',
  'password',
  'passfile',
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'sslnegotiation',
  'sslcrl',
  'sslpassword',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'target_session_attrs',
  'krbsrvname',
  'gsslib',
  'service',
]);

/** _parse_tls_version(): a name of Python's ssl.TLSVersion once every "." is "_" (TLSv1.3 and TLSv1_3 alike). */
function asyncpgTlsVersion(text: string): TlsVersion | { error: string } {
  if (text.startsWith('SSL')) return { error: `Unsupported TLS version: ${text}` };
  const known: Record<string, TlsVersion> = {
    TLSv1: 'TLSv1',
    TLSv1_1: 'TLSv1.1',
    TLSv1_2: 'TLSv1.2',
    TLSv1_3: 'TLSv1.3',
    MINIMUM_SUPPORTED: 'TLSv1',
    MAXIMUM_SUPPORTED: 'TLSv1.3',
  };
  return known[text.replace(/\./g, '_')] ?? { error: `No such TLS version: ${text}` };
}

/** connect_utils.py _parse_hostlist() with _validate_port_spec(): hosts and one port per host. */
function asyncpgHostlist(
  hostlist: string,
  port: readonly number[],
  unquote: boolean,
  env: Readonly<Record<string, string>>,
): { hosts: string[]; ports: number[] } | { error: string } {
  const specs = hostlist.split(',');
  let defaults: number[] = [];
  const given = port.length > 0;
  const portSpec = given ? null : env['PGPORT'];
  const parsedDefault: number[] = [];
  for (const p of portSpec ? portSpec.split(',') : given ? port.map(String) : ['5432']) {
    const n = pyInt(p);
    if (!n.ok) return { error: n.error };
    parsedDefault.push(n.value);
  }
  const isList = given ? true : (portSpec ?? '').includes(',');
  if (isList && parsedDefault.length !== specs.length)
    return { error: `could not match ${parsedDefault.length} port numbers to ${specs.length} hosts` };
  defaults = isList ? parsedDefault : specs.map(() => parsedDefault[0]!);
  const hosts: string[] = [];
  const ports: number[] = [];
  for (const [i, spec] of specs.entries()) {
    let addr: string;
    let specPort = '';
    if (spec === '') return { error: 'string index out of range' };
    if (spec.startsWith('/')) addr = spec;
    else if (spec.startsWith('[')) {
      const m = /^\[([^\]]+)\](?::([0-9]+))?/.exec(spec);
      if (!m) return { error: `invalid IPv6 address in the connection URI: ${pyRepr(spec)}` };
      addr = m[1]!;
      specPort = m[2] ?? '';
    } else {
      const c = spec.indexOf(':');
      addr = c === -1 ? spec : spec.slice(0, c);
      specPort = c === -1 ? '' : spec.slice(c + 1);
    }
    hosts.push(unquote ? pyUnquote(addr) : addr);
    if (given) continue;
    if (specPort) {
      const n = pyInt(unquote ? pyUnquote(specPort) : specPort);
      if (!n.ok) return { error: n.error };
      ports.push(n.value);
    } else ports.push(defaults[i]!);
  }
  return { hosts, ports: given ? defaults : ports };
}
