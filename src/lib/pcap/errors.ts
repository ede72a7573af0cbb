/**
 * `PcapError`: a capture file that cannot be opened at all, with what went wrong, where (block or packet index
 * and byte offset in the file) and why. Per-packet problems are `PcapWarning`s instead (types.ts).
 */
export type PcapErrorKind = 'truncated' | 'bad-magic' | 'bad-block' | 'unsupported-link-type';

export class PcapError extends Error {
  override readonly name = 'PcapError';
  readonly kind: PcapErrorKind;
  /** Byte offset in the file. */
  readonly offset: number;
  /** Block (pcapng) or packet (pcap) index, when the problem belongs to one. */
  readonly index: number | undefined;
  /** What `index` counts. */
  readonly unit: 'block' | 'packet';
  readonly reason: string;

  constructor(
    kind: PcapErrorKind,
    offset: number,
    reason: string,
    index?: number,
    unit: 'block' | 'packet' = 'block',
  ) {
    super(`${reason} (${index === undefined ? '' : `${unit} ${index}, `}offset ${offset})`);
    this.kind = kind;
    this.unit = unit;
    this.offset = offset;
    this.index = index;
    this.reason = reason;
  }
}

export function isPcapError(e: unknown): e is PcapError {
  return e instanceof PcapError;
}
