/**
 * The certificate engine's stable API.
 *
 * `analyzeChain` parses what the peer sent and the trust anchors, builds EVERY path from the leaf to an anchor
 * (Go buildChains style, budgeted), validates each per RFC 5280 §6 at the chosen time, and asks one client
 * profile ('rfc5280' | 'openssl-3' | 'openssl-1.0.2' | 'go' | 'webpki') for its verdict with that client's own
 * error text. The result is plain data (structuredClone-safe). The clock is read only here, at the boundary.
 */
import type { CertView, ParseProblem } from './types.ts';
import { parseCertificates, verifyCertificateSignature } from './parse.ts';
import { analyzeCertViews } from './paths/analyze.ts';
import type { ChainAnalysis } from './paths/analyze-types.ts';
import type { ProfileName } from './profiles/types.ts';
import type { Purpose } from './paths/validate.ts';

export type * from './types.ts';
export type { AnalyzedPath, ChainAnalysis, ChainVerdict } from './paths/analyze-types.ts';
export type { Reason, ReasonCode, Severity, CertRef } from './paths/reasons.ts';
export type { GraphNode, GraphEdge, Identity, IssuerGraphData } from './paths/graph.ts';
export type { ProfileName, ProfileVerdict, ProfileError } from './profiles/types.ts';
export type { Purpose } from './paths/validate.ts';
export type { HostnameMatch, HostnameOptions } from './paths/hostname.ts';
export { PROFILE_NAMES } from './profiles/types.ts';
export { parseCertificates, verifyCertificateSignature } from './parse.ts';
export { matchHostname, matchDnsPattern } from './paths/hostname.ts';
export { commonNames } from './paths/names.ts';
export { analyzeCertViews } from './paths/analyze.ts';
export { label as certificateLabel } from './paths/reasons.ts';
export { whatWouldPass } from './remedies.ts';
export type { Remedy, RemedyKind, RemedyCandidate, PoolEntry } from './remedies.ts';

/** Certificates as PEM text (many), one DER per element, or already parsed (parseCertificates' CertViews). */
export type CertificatesInput = string | readonly Uint8Array[] | readonly CertView[];

export interface AnalyzeChainInput {
  /** The pool as the peer sent it, leaf first. */
  readonly certificates: CertificatesInput;
  readonly trustAnchors: CertificatesInput;
  readonly time?: Date;
  readonly hostname?: string;
  readonly purpose?: 'serverAuth' | 'clientAuth' | 'any';
  readonly profile?: 'rfc5280' | 'openssl-3' | 'openssl-1.0.2' | 'go' | 'webpki';
  readonly maxChainDepth?: number;
}

async function parseAll(
  input: CertificatesInput,
  what: string,
): Promise<{ certs: CertView[]; problems: ParseProblem[] }> {
  if (typeof input !== 'string' && input.every((c) => !(c instanceof Uint8Array)))
    return { certs: [...(input as readonly CertView[])], problems: [] };
  const parts = typeof input === 'string' ? [input] : (input as readonly Uint8Array[]);
  const certs: CertView[] = [];
  const problems: ParseProblem[] = [];
  for (const [i, part] of parts.entries()) {
    const report = await parseCertificates(part);
    certs.push(...report.certificates);
    const where = typeof input === 'string' ? what : `${what} #${i + 1}`;
    problems.push(...report.problems.map((p) => ({ where: `${where}, ${p.where}`, message: p.message })));
  }
  return { certs, problems };
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
    purpose: (input.purpose ?? 'serverAuth') as Purpose,
    profile: (input.profile ?? 'rfc5280') as ProfileName,
    allProfiles: true,
    ...(input.maxChainDepth !== undefined ? { maxChainDepth: input.maxChainDepth } : {}),
    problems: [...served.problems, ...anchors.problems],
  });
}
