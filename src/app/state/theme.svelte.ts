export type ThemePreference = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'tls-lab.theme.v1';

/**
 * Light and dark theme following the system, with a toggle that remembers a choice. Storage is injected
 * so a blocked or corrupted localStorage never breaks the page.
 */
export class Theme {
  preference = $state<ThemePreference>('system');
  #systemDark = $state(false);

  readonly effective = $derived<'light' | 'dark'>(
    this.preference === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.preference,
  );

  constructor(
    private readonly win: Window,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null,
  ) {
    const stored = safeGet(storage);
    if (stored === 'light' || stored === 'dark' || stored === 'system') this.preference = stored;
    const media = win.matchMedia('(prefers-color-scheme: dark)');
    this.#systemDark = media.matches;
    media.addEventListener('change', (e) => {
      this.#systemDark = e.matches;
    });
  }

  /** Cycle system → light → dark → system. */
  cycle(): void {
    const next: Record<ThemePreference, ThemePreference> = { system: 'light', light: 'dark', dark: 'system' };
    this.set(next[this.preference]);
  }

  set(preference: ThemePreference): void {
    this.preference = preference;
    try {
      this.storage?.setItem(STORAGE_KEY, preference);
    } catch {
      // Storage full or blocked: the choice still holds for this page.
    }
  }

  apply(): void {
    this.win.document.documentElement.dataset.theme = this.effective;
    this.win.document.documentElement.style.colorScheme = this.effective;
  }
}

function safeGet(storage: Pick<Storage, 'getItem'> | null): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
