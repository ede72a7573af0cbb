/**
 * Enumerates EVERY path from a leaf to a trust anchor, depth first, in the manner of Go's
 * `Certificate.buildChains` (crypto/x509/verify.go): candidates in `IssuerGraph` rank order, a loop guard, and a
 * budget. Unlike Go, nothing but the signature is checked while building: RFC 5280 checks run per path
 * afterwards (validate.ts) so that invalid paths can be shown with their reasons.
 *
 * - Loop guard: a candidate whose subject, public key and SAN equal a certificate already in the chain is
 *   skipped (Go `alreadyInChain`), which stops cross-signing loops.
 * - A path ends at the first trust anchor reached (a trusted certificate is never extended further).
 * - Budget: `maxSignatureChecks` fresh signature verifications (Go: 100), `maxChainDepth` certificates per
 *   path counted as RFC 5280 §6.1.4 (l) counts max_path_length (self-issued intermediates, a CA's key rollover, do
 *   not count; the loop guard and `maxSteps` still bound them), `maxPaths` complete paths and `maxSteps` candidate
 *   visits. When any limit cuts the search the result
 *   has `truncated` set and says which limit.
 */
import type { CertView } from '../types.ts';
import type { IssuerGraph } from './graph.ts';

export interface BuildOptions {
  readonly maxSignatureChecks?: number;
  /** Maximum number of certificates in one path, leaf and anchor included, self-issued intermediates not counted. */
  readonly maxChainDepth?: number;
  readonly maxPaths?: number;
  readonly maxSteps?: number;
}

export const DEFAULT_BUILD_OPTIONS: Required<BuildOptions> = {
  maxSignatureChecks: 100,
  maxChainDepth: 10,
  maxPaths: 64,
  maxSteps: 5000,
};

export interface DeadEnd {
  /** Leaf first; the last certificate has no (valid) issuer available. */
  readonly certificates: readonly CertView[];
  readonly why: 'no-issuer' | 'bad-signature' | 'loop' | 'depth';
}

export interface BuildResult {
  /** Leaf first, trust anchor last. */
  readonly paths: readonly (readonly CertView[])[];
  readonly deadEnds: readonly DeadEnd[];
  readonly truncated: boolean;
  readonly truncation?: 'signature-checks' | 'depth' | 'paths' | 'steps';
  readonly signatureChecks: number;
}

function sameSans(a: CertView, b: CertView): boolean {
  const x = a.san?.all.map((g) => `${g.kind}:${g.value}`).join('\n') ?? '';
  const y = b.san?.all.map((g) => `${g.kind}:${g.value}`).join('\n') ?? '';
  return x === y;
}

/** Go `alreadyInChain`: same subject, same public key, same SANs. */
export function alreadyInChain(candidate: CertView, chain: readonly CertView[]): boolean {
  return chain.some(
    (c) =>
      c.subject.key === candidate.subject.key &&
      c.fingerprints.spkiSha256 === candidate.fingerprints.spkiSha256 &&
      sameSans(c, candidate),
  );
}

/** Certificates of a partial chain that count against the depth limit: all but self-issued intermediates. */
function countedDepth(chain: readonly CertView[]): number {
  let n = 0;
  for (let i = 0; i < chain.length; i++) if (i === 0 || !(chain[i] as CertView).selfIssued) n++;
  return n;
}

export async function buildPaths(
  leaf: CertView,
  graph: IssuerGraph,
  options: BuildOptions = {},
): Promise<BuildResult> {
  const opts = { ...DEFAULT_BUILD_OPTIONS, ...options };
  const paths: CertView[][] = [];
  const deadEnds: DeadEnd[] = [];
  let truncation: BuildResult['truncation'];
  let steps = 0;
  const startChecks = graph.signatureChecks;

  const extend = async (chain: CertView[]): Promise<void> => {
    const current = chain[chain.length - 1] as CertView;
    if (graph.isTrusted(current)) {
      if (paths.length >= opts.maxPaths) {
        truncation ??= 'paths';
        return;
      }
      paths.push(chain);
      return;
    }
    if (countedDepth(chain) >= opts.maxChainDepth) {
      truncation ??= 'depth';
      deadEnds.push({ certificates: chain, why: 'depth' });
      return;
    }
    let extended = false;
    let sawBadSignature = false;
    let sawLoop = false;
    for (const candidate of graph.candidates(current)) {
      if (truncation !== undefined && truncation !== 'depth') return;
      if (alreadyInChain(candidate.cert, chain)) {
        sawLoop = true;
        continue;
      }
      if (++steps > opts.maxSteps) {
        truncation ??= 'steps';
        return;
      }
      if (
        graph.known(current, candidate.cert) === undefined &&
        graph.signatureChecks - startChecks >= opts.maxSignatureChecks
      ) {
        truncation ??= 'signature-checks';
        return;
      }
      const edge = await graph.verifyEdge(current, candidate.cert);
      if (!edge.ok && !edge.unsupported) {
        sawBadSignature = true;
        continue;
      }
      extended = true;
      await extend([...chain, candidate.cert]);
    }
    if (!extended) {
      deadEnds.push({
        certificates: chain,
        why: sawBadSignature ? 'bad-signature' : sawLoop ? 'loop' : 'no-issuer',
      });
    }
  };

  await extend([leaf]);
  return {
    paths,
    deadEnds,
    truncated: truncation !== undefined,
    ...(truncation !== undefined ? { truncation } : {}),
    signatureChecks: graph.signatureChecks - startChecks,
  };
}
