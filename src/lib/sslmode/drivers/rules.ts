/**
 * pgJDBC, Npgsql, pgx and asyncpg as rule tables: per sslmode, which attempts are made in which order, what is verified,
 * and when the driver falls back. Every row cites the source it was read from, and texts not read in source are marked
 * UNVERIFIED (see docs/sslmode-rules.md). Two tables are also proven against the real driver and a real PostgreSQL:
 * pgJDBC (tests/oracle/sslmode-pgjdbc.test.ts) and asyncpg (tests/oracle/sslmode-asyncpg.test.ts). Npgsql needs
 * .NET, which this project's machines lack; Debian's Go (1.19) prints older crypto/tls texts than the pgx this table
 * describes. The connection strings are read in settings.ts; explain.ts applies the tables.
 */

import { isIpLiteral } from '../hostname.ts';
import type { AuthRequest } from '../server.ts';
import type { Driver, SslMode } from '../types.ts';

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
  /**
   * When every attempt failed, the error the driver raises: the first attempt's (with the later ones attached to it),
   * the last attempt's, or all of them in one text (pgx's ConnectError).
   */
  readonly reports: 'first' | 'last' | 'all';
  readonly source: string;
}

/** Why the server's chain was rejected, as the chain check gives it (e.g. code 'expired', 'unknown-issuer'). */
export interface ChainFailure {
  readonly code: string;
  readonly message: string;
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
  readonly modes: Readonly<Record<SslMode, ModeRule>>;
  readonly fallback: FallbackRule;
  readonly texts: {
    /** A function when the text names the target (asyncpg: host and port as given). */
    readonly sslNotSupported: string | ((host: string, port: string) => string);
    readonly rootMissing: (path: string) => string;
    /** With rootLoadedAtParse: the text when an explicitly named root file is absent. */
    readonly rootMissingExplicit?: (path: string) => string;
    /**
     * A function when the text carries the verifier's reason (OpenSSL's X509_verify_cert_error_string, Go's x509
     * error). `builtIn`: the TLS library's own verification (with the host name where hostMismatch is 'in-chain'),
     * not a callback of the driver's.
     */
    readonly chainFailed: string | ((reason: ChainFailure, builtIn: boolean) => string);
    /**
     * `verifier`: pgJDBC's sslhostnameverifier as given, which its text names. 'in-chain': the host name is checked
     * by the chain verification itself (Go's Certificate.Verify with VerifyOptions.DNSName, before the chain is
     * built), so a mismatch is a chainFailed reason.
     */
    readonly hostMismatch: ((host: string, verifier?: string) => string) | 'in-chain';
    readonly serverError: (severity: string, message: string, sqlstate: string) => string;
    /**
     * The server asked for a password (`request`: cleartext, or SASL, which the engine's md5 lines are too) and none
     * was given: the driver's own error, or null when it sends an empty password and the server answers.
     */
    readonly noPassword: (request: AuthRequest, encrypted: boolean) => string | null;
    /**
     * No TLS version in common: the server answers the ClientHello with a protocol_version alert (whichever side's
     * range is the higher). Absent: the driver's text is not modelled.
     */
    readonly versionRefused?: string;
    /** Texts that were not read in the driver's or platform's source. */
    readonly unverified: readonly string[];
  };
  readonly sources: readonly string[];
}

/**
 * pgJDBC's text for a rejected chain: the JDK's PKIX trust manager, wrapped in pgJDBC's "SSL error: ". A chain that
 * ends at a trusted certificate is validated (a certificate outside its validity period fails "validity check
 * failed", expired or not yet valid alike); a chain with no path to a trusted certificate fails while the path is
 * built.
 */
function jdkPkixFailed(reason: ChainFailure): string {
  if (reason.code === 'expired' || reason.code === 'not-yet-valid')
    return 'SSL error: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed';
  return 'SSL error: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target';
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
    reports: 'first',
    source:
      "S: pgjdbc ConnectionFactoryImpl.openConnectionImpl() / enableSSL() / tryConnectWithoutSsl() / tryConnectWithSsl(): a failed retry rethrows the first exception, the retry's attached as suppressed (42.7.x)",
  },
  texts: {
    sslNotSupported: 'The server does not support SSL.',
    rootMissing: (path) => `Could not open SSL root certificate file ${path}.`,
    chainFailed: jdkPkixFailed,
    hostMismatch: (host, verifier = 'PgjdbcHostnameVerifier') =>
      `The hostname ${host} could not be verified by hostnameverifier ${verifier}.`,
    serverError: (severity, message) => `${severity}: ${message}`,
    // ConnectionFactoryImpl.java (REL42.7.13) doAuthentication(): AUTH_REQ_SASL line 1012; AUTH_REQ_PASSWORD via
    // AuthenticationPluginManager.withEncodedPassword() line 113, naming authenticationPluginClassName (null unset).
    noPassword: (request) =>
      request === 'cleartext'
        ? 'The server requested password-based authentication, but no password was provided by plugin null'
        : 'The server requested SCRAM-based authentication, but no password was provided.',
    unverified: [
      'chainFailed for reasons other than an unknown issuer or a validity period (the JDK names each check that failed)',
      'chainFailed when the served chain is out of order or does not end next to a trusted certificate (the JDK then builds a path, whose failures read differently)',
    ],
  },
  sources: [
    'pgjdbc/pgjdbc SslMode.java, PGProperty.java, ssl/LibPQFactory.java, ssl/MakeSSL.java, core/v3/ConnectionFactoryImpl.java',
    'pgjdbc docs/content/documentation/ssl.md',
    'JDK sun.security.validator.PKIXValidator engineValidate() (doValidate / doBuild), sun.security.provider.certpath.BasicChecker ("validity check failed")',
    'Proven by tests/oracle/sslmode-pgjdbc.test.ts with pgJDBC 42.5.5 (Debian 12) on OpenJDK 17 against PostgreSQL 15; the code paths it covers read the same in 42.7.13 (REL42.5.5..REL42.7.13: only the trust store is built differently, into the same JDK PKIX validator)',
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
    reports: 'last',
    source:
      'S: Npgsql NpgsqlConnector.OpenCore(): Prefer retries with Disable only after SSL was established (IsSslEncrypted)',
  },
  texts: {
    sslNotSupported: 'SSL connection requested. No SSL enabled connection from this host is configured.',
    rootMissing: (path) => `Could not find file '${path}'.`,
    chainFailed: 'Exception while performing SSL handshake',
    hostMismatch: () => 'Exception while performing SSL handshake',
    serverError: (_severity, message, sqlstate) => `${sqlstate}: ${message}`,
    // NpgsqlConnector.Auth.cs (v8.0.9) AuthenticateCleartext() line 61, AuthenticateSASL() line 119: the mechanism is
    // SCRAM-SHA-256-PLUS over TLS (the server offers it there; ChannelBinding defaults to Prefer).
    noPassword: (request, encrypted) =>
      `No password has been provided but the backend requires one (in ${request === 'cleartext' ? 'cleartext' : `SASL/SCRAM-SHA-256${encrypted ? '-PLUS' : ''}`})`,
    unverified: [
      'rootMissing (.NET FileNotFoundException text)',
      "noPassword over TLS: SCRAM-SHA-256 instead of -PLUS when the server certificate's signature hash cannot be bound (RealTransportSecurityHandler)",
      'serverError (PostgresException.Message layout)',
    ],
  },
  sources: [
    'npgsql/npgsql src/Npgsql/NpgsqlConnectionStringBuilder.cs, src/Npgsql/Internal/NpgsqlConnector.cs, src/Npgsql/PostgresEnvironment.cs',
  ],
};

/**
 * pgx's text for a rejected chain or host name: the TLS handshake runs on the first write (pgconn.go startTLS()
 * returns tls.Client(conn, cfg); connect() then writes the startup message). Go's x509 text is the chain profile's
 * (pki/profiles/go.ts). verify-full uses crypto/tls's own verification, which wraps a Certificate.Verify error
 * (chain, validity or host name) in CertificateVerificationError ("tls: failed to verify certificate: ");
 * require with a root file and verify-ca verify in pgx's VerifyPeerCertificate (config.go configTLS()), whose
 * error handshake_client.go verifyServerCertificate() returns as it is. A certificate Go cannot parse, or a key
 * too small to check the handshake signature with, fails before or after verification, unwrapped either way.
 */
function pgxChainFailed(reason: ChainFailure, builtIn: boolean): string {
  const unwrapped = reason.code === 'x509.ParseError' || reason.code === 'tls.invalidSignature';
  const prefix = builtIn && !unwrapped ? 'tls: failed to verify certificate: ' : '';
  return `failed to write startup message: write failed: ${prefix}${reason.message}`;
}

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
    reports: 'all',
    source:
      'S: pgx pgconn/pgconn.go connectPreferred(): every (address x TLS config) is tried; 28P01, 3D000, 42501 stop',
  },
  texts: {
    sslNotSupported: 'tls error: server refused TLS connection',
    rootMissing: (path) => `unable to read CA file: open ${path}: no such file or directory`,
    chainFailed: pgxChainFailed,
    hostMismatch: 'in-chain',
    serverError: (severity, message, sqlstate) =>
      `server error: ${severity}: ${message} (SQLSTATE ${sqlstate})`,
    // pgconn.go (v5.10.0) connect(): Config.Password is "" when unset and is sent (cleartext, MD5, SCRAM alike).
    noPassword: () => null,
    unverified: ['rootMissing (Go os error text)'],
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
    reports: 'last',
    source:
      'S: asyncpg connect_utils.py TLSUpgradeProto.data_received() (prefer + CERT_NONE: N -> plaintext on the same socket), __connect_addr() (InvalidAuthorizationSpecificationError and its subclass InvalidPasswordError retry once: prefer after SSL, allow after plaintext; TLS errors are raised)',
  },
  texts: {
    sslNotSupported: (host, port) => `PostgreSQL server at "${host}:${port}" rejected SSL upgrade`,
    rootMissing: (path) =>
      `root certificate file "${path}" does not exist or cannot be accessed\nHINT:  Provide the certificate file directly or make sure "${path}" exists and is readable.`,
    rootMissingExplicit: () => '[Errno 2] No such file or directory',
    chainFailed: (reason) => cpythonVerifyFailed(reason.message),
    hostMismatch: (host) =>
      cpythonVerifyFailed(
        `${isIpLiteral(host) ? 'IP address' : 'Hostname'} mismatch, certificate is not valid for '${host}'.`,
      ),
    // str(PostgresError): the message, then DETAIL/HINT lines when the server sent them (it sends none for
    // pg_hba rejects and failed passwords).
    serverError: (_severity, message) => message,
    // protocol/coreproto.pyx (v0.31.0): MD5 and SCRAM use `self.password or ''` (an empty password, which the server
    // refuses); _auth_password_message_cleartext() calls self.password.encode() on None.
    noPassword: (request) => (request === 'cleartext' ? "'NoneType' object has no attribute 'encode'" : null),
    // OpenSSL's reason in CPython's SSLError for the server's protocol_version alert.
    versionRefused: `[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version ${CPYTHON_SSL_LINE}`,
    unverified: [
      'chainFailed / hostMismatch: the (_ssl.c:1006) line is the one of CPython 3.11.7 (the rest of each text is proven by tests/oracle/sslmode-asyncpg.test.ts with asyncpg 0.31.0, OpenSSL 3.0.19, PostgreSQL 15); other CPython builds print another line, and uvloop may surface TLS errors differently',
      'hostMismatch order: OpenSSL reports a host-name mismatch before an expired certificate; the engine checks the chain first',
      "noPassword for a cleartext request: Python's AttributeError text, read in coreproto.pyx; how asyncpg surfaces it was not run",
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
