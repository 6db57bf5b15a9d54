/**
 * N-party conference mixing on fixed 20 ms frames ("mix-minus"): every participant
 * hears the sum of everyone else, never their own voice. The mix is computed once as
 * a 32-bit total and each output is total − own contribution, so a tick costs O(N·frame)
 * rather than O(N²·frame). Outputs saturate to 16 bits instead of wrapping.
 */

export interface MixerParticipant {
  readonly id: string;
  /** Muted participants are heard by nobody (they still hear the others). */
  muted: boolean;
  /** Linear gain applied to this participant's voice in everyone else's mix. */
  gain: number;
  /** This participant's input for the current tick; filled by `setInput`. */
  readonly input: Int16Array;
  /** What this participant hears after `mix()`; reused every tick. */
  readonly output: Int16Array;
}

interface ParticipantState extends MixerParticipant {
  hasInput: boolean;
  /** The contribution added to the total this tick (after gain/mute), to subtract back out. */
  readonly contribution: Int32Array;
}

export class ConferenceMixer {
  private readonly participants = new Map<string, ParticipantState>();
  private readonly total: Int32Array;

  constructor(private readonly frameSamples = 160) {
    this.total = new Int32Array(frameSamples);
  }

  add(id: string, opts: { muted?: boolean; gain?: number } = {}): MixerParticipant {
    if (this.participants.has(id)) throw new RangeError(`participant ${id} already in the mix`);
    const p: ParticipantState = {
      id,
      muted: opts.muted ?? false,
      gain: opts.gain ?? 1,
      input: new Int16Array(this.frameSamples),
      output: new Int16Array(this.frameSamples),
      contribution: new Int32Array(this.frameSamples),
      hasInput: false,
    };
    this.participants.set(id, p);
    return p;
  }

  remove(id: string): boolean {
    return this.participants.delete(id);
  }

  get size(): number {
    return this.participants.size;
  }

  get(id: string): MixerParticipant | undefined {
    return this.participants.get(id);
  }

  /** Copies this tick's frame for a participant; a participant without input this tick contributes silence. */
  setInput(id: string, frame: Int16Array): void {
    const p = this.participants.get(id);
    if (!p) return;
    p.input.set(frame.subarray(0, this.frameSamples));
    p.hasInput = true;
  }

  /** Computes every participant's `output` for this tick and clears the inputs. */
  mix(): void {
    const n = this.frameSamples;
    this.total.fill(0);
    for (const p of this.participants.values()) {
      const active = p.hasInput && !p.muted && p.gain !== 0;
      if (active) {
        for (let i = 0; i < n; i++) {
          const v = Math.round(p.input[i] * p.gain);
          p.contribution[i] = v;
          this.total[i] += v;
        }
      } else {
        p.contribution.fill(0);
      }
      p.hasInput = false;
    }
    for (const p of this.participants.values()) {
      for (let i = 0; i < n; i++) {
        const v = this.total[i] - p.contribution[i];
        p.output[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
  }
}
