/**
 * `npm run bench`: runs every benchmark module in bench/ (a default export `{ name, run }` whose `run`
 * measures ours and a peer in the same process and returns `{ ours_ms, peer_ms, ratio, ... }`), then prints a
 * readable table and the JSON. Benchmarks report ratios against a peer measured in the same run, never
 * absolute timings to assert on. `npm run bench -- chain` runs only benchmarks whose file name contains "chain".
 * Each module runs in a process of its own (this file again, with `--module <file>`), so that one benchmark's heap,
 * JIT state and thread pool do not weigh on the next one's measurement.
 */
import { execFileSync } from 'node:child_process';
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
const RESULT_MARK = '@@bench-result@@';

// Child mode: run one module and print its results on one marked line.
if (process.argv[2] === '--module') {
  const file = process.argv[3] as string;
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default?: Benchmark };
  const bench = mod.default;
  if (!bench || typeof bench.run !== 'function')
    throw new Error(`bench/${file}: no default export { name, run }`);
  const out = await bench.run();
  const results = (Array.isArray(out) ? out : [out]).map((result) => ({
    name: String(result.name ?? bench.name),
    peer: bench.peer,
    result,
  }));
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(results)}\n`);
  process.exit(0);
}

const filter = process.argv[2];
const files = (await readdir(here))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

const results: { name: string; peer?: string; result: BenchResult }[] = [];
for (const file of files) {
  process.stderr.write(`running bench/${file} …\n`);
  let stdout: string;
  try {
    stdout = execFileSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--module', file],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (error) {
    console.error(`bench/${file} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    continue;
  }
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (!line) {
    console.error(`bench/${file}: printed no result`);
    process.exitCode = 1;
    continue;
  }
  results.push(...(JSON.parse(line.slice(RESULT_MARK.length)) as typeof results));
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
