import { printableChar } from '../../../lib/bytes/hex';
import { leafSpans, walkSpans, type Span } from '../../../lib/bytes/spans';

/** One byte cell of the grid: its offset, its hex and printable char, and the leaf field that owns it. */
export interface ByteCell {
  readonly offset: number;
  readonly hex: string;
  readonly ascii: string;
  readonly fieldId: string | undefined;
  /** True at the first byte of a field, for a visual gap between fields. */
  readonly fieldStart: boolean;
}

export function byteRows(bytes: Uint8Array, spans: readonly Span[], width: number): ByteCell[][] {
  const owner: (string | undefined)[] = new Array(bytes.length);
  const starts = new Set<number>();
  for (const leaf of leafSpans(spans)) {
    starts.add(leaf.start);
    for (let i = leaf.start; i < leaf.end && i < bytes.length; i++) owner[i] = leaf.id;
  }
  const rows: ByteCell[][] = [];
  for (let row = 0; row < bytes.length; row += width) {
    const cells: ByteCell[] = [];
    for (let i = row; i < Math.min(row + width, bytes.length); i++) {
      const b = bytes[i] as number;
      cells.push({
        offset: i,
        hex: b.toString(16).padStart(2, '0'),
        ascii: printableChar(b),
        fieldId: owner[i],
        fieldStart: starts.has(i),
      });
    }
    rows.push(cells);
  }
  return rows;
}

/** Byte range [start, end) of a field id anywhere in the tree. */
export function rangeOf(spans: readonly Span[], id: string | undefined): [number, number] | undefined {
  if (!id) return undefined;
  let found: [number, number] | undefined;
  walkSpans(spans, (s) => {
    if (!found && s.id === id) found = [s.start, s.end];
  });
  return found;
}

export function findSpan(spans: readonly Span[], id: string | undefined): Span | undefined {
  if (!id) return undefined;
  let found: Span | undefined;
  walkSpans(spans, (s) => {
    if (!found && s.id === id) found = s;
  });
  return found;
}
