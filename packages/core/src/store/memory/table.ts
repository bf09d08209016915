/**
 * The memory counter store's table: entries by partition, then by counter name. Two levels
 * rather than one composite key because a request's `partition` and `key` strings are the same
 * objects call after call (core memoizes its plans), so looking them up reuses their cached
 * hashes, where a composite key would be a new string to build and hash on every call.
 */

/** What every entry exposes to the sweep. */
export interface Expiring {
  /** From this time on the entry equals a fresh one and may be dropped. */
  idleAt: number;
}

export class CounterTable<E extends Expiring> {
  #partitions = new Map<string, Map<string, E>>();
  #size = 0;
  #cursor: MapIterator<[string, Map<string, E>]> = this.#partitions.entries();

  /** Number of entries (not partitions). */
  get size(): number {
    return this.#size;
  }

  get(partition: string, key: string): E | undefined {
    return this.#partitions.get(partition)?.get(key);
  }

  set(partition: string, key: string, entry: E): void {
    let inner = this.#partitions.get(partition);
    if (inner === undefined) {
      inner = new Map();
      this.#partitions.set(partition, inner);
    }
    const before = inner.size;
    inner.set(key, entry);
    this.#size += inner.size - before;
  }

  delete(partition: string, key: string): void {
    const inner = this.#partitions.get(partition);
    if (inner === undefined || !inner.delete(key)) return;
    this.#size--;
    if (inner.size === 0) this.#partitions.delete(partition);
  }

  /**
   * Walks on from where the last call stopped, examining about `count` entries (whole
   * partitions at a time), and drops those idle at or before `horizon`.
   */
  sweep(count: number, horizon: number): void {
    let examined = 0;
    let restarted = false;
    while (examined < count && this.#size > 0) {
      let next = this.#cursor.next();
      if (next.done) {
        if (restarted) return;
        restarted = true;
        this.#cursor = this.#partitions.entries();
        next = this.#cursor.next();
        if (next.done) return;
      }
      const [partition, inner] = next.value;
      for (const [key, entry] of inner) {
        examined++;
        if (entry.idleAt <= horizon) {
          inner.delete(key);
          this.#size--;
        }
      }
      if (inner.size === 0) this.#partitions.delete(partition);
    }
  }
}
