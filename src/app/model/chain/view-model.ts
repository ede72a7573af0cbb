import type { CertView } from '../../../lib/pki/types';
import type { BuildResult, DeadEnd } from '../../../lib/pki/paths/build-paths';
import { nameOf, type CertLabel } from '../../lib/chain-labels';

/** What the Chain Lab's components draw, derived from the engine's ChainAnalysis (see adapt.ts). */
export interface ReasonVM {
  readonly code: string;
  readonly message: string;
  readonly rule?: string;
  readonly severity?: string;
  readonly certificateId?: string;
}

export interface PathVM {
  readonly index: number;
  readonly certificateIds: readonly string[];
  readonly valid: boolean;
  /** 'unsupported': a check on it this engine cannot make (a signature algorithm), so neither valid nor invalid. */
  readonly status: 'valid' | 'invalid' | 'unsupported';
  readonly reasons: readonly ReasonVM[];
}

export interface VerdictVM {
  readonly valid: boolean;
  readonly pathIndex?: number;
  /** The certificates of the path the profile tried, leaf first (a dead end is not among `paths`). */
  readonly tried: readonly string[];
  readonly error?: {
    readonly code: string;
    readonly message: string;
    /** The line the client prints (pki clientErrorText: OpenSSL's "error N at D depth lookup: …"), as the CLI does. */
    readonly line: string;
    /** The certificate the error is about, when the client names one. */
    readonly certificateId?: string;
    /** Not the client's error: a check it makes that this engine cannot (pki ProfileError.notChecked). */
    readonly notChecked?: true;
  };
  readonly trace: readonly string[];
}

export interface GraphNodeVM {
  readonly id: string;
  readonly label: string;
  /** What tells it apart from a certificate of the same name (issuer, dates); '' when its name is unique. */
  readonly detail: string;
  readonly trusted: boolean;
  readonly served: boolean;
  /** Certificates sharing subject and key (cross-signed faces of one CA) share this. */
  readonly identity: string;
}

export interface GraphEdgeVM {
  readonly child: string;
  readonly issuer: string;
  readonly valid: boolean;
  /** A signature this engine cannot check (an algorithm WebCrypto lacks): neither valid nor invalid. */
  readonly unsupported: boolean;
  readonly reason?: string;
}

export interface ChainVM {
  readonly certificates: ReadonlyMap<string, CertView>;
  /** Each certificate's label (chain-labels.ts): the same in the graph and in every list. */
  readonly labels: ReadonlyMap<string, CertLabel>;
  readonly paths: readonly PathVM[];
  readonly verdict: VerdictVM;
  readonly truncated: boolean;
  /** What stopped the search when it was cut short (the engine's budget that ran out). */
  readonly truncation?: string;
  /** Why the partial chains that reached no anchor stopped ('no-issuer', 'bad-signature', 'loop', 'depth'), each once. */
  readonly deadEndReasons: readonly string[];
  readonly nodes: readonly GraphNodeVM[];
  readonly edges: readonly GraphEdgeVM[];
}

export function shortName(cert: CertView | undefined): string {
  return cert ? nameOf(cert.subject) : '(unknown certificate)';
}

/**
 * How the verdict card speaks of the path a profile went by when it is not one of the listed paths (OpenSSL may go
 * on past a trusted intermediate to a root; Go stops at the leaf when the leaf itself fails): the profile passed on
 * it, it failed on a path that ends at a trust anchor, or the path stops before reaching one.
 */
export function triedPathKind(vm: ChainVM): 'used' | 'tried' | 'stops' | undefined {
  const { verdict } = vm;
  if (verdict.pathIndex !== undefined || verdict.tried.length === 0) return undefined;
  if (verdict.valid) return 'used';
  const last = vm.nodes.find((n) => n.id === verdict.tried[verdict.tried.length - 1]);
  return last?.trusted ? 'tried' : 'stops';
}

const TRUNCATION_TEXT: Record<NonNullable<BuildResult['truncation']>, string> = {
  'signature-checks': 'its budget of signature checks',
  paths: 'its budget of paths',
  steps: 'its budget of search steps',
  depth: 'the longest path a client follows (more CA certificates in a row than that)',
};

/** Why the path search was cut short, in words, from the engine's `truncation`. */
export function truncationText(vm: ChainVM): string {
  return TRUNCATION_TEXT[vm.truncation as keyof typeof TRUNCATION_TEXT] ?? 'its budget';
}

const DEAD_END_TEXT: Record<DeadEnd['why'], string> = {
  'no-issuer': 'no issuer of some certificate is in the pool or the trust store',
  'bad-signature':
    'a certificate with the right issuer name is there but did not sign it (the signature does not verify)',
  loop: 'the issuers lead back in a loop',
  depth: 'the chain is longer than a client follows',
};

/** Why no path reaches a trust anchor, in words, from the engine's dead ends. */
export function noPathText(vm: ChainVM): string {
  const why = vm.deadEndReasons.map((r) => DEAD_END_TEXT[r as DeadEnd['why']] ?? r);
  return why.length > 0 ? why.join('; ') : DEAD_END_TEXT['no-issuer'];
}
