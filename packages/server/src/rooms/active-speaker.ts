/**
 * Picks who is speaking from RFC 6464 audio levels (-dBov: 0 loudest, 127 silence) that
 * publishers put on every audio packet — no decoding. Levels are averaged per tick; the
 * active speaker changes only after someone else has been loudest for `holdTicks`
 * ticks, so a cough does not flip the spotlight.
 */
export interface SpeakerUpdate {
  /** Participants whose mean level this tick was above the speech threshold. */
  speaking: string[];
  activeSpeaker: string | null;
  activeChanged: boolean;
  speakingChanged: boolean;
}

export interface ActiveSpeakerOptions {
  /** Mean level at or below this many -dBov counts as speech. Default 50 (−50 dBov). */
  speechDbov?: number;
  holdTicks?: number;
  /** Silent ticks before the active speaker is cleared. */
  clearAfterTicks?: number;
}

export class ActiveSpeakerDetector {
  private readonly sums = new Map<string, { sum: number; n: number }>();
  private active: string | null = null;
  private candidate: string | null = null;
  private candidateTicks = 0;
  private silentTicks = 0;
  private lastSpeaking = '';
  private readonly speechDbov: number;
  private readonly holdTicks: number;
  private readonly clearAfterTicks: number;

  constructor(opts: ActiveSpeakerOptions = {}) {
    this.speechDbov = opts.speechDbov ?? 50;
    this.holdTicks = opts.holdTicks ?? 2;
    this.clearAfterTicks = opts.clearAfterTicks ?? 10;
  }

  addLevel(participantId: string, dbov: number): void {
    const s = this.sums.get(participantId);
    if (s) {
      s.sum += dbov;
      s.n++;
    } else this.sums.set(participantId, { sum: dbov, n: 1 });
  }

  /** A participant left or was muted: forget them at once. */
  remove(participantId: string): void {
    this.sums.delete(participantId);
    if (this.candidate === participantId) this.candidate = null;
  }

  tick(): SpeakerUpdate {
    let loudest: string | null = null;
    let loudestLevel = Infinity;
    const speaking: string[] = [];
    for (const [id, { sum, n }] of this.sums) {
      const mean = sum / n;
      if (mean > this.speechDbov) continue;
      speaking.push(id);
      if (mean < loudestLevel) {
        loudestLevel = mean;
        loudest = id;
      }
    }
    this.sums.clear();
    speaking.sort();

    const before = this.active;
    if (loudest === null) {
      this.candidate = null;
      if (++this.silentTicks >= this.clearAfterTicks) this.active = null;
    } else {
      this.silentTicks = 0;
      if (loudest === this.active) this.candidate = null;
      else if (this.active === null) this.active = loudest;
      else {
        this.candidateTicks = loudest === this.candidate ? this.candidateTicks + 1 : 1;
        this.candidate = loudest;
        if (this.candidateTicks >= this.holdTicks) {
          this.active = loudest;
          this.candidate = null;
        }
      }
    }
    const key = speaking.join(',');
    const speakingChanged = key !== this.lastSpeaking;
    this.lastSpeaking = key;
    return { speaking, activeSpeaker: this.active, activeChanged: before !== this.active, speakingChanged };
  }
}
