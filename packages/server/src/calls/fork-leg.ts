import { newId } from '../core/ids.js';
import { Leg, type AudioPort } from './leg.js';

/**
 * Parallel forking (RFC 3261 §16.7 done by a UA): rings several contacts of one
 * user at once — a desk phone and a softphone — and becomes the first one that
 * answers; the others are cancelled. Ends only when every branch has failed.
 */
export class ForkLeg extends Leg {
  private winner: Leg | null = null;

  constructor(
    private readonly branches: Leg[],
    remote: string,
  ) {
    super(newId('leg'), branches[0].kind, 'outbound', remote);
    let failed = 0;
    for (const branch of branches) {
      branch.once('ringing', () => {
        this.markRinging();
      });
      branch.once('answered', () => this.onAnswered(branch));
      branch.once('ended', (cause) => {
        if (this.winner === branch) this.markEnded(cause);
        else if (!this.winner && ++failed === branches.length) this.markEnded(cause);
      });
    }
  }

  private onAnswered(branch: Leg): void {
    // A branch's hangup only tells its peer; it must not fail the answer that won.
    const release = (b: Leg) => void b.hangup('answered_elsewhere').catch(() => {});
    if (this.winner) {
      release(branch);
      return;
    }
    this.winner = branch;
    for (const other of this.branches) if (other !== branch) release(other);
    for (const event of ['held', 'resumed', 'dtmf', 'transferRequested'] as const) {
      branch.on(event, (...args: unknown[]) => (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args));
    }
    this.markAnswered();
  }

  get audio(): AudioPort | null {
    return this.winner?.audio ?? null;
  }

  ring(): void {}

  async answer(): Promise<void> {
    throw new Error('outbound legs are answered by the far end');
  }

  async hold(): Promise<void> {
    await this.active().hold();
    this.onHold = true;
  }

  async resume(): Promise<void> {
    await this.active().resume();
    this.onHold = false;
  }

  async hangup(cause: string): Promise<void> {
    if (this.state === 'ended') return;
    await Promise.all((this.winner ? [this.winner] : this.branches).map((b) => b.hangup(cause)));
    this.markEnded(cause);
  }

  private active(): Leg {
    if (!this.winner) throw new Error('leg not answered');
    return this.winner;
  }
}
