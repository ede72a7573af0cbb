import type { Span } from '../../../lib/bytes/spans';

export type { Span };

export interface ByteViewProps {
  /** The bytes to show; span offsets are relative to bytes[0]. */
  bytes: Uint8Array;
  /** Field tree (as decoders record it); leaves are what a click or arrow key selects. */
  spans: readonly Span[];
  /** Accessible name, e.g. "ClientHello bytes". */
  label: string;
  /** The selected field id (leaf or inner node); bindable so other views select in step. */
  selectedId?: string | undefined;
  /** Bytes per row. */
  width?: number;
}
