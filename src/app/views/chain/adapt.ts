import { clientErrorText, type CertView, type ChainAnalysis } from '../../../lib/pki/index';
import { type ChainVM } from '../../model/chain/view-model';
import { distinctLabels, labelFacts } from '../../lib/chain-labels';

/** The engine's ChainAnalysis as the Chain Lab draws it. */
export function adaptAnalysis(analysis: ChainAnalysis): ChainVM {
  const certificates = new Map<string, CertView>();
  for (const c of [...analysis.certificates, ...analysis.anchors]) certificates.set(c.id, c);
  const labels = distinctLabels([...certificates.values()].map(labelFacts));
  const paths = analysis.paths.map((p, index) => ({
    index,
    certificateIds: p.certificates,
    valid: p.valid,
    status: p.status,
    reasons: p.reasons.map((r) => ({
      code: r.code,
      message: r.message,
      rule: r.rule,
      severity: r.severity,
      certificateId: r.certificate.id,
    })),
  }));
  const chosen = analysis.verdict.path;
  const error = analysis.verdict.error;
  const pathIndex = chosen
    ? paths.findIndex(
        (p) =>
          p.certificateIds.length === chosen.length && p.certificateIds.every((id, i) => id === chosen[i]),
      )
    : -1;
  return {
    certificates,
    labels,
    paths,
    truncated: analysis.truncated,
    ...(analysis.truncation ? { truncation: analysis.truncation } : {}),
    deadEndReasons: [...new Set(analysis.deadEnds.map((d) => d.why))],
    verdict: {
      valid: analysis.verdict.valid,
      ...(pathIndex >= 0 ? { pathIndex } : {}),
      tried: chosen ?? [],
      ...(error
        ? {
            error: {
              code: error.code,
              message: error.message,
              line: clientErrorText(analysis.verdict.profile, error) ?? error.message,
              ...(error.certificate ? { certificateId: error.certificate.id } : {}),
              ...(error.notChecked ? { notChecked: true as const } : {}),
            },
          }
        : {}),
      trace: analysis.verdict.trace,
    },
    nodes: analysis.graph.nodes.map((n) => ({
      id: n.id,
      label: labels.get(n.id)?.name || n.subject,
      detail: labels.get(n.id)?.detail ?? '',
      trusted: n.trusted,
      served: n.servedIndex !== undefined,
      identity: n.identity,
    })),
    edges: analysis.graph.edges
      .filter((e) => e.signature !== 'unchecked')
      .map((e) => ({
        child: e.child,
        issuer: e.issuer,
        valid: e.signature === 'valid',
        unsupported: e.signature === 'unsupported',
        ...(e.reason ? { reason: e.reason } : {}),
      })),
  };
}
