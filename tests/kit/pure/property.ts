/**
 * Bounded fast-check runs for the hostile-input properties: a fixed seed, a cap on runs, a time budget after
 * which fast-check stops starting new runs (`interruptAfterTimeLimit`, never a timed assertion) and a per-run
 * `timeout` that fails a run which does not finish (a hang). The number of runs made is printed and returned.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

export interface Bounds {
  /** At most this many runs. */
  readonly numRuns: number;
  /** fast-check starts no new run after this many milliseconds. */
  readonly timeLimitMs: number;
  /** A single run that takes longer fails (fast-check `timeout`). */
  readonly runTimeoutMs?: number;
  readonly seed?: number;
}

export async function checkBounded<Ts>(
  label: string,
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  bounds: Bounds,
): Promise<number> {
  const details = await fc.check(property, {
    numRuns: bounds.numRuns,
    interruptAfterTimeLimit: bounds.timeLimitMs,
    timeout: bounds.runTimeoutMs ?? 10_000,
    seed: bounds.seed ?? 0x19,
  });
  expect(details.failed, fc.defaultReportMessage(details) ?? '').toBe(false);
  expect(details.numRuns).toBeGreaterThan(0);
  console.log(
    `${label}: ${details.numRuns} runs${details.interrupted ? ` (time budget of ${bounds.timeLimitMs} ms reached)` : ''}`,
  );
  return details.numRuns;
}
