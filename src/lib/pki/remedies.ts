/**
 * What would make a failing chain pass, computed from a finished analysis (no new path search, no clock):
 * the issuer that is missing and which loaded certificate could serve as it, the anchor to add, the dates at
 * which a path that fails only on time would be valid, the names a host-name failure would accept, and the
 * sent certificate a client's choice trips over while another path is valid.
 *
 * Pure and structuredClone-safe, for the CLI and the Chain Lab alike. `pool` is every certificate the user
 * loaded, each with where it came from (a file name, "mozilla preset" …): the candidates are looked up there.
 */
import type { CertView } from './types.ts';
import type { AnalyzedPath, ChainAnalysis } from './analyze-types.ts';
import { commonNames } from './paths/names.ts';
import { certRef, label, type CertRef } from './paths/reasons.ts';

export interface RemedyCandidate {
  readonly id: string;
  readonly subject: string;
  /** Where it was loaded from. */
  readonly source: string;
  /** Self-signed: it would serve as a trust anchor rather than as a sent intermediate. */
  readonly selfSigned: boolean;
}

export type RemedyKind =
  'send-issuer' | 'add-anchor' | 'validity-window' | 'use-listed-name' | 'stop-sending';

export interface Remedy {
  readonly kind: RemedyKind;
  /** One sentence a person can act on. */
  readonly message: string;
  /** The certificate the remedy is about (whose issuer is missing, the root to trust, the one to stop sending). */
  readonly certificate?: CertRef;
  /** send-issuer / add-anchor: the issuer's name that was looked for. */
  readonly issuer?: string;
  /** send-issuer / add-anchor: loaded certificates whose subject (and key identifier) fit. */
  readonly candidates?: readonly RemedyCandidate[];
  /** send-issuer: where the certificate says its issuer can be downloaded (AIA caIssuers). */
  readonly caIssuers?: readonly string[];
  /** validity-window: the path (index into analysis.paths) and the dates every certificate on it is valid. */
  readonly path?: number;
  readonly validBetween?: { readonly notBefore: string; readonly notAfter: string };
  /** use-listed-name: the names the leaf holds. */
  readonly names?: readonly string[];
}

export interface PoolEntry {
  readonly certificate: CertView;
  readonly source: string;
}

const TIME_CODES = new Set(['expired', 'not-yet-valid']);
const NO_ISSUER = /ISSUER|UNABLE_TO_VERIFY_LEAF|UnknownAuthority|unknown-issuer/i;
const HOST =
  /HOSTNAME|HOST_NAME_MISMATCH|IP_ADDRESS_MISMATCH|HostnameError|NotValidForName|hostname-mismatch/i;

function fitsAsIssuer(child: CertView, issuer: CertView): boolean {
  if (issuer.id === child.id || issuer.subject.key !== child.issuer.key) return false;
  const akid = child.authorityKeyId?.toLowerCase();
  const skid = issuer.subjectKeyId?.toLowerCase();
  return !akid || !skid || akid === skid;
}

function leafNames(leaf: CertView): string[] {
  const san = leaf.san;
  if (san && (san.dns.length || san.ip.length))
    return [...san.dns.map((d) => `DNS:${d}`), ...san.ip.map((i) => `IP:${i}`)];
  return commonNames(leaf).map((n) => `CN=${n}`);
}

/**
 * Certificates whose issuer was looked for and not found: the top of the profile's partial path, or (when no
 * path is valid at all) the top of every dead end. A self-signed top that is not trusted is its own issuer.
 */
function missingIssuers(
  analysis: ChainAnalysis,
  pool: readonly PoolEntry[],
  found: {
    byId: ReadonlyMap<string, CertView>;
    anchorIds: ReadonlySet<string>;
    validPaths: readonly AnalyzedPath[];
    push: (key: string, r: Remedy) => void;
  },
): void {
  const { byId, anchorIds, validPaths, push } = found;
  const error = analysis.verdict.error;
  const tops: CertView[] = [];
  const verdictTop = analysis.verdict.path?.at(-1);
  const top0 = verdictTop === undefined ? undefined : byId.get(verdictTop);
  if (top0 && ((error && NO_ISSUER.test(error.code)) || (top0.selfIssued && !anchorIds.has(top0.id))))
    tops.push(top0);
  if (validPaths.length === 0)
    for (const d of analysis.deadEnds) {
      const top = byId.get(d.certificates.at(-1)!);
      if (top && (d.why === 'no-issuer' || (d.why === 'loop' && top.selfIssued))) tops.push(top);
    }
  const known = [...analysis.certificates, ...analysis.anchors];
  for (const top of tops) {
    // OpenSSL goes no higher than a trust anchor with a certificate the peer sent: the issuer of a trusted top must
    // itself be trusted (there are no partial chains in libpq).
    const trusted = anchorIds.has(top.id);
    if (top.selfIssued && !trusted) {
      // A trusted twin (same name and key) would have served; a sent cross-certificate for it does not help here.
      if (analysis.anchors.some((c) => fitsAsIssuer(top, c))) continue;
      push(`anchor:${top.id}`, {
        kind: 'add-anchor',
        message: `trust ${label(top)} (it was sent, self-signed, and is not among the trust anchors): add it to the anchors only if you trust it`,
        certificate: certRef(top),
        issuer: top.subject.rfc4514,
        candidates: [],
      });
      continue;
    }
    // The engine had an issuer for it (the failure is elsewhere on the path): nothing is missing here.
    if ((trusted ? analysis.anchors : known).some((c) => fitsAsIssuer(top, c))) continue;
    const candidates = pool
      .filter((p) => fitsAsIssuer(top, p.certificate))
      .map((p) => ({
        id: p.certificate.id,
        subject: p.certificate.subject.rfc4514,
        source: p.source,
        selfSigned: p.certificate.selfIssued,
      }));
    const caIssuers = top.aia?.caIssuers ?? [];
    const roots = candidates.filter((c) => c.selfSigned);
    // Each candidate once, with where it is: '"X" (in the Mozilla trust store), also in roots.pem,'.
    const from = (cs: readonly RemedyCandidate[]) => {
      const sources = new Map<string, string[]>();
      for (const c of cs) sources.set(c.id, [...(sources.get(c.id) ?? []), c.source]);
      return [...sources]
        .map(([id, [first, ...more]]) => {
          const also = more.length ? `, also in ${more.join(', ')},` : '';
          return `${label(byId.get(id)!)} (in ${first})${also}`;
        })
        .join(' or ');
    };
    if (trusted) {
      const holders = candidates.length ? `: ${from(candidates)} is it` : '; no loaded file holds it';
      push(`anchor:${top.issuer.key}`, {
        kind: 'add-anchor',
        message: `add the issuer of ${label(top)}, ${top.issuer.rfc4514}, to the trust anchors${holders}. ${label(top)} is trusted but not self-signed, and OpenSSL looks for the issuer of a trusted certificate among the trust anchors only: sending it does not help`,
        certificate: certRef(top),
        issuer: top.issuer.rfc4514,
        candidates,
      });
      continue;
    }
    if (roots.length) {
      push(`anchor:${top.issuer.key}`, {
        kind: 'add-anchor',
        message: `add the root ${from(roots)} to the trust anchors: it issued ${label(top)}`,
        certificate: certRef(top),
        issuer: top.issuer.rfc4514,
        candidates: roots,
      });
    }
    const intermediates = candidates.filter((c) => !c.selfSigned);
    if (intermediates.length || !roots.length) {
      const where = intermediates.length
        ? `; ${from(intermediates)} can serve as it`
        : caIssuers.length
          ? `; no loaded file holds it, the certificate says it is at ${caIssuers.join(', ')}`
          : '; no loaded file holds it';
      push(`issuer:${top.id}`, {
        kind: 'send-issuer',
        message: `the issuer of ${label(top)} is missing: send ${top.issuer.rfc4514} after it${where}`,
        certificate: certRef(top),
        issuer: top.issuer.rfc4514,
        candidates: intermediates,
        caIssuers,
      });
    }
  }
}

/** The remedies for the analysis's verdict (empty when the chosen profile accepts the chain). */
export function whatWouldPass(analysis: ChainAnalysis, pool: readonly PoolEntry[] = []): Remedy[] {
  if (analysis.verdict.valid || !analysis.leaf) return [];
  const byId = new Map<string, CertView>();
  for (const c of [...analysis.certificates, ...analysis.anchors]) byId.set(c.id, c);
  for (const p of pool) if (!byId.has(p.certificate.id)) byId.set(p.certificate.id, p.certificate);
  const anchorIds = new Set(analysis.anchors.map((a) => a.id));
  const sentIds = new Set(analysis.certificates.map((c) => c.id));
  const out: Remedy[] = [];
  const seen = new Set<string>();
  const push = (key: string, r: Remedy) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(r);
  };
  const error = analysis.verdict.error;
  const validPaths = analysis.paths.filter((p) => p.valid);

  missingIssuers(analysis, pool, { byId, anchorIds, validPaths, push });

  // A path that fails only on time: the dates at which every certificate on it is valid.
  analysis.paths.forEach((p, i) => {
    // Host-name errors have their own remedy below; any other error means dates alone would not do.
    const errors = p.reasons.filter((r) => r.severity !== 'warning' && r.code !== 'hostname-mismatch');
    if (!errors.length || !errors.every((r) => TIME_CODES.has(r.code))) return;
    const certs = p.certificates.map((id) => byId.get(id)).filter((c): c is CertView => !!c);
    const from = Math.max(...certs.map((c) => c.validity.notBeforeMs));
    const to = Math.min(...certs.map((c) => c.validity.notAfterMs));
    if (from > to) return;
    const validBetween = { notBefore: new Date(from).toISOString(), notAfter: new Date(to).toISOString() };
    push(`window:${i}`, {
      kind: 'validity-window',
      message: `path ${i + 1} is valid from ${validBetween.notBefore} to ${validBetween.notAfter} (every certificate on it is within its dates then); at ${analysis.time} it is not`,
      path: i,
      validBetween,
    });
  });

  // A host-name failure: the names the leaf would be accepted for.
  const hostFailure =
    (error && HOST.test(error.code)) ||
    analysis.paths.some((p) => p.reasons.some((r) => r.code === 'hostname-mismatch'));
  if (hostFailure) {
    const names = leafNames(analysis.leaf);
    push('host', {
      kind: 'use-listed-name',
      message: names.length
        ? `connect with a name the certificate holds (${names.join(', ')}), or have it reissued with the host's name`
        : 'the certificate holds no host name: have it reissued with the host’s name in subjectAltName',
      certificate: certRef(analysis.leaf),
      names,
    });
  }

  // The profile settled on a path through a sent certificate that no valid path needs. Only paths with no warning
  // at all count: a warning of the RFC 5280 checks (a SHA-1 signature, a weak key) is an error for some client (the
  // openssl-3 profile's security level), so dropping the certificate might only trade one failure for another.
  const cleanPaths = validPaths.filter((p) => p.reasons.length === 0);
  if (cleanPaths.length && analysis.verdict.path) {
    const needed = new Set(validPaths.flatMap((p) => p.certificates));
    analysis.verdict.path.forEach((id, depth) => {
      if (depth === 0 || !sentIds.has(id) || needed.has(id)) return;
      const c = byId.get(id)!;
      // Counted as a person counts: the server's own certificate is the 1st sent.
      const position = analysis.certificates.findIndex((s) => s.id === id) + 1;
      push(`drop:${id}`, {
        kind: 'stop-sending',
        message: `stop sending ${label(c)} (certificate ${position} of the ${analysis.certificates.length} sent): ${analysis.verdict.profile} builds its chain through it, and path ${analysis.paths.indexOf(cleanPaths[0]!) + 1} (valid by the RFC 5280 checks, with no warning) does not need it`,
        certificate: certRef(c),
      });
    });
  }
  return out;
}

/** One problem on the path the client tried, as one sentence, with the certificate it is about. */
export interface PathProblem {
  readonly text: string;
  readonly certificateId?: string;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Every problem on the path the chosen profile tried, not only the first one it reported: each certificate outside
 * its validity at the check date, the window in which the whole path is valid (or that there is none), and every
 * error the RFC 5280 checks found on it when it reached an anchor. Empty for a passing verdict. `loaded` is every
 * certificate the user gave, to find the tried path's certificates when the analysis trimmed them.
 */
export function pathProblems(analysis: ChainAnalysis, loaded: readonly CertView[] = []): PathProblem[] {
  if (analysis.verdict.valid || !analysis.leaf) return [];
  const byId = new Map<string, CertView>();
  for (const c of [...loaded, ...analysis.certificates, ...analysis.anchors]) byId.set(c.id, c);
  const tried = (analysis.verdict.path ?? [analysis.leaf.id]).flatMap((id) => {
    const c = byId.get(id);
    return c ? [c] : [];
  });
  if (tried.length === 0) return [];
  const time = Date.parse(analysis.time);
  const out: PathProblem[] = [];
  const dated = new Set<string>();
  for (const c of tried) {
    if (time < c.validity.notBeforeMs || time > c.validity.notAfterMs) {
      dated.add(c.id);
      out.push({
        text: `${label(c)} is valid from ${day(c.validity.notBefore)} to ${day(c.validity.notAfter)}; the check date ${day(analysis.time)} is ${time < c.validity.notBeforeMs ? 'before' : 'after'} that.`,
        certificateId: c.id,
      });
    }
  }
  const from = Math.max(...tried.map((c) => c.validity.notBeforeMs));
  const to = Math.min(...tried.map((c) => c.validity.notAfterMs));
  if (from > to)
    out.push({ text: 'No single date is inside the validity of every certificate on this path.' });
  else if (time < from || time > to)
    out.push({
      text: `Every certificate on this path is valid from ${day(new Date(from).toISOString())} to ${day(new Date(to).toISOString())}.`,
    });
  const analysed = analysis.paths.find(
    (p) => p.certificates.length === tried.length && p.certificates.every((id, i) => id === tried[i]!.id),
  );
  for (const r of analysed?.reasons ?? []) {
    if (r.severity === 'warning') continue;
    if (TIME_CODES.has(r.code) && dated.has(r.certificate.id)) continue;
    out.push({ text: r.message, certificateId: r.certificate.id });
  }
  return out;
}

/** One line of the Chain Lab's verdict card: what would make the chain pass, then a problem on the path tried. */
export interface VerdictAdvice {
  readonly text: string;
  readonly certificateId?: string;
}

/**
 * For a failing verdict, whatWouldPass's remedies followed by pathProblems' list, each fact once: the tried path's
 * validity window is stated by pathProblems, so whatWouldPass's window for that same path is left out.
 */
export function verdictAdvice(analysis: ChainAnalysis, pool: readonly PoolEntry[] = []): VerdictAdvice[] {
  if (analysis.verdict.valid) return [];
  const tried = analysis.verdict.path;
  const triedIndex = tried
    ? analysis.paths.findIndex(
        (p) => p.certificates.length === tried.length && p.certificates.every((id, i) => id === tried[i]),
      )
    : -1;
  const fixes = whatWouldPass(analysis, pool)
    .filter((r) => !(r.kind === 'validity-window' && r.path === triedIndex))
    .map((r) => ({ text: r.message, ...(r.certificate ? { certificateId: r.certificate.id } : {}) }));
  return [
    ...fixes,
    ...pathProblems(
      analysis,
      pool.map((e) => e.certificate),
    ),
  ];
}
