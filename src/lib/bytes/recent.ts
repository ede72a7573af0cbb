/**
 * The last few results of a pure computation, by a content key (a hex digest or the bytes in hex): the least
 * recently used leaves first once `size` are kept. For public data only (decoded certificates, imported public
 * keys). A rejected promise is dropped, so that the next use tries again.
 */
export class Recent<V> {
  readonly #values = new Map<string, V>();

  constructor(readonly size: number) {}

  /** The value kept for `key`, else `make()`'s (kept unless it throws). */
  get(key: string, make: () => V): V {
    let value: V;
    if (this.#values.has(key)) {
      value = this.#values.get(key) as V;
      this.#values.delete(key); // set again below, as the most recently used
    } else {
      value = make();
      if (value instanceof Promise) value.catch(() => this.#values.delete(key));
    }
    this.#values.set(key, value);
    if (this.#values.size > this.size) this.#values.delete(this.#values.keys().next().value as string);
    return value;
  }
}
