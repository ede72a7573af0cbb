/**
 * What a record layer (`Connection` for TLS 1.2, `Connection13` for 1.3) has emitted since the engine last drained
 * it, in order: events, and the events of records still being sealed (promises), so a step's events come out in
 * the order they happened although sealing is asynchronous.
 */
export class EventQueue<E> {
  #items: (E | Promise<E[]>)[] = [];

  push(...items: (E | Promise<E[]>)[]): void {
    this.#items.push(...items);
  }

  /** Everything queued so far, in order, once every record queued is sealed; the queue is then empty. */
  async drain(): Promise<E[]> {
    const queued = this.#items;
    this.#items = [];
    const out: E[] = [];
    for (const item of queued) {
      if (item instanceof Promise) out.push(...(await item));
      else out.push(item);
    }
    return out;
  }

  /** Drops the plain events `keep` refuses (records being sealed are always kept). */
  retain(keep: (event: E) => boolean): void {
    this.#items = this.#items.filter((item) => item instanceof Promise || keep(item));
  }
}
