/**
 * libpq 15-18 (psql, psycopg2, psycopg 3, Ruby pg, PHP pgsql/pdo_pgsql, ...): from a connection string to
 * the exact PQerrorMessage text, attempt by attempt.
 *
 * The algorithm follows PQconnectPoll() (PG15/16) and init_allowed_encryption_methods() /
 * select_next_encryption_method() (PG17/18) in src/interfaces/libpq/fe-connect.c; TLS setup follows
 * initialize_SSL() / open_client_SSL() in fe-secure-openssl.c. Each decision is a Step citing a rule in rules.ts.
 */

import type { CrlView } from '../pki/index.ts';
import { parseConninfo } from './conninfo.ts';
import { libpqHostnameCheck, libpqNumericAddress, resolveName, sameMachineSource } from './hostname.ts';
import { DEFAULT_LIBPQ_VERSION, isOneOf, LIBPQ_VERSIONS, SSLMODES, type SslMode } from './names.ts';
import { connectedOutcome, failedOutcome, type OutcomeBase } from './outcome.ts';
import {
  acceptsDirectTls,
  DIRECT_TLS_SINCE,
  logServerConfig,
  negotiateVersion,
  serverListen,
  serverMajorVersion,
  serverStartup,
  serverTlsRange,
  tlsVersion,
  TLS_VERSIONS,
  type EffectiveHba,
  type StartupResult,
} from './server.ts';
import { StepLog } from './steps.ts';
import {
  clientCertFix,
  libpqFile,
  loadLibpqClientCert,
  logRejection,
  serverJudgesClientCert,
  type ClientCertJudgement,
  type LoadedClientCert,
} from './clientcert.ts';
import {
  CHANNEL_BINDINGS,
  parseRequireAuth,
  refusedAuthOk,
  refusedByChannelBinding,
  refusedRequest,
  type ChannelBinding,
  type RequireAuth,
} from './require-auth.ts';
import type { ClientCertificateInfo, ConnectionOutcome, Scenario, TlsVersion } from './types.ts';
import { readCertCrlFile, readLeaf, readPem, verifyServerChain } from './verify.ts';

export const LIBPQ_USERS = [
  'psql and the other PostgreSQL command-line tools',
  'psycopg2 and psycopg 3 (Python)',
  'Ruby pg',
  'PHP pgsql / pdo_pgsql',
  'R RPostgres, Perl DBD::Pg, ODBC psqlODBC',
];

/** The major version whose rules apply: the client's, when it is one of LIBPQ_VERSIONS, else the default. */
export function libpqMajor(version: string | undefined): number {
  const major = (version ?? DEFAULT_LIBPQ_VERSION).split('.')[0]!;
  return isOneOf(LIBPQ_VERSIONS, String(Number(major))) ? Number(major) : Number(DEFAULT_LIBPQ_VERSION);
}

/**
 * The client OpenSSL builds libpq's texts were proven with (tests/oracle): where builds differ, the outcome names
 * the one its text assumes (`opensslBuild`). libpq 15-17: Debian 12's OpenSSL 3.0, as Debian's psql links it;
 * libpq 18: the OpenSSL 3.5 that psycopg's binary wheel bundles with its libpq 18.
 */
export const OPENSSL_DEBIAN = "Debian 12's OpenSSL 3.0 (as Debian's psql 15 links it)";
export const OPENSSL_WHEEL = "OpenSSL 3.5 as bundled with libpq 18 in psycopg's binary wheel";

function assumedOpenssl(major: number): string {
  return major >= 18 ? OPENSSL_WHEEL : OPENSSL_DEBIAN;
}

/**
 * `invalid %s value: "%s"` for the protocol-version options became `invalid "%s" value: "%s"` (the option name
 * quoted) in libpq 17 (present in 17.4, absent in 16.13); the other options kept the unquoted form through 18.
 */
function invalidProtocolOption(major: number, name: string, value: string): string {
  return major >= 17 ? `invalid "${name}" value: "${value}"` : `invalid ${name} value: "${value}"`;
}

const REFUSED = 'Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?';
const GSSENCMODES = ['disable', 'prefer', 'require'] as const;
const TARGET_SESSION_ATTRS = [
  'any',
  'read-write',
  'read-only',
  'primary',
  'standby',
  'prefer-standby',
] as const;
/** 15/16's text for gssencmode=require without GSSAPI encryption (17+: `GSSAPI encryption required but no credential cache`). */
const GSS_IMPOSSIBLE =
  'GSSAPI encryption required but was impossible (possibly no credential cache, no server support, or using a local socket)';

function rootMissingHint(major: number): string {
  return major >= 16
    ? "Either provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification."
    : 'Either provide the file or change sslmode to disable server certificate verification.';
}

interface HostEntry {
  readonly host: string | undefined;
  readonly hostaddr: string | undefined;
  readonly port: string;
}

interface Resolved {
  readonly major: number;
  readonly sslmode: SslMode;
  readonly hosts: readonly HostEntry[];
  readonly user: string;
  readonly database: string;
  readonly password: string | undefined;
  readonly sslrootcert: string | undefined;
  readonly sslcert: string | undefined;
  readonly sslkey: string | undefined;
  readonly sslcrl: string | undefined;
  readonly sslcrldir: string | undefined;
  /** sslcertmode (16+): "disable" never sends a certificate; "require" needs the server to ask for one. */
  readonly sslcertmode: string | undefined;
  /** require_auth (16+). */
  readonly requireAuth: RequireAuth | undefined;
  /** channel_binding: "require" accepts only a SCRAM exchange bound to the TLS channel (SCRAM-SHA-256-PLUS). */
  readonly channelBinding: ChannelBinding;
  /** gssencmode: GSSAPI encryption, never possible here (no Kerberos credential cache is modelled). */
  readonly gssencmode: 'disable' | 'prefer' | 'require';
  /** target_session_attrs (PGTARGETSESSIONATTRS): what a connected server must be; the engine's is a read-write primary. */
  readonly targetSessionAttrs: (typeof TARGET_SESSION_ATTRS)[number];
  readonly minVersion: TlsVersion;
  readonly maxVersion: TlsVersion | undefined;
  readonly direct: boolean;
  /** connect_timeout as given ("" included): connectDBComplete() parses it once the first connect has started. */
  readonly connectTimeout: string | undefined;
}

/**
 * A keyword's value: the connection string's, else its environment variable's. `get`: an empty value is the
 * option's default, as libpq reads most options (a file name, require_auth); `getSet`: an empty value is the value "", which the options
 * libpq checks against a list (sslmode, channel_binding, gssencmode, sslcertmode, sslnegotiation) refuse.
 */
type Getter = (key: string, envVar?: string) => string | undefined;

type Invalid = { readonly error: string };

/** conninfo_add_defaults() + connectOptions2(): values, environment, defaults and validation, in libpq's order. */
function resolveOptions(s: Scenario, log: StepLog): Resolved | Invalid {
  const major = libpqMajor(s.client.version);
  const parsed = parseConninfo(s.client.conninfo, major);
  if (!parsed.ok) return { error: parsed.error };
  const env = s.client.env ?? {};
  // conninfo_add_defaults() -> parseServiceInfo(): the lab has no pg_service.conf, so no service is defined.
  const service = parsed.options.get('service') ?? env['PGSERVICE'];
  if (service !== undefined) return { error: `definition of service "${service}" not found` };
  // conninfo_add_defaults() reads the environment only for an option the string left NULL: an empty value there
  // (host='', sslrootcert='') is set, and ignores PGHOST, PGSSLROOTCERT...; libpq then treats "" as the option's
  // own default (the socket, $HOME/.postgresql/root.crt, port 5432, the OS user; psql 15).
  const get: Getter = (key, envVar) => {
    const v = parsed.options.get(key) ?? (envVar ? env[envVar] : undefined);
    return v === '' ? undefined : v;
  };
  const getSet: Getter = (key, envVar) => parsed.options.get(key) ?? (envVar ? env[envVar] : undefined);
  const sslrootcert = get('sslrootcert', 'PGSSLROOTCERT');
  const sslmodeText = getSet('sslmode', 'PGSSLMODE') ?? defaultSslmode(get, major, sslrootcert, log);
  const hosts = hostEntries(get);
  if ('error' in hosts) return hosts;
  const ssl = sslOptions(get, getSet, major, sslmodeText, sslrootcert);
  if ('error' in ssl) return ssl;
  for (const h of hosts) {
    if (!/^\d+$/.test(h.port))
      return { error: `invalid integer value "${h.port}" for connection option "port"` };
  }
  const user = get('user', 'PGUSER') ?? s.client.osUser ?? 'postgres';
  return {
    major,
    sslmode: ssl.sslmode,
    hosts,
    user,
    database: get('dbname', 'PGDATABASE') ?? user,
    password: get('password', 'PGPASSWORD'),
    sslrootcert,
    sslcert: get('sslcert', 'PGSSLCERT'),
    sslkey: get('sslkey', 'PGSSLKEY'),
    sslcrl: get('sslcrl', 'PGSSLCRL'),
    sslcrldir: get('sslcrldir', 'PGSSLCRLDIR'),
    sslcertmode: ssl.sslcertmode,
    requireAuth: ssl.requireAuth,
    channelBinding: ssl.channelBinding,
    gssencmode: ssl.gssencmode,
    targetSessionAttrs: ssl.targetSessionAttrs,
    minVersion: ssl.minVersion,
    maxVersion: ssl.maxVersion,
    direct: ssl.direct,
    connectTimeout: parsed.options.get('connect_timeout') ?? env['PGCONNECT_TIMEOUT'],
  };
}

/** sslmode when neither the string nor PGSSLMODE sets it (conninfo_add_defaults()), recorded as a step. */
function defaultSslmode(get: Getter, major: number, sslrootcert: string | undefined, log: StepLog): string {
  // conninfo_add_defaults(): PGREQUIRESSL starting with "1" is sslmode=require, before sslrootcert=system's
  // default of verify-full (which then refuses require as weak).
  const sslmode = get('requiressl', 'PGREQUIRESSL')?.startsWith('1')
    ? 'require'
    : major >= 16 && sslrootcert === 'system'
      ? 'verify-full'
      : 'prefer';
  log.push(0, 'parse', 'info', `sslmode not set: the default is ${sslmode}.`, 'libpq.sslmode.default');
  return sslmode;
}

/** host, hostaddr and port lists paired up (connectOptions2()); ports are checked as integers later. */
function hostEntries(get: Getter): HostEntry[] | Invalid {
  const hostList = (get('host', 'PGHOST') ?? '').split(',');
  const addrText = get('hostaddr', 'PGHOSTADDR');
  const addrList = addrText === undefined ? [] : addrText.split(',');
  if (
    addrList.length > 0 &&
    addrList.length !== hostList.length &&
    !(hostList.length === 1 && hostList[0] === '')
  ) {
    return { error: `could not match ${hostList.length} host names to ${addrList.length} hostaddr values` };
  }
  const count = Math.max(hostList.length, addrList.length);
  const portList = (get('port', 'PGPORT') ?? '').split(',');
  if (portList.length > 1 && portList.length !== count) {
    return { error: `could not match ${portList.length} port numbers to ${count} hosts` };
  }
  return Array.from({ length: count }, (_, i) => ({
    host: hostList[i] === '' ? undefined : hostList[i],
    hostaddr: addrList[i] === '' ? undefined : addrList[i],
    port: (portList.length === 1 ? portList[0] : portList[i]) || '5432',
  }));
}

/**
 * pqConnectOptions2()'s order: require_auth (16+), channel_binding, sslmode, sslnegotiation (17+),
 * sslrootcert=system (16+), ssl_min/max_protocol_version and their range, sslcertmode (16+), gssencmode. Then, 17+:
 * init_allowed_encryption_methods() refuses gssencmode=require with no Kerberos credential cache, before connecting.
 */
function sslOptions(
  get: Getter,
  getSet: Getter,
  major: number,
  sslmodeText: string,
  sslrootcert: string | undefined,
):
  | Pick<
      Resolved,
      | 'sslmode'
      | 'requireAuth'
      | 'channelBinding'
      | 'direct'
      | 'minVersion'
      | 'maxVersion'
      | 'sslcertmode'
      | 'gssencmode'
      | 'targetSessionAttrs'
    >
  | Invalid {
  let requireAuth: RequireAuth | undefined;
  const requireAuthText = major >= 16 ? get('require_auth', 'PGREQUIREAUTH') : undefined;
  if (requireAuthText !== undefined) {
    const parsedAuth = parseRequireAuth(requireAuthText);
    if ('error' in parsedAuth) return parsedAuth;
    requireAuth = parsedAuth;
  }
  const channelBinding = getSet('channel_binding', 'PGCHANNELBINDING') ?? 'prefer';
  if (!isOneOf(CHANNEL_BINDINGS, channelBinding))
    return { error: `invalid channel_binding value: "${channelBinding}"` };
  if (!isOneOf(SSLMODES, sslmodeText)) return { error: `invalid sslmode value: "${sslmodeText}"` };
  const sslmode = sslmodeText;

  let direct = false;
  if (major >= 17) {
    const neg = getSet('sslnegotiation', 'PGSSLNEGOTIATION') ?? 'postgres';
    if (neg !== 'postgres' && neg !== 'direct') return { error: `invalid sslnegotiation value: "${neg}"` };
    direct = neg === 'direct';
    if (direct && (sslmode === 'disable' || sslmode === 'allow' || sslmode === 'prefer')) {
      return {
        error: `weak sslmode "${sslmode}" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")`,
      };
    }
  }
  if (major >= 16 && sslrootcert === 'system' && sslmode !== 'verify-full') {
    return { error: `weak sslmode "${sslmode}" may not be used with sslrootcert=system (use "verify-full")` };
  }

  const minText = get('ssl_min_protocol_version', 'PGSSLMINPROTOCOLVERSION');
  const maxText = get('ssl_max_protocol_version', 'PGSSLMAXPROTOCOLVERSION');
  const minVersion = minText === undefined ? 'TLSv1.2' : tlsVersion(minText);
  if (minVersion === null)
    return { error: invalidProtocolOption(major, 'ssl_min_protocol_version', minText!) };
  const maxVersion = maxText === undefined ? undefined : tlsVersion(maxText);
  if (maxVersion === null)
    return { error: invalidProtocolOption(major, 'ssl_max_protocol_version', maxText!) };
  if (maxVersion !== undefined && TLS_VERSIONS.indexOf(minVersion) > TLS_VERSIONS.indexOf(maxVersion)) {
    return { error: 'invalid SSL protocol version range' };
  }
  const sslcertmode = major >= 16 ? getSet('sslcertmode', 'PGSSLCERTMODE') : undefined;
  if (sslcertmode !== undefined && !['disable', 'allow', 'require'].includes(sslcertmode))
    return { error: `invalid sslcertmode value: "${sslcertmode}"` };
  const gssencmode = getSet('gssencmode', 'PGGSSENCMODE') ?? 'prefer';
  if (!isOneOf(GSSENCMODES, gssencmode)) return { error: `invalid gssencmode value: "${gssencmode}"` };
  if (gssencmode === 'require' && major >= 17)
    return { error: 'GSSAPI encryption required but no credential cache' };
  const targetSessionAttrs = getSet('target_session_attrs', 'PGTARGETSESSIONATTRS') ?? 'any';
  if (!isOneOf(TARGET_SESSION_ATTRS, targetSessionAttrs))
    return { error: `invalid target_session_attrs value: "${targetSessionAttrs}"` };
  return {
    sslmode,
    requireAuth,
    channelBinding,
    direct,
    minVersion,
    maxVersion,
    sslcertmode,
    gssencmode,
    targetSessionAttrs,
  };
}

type Method = 'ssl' | 'plain';

/** The connection methods each sslmode tries, in order (PG15/16 PQconnectPoll; PG17+ init_allowed_encryption_methods()). */
const METHODS: Readonly<Record<SslMode, readonly Method[]>> = {
  disable: ['plain'],
  allow: ['plain', 'ssl'],
  prefer: ['ssl', 'plain'],
  require: ['ssl'],
  'verify-ca': ['ssl'],
  'verify-full': ['ssl'],
};

/** The root CA file (initialize_SSL): sslrootcert, else ~/.postgresql/root.crt. */
interface RootFile {
  readonly isSystem: boolean;
  /** The path as libpq prints it. */
  readonly path: string;
  readonly pem: string | undefined;
  readonly present: boolean;
}

/**
 * initialize_SSL(), once a root file is loaded: X509_STORE_load_locations(sslcrl, sslcrldir), sslcrl defaulting
 * to ~/.postgresql/root.crl when neither is set. Only when that load succeeds are X509_V_FLAG_CRL_CHECK |
 * X509_V_FLAG_CRL_CHECK_ALL set ("if not found, silently ignore; we do not require CRL").
 */
interface CrlStore {
  /** Whether the CRL checks are on. */
  readonly checked: boolean;
  readonly crls: readonly CrlView[];
  /** Certificates of the sslcrl file: X509_load_cert_crl_file() adds them to the trust store. */
  readonly certificatesPem: string;
  readonly detail: string;
}

/** One libpq connection: what every attempt shares, and what accumulates across attempts. */
interface LibpqRun {
  readonly s: Scenario;
  readonly now: Date;
  readonly opts: Resolved;
  readonly base: OutcomeBase & { readonly opensslBuild: string };
  readonly log: StepLog;
  readonly serverMajor: number;
  readonly hba: EffectiveHba;
  readonly listen: readonly string[];
  readonly serverRange: { readonly min: TlsVersion; readonly max: TlsVersion };
  readonly clientRange: { readonly min: TlsVersion; readonly max: TlsVersion };
  readonly root: RootFile;
  readonly crl: CrlStore;
  /** The client certificate and key (initialize_SSL), read once: every SSL attempt loads the same files. */
  readonly clientCert: LoadedClientCert;
  /** PQerrorMessage's lines so far, one per failed attempt. */
  readonly lines: string[];
  /** The number of the current connection attempt (1-based; 0 before the first). */
  attempt: number;
  /** The server's verdict on the client certificate in the last handshake that got that far. */
  certVerdict: ClientCertificateInfo['verdict'];
}

/** One connection attempt to one address, and what it has established so far. */
interface Attempt {
  readonly n: number;
  readonly host: HostEntry;
  readonly address: string;
  /** "connection to server at ... failed: " as emitHostIdentityInfo() writes it. */
  readonly prefix: string;
  encrypted: boolean;
  judgement: ClientCertJudgement;
  protocol: TlsVersion | undefined;
  chainVerified: boolean;
  hostVerified: boolean;
}

/** How an attempt (or an address's attempts) ended. */
type AttemptEnd =
  | { readonly kind: 'connected'; readonly outcome: ConnectionOutcome }
  /** TCP connect refused, or target_session_attrs refused the server: the next address or host is tried. */
  | { readonly kind: 'refused' }
  /** Any other failure ends the whole connection (PQconnectPoll: error_return). */
  | { readonly kind: 'stop' }
  /** A server error the sslmode retries with the next method. */
  | { readonly kind: 'next' };

const STOP: AttemptEnd = { kind: 'stop' };

/** How the SSL part of an attempt ended: 'secure' and 'plaintext' go on to the StartupMessage. */
type SslEnd = 'secure' | 'plaintext' | 'retry' | 'stop';

/**
 * libpq's outcome: the options, then each host's addresses in order, each with the attempts its sslmode makes.
 * `hba` is the server's pg_hba.conf as explainConnection read it.
 */
export async function explainLibpq(s: Scenario, now: Date, hba: EffectiveHba): Promise<ConnectionOutcome> {
  const log = new StepLog();
  const major = libpqMajor(s.client.version);
  const base = {
    driver: 'libpq' as const,
    version: String(major),
    usedBy: LIBPQ_USERS,
    warnings: [],
    opensslBuild: assumedOpenssl(major),
  };
  const serverMajor = serverMajorVersion(s.server);
  const opts = resolveOptions(s, log);
  if ('error' in opts) {
    log.push(0, 'parse', 'fail', opts.error, 'libpq.options.parse');
    return failedOutcome(base, log, 'unknown', {
      error: opts.error,
      fix: 'Fix the connection string: libpq rejects it before any connection attempt.',
    });
  }
  const run = await startRun({ s, now, opts, base, log, hba, serverMajor });
  // Only a failed TCP connect (or an unresolvable name) moves on to the next address or host; any other
  // failure ends the whole connection attempt (PQconnectPoll: error_return, not try_next_addr/host).
  for (const h of opts.hosts) {
    const addresses = hostAddresses(run, h);
    for (const address of addresses) {
      const end = await tryAddress(run, h, address);
      if (end.kind === 'connected') return end.outcome;
      if (end.kind === 'refused') continue;
      if (opts.hosts.length > 1 || addresses.length > 1) {
        log.push(
          run.attempt,
          'result',
          'info',
          'This failure is not a TCP connect failure: the remaining hosts/addresses are not tried.',
          'libpq.hosts.stop',
        );
      }
      return everyAttemptFailed(run);
    }
  }
  return everyAttemptFailed(run);
}

/** What the attempts share: the server's pg_hba and addresses, both TLS ranges, the root and client files. */
async function startRun(
  r: Pick<LibpqRun, 's' | 'now' | 'opts' | 'base' | 'log' | 'hba' | 'serverMajor'>,
): Promise<LibpqRun> {
  const { s, opts } = r;
  const files = s.client.files ?? {};
  const home = s.client.home ?? `/home/${s.client.osUser ?? 'postgres'}`;
  logServerConfig(s.server, r.hba, r.log);
  const isSystem = opts.major >= 16 && opts.sslrootcert === 'system';
  const file = libpqFile(files, home, opts.sslrootcert, 'root.crt');
  const path = file.path;
  const pem = isSystem ? files['system'] : file.pem;
  const clientCert = await loadLibpqClientCert({
    sslcert: opts.sslcert,
    sslkey: opts.sslkey,
    sslcertmode: opts.sslcertmode,
    home,
    files,
  });
  return {
    ...r,
    listen: serverListen(s.server, r.hba),
    serverRange: serverTlsRange(s.server),
    clientRange: { min: opts.minVersion, max: opts.maxVersion ?? 'TLSv1.3' },
    root: { isSystem, path, pem, present: isSystem || pem !== undefined },
    crl: await loadCrlStore(opts, files, home, !isSystem && pem !== undefined),
    clientCert,
    lines: [],
    attempt: 0,
    certVerdict: undefined,
  };
}

/**
 * The addresses to try for one host: hostaddr, an IP literal, or the name resolved. None for a Unix-domain
 * socket (not modelled) or a name that does not resolve, each of which adds its line to the error.
 */
function hostAddresses(run: LibpqRun, h: HostEntry): readonly string[] {
  const { log, lines } = run;
  // Unix-domain socket: no host, or a host that is a directory.
  if (h.hostaddr === undefined && (h.host === undefined || h.host.startsWith('/'))) {
    const dir = h.host ?? '/var/run/postgresql';
    run.attempt++;
    log.push(
      run.attempt,
      'tcp',
      'fail',
      `Unix-domain socket ${dir}: sslmode is ignored there; the engine models TCP servers only.`,
      'libpq.socket',
    );
    lines.push(
      `connection to server on socket "${dir}/.s.PGSQL.${h.port}" failed: No such file or directory\n\tIs the server running locally and accepting connections on that socket?`,
    );
    return [];
  }
  if (h.hostaddr !== undefined) {
    const address = libpqNumericAddress(h.hostaddr);
    if (address !== null) return [address];
    // PQconnectPoll() CHT_HOST_ADDRESS: getaddrinfo(AI_NUMERICHOST) fails; the next host is tried.
    lines.push(`could not parse network address "${h.hostaddr}": Name or service not known`);
    log.push(
      run.attempt,
      'tcp',
      'fail',
      `hostaddr "${h.hostaddr}" is not an IP address.`,
      'libpq.host.resolve',
    );
    return [];
  }
  const literal = libpqNumericAddress(h.host!);
  if (literal !== null) return [literal];
  const found = resolveName(run.s.resolve, h.host!);
  if (!found || found.length === 0) {
    lines.push(`could not translate host name "${h.host}" to address: Name or service not known`);
    log.push(run.attempt, 'tcp', 'fail', `Host name "${h.host}" does not resolve.`, 'libpq.host.resolve');
    return [];
  }
  return found;
}

/** Every attempt the sslmode makes on one address, each on a new TCP connection. */
async function tryAddress(run: LibpqRun, h: HostEntry, address: string): Promise<AttemptEnd> {
  const { log, opts } = run;
  const { sslmode } = opts;
  // emitHostIdentityInfo(): hostaddr wins the display; "(addr)" only when the host name differs from it.
  const displayed = h.hostaddr ?? h.host!;
  const prefix =
    h.hostaddr === undefined && displayed !== address
      ? `connection to server at "${displayed}" (${address}), port ${h.port} failed: `
      : `connection to server at "${displayed}", port ${h.port} failed: `;
  const timeout = opts.connectTimeout;
  if (timeout !== undefined && !/^\s*[+-]?\d+\s*$/.test(timeout)) {
    // connectDBComplete() -> parse_int_param(), after connectDBStart() began the TCP connect to this address.
    run.attempt++;
    const text = `invalid integer value "${timeout}" for connection option "connect_timeout"`;
    log.push(run.attempt, 'parse', 'fail', text, 'libpq.options.parse');
    run.lines.push(prefix + text);
    return STOP;
  }
  const methods = METHODS[sslmode];
  let idx = 0;
  while (idx < methods.length) {
    run.attempt++;
    const method = methods[idx]!;
    const reachable =
      run.listen.includes(address) &&
      (run.s.server.port === undefined || String(run.s.server.port) === h.port);
    if (!reachable) {
      log.push(
        run.attempt,
        'tcp',
        'fail',
        `TCP connect to ${address} port ${h.port}: connection refused.`,
        'libpq.host.resolve',
      );
      run.lines.push(prefix + REFUSED);
      return { kind: 'refused' };
    }
    log.push(
      run.attempt,
      'tcp',
      'ok',
      `TCP connection to ${address} port ${h.port} (${method === 'ssl' ? 'SSL attempt' : 'plaintext attempt'}).`,
      'libpq.order',
    );
    // 15/16 PQconnectPoll(): GSSAPI encryption is tried first, and only with a Kerberos credential cache.
    if (run.opts.gssencmode === 'require') {
      log.push(
        run.attempt,
        'result',
        'fail',
        'gssencmode=require: GSSAPI encryption needs a Kerberos credential cache, and there is none; libpq gives up.',
        'libpq.gssencmode',
      );
      run.lines.push(prefix + GSS_IMPOSSIBLE);
      return STOP;
    }
    const a: Attempt = {
      n: run.attempt,
      host: h,
      address,
      prefix,
      encrypted: false,
      judgement: { kind: 'not-requested', detail: '' },
      protocol: undefined,
      chainVerified: false,
      hostVerified: false,
    };
    if (method === 'ssl') {
      const ssl = await sslAttempt(run, a);
      if (ssl === 'retry') {
        idx++;
        continue;
      }
      if (ssl === 'stop') return STOP;
      // N to the SSLRequest: the plaintext that follows on the same socket was the last method.
      if (ssl === 'plaintext') idx = sslmode === 'allow' ? methods.length : methods.length - 1;
    }
    const end = startup(run, a);
    if (end.kind !== 'next') return end;
    idx++;
    if (idx < methods.length) {
      const rule = sslmode === 'allow' ? 'libpq.allow.retry' : 'libpq.prefer.retry';
      log.push(
        a.n,
        'result',
        'info',
        `${sslmode}: the server error is retried ${methods[idx] === 'ssl' ? 'with' : 'without'} SSL on a new connection.`,
        rule,
      );
    }
  }
  return STOP;
}

/**
 * A failed SSL attempt: its line goes into the error; prefer retries without SSL on a new connection, any other
 * sslmode stops.
 */
function failSsl(run: LibpqRun, a: Attempt, text: string): 'retry' | 'stop' {
  run.lines.push(a.prefix + text);
  if (run.opts.sslmode !== 'prefer') return 'stop';
  run.log.push(
    a.n,
    'result',
    'info',
    'prefer: the failed SSL attempt is retried without SSL on a new connection.',
    'libpq.prefer.retry',
  );
  return 'retry';
}

/** SSLRequest (or direct TLS), the server's answer, initialize_SSL() and the TLS handshake. */
async function sslAttempt(run: LibpqRun, a: Attempt): Promise<SslEnd> {
  const { log, opts, s } = run;
  if (opts.direct) {
    log.push(
      a.n,
      'ssl-request',
      'info',
      'sslnegotiation=direct: TLS ClientHello (ALPN "postgresql") right after TCP connect, no SSLRequest.',
      'libpq.sslnegotiation.direct',
    );
  } else {
    log.push(a.n, 'ssl-request', 'ok', 'Sent SSLRequest (8 bytes, code 80877103).', 'libpq.order');
  }
  if (opts.direct && !acceptsDirectTls(s.server)) return directTlsClosed(run, a);
  if (!s.server.ssl) return answeredN(run, a);
  if (!opts.direct) log.push(a.n, 'ssl-response', 'ok', 'Server answered S.', 'server.ssl-response');
  const init = await initializeSsl(run, a);
  if (init !== 'ok') return init;
  return handshake(run, a);
}

/**
 * A server before 17 reads the ClientHello as a startup packet of absurd length and closes the connection; a
 * 17+ server with ssl off closes it too. OpenSSL 3 reports the EOF in the handshake as
 * SSL_R_UNEXPECTED_EOF_WHILE_READING (OpenSSL 1.1.1 would give libpq's "SSL SYSCALL error: EOF detected").
 */
function directTlsClosed(run: LibpqRun, a: Attempt): 'stop' {
  const { log, serverMajor } = run;
  log.push(
    a.n,
    'ssl-response',
    'fail',
    serverMajor < DIRECT_TLS_SINCE
      ? `The server is PostgreSQL ${serverMajor}: before 17 it does not accept TLS first, takes the ClientHello for an invalid startup packet and closes the connection.`
      : 'ssl=off: the server closes a direct-TLS connection.',
    'libpq.sslnegotiation.direct',
  );
  log.push(
    a.n,
    'tls',
    'info',
    `The text assumes the client's OpenSSL is ${run.base.opensslBuild} (OpenSSL 3 reports this EOF as "unexpected eof while reading"; OpenSSL 1.1.1 as libpq's "SSL SYSCALL error: EOF detected").`,
    'libpq.openssl.build',
  );
  run.lines.push(a.prefix + 'SSL error: unexpected eof while reading');
  return 'stop';
}

/** The server answered N: prefer (and allow before 17) go on in plaintext on the same socket; the rest stop. */
function answeredN(run: LibpqRun, a: Attempt): 'plaintext' | 'stop' {
  const { log, opts } = run;
  const { sslmode } = opts;
  log.push(a.n, 'ssl-response', 'fail', 'Server answered N: ssl is off.', 'server.ssl-response');
  if (sslmode === 'prefer' || (sslmode === 'allow' && opts.major <= 16)) {
    log.push(
      a.n,
      'ssl-response',
      'info',
      `${sslmode}: continue in plaintext on the same socket.`,
      'libpq.ssl-response.n',
    );
    return 'plaintext';
  }
  run.lines.push(a.prefix + 'server does not support SSL, but SSL was required');
  log.push(
    a.n,
    'result',
    'fail',
    `sslmode=${sslmode} needs SSL and the server has none.`,
    'libpq.ssl-response.n',
  );
  return 'stop';
}

/** initialize_SSL(): the root CA file, then the client certificate and key. */
async function initializeSsl(run: LibpqRun, a: Attempt): Promise<'ok' | 'retry' | 'stop'> {
  const { log, root, clientCert } = run;
  const { sslmode, major } = run.opts;
  if (!root.present && (sslmode === 'verify-ca' || sslmode === 'verify-full')) {
    const text = `root certificate file "${root.path}" does not exist\n${rootMissingHint(major)}`;
    log.push(
      a.n,
      'root-file',
      'fail',
      `${sslmode} needs a root CA file and ${root.path} does not exist: libpq stops before the handshake, without looking at any certificate.`,
      'libpq.rootcert',
    );
    run.lines.push(a.prefix + text);
    return 'stop';
  }
  if (root.present && !root.isSystem) {
    const pem = await readPem(root.pem!);
    if (pem.certificates === 0) {
      // UNVERIFIED: the OpenSSL reason after the colon depends on what the file holds.
      const r = failSsl(
        run,
        a,
        `could not read root certificate file "${root.path}": no certificate or crl found`,
      );
      log.push(a.n, 'root-file', 'fail', `${root.path} holds no certificate.`, 'libpq.rootcert');
      return r;
    }
  }
  if (clientCert.kind === 'error') {
    log.push(a.n, 'client-cert', 'fail', clientCert.detail, 'libpq.clientcert.files');
    return failSsl(run, a, clientCert.text);
  }
  log.push(a.n, 'client-cert', 'info', clientCert.detail, 'libpq.clientcert.files');
  return 'ok';
}

/** open_client_SSL(): the protocol version, the server chain, the server's verdict on ours, the host name. */
async function handshake(run: LibpqRun, a: Attempt): Promise<SslEnd> {
  const { log, s } = run;
  const version = negotiate(run, a);
  if (version === 'retry' || version === 'stop') return version;
  a.protocol = version;
  const chain = await verifyChain(run, a);
  if (chain !== 'ok') return chain;
  // The server's verdict on the client certificate: inside the handshake under TLS 1.2 (before the
  // client's host-name check); under TLS 1.3 the client's Certificate follows its Finished, so
  // libpq has completed the handshake (and checked the host name) when the alert arrives.
  const judgement = await serverJudgesClientCert(
    s.server.caFile,
    run.clientCert.kind === 'loaded' ? run.clientCert : null,
    run.now,
  );
  a.judgement = judgement;
  if (judgement.kind !== 'none-sent') run.certVerdict = judgement.kind;
  if (judgement.kind === 'rejected' && version !== 'TLSv1.3') {
    logRejection(log, a.n, judgement, 'libpq.clientcert.alert');
    return failSsl(run, a, `SSL error: ${judgement.reason}`);
  }
  // pgtls_open_client(): SSL_connect() has completed the handshake (the chain included) before
  // pq_verify_peer_name_matches_certificate() compares the host name; a mismatch closes a finished TLS session.
  log.push(a.n, 'tls', 'ok', `TLS handshake complete (${version}).`, 'libpq.tls.protocol', {
    protocol: version,
  });
  if (!(await checkHostName(run, a))) return 'stop';
  a.encrypted = true;
  if (judgement.kind === 'rejected') {
    logRejection(log, a.n, judgement, 'libpq.clientcert.alert');
    run.lines.push(a.prefix + `SSL error: ${judgement.reason}`);
    log.push(
      a.n,
      'result',
      'info',
      'The alert arrived after libpq had finished the TLS 1.3 handshake: the connection fails without a retry.',
      'libpq.clientcert.alert',
    );
    return 'stop';
  }
  log.push(
    a.n,
    'client-cert',
    judgement.kind === 'accepted' ? 'ok' : 'info',
    judgement.detail,
    'server.clientcert.request',
  );
  return 'secure';
}

/**
 * The TLS version both sides allow. A client limited to TLS 1.0-1.1: the client's OpenSSL build decides.
 * psycopg's wheel (OpenSSL 3.5) refuses locally ("no protocols available"); Debian 12's OpenSSL 3.0 offers them
 * and the server answers with a protocol_version alert.
 */
function negotiate(run: LibpqRun, a: Attempt): TlsVersion | 'retry' | 'stop' {
  const { log, clientRange, serverRange, base, opts } = run;
  const legacyOnly = TLS_VERSIONS.indexOf(clientRange.max) < TLS_VERSIONS.indexOf('TLSv1.2');
  const refusedLocally = legacyOnly && base.opensslBuild === OPENSSL_WHEEL;
  const version = refusedLocally ? null : negotiateVersion(clientRange, serverRange);
  if (version !== null) return version;
  log.push(
    a.n,
    'tls',
    'fail',
    refusedLocally
      ? `The client allows only ${clientRange.min}-${clientRange.max} and its OpenSSL enables no protocol in that range: no ClientHello is sent.`
      : `No common TLS version: client ${clientRange.min}-${clientRange.max}, server ${serverRange.min}-${serverRange.max}.`,
    'libpq.tls.protocol',
  );
  if (legacyOnly)
    log.push(
      a.n,
      'tls',
      'info',
      `The text assumes the client's OpenSSL is ${base.opensslBuild}. With a client limited to TLS 1.0-1.1 the build decides: psycopg's wheel (OpenSSL 3.5) says "no protocols available" itself, Debian 12's OpenSSL 3.0 sends the ClientHello and gets the server's "tlsv1 alert protocol version".`,
      'libpq.openssl.build',
    );
  return failSsl(
    run,
    a,
    `SSL error: ${refusedLocally ? 'no protocols available' : 'tlsv1 alert protocol version'}\nThis may indicate that the server does not support any SSL protocol version between ${opts.minVersion} and ${opts.maxVersion ?? 'TLSv1.3'}.`,
  );
}

const NO_CRL_CHECK: CrlStore = { checked: false, crls: [], certificatesPem: '', detail: '' };

async function loadCrlStore(
  opts: Resolved,
  files: Readonly<Record<string, string>>,
  home: string,
  rootFileLoaded: boolean,
): Promise<CrlStore> {
  // PG16+: sslrootcert=system loads the system store in its own branch, which reads no CRL.
  if (!rootFileLoaded) return NO_CRL_CHECK;
  const dir = opts.sslcrldir;
  const file =
    opts.sslcrl !== undefined || dir === undefined ? libpqFile(files, home, opts.sslcrl, 'root.crl') : null;
  // X509_STORE_load_locations(): the file first (X509_load_cert_crl_file(): no certificate or CRL fails the
  // load), then the directory, whose X509_LOOKUP_hash_dir is added without looking at it.
  let read: Awaited<ReturnType<typeof readCertCrlFile>> | null = null;
  if (file) {
    read = file.pem === undefined ? null : await readCertCrlFile(file.pem);
    if (!read || read.count === 0)
      return {
        ...NO_CRL_CHECK,
        detail: `${file.path} ${read ? 'holds no certificate or X509 CRL OpenSSL reads' : 'does not exist'}: no CRL is checked.`,
      };
  }
  // The directory: X509_LOOKUP_hash_dir finds a CRL by its issuer's name hash, <hash>.r0, r1 ... ("openssl
  // rehash" names them); the lab takes every file so named as found, without computing the hash.
  const inDir =
    dir === undefined
      ? []
      : Object.entries(files).filter(
          ([k]) => k.startsWith(`${dir.replace(/\/+$/, '')}/`) && /\/[0-9a-f]{8}\.r\d+$/.test(k),
        );
  const fromDir = (await Promise.all(inDir.map(([, pem]) => readCertCrlFile(pem)))).flatMap((r) => r.crls);
  const crls = [...(read?.crls ?? []), ...fromDir];
  const where = [file?.path, dir].filter((x) => x !== undefined).join(' and ');
  return {
    checked: true,
    crls,
    certificatesPem: read?.certificatesPem ?? '',
    detail: `CRLs from ${where} (${crls.length}): every certificate of the chain needs a current CRL from its issuer (X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL).`,
  };
}

/** The server chain against the root file; without one, the certificate is not checked at all. */
async function verifyChain(run: LibpqRun, a: Attempt): Promise<'ok' | 'retry' | 'stop'> {
  const { log, root } = run;
  if (!root.present) {
    log.push(
      a.n,
      'chain',
      'skip',
      `No root CA file (${root.path}): the server certificate is not checked at all.`,
      'libpq.rootcert',
    );
    return 'ok';
  }
  const { crl } = run;
  if (crl.detail) log.push(a.n, 'chain', 'info', crl.detail, 'libpq.crl');
  const check = await verifyServerChain({
    chainPem: run.s.server.certificateChain ?? '',
    rootsPem: (root.pem ?? '') + (crl.certificatesPem ? `\n${crl.certificatesPem}` : ''),
    time: run.now,
    ...(crl.checked ? { crls: crl.crls } : {}),
  });
  if (!check.trusted) {
    const why = check.error ? `${check.error.message} (${check.error.code})` : 'untrusted';
    log.push(
      a.n,
      'chain',
      'fail',
      `OpenSSL rejects the server chain against ${root.path} in the ${a.protocol ?? 'TLS'} handshake: ${why}.`,
      'libpq.tls.chain',
      {
        ...(a.protocol ? { protocol: a.protocol } : {}),
        ...(check.error ? { verifyError: check.error.code } : {}),
      },
    );
    // Also with sslrootcert=system: the PG16+ text with the verify reason is only for a failure OpenSSL
    // reports as SSL_ERROR_SYSCALL, not for an ordinary verify failure.
    return failSsl(run, a, 'SSL error: certificate verify failed');
  }
  a.chainVerified = true;
  log.push(
    a.n,
    'chain',
    'ok',
    `Chain verified against ${root.path}: ${check.path.join(' -> ')}.`,
    'libpq.rootcert',
  );
  return 'ok';
}

/** verify-full checks the host name (pq_verify_peer_name_matches_certificate()); false: it failed, no retry. */
async function checkHostName(run: LibpqRun, a: Attempt): Promise<boolean> {
  const { log } = run;
  const { sslmode } = run.opts;
  if (sslmode !== 'verify-full') {
    log.push(a.n, 'hostname', 'skip', `sslmode=${sslmode}: the host name is not checked.`, 'libpq.hostname');
    return true;
  }
  const leaf = await readLeaf(run.s.server.certificateChain ?? '');
  const res = leaf
    ? libpqHostnameCheck(a.host.host, leaf)
    : { ok: false as const, error: "could not get server's host name from server certificate" };
  if (!res.ok) {
    log.push(a.n, 'hostname', 'fail', res.error, 'libpq.hostname');
    run.lines.push(a.prefix + res.error);
    return false;
  }
  a.hostVerified = true;
  log.push(a.n, 'hostname', 'ok', `Host "${a.host.host}" matches ${res.matched}.`, 'libpq.hostname');
  return true;
}

/** StartupMessage, pg_hba.conf and authentication, with libpq's own require_auth / sslcertmode checks. */
function startup(run: LibpqRun, a: Attempt): AttemptEnd {
  const { log, opts } = run;
  const result = serverStartup(run.s.server, run.hba.lines, {
    ssl: a.encrypted,
    user: opts.user,
    database: opts.database,
    password: opts.password,
    clientAddress: sameMachineSource(a.address),
    serverAddresses: run.listen,
    clientCertificate: a.encrypted && a.judgement.kind === 'accepted' ? a.judgement.peer : null,
  });
  const refusal = refusedByClient(opts, result, a);
  if (refusal === null || refusal.at === 'ok') logAuthExchange(run, a, result);
  if (refusal !== null) {
    const { by, text } = refusal;
    log.push(
      a.n,
      'auth',
      'fail',
      by === 'sslcertmode'
        ? `sslcertmode=require: ${text}; libpq gives up.`
        : by === 'channel_binding'
          ? `channel_binding=require: ${text}; libpq gives up (it never connects without a SCRAM exchange bound to the TLS channel).`
          : `require_auth=${opts.requireAuth?.text}: the server's authentication is not one the client allows; libpq gives up.`,
      `libpq.${by}`,
    );
    run.lines.push(a.prefix + text);
    return STOP;
  }
  if (result.ok) {
    log.push(a.n, 'pg_hba', 'ok', result.detail, 'server.hba');
    const unwanted = notTheTargetSession(opts.targetSessionAttrs);
    if (unwanted !== null) {
      log.push(
        a.n,
        'result',
        'fail',
        `target_session_attrs=${opts.targetSessionAttrs}: the server is a read-write primary (${unwanted}); libpq tries the next host.`,
        'libpq.target_session_attrs',
      );
      run.lines.push(a.prefix + unwanted);
      return { kind: 'refused' };
    }
    log.push(
      a.n,
      'result',
      'ok',
      `Connected ${a.encrypted ? `with ${a.protocol}` : 'without encryption'}.`,
      'libpq.host.resolve',
    );
    return { kind: 'connected', outcome: connected(run, a) };
  }
  log.push(a.n, result.kind === 'client' ? 'auth' : 'pg_hba', 'fail', result.detail, 'server.auth');
  run.lines.push(a.prefix + (result.kind === 'fatal' ? `FATAL:  ${result.message}` : result.message));
  if (result.kind === 'client') return STOP;
  if (result.afterAuthOk) {
    log.push(
      a.n,
      'result',
      'info',
      'The error came after AuthenticationOk: libpq does not retry it in any sslmode.',
      'libpq.error.after-auth',
    );
    return STOP;
  }
  return { kind: 'next' };
}

/**
 * CONNECTION_CHECK_TARGET (14+): the engine's server is a primary not in recovery with default_transaction_read_only
 * off, so read-only and standby refuse it and go on to the next host (prefer-standby, after finding no standby,
 * takes it). null: the server is one the session may use.
 */
function notTheTargetSession(attrs: Resolved['targetSessionAttrs']): string | null {
  if (attrs === 'read-only') return 'session is not read-only';
  if (attrs === 'standby') return 'server is not in hot standby mode';
  return null;
}

/**
 * libpq checks each authentication message (check_expected_areq(), and pg_SASL_init() for SCRAM) against
 * sslcertmode=require and require_auth (16+) and channel_binding=require: a refusal is the client's own error and
 * is never retried. null: not refused.
 */
function refusedByClient(
  opts: Resolved,
  result: StartupResult,
  a: Attempt,
): { by: 'sslcertmode' | 'require_auth' | 'channel_binding'; at: 'request' | 'ok'; text: string } | null {
  if (result.authRequest === undefined) return null;
  const byAuth = refusedRequest(result.authRequest, opts.requireAuth);
  if (byAuth !== null) return { by: 'require_auth', at: 'request', text: byAuth };
  const cb = refusedByChannelBinding(opts.channelBinding, result.authRequest, a.encrypted, 'request');
  if (cb !== null) return { by: 'channel_binding', at: 'request', text: cb };
  if (!(result.ok || result.afterAuthOk)) return null;
  const atOk = refusedAuthOk(result.authRequest, opts.requireAuth, opts.sslcertmode === 'require', {
    requested: a.judgement.kind !== 'not-requested',
    sent: a.judgement.kind === 'accepted',
  });
  if (atOk !== null)
    return {
      by: atOk.startsWith('authentication method requirement') ? 'require_auth' : 'sslcertmode',
      at: 'ok',
      text: atOk,
    };
  const cbOk = refusedByChannelBinding(opts.channelBinding, result.authRequest, a.encrypted, 'ok');
  return cbOk !== null ? { by: 'channel_binding', at: 'ok', text: cbOk } : null;
}

/**
 * The client answered the server's password request (pg_fe_sendauth()): to a cleartext request it sends the
 * password itself, to SASL a SCRAM exchange. Recorded with `authExchange`, so a summary can say what crossed an
 * unencrypted attempt. Not when the client had no password, or refused the request (require_auth, channel_binding).
 */
function logAuthExchange(run: LibpqRun, a: Attempt, result: StartupResult): void {
  const request = result.authRequest;
  if (run.opts.password === undefined || (request !== 'cleartext' && request !== 'sasl')) return;
  const how = a.encrypted ? 'inside TLS' : 'without TLS, readable by anyone on the path';
  run.log.push(
    a.n,
    'auth',
    'info',
    request === 'cleartext'
      ? `The server asked for the password in clear text (pg_hba method password): the client sent the password itself, ${how}.`
      : `The client answered with a SCRAM exchange (no password sent; its salt and proof allow offline password guessing), ${how}.`,
    'libpq.auth.exchange',
    { authExchange: request === 'cleartext' ? 'password' : 'scram' },
  );
}

function clientCertInfo(run: LibpqRun): ClientCertificateInfo | undefined {
  const { clientCert, certVerdict } = run;
  return clientCert.kind === 'loaded'
    ? {
        subject: clientCert.file.cert.subject.rfc4514,
        ...(certVerdict !== undefined ? { verdict: certVerdict } : {}),
      }
    : undefined;
}

function connected(run: LibpqRun, a: Attempt): ConnectionOutcome {
  const { sslmode } = run.opts;
  return connectedOutcome(run.base, run.log, sslmode, {
    encrypted: a.encrypted,
    protocol: a.protocol,
    chainVerified: a.chainVerified,
    hostnameVerified: a.hostVerified,
    downgradable: sslmode === 'allow' || sslmode === 'prefer' || sslmode === 'disable',
    clientCertVerified: a.encrypted && a.judgement.kind === 'accepted',
    fix: a.encrypted ? fixFor(a.chainVerified, a.hostVerified) : plaintextFix(run, a),
    clientCertificate: clientCertInfo(run),
  });
}

/** No attempt connected: PQerrorMessage is every attempt's line, in order. */
function everyAttemptFailed(run: LibpqRun): ConnectionOutcome {
  const { sslmode } = run.opts;
  const error = run.lines.join('\n');
  run.log.push(run.attempt, 'result', 'fail', 'Every attempt failed.', 'libpq.host.resolve');
  return failedOutcome(run.base, run.log, sslmode, {
    error,
    fix: fixForError(error, sslmode),
    clientCertificate: clientCertInfo(run),
  });
}

/**
 * The fix for a plaintext connection, from why it is plaintext: disable asked for it; allow tried without TLS
 * first and the server took it; the server answered N; or a TLS attempt failed (its line is in the error so far)
 * and the sslmode went on without TLS, where turning ssl on cannot help: the TLS failure is what to fix.
 */
function plaintextFix(run: LibpqRun, a: Attempt): string {
  const { sslmode } = run.opts;
  if (sslmode === 'disable')
    return 'Traffic is plaintext by request. Use sslmode=verify-full with the server CA in sslrootcert once the server has ssl=on.';
  const answeredN = run.log.steps.some(
    (st) => st.attempt === a.n && st.kind === 'ssl-response' && st.status === 'fail',
  );
  if (answeredN)
    return 'Connected without encryption: the server answered the SSLRequest with N (ssl is off), and an active attacker could have done the same. Turn ssl=on on the server and use sslmode=verify-full.';
  const failedTls = run.lines.filter((l) => l.startsWith(a.prefix)).join('\n');
  if (sslmode === 'prefer' && failedTls !== '')
    return `Connected without encryption because the attempt with TLS failed and prefer then went on without TLS (an active attacker can break TLS the same way). ${fixForError(failedTls, sslmode)} Then use sslmode=verify-full, which fails instead of falling back to plaintext.`;
  return `Connected without encryption: sslmode=${sslmode} tries without TLS first and the server accepted it. Use sslmode=verify-full with the server CA in sslrootcert.`;
}

function fixFor(chain: boolean, host: boolean): string | undefined {
  if (!chain)
    return 'Encrypted but the server is not authenticated: put the server CA in sslrootcert and use sslmode=verify-full.';
  if (!host) return 'The chain is checked but not the host name: use sslmode=verify-full.';
  return undefined;
}

/**
 * The fix for a failed connection, from the line of each attempt (PQerrorMessage holds one per attempt). A pg_hba
 * refusal of the retry with the other encryption (prefer's plaintext retry, allow's TLS retry) is a consequence
 * when another attempt failed for a reason of its own (a wrong password, a rejected client certificate).
 */
function fixForError(error: string, sslmode: SslMode): string {
  const lines = error.split('\n').filter((l) => l.trim() !== '');
  const own = lines.filter((l) => !l.includes('no pg_hba.conf entry'));
  for (const line of [...own, ...lines]) {
    const fix = fixForLine(line, error, sslmode);
    if (fix) return fix;
  }
  return 'See the steps for the rule that failed.';
}

function fixForLine(line: string, error: string, sslmode: SslMode): string | undefined {
  const cert = clientCertFix(line);
  if (cert) return cert;
  const twice = error.split('password authentication failed').length > 2;
  if (line.includes('password authentication failed'))
    return `Check the password${sslmode === 'prefer' && twice ? ' (prefer retries without SSL, which is why it appears twice)' : ''}.`;
  return fixForText(line);
}

function fixForText(error: string): string | undefined {
  if (error.includes('does not support SSL'))
    return 'Set ssl=on (with ssl_cert_file/ssl_key_file) on the server and reload, or lower sslmode if plaintext is acceptable.';
  if (error.includes('root certificate file'))
    return `Give the server's CA in sslrootcert=<file> (or ~/.postgresql/root.crt).`;
  if (error.includes('certificate verify failed'))
    return 'The root file does not anchor the server chain (wrong CA, expired or self-signed certificate): fix the file or the server certificate.';
  if (error.includes('does not match host name'))
    return 'Connect with host= set to a name in the certificate (hostaddr= may carry the IP), or reissue the certificate with that name.';
  if (error.includes('no pg_hba.conf entry'))
    return 'Add a pg_hba.conf line for this user/database/address and encryption (hostssl needs SSL, hostnossl needs plaintext), then reload.';
  if (error.includes('protocol version'))
    return 'Align ssl_min_protocol_version / ssl_max_protocol_version between client and server.';
  if (error.includes('Connection refused'))
    return 'Nothing listens there: check host/port and listen_addresses.';
  return undefined;
}
