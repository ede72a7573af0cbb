/**
 * A FIFO of bytes for stream reassembly. Pushing never re-copies what is already queued: small pushes are
 * packed into shared blocks (allocating a typed array per 1-byte fragment is what makes naive queues slow)
 * and large ones are kept as their own chunk, so feeding a message in many tiny pieces stays linear. Blocks
 * start small and double up to BLOCK while bytes pile up, and start small again once the queue was emptied: a
 * record layer drained after every flight of a few hundred bytes does not pay for a 16 KiB block each time.
 */

const BLOCK = 16 * 1024;
const FIRST_BLOCK = 256;

export class ByteQueue {
  /** Chunks in order; the last one may be an open block with only `#openUsed` bytes filled. */
  readonly #chunks: Uint8Array[] = [];
  #open: Uint8Array | undefined;
  #openUsed = 0;
  /** The size of the next block to open (doubling up to BLOCK). */
  #nextBlock = FIRST_BLOCK;
  /** Bytes of #chunks[0] already taken. */
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  #length(index: number): number {
    const chunk = this.#chunks[index]!;
    return chunk === this.#open ? this.#openUsed : chunk.length;
  }

  /** Closes the open block: it stays queued, trimmed to the bytes written. */
  #seal(): void {
    if (!this.#open) return;
    const last = this.#chunks.length - 1;
    if (this.#chunks[last] === this.#open) this.#chunks[last] = this.#open.subarray(0, this.#openUsed);
    this.#open = undefined;
  }

  /** Appends a copy of `bytes`. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#size += bytes.length;
    if (bytes.length >= BLOCK / 4) {
      this.#seal();
      this.#chunks.push(bytes.slice());
      return;
    }
    if (!this.#open || this.#openUsed + bytes.length > this.#open.length) {
      this.#seal();
      if (this.#size === bytes.length) this.#nextBlock = FIRST_BLOCK; // nothing else queued: start small again
      this.#open = new Uint8Array(Math.max(this.#nextBlock, bytes.length));
      this.#nextBlock = Math.min(BLOCK, this.#open.length * 2);
      this.#openUsed = 0;
      this.#chunks.push(this.#open);
    }
    this.#open.set(bytes, this.#openUsed);
    this.#openUsed += bytes.length;
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
      const length = this.#length(index);
      const count = Math.min(length - head, n - written);
      out.set(chunk.subarray(head, head + count), written);
      written += count;
      head += count;
      if (head === length) {
        index++;
        head = 0;
      }
    }
    if (consume) {
      this.#chunks.splice(0, index);
      if (this.#open && this.#chunks[this.#chunks.length - 1] !== this.#open) this.#open = undefined;
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
