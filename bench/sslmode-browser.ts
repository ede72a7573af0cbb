/**
 * sslmode Lab responsiveness in Debian Chromium (playwright-core): the sslmode × driver matrix (36 connections
 * explained by the engine) computed in the lab's worker, against the same computation (`matrixCells`, the code the
 * worker runs) on the main thread of a bare page built here from the same source. From the click that asks for
 * the matrix until its 36 cells are in the DOM, plus half a second, every main-thread task is recorded from a
 * Chrome trace; the result is the longest one (median over runs), ours against the peer's, and how long the grid
 * took to appear on each side (ours includes starting the worker, as a user's first matrix does).
 * Ratios, never assertions. SSLMODE_BENCH_RUNS=n changes the number of runs (5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWatchedPage } from '../tests/kit/programs/browser.ts';
import { serveStatic } from '../tests/kit/programs/static-server.ts';
import type { BenchResult } from './run.ts';
import { medianOf } from './_median.ts';
import {
  buildBarePage,
  ensureBuilt,
  longestTask,
  longestTaskRow,
  ROOT,
  round,
  trace,
} from './_browser-trace.ts';

const RUNS = Number(process.env.SSLMODE_BENCH_RUNS ?? 5);
const SETTLE_MS = 500;

/** The peer page: a button whose click computes the matrix on the main thread and draws one cell per outcome. */
async function buildPeer(dir: string): Promise<string> {
  return buildBarePage(
    dir,
    `<button type="button">Every sslmode × driver</button><table class="matrix"><tbody></tbody></table>`,
    `import { matrixCells } from ${JSON.stringify(join(ROOT, 'src/app/model/sslmode/matrix.ts'))};
import { sslmodeControls } from ${JSON.stringify(join(ROOT, 'src/app/model/sslmode/scenario.ts'))};
document.querySelector('button')!.addEventListener('click', async () => {
  const cells = await matrixCells(sslmodeControls({ root: 'root-a', view: 'matrix' }));
  const row = document.createElement('tr');
  for (const c of cells) row.append(Object.assign(document.createElement('td'), { textContent: c.sslmode }));
  document.querySelector('tbody')!.append(row);
});
(window as unknown as { peerReady: boolean }).peerReady = true;
`,
  );
}

interface RunMeasure {
  /** From the click to the 36th cell in the DOM. */
  readonly gridMs: number;
  readonly maxTaskMs: number;
  readonly maxTaskCpuMs: number;
}

/** Click, then wait (in the page, without polling from the harness) for 36 cells. */
async function measure(
  browser: Browser,
  url: string,
  ready: (page: Page) => Promise<unknown>,
): Promise<RunMeasure> {
  const { page, context, errors } = await openWatchedPage(browser, url);
  try {
    await page.goto(url);
    await ready(page);
    const button = page.getByRole('button', { name: 'Every sslmode × driver' });
    await button.waitFor();
    await page.evaluate(`(() => {
      let resolve;
      const m = { click: 0, shown: 0, done: new Promise((r) => ((resolve = r), setTimeout(r, 60000))) };
      window.__bench = m;
      document.addEventListener('click', (e) => { if (!m.click) m.click = e.timeStamp; }, true);
      new MutationObserver(() => {
        if (!m.shown && document.querySelectorAll('.matrix tbody td').length === 36)
          (m.shown = performance.now()), resolve();
      }).observe(document.body, { subtree: true, childList: true });
    })()`);
    const cdp = await context.newCDPSession(page);
    const { value, events } = await trace(cdp, async () => {
      await button.click();
      await page.evaluate('window.__bench.done');
      await page.waitForTimeout(SETTLE_MS);
      return page.evaluate('({ click: window.__bench.click, shown: window.__bench.shown })') as Promise<{
        click: number;
        shown: number;
      }>;
    });
    if (!value.shown) throw new Error('sslmode-browser: the matrix did not show within 60 s');
    if (errors.length > 0) throw new Error(`sslmode-browser: the page reported errors: ${errors.join('; ')}`);
    return { gridMs: value.shown - value.click, ...longestTask(events) };
  } finally {
    await context.close();
  }
}

export default {
  name: 'sslmode-browser',
  peer: 'matrixCells (the same 36 connections) on the main thread of a bare page, same Chromium',
  async run(): Promise<BenchResult[]> {
    const dist = ensureBuilt('sslmode-browser');
    const loadBefore = loadavg()[0] as number;
    const tmp = mkdtempSync(join(tmpdir(), 'tls-lab-sslmode-browser-'));
    const peerDist = await buildPeer(tmp);
    const app = await serveStatic(dist);
    const peerServer = await serveStatic(peerDist);
    const browser = await launchBrowser();
    const ours: RunMeasure[] = [];
    const peer: RunMeasure[] = [];
    try {
      // Interleaved, so that a busy moment on the machine falls on both sides alike.
      for (let i = 0; i < RUNS; i++) {
        ours.push(
          await measure(browser, `${app.url}#/sslmode?root=root-a`, (page) =>
            page.locator('.outcome h2').first().waitFor({ timeout: 60_000 }),
          ),
        );
        peer.push(
          await measure(browser, peerServer.url, (page) =>
            page.waitForFunction(() => (window as unknown as { peerReady?: boolean }).peerReady === true),
          ),
        );
      }
    } finally {
      await browser.close();
      await app.close();
      await peerServer.close();
      rmSync(tmp, { recursive: true, force: true });
    }
    const common = { runs: RUNS, load_average_1min: [loadBefore, loadavg()[0] as number].map(round) };
    return [
      longestTaskRow(
        'sslmode-browser: longest main-thread task while the matrix is computed',
        ours,
        peer,
        common,
      ),
      {
        name: 'sslmode-browser: click to the whole grid (ours starts the worker)',
        ours_ms: round(medianOf(ours.map((r) => r.gridMs))),
        peer_ms: round(medianOf(peer.map((r) => r.gridMs))),
        ratio: medianOf(ours.map((r) => r.gridMs)) / medianOf(peer.map((r) => r.gridMs)),
        ...common,
      },
    ];
  },
};
