/**
 * A growable byte builder with nested length prefixes, in the style of Go's cryptobyte.Builder:
 *
 *   const w = new Writer();
 *   w.u8(1);
 *   w.lengthPrefixed(24, (body) => {
 *     body.u16(0x0303);
 *     body.lengthPrefixed(16, (suites) => suites.u16(0xc02f));
 *   });
 *   w.finish();
 *
 * As in cryptobyte, a length-prefixed child writes into its parent's buffer: the prefix is reserved, the body
 * follows it, and the length is filled in when the child's callback returns, so nesting copies nothing. While
 * a child is open its parent cannot be written to, and a child cannot be written to once its callback has
 * returned (both throw RangeError: the bytes would land in the wrong place).
 *
 * Values out of range (a u8 of 256, a vec8 of 300 bytes) throw RangeError naming the problem: encoders take
 * structured data from our own code, so a bad value is a programming error, not hostile input.
 */
import type { LengthBits } from './reader.ts';

/** The buffer a writer and its children share. */
interface Shared {
  bytes: Uint8Array;
  length: number;
}

export class Writer {
  /** Set only while lengthPrefixed constructs a child: the buffer the child shares. */
  static #childOf: Shared | undefined;

  readonly #shared: Shared;
  /** Where this writer's bytes start in the shared buffer (0 for a top-level writer). */
  readonly #start: number;
  /** `open`: writable; `parent`: one of its children is being written; `closed`: a child after its callback. */
  #status: 'open' | 'parent' | 'closed' = 'open';

  constructor(initialCapacity = 256) {
    const shared = Writer.#childOf;
    Writer.#childOf = undefined;
    this.#shared = shared ?? { bytes: new Uint8Array(Math.max(16, initialCapacity)), length: 0 };
    this.#start = this.#shared.length;
  }

  get length(): number {
    return this.#shared.length - this.#start;
  }

  /** Room for `extra` more bytes; returns the offset to write them at. */
  #reserve(extra: number, what: string): number {
    if (this.#status !== 'open') {
      throw new RangeError(
        this.#status === 'parent'
          ? `Writer.${what}: written to while a length-prefixed child is open`
          : `Writer.${what}: written to after its lengthPrefixed callback returned`,
      );
    }
    const shared = this.#shared;
    const at = shared.length;
    const need = at + extra;
    if (need > shared.bytes.length) {
      let cap = shared.bytes.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(shared.bytes.subarray(0, at));
      shared.bytes = next;
    }
    shared.length = need;
    return at;
  }

  #uint(value: number, n: 1 | 2 | 3 | 4, what: string): this {
    const max = 2 ** (8 * n) - 1;
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new RangeError(`Writer.${what}: expected an integer in [0, ${max}], got ${value}`);
    }
    const at = this.#reserve(n, what); // first: it may move the bytes to a larger buffer
    Writer.#put(this.#shared.bytes, at, value, n);
    return this;
  }

  /** Big-endian `value` in `n` bytes at `at`. */
  static #put(bytes: Uint8Array, at: number, value: number, n: number): void {
    for (let i = n - 1; i >= 0; i--) {
      bytes[at + i] = value & 0xff;
      value = Math.floor(value / 256);
    }
  }

  u8(value: number): this {
    return this.#uint(value, 1, 'u8');
  }

  u16(value: number): this {
    return this.#uint(value, 2, 'u16');
  }

  u24(value: number): this {
    return this.#uint(value, 3, 'u24');
  }

  u32(value: number): this {
    return this.#uint(value, 4, 'u32');
  }

  bytes(data: Uint8Array): this {
    const at = this.#reserve(data.length, 'bytes');
    this.#shared.bytes.set(data, at);
    return this;
  }

  /** Writes a `bits`-bit length, then whatever `write` writes into the child builder. */
  lengthPrefixed(bits: LengthBits, write: (child: Writer) => void): this {
    const n = bits / 8;
    const what = `lengthPrefixed(${bits})`;
    const at = this.#reserve(n, what);
    Writer.#childOf = this.#shared;
    const child = new Writer();
    this.#status = 'parent';
    try {
      write(child);
    } catch (error) {
      this.#shared.length = at; // as if nothing was written: the prefix and any partial body go
      throw error;
    } finally {
      this.#status = 'open';
      child.#status = 'closed';
    }
    const length = child.length;
    const max = 2 ** bits - 1;
    if (length > max) {
      this.#shared.length = at;
      throw new RangeError(`Writer.${what}: content of ${length} bytes exceeds ${max}`);
    }
    Writer.#put(this.#shared.bytes, at, length, n);
    return this;
  }

  vec8(data: Uint8Array): this {
    return this.#vec(8, data);
  }

  vec16(data: Uint8Array): this {
    return this.#vec(16, data);
  }

  vec24(data: Uint8Array): this {
    return this.#vec(24, data);
  }

  #vec(bits: LengthBits, data: Uint8Array): this {
    const max = 2 ** bits - 1;
    if (data.length > max) {
      throw new RangeError(`Writer.lengthPrefixed(${bits}): content of ${data.length} bytes exceeds ${max}`);
    }
    return this.#uint(data.length, (bits / 8) as 1 | 2 | 3, `lengthPrefixed(${bits})`).bytes(data);
  }

  /** A copy of the bytes this writer has written so far. */
  finish(): Uint8Array {
    return this.#shared.bytes.slice(this.#start, this.#shared.length);
  }
}

/** Convenience: builds a byte string with a Writer. */
export function build(write: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  write(w);
  return w.finish();
}
