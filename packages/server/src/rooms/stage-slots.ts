import { ROOM_STAGE_SLOTS } from '@callsight/protocol';

/** Audio slots a stage subscription carries: more voices than this at once are rare on a stage. */
export const STAGE_SLOTS = ROOM_STAGE_SLOTS;
/** RFC 6464 level (-dBov) under which a packet counts as voice, not room noise. */
const VOICE_DBOV = 50;
/** A voice without a slot takes the slot of one silent at least this long (last-N by recent voice). */
const QUIET_MS = 2000;

/**
 * Which stage voice goes out on which of the stage subscription's audio slots, the same
 * for every listener, so one lookup per packet serves the whole audience. A voice gets a
 * free slot on its first packet; when all are taken, a voice that speaks takes the slot
 * of the one silent longest (≥ QUIET_MS), so whoever talks is heard with up to
 * STAGE_SLOTS on stage or more. Promotion is then one assignment: every listener's open
 * connection carries the new voice from its next packet.
 */
export class StageSlots {
  private readonly holders: (string | null)[];
  private readonly lastVoiceAt: number[];
  /** Per slot, which assignment it carries now: a voice brought back up is a new stream on its slot. */
  private readonly keys: string[];
  private assignments = 0;
  private readonly index = new Map<string, number>();

  constructor(
    readonly size: number,
    private readonly onChange: (holders: readonly (string | null)[]) => void,
  ) {
    this.holders = new Array<string | null>(size).fill(null);
    this.lastVoiceAt = new Array<number>(size).fill(0);
    this.keys = new Array<string>(size).fill('');
  }

  /** The slot this publisher's packet goes out on, or null (all slots busy with recent voices). */
  slotFor(publisherId: string, level: number | undefined, now: number): number | null {
    // Without a level (a client that sends none) every packet counts as voice.
    const voiced = level === undefined || level < VOICE_DBOV;
    let i = this.index.get(publisherId);
    if (i !== undefined) {
      if (voiced) this.lastVoiceAt[i] = now;
      return i;
    }
    i = this.holders.indexOf(null);
    if (i < 0) {
      if (!voiced) return null;
      i = this.quietest();
      if (now - this.lastVoiceAt[i] < QUIET_MS) return null;
      this.index.delete(this.holders[i]!);
    }
    this.holders[i] = publisherId;
    this.keys[i] = `${publisherId}#${++this.assignments}`;
    this.lastVoiceAt[i] = voiced ? now : 0;
    this.index.set(publisherId, i);
    this.onChange(this.holders);
    return i;
  }

  /** The publisher left the stage (stepped down, unpublished, left): its slot is free. */
  release(publisherId: string): void {
    const i = this.index.get(publisherId);
    if (i === undefined) return;
    this.index.delete(publisherId);
    this.holders[i] = null;
    this.onChange(this.holders);
  }

  /** The stream a slot carries now (publisher and assignment): the forwarder's `source`. */
  sourceOf(slot: number): string {
    return this.keys[slot];
  }

  get current(): (string | null)[] {
    return [...this.holders];
  }

  private quietest(): number {
    let best = 0;
    for (let i = 1; i < this.size; i++) if (this.lastVoiceAt[i] < this.lastVoiceAt[best]) best = i;
    return best;
  }
}
