/** The median wall time of `runs` calls of `f`, in milliseconds (shared by the bench modules). */
export async function median(runs: number, f: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return medianOf(times);
}

/** The median of some numbers (the upper one of the middle two for an even count). */
export function medianOf(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
}
