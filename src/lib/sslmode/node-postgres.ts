/**
 * node-postgres (`pg` 8.x with `pg-connection-string` 2.x) on Node 20 / OpenSSL 3.
 *
 * S: brianc/node-postgres packages/pg-connection-string/index.js parse() (sslmode mapping, uselibpqcompat,
 * deprecation warning); packages/pg/lib/connection-parameters.js (PGSSLMODE only without an ssl key);
 * packages/pg/lib/connection.js connect() (SSLRequest, "The server does not support SSL connections",
 * servername only for non-IP hosts). Node: lib/_tls_wrap.js onConnectSecure() (chain, then
 * checkServerIdentity against servername || 'localhost'), lib/tls.js checkServerIdentity().
 */

import { matchKeyToCert } from '../pki/index.ts';
import {
  clientCertFix,
  nodeAlertMessage,
  peerOf,
  readClientCertFile,
  serverJudgesClientCert,
  type ClientCertFile,
  type ClientCertJudgement,
  type PeerCertificate,
} from './clientcert.ts';
import { isIpLiteral, nodeCheckServerIdentity } from './hostname.ts';
import { parsePgConnectionString } from './pg-connection-string.ts';
import { negotiateVersion, serverHba, serverStartup, serverTlsRange } from './server.ts';
import { StepLog, protectionFor } from './steps.ts';
import type { ClientCertificateInfo, ConnectionOutcome, Scenario } from './types.ts';
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
  readonly warnings: string[];
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
  // replaces it with an options object {} (full verification); files are read with fs.readFileSync.
  const full: NodeSsl = { on: true, rejectUnauthorized: true, checkHost: true };
  let ssl: NodeSsl | undefined;
  let sslmode = 'none';
  const sslParam = q.get('ssl');
  if (sslParam !== null) {
    sslmode = `ssl=${sslParam}`;
    // connection-parameters.js: 'no-verify' -> {rejectUnauthorized:false}; '0' -> false; any other string is truthy.
    ssl =
      sslParam === '0'
        ? { ...full, on: false }
        : sslParam === 'no-verify'
          ? { on: true, rejectUnauthorized: false, checkHost: false }
          : full;
  }
  const mode = q.get('sslmode');
  const rootPath = q.get('sslrootcert');
  if (q.get('sslcert') !== null || q.get('sslkey') !== null || rootPath !== null || mode !== null) ssl = full;
  if (q.get('sslnegotiation') === 'direct' && ssl === undefined) ssl = full;
  let ca: string | undefined;
  let certPem: string | undefined;
  let keyPem: string | undefined;
  for (const key of ['sslcert', 'sslkey', 'sslrootcert']) {
    const path = q.get(key);
    if (path === null) continue;
    const r = readFile(path);
    if (typeof r !== 'string') return r;
    if (key === 'sslrootcert') ca = r;
    else if (key === 'sslcert') certPem = r;
    else keyPem = r;
  }
  if (ssl?.on && ca) ssl = { ...ssl, ca };
  if (mode !== null) sslmode = mode;
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
  const user = url.user || env['PGUSER'] || s.client.osUser || 'postgres';
  return {
    host: url.host || 'localhost',
    port: url.port || '5432',
    user,
    database: url.database || user,
    password: url.password || env['PGPASSWORD'],
    ssl,
    sslmode,
    warnings,
    ...(certPem !== undefined ? { certPem } : {}),
    ...(keyPem !== undefined ? { keyPem } : {}),
  };
}

export async function explainNodePostgres(s: Scenario, now: Date): Promise<ConnectionOutcome> {
  const log = new StepLog();
  const base = {
    driver: 'node-postgres' as const,
    version: s.client.version ?? '8.23.1',
    usedBy: NODE_USERS,
  };
  const cfg = parseNodeUrl(s);
  let certInfo: ClientCertificateInfo | undefined;
  const fail = (
    error: string,
    sslmode: string,
    warnings: readonly string[],
    fix: string,
  ): ConnectionOutcome => ({
    ...base,
    warnings,
    connected: false,
    encrypted: false,
    error,
    sslmode,
    chainVerified: false,
    hostnameVerified: false,
    steps: log.steps,
    protection: protectionFor(false, false, false, false),
    fix,
    ...(certInfo ? { clientCertificate: certInfo } : {}),
  });
  if ('error' in cfg) {
    log.push(0, 'parse', 'fail', cfg.error, 'node.ssl.config');
    return fail(cfg.error, 'unknown', [], 'Fix the connection URL.');
  }
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
  const hbaLines = serverHba(s.server, log);
  const listen = s.server.listen ?? ['127.0.0.1', '::1'];
  const addresses = isIpLiteral(cfg.host)
    ? [cfg.host]
    : ({ localhost: ['127.0.0.1'], ...(s.resolve ?? {}) } as Record<string, readonly string[]>)[cfg.host];
  if (!addresses || addresses.length === 0) {
    return fail(`getaddrinfo ENOTFOUND ${cfg.host}`, cfg.sslmode, cfg.warnings, 'Check the host name.');
  }
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
    return fail(
      `connect ECONNREFUSED ${addresses[0]}:${cfg.port}`,
      cfg.sslmode,
      cfg.warnings,
      'Check host, port and listen_addresses.',
    );
  }
  log.push(1, 'tcp', 'ok', `TCP connection to ${address} port ${cfg.port}.`, 'node.ssl.config');
  let protocol: string | undefined;
  let peer: PeerCertificate | null = null;
  let chainVerified = false;
  let hostVerified = false;
  if (ssl.on) {
    log.push(1, 'ssl-request', 'ok', 'Sent SSLRequest.', 'node.ssl.config');
    if (!s.server.ssl) {
      log.push(
        1,
        'ssl-response',
        'fail',
        'Server answered N: node-postgres does not fall back.',
        'node.ssl.response',
      );
      return fail(
        'The server does not support SSL connections',
        cfg.sslmode,
        cfg.warnings,
        'Turn ssl=on on the server, or drop sslmode from the URL if plaintext is acceptable.',
      );
    }
    log.push(1, 'ssl-response', 'ok', 'Server answered S.', 'server.ssl-response');
    // tls.connect builds a secure context from cert/key first: Node refuses a key that is not the cert's.
    let offered: { file: ClientCertFile; peer: PeerCertificate } | null = null;
    if (cfg.certPem !== undefined && cfg.keyPem !== undefined) {
      const file = await readClientCertFile(cfg.certPem);
      if ('error' in file) {
        log.push(
          1,
          'client-cert',
          'fail',
          `sslcert holds no certificate (${file.error}).`,
          'node.clientcert',
        );
        // UNVERIFIED: Node's text for a cert file without a certificate.
        return fail(
          'error:0480006C:PEM routines::no start line',
          cfg.sslmode,
          cfg.warnings,
          'Point sslcert at a PEM certificate.',
        );
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
        return fail(
          'error:05800074:x509 certificate routines::key values mismatch',
          cfg.sslmode,
          cfg.warnings,
          'Give sslkey the private key that belongs to the sslcert certificate.',
        );
      }
      offered = { file, peer: peerOf(file.cert) };
      certInfo = { subject: file.cert.subject.rfc4514 };
      log.push(
        1,
        'client-cert',
        'info',
        `Client certificate ${file.cert.subject.rfc4514} with its key (tls cert/key).${match.kind === 'unknown' ? ` The engine could not compare the key (${match.why}); assumed to match.` : ''}`,
        'node.clientcert',
      );
    } else if (cfg.certPem !== undefined || cfg.keyPem !== undefined) {
      log.push(
        1,
        'client-cert',
        'info',
        `Only ${cfg.certPem !== undefined ? 'sslcert' : 'sslkey'} is given: OpenSSL sends no client certificate without both.`,
        'node.clientcert',
      );
    }
    const judgement = await serverJudgesClientCert(s.server.caFile, offered, now);
    if (certInfo && judgement.kind !== 'none-sent') certInfo = { ...certInfo, verdict: judgement.kind };
    const version = negotiateVersion({ min: 'TLSv1.2', max: 'TLSv1.3' }, serverTlsRange(s.server));
    if (version === null) {
      log.push(
        1,
        'tls',
        'fail',
        "No TLS version in common with Node (TLSv1.2-TLSv1.3); Node's error text for this is not modelled.",
        'node.tls.verify',
      );
      return fail(
        'SSL routines: unsupported protocol (Node text not modelled)',
        cfg.sslmode,
        cfg.warnings,
        'Allow TLSv1.2 or TLSv1.3 on the server.',
      );
    }
    protocol = version;
    const alertFail = (j: ClientCertJudgement & { kind: 'rejected' }): ConnectionOutcome => {
      log.push(1, 'client-cert', 'fail', j.detail, 'server.clientcert.request');
      return fail(
        nodeAlertMessage(j.alert),
        cfg.sslmode,
        cfg.warnings,
        "Use a client certificate issued by a CA in the server's ssl_ca_file, within its validity period.",
      );
    };
    // TLS 1.2: the server's alert ends the handshake before Node looks at the server certificate.
    if (judgement.kind === 'rejected' && version !== 'TLSv1.3') return alertFail(judgement);
    const chainPem = s.server.certificateChain ?? '';
    if (ssl.rejectUnauthorized) {
      // No ca: Node's bundled Mozilla roots. The engine has no public roots, so a private CA is untrusted.
      const check = await verifyServerChain({
        chainPem,
        rootsPem: ssl.ca ?? '',
        time: now,
        continueOnError: true,
      });
      if (!check.trusted) {
        const message = check.error?.message ?? 'certificate verify failed';
        log.push(
          1,
          'chain',
          'fail',
          `OpenSSL (via Node) rejects the chain: ${message}${check.error ? ` (${check.error.code})` : ''}.`,
          'node.tls.verify',
        );
        const how =
          'Pass the server CA with sslrootcert=<file> (it becomes tls ca): an absolute path, or one relative to the directory the process runs in; Node does not expand ~.';
        return fail(
          message,
          cfg.sslmode,
          cfg.warnings,
          check.error?.code === 'X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN'
            ? `"in certificate chain": the server sent a self-signed certificate (its root CA) along with its own, and that root is not one Node trusts. Sending the root does not make it trusted. ${how}`
            : `${how} Or fix the server chain.`,
        );
      }
      chainVerified = true;
      log.push(
        1,
        'chain',
        'ok',
        `Chain verified${ssl.ca ? ' against sslrootcert' : " against Node's CA bundle"}: ${check.path.join(' -> ')}.`,
        'node.tls.verify',
      );
      if (ssl.checkHost) {
        // pg <= 8.23.0 passed neither servername nor host for an IP host, so Node checked "localhost";
        // pg 8.23.1 passes host (packages/pg/lib/connection.js upgradeToSSL()).
        const name = isIpLiteral(cfg.host) && !passesHost(base.version) ? 'localhost' : cfg.host;
        const leaf = await readLeaf(chainPem);
        const res = leaf
          ? nodeCheckServerIdentity(name, leaf)
          : { ok: false as const, error: 'no certificate' };
        if (!res.ok) {
          log.push(
            1,
            'hostname',
            'fail',
            `checkServerIdentity("${name}"): ${res.error}`,
            'node.tls.servername',
          );
          return fail(
            res.error,
            cfg.sslmode,
            cfg.warnings,
            'Connect by a host name the certificate lists (or put the IP in an iPAddress SAN).',
          );
        }
        hostVerified = true;
        log.push(
          1,
          'hostname',
          'ok',
          `checkServerIdentity("${name}") matches ${res.matched}${name !== cfg.host ? ` (IP host ${cfg.host}: Node checks "localhost")` : ''}.`,
          'node.tls.servername',
        );
      } else {
        log.push(
          1,
          'hostname',
          'skip',
          'checkServerIdentity replaced by a no-op: host name not checked.',
          'node.ssl.config',
        );
      }
    } else {
      log.push(
        1,
        'chain',
        'skip',
        'rejectUnauthorized: false: the certificate is not checked.',
        'node.ssl.config',
      );
    }
    log.push(1, 'tls', 'ok', `TLS handshake complete (${version}).`, 'node.tls.verify');
    // TLS 1.3: the client's Certificate follows its Finished; the alert arrives on the first read.
    if (judgement.kind === 'rejected') return alertFail(judgement);
    log.push(
      1,
      'client-cert',
      judgement.kind === 'accepted' ? 'ok' : 'info',
      judgement.detail,
      'server.clientcert.request',
    );
    peer = judgement.kind === 'accepted' ? judgement.peer : null;
  }
  const result = serverStartup(s.server, hbaLines, {
    ssl: ssl.on,
    user: cfg.user,
    database: cfg.database,
    password: cfg.password,
    clientAddress: address,
    serverAddresses: listen,
    clientCertificate: peer,
  });
  if (!result.ok) {
    log.push(1, 'pg_hba', 'fail', result.detail, 'server.auth');
    const error =
      result.kind === 'client'
        ? 'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'
        : result.message;
    return fail(
      error,
      cfg.sslmode,
      cfg.warnings,
      clientCertFix(result.message) ??
        'Fix pg_hba.conf or the credentials; node-postgres never retries another way.',
    );
  }
  log.push(1, 'pg_hba', 'ok', result.detail, 'server.hba');
  log.push(
    1,
    'result',
    'ok',
    `Connected ${ssl.on ? `with ${protocol}` : 'without encryption'}.`,
    'node.ssl.config',
  );
  return {
    ...base,
    warnings: cfg.warnings,
    connected: true,
    encrypted: ssl.on,
    ...(ssl.on && protocol ? { protocol } : {}),
    sslmode: cfg.sslmode,
    chainVerified,
    hostnameVerified: hostVerified,
    steps: log.steps,
    protection: protectionFor(ssl.on, chainVerified, hostVerified, false, peer !== null),
    ...(certInfo ? { clientCertificate: certInfo } : {}),
    ...(ssl.on && chainVerified && hostVerified
      ? {}
      : {
          fix: ssl.on
            ? 'Use sslmode=verify-full with sslrootcert=<server CA> for an authenticated connection.'
            : 'Add sslmode=verify-full&sslrootcert=<CA file> to the URL.',
        }),
  };
}
