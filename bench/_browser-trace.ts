/**
 * What the browser benchmarks share: dist/ built as the sources are now, and a Chrome trace of the page's main
 * thread cut into its outermost tasks (wall time and thread time), and the peer: a bare page built with Vite.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession } from 'playwright-core';
import { medianOf } from './_median.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time under `path` (files only). */
function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** dist/ as the sources are now: build when it is absent or older than src/, public/, index.html or the config. */
export function ensureBuilt(bench: string): string {
  const dist = join(ROOT, 'dist');
  const built = existsSync(join(dist, 'index.html')) ? statSync(join(dist, 'index.html')).mtimeMs : 0;
  const sources = Math.max(
    ...['src', 'public', 'index.html', 'vite.config.ts'].map((p) => newest(join(ROOT, p))),
  );
  if (built < sources) {
    process.stderr.write(`${bench}: dist/ is absent or older than the sources: vite build …\n`);
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return dist;
}

export interface Task {
  readonly wall: number;
  readonly cpu: number;
}

/** Top-level main-thread slices of the renderer(s) in a trace (outermost), wall and thread time in ms. */
export function mainThreadTasks(events: TraceEvent[]): Task[] {
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  // Outermost slices: scheduler tasks (ThreadControllerImpl::RunTask) but also what runs outside them, such as
  // a microtask checkpoint (BlinkScheduler_PerformMicrotaskCheckpoint) that chains a whole async computation.
  const runs = events
    .filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const top: Task[] = [];
  let end = -Infinity;
  let endThread = '';
  for (const e of runs) {
    const thread = `${e.pid}:${e.tid}`;
    if (thread === endThread && e.ts < end) continue; // nested in the previous top-level task
    top.push({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? 0) / 1000 });
    end = e.ts + (e.dur ?? 0);
    endThread = thread;
  }
  return top;
}

export interface TraceEvent {
  readonly ph: string;
  readonly name: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { name?: string };
}

export async function trace<T>(
  cdp: CDPSession,
  body: () => Promise<T>,
): Promise<{ value: T; events: TraceEvent[] }> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['toplevel', 'devtools.timeline'] },
  });
  const value = await body();
  await cdp.send('Tracing.end');
  await complete;
  return { value, events };
}

/**
 * A bare page built with Vite in `dir`: `body` is its HTML body, `script` its module (TypeScript, which may import
 * the project's sources by absolute path) and must set `window.peerReady`. Returns the built folder.
 */
export async function buildBarePage(dir: string, body: string, script: string): Promise<string> {
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>peer</title></head><body>
${body}
<script type="module" src="./peer.ts"></script></body></html>`,
  );
  writeFileSync(join(dir, 'peer.ts'), script);
  const { build } = await import('vite');
  const out = join(dir, 'out');
  await build({
    configFile: false,
    root: dir,
    base: './',
    logLevel: 'error',
    build: { outDir: out, emptyOutDir: true, target: 'es2022' },
  });
  return out;
}

/** The longest main-thread task of a trace, wall and thread time (ms). */
export interface LongestTask {
  readonly maxTaskMs: number;
  readonly maxTaskCpuMs: number;
}

export function longestTask(events: TraceEvent[]): LongestTask {
  const tasks = mainThreadTasks(events);
  return {
    maxTaskMs: Math.max(0, ...tasks.map((t) => t.wall)),
    maxTaskCpuMs: Math.max(0, ...tasks.map((t) => t.cpu)),
  };
}

export const round = (x: number) => Math.round(x * 10) / 10;

/** A browser bench's main row: the longest main-thread task, ours against the peer (medians), and each run's. */
export function longestTaskRow(
  name: string,
  ours: readonly LongestTask[],
  peer: readonly LongestTask[],
  common: Record<string, unknown>,
): { ours_ms: number; peer_ms: number; ratio: number; [extra: string]: unknown } {
  const o = round(medianOf(ours.map((r) => r.maxTaskMs)));
  const p = round(medianOf(peer.map((r) => r.maxTaskMs)));
  return {
    name,
    ours_ms: o,
    peer_ms: p,
    ratio: o / Math.max(p, 0.1),
    ...common,
    per_run_max_task_ms: ours.map((r) => round(r.maxTaskMs)),
    per_run_max_task_cpu_ms: ours.map((r) => round(r.maxTaskCpuMs)),
    peer_per_run_max_task_ms: peer.map((r) => round(r.maxTaskMs)),
    peer_per_run_max_task_cpu_ms: peer.map((r) => round(r.maxTaskCpuMs)),
  };
}
