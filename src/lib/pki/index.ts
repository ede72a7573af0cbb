/**
 * The certificate engine's stable API.
 *
 * `analyzeChain` parses what the peer sent and the trust anchors, builds EVERY path from the leaf to an anchor
 * (Go buildChains style, budgeted), validates each per RFC 5280 §6 at the chosen time, and asks one client
 * profile ('rfc5280' | 'openssl-3' | 'openssl-1.0.2' | 'go' | 'webpki') for its verdict with that client's own
 * error text. The result is plain data (structuredClone-safe). The clock is read only here, at the boundary.
 */
import type { CertView, ParseProblem, ParseReport } from './types.ts';
import { parseCertificates, verifyCertificateSignature } from './parse.ts';
import { analyzeCertViews } from './analyze.ts';
import type { ChainAnalysis } from './analyze-types.ts';
import type { HostCheck, ProfileName } from './profiles/types.ts';
import type { Purpose } from './paths/validate.ts';

export type * from './types.ts';
export type { AnalyzedPath, ChainAnalysis, ChainVerdict } from './analyze-types.ts';
export type { HostCheck } from './profiles/types.ts';
export type { Reason, ReasonCode, Severity, CertRef } from './paths/reasons.ts';
export type { GraphNode, GraphEdge, Identity, IssuerGraphData } from './paths/graph.ts';
export type { ProfileName, ProfileVerdict, ProfileError } from './profiles/types.ts';
export type { Purpose } from './paths/validate.ts';
export type { HostnameMatch, HostnameOptions } from './paths/hostname.ts';
export { PROFILE_NAMES } from './profiles/types.ts';
export { clientErrorText } from './profiles/error-text.ts';
export { parseCertificates, verifyCertificateSignature, verifyCrlSignature } from './parse.ts';
export { matchHostname, matchDnsPattern } from './paths/hostname.ts';
export { commonNames } from './paths/names.ts';
export { serialKey } from './paths/revocation.ts';
export { analyzeCertViews } from './analyze.ts';
export { matchKeyToCert, type KeyMatch } from './key-match.ts';
export { opensslVerifyAlert, VERIFY_ALERT_NUMBERS, type VerifyAlertName } from './openssl-alerts.ts';
export { NODE_OPENSSL_AUTH_LEVEL } from './profiles/openssl.ts';
export { wholeSecond } from './paths/validate.ts';
export { label as certificateLabel } from './paths/reasons.ts';
export { pathProblems, verdictAdvice, whatWouldPass } from './remedies.ts';
export type {
  PathProblem,
  VerdictAdvice,
  Remedy,
  RemedyKind,
  RemedyCandidate,
  PoolEntry,
} from './remedies.ts';

/** Certificates as PEM text (many), one DER per element, or already parsed (parseCertificates' CertViews). */
export type CertificatesInput = string | readonly Uint8Array[] | readonly CertView[];

export interface AnalyzeChainInput {
  /** The pool as the peer sent it, leaf first. */
  readonly certificates: CertificatesInput;
  readonly trustAnchors: CertificatesInput;
  readonly time?: Date;
  readonly hostname?: string;
  readonly purpose?: Purpose;
  readonly profile?: ProfileName;
  readonly maxChainDepth?: number;
  /** The openssl-3 profile's security level (ProfileInput.opensslAuthLevel; default 2). */
  readonly opensslAuthLevel?: number;
  /** The client's own host-name check after the chain (ProfileInput.hostCheck: libpq's), for openssl-3. */
  readonly hostCheck?: HostCheck;
  /**
   * Also compute every other profile's verdict (`ChainAnalysis.profiles`, for side-by-side comparison, as
   * `tls-lab chain` prints them). Off by default: only `profile` is computed.
   */
  readonly compareProfiles?: boolean;
  /**
   * With already-parsed CertViews: the problem of the first certificate the peer sent when it did not parse
   * (`leafProblemOf(report)`), so the verdict names it instead of judging the next certificate.
   */
  readonly firstCertificateProblem?: ParseProblem;
}

/**
 * Blocks that are not meant to be certificates (keys, CRLs, certificate requests, public keys, parameters): their
 * problems never stand for the leaf.
 */
const NOT_A_CERTIFICATE = /private key|public key|CRL|certificate request|parameters/i;

/**
 * The problem of the input's first certificate-like block when that block produced no certificate (the leaf
 * the peer meant could not be read); undefined when the first such block parsed. For callers that run
 * `parseCertificates` themselves and pass CertViews to `analyzeChain` (as `firstCertificateProblem`).
 */
export function leafProblemOf(report: ParseReport, where = 'input'): ParseProblem | undefined {
  const block = report.blocks.find((b) => !NOT_A_CERTIFICATE.test(b.kind));
  if (block && block.certificateIds.length === 0 && block.problem !== undefined)
    return { where: `${where}, ${block.kind}, ${block.where}`, message: block.problem };
  if (!block && report.certificates.length === 0 && report.problems[0])
    return { where: `${where}, ${report.problems[0].where}`, message: report.problems[0].message };
  return undefined;
}

/**
 * Several inputs' reports as one, in order: each certificate once (where it first appears), every block and
 * problem with its input's name in front of where it is ("chain.pem: block 1 (...)"), the private keys counted
 * across all. The Chain Lab and `tls-lab chain` judge several files through it, so both name the same block.
 */
export function mergeReports(reports: readonly ParseReport[], names: readonly string[]): ParseReport {
  const seen = new Set<string>();
  return {
    certificates: reports
      .flatMap((r) => r.certificates)
      .filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true))),
    crls: reports.flatMap((r) => r.crls),
    blocks: reports.flatMap((r, i) => r.blocks.map((b) => ({ ...b, where: `${names[i]}: ${b.where}` }))),
    problems: reports.flatMap((r, i) => r.problems.map((p) => ({ ...p, where: `${names[i]}: ${p.where}` }))),
    discardedPrivateKeys: reports.reduce((n, r) => n + r.discardedPrivateKeys, 0),
    needsPassword: reports.some((r) => r.needsPassword),
  };
}

async function parseAll(
  input: CertificatesInput,
  what: string,
): Promise<{ certs: CertView[]; problems: ParseProblem[]; firstProblem?: ParseProblem }> {
  if (typeof input !== 'string' && input.every((c) => !(c instanceof Uint8Array)))
    return { certs: [...(input as readonly CertView[])], problems: [] };
  const parts = typeof input === 'string' ? [input] : (input as readonly Uint8Array[]);
  const certs: CertView[] = [];
  const problems: ParseProblem[] = [];
  // The first certificate-like block (or DER element) decides what the leaf is: when it produced no
  // certificate, its problem is kept so the analysis names it instead of judging the next certificate.
  let firstProblem: ParseProblem | undefined;
  let decided = false;
  for (const [i, part] of parts.entries()) {
    const report = await parseCertificates(part);
    certs.push(...report.certificates);
    const where = typeof input === 'string' ? what : `${what} #${i + 1}`;
    const located = report.problems.map((p) => ({ where: `${where}, ${p.where}`, message: p.message }));
    problems.push(...located);
    if (decided) continue;
    firstProblem = leafProblemOf(report, where);
    decided =
      firstProblem !== undefined ||
      report.certificates.length > 0 ||
      report.blocks.some((b) => !NOT_A_CERTIFICATE.test(b.kind));
  }
  return { certs, problems, ...(firstProblem ? { firstProblem } : {}) };
}

export async function analyzeChain(input: AnalyzeChainInput): Promise<ChainAnalysis> {
  const served = await parseAll(input.certificates, 'certificates');
  const anchors = await parseAll(input.trustAnchors, 'trust anchors');
  const time = (input.time ?? new Date()).getTime();
  return analyzeCertViews({
    served: served.certs,
    anchors: anchors.certs,
    verify: verifyCertificateSignature,
    time,
    ...(input.hostname !== undefined ? { hostname: input.hostname } : {}),
    purpose: input.purpose ?? 'serverAuth',
    profile: input.profile ?? 'rfc5280',
    ...(input.compareProfiles ? { allProfiles: true } : {}),
    ...(served.firstProblem || input.firstCertificateProblem
      ? { leafProblem: (served.firstProblem ?? input.firstCertificateProblem) as ParseProblem }
      : {}),
    ...(input.maxChainDepth !== undefined ? { maxChainDepth: input.maxChainDepth } : {}),
    ...(input.opensslAuthLevel !== undefined ? { opensslAuthLevel: input.opensslAuthLevel } : {}),
    ...(input.hostCheck ? { hostCheck: input.hostCheck } : {}),
    problems: [...served.problems, ...anchors.problems],
  });
}
