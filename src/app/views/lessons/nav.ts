import type { Lesson } from '../../../content/lessons/index';
import { formatHash } from '../../url/hash';

/** Mode flags that survive moving between steps (presenter, notes window, embed). */
const FLAGS = ['present', 'notes', 'embed'] as const;

/** The hash of one lesson step: the step's lab state in the query, plus the current mode flags. */
export function stepHash(
  lesson: Lesson,
  index: number,
  current: URLSearchParams,
  extra: Record<string, string> = {},
): string {
  const step = lesson.steps[index];
  const params = new URLSearchParams(step?.state ?? {});
  for (const flag of FLAGS) {
    const v = current.get(flag);
    if (v === '1') params.set(flag, v);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return formatHash(['lessons', lesson.id, step?.id ?? ''], params);
}
