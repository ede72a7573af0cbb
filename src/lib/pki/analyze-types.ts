/** The plain-data result of a chain analysis (structuredClone-safe; crosses the worker boundary). */
import type { CertView, ParseProblem } from './types.ts';
import type { IssuerGraphData } from './paths/graph.ts';
import type { Reason } from './paths/reasons.ts';
import type { ProfileName, ProfileVerdict } from './profiles/types.ts';

export interface AnalyzedPath {
  /** Certificate ids, leaf first, trust anchor last. */
  readonly certificates: readonly string[];
  /** "CN=leaf -> CN=inter -> CN=root" (each certificate's RFC 4514 subject). */
  readonly display: string;
  /** No error and no unsupported check (warnings allowed). */
  readonly valid: boolean;
  readonly status: 'valid' | 'invalid' | 'unsupported';
  /** Every problem of the path, in validation order; warnings included. */
  readonly reasons: readonly Reason[];
}

export interface ChainVerdict {
  readonly valid: boolean;
  readonly profile: ProfileName;
  /** The path the profile settled on (may be partial when it failed to build one). */
  readonly path?: readonly string[];
  readonly error?: ProfileVerdict['error'];
  readonly trace: readonly string[];
}

export interface ChainAnalysis {
  readonly leaf: CertView | null;
  /** The certificates as the peer sent them, leaf first. */
  readonly certificates: readonly CertView[];
  /** Trust anchors that take part in the graph (candidate issuers of some certificate). */
  readonly anchors: readonly CertView[];
  readonly paths: readonly AnalyzedPath[];
  readonly verdict: ChainVerdict;
  /** The verdict of every profile, for side-by-side comparison. */
  readonly profiles?: readonly ProfileVerdict[];
  /** True when the path search stopped on its budget: more paths may exist. */
  readonly truncated: boolean;
  readonly truncation?: string;
  readonly graph: IssuerGraphData;
  /** Partial chains that reached no anchor (ids, leaf first) and why they stopped. */
  readonly deadEnds: readonly { readonly certificates: readonly string[]; readonly why: string }[];
  /** Checks requested but not implemented (see docs/client-profiles.md): "crl-processing", "policy-processing". */
  readonly notSupported: readonly string[];
  readonly problems: readonly ParseProblem[];
  /** The validation time, ISO 8601. */
  readonly time: string;
  /** Fresh signature verifications made by the path search (the budgeted number). */
  readonly signatureChecks: number;
}
