/**
 * RFC 5246 §6.2.1 record layer framing:
 *
 *   struct {
 *       ContentType type;
 *       ProtocolVersion version;
 *       uint16 length;
 *       opaque fragment[TLSPlaintext.length];
 *   } TLSPlaintext;
 *
 * The same 5-byte header frames TLSCompressed and TLSCiphertext (§6.2.2, §6.2.3); only the limits differ:
 * plaintext fragments are at most 2^14 bytes, ciphertext fragments at most 2^14 + 2048.
 */
import { ByteQueue, concatBytes, printableChar, Reader, toHex, Writer } from '../../bytes/index.ts';
import { ContentType, versionName } from './code-points.ts';
import type { Decoded } from './decoded.ts';

export const RECORD_HEADER_LENGTH = 5;
/** RFC 5246 §6.2.1: "The length MUST NOT exceed 2^14." */
export const MAX_PLAINTEXT_LENGTH = 2 ** 14;
/** RFC 5246 §6.2.3: "The length MUST NOT exceed 2^14 + 2048." */
export const MAX_CIPHERTEXT_LENGTH = 2 ** 14 + 2048;

export interface TlsRecord {
  contentType: number;
  version: number;
  /** Plaintext or ciphertext, as carried. */
  fragment: Uint8Array;
}

export interface RecordOptions {
  /** Largest fragment accepted; default MAX_CIPHERTEXT_LENGTH (the decoder cannot tell plaintext from ciphertext). */
  maxFragmentLength?: number;
}

/** Content types whose fragments RFC 5246 §6.2.1 forbids to be empty. */
const NON_EMPTY_TYPES = new Set<number>([
  ContentType.values.handshake,
  ContentType.values.alert,
  ContentType.values.change_cipher_spec,
]);

/** Reads the record header as node `record.header`, checking the length limit. */
export function readRecordHeader(
  r: Reader,
  options: RecordOptions = {},
): { contentType: number; version: number; length: number } {
  const max = options.maxFragmentLength ?? MAX_CIPHERTEXT_LENGTH;
  return r.node('record.header', () => {
    const contentType = r.u8('record.header.content_type', { show: ContentType.format });
    const version = r.u16('record.header.version', { show: versionName });
    const lengthAt = r.offset;
    const length = r.u16('record.header.length');
    if (length > max) {
      r.fail(
        'invalid-value',
        'record.header.length',
        `length ${length} exceeds the maximum ${max} (record_overflow)`,
        lengthAt,
      );
    }
    if (length === 0 && NON_EMPTY_TYPES.has(contentType)) {
      r.fail(
        'invalid-value',
        'record.header.length',
        `a ${ContentType.format(contentType)} record must not be empty`,
        lengthAt,
      );
    }
    return { contentType, version, length };
  });
}

/** Reads one record as node `record` (header + `record.fragment`). */
export function readRecord(r: Reader, options: RecordOptions = {}): TlsRecord {
  return r.node('record', () => {
    const header = readRecordHeader(r, options);
    const fragment = r.bytes(header.length, 'record.fragment');
    return { contentType: header.contentType, version: header.version, fragment };
  });
}

/** Decodes exactly one record; bytes after it are `trailing-data`. */
export function decodeRecord(bytes: Uint8Array, options: RecordOptions = {}): Decoded<TlsRecord> {
  const r = new Reader(bytes);
  const message = readRecord(r, options);
  r.expectEnd('record');
  return { message, spans: r.spans };
}

export function writeRecord(w: Writer, record: TlsRecord): void {
  if (record.fragment.length > MAX_CIPHERTEXT_LENGTH) {
    throw new RangeError(
      `TLSRecord: fragment of ${record.fragment.length} bytes exceeds ${MAX_CIPHERTEXT_LENGTH}`,
    );
  }
  w.u8(record.contentType);
  w.u16(record.version);
  w.lengthPrefixed(16, (f) => f.bytes(record.fragment));
}

export function encodeRecord(record: TlsRecord): Uint8Array {
  const w = new Writer(RECORD_HEADER_LENGTH + record.fragment.length);
  writeRecord(w, record);
  return w.finish();
}

/**
 * RFC 5246 §6.2.1 fragmentation: splits `data` into plaintext records of at most `maxFragmentLength`
 * bytes (default 2^14). Empty `data` gives one empty record only for application_data.
 */
export function fragmentIntoRecords(
  contentType: number,
  version: number,
  data: Uint8Array,
  maxFragmentLength: number = MAX_PLAINTEXT_LENGTH,
): TlsRecord[] {
  if (
    !Number.isInteger(maxFragmentLength) ||
    maxFragmentLength < 1 ||
    maxFragmentLength > MAX_PLAINTEXT_LENGTH
  ) {
    throw new RangeError(
      `fragmentIntoRecords: maxFragmentLength must be in [1, ${MAX_PLAINTEXT_LENGTH}], got ${maxFragmentLength}`,
    );
  }
  if (data.length === 0) {
    if (NON_EMPTY_TYPES.has(contentType)) {
      throw new RangeError(
        `fragmentIntoRecords: a ${ContentType.format(contentType)} record must not be empty`,
      );
    }
    return [{ contentType, version, fragment: new Uint8Array(0) }];
  }
  const out: TlsRecord[] = [];
  for (let at = 0; at < data.length; at += maxFragmentLength) {
    out.push({ contentType, version, fragment: data.slice(at, at + maxFragmentLength) });
  }
  return out;
}

/** A record cut out of a byte stream, with where it was. */
export interface SplitRecord {
  record: TlsRecord;
  /** The record's bytes (header + fragment) exactly as received. */
  bytes: Uint8Array;
  /** Stream offset of the record's first byte. */
  offset: number;
}

/**
 * Why a peer's first bytes cannot open a TLS record, or undefined when they could: a record starts with a content
 * type (20 to 24) and a version 03 xx (RFC 8446 §5.1, RFC 5246 §6.2.1). A server that answers with something else
 * (an HTTP error page, a PostgreSQL server spoken to without its SSLRequest) does not speak TLS there; OpenSSL
 * says "wrong version number".
 */
export function notTlsStart(bytes: Uint8Array): string | undefined {
  if (bytes.length < 2 || (bytes[0]! >= 20 && bytes[0]! <= 24 && bytes[1] === 3)) return undefined;
  const shown = bytes.subarray(0, 24);
  const text = Array.from(shown, printableChar).join('');
  return `not TLS: a record starts with a content type from 20 to 24 and a version 03 xx, these bytes start ${toHex(shown.subarray(0, 8), ' ')} ("${text}")`;
}

/**
 * Turns a byte stream into records, tolerant of partial input: `push` returns the records completed by the
 * new bytes and keeps the rest. A header that breaks the rules (oversized, empty handshake) throws a
 * DecodeError with the stream offset; after that the splitter refuses further input.
 */
export class RecordSplitter {
  readonly #options: RecordOptions;
  readonly #queue = new ByteQueue();
  /** Stream offset of the first queued byte. */
  #offset = 0;
  #failed = false;
  /** Header of the record being collected, once its 5 bytes are in. */
  #current: { contentType: number; version: number; length: number } | undefined;

  constructor(options: RecordOptions = {}) {
    this.#options = options;
  }

  /** Bytes received but not yet part of a complete record. */
  get pending(): number {
    return this.#queue.size;
  }

  /** Total bytes consumed into complete records. */
  get offset(): number {
    return this.#offset;
  }

  /**
   * Why the stream's first bytes, with `chunk` added, cannot open a TLS record (`notTlsStart`), or undefined when
   * they could or a record has already been read. A connection asks before `push`, so bytes that are no TLS at all
   * are said to be so at once, rather than as a length that looks too large, or a wait for more bytes.
   */
  notTlsWith(chunk: Uint8Array): string | undefined {
    if (this.#offset !== 0) return undefined;
    return notTlsStart(concatBytes(this.#queue.peek(Math.min(24, this.#queue.size)), chunk));
  }

  push(chunk: Uint8Array): SplitRecord[] {
    if (this.#failed) throw new Error('RecordSplitter: the stream already failed to decode');
    this.#queue.push(chunk);
    const out: SplitRecord[] = [];
    for (;;) {
      if (!this.#current) {
        if (this.#queue.size < RECORD_HEADER_LENGTH) break;
        try {
          const head = new Reader(this.#queue.peek(RECORD_HEADER_LENGTH), { base: this.#offset });
          this.#current = readRecordHeader(head, this.#options);
        } catch (e) {
          this.#failed = true;
          throw e;
        }
      }
      const header = this.#current;
      const total = RECORD_HEADER_LENGTH + header.length;
      if (this.#queue.size < total) break;
      const bytes = this.#queue.take(total);
      out.push({
        record: {
          contentType: header.contentType,
          version: header.version,
          fragment: bytes.slice(RECORD_HEADER_LENGTH),
        },
        bytes,
        offset: this.#offset,
      });
      this.#offset += total;
      this.#current = undefined;
    }
    return out;
  }

  /**
   * The record cut short so far: how many of its bytes arrived, and (once its header is in) its content type and
   * how many it declares. Undefined when no byte of a next record is buffered.
   */
  get partial(): { offset: number; have: number; total?: number; contentType?: number } | undefined {
    if (this.#queue.size === 0) return undefined;
    const header = this.#current;
    return {
      offset: this.#offset,
      have: this.#queue.size,
      ...(header ? { total: RECORD_HEADER_LENGTH + header.length, contentType: header.contentType } : {}),
    };
  }

  /** Call at end of stream: throws `truncated` if a partial record is left. */
  end(): void {
    if (this.#queue.size > 0) {
      new Reader(new Uint8Array(0), { base: this.#offset }).fail(
        'truncated',
        'record',
        `stream ended inside a record (${this.#queue.size} bytes pending)`,
      );
    }
  }
}
