/**
 * One record decoded together with its content, for display: plaintext handshake fragments that hold whole
 * messages, alerts and ChangeCipherSpec are decoded and their spans nested under `record.fragment`;
 * encrypted records, application data, and handshake fragments holding part of a message stay opaque.
 * A content error does not fail the record: it is returned as `contentError` with the fragment kept opaque.
 */
import { DecodeError, Reader, shiftSpans, type Span } from '../../bytes/index.ts';
import { readAlert, type Alert } from './alert.ts';
import { readChangeCipherSpec, type ChangeCipherSpec } from './change-cipher-spec.ts';
import { ContentType } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { HANDSHAKE_HEADER_LENGTH } from './handshake-header.ts';
import { readHandshake, type HandshakeDecodeOptions, type HandshakeMessage } from './handshake.ts';
import { readRecord, RECORD_HEADER_LENGTH, type RecordOptions, type TlsRecord } from './record.ts';

export type RecordContent =
  | { type: 'handshake'; messages: HandshakeMessage[] }
  | { type: 'alert'; alert: Alert }
  | { type: 'change_cipher_spec'; changeCipherSpec: ChangeCipherSpec };

export interface AnnotatedRecord {
  record: TlsRecord;
  content?: RecordContent;
  contentError?: DecodeError;
}

export interface AnnotateOptions extends RecordOptions, HandshakeDecodeOptions {
  /** The record is protected: never try to parse its fragment. */
  encrypted?: boolean;
}

/** True if `fragment` is a run of whole handshake messages (so it can be decoded on its own). */
function holdsWholeMessages(fragment: Uint8Array): boolean {
  let at = 0;
  while (at < fragment.length) {
    if (fragment.length - at < HANDSHAKE_HEADER_LENGTH) return false;
    const len = (fragment[at + 1]! << 16) | (fragment[at + 2]! << 8) | fragment[at + 3]!;
    at += HANDSHAKE_HEADER_LENGTH + len;
  }
  return at === fragment.length;
}

function decodeContent(
  record: TlsRecord,
  options: AnnotateOptions,
): { content: RecordContent; spans: Span[] } | undefined {
  const r = new Reader(record.fragment);
  switch (record.contentType) {
    case ContentType.values.handshake: {
      if (!holdsWholeMessages(record.fragment)) return undefined;
      const messages: HandshakeMessage[] = [];
      while (!r.atEnd) messages.push(readHandshake(r, options));
      return { content: { type: 'handshake', messages }, spans: r.spans };
    }
    case ContentType.values.alert: {
      const alert = readAlert(r);
      r.expectEnd('alert');
      return { content: { type: 'alert', alert }, spans: r.spans };
    }
    case ContentType.values.change_cipher_spec: {
      const changeCipherSpec = readChangeCipherSpec(r);
      r.expectEnd('change_cipher_spec');
      return { content: { type: 'change_cipher_spec', changeCipherSpec }, spans: r.spans };
    }
    default:
      return undefined;
  }
}

/**
 * Decodes exactly one record and, when possible, its content. The record itself failing (truncated,
 * oversized, trailing bytes) throws DecodeError; content failures are reported in `contentError`.
 */
export function annotateRecord(bytes: Uint8Array, options: AnnotateOptions = {}): Decoded<AnnotatedRecord> {
  const r = new Reader(bytes);
  const record = readRecord(r, options);
  r.expectEnd('record');
  const spans = r.spans;
  if (options.encrypted) return { message: { record }, spans };
  let decoded: ReturnType<typeof decodeContent>;
  try {
    decoded = decodeContent(record, options);
  } catch (e) {
    if (e instanceof DecodeError) {
      const shifted = new DecodeError(e.kind, e.field, e.offset + RECORD_HEADER_LENGTH, e.reason);
      return { message: { record, contentError: shifted }, spans };
    }
    throw e;
  }
  if (!decoded) return { message: { record }, spans };
  const fragmentSpan = spans[0]?.children?.find((s) => s.id === 'record.fragment');
  if (fragmentSpan) {
    delete fragmentSpan.value;
    fragmentSpan.children = shiftSpans(decoded.spans, RECORD_HEADER_LENGTH);
  }
  return { message: { record, content: decoded.content }, spans };
}
