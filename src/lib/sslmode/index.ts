/**
 * The sslmode engine's stable API: `explainConnection(scenario)` predicts whether a PostgreSQL client connects,
 * whether the connection is encrypted, what was verified, and the client's exact error text, step by step with
 * the rule and source behind each step. `diagnoseError(text)` goes the other way.
 */

import { explainLibpq } from './libpq.ts';
import { explainNodePostgres } from './node-postgres.ts';
import { explainRuleTableDriver } from './drivers/explain.ts';
import type { ConnectionOutcome, Scenario, ServerCertificateInfo, ServerNotStarted, Step } from './types.ts';
import { effectiveHba, type EffectiveHba } from './server.ts';
import { RULES } from './rules.ts';
import { readLeaf } from './verify.ts';
import { diagnoseError, reproductionMatch, type Diagnosis } from './diagnose.ts';

export type * from './types.ts';
export {
  DEFAULT_LIBPQ_VERSION,
  DRIVERS,
  isOneOf,
  LIBPQ_VERSIONS,
  SERVER_PRESETS,
  SSLMODES,
} from './names.ts';
export { parseConninfo, parseKeyValue, parseUri } from './conninfo.ts';
export { parseHba, matchHba } from './hba.ts';
export {
  DEFAULT_SERVER_MAJOR,
  effectiveHba,
  majorVersionProblem,
  presetSetting,
  PRESET_HBA,
  TLS_VERSIONS,
  tlsVersion,
} from './server.ts';
import type { HbaProblem } from './hba.ts';
export {
  libpqHostnameCheck,
  libpqNumericAddress,
  nodeCheckServerIdentity,
  libpqWildcardMatch,
} from './hostname.ts';
export { RULES };
export { DRIVER_RULES } from './drivers/rules.ts';
export {
  diagnoseError,
  normalizeErrorText,
  PATTERN_IDS,
  reproductionMatch,
  type Diagnosis,
} from './diagnose.ts';
export { readSettings, translateConninfo, writeSettings, type Translation } from './translate.ts';
export {
  attackVerdict,
  outcomeFacts,
  protectionText,
  summaryLines,
  type AttackKind,
  type AttackVerdict,
  type OutcomeFacts,
  type SummaryLine,
} from './summary.ts';

/** The clock is read here, at the boundary, only when the scenario does not fix it. */
export async function explainConnection(
  scenario: Scenario,
  now: Date = new Date(),
): Promise<ConnectionOutcome> {
  const time = scenario.time === undefined ? now : new Date(scenario.time);
  // pg_hba.conf is read once: the client models apply its lines, and a file that did not load is reported here.
  const hba = effectiveHba(scenario.server);
  const driven = await explainDriver(scenario, time, hba);
  const outcome = !hba.ok
    ? withServerNotStarted(driven, hba.notStarted)
    : hba.warnings.length > 0
      ? { ...driven, steps: [...hba.warnings.map(hbaWarningStep), ...driven.steps] }
      : driven;
  const info = await serverCertificateInfo(scenario);
  return info ? { ...outcome, serverCertificate: info } : outcome;
}

/** A line the server loaded with a warning (a hostssl line with ssl = off: it can never match). */
const hbaWarningStep = (w: HbaProblem): Step => ({
  attempt: 0,
  kind: 'server-start',
  status: 'info',
  detail: `The server started, but logged for pg_hba.conf line ${w.line}: ${w.message}. That line never matches.`,
  rule: 'server.hba.load',
  source: RULES['server.hba.load'].source,
});

/**
 * A pg_hba.conf the server cannot load stops it at start (hba.c load_hba(), postmaster.c PostmasterMain()), so the
 * client met nothing listening: its own connection-refused outcome, with the server's reasons beside it.
 */
function withServerNotStarted(outcome: ConnectionOutcome, notStarted: ServerNotStarted): ConnectionOutcome {
  const [first, ...more] = notStarted.problems;
  const why = first
    ? `pg_hba.conf line ${first.line}: ${first.message}${more.length > 0 ? ` (and ${more.length} more bad line${more.length > 1 ? 's' : ''})` : ''}`
    : `${notStarted.file} has no lines, so no connection could ever match`;
  const step: Step = {
    attempt: 0,
    kind: 'server-start',
    status: 'fail',
    detail: `The server did not start (FATAL: could not load pg_hba.conf): ${why}. Nothing listens.`,
    rule: 'server.hba.load',
    source: RULES['server.hba.load'].source,
  };
  return {
    ...outcome,
    steps: [step, ...outcome.steps],
    serverNotStarted: notStarted,
    fix: first
      ? `Fix pg_hba.conf (the server log names every bad line, starting with line ${first.line}), then start the server.`
      : 'Give pg_hba.conf at least one line (for example "hostssl all all 0.0.0.0/0 scram-sha-256"), then start the server.',
  };
}

function explainDriver(scenario: Scenario, time: Date, hba: EffectiveHba): Promise<ConnectionOutcome> {
  switch (scenario.client.driver) {
    case 'libpq':
      return explainLibpq(scenario, time, hba);
    case 'node-postgres':
      return explainNodePostgres(scenario, time, hba);
    case 'pgjdbc':
    case 'npgsql':
    case 'pgx':
    case 'asyncpg':
      return explainRuleTableDriver(scenario, time, hba);
    default:
      throw new Error(`unknown driver "${String((scenario.client as { driver: unknown }).driver)}"`);
  }
}

async function serverCertificateInfo(scenario: Scenario): Promise<ServerCertificateInfo | null> {
  const chain = scenario.server.certificateChain;
  if (!scenario.server.ssl || !chain) return null;
  const leaf = await readLeaf(chain);
  if (!leaf) return null;
  return {
    subject: leaf.subject,
    keyType: scenario.server.keyType ?? leaf.keyType,
    notAfter: leaf.notAfter,
    names: [
      ...leaf.san.map((n) => `${n.kind === 'dns' ? 'DNS' : 'IP'}:${n.value}`),
      ...leaf.commonNames.map((cn) => `CN=${cn}`),
    ],
  };
}

export interface Troubleshooting {
  readonly diagnosis: Diagnosis;
  /** The reproduction's outcome (null when no scenario applies). */
  readonly outcome: ConnectionOutcome | null;
  /**
   * 'exact': the reproduction prints the pasted text, modulo host, port and paths; 'partial': it prints the
   * pasted lines and more; 'different': it prints something else, so it is not shown as a reproduction;
   * 'none': no scenario reproduces this text.
   */
  readonly match: 'exact' | 'partial' | 'different' | 'none';
}

/** diagnoseError, then run its reproduction and check that it prints what was pasted. */
export async function troubleshoot(text: string, now: Date = new Date()): Promise<Troubleshooting> {
  const diagnosis = diagnoseError(text);
  if (!diagnosis.reproduce) return { diagnosis, outcome: null, match: 'none' };
  const outcome = await explainConnection(diagnosis.reproduce, now);
  const match = outcome.error === undefined ? 'different' : reproductionMatch(text, outcome.error);
  return { diagnosis, outcome, match };
}
