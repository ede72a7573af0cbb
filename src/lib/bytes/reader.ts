/**
 * A bounds-checked cursor over a Uint8Array that records what it reads as annotation spans.
 *
 * Every read takes a field id; the reader records a span for it (see `spans.ts`) and, on failure, throws a
 * `DecodeError` naming that field, the absolute offset and the reason. Length-prefixed data is read through
 * sub-readers (`sub`, `lengthPrefixed`, `list`) that share the span recorder, so the span tree nests the
 * way the bytes nest on the wire (rustls' `Reader::sub`, Go's cryptobyte `ReadUint16LengthPrefixed`).
 *
 * Overrunning the top-level buffer is `truncated`; overrunning a length-delimited sub-reader is
 * `length-mismatch` (an inner length disagrees with the outer one).
 *
 * @example
 *   const r = new Reader(bytes);
 *   const version = r.u16('client_hello.client_version');
 *   const suites = r.list(16, 'client_hello.cipher_suites', (s, id) => s.u16(id), { elementSize: 2, min: 2 });
 *   r.expectEnd('client_hello');
 *   r.spans; // the field tree
 */
import { DecodeError, type DecodeErrorKind } from './errors.ts';
import { toHex } from './hex.ts';
import { SpanRecorder, type Span } from './spans.ts';

/** How a field is shown: a label and/or a formatter for its value. */
export interface FieldOptions<T> {
  label?: string;
  show?: (value: T) => string | number;
}

export interface VectorOptions {
  /** Minimum content length in bytes (RFC 5246 `<min..max>`). */
  min?: number;
  /** Maximum content length in bytes. */
  max?: number;
  label?: string;
}

export interface ListOptions extends VectorOptions {
  /** The content length must be a multiple of this (2 for a list of u16). */
  elementSize?: number;
}

export type LengthBits = 8 | 16 | 24;

/** Longest byte string shown as hex in a span value; longer ones show their size. */
const MAX_HEX_VALUE = 64;

export function showBytes(bytes: Uint8Array): string {
  return bytes.length <= MAX_HEX_VALUE ? toHex(bytes) : `${bytes.length} bytes`;
}

export class Reader {
  readonly #bytes: Uint8Array;
  readonly #base: number;
  readonly #recorder: SpanRecorder;
  /** Field whose length delimits this reader; undefined for a top-level reader. */
  readonly #enclosing: string | undefined;
  #pos = 0;

  /**
   * @param bytes the buffer to read (not copied; values returned by `bytes()` are copies).
   * @param options.base absolute offset of `bytes[0]` (default 0), for spans and error offsets.
   */
  constructor(
    bytes: Uint8Array,
    options: { base?: number; recorder?: SpanRecorder; enclosing?: string } = {},
  ) {
    this.#bytes = bytes;
    this.#base = options.base ?? 0;
    this.#recorder = options.recorder ?? new SpanRecorder();
    this.#enclosing = options.enclosing;
  }

  /** Absolute offset of the next byte. */
  get offset(): number {
    return this.#base + this.#pos;
  }

  get remaining(): number {
    return this.#bytes.length - this.#pos;
  }

  get atEnd(): boolean {
    return this.#pos >= this.#bytes.length;
  }

  /** The span tree recorded so far (shared with sub-readers). */
  get spans(): Span[] {
    return this.#recorder.roots;
  }

  get recorder(): SpanRecorder {
    return this.#recorder;
  }

  /** Throws a DecodeError for `field` at `offset` (default: the current offset). */
  fail(kind: DecodeErrorKind, field: string, reason: string, offset: number = this.offset): never {
    throw new DecodeError(kind, field, offset, reason);
  }

  #need(n: number, field: string): void {
    if (n <= this.remaining) return;
    const left = this.remaining;
    if (this.#enclosing === undefined) {
      this.fail('truncated', field, `needs ${n} byte${n === 1 ? '' : 's'}, only ${left} left`);
    }
    this.fail(
      'length-mismatch',
      field,
      `needs ${n} byte${n === 1 ? '' : 's'} but only ${left} remain inside ${this.#enclosing}`,
    );
  }

  #take(n: number, field: string): Uint8Array {
    this.#need(n, field);
    const out = this.#bytes.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  #leaf(field: string, start: number, value: string | number | undefined, label?: string): void {
    const span: Span = { id: field, start, end: this.offset };
    if (label !== undefined) span.label = label;
    if (value !== undefined) span.value = value;
    this.#recorder.leaf(span);
  }

  #uint(n: 1 | 2 | 3 | 4, field: string, options?: FieldOptions<number>): number {
    const start = this.offset;
    const b = this.#take(n, field);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + b[i]!;
    this.#leaf(field, start, options?.show ? options.show(v) : v, options?.label);
    return v;
  }

  u8(field: string, options?: FieldOptions<number>): number {
    return this.#uint(1, field, options);
  }

  u16(field: string, options?: FieldOptions<number>): number {
    return this.#uint(2, field, options);
  }

  u24(field: string, options?: FieldOptions<number>): number {
    return this.#uint(3, field, options);
  }

  u32(field: string, options?: FieldOptions<number>): number {
    return this.#uint(4, field, options);
  }

  /** Reads exactly `n` bytes (a copy). */
  bytes(n: number, field: string, options?: FieldOptions<Uint8Array>): Uint8Array {
    const start = this.offset;
    const b = this.#take(n, field).slice();
    this.#leaf(field, start, options?.show ? options.show(b) : showBytes(b), options?.label);
    return b;
  }

  /** Reads everything that is left (a copy); records nothing when empty. */
  rest(field: string, options?: FieldOptions<Uint8Array>): Uint8Array {
    return this.bytes(this.remaining, field, options);
  }

  /** Looks at the next `n` bytes without consuming or recording them (fewer if the input is shorter). */
  peek(n: number): Uint8Array {
    return this.#bytes.slice(this.#pos, this.#pos + n);
  }

  /** Opens a span node `field` around whatever `read` reads (for structures without a length prefix). */
  node<T>(field: string, read: () => T, label?: string): T {
    const span = this.#recorder.open(field, this.offset, label);
    try {
      return read();
    } finally {
      this.#recorder.close(span, this.offset);
    }
  }

  /**
   * A sub-reader over the next `len` bytes, advancing this reader past them. Reads beyond them fail with
   * `length-mismatch` naming `field`. Call `expectEnd` on it when done.
   */
  sub(len: number, field: string): Reader {
    const base = this.offset;
    const bytes = this.#take(len, field);
    return new Reader(bytes, { base, recorder: this.#recorder, enclosing: field });
  }

  #length(bits: LengthBits, field: string, options: VectorOptions): number {
    const id = `${field}.length`;
    const start = this.offset;
    const len = this.#uint((bits / 8) as 1 | 2 | 3, id);
    const { min, max } = options;
    if (min !== undefined && len < min) {
      this.fail('invalid-value', id, `length ${len} is below the minimum ${min}`, start);
    }
    if (max !== undefined && len > max) {
      this.fail('invalid-value', id, `length ${len} exceeds the maximum ${max}`, start);
    }
    return len;
  }

  /**
   * Reads a length-prefixed structure: records node `field` with children `field.length` and whatever
   * `read` records on the sub-reader; fails if `read` leaves bytes unread.
   */
  lengthPrefixed<T>(
    bits: LengthBits,
    field: string,
    read: (sub: Reader) => T,
    options: VectorOptions = {},
  ): T {
    return this.node(
      field,
      () => {
        const len = this.#length(bits, field, options);
        const sub = this.sub(len, field);
        const value = read(sub);
        sub.expectEnd(field);
        return value;
      },
      options.label,
    );
  }

  /** An opaque vector `opaque field<min..max>` with a `bits`-bit length: node `field`, leaves `.length`, `.value`. */
  vec(bits: LengthBits, field: string, options: VectorOptions & FieldOptions<Uint8Array> = {}): Uint8Array {
    return this.lengthPrefixed(bits, field, (sub) => sub.rest(`${field}.value`, options), options);
  }

  vec8(field: string, options?: VectorOptions & FieldOptions<Uint8Array>): Uint8Array {
    return this.vec(8, field, options);
  }

  vec16(field: string, options?: VectorOptions & FieldOptions<Uint8Array>): Uint8Array {
    return this.vec(16, field, options);
  }

  vec24(field: string, options?: VectorOptions & FieldOptions<Uint8Array>): Uint8Array {
    return this.vec(24, field, options);
  }

  /**
   * A length-prefixed list: node `field`, leaf `field.length`, then items read by `item(sub, "field[i]")`
   * until the list's bytes are used up.
   */
  list<T>(
    bits: LengthBits,
    field: string,
    item: (sub: Reader, id: string, index: number) => T,
    options: ListOptions = {},
  ): T[] {
    return this.lengthPrefixed(
      bits,
      field,
      (sub) => {
        const { elementSize } = options;
        if (elementSize !== undefined && sub.remaining % elementSize !== 0) {
          const why = elementSize === 2 ? 'is odd' : `is not a multiple of ${elementSize}`;
          sub.fail(
            'invalid-value',
            `${field}.length`,
            `length ${sub.remaining} ${why}`,
            sub.offset - bits / 8,
          );
        }
        const items: T[] = [];
        while (!sub.atEnd) {
          const before = sub.offset;
          items.push(item(sub, `${field}[${items.length}]`, items.length));
          if (sub.offset === before) sub.fail('invalid-value', field, 'list item consumed no bytes');
        }
        return items;
      },
      options,
    );
  }

  /** Fails with `trailing-data` (top level) or `length-mismatch` (inside a length) if bytes are left. */
  expectEnd(field: string): void {
    if (this.atEnd) return;
    const n = this.remaining;
    if (this.#enclosing === undefined) {
      this.fail('trailing-data', field, `${n} unexpected byte${n === 1 ? '' : 's'} after the end`);
    }
    this.fail('length-mismatch', field, `${n} byte${n === 1 ? '' : 's'} left over inside ${this.#enclosing}`);
  }
}
