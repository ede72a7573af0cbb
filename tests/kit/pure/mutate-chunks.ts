/**
 * The edits the observer's hostile-input properties make to a captured connection: keep the first `cut` chunks
 * (at least one), flip bytes, and re-chunk every chunk into pieces of `split` bytes (as TCP may deliver them).
 */
import fc from 'fast-check';
import type { ObservedChunk } from '../../../src/lib/tls12/observe.ts';

export interface ChunkEdit {
  cut: number;
  flips: [number, number, number][];
  split: number;
}

export function chunkEdit(maxFlips: number, maxSplit: number): fc.Arbitrary<ChunkEdit> {
  return fc.record({
    cut: fc.nat(),
    flips: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: maxFlips }),
    split: fc.integer({ min: 1, max: maxSplit }),
  });
}

export function editChunks(source: readonly ObservedChunk[], edit: ChunkEdit): ObservedChunk[] {
  const chunks = source
    .slice(0, 1 + (edit.cut % source.length))
    .map((c) => ({ ...c, bytes: c.bytes.slice() }));
  for (const [i, j, x] of edit.flips) {
    const c = chunks[i % chunks.length]!;
    if (c.bytes.length > 0) c.bytes[j % c.bytes.length]! ^= x;
  }
  const { split } = edit;
  return chunks.flatMap((c) =>
    Array.from({ length: Math.ceil(c.bytes.length / split) }, (_, k) => ({
      ...c,
      bytes: c.bytes.subarray(k * split, (k + 1) * split),
      offset: c.offset + k * split,
    })),
  );
}
