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
 * Values out of range (a u8 of 256, a vec8 of 300 bytes) throw RangeError naming the problem: encoders take
 * structured data from our own code, so a bad value is a programming error, not hostile input.
 */
import type { LengthBits } from './reader.ts';

export class Writer {
  #buf: Uint8Array;
  #len = 0;

  constructor(initialCapacity = 256) {
    this.#buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.#len;
  }

  #ensure(extra: number): void {
    const need = this.#len + extra;
    if (need <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  #uint(value: number, n: 1 | 2 | 3 | 4, what: string): this {
    const max = 2 ** (8 * n) - 1;
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new RangeError(`Writer.${what}: expected an integer in [0, ${max}], got ${value}`);
    }
    this.#ensure(n);
    for (let i = n - 1; i >= 0; i--) {
      this.#buf[this.#len + i] = value & 0xff;
      value = Math.floor(value / 256);
    }
    this.#len += n;
    return this;
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
    this.#ensure(data.length);
    this.#buf.set(data, this.#len);
    this.#len += data.length;
    return this;
  }

  /** Writes a `bits`-bit length, then whatever `write` writes into the child builder. */
  lengthPrefixed(bits: LengthBits, write: (child: Writer) => void): this {
    const child = new Writer();
    write(child);
    const body = child.finish();
    const max = 2 ** bits - 1;
    if (body.length > max) {
      throw new RangeError(`Writer.lengthPrefixed(${bits}): content of ${body.length} bytes exceeds ${max}`);
    }
    this.#uint(body.length, (bits / 8) as 1 | 2 | 3, `lengthPrefixed(${bits})`);
    return this.bytes(body);
  }

  vec8(data: Uint8Array): this {
    return this.lengthPrefixed(8, (w) => w.bytes(data));
  }

  vec16(data: Uint8Array): this {
    return this.lengthPrefixed(16, (w) => w.bytes(data));
  }

  vec24(data: Uint8Array): this {
    return this.lengthPrefixed(24, (w) => w.bytes(data));
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

/** Convenience: builds a byte string with a Writer. */
export function build(write: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  write(w);
  return w.finish();
}
