/**
 * The `rfc5280` profile: any valid path wins. Every path to an anchor is enumerated (build-paths.ts) and
 * validated (validate.ts); the verdict is the first valid one in enumeration order (anchors first, key
 * identifiers matching first, then the order the peer sent), else the most promising invalid path's first error.
 */
import type { AnalyzedPath } from '../analyze-types.ts';
import type { ProfileVerdict } from './types.ts';

export function rfc5280(
  paths: readonly AnalyzedPath[],
  noPath: { code: string; message: string } | null,
): ProfileVerdict {
  const trace: string[] = [`enumerated ${paths.length} path(s) to a trust anchor`];
  const valid = paths.find((p) => p.valid);
  if (valid) {
    trace.push(`first valid path: ${valid.display}`);
    return { profile: 'rfc5280', valid: true, path: valid.certificates, trace };
  }
  const ranked = [...paths].sort((a, b) => errors(a) - errors(b));
  const best = ranked[0];
  const first = best?.reasons.find((r) => r.severity !== 'warning');
  if (best && first) {
    trace.push(`no valid path; closest: ${best.display} (${errors(best)} problem(s))`);
    return {
      profile: 'rfc5280',
      valid: false,
      path: best.certificates,
      error: { code: first.code, message: first.message, depth: first.depth, certificate: first.certificate },
      trace,
    };
  }
  const e = noPath ?? { code: 'unknown-issuer', message: 'no path to a trust anchor' };
  trace.push(e.message);
  return { profile: 'rfc5280', valid: false, error: e, trace };
}

function errors(p: AnalyzedPath): number {
  return p.reasons.filter((r) => r.severity !== 'warning').length;
}
