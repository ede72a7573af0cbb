/**
 * Handshake Lab responsiveness with a large capture, in Debian Chromium (playwright-core): a pcapng of about
 * 100 MB (PCAP_BROWSER_BENCH_MB) built here with our writer, 1,000 copies of the real TLS 1.2 session of
 * fixtures/pcap/tls12-lo.pcap (each on its own client port) around one bulk plain-TCP conversation that makes up
 * the size. Ours: the file chosen in the lab's capture input, read and parsed in the lab's worker, until the
 * connection picker is in the DOM. The peer: the same `openCapture` (the code the worker runs) on the main thread
 * of a bare page built here from the same source, until it writes the count of TLS connections. From choosing
 * the file until the result is shown, plus half a second, every main-thread task is recorded from a Chrome trace;
 * the result is the longest one (median over runs), ours against the peer's. Ratios, never assertions.
 * A third row does the same for one long TLS connection (20,000 records): ours observes it in the worker and draws
 * its first records; the peer only parses the file. PCAP_BROWSER_BENCH_RUNS=n changes the number of runs (3).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWatchedPage } from '../tests/kit/programs/browser.ts';
import { serveStatic } from '../tests/kit/programs/static-server.ts';
import {
  ethernetFrame,
  openCapture,
  synthesizeConversation,
  writeConnectionPcapng,
  writePcapng,
  type PcapngPacket,
  type StreamChunk,
  type TcpConnection,
} from '../src/lib/pcap/index.ts';
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

const RUNS = Number(process.env.PCAP_BROWSER_BENCH_RUNS ?? 3);
const MEGABYTES = Number(process.env.PCAP_BROWSER_BENCH_MB ?? 100);
const TLS_CONNECTIONS = 1000;
const SETTLE_MS = 500;

/** The large capture: TLS_CONNECTIONS copies of a real session, then one bulk conversation up to MEGABYTES. */
function largeCapture(): Uint8Array {
  const session = openCapture(readFileSync(join(ROOT, 'fixtures/pcap/tls12-lo.pcap')))
    .connections[0] as TcpConnection;
  const frames: PcapngPacket[] = [];
  const add = (packets: ReturnType<typeof synthesizeConversation>) => {
    for (const p of packets) frames.push({ time: p.time, frame: ethernetFrame(p, p.fromClient) });
  };
  for (let i = 0; i < TLS_CONNECTIONS; i++) {
    const shift = i * 5;
    add(
      synthesizeConversation({
        client: { address: `10.1.${i >> 8}.${i & 0xff}`, port: 40000 + (i % 20000) },
        server: session.server,
        chunks: session.chunks.map((c) => ({ ...c, time: c.time + shift })),
      }),
    );
  }
  const have = frames.reduce((n, f) => n + f.frame.length + 32, 0);
  const size = 1400;
  const payload = new Uint8Array(size).map((_, i) => 0x41 + (i % 26));
  const chunks: StreamChunk[] = [];
  const start = session.firstTime + TLS_CONNECTIONS * 5;
  for (let i = 0; (i + 1) * (size + 100) < MEGABYTES * 1024 * 1024 - have; i++)
    chunks.push({ from: 'server', bytes: payload, offset: i * size, time: start + i / 100 });
  add(
    synthesizeConversation({
      client: { address: '10.2.0.1', port: 50000 },
      server: { address: '10.2.0.2', port: 8080 },
      chunks,
    }),
  );
  return writePcapng(frames);
}

/**
 * One long TLS connection: the real session's handshake, then BIG_RECORDS server records of 1,000 bytes of opaque
 * application data (about 20 MB). The lab draws its first records only (model/handshake/import.ts
 * MAX_SHOWN_RECORDS); this measures the page while the worker observes all of them.
 */
const BIG_RECORDS = 20_000;

function longConnection(): Uint8Array {
  const session = openCapture(readFileSync(join(ROOT, 'fixtures/pcap/tls12-lo.pcap')))
    .connections[0] as TcpConnection;
  const chunks = session.chunks.slice(0, -2);
  let offset = chunks
    .filter((k) => k.from === 'server')
    .reduce((n, k) => Math.max(n, k.offset + k.bytes.length), 0);
  const record = new Uint8Array(5 + 1000);
  record.set([0x17, 3, 3, 1000 >> 8, 1000 & 0xff]);
  for (let i = 0; i < BIG_RECORDS; i++) {
    chunks.push({ from: 'server', bytes: record, offset, time: session.firstTime + 1 + i / 10 });
    offset += record.length;
  }
  return writeConnectionPcapng({ client: session.client, server: session.server, chunks });
}

/** The peer page: a file input whose change parses the capture on the main thread and writes the count. */
async function buildPeer(dir: string): Promise<string> {
  return buildBarePage(
    dir,
    `<label>Capture <input type="file" id="capture-file"></label><p class="result"></p>`,
    `import { openCapture, tlsConnections } from ${JSON.stringify(join(ROOT, 'src/lib/pcap/index.ts'))};
const input = document.querySelector('input') as HTMLInputElement;
input.addEventListener('change', async () => {
  const file = input.files![0]!;
  const opened = openCapture(new Uint8Array(await file.arrayBuffer()));
  const p = document.querySelector('.result')!;
  p.textContent = tlsConnections(opened).length + ' TLS connections';
  p.classList.add('done');
});
(window as unknown as { peerReady: boolean }).peerReady = true;
`,
  );
}

interface RunMeasure {
  /** From choosing the file to the result in the DOM. */
  readonly shownMs: number;
  readonly maxTaskMs: number;
  readonly maxTaskCpuMs: number;
}

async function measure(
  browser: Browser,
  url: string,
  file: string,
  ready: (page: Page) => Promise<unknown>,
  doneSelector: string,
): Promise<RunMeasure> {
  const { page, context, errors } = await openWatchedPage(browser, url);
  try {
    await page.goto(url);
    await ready(page);
    await page.evaluate(`(() => {
      let resolve;
      const m = { start: performance.now(), shown: 0, done: new Promise((r) => ((resolve = r), setTimeout(r, 300000))) };
      window.__bench = m;
      new MutationObserver(() => {
        if (!m.shown && document.querySelector(${JSON.stringify(doneSelector)}))
          (m.shown = performance.now()), resolve();
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    const cdp = await context.newCDPSession(page);
    const { value, events } = await trace(cdp, async () => {
      await page.evaluate('window.__bench.start = performance.now()');
      await page.locator('#capture-file').setInputFiles(file);
      await page.evaluate('window.__bench.done');
      await page.waitForTimeout(SETTLE_MS);
      return page.evaluate('({ start: window.__bench.start, shown: window.__bench.shown })') as Promise<{
        start: number;
        shown: number;
      }>;
    });
    if (!value.shown) throw new Error(`pcap-browser: ${doneSelector} did not show within 300 s`);
    if (errors.length > 0) throw new Error(`pcap-browser: the page reported errors: ${errors.join('; ')}`);
    return { shownMs: value.shown - value.start, ...longestTask(events) };
  } finally {
    await context.close();
  }
}

export default {
  name: 'pcap-browser',
  peer: 'openCapture (the same file) on the main thread of a bare page, same Chromium',
  async run(): Promise<BenchResult[]> {
    const dist = ensureBuilt('pcap-browser');
    const loadBefore = loadavg()[0] as number;
    const tmp = mkdtempSync(join(tmpdir(), 'tls-lab-pcap-browser-'));
    const file = join(tmp, 'large.pcapng');
    writeFileSync(file, largeCapture());
    const fileMb = round(statSync(file).size / (1024 * 1024));
    const long = join(tmp, 'long.pcapng');
    writeFileSync(long, longConnection());
    const longMb = round(statSync(long).size / (1024 * 1024));
    const peerDist = await buildPeer(tmp);
    const app = await serveStatic(dist);
    const peerServer = await serveStatic(peerDist);
    const browser = await launchBrowser();
    const ours: RunMeasure[] = [];
    const peer: RunMeasure[] = [];
    const oursLong: RunMeasure[] = [];
    const peerLong: RunMeasure[] = [];
    const lab = (path: string, shown: string) => () =>
      measure(
        browser,
        `${app.url}#/handshake`,
        path,
        (page) => page.locator('#outcome-title').waitFor({ timeout: 60_000 }),
        shown,
      );
    const bare = (path: string) => () =>
      measure(
        browser,
        peerServer.url,
        path,
        (page) =>
          page.waitForFunction(() => (window as unknown as { peerReady?: boolean }).peerReady === true),
        '.result.done',
      );
    const plan: [RunMeasure[], () => Promise<RunMeasure>][] = [
      [ours, lab(file, '.picker button')],
      [peer, bare(file)],
      [oursLong, lab(long, '.keylog-report')],
      [peerLong, bare(long)],
    ];
    try {
      // Interleaved, so that a busy moment on the machine falls on both sides alike.
      for (let i = 0; i < RUNS; i++) for (const [into, run] of plan) into.push(await run());
    } finally {
      await browser.close();
      await app.close();
      await peerServer.close();
      rmSync(tmp, { recursive: true, force: true });
    }
    const common = {
      runs: RUNS,
      file_mb: fileMb,
      tls_connections: TLS_CONNECTIONS,
      load_average_1min: [loadBefore, loadavg()[0] as number].map(round),
    };
    return [
      longestTaskRow(
        'pcap-browser: longest main-thread task while a large capture is opened',
        ours,
        peer,
        common,
      ),
      {
        name: 'pcap-browser: file chosen to the connections shown (ours in the worker, the picker drawn)',
        ours_ms: round(medianOf(ours.map((r) => r.shownMs))),
        peer_ms: round(medianOf(peer.map((r) => r.shownMs))),
        ratio: medianOf(ours.map((r) => r.shownMs)) / medianOf(peer.map((r) => r.shownMs)),
        ...common,
      },
      longestTaskRow(
        `pcap-browser: longest main-thread task while one TLS connection of ${BIG_RECORDS} records is opened and drawn (peer: parsed only)`,
        oursLong,
        peerLong,
        { runs: RUNS, file_mb: longMb },
      ),
    ];
  },
};
