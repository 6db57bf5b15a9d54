interface Waiting<T, R> {
  item: T;
  resolve(r: R): void;
  reject(err: unknown): void;
}

/**
 * Keyed group commit: while one batch of a key is being written, later items of that key
 * queue and go together in the next batch. Under load, thousands of small transactions
 * become a few large ones; alone, an item is written at once (no waiting for company).
 * Batches of one key never overlap, so their writer may keep the key's state in step.
 */
export class GroupCommit<T, R> {
  private readonly queues = new Map<string, Waiting<T, R>[]>();

  constructor(
    private readonly write: (key: string, items: T[]) => Promise<R[]>,
    private readonly maxBatch: number,
  ) {}

  submit(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const q = this.queues.get(key);
      if (q) return void q.push({ item, resolve, reject });
      const fresh = [{ item, resolve, reject }];
      this.queues.set(key, fresh);
      void this.drain(key, fresh);
    });
  }

  private async drain(key: string, q: Waiting<T, R>[]): Promise<void> {
    while (q.length > 0) {
      const batch = q.splice(0, this.maxBatch);
      try {
        const results = await this.write(
          key,
          batch.map((w) => w.item),
        );
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.queues.delete(key);
  }
}
