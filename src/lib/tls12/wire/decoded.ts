import type { Span } from '../../bytes/index.ts';

/** What every decoder returns: the typed message and its annotation spans (offsets from the input's start). */
export interface Decoded<T> {
  message: T;
  spans: Span[];
}
