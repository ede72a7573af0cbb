/**
 * What would make a failing verdict pass, and every problem on the path the client tried, not only the first
 * one it reported: the anchor to add, the missing intermediate (and which loaded certificate has its name), the
 * dates the path is valid between, and each check the path fails. Pure: reads a ChainAnalysis and the
 * certificates the user loaded; the page and the CLI phrase nothing themselves.
 */
import type { ChainAnalysis } from './paths/analyze-types.ts';
import { label } from './paths/reasons.ts';
import type { CertView } from './types.ts';

export type RemedyKind =
  'add-anchor' | 'missing-intermediate' | 'use-loaded' | 'validity' | 'no-common-dates' | 'problem';

export interface Remedy {
  readonly kind: RemedyKind;
  /** One sentence a person can act on. */
  readonly text: string;
  /** The certificate it is about (on the path, or a loaded one that could serve). */
  readonly certificateId?: string;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * For a failing verdict, what to change (first) and every problem on the path the profile tried (after). A
 * passing verdict gets nothing. `loaded` is every certificate the user gave (chain and trust files), to find
 * one whose name is the missing issuer's.
 */
export function remedies(analysis: ChainAnalysis, loaded: readonly CertView[] = []): Remedy[] {
  if (analysis.verdict.valid || !analysis.leaf) return [];
  const byId = new Map<string, CertView>();
  for (const c of [...loaded, ...analysis.certificates, ...analysis.anchors]) byId.set(c.id, c);
  const tried = (analysis.verdict.path ?? [analysis.leaf.id]).flatMap((id) => {
    const c = byId.get(id);
    return c ? [c] : [];
  });
  if (tried.length === 0) return [];
  const anchorIds = new Set(analysis.anchors.map((a) => a.id));
  const time = Date.parse(analysis.time);
  const out: Remedy[] = [];

  const top = tried[tried.length - 1]!;
  if (!anchorIds.has(top.id)) {
    if (top.selfIssued) {
      out.push({
        kind: 'add-anchor',
        text: `Trust ${label(top)}: add it to the trust store (it is a root the client does not trust).`,
        certificateId: top.id,
      });
    } else {
      const issuer = top.issuer.rfc4514;
      const sameName = [...byId.values()].filter(
        (c) => c.subject.key === top.issuer.key && !tried.some((t) => t.id === c.id),
      );
      out.push({
        kind: 'missing-intermediate',
        text: `The issuer of ${label(top)}, ${issuer}, is missing: add it to the trust store if it is a root, or have the server send it if it is an intermediate.`,
        certificateId: top.id,
      });
      for (const c of sameName)
        out.push({
          kind: 'use-loaded',
          text: `${label(c)} (issued by ${c.issuer.rfc4514}, valid ${day(c.validity.notBefore)} to ${day(c.validity.notAfter)}) has that name and could serve${anchorIds.has(c.id) ? '' : c.selfIssued ? ' as a trust anchor' : ' as the missing intermediate'}.`,
          certificateId: c.id,
        });
    }
  }

  // Dates: each certificate outside its validity, and the window in which the whole path is valid.
  for (const c of tried) {
    if (time < c.validity.notBeforeMs || time > c.validity.notAfterMs)
      out.push({
        kind: 'validity',
        text: `${label(c)} is valid from ${day(c.validity.notBefore)} to ${day(c.validity.notAfter)}; the check date ${day(analysis.time)} is ${time < c.validity.notBeforeMs ? 'before' : 'after'} that.`,
        certificateId: c.id,
      });
  }
  const from = Math.max(...tried.map((c) => c.validity.notBeforeMs));
  const to = Math.min(...tried.map((c) => c.validity.notAfterMs));
  if (from <= to) {
    if (time < from || time > to)
      out.push({
        kind: 'validity',
        text: `Every certificate on this path is valid from ${day(new Date(from).toISOString())} to ${day(new Date(to).toISOString())}.`,
      });
  } else {
    out.push({
      kind: 'no-common-dates',
      text: 'No single date is inside the validity of every certificate on this path.',
    });
  }

  // Every problem the checks found on this path (when it reached an anchor and was validated), each once.
  const analysed = analysis.paths.find(
    (p) => p.certificates.length === tried.length && p.certificates.every((id, i) => id === tried[i]!.id),
  );
  const said = new Set(out.map((r) => `${r.kind === 'validity' ? 'date' : r.kind}:${r.certificateId ?? ''}`));
  for (const r of analysed?.reasons ?? []) {
    if (r.severity === 'warning') continue;
    if ((r.code === 'expired' || r.code === 'not-yet-valid') && said.has(`date:${r.certificate.id}`))
      continue;
    out.push({ kind: 'problem', text: r.message, certificateId: r.certificate.id });
  }
  return out;
}
