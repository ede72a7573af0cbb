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
 * - in a lesson that embeds the lab, pressed on the lesson's own content around it (its heading, its answers), not in
 *   the lab's section (`.lesson-lab`, which a click inside the lab focuses);
 * - arrows, Home, End, Space and the clicker's Page Up and Page Down on a control with keys of its own (a select, a
 *   checkbox, the field tree, the byte view; for Space also a button, link or disclosure) are the control's when the
 *   keyboard brought the focus there, and the lab's when the control was merely clicked (`focusByPointer`, from
 *   trackFocusOrigin), as in the lessons' presenter mode: a clicker's press never changes a setting it clicked;
 * - anywhere else they step (Space plays).
 */
export function labKeyAction(
  event: KeyboardEvent,
  options: { focusByPointer: boolean },
): LabKeyAction | undefined {
  if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return undefined;
  const action = ACTIONS[event.key];
  if (!action) return undefined;
  const target = event.target instanceof Element ? event.target : null;
  const within = (selector: string) => Boolean(target?.closest(selector));
  if (within(TEXT_ENTRY)) return undefined;
  if (within('.lesson-step') && !within('.lesson-lab')) return undefined;
  if (options.focusByPointer) return action;
  if (within(OWN_KEYS)) return undefined;
  return action === 'play' && within('button, a, summary') ? undefined : action;
}
