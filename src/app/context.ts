import { getContext, setContext } from 'svelte';
import type { Router } from './state/router.svelte';
import type { Theme } from './state/theme.svelte';

export interface AppContext {
  readonly router: Router;
  readonly theme: Theme;
}

const KEY = Symbol('tls-lab.app');

export function setAppContext(context: AppContext): void {
  setContext(KEY, context);
}

export function getAppContext(): AppContext {
  const context = getContext<AppContext | undefined>(KEY);
  if (!context) throw new Error('getAppContext() was called outside <App>: the router and theme are missing');
  return context;
}
