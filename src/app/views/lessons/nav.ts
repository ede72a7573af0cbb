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

/**
 * The step a key press moves by: +1, -1 or 0 (not a navigation key). Arrows and Page Up / Page Down move
 * between steps; with `space` (presenter mode and the notes window: what a presentation clicker sends) the
 * space bar does too, Shift+Space backwards. Keys typed in form controls belong to them; arrows and space
 * pressed inside the embedded lab (`.lesson-lab`) belong to the lab; space on a button or link presses it.
 */
export function stepDelta(event: KeyboardEvent, options: { space: boolean }): number {
  if (event.altKey || event.ctrlKey || event.metaKey) return 0;
  const target = event.target as HTMLElement | null;
  if (target?.closest?.('input, select, textarea, [contenteditable="true"]')) return 0;
  const inLab = Boolean(target?.closest?.('.lesson-lab'));
  if (event.key === 'PageDown') return 1;
  if (event.key === 'PageUp') return -1;
  if (inLab) return 0;
  if (event.key === 'ArrowRight') return 1;
  if (event.key === 'ArrowLeft') return -1;
  if (options.space && event.key === ' ' && !target?.closest?.('button, a')) return event.shiftKey ? -1 : 1;
  return 0;
}

/**
 * The full lab's address for the state a lesson step shows now: the lesson's query as it stands (the step's state
 * with whatever the learner changed in the embedded lab), without the lesson's mode flags.
 */
export function labHash(lab: string, current: URLSearchParams): string {
  const params = new URLSearchParams(current);
  for (const flag of FLAGS) params.delete(flag);
  return formatHash([lab], params);
}
