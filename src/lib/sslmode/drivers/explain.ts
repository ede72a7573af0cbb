/**
 * The rule tables (rules.ts) applied to a scenario: settings (settings.ts), the root file, then per attempt the
 * SSLRequest answer, TLS (version, chain, host name), the StartupMessage, and the table's fallback rule.
 */

import { libpqHostnameCheck, isIpLiteral, resolveName } from '../hostname.ts';
import {
  connectedOutcome,
  failedOutcome,
  failure,
  isFailure,
  type Failure,
  type OutcomeBase,
} from '../outcome.ts';
import {
  logServerConfig,
  negotiateVersion,
  serverListen,
  startupSendingEmptyPassword,
  serverTlsRange,
  type EffectiveHba,
  type StartupResult,
} from '../server.ts';
import { libpqKeywords } from '../conninfo.ts';
import { StepLog } from '../steps.ts';
import type { ConnectionOutcome, Scenario } from '../types.ts';
import { readLeaf, verifyServerChain } from '../verify.ts';
import { DRIVER_RULES, type DriverRuleTable, type ModeRule, type RuleTableDriver } from './rules.ts';
import { parseDriverSettings, type DriverSettings } from './settings.ts';

/** One rule-table driver's connection: its table, settings, mode row and root file. */
interface DriverRun {
  readonly s: Scenario;
  readonly now: Date;
  readonly driver: RuleTableDriver;
  readonly table: DriverRuleTable;
  readonly cfg: DriverSettings;
  readonly mode: ModeRule;
  readonly base: OutcomeBase;
  readonly log: StepLog;
  readonly hba: EffectiveHba;
  /** sslrootcert, else ~/.postgresql/root.crt, as the driver names it. */
  readonly rootPath: string;
  readonly rootPem: string | undefined;
}

/** What a TLS handshake established. */
interface Secured {
  readonly protocol: string | undefined;
  readonly chainOk: boolean;
  readonly hostOk: boolean;
}

/** A rule-table driver's outcome: its settings and mode row, then the row's attempts. `hba` as explainConnection read it. */
export async function explainRuleTableDriver(
  s: Scenario,
  now: Date,
  hba: EffectiveHba,
): Promise<ConnectionOutcome> {
  const driver = s.client.driver as RuleTableDriver;
  const table = DRIVER_RULES[driver];
  const log = new StepLog();
  const base = {
    driver,
    version: s.client.version ?? table.version,
    usedBy: table.usedBy,
    warnings: [] as string[],
  };
  const cfg = parseDriverSettings(driver, s);
  if ('error' in cfg) {
    const detail = cfg.cause ? `${cfg.error} (inner exception: ${cfg.cause})` : cfg.error;
    log.push(0, 'parse', 'fail', detail, 'libpq.options.parse');
    return failedOutcome(base, log, 'unknown', { error: cfg.error, fix: 'Fix the connection string.' });
  }
  const row = table.modes[cfg.sslmode];
  const mode: ModeRule = cfg.trustsAnyCertificate
    ? {
        ...row,
        chain: 'never',
        rootRequired: false,
        source: `${row.source}; sslfactory=org.postgresql.ssl.NonValidatingFactory: every certificate is trusted, no root file is read (S: pgjdbc SocketFactoryFactory.getSslSocketFactory(), NonValidatingFactory)`,
      }
    : row;
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
  const run: DriverRun = { s, now, driver, table, cfg, mode, base, log, hba, rootPath, rootPem };
  const ended = await connect(run);
  return isFailure(ended) ? failedOutcome(base, log, cfg.sslmode, ended) : ended;
}

/** The root file (asyncpg: while parsing), the address, then the mode's attempts in order. */
async function connect(run: DriverRun): Promise<ConnectionOutcome | Failure> {
  const { s, cfg } = run;
  const rootMissing = rootMissingAtParse(run);
  if (rootMissing) return rootMissing;
  logServerConfig(s.server, run.hba, run.log);
  const listen = serverListen(s.server, run.hba);
  const address = isIpLiteral(cfg.host) ? cfg.host : resolveName(s.resolve, cfg.host)?.[0];
  if (!address || !listen.includes(address))
    return failure(`connection refused (${cfg.host}:${cfg.port})`, 'Check host and port.');
  return attempts(run, address, listen);
}

/** asyncpg loads root files while parsing the settings, so a missing one fails before any socket opens. */
function rootMissingAtParse(run: DriverRun): Failure | null {
  const { table, mode, cfg, rootPath } = run;
  if (!table.rootLoadedAtParse || mode.chain === 'never' || run.rootPem !== undefined) return null;
  const explicit = cfg.sslrootcert !== undefined;
  if (!explicit && !mode.rootRequired) return null;
  const error =
    explicit && table.texts.rootMissingExplicit
      ? table.texts.rootMissingExplicit(rootPath)
      : table.texts.rootMissing(rootPath);
  run.log.push(0, 'parse', 'fail', error, 'asyncpg.rootcert');
  return failure(error, `Provide the root CA file ${rootPath}, or point sslrootcert at it.`);
}

/** Each attempt of the mode's row; the table's fallback rule decides whether a failure moves on. */
async function attempts(
  run: DriverRun,
  address: string,
  listen: readonly string[],
): Promise<ConnectionOutcome | Failure> {
  const { s, driver, table, cfg, mode, log } = run;
  const errors: string[] = [];
  const wrap = (e: string): string => (driver === 'pgx' ? `${address}:${cfg.port} (${cfg.host}): ${e}` : e);
  for (let i = 0; i < mode.attempts.length; i++) {
    const attempt = i + 1;
    let encrypted = mode.attempts[i] === 'ssl';
    let secured: Secured = { protocol: undefined, chainOk: false, hostOk: false };
    const last = i === mode.attempts.length - 1;
    if (encrypted && !s.server.ssl) {
      log.push(attempt, 'ssl-response', 'fail', 'Server answered N.', 'server.ssl-response');
      if (last || !table.fallback.nContinuesPlaintext) {
        const text = table.texts.sslNotSupported;
        errors.push(wrap(typeof text === 'string' ? text : text(cfg.host, cfg.port)));
        if (!last) continue;
        break;
      }
      log.push(
        attempt,
        'ssl-response',
        'info',
        `N: continue in plaintext on the same connection (${table.fallback.source}).`,
        driver === 'asyncpg' ? 'asyncpg.fallback' : 'libpq.ssl-response.n',
      );
      encrypted = false;
      // The plaintext on the same connection was the last attempt.
      i = mode.attempts.length - 1;
    } else if (encrypted) {
      const tls = await handshake(run, attempt);
      if (typeof tls === 'string') {
        errors.push(wrap(tls));
        if (!last && table.fallback.retryAfterTlsError) continue;
        break;
      }
      secured = tls;
    }
    // No password to give: the driver's own error, or (noPassword null) an empty password sent for the server to
    // refuse.
    const result: StartupResult = startupSendingEmptyPassword(
      s.server,
      run.hba.lines,
      {
        ssl: encrypted,
        user: cfg.user,
        database: cfg.database,
        password: cfg.password,
        clientAddress: address,
        serverAddresses: listen,
        clientCertificate: null,
      },
      (request) => table.texts.noPassword(request, encrypted) === null,
    );
    const noPassword =
      !result.ok && result.kind === 'client'
        ? table.texts.noPassword(result.authRequest ?? 'sasl', encrypted)
        : undefined;
    if (result.ok) {
      log.push(attempt, 'pg_hba', 'ok', result.detail, 'server.hba');
      const refused = refusedSetting(cfg.serverSettings ?? []);
      if (refused) {
        log.push(attempt, 'startup', 'fail', refused.detail, 'server.startup-settings');
        errors.push(wrap(table.texts.serverError('FATAL', refused.message, refused.sqlstate)));
        if (last || !retriesServerError(run, refused.sqlstate, encrypted)) break;
        continue;
      }
      if (cfg.serverSettings?.length)
        log.push(
          attempt,
          'startup',
          'info',
          `Sent as run-time settings to the server: ${cfg.serverSettings.join(', ')} (taken as settings the server knows).`,
          'server.startup-settings',
        );
      return connectedOutcome(run.base, log, cfg.sslmode, {
        encrypted,
        protocol: secured.protocol,
        chainVerified: secured.chainOk,
        hostnameVerified: secured.hostOk,
        downgradable: mode.attempts.includes('plain'),
      });
    }
    log.push(attempt, 'pg_hba', 'fail', result.detail, 'server.auth');
    errors.push(
      wrap(
        result.kind === 'fatal'
          ? table.texts.serverError('FATAL', result.message, result.sqlstate ?? '')
          : (noPassword ?? result.message),
      ),
    );
    if (last || !retriesServerError(run, result.sqlstate ?? '', encrypted)) break;
  }
  const reports = table.fallback.reports;
  const error =
    reports === 'all'
      ? `failed to connect to \`user=${cfg.user} database=${cfg.configuredDatabase ?? cfg.database}\`:${errors.length > 1 ? '\n\t' + errors.join('\n\t') : ' ' + (errors[0] ?? '')}`
      : ((reports === 'first' ? errors[0] : errors[errors.length - 1]) ?? 'connection failed');
  return failure(error, 'See the steps: the rule that failed is cited.');
}

/**
 * The libpq connection keywords that are no server settings (every one libpq 18 has, but the startup fields and the
 * settings the server accepts): a driver that sends one as a run-time setting gets a FATAL.
 */
const CLIENT_ONLY_KEYWORDS = new Set(
  [...libpqKeywords(18)].filter(
    (k) => !['user', 'dbname', 'options', 'application_name', 'client_encoding', 'replication'].includes(k),
  ),
);

/**
 * The server's answer to run-time settings in the startup packet, applied after authentication (InitPostgres()
 * process_startup_options()): a name it does not know is FATAL 42704, a setting only the configuration file may
 * change (ssl, ssl_*) FATAL 55P02. Settings the engine does not know are taken as accepted. null: none refused.
 */
function refusedSetting(
  names: readonly string[],
): { message: string; sqlstate: string; detail: string } | null {
  for (const name of names) {
    if (CLIENT_ONLY_KEYWORDS.has(name))
      return {
        message: `unrecognized configuration parameter "${name}"`,
        sqlstate: '42704',
        detail: `The server knows no setting "${name}" (a libpq connection keyword, which this driver sends as a run-time setting): FATAL after authentication.`,
      };
    if (name === 'ssl' || name.startsWith('ssl_'))
      return {
        message: `parameter "${name}" cannot be changed now`,
        sqlstate: '55P02',
        detail: `"${name}" is a server setting only postgresql.conf may change: FATAL after authentication.`,
      };
  }
  return null;
}

/** The table's fallback rule for a server error (by SQLSTATE); Npgsql's Prefer only after SSL was established. */
function retriesServerError(run: DriverRun, code: string, encrypted: boolean): boolean {
  const rule = run.table.fallback.retryServerErrors;
  const retry = 'only' in rule ? rule.only.includes(code) : !rule.anyExcept.includes(code);
  const npgsqlOk = run.driver !== 'npgsql' || run.cfg.sslmode !== 'prefer' || encrypted;
  return retry && npgsqlOk;
}

/** TLS: the version, the root file, the chain and the host name, as the mode's row asks; a string: the error. */
async function handshake(run: DriverRun, attempt: number): Promise<Secured | string> {
  const { s, table, mode, log, rootPem, cfg } = run;
  const client = { min: cfg.tlsRange?.min ?? 'TLSv1.2', max: cfg.tlsRange?.max ?? 'TLSv1.3' } as const;
  const server = serverTlsRange(s.server);
  const version = negotiateVersion(client, server);
  const wantsChain = mode.chain === 'always' || (mode.chain === 'if-root' && rootPem !== undefined);
  const hostInChain = mode.hostname && table.texts.hostMismatch === 'in-chain';
  let checked: { chainOk: boolean; hostOk: boolean; error: string | null } = {
    chainOk: false,
    hostOk: false,
    error: null,
  };
  if (cfg.unmodelledTls !== undefined) checked = { ...checked, error: cfg.unmodelledTls };
  else if (version === null)
    checked = {
      ...checked,
      error:
        table.texts.versionRefused ??
        'TLS handshake failed: no common protocol version (driver text not modelled)',
    };
  else if (wantsChain && rootPem === undefined && mode.rootRequired)
    checked = { ...checked, error: table.texts.rootMissing(run.rootPath) };
  else if (wantsChain || hostInChain) checked = await verifyChainAndHost(run, attempt, hostInChain);
  else if (mode.hostname) checked = await verifyHost(run, attempt, false);
  if (checked.error !== null) {
    log.push(attempt, 'tls', 'fail', checked.error, 'libpq.tls.chain');
    return checked.error;
  }
  log.push(
    attempt,
    'tls',
    'ok',
    `TLS ${version}; chain ${checked.chainOk ? 'verified' : 'not checked'}; host name ${checked.hostOk ? 'verified' : 'not checked'}.`,
    'libpq.tls.chain',
    version ? { protocol: version } : {},
  );
  return { protocol: version ?? undefined, chainOk: checked.chainOk, hostOk: checked.hostOk };
}

/**
 * The chain against the root file (without one, verify-* use the platform store: JDK cacerts / OS store / Go
 * system pool, empty here), then the host name when the mode checks it. `hostInChain`: the host name is checked
 * by the chain verification itself (pgx: Go's Certificate.Verify).
 */
async function verifyChainAndHost(
  run: DriverRun,
  attempt: number,
  hostInChain: boolean,
): Promise<{ chainOk: boolean; hostOk: boolean; error: string | null }> {
  const { s, driver, table, mode, log, cfg } = run;
  const check = await verifyServerChain({
    chainPem: s.server.certificateChain ?? '',
    rootsPem: run.rootPem ?? '',
    // asyncpg: CPython's ssl module is OpenSSL with no verify callback, so the first error stands.
    profile:
      driver === 'pgx' ? 'go' : driver === 'asyncpg' ? 'openssl-3' : driver === 'pgjdbc' ? 'jdk' : 'rfc5280',
    time: run.now,
    ...(hostInChain ? { hostname: cfg.host } : {}),
  });
  if (!check.trusted) {
    const chainText = table.texts.chainFailed;
    const reason = check.error ?? { code: 'unknown', message: 'certificate verify failed' };
    log.push(attempt, 'chain', 'fail', `The server chain is rejected: ${reason.message}.`, 'libpq.tls.chain');
    return {
      chainOk: false,
      hostOk: false,
      error: typeof chainText === 'string' ? chainText : chainText(reason, hostInChain),
    };
  }
  log.push(attempt, 'chain', 'ok', `Chain verified: ${check.path.join(' -> ')}.`, 'libpq.tls.chain');
  if (hostInChain) {
    log.push(attempt, 'hostname', 'ok', `Host "${cfg.host}" matches the certificate.`, 'libpq.hostname');
    return { chainOk: true, hostOk: true, error: null };
  }
  if (!mode.hostname) return { chainOk: true, hostOk: false, error: null };
  return verifyHost(run, attempt, true);
}

/** The host name against the leaf the server sent (after a verified chain, or alone where no chain is checked). */
async function verifyHost(
  run: DriverRun,
  attempt: number,
  chainOk: boolean,
): Promise<{ chainOk: boolean; hostOk: boolean; error: string | null }> {
  const { s, table, cfg, log } = run;
  const mismatch = table.texts.hostMismatch;
  if (cfg.unmodelledHostCheck !== undefined) {
    log.push(attempt, 'hostname', 'fail', cfg.unmodelledHostCheck, 'libpq.hostname');
    return { chainOk, hostOk: false, error: cfg.unmodelledHostCheck };
  }
  const leaf = await readLeaf(s.server.certificateChain ?? '');
  const res = leaf ? libpqHostnameCheck(cfg.host, leaf) : { ok: false as const, error: '' };
  log.push(
    attempt,
    'hostname',
    res.ok ? 'ok' : 'fail',
    res.ok ? `Host "${cfg.host}" matches ${res.matched}.` : `The certificate does not name "${cfg.host}".`,
    'libpq.hostname',
  );
  return res.ok
    ? { chainOk, hostOk: true, error: null }
    : {
        chainOk,
        hostOk: false,
        // 'in-chain' tables check the host name in verifyChainAndHost(), never here.
        error: typeof mismatch === 'function' ? mismatch(cfg.host, cfg.hostnameVerifier) : res.error,
      };
}
