/**
 * The PostgreSQL server's side of a connection, shared by every client model: the SSLRequest answer, the TLS
 * version range, managed-service presets, pg_hba.conf and authentication with the server's FATAL texts.
 *
 * Sources: postmaster.c / backend_startup.c ProcessStartupPacket(); hba.c check_hba(); auth.c
 * ClientAuthentication(), auth_failed(); guc_tables.c (ssl_min_protocol_version default TLSv1.2).
 */

import type { PeerCertificate } from './clientcert.ts';
import { HBA_FILE, encryptionLabel, matchHba, parseHba, type HbaLine, type HbaProblem } from './hba.ts';
import type { StepLog } from './steps.ts';
import type { ServerNotStarted, ServerSpec, TlsVersion } from './types.ts';

export const TLS_VERSIONS: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Case-insensitive TLS version name (libpq and the server accept any case), or null. */
export function tlsVersion(text: string | undefined): TlsVersion | null {
  if (text === undefined) return null;
  return TLS_VERSIONS.find((v) => v.toLowerCase() === text.toLowerCase()) ?? null;
}

/** Highest version both ranges allow, or null: OpenSSL picks the highest common version. */
export function negotiateVersion(
  client: { min: TlsVersion; max: TlsVersion },
  server: { min: TlsVersion; max: TlsVersion },
): TlsVersion | null {
  const lo = Math.max(TLS_VERSIONS.indexOf(client.min), TLS_VERSIONS.indexOf(server.min));
  const hi = Math.min(TLS_VERSIONS.indexOf(client.max), TLS_VERSIONS.indexOf(server.max));
  return lo <= hi ? (TLS_VERSIONS[hi] ?? null) : null;
}

export function serverTlsRange(server: ServerSpec): { min: TlsVersion; max: TlsVersion } {
  let min = tlsVersion(server.minProtocol) ?? 'TLSv1.2';
  const max = tlsVersion(server.maxProtocol) ?? 'TLSv1.3';
  // Azure Flexible Server refuses TLS 1.0/1.1 (D: learn.microsoft.com ... how-to-connect-tls-ssl).
  if (server.preset === 'azure-flexible' && TLS_VERSIONS.indexOf(min) < TLS_VERSIONS.indexOf('TLSv1.2'))
    min = 'TLSv1.2';
  return { min, max };
}

/** The server's major version when the scenario does not say (see ServerSpec.majorVersion). */
export const DEFAULT_SERVER_MAJOR = 17;

/**
 * The first major version that accepts a TLS ClientHello in place of the SSLRequest (libpq's
 * `sslnegotiation=direct`). S: PG17 src/backend/tcop/backend_startup.c ProcessSSLStartup(); D: release-17.html.
 */
export const DIRECT_TLS_SINCE = 17;

/** Why a value is not a PostgreSQL major version (an integer from 10, the first two-part number, to 99), or null. */
export function majorVersionProblem(value: unknown): string | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 10 && value <= 99
    ? null
    : `expected a PostgreSQL major version such as 15 or 17 (an integer from 10), got ${JSON.stringify(value)}`;
}

/** server.majorVersion, checked, or the default. */
export function serverMajorVersion(server: ServerSpec): number {
  const given = server.majorVersion;
  if (given === undefined) return DEFAULT_SERVER_MAJOR;
  const problem = majorVersionProblem(given);
  if (problem !== null) throw new Error(`server.majorVersion: ${problem}`);
  return given;
}

/**
 * Whether the server accepts direct TLS: ssl on and PostgreSQL 17 or later. A server before 17 reads the
 * ClientHello as a startup packet of absurd length and closes the connection; a 17+ server with ssl off closes too.
 */
export function acceptsDirectTls(server: ServerSpec): boolean {
  return server.ssl && serverMajorVersion(server) >= DIRECT_TLS_SINCE;
}

/**
 * RDS `rds.force_ssl` when the scenario does not set it: 0 before PostgreSQL 15, 1 from 15 on
 * (D: docs.aws.amazon.com/AmazonRDS/latest/UserGuide/ssl-certificate-rotation-postgresql.html, "By default, the
 * rds.force_ssl parameter is set to 0 (off) for DB instances using PostgreSQL versions before 15 ... set to 1 (on)
 * for ... version 15 and higher major versions").
 */
export const RDS_FORCE_SSL_SINCE = 15;

/** The pg_hba lines a preset uses when the scenario gives none: the service's file is not the user's to edit. */
export const PRESET_HBA: readonly string[] = [
  'host all all 0.0.0.0/0 scram-sha-256',
  'host all all ::/0 scram-sha-256',
];

/** A setting a managed-service preset applies, with its value in this scenario and why. */
export interface PresetSetting {
  readonly name: string;
  readonly value: string;
  /** 'scenario': the scenario set it; 'default': the service's default (for this server version). */
  readonly from: 'scenario' | 'default';
}

/** What a managed-service preset does to the server: its setting and whether it forces TLS. */
export function presetSetting(server: ServerSpec): (PresetSetting & { readonly forcesTls: boolean }) | null {
  if (server.preset === 'azure-flexible') {
    const on = server.requireSecureTransport ?? true;
    return {
      name: 'require_secure_transport',
      value: on ? 'on' : 'off',
      from: server.requireSecureTransport === undefined ? 'default' : 'scenario',
      forcesTls: on,
    };
  }
  if (server.preset === 'aws-rds') {
    const on = server.rdsForceSsl ?? serverMajorVersion(server) >= RDS_FORCE_SSL_SINCE;
    return {
      name: 'rds.force_ssl',
      value: on ? '1' : '0',
      from: server.rdsForceSsl === undefined ? 'default' : 'scenario',
      forcesTls: on,
    };
  }
  return null;
}

/** The pg_hba.conf the server loaded (with PostgreSQL's warnings), or why it did not start. */
export type EffectiveHba =
  | { ok: true; lines: HbaLine[]; warnings: readonly HbaProblem[] }
  | { ok: false; lines: HbaLine[]; notStarted: ServerNotStarted };

/**
 * pg_hba lines after a managed-service preset: with Azure require_secure_transport=on or RDS rds.force_ssl=1,
 * `host` lines act as `hostssl` (the observed symptom; the vendors' exact mechanism is not public), and each such
 * line's text says so, so that a step naming the matched line names what the server applied.
 */
export function effectiveHba(server: ServerSpec): EffectiveHba {
  const hbaText = server.hba.length > 0 || !server.preset ? server.hba : PRESET_HBA;
  const parsed = parseHba(hbaText, { ssl: server.ssl, file: HBA_FILE });
  if (!parsed.ok) {
    const problems = parsed.problems.map((p) => ({ line: p.line, message: p.message }));
    return { ok: false, lines: [], notStarted: { file: HBA_FILE, problems, log: parsed.log } };
  }
  const lines = presetSetting(server)?.forcesTls
    ? parsed.lines.map((l) =>
        l.type === 'host'
          ? { ...l, type: 'hostssl' as const, text: l.text.replace(/^host\b/, 'hostssl') }
          : l,
      )
    : parsed.lines;
  return { ok: true, lines, warnings: parsed.warnings };
}

/** The addresses the server listens on: none when it did not start (pg_hba.conf did not load). */
export const serverListen = (server: ServerSpec, hba: { readonly ok: boolean }): readonly string[] =>
  hba.ok ? (server.listen ?? ['127.0.0.1', '::1']) : [];

/**
 * The `server-config` step of a scenario with a managed-service preset: the setting it applied and the pg_hba
 * lines the server then uses, in order (null without a preset), so the steps name the lines that a later pg_hba
 * step picks from.
 */
function serverConfigStep(
  server: ServerSpec,
  lines: readonly HbaLine[],
): { detail: string; rule: 'server.preset.azure' | 'server.preset.rds' } | null {
  const setting = presetSetting(server);
  if (!setting) return null;
  const service = server.preset === 'azure-flexible' ? 'Azure Flexible Server' : 'AWS RDS';
  const given = server.hba.length > 0 ? "the scenario's pg_hba.conf" : "the service's own pg_hba.conf";
  const applied = lines.map((l) => `line ${l.line}: ${l.text}`).join('; ');
  return {
    detail: `${service}, PostgreSQL ${serverMajorVersion(server)}: ${setting.name} = ${setting.value}${setting.from === 'default' ? ' (the default)' : ''}${setting.forcesTls ? ', so host lines act as hostssl' : ''}. The server applies ${given}: ${applied || 'no lines'}.`,
    rule: server.preset === 'azure-flexible' ? 'server.preset.azure' : 'server.preset.rds',
  };
}

/**
 * Records the `server-config` step when a preset decides the pg_hba lines the server applies (`hba`, computed
 * once by explainConnection). A file the server cannot load leaves no lines (nothing listens: `serverListen`);
 * explainConnection states why.
 */
export function logServerConfig(server: ServerSpec, hba: EffectiveHba, log: StepLog): void {
  const step = hba.ok ? serverConfigStep(server, hba.lines) : null;
  if (step) log.push(0, 'server-config', 'info', step.detail, step.rule);
}

/**
 * The first authentication message the server sent: AuthenticationOk without an exchange (trust, cert), a
 * cleartext-password request, or SASL (SCRAM). Passwords are taken as stored as SCRAM verifiers (password_encryption
 * defaults to scram-sha-256 since PG14), so an md5 line runs SCRAM too (auth.c CheckPWChallengeAuth()).
 */
export type AuthRequest = 'ok' | 'cleartext' | 'sasl';

export type StartupResult =
  | { readonly ok: true; readonly line: HbaLine; readonly detail: string; readonly authRequest: AuthRequest }
  | {
      readonly ok: false;
      /** 'fatal': the server's ErrorResponse; 'client': the client gave up (no password). */
      readonly kind: 'fatal' | 'client';
      readonly message: string;
      readonly sqlstate?: string;
      readonly line?: HbaLine;
      readonly detail: string;
      /** The server had already sent AuthenticationOk (role or database missing): libpq never retries these. */
      readonly afterAuthOk?: boolean;
      /** Absent when the server failed the connection before any authentication message. */
      readonly authRequest?: AuthRequest;
    };

export interface StartupRequest {
  readonly ssl: boolean;
  readonly user: string;
  readonly database: string;
  readonly password: string | undefined;
  readonly clientAddress: string;
  readonly serverAddresses: readonly string[];
  /**
   * The certificate the client presented and the server verified against ssl_ca_file (port->peer_cert_valid),
   * or null. A certificate the server rejected never gets here: the handshake failed.
   */
  readonly clientCertificate: PeerCertificate | null;
}

/** auth.c auth_failed(): the FATAL text for a failed method (trust and cert fail only on the certificate check). */
function authFailedText(method: string, user: string): { message: string; sqlstate: string } {
  switch (method) {
    case 'trust':
      return { message: `"trust" authentication failed for user "${user}"`, sqlstate: '28000' };
    case 'cert':
      return { message: `certificate authentication failed for user "${user}"`, sqlstate: '28000' };
    case 'password':
    case 'md5':
    case 'scram-sha-256':
      return { message: `password authentication failed for user "${user}"`, sqlstate: '28P01' };
    default:
      return { message: `authentication failed for user "${user}"`, sqlstate: '28000' };
  }
}

/**
 * auth.c CheckCertAuth(): the certificate's CN (or its RFC 2253 DN with clientname=DN) must equal the user
 * name, compared exactly (check_usermap() without a map). Returns null when it matches, else why not.
 */
export function certNameMismatch(line: HbaLine, user: string, peer: PeerCertificate): string | null {
  const useDn = line.options['clientname'] === 'DN';
  const name = useDn ? peer.dn : peer.cn;
  if (line.options['map'] !== undefined) {
    // pg_ident.conf maps are not modelled: the engine compares the name directly and says so.
    if (name !== null && name === user) return null;
    return `map=${line.options['map']} is not modelled (pg_ident.conf); compared the ${useDn ? 'DN' : 'CN'} "${name ?? ''}" with "${user}" directly and they differ`;
  }
  if (name === null || name === '') return 'the client certificate contains no user name (no CN)';
  if (name === user) return null;
  return `${useDn ? 'DN' : 'CN'} mismatch: the certificate says "${name}", the user is "${user}"`;
}

type StartupFailure = StartupResult & { readonly ok: false };

/** auth.c ClientAuthentication() then InitPostgres(): what the server answers a StartupMessage with. */
export function serverStartup(
  server: ServerSpec,
  hba: readonly HbaLine[],
  req: StartupRequest,
): StartupResult {
  const enc = encryptionLabel(req.ssl, serverMajorVersion(server));
  const line = matchHba(hba, { ...req, serverSsl: server.ssl });
  if (!line) {
    return {
      ok: false,
      kind: 'fatal',
      sqlstate: '28000',
      message: `no pg_hba.conf entry for host "${req.clientAddress}", user "${req.user}", database "${req.database}", ${enc}`,
      detail:
        'No pg_hba.conf line matches this connection type, database, user and address (implicit reject).',
    };
  }
  const at = `pg_hba.conf line ${line.line} (${line.text})`;
  if (line.method === 'reject') {
    return {
      ok: false,
      kind: 'fatal',
      sqlstate: '28000',
      line,
      message: `pg_hba.conf rejects connection for host "${req.clientAddress}", user "${req.user}", database "${req.database}", ${enc}`,
      detail: `${at} matched and its method is reject.`,
    };
  }
  // The cert method implies clientcert=verify-full.
  const clientcert = line.method === 'cert' ? 'verify-full' : line.options['clientcert'];
  const authRequest: AuthRequest =
    line.method === 'password'
      ? 'cleartext'
      : line.method === 'scram-sha-256' || line.method === 'md5'
        ? 'sasl'
        : 'ok';
  const failed =
    clientCertMissing(server, line, at, clientcert, req) ??
    methodFailed(server, line, at, authRequest, req) ??
    certNameFailed(line, at, clientcert, req) ??
    afterAuthFailed(server, line, at, authRequest, req);
  if (failed) return failed;
  const certNote =
    clientcert === undefined
      ? ''
      : clientcert === 'verify-full'
        ? ` The client certificate verified and its ${line.options['clientname'] === 'DN' ? 'DN' : 'CN'} equals the user name (clientcert=verify-full).`
        : ' The client certificate verified (clientcert=verify-ca).';
  return {
    ok: true,
    line,
    authRequest,
    detail: `${at} matched; ${line.method} authentication succeeded.${certNote}`,
  };
}

/**
 * auth.c ClientAuthentication(): a clientcert option needs the server's root store (ssl_ca_file), then a
 * verified client certificate, before any method runs.
 */
function clientCertMissing(
  server: ServerSpec,
  line: HbaLine,
  at: string,
  clientcert: string | undefined,
  req: StartupRequest,
): StartupFailure | null {
  if (clientcert === undefined) return null;
  if (!server.caFile) {
    return {
      ok: false,
      kind: 'fatal',
      sqlstate: 'F0000',
      line,
      message: 'client certificates can only be checked if a root certificate store is available',
      detail: `${at} checks client certificates, but the server has no ssl_ca_file.`,
    };
  }
  if (!req.clientCertificate) {
    return {
      ok: false,
      kind: 'fatal',
      sqlstate: '28000',
      line,
      message: 'connection requires a valid client certificate',
      detail: `${at} needs a client certificate (clientcert=${clientcert}) and none was presented.`,
    };
  }
  return null;
}

/** The line's method: a password exchange, trust or cert (checked later), or a method the engine does not model. */
function methodFailed(
  server: ServerSpec,
  line: HbaLine,
  at: string,
  authRequest: AuthRequest,
  req: StartupRequest,
): StartupFailure | null {
  if (line.method === 'scram-sha-256' || line.method === 'md5' || line.method === 'password') {
    if (req.password === undefined) {
      return {
        ok: false,
        kind: 'client',
        authRequest,
        line,
        message: 'fe_sendauth: no password supplied',
        detail: `${at} asks for a password (${line.method}) and the client has none.`,
      };
    }
    const refused = (message: string, detail: string): StartupFailure => ({
      ok: false,
      kind: 'fatal',
      sqlstate: '28P01',
      authRequest,
      line,
      message,
      detail,
    });
    // A client that sends an empty password (pgx, node-postgres, asyncpg have none to send): auth.c
    // recv_password_packet() refuses it in a cleartext exchange; no role has an empty password (CREATE/ALTER ROLE
    // store none), so a SCRAM or MD5 exchange with it fails as a wrong password.
    if (req.password === '' && line.method === 'password')
      return refused(
        'empty password returned by client',
        `${at} asks for a password in cleartext and the client sent an empty one.`,
      );
    const users = server.users;
    const stored = users?.[req.user];
    const right =
      req.password !== '' &&
      (users === undefined || (roleExists(server, req) && stored !== null && stored === req.password));
    if (!right)
      return refused(
        `password authentication failed for user "${req.user}"`,
        `${at} uses ${line.method}; the password (or the role) is wrong.`,
      );
    return null;
  }
  if (line.method === 'trust' || line.method === 'cert') return null;
  return {
    ok: false,
    kind: 'fatal',
    sqlstate: '28000',
    line,
    message: `authentication method "${line.method}" is not modelled by this engine`,
    detail: `${at} uses a method the engine does not simulate.`,
  };
}

/** auth.c: after the method succeeded, clientcert=verify-full (and cert) compare the certificate's name. */
function certNameFailed(
  line: HbaLine,
  at: string,
  clientcert: string | undefined,
  req: StartupRequest,
): StartupFailure | null {
  if (clientcert !== 'verify-full' || !req.clientCertificate) return null;
  const why = certNameMismatch(line, req.user, req.clientCertificate);
  if (why === null) return null;
  const f = authFailedText(line.method, req.user);
  return {
    ok: false,
    kind: 'fatal',
    sqlstate: f.sqlstate,
    line,
    message: f.message,
    detail: `${at}: certificate check failed (${why}).`,
  };
}

const roleExists = (server: ServerSpec, req: StartupRequest): boolean =>
  server.users === undefined || Object.prototype.hasOwnProperty.call(server.users, req.user);

/** InitPostgres(), after AuthenticationOk: the role, then the database, must exist. */
function afterAuthFailed(
  server: ServerSpec,
  line: HbaLine,
  at: string,
  authRequest: AuthRequest,
  req: StartupRequest,
): StartupFailure | null {
  if (!roleExists(server, req)) {
    return {
      ok: false,
      kind: 'fatal',
      sqlstate: '28000',
      line,
      message: `role "${req.user}" does not exist`,
      afterAuthOk: true,
      authRequest,
      detail: `${at} accepted the connection, but there is no role "${req.user}".`,
    };
  }
  if (server.databases !== undefined && !server.databases.includes(req.database)) {
    return {
      ok: false,
      kind: 'fatal',
      sqlstate: '3D000',
      line,
      message: `database "${req.database}" does not exist`,
      afterAuthOk: true,
      authRequest,
      detail: `Authenticated, but there is no database "${req.database}".`,
    };
  }
  return null;
}

/**
 * serverStartup for a driver that may have no password: when the server asks for one the client lacks (`kind`
 * 'client') and `sendsEmpty(request)` says the driver then sends an empty one anyway, the server judges ''.
 */
export function startupSendingEmptyPassword(
  server: ServerSpec,
  hba: readonly HbaLine[],
  req: StartupRequest,
  sendsEmpty: (request: AuthRequest) => boolean,
): StartupResult {
  const result = serverStartup(server, hba, req);
  if (result.ok || result.kind !== 'client' || !sendsEmpty(result.authRequest ?? 'sasl')) return result;
  return serverStartup(server, hba, { ...req, password: '' });
}
