/**
 * Embed mode (`?embed=1` on any route): the shell hides its chrome and reports the content's height to the
 * parent page, on load and whenever it changes, so the iframe can be sized to fit:
 *   parent.postMessage({ type: 'tls-lab:height', height }, '*')
 * The message carries nothing but a number, so any origin may receive it.
 */

export interface HeightMessage {
  readonly type: 'tls-lab:height';
  readonly height: number;
}

export function isEmbedded(params: URLSearchParams): boolean {
  return params.get('embed') === '1';
}

/** Start reporting the height of `content` to the parent window; returns a stop function. */
export function reportHeight(win: Window, content: Element): () => void {
  if (win.parent === win) return () => {};
  let last = -1;
  const post = () => {
    const height = Math.ceil(content.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    win.parent.postMessage({ type: 'tls-lab:height', height } satisfies HeightMessage, '*');
  };
  post();
  const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(post);
  observer?.observe(content);
  win.addEventListener('load', post);
  return () => {
    observer?.disconnect();
    win.removeEventListener('load', post);
  };
}
