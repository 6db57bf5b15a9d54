/**
 * Where the webhook scan is in the audit log, kept in memory between passes so a pass reads
 * only rows it has not seen.
 *
 * On Postgres a lower `seq` may commit after a higher one (concurrent inserts), so rows can
 * appear behind what was read. Each gap in the seqs read is remembered with when it was seen
 * and read again until it is filled or older than `settleMs` (then it was a rolled-back insert).
 * The stored cursor stays just below the oldest open gap: after a restart, or when another
 * process moved the stored cursor, the scan starts again from there, which only re-reads rows
 * (deliveries are unique per webhook and event).
 */
export class LogCursor {
  /** The stored position this state belongs to; another value means someone else moved it. */
  private stored: number | null = null;
  private upTo = 0;
  private gaps: { from: number; to: number; seenAt: number }[] = [];

  constructor(
    private readonly settleMs: number,
    /** SQLite commits one writer at a time, in seq order: nothing can appear behind. */
    private readonly gapsCanFill: boolean,
  ) {}

  /** What to read next: rows above `after`, and rows in the open gaps. */
  next(storedPosition: number): { after: number; gaps: { from: number; to: number }[] } {
    if (this.stored !== storedPosition) {
      this.stored = storedPosition;
      this.upTo = storedPosition;
      this.gaps = [];
    }
    return { after: this.upTo, gaps: this.gaps.map(({ from, to }) => ({ from, to })) };
  }

  /** Takes the seqs a pass read (ascending) and returns the position to store. */
  advance(seqs: readonly number[], now: number): number {
    for (const seq of seqs) {
      if (seq <= this.upTo) continue;
      if (this.gapsCanFill && seq > this.upTo + 1) this.gaps.push({ from: this.upTo + 1, to: seq - 1, seenAt: now });
      this.upTo = seq;
    }
    this.gaps = this.gaps.filter((g) => g.seenAt > now - this.settleMs && !this.filled(g, seqs));
    const position = this.gaps.length ? Math.min(...this.gaps.map((g) => g.from)) - 1 : this.upTo;
    this.stored = position;
    return position;
  }

  private filled(g: { from: number; to: number }, seqs: readonly number[]): boolean {
    const inside = seqs.filter((s) => s >= g.from && s <= g.to).length;
    return inside === g.to - g.from + 1;
  }

  reset(): void {
    this.stored = null;
  }
}
