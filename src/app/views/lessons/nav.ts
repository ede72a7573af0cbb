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

/** Where a key press is typing text: its arrows and space move the caret or type, never the lesson. */
export const TEXT_ENTRY =
  'textarea, [contenteditable="true"], input:not([type="radio"], [type="checkbox"], [type="button"], [type="submit"], [type="reset"], [type="range"], [type="color"], [type="file"])';

/**
 * The step a key press moves by: +1, -1 or 0 (not a navigation key). Arrows and Page Up / Page Down move between
 * steps. Keys typed in form controls belong to them; the keys pressed inside an embedded lab with steps of its own
 * (`.lesson-lab.own-keys`, which a click inside it focuses) belong to that lab, and the arrows and space inside any
 * other embedded lab too; space on a button or link presses it.
 *
 * With `clicker` (presenter mode and the notes window) the keys are a presentation clicker's too: Page Up / Page Down
 * always move the lesson (a press must never change an answer or a lab setting), and so do the arrows and space
 * (Shift+Space backwards) unless the focus is where text is typed, or on a control reached by the keyboard, whose own
 * keys a keyboard user needs. A choice, select, button or lab control merely clicked (`focusByPointer`, from
 * `trackFocusOrigin`) keeps no claim on them. (Chromium's `:focus-visible` cannot tell: a key press makes a clicked
 * control match it.)
 */
export function stepDelta(
  event: KeyboardEvent,
  options: { clicker: boolean; focusByPointer?: boolean },
): number {
  if (event.altKey || event.ctrlKey || event.metaKey) return 0;
  const target = event.target as HTMLElement | null;
  const within = (selector: string) => Boolean(target?.closest?.(selector));
  const key = event.key;
  const move =
    key === 'PageDown' || key === 'ArrowRight'
      ? 1
      : key === 'PageUp' || key === 'ArrowLeft'
        ? -1
        : options.clicker && key === ' '
          ? event.shiftKey
            ? -1
            : 1
          : 0;
  if (move === 0) return 0;
  const page = key === 'PageDown' || key === 'PageUp';
  if (options.clicker) {
    if (page) return move;
    if (within(TEXT_ENTRY)) return 0;
    const claimed = within('input, select, [contenteditable="true"], .lesson-lab, button, a');
    return claimed && !options.focusByPointer ? 0 : move;
  }
  if (within('input, select, textarea, [contenteditable="true"]')) return 0;
  if (within('.lesson-lab.own-keys')) return 0;
  if (page) return move;
  if (within('.lesson-lab')) return 0;
  return key === ' ' && within('button, a') ? 0 : move;
}

/**
 * Whether the element that has the focus got it from the pointer (a click or a tap) rather than the keyboard: set on
 * each `focusin` from the last of pointerdown (pointer) and Tab (keyboard). Returns the reader and a stop function.
 */
export function trackFocusOrigin(win: Window): { byPointer: () => boolean; stop: () => void } {
  let pointer = false;
  let focusedByPointer = false;
  const down = (e: PointerEvent) => {
    pointer = true;
    // A click on the control that already has the focus (reached by Tab first) moves no focus: it is clicked now.
    const focused = win.document.activeElement;
    if (focused && focused.contains(e.target as Node | null)) focusedByPointer = true;
  };
  const key = (e: KeyboardEvent) => {
    if (e.key === 'Tab') pointer = false;
  };
  const focus = () => (focusedByPointer = pointer);
  win.addEventListener('pointerdown', down, { capture: true });
  win.addEventListener('keydown', key, { capture: true });
  win.addEventListener('focusin', focus, { capture: true });
  return {
    byPointer: () => focusedByPointer,
    stop: () => {
      win.removeEventListener('pointerdown', down, { capture: true });
      win.removeEventListener('keydown', key, { capture: true });
      win.removeEventListener('focusin', focus, { capture: true });
    },
  };
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
