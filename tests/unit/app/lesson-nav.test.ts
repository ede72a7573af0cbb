/**
 * A lesson step's "Open this state in the full lab" link is the state on show: the lesson's query as it stands
 * (what the learner changed in the embedded lab included), without the lesson's presenter, notes and embed flags;
 * and which key presses move a lesson, as a keyboard user and as a presentation clicker in presenter mode.
 */
import { describe, expect, it } from 'vitest';
import { labHash, stepDelta } from '../../../src/app/views/lessons/nav.ts';

describe('labHash', () => {
  it('keeps the current lab state and drops the mode flags', () => {
    const current = new URLSearchParams(
      'sample=azure-cross-sign&trust=custom&ticked=cb3ccbb7&present=1&notes=1&embed=1',
    );
    expect(labHash('chain', current)).toBe('#/chain?sample=azure-cross-sign&trust=custom&ticked=cb3ccbb7');
    expect(current.get('present')).toBe('1'); // the lesson's own query is left as it is
    expect(labHash('handshake', new URLSearchParams())).toBe('#/handshake');
  });
});

describe('stepDelta: the keys that move a lesson', () => {
  /**
   * A key press on an element: `inside` are the elements it is within (a tag, `input[type=...]`, or `.class`), each
   * matched against a selector list as the browser would for these simple forms (`input:not([type="radio"], ...)`
   * included); `keyboard` whether the keyboard focused it.
   */
  const matches = (element: string, selector: string): boolean => {
    const [, tag = '', type] = /^([a-z]+)?(?:\[type=(\w+)\])?$/.exec(element) ?? [];
    if (element.startsWith('.')) return selector === element;
    const not = /^input:not\((.*)\)$/.exec(selector);
    if (not) return tag === 'input' && !not[1]!.includes(`[type="${type ?? 'text'}"]`);
    return selector === tag;
  };
  const press = (key: string, inside: string[] = [], keyboard = false, shiftKey = false) => {
    const target = {
      closest: (selector: string) =>
        selector
          .split(/,(?![^(]*\))/)
          .map((s) => s.trim())
          .some((s) => inside.some((e) => matches(e, s)))
          ? {}
          : null,
    };
    const event = { key, target, shiftKey, altKey: false, ctrlKey: false, metaKey: false };
    return { event: event as unknown as KeyboardEvent, focusByPointer: !keyboard };
  };
  const delta = (p: ReturnType<typeof press>, o: { clicker: boolean }) =>
    stepDelta(p.event, { ...o, focusByPointer: p.focusByPointer });
  const RADIO = ['input[type=radio]'];
  const LAB = ['.lesson-lab', 'select'];

  it('outside presenter mode: arrows and pages move, form controls and the lab keep their keys (pages too), space does not move', () => {
    const normal = { clicker: false };
    expect([press('ArrowRight'), press('PageUp'), press(' ')].map((e) => delta(e, normal))).toEqual([
      1, -1, 0,
    ]);
    expect(delta(press('ArrowRight', RADIO, true), normal)).toBe(0);
    expect(delta(press('PageDown', RADIO, true), normal)).toBe(0);
    // Inside an embedded lab with steps of its own its keys are the lab's, Page Down included (as the Handshake
    // Lab's intro says); inside another lab the arrows are left to it and the pages move the lesson.
    const ownKeys = ['.lesson-lab', '.lesson-lab.own-keys'];
    expect(delta(press('ArrowRight', ownKeys, true), normal)).toBe(0);
    expect(delta(press('PageDown', ownKeys, true), normal)).toBe(0);
    expect(delta(press('ArrowRight', ['.lesson-lab'], true), normal)).toBe(0);
    expect(delta(press('PageDown', ['.lesson-lab'], true), normal)).toBe(1);
  });

  it('a clicker in presenter mode: pages always move; arrows and space move unless a keyboard user is on a control', () => {
    const clicker = { clicker: true };
    // A choice, a lab select, the notes button merely clicked: the clicker moves the lesson, never the control.
    for (const inside of [RADIO, LAB, ['button']]) {
      expect(['PageDown', 'ArrowRight', ' '].map((k) => delta(press(k, inside), clicker))).toEqual([1, 1, 1]);
      expect(delta(press(' ', inside, false, true), clicker)).toBe(-1);
    }
    // Reached by the keyboard: arrows and space are the control's; Page Up / Page Down still the lesson's.
    for (const inside of [RADIO, LAB, ['button']]) {
      expect(['PageUp', 'ArrowLeft', ' '].map((k) => delta(press(k, inside, true), clicker))).toEqual([
        -1, 0, 0,
      ]);
    }
    // Typing text: arrows and space move the caret, clicked or not (a text field, a textarea, a lab's host field).
    for (const text of [['textarea'], ['input[type=text]'], ['input'], ['.lesson-lab', 'input[type=search]']])
      expect(
        ['ArrowRight', ' ', 'PageDown'].map((k) => delta(press(k, text), clicker)),
        text.join(),
      ).toEqual([0, 0, 1]);
    // A checkbox clicked is not a text field: the clicker moves the lesson.
    expect(delta(press('ArrowRight', ['input[type=checkbox]']), clicker)).toBe(1);
  });
});
