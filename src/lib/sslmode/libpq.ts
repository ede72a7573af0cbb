/**
 * libpq 15-18 (psql, psycopg2, psycopg 3, Ruby pg, PHP pgsql/pdo_pgsql, ...): from a connection string to
 * the exact PQerrorMessage text, attempt by attempt.
 *
 * The algorithm follows PQconnectPoll() (PG15/16) and init_allowed_encryption_methods() /
 * select_next_encryption_method() (PG17/18) in src/interfaces/libpq/fe-connect.c; TLS setup follows
 * initialize_SSL() / open_client_SSL() in fe-secure-openssl.c. Each decision is a Step citing a rule in rules.ts.
 */

import { parseConninfo } from './conninfo.ts';
import { isIpLiteral, libpqHostnameCheck } from './hostname.ts';
import {
  acceptsDirectTls,
  DIRECT_TLS_SINCE,
  negotiateVersion,
  serverHba,
  serverMajorVersion,
  serverStartup,
  serverTlsRange,
  tlsVersion,
} from './server.ts';
import { StepLog, protectionFor } from './steps.ts';
import {
  clientCertFix,
  loadLibpqClientCert,
  serverJudgesClientCert,
  type ClientCertJudgement,
} from './clientcert.ts';
import { parseRequireAuth, refusedAuthOk, refusedRequest, type RequireAuth } from './require-auth.ts';
import type { ClientCertificateInfo, ConnectionOutcome, Scenario, TlsVersion } from './types.ts';
import { readLeaf, readPem, verifyServerChain } from './verify.ts';

export const LIBPQ_USERS = [
  'psql and the other PostgreSQL command-line tools',
  'psycopg2 and psycopg 3 (Python)',
  'Ruby pg',
  'PHP pgsql / pdo_pgsql',
  'R RPostgres, Perl DBD::Pg, ODBC psqlODBC',
];

const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
type SslMode = (typeof SSLMODES)[number];

export function libpqMajor(version: string | undefined): number {
  const major = Number((version ?? '17').split('.')[0]);
  return Number.isInteger(major) && major >= 15 && major <= 18 ? major : 17;
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

function rootMissingHint(major: number): string {
  return major >= 16
    ? "Either provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification."
    : 'Either provide the file or change sslmode to disable server certificate verification.';
}

interface Resolved {
  readonly major: number;
  readonly sslmode: SslMode;
  readonly hosts: { host: string | undefined; hostaddr: string | undefined; port: string }[];
  readonly user: string;
  readonly database: string;
  readonly password: string | undefined;
  readonly sslrootcert: string | undefined;
  readonly sslcert: string | undefined;
  readonly sslkey: string | undefined;
  /** sslcertmode (16+): "disable" never sends a certificate; "require" needs the server to ask for one. */
  readonly sslcertmode: string | undefined;
  /** require_auth (16+). */
  readonly requireAuth: RequireAuth | undefined;
  readonly minVersion: TlsVersion;
  readonly maxVersion: TlsVersion | undefined;
  readonly direct: boolean;
}

/** conninfo_add_defaults() + connectOptions2(): values, environment, defaults and validation, in libpq's order. */
function resolveOptions(s: Scenario, log: StepLog): Resolved | { error: string } {
  const major = libpqMajor(s.client.version);
  const parsed = parseConninfo(s.client.conninfo, major);
  if (!parsed.ok) return { error: parsed.error };
  const env = s.client.env ?? {};
  const get = (key: string, envVar?: string): string | undefined => {
    const v = parsed.options.get(key);
    if (v !== undefined && v !== '') return v;
    const e = envVar ? env[envVar] : undefined;
    return e !== undefined && e !== '' ? e : undefined;
  };
  const sslrootcert = get('sslrootcert', 'PGSSLROOTCERT');
  let sslmodeText = get('sslmode', 'PGSSLMODE');
  if (sslmodeText === undefined) {
    if (major >= 16 && sslrootcert === 'system') sslmodeText = 'verify-full';
    else if (get('requiressl', 'PGREQUIRESSL') === '1') sslmodeText = 'require';
    else sslmodeText = 'prefer';
    log.push(0, 'parse', 'info', `sslmode not set: the default is ${sslmodeText}.`, 'libpq.sslmode.default');
  }

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
  const hosts = Array.from({ length: count }, (_, i) => ({
    host: hostList[i] === '' ? undefined : hostList[i],
    hostaddr: addrList[i] === '' ? undefined : addrList[i],
    port: (portList.length === 1 ? portList[0] : portList[i]) || '5432',
  }));

  // pqConnectOptions2()'s order: require_auth (16+), sslmode, sslnegotiation (17+), sslrootcert=system (16+),
  // ssl_min/max_protocol_version and their range, sslcertmode (16+).
  let requireAuth: RequireAuth | undefined;
  const requireAuthText = major >= 16 ? get('require_auth', 'PGREQUIREAUTH') : undefined;
  if (requireAuthText !== undefined) {
    const parsedAuth = parseRequireAuth(requireAuthText);
    if ('error' in parsedAuth) return parsedAuth;
    requireAuth = parsedAuth;
  }
  if (!(SSLMODES as readonly string[]).includes(sslmodeText))
    return { error: `invalid sslmode value: "${sslmodeText}"` };
  const sslmode = sslmodeText as SslMode;

  let direct = false;
  if (major >= 17) {
    const neg = get('sslnegotiation', 'PGSSLNEGOTIATION') ?? 'postgres';
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
  if (maxVersion !== undefined && TLS_ORDER.indexOf(minVersion) > TLS_ORDER.indexOf(maxVersion)) {
    return { error: 'invalid SSL protocol version range' };
  }
  const sslcertmode = major >= 16 ? get('sslcertmode', 'PGSSLCERTMODE') : undefined;
  if (sslcertmode !== undefined && !['disable', 'allow', 'require'].includes(sslcertmode))
    return { error: `invalid sslcertmode value: "${sslcertmode}"` };
  for (const h of hosts) {
    if (!/^\d+$/.test(h.port))
      return { error: `invalid integer value "${h.port}" for connection option "port"` };
  }
  const user = get('user', 'PGUSER') ?? s.client.osUser ?? 'postgres';
  return {
    major,
    sslmode,
    hosts,
    user,
    database: get('dbname', 'PGDATABASE') ?? user,
    password: get('password', 'PGPASSWORD'),
    sslrootcert,
    sslcert: get('sslcert', 'PGSSLCERT'),
    sslkey: get('sslkey', 'PGSSLKEY'),
    sslcertmode,
    requireAuth,
    minVersion,
    maxVersion,
    direct,
  };
}

const TLS_ORDER: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

type Method = 'ssl' | 'plain';

export async function explainLibpq(s: Scenario, now: Date): Promise<ConnectionOutcome> {
  const log = new StepLog();
  const base = {
    driver: 'libpq' as const,
    version: String(libpqMajor(s.client.version)),
    usedBy: LIBPQ_USERS,
    warnings: [],
    opensslBuild: assumedOpenssl(libpqMajor(s.client.version)),
  };
  const serverMajor = serverMajorVersion(s.server);
  const opts = resolveOptions(s, log);
  if ('error' in opts) {
    log.push(0, 'parse', 'fail', opts.error, 'libpq.options.parse');
    return {
      ...base,
      connected: false,
      encrypted: false,
      error: opts.error,
      sslmode: 'unknown',
      chainVerified: false,
      hostnameVerified: false,
      steps: log.steps,
      protection: protectionFor(false, false, false, false),
      fix: 'Fix the connection string: libpq rejects it before any connection attempt.',
    };
  }
  const { major, sslmode } = opts;
  const files = s.client.files ?? {};
  const home = s.client.home ?? `/home/${s.client.osUser ?? 'postgres'}`;
  const hbaLines = serverHba(s.server, log);
  const lines: string[] = [];
  const listen = s.server.listen ?? ['127.0.0.1', '::1'];
  const serverRange = serverTlsRange(s.server);
  const clientRange = { min: opts.minVersion, max: opts.maxVersion ?? 'TLSv1.3' };
  let attempt = 0;
  let everVerifiedChain = false;
  let certVerdict: ClientCertificateInfo['verdict'];

  // The root CA file (initialize_SSL): sslrootcert, else ~/.postgresql/root.crt.
  const rootIsSystem = major >= 16 && opts.sslrootcert === 'system';
  const rootPath = opts.sslrootcert ?? `${home}/.postgresql/root.crt`;
  const rootKey = opts.sslrootcert ?? '~/.postgresql/root.crt';
  const rootPem = rootIsSystem ? files['system'] : (files[rootKey] ?? files[rootPath]);
  const haveRootCert = rootIsSystem || rootPem !== undefined;

  // The client certificate and key (initialize_SSL), read once: every SSL attempt loads the same files.
  const clientCert = await loadLibpqClientCert({
    sslcert: opts.sslcert,
    sslkey: opts.sslkey,
    sslcertmode: opts.sslcertmode,
    home,
    files,
  });

  const clientCertInfo = (): { clientCertificate?: ClientCertificateInfo } =>
    clientCert.kind === 'loaded'
      ? {
          clientCertificate: {
            subject: clientCert.file.cert.subject.rfc4514,
            ...(certVerdict !== undefined ? { verdict: certVerdict } : {}),
          },
        }
      : {};

  // Only a failed TCP connect (or an unresolvable name) moves on to the next address or host; any other
  // failure ends the whole connection attempt (PQconnectPoll: error_return, not try_next_addr/host).
  hosts: for (const h of opts.hosts) {
    // Unix-domain socket: no host, or a host that is a directory.
    if (h.hostaddr === undefined && (h.host === undefined || h.host.startsWith('/'))) {
      const dir = h.host ?? '/var/run/postgresql';
      attempt++;
      log.push(
        attempt,
        'tcp',
        'fail',
        `Unix-domain socket ${dir}: sslmode is ignored there; the engine models TCP servers only.`,
        'libpq.socket',
      );
      lines.push(
        `connection to server on socket "${dir}/.s.PGSQL.${h.port}" failed: No such file or directory\n\tIs the server running locally and accepting connections on that socket?`,
      );
      continue;
    }
    let addresses: readonly string[];
    if (h.hostaddr !== undefined) addresses = [h.hostaddr];
    else if (isIpLiteral(h.host!)) addresses = [h.host!];
    else {
      const table = { localhost: ['127.0.0.1'], ...(s.resolve ?? {}) } as Record<string, readonly string[]>;
      const found = table[h.host!];
      if (!found || found.length === 0) {
        lines.push(`could not translate host name "${h.host}" to address: Name or service not known`);
        log.push(attempt, 'tcp', 'fail', `Host name "${h.host}" does not resolve.`, 'libpq.host.resolve');
        continue;
      }
      addresses = found;
    }
    for (const address of addresses) {
      // emitHostIdentityInfo(): hostaddr wins the display; "(addr)" only when the host name differs from it.
      const displayed = h.hostaddr ?? h.host!;
      const prefix =
        h.hostaddr === undefined && displayed !== address
          ? `connection to server at "${displayed}" (${address}), port ${h.port} failed: `
          : `connection to server at "${displayed}", port ${h.port} failed: `;
      const methods: Method[] =
        sslmode === 'disable'
          ? ['plain']
          : sslmode === 'allow'
            ? ['plain', 'ssl']
            : sslmode === 'prefer'
              ? ['ssl', 'plain']
              : ['ssl'];
      let idx = 0;
      let terminal = true;
      attempts: while (idx < methods.length) {
        attempt++;
        let method = methods[idx]!;
        const reachable =
          listen.includes(address) && (s.server.port === undefined || String(s.server.port) === h.port);
        if (!reachable) {
          log.push(
            attempt,
            'tcp',
            'fail',
            `TCP connect to ${address} port ${h.port}: connection refused.`,
            'libpq.host.resolve',
          );
          lines.push(prefix + REFUSED);
          terminal = false;
          break attempts;
        }
        log.push(
          attempt,
          'tcp',
          'ok',
          `TCP connection to ${address} port ${h.port} (${method === 'ssl' ? 'SSL attempt' : 'plaintext attempt'}).`,
          'libpq.order',
        );
        let encrypted = false;
        let judgement: ClientCertJudgement = { kind: 'not-requested', detail: '' };
        let protocol: TlsVersion | undefined;
        let chainVerified = false;
        let hostVerified = false;
        const failSsl = (text: string): 'retry' | 'stop' => {
          lines.push(prefix + text);
          if (sslmode === 'prefer') {
            log.push(
              attempt,
              'result',
              'info',
              'prefer: the failed SSL attempt is retried without SSL on a new connection.',
              'libpq.prefer.retry',
            );
            idx++;
            return 'retry';
          }
          return 'stop';
        };
        if (method === 'ssl') {
          if (opts.direct) {
            log.push(
              attempt,
              'ssl-request',
              'info',
              'sslnegotiation=direct: TLS ClientHello (ALPN "postgresql") right after TCP connect, no SSLRequest.',
              'libpq.sslnegotiation.direct',
            );
          } else {
            log.push(
              attempt,
              'ssl-request',
              'ok',
              'Sent SSLRequest (8 bytes, code 80877103).',
              'libpq.order',
            );
          }
          if (opts.direct && !acceptsDirectTls(s.server)) {
            // A server before 17 reads the ClientHello as a startup packet of absurd length and closes the
            // connection; a 17+ server with ssl off closes it too. OpenSSL 3 reports the EOF in the handshake as
            // SSL_R_UNEXPECTED_EOF_WHILE_READING (OpenSSL 1.1.1 would give libpq's "SSL SYSCALL error: EOF detected").
            log.push(
              attempt,
              'ssl-response',
              'fail',
              serverMajor < DIRECT_TLS_SINCE
                ? `The server is PostgreSQL ${serverMajor}: before 17 it does not accept TLS first, takes the ClientHello for an invalid startup packet and closes the connection.`
                : 'ssl=off: the server closes a direct-TLS connection.',
              'libpq.sslnegotiation.direct',
            );
            log.push(
              attempt,
              'tls',
              'info',
              `The text assumes the client's OpenSSL is ${base.opensslBuild} (OpenSSL 3 reports this EOF as "unexpected eof while reading"; OpenSSL 1.1.1 as libpq's "SSL SYSCALL error: EOF detected").`,
              'libpq.openssl.build',
            );
            lines.push(prefix + 'SSL error: unexpected eof while reading');
            break attempts;
          }
          if (!s.server.ssl) {
            log.push(
              attempt,
              'ssl-response',
              'fail',
              'Server answered N: ssl is off.',
              'server.ssl-response',
            );
            if (sslmode === 'prefer' || (sslmode === 'allow' && major <= 16)) {
              log.push(
                attempt,
                'ssl-response',
                'info',
                `${sslmode}: continue in plaintext on the same socket.`,
                'libpq.ssl-response.n',
              );
              method = 'plain';
              idx = methods.length - 1;
              if (sslmode === 'allow') idx = methods.length; // allow (15/16): this was the last method
            } else {
              lines.push(prefix + 'server does not support SSL, but SSL was required');
              log.push(
                attempt,
                'result',
                'fail',
                `sslmode=${sslmode} needs SSL and the server has none.`,
                'libpq.ssl-response.n',
              );
              break attempts;
            }
          } else {
            if (!opts.direct)
              log.push(attempt, 'ssl-response', 'ok', 'Server answered S.', 'server.ssl-response');
            // initialize_SSL(): the root CA file.
            if (!haveRootCert && (sslmode === 'verify-ca' || sslmode === 'verify-full')) {
              const text = `root certificate file "${rootPath}" does not exist\n${rootMissingHint(major)}`;
              log.push(
                attempt,
                'chain',
                'fail',
                `${sslmode} needs a root CA file and ${rootPath} does not exist.`,
                'libpq.rootcert',
              );
              lines.push(prefix + text);
              break attempts;
            }
            if (haveRootCert && !rootIsSystem) {
              const pem = await readPem(rootPem!);
              if (pem.certificates === 0) {
                // UNVERIFIED: the OpenSSL reason after the colon depends on what the file holds.
                const r = failSsl(
                  `could not read root certificate file "${rootPath}": no certificate or crl found`,
                );
                log.push(attempt, 'chain', 'fail', `${rootPath} holds no certificate.`, 'libpq.rootcert');
                if (r === 'retry') continue attempts;
                break attempts;
              }
            }
            if (clientCert.kind === 'error') {
              log.push(attempt, 'client-cert', 'fail', clientCert.detail, 'libpq.clientcert.files');
              const r = failSsl(clientCert.text);
              if (r === 'retry') continue attempts;
              break attempts;
            }
            log.push(attempt, 'client-cert', 'info', clientCert.detail, 'libpq.clientcert.files');
            // A client limited to TLS 1.0-1.1: the client's OpenSSL build decides. psycopg's wheel (OpenSSL 3.5)
            // refuses locally ("no protocols available"); Debian 12's OpenSSL 3.0 offers them and the server answers
            // with a protocol_version alert.
            const legacyOnly = TLS_ORDER.indexOf(clientRange.max) < TLS_ORDER.indexOf('TLSv1.2');
            const refusedLocally = legacyOnly && base.opensslBuild === OPENSSL_WHEEL;
            const version = refusedLocally ? null : negotiateVersion(clientRange, serverRange);
            if (version === null) {
              const low = opts.minVersion;
              const high = opts.maxVersion ?? 'TLSv1.3';
              log.push(
                attempt,
                'tls',
                'fail',
                refusedLocally
                  ? `The client allows only ${clientRange.min}-${clientRange.max} and its OpenSSL enables no protocol in that range: no ClientHello is sent.`
                  : `No common TLS version: client ${clientRange.min}-${clientRange.max}, server ${serverRange.min}-${serverRange.max}.`,
                'libpq.tls.protocol',
              );
              if (legacyOnly)
                log.push(
                  attempt,
                  'tls',
                  'info',
                  `The text assumes the client's OpenSSL is ${base.opensslBuild}. With a client limited to TLS 1.0-1.1 the build decides: psycopg's wheel (OpenSSL 3.5) says "no protocols available" itself, Debian 12's OpenSSL 3.0 sends the ClientHello and gets the server's "tlsv1 alert protocol version".`,
                  'libpq.openssl.build',
                );
              const r = failSsl(
                `SSL error: ${refusedLocally ? 'no protocols available' : 'tlsv1 alert protocol version'}\nThis may indicate that the server does not support any SSL protocol version between ${low} and ${high}.`,
              );
              if (r === 'retry') continue attempts;
              break attempts;
            }
            protocol = version;
            const chainPem = s.server.certificateChain ?? '';
            if (haveRootCert) {
              const check = await verifyServerChain({ chainPem, rootsPem: rootPem ?? '', time: now });
              if (!check.trusted) {
                const why = check.error ? `${check.error.message} (${check.error.code})` : 'untrusted';
                log.push(
                  attempt,
                  'chain',
                  'fail',
                  `OpenSSL rejects the server chain against ${rootPath}: ${why}.`,
                  'libpq.tls.chain',
                );
                // Also with sslrootcert=system: the PG16+ text with the verify reason is only for a failure OpenSSL
                // reports as SSL_ERROR_SYSCALL, not for an ordinary verify failure.
                const r = failSsl('SSL error: certificate verify failed');
                if (r === 'retry') continue attempts;
                break attempts;
              }
              chainVerified = true;
              log.push(
                attempt,
                'chain',
                'ok',
                `Chain verified against ${rootPath}: ${check.path.join(' -> ')}.`,
                'libpq.rootcert',
              );
            } else {
              log.push(
                attempt,
                'chain',
                'skip',
                `No root CA file (${rootPath}): the server certificate is not checked at all.`,
                'libpq.rootcert',
              );
            }
            // The server's verdict on the client certificate: inside the handshake under TLS 1.2 (before the
            // client's host-name check); under TLS 1.3 the client's Certificate follows its Finished, so
            // libpq has completed the handshake (and checked the host name) when the alert arrives.
            judgement = await serverJudgesClientCert(
              s.server.caFile,
              clientCert.kind === 'loaded' ? clientCert : null,
              now,
            );
            if (judgement.kind !== 'none-sent') certVerdict = judgement.kind;
            if (judgement.kind === 'rejected' && version !== 'TLSv1.3') {
              log.push(attempt, 'client-cert', 'fail', judgement.detail, 'libpq.clientcert.alert');
              const r = failSsl(`SSL error: ${judgement.reason}`);
              if (r === 'retry') continue attempts;
              break attempts;
            }
            if (sslmode === 'verify-full') {
              const leaf = await readLeaf(chainPem);
              const res = leaf
                ? libpqHostnameCheck(h.host, leaf)
                : { ok: false as const, error: "could not get server's host name from server certificate" };
              if (!res.ok) {
                log.push(attempt, 'hostname', 'fail', res.error, 'libpq.hostname');
                lines.push(prefix + res.error);
                break attempts;
              }
              hostVerified = true;
              log.push(
                attempt,
                'hostname',
                'ok',
                `Host "${h.host}" matches ${res.matched}.`,
                'libpq.hostname',
              );
            } else {
              log.push(
                attempt,
                'hostname',
                'skip',
                `sslmode=${sslmode}: the host name is not checked.`,
                'libpq.hostname',
              );
            }
            encrypted = true;
            everVerifiedChain ||= chainVerified;
            log.push(attempt, 'tls', 'ok', `TLS handshake complete (${version}).`, 'libpq.tls.protocol');
            if (judgement.kind === 'rejected') {
              log.push(attempt, 'client-cert', 'fail', judgement.detail, 'libpq.clientcert.alert');
              lines.push(prefix + `SSL error: ${judgement.reason}`);
              log.push(
                attempt,
                'result',
                'info',
                'The alert arrived after libpq had finished the TLS 1.3 handshake: the connection fails without a retry.',
                'libpq.clientcert.alert',
              );
              break attempts;
            }
            log.push(
              attempt,
              'client-cert',
              judgement.kind === 'accepted' ? 'ok' : 'info',
              judgement.detail,
              'server.clientcert.request',
            );
          }
        }
        // StartupMessage, pg_hba.conf, authentication.
        const clientAddress = address;
        const result = serverStartup(s.server, hbaLines, {
          ssl: encrypted,
          user: opts.user,
          database: opts.database,
          password: opts.password,
          clientAddress,
          serverAddresses: listen,
          clientCertificate: encrypted && judgement.kind === 'accepted' ? judgement.peer : null,
        });
        // libpq 16+ checks each authentication message against require_auth and sslcertmode=require
        // (check_expected_areq()): a refusal is the client's own error and is never retried.
        const refused =
          result.authRequest === undefined
            ? null
            : (refusedRequest(result.authRequest, opts.requireAuth) ??
              (result.ok || result.afterAuthOk
                ? refusedAuthOk(result.authRequest, opts.requireAuth, opts.sslcertmode === 'require', {
                    requested: judgement.kind !== 'not-requested',
                    sent: judgement.kind === 'accepted',
                  })
                : null));
        if (refused !== null) {
          const byCertmode = !refused.startsWith('authentication method requirement');
          log.push(
            attempt,
            'auth',
            'fail',
            byCertmode
              ? `sslcertmode=require: ${refused}; libpq gives up.`
              : `require_auth=${opts.requireAuth?.text}: the server's authentication is not one the client allows; libpq gives up.`,
            byCertmode ? 'libpq.sslcertmode' : 'libpq.require_auth',
          );
          lines.push(prefix + refused);
          break attempts;
        }
        if (result.ok) {
          log.push(attempt, 'pg_hba', 'ok', result.detail, 'server.hba');
          log.push(
            attempt,
            'result',
            'ok',
            `Connected ${encrypted ? `with ${protocol}` : 'without encryption'}.`,
            'libpq.host.resolve',
          );
          return {
            ...base,
            connected: true,
            encrypted,
            ...(protocol && encrypted ? { protocol } : {}),
            sslmode,
            chainVerified,
            hostnameVerified: hostVerified,
            steps: log.steps,
            protection: protectionFor(
              encrypted,
              chainVerified,
              hostVerified,
              sslmode === 'allow' || sslmode === 'prefer' || sslmode === 'disable',
              encrypted && judgement.kind === 'accepted',
            ),
            fix: fixFor(sslmode, encrypted, chainVerified, hostVerified),
            ...clientCertInfo(),
          };
        }
        log.push(attempt, result.kind === 'client' ? 'auth' : 'pg_hba', 'fail', result.detail, 'server.auth');
        const text = result.kind === 'fatal' ? `FATAL:  ${result.message}` : result.message;
        lines.push(prefix + text);
        if (result.kind === 'client') break attempts;
        if (result.afterAuthOk) {
          log.push(
            attempt,
            'result',
            'info',
            'The error came after AuthenticationOk: libpq does not retry it in any sslmode.',
            'libpq.error.after-auth',
          );
          break attempts;
        }
        idx++;
        if (idx < methods.length) {
          const rule = sslmode === 'allow' ? 'libpq.allow.retry' : 'libpq.prefer.retry';
          log.push(
            attempt,
            'result',
            'info',
            `${sslmode}: the server error is retried ${methods[idx] === 'ssl' ? 'with' : 'without'} SSL on a new connection.`,
            rule,
          );
        }
      }
      if (terminal) {
        if (opts.hosts.length > 1 || addresses.length > 1) {
          log.push(
            attempt,
            'result',
            'info',
            'This failure is not a TCP connect failure: the remaining hosts/addresses are not tried.',
            'libpq.hosts.stop',
          );
        }
        break hosts;
      }
    }
  }
  const error = lines.join('\n');
  log.push(attempt, 'result', 'fail', 'Every attempt failed.', 'libpq.host.resolve');
  return {
    ...base,
    connected: false,
    encrypted: false,
    error,
    sslmode,
    chainVerified: everVerifiedChain,
    hostnameVerified: false,
    steps: log.steps,
    protection: protectionFor(false, false, false, false),
    fix: fixForError(error, sslmode),
    ...clientCertInfo(),
  };
}

function fixFor(sslmode: SslMode, encrypted: boolean, chain: boolean, host: boolean): string | undefined {
  if (!encrypted) {
    return sslmode === 'disable'
      ? 'Traffic is plaintext by request. Use sslmode=verify-full with the server CA in sslrootcert once the server has ssl=on.'
      : 'Connected without encryption: an active attacker could have forced this. Turn ssl=on on the server and use sslmode=verify-full.';
  }
  if (!chain)
    return 'Encrypted but the server is not authenticated: put the server CA in sslrootcert and use sslmode=verify-full.';
  if (!host) return 'The chain is checked but not the host name: use sslmode=verify-full.';
  return undefined;
}

function fixForError(error: string, sslmode: SslMode): string {
  // A client-certificate failure is the root cause even when prefer's plaintext retry adds a pg_hba line.
  const cert = clientCertFix(error);
  if (cert) return cert;
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
  if (error.includes('password authentication failed'))
    return `Check the password${sslmode === 'prefer' ? ' (prefer retries without SSL, which is why it appears twice)' : ''}.`;
  if (error.includes('Connection refused'))
    return 'Nothing listens there: check host/port and listen_addresses.';
  return 'See the steps for the rule that failed.';
}
