/**
 * `npm run bench`: runs every benchmark module in bench/ (a default export `{ name, run }` whose `run`
 * measures ours and a peer in the same process and returns `{ ours_ms, peer_ms, ratio, ... }`), then prints a
 * readable table and the JSON. Benchmarks report ratios against a peer measured in the same run, never
 * absolute timings to assert on. `npm run bench -- chain` runs only benchmarks whose file name contains "chain".
 */
import { readdir, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import os from 'node:os';

export interface BenchResult {
  readonly ours_ms: number;
  readonly peer_ms: number;
  readonly ratio: number;
  readonly target?: number;
  readonly [extra: string]: unknown;
}

export interface Benchmark {
  readonly name: string;
  readonly peer?: string;
  run(): Promise<BenchResult | BenchResult[]>;
}

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = (await readdir(here))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

const results: { name: string; peer?: string; result: BenchResult }[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default?: Benchmark };
  const bench = mod.default;
  if (!bench || typeof bench.run !== 'function') {
    console.error(`bench/${file}: no default export { name, run }`);
    process.exitCode = 1;
    continue;
  }
  process.stderr.write(`running ${bench.name} …\n`);
  const out = await bench.run();
  for (const result of Array.isArray(out) ? out : [out]) {
    results.push({ name: String(result.name ?? bench.name), peer: bench.peer, result });
  }
}

if (results.length === 0) {
  console.log(filter ? `no benchmark matches "${filter}"` : 'no benchmarks in bench/');
} else {
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : String(n));
  console.log('');
  console.log(
    `${'benchmark'.padEnd(52)} ${'ours ms'.padStart(10)} ${'peer ms'.padStart(10)} ${'ratio'.padStart(7)} ${'target'.padStart(7)}`,
  );
  for (const { name, result } of results) {
    const verdict = result.target === undefined ? '' : result.ratio <= result.target ? ' ok' : ' OVER';
    console.log(
      `${name.padEnd(52)} ${fmt(result.ours_ms).padStart(10)} ${fmt(result.peer_ms).padStart(10)} ${fmt(result.ratio).padStart(7)} ${(result.target === undefined ? '-' : '<=' + result.target).padStart(7)}${verdict}`,
    );
  }
}
const report = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  results: results.map(({ name, peer, result }) => ({ name, peer, ...result })),
};
await mkdir(join(here, '..', 'test-results'), { recursive: true });
await writeFile(join(here, '..', 'test-results', 'bench.json'), JSON.stringify(report, null, 2));
console.log('\n' + JSON.stringify(report, null, 2));
