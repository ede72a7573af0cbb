/**
 * pgJDBC, Npgsql, pgx and asyncpg as rule tables: per sslmode, which attempts are made in which order, what is verified,
 * and when the driver falls back. No real client of these drivers runs in this project's tests (no JVM, .NET or
 * Go toolchain; asyncpg is not installed by the project either); every row cites the source it was read from, and texts not read in source are marked UNVERIFIED
 * (see docs/sslmode-rules.md).
 */

import { parseKeyValue } from './conninfo.ts';
import { goQuery, goSplitHostPort, goUrlString, parseGoUrl } from './go-url.ts';
import { ipBytes } from './hba.ts';
import { pyInt, pyParseQsStrict, pyRepr, pyUnquote, pyUrlsplit } from './py-url.ts';
import { isIpLiteral, libpqHostnameCheck } from './hostname.ts';
import { negotiateVersion, serverHba, serverStartup, serverTlsRange } from './server.ts';
import { StepLog, protectionFor } from './steps.ts';
import type { ConnectionOutcome, Driver, Scenario } from './types.ts';
import { readLeaf, verifyServerChain } from './verify.ts';

export type Attempt = 'ssl' | 'plain';

export interface ModeRule {
  readonly attempts: readonly Attempt[];
  /** 'never': no check; 'if-root': chain-only when a root file exists; 'always': chain required. */
  readonly chain: 'never' | 'if-root' | 'always';
  readonly hostname: boolean;
  /** A root file must exist (else a driver error); false: falls back to the platform trust store. */
  readonly rootRequired: boolean;
  readonly source: string;
}

export interface FallbackRule {
  /** Server answers N to SSLRequest while a plaintext attempt remains: continue on the same socket? */
  readonly nContinuesPlaintext: boolean;
  /** A failed TLS handshake moves on to the next attempt? */
  readonly retryAfterTlsError: boolean;
  /** Server errors that move on to the next attempt: a SQLSTATE list, or 'any except' a list. */
  readonly retryServerErrors:
    { readonly only: readonly string[] } | { readonly anyExcept: readonly string[] };
  readonly source: string;
}

export interface DriverRuleTable {
  readonly driver: RuleTableDriver;
  readonly version: string;
  /**
   * asyncpg: root files are loaded while the settings are parsed, before any socket is opened, so a missing one
   * fails even when the server would answer N. An explicitly named file (sslrootcert / PGSSLROOTCERT) must exist
   * in every mode that loads one; the default ~/.postgresql/root.crt only where the mode requires a root.
   */
  readonly rootLoadedAtParse?: boolean;
  readonly usedBy: readonly string[];
  readonly defaultMode: string;
  readonly modes: Readonly<Record<string, ModeRule>>;
  readonly fallback: FallbackRule;
  readonly texts: {
    /** A function when the text names the target (asyncpg: host and port as given). */
    readonly sslNotSupported: string | ((host: string, port: string) => string);
    readonly rootMissing: (path: string) => string;
    /** With rootLoadedAtParse: the text when an explicitly named root file is absent. */
    readonly rootMissingExplicit?: (path: string) => string;
    /** A function when the text carries OpenSSL's verify reason (X509_verify_cert_error_string). */
    readonly chainFailed: string | ((reason: string) => string);
    readonly hostMismatch: (host: string) => string;
    readonly serverError: (severity: string, message: string, sqlstate: string) => string;
    /** Texts that were not read in the driver's or platform's source. */
    readonly unverified: readonly string[];
  };
  readonly sources: readonly string[];
}

const PGJDBC: DriverRuleTable = {
  driver: 'pgjdbc',
  version: '42.7',
  usedBy: [
    'Java/JVM applications via JDBC: Spring, Hibernate, Flyway, Liquibase, DBeaver, Kotlin/Scala clients',
  ],
  defaultMode: 'prefer',
  modes: {
    disable: {
      attempts: ['plain'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: pgjdbc SslMode.java of()',
    },
    allow: {
      attempts: ['plain', 'ssl'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: pgjdbc ConnectionFactoryImpl.openConnectionImpl()',
    },
    prefer: {
      attempts: ['ssl', 'plain'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: pgjdbc LibPQFactory (NonValidatingTM unless verifyCertificate())',
    },
    require: {
      attempts: ['ssl'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: pgjdbc LibPQFactory; D: docs ssl.md "In this mode we will accept all server certificates."',
    },
    'verify-ca': {
      attempts: ['ssl'],
      chain: 'always',
      hostname: false,
      rootRequired: true,
      source: 'S: pgjdbc LibPQFactory constructor (sslrootcert, default ~/.postgresql/root.crt)',
    },
    'verify-full': {
      attempts: ['ssl'],
      chain: 'always',
      hostname: true,
      rootRequired: true,
      source: 'S: pgjdbc MakeSSL.verifyPeerName(), PGjdbcHostnameVerifier',
    },
  },
  fallback: {
    nContinuesPlaintext: true,
    retryAfterTlsError: false,
    retryServerErrors: { only: ['28000'] },
    source:
      'S: pgjdbc ConnectionFactoryImpl.openConnectionImpl() / enableSSL() / tryConnectWithoutSsl() (42.7.x)',
  },
  texts: {
    sslNotSupported: 'The server does not support SSL.',
    rootMissing: (path) => `Could not open SSL root certificate file ${path}.`,
    chainFailed:
      'SSL error: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
    hostMismatch: (host) =>
      `The hostname ${host} could not be verified by hostnameverifier PgjdbcHostnameVerifier.`,
    serverError: (severity, message) => `${severity}: ${message}`,
    unverified: ['chainFailed (JDK text)', 'serverError (PSQLException/ServerErrorMessage layout)'],
  },
  sources: [
    'pgjdbc/pgjdbc SslMode.java, PGProperty.java, ssl/LibPQFactory.java, ssl/MakeSSL.java, core/v3/ConnectionFactoryImpl.java',
    'pgjdbc docs/content/documentation/ssl.md',
  ],
};

const NPGSQL: DriverRuleTable = {
  driver: 'npgsql',
  version: '8',
  usedBy: ['.NET applications: ADO.NET, Entity Framework Core (Npgsql provider), Dapper'],
  defaultMode: 'prefer',
  modes: {
    disable: {
      attempts: ['plain'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: Npgsql NpgsqlConnector.SetupEncryption()',
    },
    allow: {
      attempts: ['plain', 'ssl'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: Npgsql NpgsqlConnector.OpenCore() (any exception while unencrypted -> Require)',
    },
    prefer: {
      attempts: ['ssl', 'plain'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: Npgsql NpgsqlConnector.OpenCore(), SslTrustServerValidation',
    },
    require: {
      attempts: ['ssl'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: Npgsql SslTrustServerValidation (v8+: Require never validates)',
    },
    'verify-ca': {
      attempts: ['ssl'],
      chain: 'always',
      hostname: false,
      rootRequired: false,
      source: 'S: Npgsql SslVerifyCAValidation, SslRootValidation() (root file, else OS store)',
    },
    'verify-full': {
      attempts: ['ssl'],
      chain: 'always',
      hostname: true,
      rootRequired: false,
      source: 'S: Npgsql SslVerifyFullValidation',
    },
  },
  fallback: {
    nContinuesPlaintext: true,
    retryAfterTlsError: false,
    retryServerErrors: { anyExcept: [] },
    source:
      'S: Npgsql NpgsqlConnector.OpenCore(): Prefer retries with Disable only after SSL was established (IsSslEncrypted)',
  },
  texts: {
    sslNotSupported: 'SSL connection requested. No SSL enabled connection from this host is configured.',
    rootMissing: (path) => `Could not find file '${path}'.`,
    chainFailed: 'Exception while performing SSL handshake',
    hostMismatch: () => 'Exception while performing SSL handshake',
    serverError: (_severity, message, sqlstate) => `${sqlstate}: ${message}`,
    unverified: [
      'rootMissing (.NET FileNotFoundException text)',
      'serverError (PostgresException.Message layout)',
    ],
  },
  sources: [
    'npgsql/npgsql src/Npgsql/NpgsqlConnectionStringBuilder.cs, src/Npgsql/Internal/NpgsqlConnector.cs, src/Npgsql/PostgresEnvironment.cs',
  ],
};

const PGX: DriverRuleTable = {
  driver: 'pgx',
  version: '5',
  usedBy: [
    'Go applications using github.com/jackc/pgx/v5 (pgxpool, database/sql via stdlib), sqlc, GORM (pgx driver)',
  ],
  defaultMode: 'prefer',
  modes: {
    disable: {
      attempts: ['plain'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: pgx pgconn/config.go configTLS() [nil]',
    },
    allow: {
      attempts: ['plain', 'ssl'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: pgx configTLS() [nil, tls] InsecureSkipVerify',
    },
    prefer: {
      attempts: ['ssl', 'plain'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: pgx configTLS() [tls, nil] InsecureSkipVerify even with root.crt',
    },
    require: {
      attempts: ['ssl'],
      chain: 'if-root',
      hostname: false,
      rootRequired: false,
      source:
        'S: pgx configTLS() (sslrootcert set -> VerifyPeerCertificate chain only); defaults.go (root.crt default)',
    },
    'verify-ca': {
      attempts: ['ssl'],
      chain: 'always',
      hostname: false,
      rootRequired: false,
      source: 'S: pgx configTLS() (sslrootcert or Go system pool)',
    },
    'verify-full': {
      attempts: ['ssl'],
      chain: 'always',
      hostname: true,
      rootRequired: false,
      source: 'S: pgx configTLS() ServerName=host',
    },
  },
  fallback: {
    nContinuesPlaintext: false,
    retryAfterTlsError: true,
    retryServerErrors: { anyExcept: ['28P01', '3D000', '42501'] },
    source:
      'S: pgx pgconn/pgconn.go connectPreferred(): every (address x TLS config) is tried; 28P01, 3D000, 42501 stop',
  },
  texts: {
    sslNotSupported: 'tls error: server refused TLS connection',
    rootMissing: (path) => `unable to read CA file: open ${path}: no such file or directory`,
    chainFailed:
      'failed to write startup message: write failed: tls: failed to verify certificate: x509: certificate signed by unknown authority',
    hostMismatch: (host) =>
      `failed to write startup message: write failed: tls: failed to verify certificate: x509: certificate is not valid for ${host}`,
    serverError: (severity, message, sqlstate) =>
      `server error: ${severity}: ${message} (SQLSTATE ${sqlstate})`,
    unverified: [
      'chainFailed / hostMismatch (Go crypto/tls and x509 texts)',
      'rootMissing (Go os error text)',
    ],
  },
  sources: [
    'jackc/pgx pgconn/config.go, pgconn/defaults.go, pgconn/pgconn.go, pgconn/errors.go (ConnectError, PgError.Error())',
  ],
};

/** CPython's ssl error suffix, as seen with CPython 3.11.7 / OpenSSL 3.0.19: the line differs per CPython build. */
const CPYTHON_SSL_LINE = '(_ssl.c:1006)';
const cpythonVerifyFailed = (reason: string): string =>
  `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${reason} ${CPYTHON_SSL_LINE}`;

const ASYNCPG: DriverRuleTable = {
  driver: 'asyncpg',
  version: '0.31',
  usedBy: [
    'Python asyncio applications: asyncpg directly, SQLAlchemy (postgresql+asyncpg), Tortoise ORM, Piccolo, Gino, databases',
  ],
  defaultMode: 'prefer',
  rootLoadedAtParse: true,
  modes: {
    disable: {
      attempts: ['plain'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source: 'S: asyncpg connect_utils.py _parse_connect_dsn_and_args() (sslmode < allow: ssl=False)',
    },
    allow: {
      attempts: ['plain', 'ssl'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source:
        'S: asyncpg connect_utils.py _connect_addr() (first attempt ssl=None) and _parse_connect_dsn_and_args() (CERT_NONE)',
    },
    prefer: {
      attempts: ['ssl', 'plain'],
      chain: 'never',
      hostname: false,
      rootRequired: false,
      source:
        'S: asyncpg connect_utils.py _parse_connect_dsn_and_args() (sslmode < require: CERT_NONE, check_hostname False, even with root.crt)',
    },
    require: {
      attempts: ['ssl'],
      chain: 'if-root',
      hostname: false,
      rootRequired: false,
      source:
        'S: asyncpg connect_utils.py _parse_connect_dsn_and_args() (sslrootcert / PGSSLROOTCERT / ~/.postgresql/root.crt -> CERT_REQUIRED, else CERT_NONE)',
    },
    'verify-ca': {
      attempts: ['ssl'],
      chain: 'always',
      hostname: false,
      rootRequired: true,
      source:
        'S: asyncpg connect_utils.py _parse_connect_dsn_and_args() (no root file -> ClientConfigurationError; no system store)',
    },
    'verify-full': {
      attempts: ['ssl'],
      chain: 'always',
      hostname: true,
      rootRequired: true,
      source:
        'S: asyncpg connect_utils.py _parse_connect_dsn_and_args() (check_hostname = sslmode >= verify_full); _create_ssl_connection() server_hostname=host',
    },
  },
  fallback: {
    nContinuesPlaintext: true,
    retryAfterTlsError: false,
    retryServerErrors: { only: ['28000', '28P01'] },
    source:
      'S: asyncpg connect_utils.py TLSUpgradeProto.data_received() (prefer + CERT_NONE: N -> plaintext on the same socket), __connect_addr() (InvalidAuthorizationSpecificationError and its subclass InvalidPasswordError retry once: prefer after SSL, allow after plaintext; TLS errors are raised)',
  },
  texts: {
    sslNotSupported: (host, port) => `PostgreSQL server at "${host}:${port}" rejected SSL upgrade`,
    rootMissing: (path) =>
      `root certificate file "${path}" does not exist or cannot be accessed\nHINT:  Provide the certificate file directly or make sure "${path}" exists and is readable.`,
    rootMissingExplicit: () => '[Errno 2] No such file or directory',
    chainFailed: cpythonVerifyFailed,
    hostMismatch: (host) =>
      cpythonVerifyFailed(
        `${isIpLiteral(host) ? 'IP address' : 'Hostname'} mismatch, certificate is not valid for '${host}'.`,
      ),
    // str(PostgresError): the message, then DETAIL/HINT lines when the server sent them (it sends none for
    // pg_hba rejects and failed passwords).
    serverError: (_severity, message) => message,
    unverified: [
      'chainFailed / hostMismatch: the (_ssl.c:1006) line is the one of CPython 3.11.7 (checked by hand with asyncpg 0.31.0, OpenSSL 3.0.19, PostgreSQL 15.18); other CPython builds print another line, and uvloop may surface TLS errors differently',
      'hostMismatch order: OpenSSL reports a host-name mismatch before an expired certificate; the engine checks the chain first',
    ],
  },
  sources: [
    'MagicStack/asyncpg asyncpg/connect_utils.py (SSLMode, _parse_connect_dsn_and_args, TLSUpgradeProto, _create_ssl_connection, _connect_addr, __connect_addr, _connect), asyncpg/exceptions/_base.py (PostgresError.__str__, InterfaceMessage.__str__), asyncpg/exceptions/__init__.py (28000, 28P01)',
  ],
};

export type RuleTableDriver = Exclude<Driver, 'libpq' | 'node-postgres'>;

export const DRIVER_RULES: Readonly<Record<RuleTableDriver, DriverRuleTable>> = {
  pgjdbc: PGJDBC,
  npgsql: NPGSQL,
  pgx: PGX,
  asyncpg: ASYNCPG,
};

interface DriverSettings {
  host: string;
  port: string;
  user: string;
  database: string;
  password: string | undefined;
  sslmode: string;
  sslrootcert: string | undefined;
}

/** Each driver's own connection-string syntax, reduced to the settings the model needs. */
export function parseDriverSettings(
  driver: RuleTableDriver,
  s: Scenario,
): DriverSettings | { error: string } {
  const text = s.client.conninfo;
  const env = s.client.env ?? {};
  const fallbackUser = s.client.osUser ?? 'postgres';
  if (driver === 'pgjdbc') {
    // jdbc:postgresql://host:port/db?user=..&password=..&ssl=..&sslmode=..&sslrootcert=..
    const m = /^jdbc:postgresql:\/\/([^/:?]*)(?::(\d+))?\/([^?]*)(?:\?(.*))?$/.exec(text);
    if (!m) return { error: `The engine expects a jdbc:postgresql://host:port/database URL, got: ${text}` };
    const q = new URLSearchParams(m[4] ?? '');
    let sslmode = q.get('sslmode');
    const ssl = q.get('ssl');
    // SslMode.of(): ssl=true or ssl= (empty) without sslmode means verify-full; ssl=false means prefer.
    if (sslmode === null) sslmode = ssl !== null && (ssl === '' || ssl === 'true') ? 'verify-full' : 'prefer';
    if (!(sslmode in PGJDBC.modes)) return { error: `Invalid sslmode value: ${sslmode}` };
    const user = q.get('user') ?? fallbackUser;
    return {
      host: m[1] || 'localhost',
      port: m[2] ?? '5432',
      user,
      database: m[3] || user,
      password: q.get('password') ?? undefined,
      sslmode,
      sslrootcert: q.get('sslrootcert') ?? undefined,
    };
  }
  if (driver === 'npgsql') {
    const kv = new Map<string, string>();
    for (const part of text.split(';')) {
      const eq = part.indexOf('=');
      if (eq === -1) continue;
      kv.set(part.slice(0, eq).trim().toLowerCase().replace(/\s+/g, ''), part.slice(eq + 1).trim());
    }
    const modeText = kv.get('sslmode') ?? 'Prefer';
    const sslmode = {
      disable: 'disable',
      allow: 'allow',
      prefer: 'prefer',
      require: 'require',
      verifyca: 'verify-ca',
      verifyfull: 'verify-full',
    }[modeText.toLowerCase().replace(/[-_]/g, '')];
    if (!sslmode) return { error: `Requested value '${modeText}' was not found.` };
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
  // Every host is paired with its port (or the first one) and each port parsed before TLS is configured.
  const hostCount = (get('host', 'PGHOST') ?? 'localhost').split(',').length;
  const ports = (get('port', 'PGPORT') ?? '5432').split(',');
  for (let i = 0; i < hostCount; i++) {
    const portError = goPortError(ports[i] ?? ports[0]!);
    if (portError)
      return { error: `cannot parse \`${redactPgxPassword(text)}\`: invalid port (${portError})` };
  }
  let sslmode = get('sslmode', 'PGSSLMODE') ?? 'prefer';
  const sslrootcert = get('sslrootcert', 'PGSSLROOTCERT');
  if (sslrootcert === 'system') sslmode = 'verify-full';
  if (!(sslmode in PGX.modes)) {
    return {
      error: `cannot parse \`${redactPgxPassword(text)}\`: failed to configure TLS (sslmode is invalid)`,
    };
  }
  const user = get('user', 'PGUSER') ?? fallbackUser;
  return {
    host: (get('host', 'PGHOST') ?? 'localhost').split(',')[0]!,
    port: ports[0]!,
    user,
    database: get('dbname', 'PGDATABASE') ?? user,
    password: get('password', 'PGPASSWORD'),
    sslmode,
    sslrootcert,
  };
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
  for (const [k, v] of goQuery(url.rawQuery)) m.set(k === 'database' ? 'dbname' : k, v[0]!);
  // parse_url.go: ssl=true becomes sslmode=require.
  if (m.get('ssl') === 'true' && !m.has('sslmode')) m.set('sslmode', 'require');
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

const ASYNCPG_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

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
  if (!ASYNCPG_MODES.includes(sslmode))
    return { error: `\`sslmode\` parameter must be one of: ${ASYNCPG_MODES.join(', ')}` };
  user ??= env['PGUSER'] || fallbackUser;
  const rootText = query.get('sslrootcert') ?? env['PGSSLROOTCERT'];
  return {
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

export async function explainRuleTableDriver(s: Scenario, now: Date): Promise<ConnectionOutcome> {
  const driver = s.client.driver as RuleTableDriver;
  const table = DRIVER_RULES[driver];
  const log = new StepLog();
  const base = {
    driver,
    version: s.client.version ?? table.version,
    usedBy: table.usedBy,
    warnings: [] as string[],
  };
  const failed = (error: string, sslmode: string, fix: string): ConnectionOutcome => ({
    ...base,
    connected: false,
    encrypted: false,
    error,
    sslmode,
    chainVerified: false,
    hostnameVerified: false,
    steps: log.steps,
    protection: protectionFor(false, false, false, false),
    fix,
  });
  const cfg = parseDriverSettings(driver, s);
  if ('error' in cfg) {
    log.push(0, 'parse', 'fail', cfg.error, 'libpq.options.parse');
    return failed(cfg.error, 'unknown', 'Fix the connection string.');
  }
  const mode = table.modes[cfg.sslmode]!;
  log.push(
    0,
    'parse',
    'info',
    `${driver} sslmode=${cfg.sslmode}: attempts ${mode.attempts.join(' then ')}; chain ${mode.chain}; host name ${mode.hostname ? 'checked' : 'not checked'} (${mode.source}).`,
    driver === 'asyncpg' ? 'asyncpg.ssl.config' : 'libpq.order',
  );
  const files = s.client.files ?? {};
  const home = s.client.home ?? `/home/${s.client.osUser ?? 'postgres'}`;
  const rootKey = cfg.sslrootcert ?? '~/.postgresql/root.crt';
  const rootPem =
    files[rootKey] ?? (cfg.sslrootcert === undefined ? files[`${home}/.postgresql/root.crt`] : undefined);
  const rootPath = cfg.sslrootcert ?? `${home}/.postgresql/root.crt`;
  if (table.rootLoadedAtParse && mode.chain !== 'never' && rootPem === undefined) {
    const explicit = cfg.sslrootcert !== undefined;
    if (explicit || mode.rootRequired) {
      const error =
        explicit && table.texts.rootMissingExplicit
          ? table.texts.rootMissingExplicit(rootPath)
          : table.texts.rootMissing(rootPath);
      log.push(0, 'parse', 'fail', error, 'asyncpg.rootcert');
      return failed(error, cfg.sslmode, `Provide the root CA file ${rootPath}, or point sslrootcert at it.`);
    }
  }
  const listen = s.server.listen ?? ['127.0.0.1', '::1'];
  const address = isIpLiteral(cfg.host)
    ? cfg.host
    : ({ localhost: ['127.0.0.1'], ...(s.resolve ?? {}) } as Record<string, readonly string[]>)[
        cfg.host
      ]?.[0];
  const hbaLines = serverHba(s.server, log);
  if (!address || !listen.includes(address))
    return failed(`connection refused (${cfg.host}:${cfg.port})`, cfg.sslmode, 'Check host and port.');

  const errors: string[] = [];
  const wrap = (e: string): string => (driver === 'pgx' ? `${address}:${cfg.port} (${cfg.host}): ${e}` : e);
  for (let i = 0; i < mode.attempts.length; i++) {
    const attempt = i + 1;
    let encrypted = mode.attempts[i] === 'ssl';
    let chainOk = false;
    let hostOk = false;
    let protocol: string | undefined;
    const last = i === mode.attempts.length - 1;
    if (encrypted) {
      if (!s.server.ssl) {
        log.push(attempt, 'ssl-response', 'fail', 'Server answered N.', 'server.ssl-response');
        if (!last && table.fallback.nContinuesPlaintext) {
          log.push(
            attempt,
            'ssl-response',
            'info',
            `N: continue in plaintext on the same connection (${table.fallback.source}).`,
            driver === 'asyncpg' ? 'asyncpg.fallback' : 'libpq.ssl-response.n',
          );
          encrypted = false;
          i = mode.attempts.length - 1;
        } else {
          const text = table.texts.sslNotSupported;
          errors.push(wrap(typeof text === 'string' ? text : text(cfg.host, cfg.port)));
          if (!last) continue;
          break;
        }
      } else {
        const version = negotiateVersion({ min: 'TLSv1.2', max: 'TLSv1.3' }, serverTlsRange(s.server));
        const wantsChain = mode.chain === 'always' || (mode.chain === 'if-root' && rootPem !== undefined);
        let tlsError: string | null = null;
        if (version === null)
          tlsError = 'TLS handshake failed: no common protocol version (driver text not modelled)';
        else if (wantsChain && rootPem === undefined && mode.rootRequired)
          tlsError = table.texts.rootMissing(rootPath);
        else if (wantsChain) {
          // Without a root file, verify-* use the platform store (JDK cacerts / OS store / Go system pool): empty here.
          const check = await verifyServerChain({
            chainPem: s.server.certificateChain ?? '',
            rootsPem: rootPem ?? '',
            // asyncpg: CPython's ssl module is OpenSSL with no verify callback, so the first error stands.
            profile: driver === 'pgx' ? 'go' : driver === 'asyncpg' ? 'openssl-3' : 'rfc5280',
            time: now,
          });
          const chainText = table.texts.chainFailed;
          if (!check.trusted) {
            tlsError =
              typeof chainText === 'string'
                ? chainText
                : chainText(check.error?.message ?? 'certificate verify failed');
            log.push(
              attempt,
              'chain',
              'fail',
              `The server chain is rejected: ${check.error?.message ?? 'certificate verify failed'}.`,
              'libpq.tls.chain',
            );
          } else {
            chainOk = true;
            log.push(
              attempt,
              'chain',
              'ok',
              `Chain verified: ${check.path.join(' -> ')}.`,
              'libpq.tls.chain',
            );
            if (mode.hostname) {
              const leaf = await readLeaf(s.server.certificateChain ?? '');
              const res = leaf ? libpqHostnameCheck(cfg.host, leaf) : { ok: false as const, error: '' };
              if (!res.ok) tlsError = table.texts.hostMismatch(cfg.host);
              else hostOk = true;
              log.push(
                attempt,
                'hostname',
                res.ok ? 'ok' : 'fail',
                res.ok
                  ? `Host "${cfg.host}" matches ${res.matched}.`
                  : `The certificate does not name "${cfg.host}".`,
                'libpq.hostname',
              );
            }
          }
        }
        if (tlsError !== null) {
          log.push(attempt, 'tls', 'fail', tlsError, 'libpq.tls.chain');
          errors.push(wrap(tlsError));
          if (!last && table.fallback.retryAfterTlsError) continue;
          break;
        }
        protocol = version ?? undefined;
        log.push(
          attempt,
          'tls',
          'ok',
          `TLS ${version}; chain ${chainOk ? 'verified' : 'not checked'}; host name ${hostOk ? 'verified' : 'not checked'}.`,
          'libpq.tls.chain',
        );
      }
    }
    const result = serverStartup(s.server, hbaLines, {
      ssl: encrypted,
      user: cfg.user,
      database: cfg.database,
      password: cfg.password,
      clientAddress: address,
      serverAddresses: listen,
      clientCertificate: null,
    });
    if (result.ok) {
      log.push(attempt, 'pg_hba', 'ok', result.detail, 'server.hba');
      return {
        ...base,
        connected: true,
        encrypted,
        ...(encrypted && protocol ? { protocol } : {}),
        sslmode: cfg.sslmode,
        chainVerified: chainOk,
        hostnameVerified: hostOk,
        steps: log.steps,
        protection: protectionFor(encrypted, chainOk, hostOk, mode.attempts.includes('plain')),
      };
    }
    log.push(attempt, 'pg_hba', 'fail', result.detail, 'server.auth');
    errors.push(
      wrap(
        result.kind === 'fatal'
          ? table.texts.serverError('FATAL', result.message, result.sqlstate ?? '')
          : result.message,
      ),
    );
    const code = result.sqlstate ?? '';
    const rule = table.fallback.retryServerErrors;
    const retry = 'only' in rule ? rule.only.includes(code) : !rule.anyExcept.includes(code);
    // Npgsql's Prefer retries only when SSL had been established.
    const npgsqlOk = driver !== 'npgsql' || cfg.sslmode !== 'prefer' || encrypted;
    if (last || !retry || !npgsqlOk) break;
  }
  const error =
    driver === 'pgx'
      ? `failed to connect to \`user=${cfg.user} database=${cfg.database}\`:${errors.length > 1 ? '\n\t' + errors.join('\n\t') : ' ' + (errors[0] ?? '')}`
      : (errors[errors.length - 1] ?? 'connection failed');
  return failed(error, cfg.sslmode, 'See the steps: the rule that failed is cited.');
}
