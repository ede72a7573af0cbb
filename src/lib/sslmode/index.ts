/**
 * The sslmode engine's stable API: `explainConnection(scenario)` predicts whether a PostgreSQL client connects,
 * whether the connection is encrypted, what was verified, and the client's exact error text, step by step with
 * the rule and source behind each step. `diagnoseError(text)` goes the other way.
 */

import { explainLibpq } from './libpq.ts';
import { explainNodePostgres } from './node-postgres.ts';
import { explainRuleTableDriver } from './drivers.ts';
import type { ConnectionOutcome, Scenario, ServerCertificateInfo } from './types.ts';
import { readLeaf } from './verify.ts';
import { diagnoseError, reproductionMatch, type Diagnosis } from './diagnose.ts';

export type * from './types.ts';
export { parseConninfo, parseKeyValue, parseUri } from './conninfo.ts';
export { parseHba, matchHba } from './hba.ts';
export {
  DEFAULT_SERVER_MAJOR,
  effectiveHba,
  majorVersionProblem,
  presetSetting,
  PRESET_HBA,
} from './server.ts';
export { libpqHostnameCheck, nodeCheckServerIdentity, libpqWildcardMatch } from './hostname.ts';
export { RULES } from './rules.ts';
export { DRIVER_RULES } from './drivers.ts';
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
  const outcome = await explainDriver(scenario, time);
  const info = await serverCertificateInfo(scenario);
  return info ? { ...outcome, serverCertificate: info } : outcome;
}

function explainDriver(scenario: Scenario, time: Date): Promise<ConnectionOutcome> {
  switch (scenario.client.driver) {
    case 'libpq':
      return explainLibpq(scenario, time);
    case 'node-postgres':
      return explainNodePostgres(scenario, time);
    case 'pgjdbc':
    case 'npgsql':
    case 'pgx':
    case 'asyncpg':
      return explainRuleTableDriver(scenario, time);
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
