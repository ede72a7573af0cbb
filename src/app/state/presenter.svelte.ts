/**
 * Presenter mode: the presenting window and its speaker-notes window keep in step over a BroadcastChannel.
 * Each side posts where it is; the other follows. Messages are validated: anything else on the channel is ignored.
 */

export const PRESENTER_CHANNEL = 'tls-lab-presenter';

/** The speaker-notes window's size, in CSS pixels: large enough for the longest step's notes, its exercise's
 * answer and the Next button without scrolling (tests/e2e/everywhere.test.ts checks every step at this size). */
export const NOTES_WINDOW = { width: 960, height: 840 } as const;

export interface PresenterPosition {
  readonly type: 'tls-lab:step';
  readonly lesson: string;
  readonly step: string;
}

export function isPosition(data: unknown): data is PresenterPosition {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return d.type === 'tls-lab:step' && typeof d.lesson === 'string' && typeof d.step === 'string';
}

/**
 * The last position sent or received in this window, shared by every PresenterSync in it: a view that mounts
 * because a position arrived (a new lesson step) must not announce that position back, or a stale echo could
 * pull the other window back after it has moved on.
 */
let last = '';

export class PresenterSync {
  #channel: BroadcastChannel | null = null;

  constructor(onPosition: (p: PresenterPosition) => void) {
    if (typeof BroadcastChannel === 'undefined') return;
    this.#channel = new BroadcastChannel(PRESENTER_CHANNEL);
    this.#channel.onmessage = (e: MessageEvent) => {
      if (!isPosition(e.data)) return;
      last = `${e.data.lesson}/${e.data.step}`;
      onPosition(e.data);
    };
  }

  /** Announce the current step (not echoed back when it is the one just received). */
  announce(lesson: string, step: string): void {
    const key = `${lesson}/${step}`;
    if (key === last) return;
    last = key;
    this.#channel?.postMessage({ type: 'tls-lab:step', lesson, step } satisfies PresenterPosition);
  }

  close(): void {
    this.#channel?.close();
    this.#channel = null;
  }
}
