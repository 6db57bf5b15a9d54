/**
 * Admits a room's joins in the order their requests arrived. Verifying a join token reads
 * the store, and on Postgres those reads run side by side on a pool and finish in any
 * order; applied as they finish, a later joiner could be admitted first — taking the last
 * seat of a full room, or the earlier seq (the REST cursor and the named few of the
 * audience) — and its join state could miss someone who asked before it. Verification
 * still runs concurrently; only the admission step waits its turn.
 */
export class JoinOrder {
  /** roomId → settles when the last admission queued for that room has finished its turn */
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `admit` with what `pending` resolves to, after every admission that arrived
   * earlier for `roomId` has run. The next turn starts on a later event-loop turn, so the
   * caller's reply (sent right after `admit`, in the same tick) leaves before any delta
   * that the next admission pushes to this joiner.
   */
  run<T, R>(roomId: string, pending: Promise<T>, admit: (value: T) => R): Promise<R> {
    pending.catch(() => undefined); // a rejection waiting for its turn is not unhandled
    const previous = this.tails.get(roomId) ?? Promise.resolve();
    const result = previous.then(() => pending).then(admit);
    const tail = result.then(nextTurn, nextTurn);
    this.tails.set(roomId, tail);
    void tail.then(() => {
      if (this.tails.get(roomId) === tail) this.tails.delete(roomId);
    });
    return result;
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
