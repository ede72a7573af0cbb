import { TEXT_ENTRY } from '../lessons/nav';

/** What a key does in the Handshake Lab. */
export type LabKeyAction = 'next' | 'previous' | 'first' | 'last' | 'play';

const ACTIONS: Record<string, LabKeyAction> = {
  ArrowRight: 'next',
  PageDown: 'next', // what a presentation clicker sends
  ArrowLeft: 'previous',
  PageUp: 'previous',
  Home: 'first',
  End: 'last',
  ' ': 'play',
};

/** Controls with keys of their own that a keyboard user needs (a select's arrows, the field tree's Home and End). */
const OWN_KEYS = 'input, select, [role="tree"], .byte-view';

/**
 * The lab's action for a key press, or undefined when the key is not the lab's:
 * - with Alt, Ctrl or Meta (the browser's Back and Forward, shortcuts), or one a control already handled;
 * - typed where text is entered;
 * - in a lesson that embeds the lab, pressed on the lesson around it (its heading, its answers);
 * - Page Up and Page Down, a clicker's keys, always step otherwise: a press never changes a setting;
 * - Space on a button or link presses it;
 * - arrows, Home, End and Space on a control with keys of its own are the control's when the keyboard brought the
 *   focus there, and the lab's when it was merely clicked (`focusByPointer`, from trackFocusOrigin), as in the
 *   lessons' presenter mode.
 */
export function labKeyAction(
  event: KeyboardEvent,
  options: { focusByPointer: boolean; root: Element | undefined },
): LabKeyAction | undefined {
  if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return undefined;
  const action = ACTIONS[event.key];
  if (!action) return undefined;
  const target = event.target instanceof Element ? event.target : null;
  const within = (selector: string) => Boolean(target?.closest(selector));
  if (within(TEXT_ENTRY)) return undefined;
  const { root } = options;
  if (
    root?.closest('.lesson-lab') &&
    target &&
    target !== target.ownerDocument.body &&
    !root.contains(target)
  )
    return undefined;
  if (event.key === 'PageDown' || event.key === 'PageUp') return action;
  if (action === 'play' && within('button, a, summary')) return undefined;
  if (within(OWN_KEYS) && !options.focusByPointer) return undefined;
  return action;
}
