import type { Component } from 'svelte';
import { labs, type LabId } from '../content/site';

/**
 * Every top-level view. Lab views are loaded lazily so the first page stays small (the certificate
 * libraries arrive only with the labs that need them).
 */
export interface RouteDef {
  readonly id: 'home' | LabId;
  readonly title: string;
  /** Views take the props they need; the shell passes `lab` (the lab's description) to every view. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- views differ in props; App passes only `lab`.
  readonly load: () => Promise<{ default: Component<any> }>;
}

const views: Record<LabId, RouteDef['load']> = {
  chain: () => import('./views/chain/ChainLab.svelte'),
  handshake: () => import('./views/handshake/HandshakeLab.svelte'),
  sslmode: () => import('./views/sslmode/SslmodeLab.svelte'),
  lessons: () => import('./views/lessons/Lessons.svelte'),
};

export const routes: readonly RouteDef[] = [
  { id: 'home', title: 'TLS Lab', load: () => import('./views/Home.svelte') },
  ...labs.map((lab) => ({ id: lab.id, title: `${lab.title} · TLS Lab`, load: views[lab.id] })),
];

export function findRoute(path: readonly string[]): RouteDef | undefined {
  const id = path[0] ?? 'home';
  return routes.find((r) => r.id === id);
}
