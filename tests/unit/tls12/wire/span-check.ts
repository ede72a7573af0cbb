/** Checks the annotation-span contract: children tile their parent exactly, roots tile [0, length). */
import type { Span } from '../../../../src/lib/bytes/index.ts';

/** Returns a list of problems (empty when the tree is exact). */
export function spanProblems(spans: readonly Span[], start: number, end: number, where = 'root'): string[] {
  const problems: string[] = [];
  let at = start;
  for (const s of spans) {
    if (s.end <= s.start) problems.push(`${s.id} [${s.start},${s.end}) is empty`);
    if (s.start !== at)
      problems.push(`${s.id} starts at ${s.start}, expected ${at} (gap or overlap in ${where})`);
    if (s.children !== undefined) {
      if (s.children.length === 0) problems.push(`${s.id} has an empty children array`);
      problems.push(...spanProblems(s.children, s.start, s.end, s.id));
    }
    at = s.end;
  }
  if (at !== end) problems.push(`${where} ends at ${at}, expected ${end}`);
  return problems;
}
