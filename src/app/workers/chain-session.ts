/**
 * One Chain Lab analysis, done entirely inside the worker: parse the user's inputs (or a sample), resolve the
 * trust anchors, analyse, and send back only what the page draws. A 1,000-certificate bundle stays in the
 * worker; the page receives a count, the problems, a light list of the pool, and the certificates that take
 * part in the graph.
 */
import {
  analyzeChain,
  leafProblemOf,
  mergeReports,
  parseCertificates,
  verdictAdvice,
  type ChainAnalysis,
  type PoolEntry as RemedyPoolEntry,
  type ProfileName,
  type Purpose,
  type VerdictAdvice,
} from '../../lib/pki/index';
import { leafFirst, namesCertificate, pickLeaf } from '../../lib/pki/leaf';
import { libpqHostCheck } from '../../lib/sslmode/hostname';
import { labelFacts, type LabelFacts } from '../lib/chain-labels';
import type { CertView, ParseReport } from '../../lib/pki/types';
import {
  formerRootsFor,
  getTrustStore,
  isTrustStoreName,
  TRUST_STORE_PRESETS,
  type FormerRoot,
  type TrustStoreName,
} from '../../lib/pki/trust-stores/index';

/**
 * What a loaded file is: 'chain' (default) the server's certificate and the intermediates it sends; 'pool'
 * intermediates the client may use but never the server's certificate; 'trust' the trust store.
 */
export type InputRole = 'chain' | 'pool' | 'trust';

export interface ChainSessionInput {
  readonly name: string;
  /**
   * Pasted text, bytes, or a File (a Blob) as the page received it: a File crosses to the worker by
   * structured clone as a handle, and is read here, so the page never reads nor copies the user's files.
   */
  readonly content: string | Uint8Array | Blob;
  readonly role?: InputRole;
}

export interface ChainSessionRequest {
  /** The user's files and pasted texts, in order; empty means the sample's served chain. */
  readonly inputs: readonly ChainSessionInput[];
  readonly sampleServed: string;
  readonly sampleAnchors: string;
  /**
   * 'sample', a preset name, 'custom' (the pool's certificates whose id starts with a ticked prefix), or
   * 'loaded' (the certificates of the inputs loaded as the trust store).
   */
  readonly trust: string;
  /** The user's choice of the server's certificate (an id prefix); default: pickLeaf's. */
  readonly leaf?: string;
  readonly ticked: readonly string[];
  readonly password?: string;
  readonly time: Date;
  readonly hostname?: string;
  readonly purpose: Purpose;
  readonly profile: ProfileName;
}

/** A pool certificate as the page lists it (for custom trust), without its DER or ASN.1 tree. */
export interface PoolEntry extends LabelFacts {
  /** RFC 4514 subject and issuer. */
  readonly subject: string;
  readonly issuer: string;
  /** basicConstraints cA: a CA certificate is not picked automatically as the server's certificate. */
  readonly ca: boolean;
  /** Loaded as a trust anchor (a file given as the trust store) rather than as part of the chain. */
  readonly trust: boolean;
  /** Offered as the server's certificate: loaded as the server's chain ('chain' role), not as a pool or store. */
  readonly chain: boolean;
}

export interface ChainSessionResult {
  readonly report: Omit<ParseReport, 'certificates' | 'crls'> & {
    readonly certificateCount: number;
    readonly crlCount: number;
  };
  readonly pool: readonly PoolEntry[];
  /** The analysis, with `certificates` trimmed to those in the graph or on a path. */
  readonly analysis: ChainAnalysis | null;
  /** Roots the chosen preset once had and no longer has, that this input contains or names as an issuer. */
  readonly formerRoots: readonly FormerRoot[];
  /** For a failing verdict: what would make it pass, and every problem on the path tried (pki/remedies.ts). */
  readonly advice: readonly VerdictAdvice[];
}

/**
 * Parsed inputs, kept while the worker lives, so that moving the date slider or changing the host re-runs the
 * analysis without parsing a 1,000-certificate bundle again. Keyed by the text itself, or by a File's name,
 * size and modification time (a File handle arrives as a new object on every call); bytes and plain Blobs,
 * which have no such identity, are parsed every time. Small: the last few inputs only.
 */
const parsed = new Map<string, Promise<ParseReport>>();
const PARSED_KEEP = 8;

function cacheKey(name: string, content: string | Uint8Array | Blob, password: string): string | null {
  if (typeof content === 'string') return `text\u0000${password}\u0000${content}`;
  if (typeof File !== 'undefined' && content instanceof File)
    return `file\u0000${password}\u0000${name}\u0000${content.size}\u0000${content.lastModified}`;
  return null;
}

function parseCached(
  name: string,
  content: string | Uint8Array | Blob,
  password: string,
  parse: () => Promise<ParseReport>,
): Promise<ParseReport> {
  const key = cacheKey(name, content, password);
  if (key === null) return parse();
  let report = parsed.get(key);
  if (report) {
    parsed.delete(key); // most recently used last
  } else {
    report = parse();
    report.catch(() => parsed.delete(key as string));
  }
  parsed.set(key, report);
  while (parsed.size > PARSED_KEEP) parsed.delete(parsed.keys().next().value as string);
  return report;
}

async function anchorsFor(
  req: ChainSessionRequest,
  pool: readonly CertView[],
  loadedTrust: readonly CertView[],
): Promise<readonly CertView[]> {
  if (req.trust === 'loaded') return loadedTrust;
  if (req.trust === 'sample')
    return (
      await parseCached('sample anchors', req.sampleAnchors, '', () => parseCertificates(req.sampleAnchors))
    ).certificates;
  if (req.trust === 'custom') {
    const ticked = new Set(req.ticked);
    return pool.filter((c) => ticked.has(c.id.slice(0, 16)));
  }
  if (!isTrustStoreName(req.trust)) throw new Error(`Unknown trust store "${req.trust}"`);
  const { pem } = await getTrustStore(req.trust);
  return (await parseCached(`trust store ${req.trust}`, pem, '', () => parseCertificates(pem))).certificates;
}

/** The input's bytes or text; a File is read here (in the worker). */
async function contentOf(input: ChainSessionInput): Promise<string | Uint8Array> {
  if (typeof input.content === 'string' || input.content instanceof Uint8Array) return input.content;
  try {
    return new Uint8Array(await input.content.arrayBuffer());
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${input.name}: the file could not be read (${why}); choose it again`);
  }
}

export async function runChainSession(req: ChainSessionRequest): Promise<ChainSessionResult> {
  const options = req.password ? { password: req.password } : undefined;
  const password = req.password ?? '';
  // Nothing to read (own certificates cleared, no sample): nothing to report either.
  if (req.inputs.length === 0 && !req.sampleServed.trim())
    return {
      report: {
        blocks: [],
        problems: [],
        discardedPrivateKeys: 0,
        needsPassword: false,
        certificateCount: 0,
        crlCount: 0,
      },
      pool: [],
      analysis: null,
      advice: [],
      formerRoots: [],
    };
  const reports = await Promise.all(
    req.inputs.map((i) =>
      parseCached(i.name, i.content, password, async () => parseCertificates(await contentOf(i), options)),
    ),
  );
  const isTrust = req.inputs.map((i) => i.role === 'trust');
  const chainIds = new Set(
    reports
      .flatMap((r, i) => ((req.inputs[i]?.role ?? 'chain') === 'chain' ? r.certificates : []))
      .map((c) => c.id),
  );
  const report0 =
    req.inputs.length === 0
      ? await parseCached('sample', req.sampleServed, '', () => parseCertificates(req.sampleServed))
      : mergeReports(
          reports,
          req.inputs.map((i) => i.name),
        );
  const loadedTrust = reports.filter((_, i) => isTrust[i]).flatMap((r) => r.certificates);
  const trustIds = new Set(loadedTrust.map((c) => c.id));
  const served =
    req.inputs.length === 0
      ? report0.certificates
      : mergeReports(
          reports.filter((_, i) => !isTrust[i]),
          req.inputs.filter((_, i) => !isTrust[i]).map((i) => i.name),
        ).certificates;
  const { certificates: all, crls, ...rest } = report0;
  const report = { ...rest, certificateCount: all.length, crlCount: crls.length };
  const pool = all.map((c) => ({
    ...labelFacts(c),
    subject: c.subject.rfc4514,
    issuer: c.issuer.rfc4514,
    ca: c.basicConstraints?.ca === true,
    trust: trustIds.has(c.id),
    chain: req.inputs.length === 0 || chainIds.has(c.id),
  }));
  // A sample is what a server sent: its first certificate is the server's. The user's files may start with
  // anything (a CA bundle's first root): the user's choice, else pickLeaf's, among the files loaded as the server's
  // chain only (a pool or a trust store is never the server's certificate: with none, there is nothing to judge).
  const leaf =
    req.inputs.length === 0
      ? undefined
      : pickLeaf(
          served.filter((c) => chainIds.has(c.id)),
          { ...(req.leaf ? { chosen: req.leaf } : {}), ...(req.hostname ? { hostname: req.hostname } : {}) },
        );
  const chain = req.inputs.length === 0 ? served : leaf ? leafFirst(served, leaf) : [];
  if (chain.length === 0) return { report, pool, analysis: null, advice: [], formerRoots: [] };
  const formerRoots = isTrustStoreName(req.trust)
    ? formerRootsFor(
        req.trust,
        all.map((c) => ({
          sha256: c.fingerprints.sha256,
          subject: c.subject.rfc4514,
          issuer: c.issuer.rfc4514,
        })),
      )
    : [];
  // The first block of what the server sent (the files loaded as its chain, or the sample) stands for the leaf when
  // it did not parse; not a trust store's or a pool's first block, and not when the user chose the certificate.
  const sentReport =
    req.inputs.length === 0
      ? report0
      : mergeReports(
          reports.filter((_, i) => (req.inputs[i]?.role ?? 'chain') === 'chain'),
          req.inputs.filter((i) => (i.role ?? 'chain') === 'chain').map((i) => i.name),
        );
  // The user's choice counts only when pickLeaf took it (an id prefix of 16 hex digits or more that names one).
  const leafProblem = leaf && namesCertificate(req.leaf, leaf.id) ? undefined : leafProblemOf(sentReport);
  const analysis = await analyzeChain({
    certificates: chain,
    trustAnchors: await anchorsFor(req, all, loadedTrust),
    time: req.time,
    ...(req.hostname ? { hostname: req.hostname, hostCheck: libpqHostCheck } : {}),
    purpose: req.purpose,
    profile: req.profile,
    ...(leafProblem ? { firstCertificateProblem: leafProblem } : {}),
  });
  return {
    report,
    pool,
    analysis: trimForPage(analysis),
    formerRoots,
    advice: analysis.verdict.valid ? [] : verdictAdvice(analysis, await remedyPool(req, reports, all)),
  };
}

/** A preset's name as the remedies say where a certificate is: "the Mozilla trust store". */
function presetSource(name: TrustStoreName): string {
  const title = name === 'mozilla' ? 'Mozilla' : TRUST_STORE_PRESETS.find((p) => p.name === name)?.title;
  return `the ${title ?? name} trust store`;
}

/**
 * Where a remedy looks for a missing issuer or anchor: every certificate the user loaded (by file name, or the
 * sample), then the built-in presets not in use (an anchor the user could switch to or add).
 */
async function remedyPool(
  req: ChainSessionRequest,
  reports: readonly ParseReport[],
  all: readonly CertView[],
): Promise<RemedyPoolEntry[]> {
  const own: RemedyPoolEntry[] =
    req.inputs.length === 0
      ? all.map((certificate) => ({ certificate, source: 'the sample' }))
      : reports.flatMap((r, i) =>
          r.certificates.map((certificate) => ({ certificate, source: req.inputs[i]?.name ?? 'your file' })),
        );
  const unused = TRUST_STORE_PRESETS.map((p) => p.name).filter((name) => name !== req.trust);
  const presets = await Promise.all(
    unused.map(async (name) => {
      const { pem } = await getTrustStore(name);
      const parsedPreset = await parseCached(`trust store ${name}`, pem, '', () => parseCertificates(pem));
      return parsedPreset.certificates.map((certificate) => ({ certificate, source: presetSource(name) }));
    }),
  );
  return [...own, ...presets.flat()];
}

/** Up to this many certificates the graph shows every one the peer sent, related to the leaf or not. */
export const SHOW_ALL_UP_TO = 50;

/**
 * What the page draws: the certificates reachable from the leaf through candidate-issuer edges (plus, for a
 * small pool, every certificate sent, so extra certificates are visible). A bundle of 1,000 unrelated
 * certificates is not sent to the page nor laid out as a graph.
 */
export function trimForPage(analysis: ChainAnalysis): ChainAnalysis {
  const keep = new Set<string>();
  const stack = analysis.leaf ? [analysis.leaf.id] : [];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (keep.has(id)) continue;
    keep.add(id);
    for (const e of analysis.graph.edges) if (e.child === id) stack.push(e.issuer);
  }
  for (const p of analysis.paths) for (const id of p.certificates) keep.add(id);
  if (analysis.certificates.length <= SHOW_ALL_UP_TO) for (const c of analysis.certificates) keep.add(c.id);
  return {
    ...analysis,
    certificates: analysis.certificates.filter((c) => keep.has(c.id)),
    graph: {
      nodes: analysis.graph.nodes.filter((n) => keep.has(n.id)),
      edges: analysis.graph.edges.filter((e) => keep.has(e.child) && keep.has(e.issuer)),
      identities: analysis.graph.identities
        .map((i) => ({ ...i, certificateIds: i.certificateIds.filter((id) => keep.has(id)) }))
        .filter((i) => i.certificateIds.length > 0),
    },
  };
}
