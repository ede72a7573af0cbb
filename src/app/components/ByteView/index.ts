export { default as ByteView } from './ByteView.svelte';
export type { ByteViewProps, Span } from './types';
export { byteRows, findSpan, rangeOf } from './layout';
