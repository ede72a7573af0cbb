/**
 * The pure analysis over parsed certificates: issuer graph, every path, RFC 5280 checks per path, and the
 * chosen profile's verdict. `analyzeChain` (../index.ts) parses its input and calls this; tests and the PKITS
 * harness call it directly with CertViews, CRLs and policy inputs.
 */
import type { CertView, CrlView, ParseProblem } from './types.ts';
import { IssuerGraph, type VerifySignature } from './paths/graph.ts';
import { buildPaths, type BuildOptions } from './paths/build-paths.ts';
import { isValidPath, type PolicyInputs, type Purpose, validatePath } from './paths/validate.ts';
import { label, makeReason } from './paths/reasons.ts';
import { checkRevocation, type VerifyCrl } from './paths/revocation.ts';
import { ComparisonBudget } from './paths/name-constraints.ts';

import type { AnalyzedPath, ChainAnalysis } from './analyze-types.ts';
import { PROFILE_NAMES, type ProfileName, type ProfileVerdict, type ProfileInput } from './profiles/types.ts';
import { rfc5280 } from './profiles/rfc5280.ts';
import { openssl } from './profiles/openssl.ts';
import { go } from './profiles/go.ts';
import { webpki } from './profiles/webpki.ts';

const noCrlVerifier: VerifyCrl = async () => ({
  ok: false,
  reason: 'no CRL signature verifier was supplied',
});

/** What is judged, as the profiles get it (they get the issuer graph built here too), and how. */
export interface AnalyzeViewsInput extends Pick<
  ProfileInput,
  'served' | 'anchors' | 'time' | 'hostname' | 'opensslAuthLevel' | 'hostCheck'
> {
  readonly verify: VerifySignature;
  readonly purpose?: Purpose;
  readonly profile?: ProfileName;
  /** Also run every other profile and return their verdicts (`profiles`); otherwise only `profile` runs. */
  readonly allProfiles?: boolean;
  /**
   * The first certificate the peer sent could not be parsed (where, why). Then nothing is judged: the verdict
   * of every profile is an error naming that certificate, never a verdict about the certificate after it.
   */
  readonly leafProblem?: ParseProblem;
  /** Name-constraint comparisons allowed across every path of this analysis (default 1,000,000). */
  readonly maxConstraintComparisons?: number;
  readonly maxChainDepth?: number;
  readonly budget?: BuildOptions;
  /** Feature flag: CRL revocation checking (revocation.ts); sets notSupported 'crl-processing'. */
  readonly crls?: readonly CrlView[];
  /** Verifies a CRL's signature with a certificate's key (parse.ts verifyCrlSignature). */
  readonly verifyCrl?: VerifyCrl;
  readonly policy?: PolicyInputs;
  readonly problems?: readonly ParseProblem[];
}

export function pathDisplay(certs: readonly CertView[]): string {
  return certs.map((c) => c.subject.rfc4514).join(' -> ');
}

/** RFC 5280 name-constraint comparisons allowed per analysis (all paths together): well under a second. */
export const MAX_CONSTRAINT_COMPARISONS = 1_000_000;

export async function analyzeCertViews(input: AnalyzeViewsInput): Promise<ChainAnalysis> {
  if (input.leafProblem) return unparseableLeaf(input, input.leafProblem);
  const purpose = input.purpose ?? 'serverAuth';
  const profile = input.profile ?? 'rfc5280';
  const maxChainDepth = input.maxChainDepth ?? input.budget?.maxChainDepth ?? 10;
  const leaf = input.served[0] ?? null;
  const graph = new IssuerGraph(input.served, input.anchors, input.verify);
  const notSupported = new Set<string>();
  if (input.crls) notSupported.add('crl-processing');

  const paths: AnalyzedPath[] = [];
  const budget = new ComparisonBudget(input.maxConstraintComparisons ?? MAX_CONSTRAINT_COMPARISONS);
  let built: Awaited<ReturnType<typeof buildPaths>> | null = null;
  if (leaf) {
    built = await buildPaths(leaf, graph, { ...input.budget, maxChainDepth });
    for (const certs of built.paths)
      paths.push(await analyzePath(certs, input, graph, { purpose, budget, notSupported }));
  }

  const noPath = leaf && built ? explainNoPath(leaf, built.deadEnds, graph) : null;
  const profileInput: ProfileInput = {
    served: input.served,
    anchors: input.anchors,
    graph,
    time: input.time,
    ...(input.hostname ? { hostname: input.hostname } : {}),
    purpose,
    maxChainDepth,
    ...(input.opensslAuthLevel !== undefined ? { opensslAuthLevel: input.opensslAuthLevel } : {}),
    ...(input.hostCheck ? { hostCheck: input.hostCheck } : {}),
  };
  const run = async (name: ProfileName): Promise<ProfileVerdict> => {
    switch (name) {
      case 'rfc5280':
        return rfc5280(paths, noPath);
      case 'openssl-3':
        return openssl(profileInput, '3');
      case 'openssl-1.0.2':
        return openssl(profileInput, '1.0.2');
      case 'go':
        return go(profileInput);
      case 'webpki':
        return webpki(profileInput);
    }
  };
  const chosen = await run(profile);
  const others: ProfileVerdict[] = [];
  if (input.allProfiles) {
    for (const name of PROFILE_NAMES) others.push(name === profile ? chosen : await run(name));
  }
  const graphData = graph.toData();
  const usedAnchorIds = new Set(graphData.edges.map((e) => e.issuer));
  const anchors = input.anchors.filter(
    (a) => usedAnchorIds.has(a.id) || input.served.some((s) => s.id === a.id),
  );
  const keep = new Set([...input.served.map((c) => c.id), ...anchors.map((a) => a.id)]);
  return {
    leaf,
    certificates: [...input.served],
    anchors,
    paths,
    verdict: {
      valid: chosen.valid,
      profile,
      ...(chosen.path ? { path: chosen.path } : {}),
      ...(chosen.error ? { error: chosen.error } : {}),
      trace: chosen.trace,
    },
    ...(input.allProfiles ? { profiles: others } : {}),
    truncated: built?.truncated ?? false,
    ...(built?.truncation ? { truncation: built.truncation } : {}),
    graph: {
      nodes: graphData.nodes.filter((n) => keep.has(n.id)),
      edges: graphData.edges.filter((e) => keep.has(e.child) && keep.has(e.issuer)),
      identities: graphData.identities
        .map((i) => ({ ...i, certificateIds: i.certificateIds.filter((id) => keep.has(id)) }))
        .filter((i) => i.certificateIds.length > 0),
    },
    deadEnds: (built?.deadEnds ?? []).map((d) => ({
      certificates: d.certificates.map((c) => c.id),
      why: d.why,
    })),
    notSupported: [...notSupported],
    problems: input.problems ?? [],
    time: new Date(input.time).toISOString(),
    signatureChecks: built?.signatureChecks ?? 0,
  };
}

/** One built path: RFC 5280 validation, revocation when CRLs are given, and signatures we could not check. */
async function analyzePath(
  certs: readonly CertView[],
  input: AnalyzeViewsInput,
  graph: IssuerGraph,
  run: { purpose: Purpose; budget: ComparisonBudget; notSupported: Set<string> },
): Promise<AnalyzedPath> {
  const { notSupported } = run;
  const reasons = validatePath(certs, {
    time: input.time,
    purpose: run.purpose,
    ...(input.hostname ? { hostname: input.hostname } : {}),
    ...(input.policy ? { policy: input.policy } : {}),
    budget: run.budget,
  });
  if (input.crls) {
    for (let d = 0; d + 1 < certs.length; d++) {
      const others = [...input.served, ...input.anchors].filter((c) => !certs.includes(c));
      const rev = await checkRevocation(
        certs[d] as CertView,
        d,
        certs,
        others,
        input.crls,
        input.time,
        input.verifyCrl ?? noCrlVerifier,
      );
      reasons.push(...rev);
    }
  }
  // Edges whose signature could not be checked (unsupported algorithm): the path's outcome is unknown.
  for (let i = 0; i + 1 < certs.length; i++) {
    const child = certs[i] as CertView;
    const edge = graph.known(child, certs[i + 1] as CertView);
    if (edge && !edge.ok && edge.unsupported) {
      notSupported.add('signature-algorithm');
      reasons.unshift(
        makeReason(
          'not-supported-signature-algorithm',
          child,
          i,
          'RFC 5280 §6.1.3 (a)(1)',
          `not supported: the signature on ${label(child)} could not be checked (${edge.reason})`,
          'unsupported',
        ),
      );
    }
  }
  for (const r of reasons)
    if (r.code === 'not-supported-policy-processing') notSupported.add('policy-processing');
  const unsupported = reasons.some((r) => r.severity === 'unsupported');
  const valid = isValidPath(reasons);
  return {
    certificates: certs.map((c) => c.id),
    display: pathDisplay(certs),
    valid,
    status: valid
      ? 'valid'
      : unsupported && reasons.every((r) => r.severity !== 'error')
        ? 'unsupported'
        : 'invalid',
    reasons,
  };
}

/** The peer's first certificate did not parse: every profile fails, naming it; no other certificate is judged. */
function unparseableLeaf(input: AnalyzeViewsInput, problem: ParseProblem): ChainAnalysis {
  const profile = input.profile ?? 'rfc5280';
  const message = `the first certificate the peer sent (${problem.where}) could not be parsed: ${problem.message}; no verdict is given about the other certificates`;
  const verdictOf = (name: ProfileName): ProfileVerdict => ({
    profile: name,
    valid: false,
    error: { code: 'unparseable-leaf', message },
    trace: [message],
  });
  const chosen = verdictOf(profile);
  return {
    leaf: null,
    certificates: [...input.served],
    anchors: [],
    paths: [],
    verdict: { valid: false, profile, error: chosen.error as ProfileVerdict['error'], trace: chosen.trace },
    ...(input.allProfiles ? { profiles: PROFILE_NAMES.map(verdictOf) } : {}),
    truncated: false,
    graph: { nodes: [], edges: [], identities: [] },
    deadEnds: [],
    notSupported: [],
    problems: input.problems ?? [problem],
    time: new Date(input.time).toISOString(),
    signatureChecks: 0,
  };
}

function explainNoPath(
  leaf: CertView,
  deadEnds: readonly { certificates: readonly CertView[]; why: string }[],
  graph: IssuerGraph,
): { code: string; message: string } {
  const end = deadEnds[0];
  if (!end) return { code: 'unknown-issuer', message: `no path from ${label(leaf)} to a trust anchor` };
  const top = end.certificates[end.certificates.length - 1] as CertView;
  if (end.why === 'bad-signature') {
    const bad = graph
      .candidates(top)
      .map((c) => ({ c, r: graph.known(top, c.cert) }))
      .find((x) => x.r && !x.r.ok);
    const why = bad?.r && !bad.r.ok ? bad.r.reason : 'the signature does not verify';
    return {
      code: 'bad-signature',
      message: `${label(top)} names ${top.issuer.rfc4514} as issuer, but ${bad ? label(bad.c.cert) : 'that certificate'} did not sign it: ${why}`,
    };
  }
  if (end.why === 'depth')
    return {
      code: 'chain-too-long',
      message: `the path from ${label(leaf)} exceeds the maximum depth before reaching a trust anchor`,
    };
  return {
    code: 'unknown-issuer',
    message: `no path from ${label(leaf)} to a trust anchor: ${label(top)} was issued by ${top.issuer.rfc4514}, which was neither sent nor trusted`,
  };
}
