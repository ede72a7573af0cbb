/**
 * Byte-level helpers shared by the wire layer: strict hex, a span-recording Reader, a Writer with nested
 * length prefixes, typed decode errors.
 */
export {
  DecodeError,
  displayField,
  isDecodeError,
  tryDecode,
  type DecodeErrorKind,
  type DecodeResult,
} from './errors.ts';
export { bytesEqual, concatBytes, fromHex, printableChar, toHex } from './hex.ts';
export {
  Reader,
  showBytes,
  type FieldOptions,
  type LengthBits,
  type ListOptions,
  type VectorOptions,
} from './reader.ts';
export {
  decodeOwnBytes,
  leafSpans,
  normaliseFieldId,
  shiftSpans,
  spanAt,
  SpanRecorder,
  walkSpans,
  type Span,
} from './spans.ts';
export { build, Writer } from './writer.ts';
export { ByteQueue } from './byte-queue.ts';
export { Recent } from './recent.ts';
