import type { AudioFrameListener } from '../../media/audio-endpoint.js';
import type { MediaClock } from '../../media/clock.js';
import { ConferenceMixer } from '../../media/mixer.js';
import type { Call } from '../call.js';
import type { AudioPort } from '../leg.js';

interface Member {
  call: Call;
  audio: AudioPort;
  onAudio: AudioFrameListener;
}

export interface ConferenceMemberView {
  callId: string;
  muted: boolean;
}

/**
 * One conference room: the calls in it and the mix-minus mixer that joins their audio.
 * Each member's 'audio' frame is the mixer's input for the tick; once per media-clock tick
 * the room mixes and sends every member what the others said. A member whose stream was
 * created after the room's clock subscription delivers its frame after that tick's mix and
 * is heard one tick (20 ms) later; nothing is lost.
 */
export class Conference {
  private readonly mixer = new ConferenceMixer();
  private readonly members = new Map<string, Member>();
  private stopClock: (() => void) | null = null;

  constructor(
    readonly tenantId: string,
    readonly name: string,
    private readonly clock: MediaClock,
    /** Called when a member is gone, however it left (API, hangup, another activity took its audio). */
    private readonly onLeft: (room: Conference, callId: string) => void,
  ) {}

  get size(): number {
    return this.members.size;
  }

  has(callId: string): boolean {
    return this.members.has(callId);
  }

  view(): ConferenceMemberView[] {
    return [...this.members.values()].map((m) => ({ callId: m.call.id, muted: this.mixer.get(m.call.id)!.muted }));
  }

  /** Takes over the call's audio (whatever played on it stops). Throws the call's conflict if it is not answered. */
  join(call: Call, muted: boolean): void {
    const audio = call.joinConference(() => this.drop(call.id));
    const onAudio: AudioFrameListener = (frame, kind) => {
      if (kind !== 'silence') this.mixer.setInput(call.id, frame);
    };
    this.mixer.add(call.id, { muted });
    audio.on('audio', onAudio);
    this.members.set(call.id, { call, audio, onAudio });
    this.stopClock ??= this.clock.subscribe(() => this.tick());
  }

  /** Removes the call and gives its audio back idle; false if it was not a member. */
  leave(callId: string): boolean {
    const member = this.members.get(callId);
    if (!member) return false;
    this.drop(callId);
    member.call.leftConference();
    return true;
  }

  mute(callId: string, muted: boolean): boolean {
    const p = this.mixer.get(callId);
    if (!p) return false;
    p.muted = muted;
    return true;
  }

  /** Everyone leaves; used at shutdown. */
  close(): void {
    for (const id of [...this.members.keys()]) this.leave(id);
  }

  private drop(callId: string): void {
    const member = this.members.get(callId);
    if (!member) return;
    member.audio.off('audio', member.onAudio);
    this.members.delete(callId);
    this.mixer.remove(callId);
    if (this.members.size === 0) {
      this.stopClock?.();
      this.stopClock = null;
    }
    this.onLeft(this, callId);
  }

  private tick(): void {
    if (this.members.size < 2) return;
    this.mixer.mix();
    for (const m of this.members.values()) m.audio.sendFrame(this.mixer.get(m.call.id)!.output);
  }
}
