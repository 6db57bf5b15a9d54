/**
 * A mixer where each listener hears a chosen set of the others, not everyone (a
 * conference's mix-minus): a supervisor listening in hears both parties while neither
 * hears them; whispering, the agent hears them and the caller still does not. Fixed
 * 20 ms frames, summed in 32 bits and saturated to 16.
 */
export class ListenMatrix {
  private readonly inputs = new Map<string, { frame: Int16Array; fresh: boolean }>();
  private readonly outputs = new Map<string, Int16Array>();
  private readonly sum: Int32Array;
  /** listener → whom they hear. */
  private hears = new Map<string, ReadonlySet<string>>();

  constructor(
    ids: readonly string[],
    private readonly frameSamples = 160,
  ) {
    this.sum = new Int32Array(frameSamples);
    for (const id of ids) {
      this.inputs.set(id, { frame: new Int16Array(frameSamples), fresh: false });
      this.outputs.set(id, new Int16Array(frameSamples));
    }
  }

  /** Who hears whom from the next mix on; a listener missing from `hears` hears nobody. */
  route(hears: Record<string, readonly string[]>): void {
    this.hears = new Map(Object.entries(hears).map(([k, v]) => [k, new Set(v.filter((x) => x !== k))]));
  }

  /** This tick's frame of a party; a party that sent none this tick counts as silent. */
  setInput(id: string, frame: Int16Array): void {
    const input = this.inputs.get(id);
    if (!input) return;
    input.frame.set(frame.subarray(0, this.frameSamples));
    input.fresh = true;
  }

  /** Mixes every listener's frame for this tick and clears the inputs; `output(id)` reads them. */
  mix(): void {
    const n = this.frameSamples;
    for (const [id, out] of this.outputs) {
      this.sum.fill(0);
      for (const from of this.hears.get(id) ?? []) {
        const input = this.inputs.get(from);
        if (!input?.fresh) continue;
        for (let i = 0; i < n; i++) this.sum[i] += input.frame[i];
      }
      for (let i = 0; i < n; i++) {
        const v = this.sum[i];
        out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
    for (const input of this.inputs.values()) input.fresh = false;
  }

  output(id: string): Int16Array | undefined {
    return this.outputs.get(id);
  }
}
