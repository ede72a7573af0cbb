/**
 * node-postgres (`pg` 8.x with `pg-connection-string` 2.x) on Node 20 / OpenSSL 3.
 *
 * S: brianc/node-postgres packages/pg-connection-string/index.js parse() (sslmode mapping, uselibpqcompat,
 * deprecation warning); packages/pg/lib/connection-parameters.js (PGSSLMODE only without an ssl key);
 * packages/pg/lib/connection.js connect() (SSLRequest, "The server does not support SSL connections",
 * servername only for non-IP hosts). Node: lib/_tls_wrap.js onConnectSecure() (chain, then
 * checkServerIdentity against servername || 'localhost'), lib/tls.js checkServerIdentity().
 */

import { matchKeyToCert, NODE_OPENSSL_AUTH_LEVEL } from '../pki/index.ts';
import {
  clientCertFix,
  nodeAlertMessage,
  peerOf,
  readClientCertFile,
  logRejection,
  serverJudgesClientCert,
  type ClientCertFile,
  type ClientCertJudgement,
  type PeerCertificate,
} from './clientcert.ts';
import { isIpLiteral, nodeCheckServerIdentity, resolveName } from './hostname.ts';
import { parsePgConnectionString } from './pg-connection-string.ts';
import {
  connectedOutcome,
  failedOutcome,
  failure,
  isFailure,
  type Failure,
  type OutcomeBase,
} from './outcome.ts';
import {
  acceptsDirectTls,
  logServerConfig,
  negotiateVersion,
  serverListen,
  serverMajorVersion,
  startupSendingEmptyPassword,
  serverTlsRange,
  type EffectiveHba,
} from './server.ts';
import { StepLog } from './steps.ts';
import type { ClientCertificateInfo, ConnectionOutcome, Scenario, TlsVersion } from './types.ts';
import { readLeaf, verifyServerChain } from './verify.ts';

/** pg 8.23.1 started passing `host` to tls.connect. */
export function passesHost(version: string): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return major > 8 || (major === 8 && (minor > 23 || (minor === 23 && patch >= 1)));
}

export const NODE_USERS = [
  'node-postgres (pg) and what builds on it: Knex, Sequelize, TypeORM, Prisma (driver adapter), Drizzle (node-postgres)',
];

/** The exact text pg-connection-string emits once through process.emitWarning (pg >= 8.17). */
export function nodeDeprecationWarning(sslmode: string): string {
  return (
    "SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are treated as aliases for 'verify-full'.\n" +
    'In the next major version (pg-connection-string v3.0.0 and pg v9.0.0), these modes will adopt standard libpq semantics, which have weaker security guarantees.\n\n' +
    'To prepare for this change:\n' +
    "- If you want the current behavior, explicitly use 'sslmode=verify-full'\n" +
    `- If you want libpq compatibility now, use 'uselibpqcompat=true&sslmode=${sslmode}'\n\n` +
    'See https://www.postgresql.org/docs/current/libpq-ssl.html for libpq SSL mode definitions.'
  );
}

const VERIFY_CA_WITHOUT_ROOT =
  'SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert. If a public CA is used, verify-ca allows connections to a server that somebody else may have registered with the CA, making you vulnerable to Man-in-the-Middle attacks. Either specify a custom CA certificate with sslrootcert parameter or use sslmode=verify-full for proper security.';

/** Node's process warning the first time tls.connect runs with NODE_TLS_REJECT_UNAUTHORIZED=0 (getAllowUnauthorized()). */
const NODE_TLS_REJECT_UNAUTHORIZED_WARNING =
  "Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to '0' makes TLS connections and HTTPS requests insecure by disabling certificate verification.";

/** The TLS options node-postgres hands to tls.connect, as far as verification goes. */
interface NodeSsl {
  readonly on: boolean;
  readonly rejectUnauthorized: boolean;
  readonly checkHost: boolean;
  readonly ca?: string;
}

interface NodeConfig {
  readonly host: string;
  readonly port: string;
  readonly user: string;
  readonly database: string;
  readonly password: string | undefined;
  readonly ssl: NodeSsl;
  readonly sslmode: string;
  /** sslnegotiation=direct: TLS (ALPN "postgresql") right after TCP connect, no SSLRequest (connection.js). */
  readonly direct: boolean;
  readonly warnings: string[];
  /**
   * NODE_TLS_REJECT_UNAUTHORIZED=0: tls.connect's default rejectUnauthorized is false (pg never passes true, so
   * every TLS connection then accepts any certificate).
   */
  readonly allowUnauthorizedFromEnv: boolean;
  /** tls cert / key from sslcert / sslkey (PEM text), when given. */
  readonly certPem?: string;
  readonly keyPem?: string;
}

/** A POSIX path made absolute against `cwd`, with `.`, `..` and repeated slashes resolved (path.resolve). */
export function resolvePosix(path: string, cwd: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * fs.readFileSync as pg calls it on sslrootcert / sslcert / sslkey: the path as written, relative to the
 * process's working directory, with no `~` expansion (a shell does that, Node does not), and the error text
 * Node prints for a missing file, naming the path as it was given. The scenario's files are keyed by absolute
 * path, by a path relative to the working directory, or by `~/...` for a file in $HOME.
 */
function nodeFileReader(s: Scenario): (path: string) => string | { error: string } {
  const home = s.client.home ?? `/home/${s.client.osUser ?? 'postgres'}`;
  const cwd = s.client.cwd ?? home;
  const byPath = new Map(
    Object.entries(s.client.files ?? {}).map(([key, text]) => [
      resolvePosix(key.startsWith('~/') ? `${home}${key.slice(1)}` : key, cwd),
      text,
    ]),
  );
  return (path) =>
    byPath.get(resolvePosix(path, cwd)) ?? { error: `ENOENT: no such file or directory, open '${path}'` };
}

function parseNodeUrl(s: Scenario): NodeConfig | { error: string } {
  const parsed = parsePgConnectionString(s.client.conninfo);
  if (!parsed.ok) return { error: parsed.error };
  const url = parsed.config;
  const q = { get: (key: string): string | null => url.params.get(key) ?? null };
  const env = s.client.env ?? {};
  const warnings: string[] = [];
  const compat = q.get('uselibpqcompat') === 'true';
  // A rejectUnauthorized:false connection ignores checkServerIdentity's verdict too (_tls_wrap.js).
  const readFile = nodeFileReader(s);

  // pg-connection-string parse(): ssl=true/1 -> true, ssl=0 -> false; any of sslcert/sslkey/sslrootcert/sslmode
  // replaces it with an options object {} (full verification); files are read with fs.readFileSync. Each test is
  // on the value's truthiness (index.js 69-99), so an empty value counts as absent: ?sslmode= or ?sslrootcert=
  // turns nothing on, and ?ssl= leaves the string '' (falsy: no TLS, and PGSSLMODE is not read either, as the
  // config has an ssl key).
  const full: NodeSsl = { on: true, rejectUnauthorized: true, checkHost: true };
  let ssl: NodeSsl | undefined;
  let sslmode = 'none';
  const sslParam = q.get('ssl');
  if (sslParam !== null) {
    sslmode = `ssl=${sslParam}`;
    // connection-parameters.js: 'no-verify' -> {rejectUnauthorized:false}; '0' -> false; any other string is truthy.
    ssl =
      sslParam === '0' || sslParam === ''
        ? { ...full, on: false }
        : sslParam === 'no-verify'
          ? { on: true, rejectUnauthorized: false, checkHost: false }
          : full;
  }
  const mode = q.get('sslmode');
  const rootPath = q.get('sslrootcert');
  if (q.get('sslcert') || q.get('sslkey') || rootPath || mode) ssl = full;
  if (q.get('sslnegotiation') === 'direct' && ssl === undefined) ssl = full;
  let ca: string | undefined;
  let certPem: string | undefined;
  let keyPem: string | undefined;
  for (const key of ['sslcert', 'sslkey', 'sslrootcert']) {
    const path = q.get(key);
    if (!path) continue;
    const r = readFile(path);
    if (typeof r !== 'string') return r;
    if (key === 'sslrootcert') ca = r;
    else if (key === 'sslcert') certPem = r;
    else keyPem = r;
  }
  if (ssl?.on && ca) ssl = { ...ssl, ca };
  if (mode) sslmode = mode;
  if (compat) {
    if (mode === 'disable') ssl = { ...full, on: false };
    else if (mode === 'prefer') ssl = { ...ssl!, rejectUnauthorized: false };
    else if (mode === 'require')
      ssl = ca ? { ...ssl!, checkHost: false } : { ...ssl!, rejectUnauthorized: false };
    else if (mode === 'verify-ca') {
      if (!ca) return { error: VERIFY_CA_WITHOUT_ROOT };
      ssl = { ...ssl!, checkHost: false };
    }
  } else if (mode === 'disable') ssl = { ...full, on: false };
  else if (mode === 'no-verify') ssl = { ...ssl!, rejectUnauthorized: false };
  else if (mode === 'prefer' || mode === 'require' || mode === 'verify-ca')
    warnings.push(nodeDeprecationWarning(mode));
  if (ssl === undefined) {
    // connection-parameters.js readSSLConfigFromEnvironment(): only when the config has no ssl key.
    const e = env['PGSSLMODE'];
    if (e !== undefined) sslmode = `PGSSLMODE=${e}`;
    ssl =
      e === 'prefer' || e === 'require' || e === 'verify-ca' || e === 'verify-full'
        ? full
        : e === 'no-verify'
          ? { on: true, rejectUnauthorized: false, checkHost: false }
          : { ...full, on: false };
  }
  // connection-parameters.js: the value is checked, and direct needs SSL on.
  const negotiation = q.get('sslnegotiation') ?? env['PGSSLNEGOTIATION'];
  if (
    negotiation !== undefined &&
    negotiation !== null &&
    negotiation !== 'postgres' &&
    negotiation !== 'direct'
  )
    return {
      error: `Invalid sslnegotiation value: "${negotiation}". Valid values are "postgres" and "direct".`,
    };
  const direct = negotiation === 'direct';
  if (direct && !ssl.on) return { error: 'sslnegotiation=direct requires SSL to be enabled' };
  // _tls_wrap.js connect(): options = { rejectUnauthorized: !getAllowUnauthorized(), ..., ...options }. pg's
  // options set rejectUnauthorized only to false (no-verify, uselibpqcompat), so the variable turns it off always.
  const allowUnauthorizedFromEnv = env['NODE_TLS_REJECT_UNAUTHORIZED'] === '0';
  if (allowUnauthorizedFromEnv && ssl.on) ssl = { ...ssl, rejectUnauthorized: false };
  const user = url.user || env['PGUSER'] || s.client.osUser || 'postgres';
  return {
    direct,
    host: url.host || 'localhost',
    port: url.port || '5432',
    user,
    database: url.database || user,
    password: url.password || env['PGPASSWORD'],
    ssl,
    sslmode,
    warnings,
    allowUnauthorizedFromEnv,
    ...(certPem !== undefined ? { certPem } : {}),
    ...(keyPem !== undefined ? { keyPem } : {}),
  };
}

/** One node-postgres connection: pg makes exactly one attempt, so a failure anywhere ends it. */
interface NodeRun {
  readonly s: Scenario;
  readonly now: Date;
  readonly cfg: NodeConfig;
  readonly base: OutcomeBase;
  readonly log: StepLog;
  readonly hba: EffectiveHba;
  /** The client certificate tls.connect was given, once its secure context accepted it. */
  certInfo: ClientCertificateInfo | undefined;
}

/** What the TLS handshake established. */
interface NodeTls {
  readonly protocol: TlsVersion | undefined;
  /** The client certificate the server verified, or null. */
  readonly peer: PeerCertificate | null;
  readonly chainVerified: boolean;
  readonly hostVerified: boolean;
}

const PLAINTEXT: NodeTls = { protocol: undefined, peer: null, chainVerified: false, hostVerified: false };

/** node-postgres's outcome: the URL's TLS options, then its one attempt. `hba` as explainConnection read it. */
export async function explainNodePostgres(
  s: Scenario,
  now: Date,
  hba: EffectiveHba,
): Promise<ConnectionOutcome> {
  const log = new StepLog();
  const base = {
    driver: 'node-postgres' as const,
    version: s.client.version ?? '8.23.1',
    usedBy: NODE_USERS,
  };
  const cfg = parseNodeUrl(s);
  if ('error' in cfg) {
    log.push(0, 'parse', 'fail', cfg.error, 'node.ssl.config');
    return failedOutcome({ ...base, warnings: [] }, log, 'unknown', {
      error: cfg.error,
      fix: 'Fix the connection URL.',
    });
  }
  const run: NodeRun = {
    s,
    now,
    cfg,
    base: { ...base, warnings: cfg.warnings },
    log,
    hba,
    certInfo: undefined,
  };
  const ended = await connect(run);
  return isFailure(ended)
    ? failedOutcome(run.base, log, cfg.sslmode, {
        error: ended.error,
        fix: ended.fix,
        clientCertificate: run.certInfo,
      })
    : ended;
}

/** The TLS options, then TCP, TLS (when ssl is on) and the StartupMessage. */
async function connect(run: NodeRun): Promise<ConnectionOutcome | Failure> {
  const { cfg, log, s } = run;
  const { ssl } = cfg;
  log.push(
    0,
    'parse',
    'info',
    ssl.on
      ? `ssl on (${cfg.sslmode}): ${ssl.rejectUnauthorized ? 'chain verified' : 'chain NOT verified'}${ssl.rejectUnauthorized && ssl.checkHost ? ' and host name checked' : ''}; no plaintext fallback.`
      : `ssl off (${cfg.sslmode}): plaintext, no SSLRequest.`,
    'node.ssl.config',
  );
  logServerConfig(s.server, run.hba, log);
  const listen = serverListen(s.server, run.hba);
  const address = tcpConnect(run, listen);
  if (isFailure(address)) return address;
  let tls = PLAINTEXT;
  if (ssl.on) {
    const secured = await tlsConnect(run);
    if (isFailure(secured)) return secured;
    tls = secured;
  }
  return startup(run, address, listen, tls);
}

/** The host resolved, then the first of its addresses the server listens on. */
function tcpConnect(run: NodeRun, listen: readonly string[]): string | Failure {
  const { cfg, log, s } = run;
  const addresses = isIpLiteral(cfg.host) ? [cfg.host] : resolveName(s.resolve, cfg.host);
  if (!addresses || addresses.length === 0)
    return failure(`getaddrinfo ENOTFOUND ${cfg.host}`, 'Check the host name.');
  const address = addresses.find(
    (a) => listen.includes(a) && (s.server.port === undefined || String(s.server.port) === cfg.port),
  );
  if (address === undefined) {
    log.push(
      1,
      'tcp',
      'fail',
      `Nothing listens on ${addresses.join(', ')} port ${cfg.port}.`,
      'node.ssl.config',
    );
    return failure(
      `connect ECONNREFUSED ${addresses[0]}:${cfg.port}`,
      'Check host, port and listen_addresses.',
    );
  }
  log.push(1, 'tcp', 'ok', `TCP connection to ${address} port ${cfg.port}.`, 'node.ssl.config');
  return address;
}

/** SSLRequest (no fallback on N), the secure context, the handshake and the server's verdict on our certificate. */
async function tlsConnect(run: NodeRun): Promise<NodeTls | Failure> {
  const { log, s } = run;
  // tls.connect() is called (on 'S', or at once for direct TLS): getAllowUnauthorized() warns, once per process.
  if (run.cfg.allowUnauthorizedFromEnv && (run.cfg.direct || s.server.ssl))
    run.cfg.warnings.push(NODE_TLS_REJECT_UNAUTHORIZED_WARNING);
  if (run.cfg.direct) {
    log.push(
      1,
      'ssl-request',
      'info',
      'sslnegotiation=direct: TLS ClientHello (ALPN "postgresql") right after TCP connect, no SSLRequest.',
      'node.ssl.config',
    );
    if (!acceptsDirectTls(s.server)) {
      log.push(
        1,
        'ssl-response',
        'fail',
        s.server.ssl
          ? `The server is PostgreSQL ${serverMajorVersion(s.server)}: before 17 it does not accept TLS first, takes the ClientHello for an invalid startup packet and closes the connection.`
          : 'ssl=off: the server closes a direct-TLS connection.',
        'server.ssl-response',
      );
      return failure(
        'Client network socket disconnected before secure TLS connection was established',
        'Drop sslnegotiation=direct (PostgreSQL before 17 does not accept it), or turn ssl=on on a 17+ server.',
      );
    }
  } else log.push(1, 'ssl-request', 'ok', 'Sent SSLRequest.', 'node.ssl.config');
  if (!run.cfg.direct && !s.server.ssl) {
    log.push(
      1,
      'ssl-response',
      'fail',
      'Server answered N: node-postgres does not fall back.',
      'node.ssl.response',
    );
    return failure(
      'The server does not support SSL connections',
      'Turn ssl=on on the server, or drop sslmode from the URL if plaintext is acceptable.',
    );
  }
  if (!run.cfg.direct) log.push(1, 'ssl-response', 'ok', 'Server answered S.', 'server.ssl-response');
  const offered = await offerClientCert(run);
  if (isFailure(offered)) return offered;
  const judgement = await serverJudgesClientCert(s.server.caFile, offered, run.now);
  if (run.certInfo && judgement.kind !== 'none-sent')
    run.certInfo = { ...run.certInfo, verdict: judgement.kind };
  const version = negotiateVersion({ min: 'TLSv1.2', max: 'TLSv1.3' }, serverTlsRange(s.server));
  if (version === null) {
    log.push(
      1,
      'tls',
      'fail',
      "No TLS version in common with Node (TLSv1.2-TLSv1.3); Node's error text for this is not modelled.",
      'node.tls.verify',
    );
    return failure(
      'SSL routines: unsupported protocol (Node text not modelled)',
      'Allow TLSv1.2 or TLSv1.3 on the server.',
    );
  }
  // TLS 1.2: the server's alert ends the handshake before Node looks at the server certificate.
  if (judgement.kind === 'rejected' && version !== 'TLSv1.3') return alertFailure(run, judgement);
  const verified = await verifyServer(run, version);
  if (isFailure(verified)) return verified;
  log.push(1, 'tls', 'ok', `TLS handshake complete (${version}).`, 'node.tls.verify', { protocol: version });
  // TLS 1.3: the client's Certificate follows its Finished; the alert arrives on the first read.
  if (judgement.kind === 'rejected') return alertFailure(run, judgement);
  log.push(
    1,
    'client-cert',
    judgement.kind === 'accepted' ? 'ok' : 'info',
    judgement.detail,
    'server.clientcert.request',
  );
  return { protocol: version, peer: judgement.kind === 'accepted' ? judgement.peer : null, ...verified };
}

/** tls.connect builds a secure context from cert/key first: Node refuses a key that is not the cert's. */
async function offerClientCert(
  run: NodeRun,
): Promise<{ file: ClientCertFile; peer: PeerCertificate } | null | Failure> {
  const { cfg, log } = run;
  if (cfg.certPem === undefined || cfg.keyPem === undefined) {
    if (cfg.certPem !== undefined || cfg.keyPem !== undefined) {
      log.push(
        1,
        'client-cert',
        'info',
        `Only ${cfg.certPem !== undefined ? 'sslcert' : 'sslkey'} is given: OpenSSL sends no client certificate without both.`,
        'node.clientcert',
      );
    }
    return null;
  }
  const file = await readClientCertFile(cfg.certPem);
  if ('error' in file) {
    log.push(1, 'client-cert', 'fail', `sslcert holds no certificate (${file.error}).`, 'node.clientcert');
    // UNVERIFIED: Node's text for a cert file without a certificate.
    return failure('error:0480006C:PEM routines::no start line', 'Point sslcert at a PEM certificate.');
  }
  const match = await matchKeyToCert(cfg.keyPem, file.cert);
  if (match.kind === 'mismatch') {
    log.push(
      1,
      'client-cert',
      'fail',
      `sslkey is not the key of ${file.cert.subject.rfc4514}: Node's secure context refuses the pair.`,
      'node.clientcert',
    );
    return failure(
      'error:05800074:x509 certificate routines::key values mismatch',
      'Give sslkey the private key that belongs to the sslcert certificate.',
    );
  }
  run.certInfo = { subject: file.cert.subject.rfc4514 };
  log.push(
    1,
    'client-cert',
    'info',
    `Client certificate ${file.cert.subject.rfc4514} with its key (tls cert/key).${match.kind === 'unknown' ? ` The engine could not compare the key (${match.why}); assumed to match.` : ''}`,
    'node.clientcert',
  );
  return { file, peer: peerOf(file.cert) };
}

/** The server rejected our certificate with an alert. */
function alertFailure(run: NodeRun, j: ClientCertJudgement & { kind: 'rejected' }): Failure {
  logRejection(run.log, 1, j, 'server.clientcert.request');
  return failure(
    nodeAlertMessage(j.alert),
    "Use a client certificate issued by a CA in the server's ssl_ca_file, within its validity period.",
  );
}

/** _tls_wrap.js onConnectSecure(): the chain (rejectUnauthorized), then checkServerIdentity. */
async function verifyServer(
  run: NodeRun,
  /** The version of the handshake that delivered the certificate. */
  version: TlsVersion,
): Promise<Pick<NodeTls, 'chainVerified' | 'hostVerified'> | Failure> {
  const { cfg, log } = run;
  const { ssl } = cfg;
  if (!ssl.rejectUnauthorized) {
    log.push(
      1,
      'chain',
      'skip',
      cfg.allowUnauthorizedFromEnv
        ? 'rejectUnauthorized: false (tls.connect default under NODE_TLS_REJECT_UNAUTHORIZED=0): the certificate is not checked.'
        : 'rejectUnauthorized: false: the certificate is not checked.',
      'node.ssl.config',
    );
    return { chainVerified: false, hostVerified: false };
  }
  const chain = await verifyChain(run, version);
  if (chain !== null) return chain;
  if (!ssl.checkHost) {
    log.push(
      1,
      'hostname',
      'skip',
      'checkServerIdentity replaced by a no-op: host name not checked.',
      'node.ssl.config',
    );
    return { chainVerified: true, hostVerified: false };
  }
  const host = await checkIdentity(run);
  return host ?? { chainVerified: true, hostVerified: true };
}

/** The chain against tls ca (sslrootcert), else Node's bundled roots; null: verified. */
async function verifyChain(run: NodeRun, version: TlsVersion): Promise<Failure | null> {
  const { cfg, log } = run;
  // No ca: Node's bundled Mozilla roots. The engine has no public roots, so a private CA is untrusted.
  const check = await verifyServerChain({
    chainPem: run.s.server.certificateChain ?? '',
    rootsPem: cfg.ssl.ca ?? '',
    time: run.now,
    continueOnError: true,
    opensslAuthLevel: NODE_OPENSSL_AUTH_LEVEL,
  });
  if (!check.trusted) {
    const message = check.error?.message ?? 'certificate verify failed';
    log.push(
      1,
      'chain',
      'fail',
      `OpenSSL (via Node) rejects the chain after the ${version} handshake: ${message}${check.error ? ` (${check.error.code})` : ''}.`,
      'node.tls.verify',
      { protocol: version, ...(check.error ? { verifyError: check.error.code } : {}) },
    );
    const how =
      'Pass the server CA with sslrootcert=<file> (it becomes tls ca): an absolute path, or one relative to the directory the process runs in; Node does not expand ~.';
    return failure(
      message,
      check.error?.code === 'X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN'
        ? `"in certificate chain": the server sent a self-signed certificate (its root CA) along with its own, and that root is not one Node trusts. Sending the root does not make it trusted. ${how}`
        : `${how} Or fix the server chain.`,
    );
  }
  log.push(
    1,
    'chain',
    'ok',
    `Chain verified${cfg.ssl.ca ? ' against sslrootcert' : " against Node's CA bundle"}: ${check.path.join(' -> ')}.`,
    'node.tls.verify',
  );
  return null;
}

/** checkServerIdentity against the name pg gives tls.connect; null: it matched. */
async function checkIdentity(run: NodeRun): Promise<Failure | null> {
  const { cfg, log } = run;
  // pg <= 8.23.0 passed neither servername nor host for an IP host, so Node checked "localhost";
  // pg 8.23.1 passes host (packages/pg/lib/connection.js upgradeToSSL()).
  const name = isIpLiteral(cfg.host) && !passesHost(run.base.version) ? 'localhost' : cfg.host;
  const leaf = await readLeaf(run.s.server.certificateChain ?? '');
  const res = leaf ? nodeCheckServerIdentity(name, leaf) : { ok: false as const, error: 'no certificate' };
  if (!res.ok) {
    log.push(1, 'hostname', 'fail', `checkServerIdentity("${name}"): ${res.error}`, 'node.tls.servername');
    return failure(
      res.error,
      'Connect by a host name the certificate lists (or put the IP in an iPAddress SAN).',
    );
  }
  log.push(
    1,
    'hostname',
    'ok',
    `checkServerIdentity("${name}") matches ${res.matched}${name !== cfg.host ? ` (IP host ${cfg.host}: Node checks "localhost")` : ''}.`,
    'node.tls.servername',
  );
  return null;
}

/** StartupMessage, pg_hba.conf and authentication: node-postgres never retries another way. */
function startup(
  run: NodeRun,
  address: string,
  listen: readonly string[],
  tls: NodeTls,
): ConnectionOutcome | Failure {
  const { cfg, log } = run;
  const { ssl } = cfg;
  // No password for a cleartext request: client.js _handleAuthCleartextPassword() sends this.password (null), which
  // pg-protocol's addCString() writes as an empty string, and the server refuses it. SCRAM refuses a non-string
  // password on the client (the text below).
  const result = startupSendingEmptyPassword(
    run.s.server,
    run.hba.lines,
    {
      ssl: ssl.on,
      user: cfg.user,
      database: cfg.database,
      password: cfg.password,
      clientAddress: address,
      serverAddresses: listen,
      clientCertificate: tls.peer,
    },
    (request) => request === 'cleartext',
  );
  if (!result.ok) {
    log.push(1, 'pg_hba', 'fail', result.detail, 'server.auth');
    return failure(
      result.kind === 'client'
        ? 'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'
        : result.message,
      clientCertFix(result.message) ??
        'Fix pg_hba.conf or the credentials; node-postgres never retries another way.',
    );
  }
  log.push(1, 'pg_hba', 'ok', result.detail, 'server.hba');
  log.push(
    1,
    'result',
    'ok',
    `Connected ${ssl.on ? `with ${tls.protocol}` : 'without encryption'}.`,
    'node.ssl.config',
  );
  return connectedOutcome(run.base, log, cfg.sslmode, {
    encrypted: ssl.on,
    protocol: tls.protocol,
    chainVerified: tls.chainVerified,
    hostnameVerified: tls.hostVerified,
    downgradable: false,
    clientCertVerified: tls.peer !== null,
    fix:
      ssl.on && tls.chainVerified && tls.hostVerified
        ? undefined
        : ssl.on
          ? 'Use sslmode=verify-full with sslrootcert=<server CA> for an authenticated connection.'
          : 'Add sslmode=verify-full&sslrootcert=<CA file> to the URL.',
    clientCertificate: run.certInfo,
  });
}
