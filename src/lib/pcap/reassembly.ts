/**
 * TCP reassembly of one direction of one connection (RFC 9293 sequence space).
 *
 * Offsets are relative to the initial sequence number + 1 when the SYN was captured, else to the lowest
 * sequence number captured (a connection seen mid-way starts at offset 0 with its first byte we have).
 * Segments are ordered by stream offset, ties by capture order. Overlaps and retransmissions: **the copy that
 * starts earliest in the stream wins, and at the same start the first one captured**; bytes the stream already
 * holds are dropped from later copies. A hole becomes a `StreamGap` at its offset.
 *
 * Each chunk records `ready`: the capture index at which its bytes became readable in order (the largest index
 * among it and everything before it), so both directions merge into wire order even when segments arrived out
 * of order. Linear after one sort; each delivered byte is copied once (chunks own their bytes).
 */
import type { Direction, StreamChunk, StreamGap } from './types.ts';

export interface PendingSegment {
  /** Sequence number of payload[0] (already +1 for a SYN carrying data). */
  seq: number;
  payload: Uint8Array;
  time: number;
  /** Capture index of the packet. */
  order: number;
}

export interface OrderedChunk extends StreamChunk {
  ready: number;
}

export function reassemble(
  from: Direction,
  segments: PendingSegment[],
  /** ISN + 1 when the SYN was seen. */
  base: number | undefined,
): { chunks: OrderedChunk[]; gaps: StreamGap[] } {
  const chunks: OrderedChunk[] = [];
  const gaps: StreamGap[] = [];
  if (segments.length === 0) return { chunks, gaps };
  const origin = base ?? (segments[0] as PendingSegment).seq;
  // Signed 32-bit distance from the origin: correct across sequence wrap for streams under 2 GiB.
  const placed = segments.map((s) => ({ s, rel: (s.seq - origin) | 0 }));
  if (base === undefined) {
    const lowest = placed.reduce((m, p) => Math.min(m, p.rel), 0);
    for (const p of placed) p.rel -= lowest;
  }
  placed.sort((a, b) => a.rel - b.rel || a.s.order - b.s.order);
  let next = 0;
  let ready = -1;
  let readyTime = NaN;
  for (const { s, rel } of placed) {
    const end = rel + s.payload.length;
    if (end <= next) continue; // retransmission, or data before the SYN's sequence number
    if (rel > next) {
      gaps.push({ from, offset: next, length: rel - next });
      next = rel;
    }
    if (s.order > ready) {
      ready = s.order;
      readyTime = s.time;
    }
    chunks.push({ from, bytes: s.payload.slice(next - rel), offset: next, time: readyTime, ready });
    next = end;
  }
  return { chunks, gaps };
}

/** Both directions in wire order: by the capture index at which each chunk became readable. */
export function mergeDirections(a: OrderedChunk[], b: OrderedChunk[]): StreamChunk[] {
  const out: StreamChunk[] = [];
  let i = 0;
  let j = 0;
  const plain = ({ from, bytes, offset, time }: OrderedChunk): StreamChunk => ({ from, bytes, offset, time });
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x && (!y || x.ready <= y.ready)) {
      out.push(plain(x));
      i++;
    } else if (y) {
      out.push(plain(y));
      j++;
    }
  }
  return out;
}
