/**
 * A FIFO of byte chunks for stream reassembly: pushing is O(1) and bytes are copied once, when taken, so
 * feeding a large message in many small pieces stays linear (no re-concatenation on every push).
 */
export class ByteQueue {
  readonly #chunks: Uint8Array[] = [];
  /** Bytes of #chunks[0] already taken. */
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Appends a copy of `bytes`. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#chunks.push(bytes.slice());
    this.#size += bytes.length;
  }

  #copy(n: number, consume: boolean): Uint8Array {
    if (!Number.isInteger(n) || n < 0 || n > this.#size) {
      throw new RangeError(`ByteQueue: cannot read ${n} bytes, ${this.#size} queued`);
    }
    const out = new Uint8Array(n);
    let written = 0;
    let index = 0;
    let head = this.#head;
    while (written < n) {
      const chunk = this.#chunks[index]!;
      const count = Math.min(chunk.length - head, n - written);
      out.set(chunk.subarray(head, head + count), written);
      written += count;
      head += count;
      if (head === chunk.length) {
        index++;
        head = 0;
      }
    }
    if (consume) {
      this.#chunks.splice(0, index);
      this.#head = head;
      this.#size -= n;
    }
    return out;
  }

  /** A copy of the first `n` bytes, left in the queue. */
  peek(n: number): Uint8Array {
    return this.#copy(n, false);
  }

  /** Removes and returns the first `n` bytes. */
  take(n: number): Uint8Array {
    return this.#copy(n, true);
  }
}
