import { direction, positionProblem, type SpatialPosition } from './layout.js';

/**
 * binaural: HRTF panning for headphones (equal-power where the browser has no HRTF);
 * stereo: equal-power panning by azimuth (speakers, or a browser without HRTF);
 * mono: every voice centred, summed to one channel; off: no processing, the browser plays each stream itself.
 */
export type SpatialMode = 'binaural' | 'stereo' | 'mono' | 'off';

/**
 * The listener's head relative to the call's frame, degrees: yaw positive turning right,
 * pitch positive looking up, roll positive tilting the right ear down.
 */
export interface ListenerPose {
  yaw: number;
  pitch: number;
  roll: number;
}

export interface SpatializerOptions {
  /** Default: a new AudioContext (the one shared context for every voice). Tests pass an OfflineAudioContext. */
  context?: BaseAudioContext;
  mode?: SpatialMode;
  /** How long a voice takes to move to a new position (default 400 ms, above the HRTF panner's 2048-frame crossfade). */
  transitionMs?: number;
  /** Where the mix goes (default the context's destination). */
  output?: AudioNode;
  /** Behave as a browser without HRTF (tests and the UI's fallback notice). */
  forceEqualPower?: boolean;
  /** Time constant of head-pose smoothing (default 8 ms): short enough to stay under the ~30 ms latency people notice. */
  poseSmoothingMs?: number;
}

interface Voice {
  id: string;
  input: AudioNode;
  volume: GainNode;
  panner: PannerNode;
  /** The position the voice is moving to, and the arc it is on. */
  from: SpatialPosition;
  to: SpatialPosition;
  t0: number;
  t1: number;
  /** The muted <audio> a remote MediaStream needs before Web Audio gets its samples (Chromium). */
  sink: HTMLAudioElement | null;
  userVolume: number;
}

const DEFAULT_POSITION: SpatialPosition = { azimuth: 0, elevation: 0, distance: 1 };
/** Points of the arc a transition follows (linear ramps between them). */
const ARC_STEPS = 16;

/**
 * Places each remote voice at a position in the call's frame, for headphones (HRTF) or
 * speakers (equal-power), in one shared audio context:
 *
 *   const spatial = new Spatializer();
 *   room.on('track', (id, stream) => spatial.addStream(id, stream));
 *   spatial.setPosition(id, { azimuth: -30, elevation: 0, distance: 1 });
 *   headTracker.on('pose', (pose) => spatial.setListenerPose(pose));
 *
 * A voice moves along the arc between positions over `transitionMs` (no jump, no click);
 * the listener's head pose turns the listener, so voices stay where the frame puts them.
 */
export class Spatializer {
  readonly context: BaseAudioContext;
  /** False when the browser's PannerNode has no HRTF: binaural falls back to equal-power (tell the user). */
  readonly hrtfSupported: boolean;
  mode: SpatialMode;
  transitionMs: number;
  pose: ListenerPose = { yaw: 0, pitch: 0, roll: 0 };
  /** Milliseconds from the last head-pose reading to when it is heard (see setListenerPose's `readingTime`). */
  motionToSoundMs: number | null = null;

  private readonly voices = new Map<string, Voice>();
  private readonly master: GainNode;
  private readonly monoBus: GainNode;
  private readonly ownsContext: boolean;
  private readonly poseTau: number;
  private closed = false;

  constructor(opts: SpatializerOptions = {}) {
    this.ownsContext = !opts.context;
    this.context = opts.context ?? new AudioContext({ latencyHint: 'interactive' });
    this.mode = opts.mode ?? 'binaural';
    this.transitionMs = opts.transitionMs ?? 400;
    this.poseTau = (opts.poseSmoothingMs ?? 8) / 1000;
    const probe = this.context.createPanner();
    probe.panningModel = 'HRTF';
    this.hrtfSupported = !opts.forceEqualPower && probe.panningModel === 'HRTF';
    this.master = this.context.createGain();
    this.master.connect(opts.output ?? this.context.destination);
    // Mono: one channel, the destination copies it to both ears.
    this.monoBus = new GainNode(this.context, { channelCount: 1, channelCountMode: 'explicit', channelInterpretation: 'speakers' });
    this.monoBus.connect(this.master);
    this.setListenerPose(this.pose, { immediate: true });
  }

  /** The panning model in use for binaural: 'HRTF', or 'equalpower' where it is missing. */
  get panningModel(): PanningModelType {
    return this.mode === 'binaural' && this.hrtfSupported ? 'HRTF' : 'equalpower';
  }

  get ids(): string[] {
    return [...this.voices.keys()];
  }

  /**
   * A remote participant's stream. Chromium gives Web Audio a remote WebRTC stream's
   * samples only while a media element plays it, so a muted <audio> element plays it too
   * (and plays it audibly in 'off' mode).
   */
  addStream(id: string, stream: MediaStream, position: SpatialPosition = DEFAULT_POSITION): void {
    const sink = typeof Audio === 'function' ? new Audio() : null;
    if (sink) {
      sink.muted = this.mode !== 'off';
      sink.srcObject = stream;
      sink.dataset.spatialSink = id;
      void sink.play().catch(() => undefined);
    }
    const ctx = this.context as AudioContext;
    this.addVoice(id, ctx.createMediaStreamSource(stream), position, sink);
  }

  /** Any audio node as a voice (a test tone, an OfflineAudioContext buffer source). */
  addSource(id: string, node: AudioNode, position: SpatialPosition = DEFAULT_POSITION): void {
    this.addVoice(id, node, position, null);
  }

  remove(id: string): void {
    const v = this.voices.get(id);
    if (!v) return;
    this.voices.delete(id);
    v.input.disconnect();
    v.volume.disconnect();
    v.panner.disconnect();
    if (v.sink) {
      v.sink.pause();
      v.sink.srcObject = null;
    }
  }

  /** Moves a voice (over `transitionMs`, or at once with 0). Throws on a position out of range. */
  setPosition(id: string, position: SpatialPosition, opts: { transitionMs?: number; at?: number } = {}): void {
    const problem = positionProblem(position);
    if (problem) throw new RangeError(problem);
    const v = this.voices.get(id);
    if (!v) return;
    const now = opts.at ?? this.context.currentTime;
    const ms = opts.transitionMs ?? this.transitionMs;
    const from = this.positionAt(v, now);
    v.from = from;
    v.to = { ...position };
    v.t0 = now;
    v.t1 = now + ms / 1000;
    const params = [v.panner.positionX, v.panner.positionY, v.panner.positionZ];
    for (const p of params) p.cancelScheduledValues(now);
    const start = cartesian(ms <= 0 ? position : from);
    params.forEach((p, i) => p.setValueAtTime(start[i], now));
    if (ms <= 0) return;
    for (let k = 1; k <= ARC_STEPS; k++) {
      const point = cartesian(interpolate(from, position, k / ARC_STEPS));
      params.forEach((p, i) => p.linearRampToValueAtTime(point[i], now + ((ms / 1000) * k) / ARC_STEPS));
    }
  }

  /** Where a voice is (in the frame) at a context time, following its transition. */
  positionOf(id: string, at = this.context.currentTime): SpatialPosition | null {
    const v = this.voices.get(id);
    return v ? this.positionAt(v, at) : null;
  }

  /** 0…2 (1 = as received); applies at once, smoothed over a few milliseconds. */
  setVolume(id: string, volume: number): void {
    if (!Number.isFinite(volume) || volume < 0 || volume > 2) throw new RangeError('volume must be between 0 and 2');
    const v = this.voices.get(id);
    if (!v) return;
    v.userVolume = volume;
    v.volume.gain.setTargetAtTime(volume, this.context.currentTime, 0.01);
    if (v.sink) v.sink.volume = Math.min(1, volume);
  }

  setMode(mode: SpatialMode): void {
    this.mode = mode;
    for (const v of this.voices.values()) this.route(v);
  }

  /**
   * Turns the listener (head tracking): a voice fixed in the frame at azimuth θ is heard at
   * θ − yaw. `readingTime` (performance.now() of the sensor reading) measures motion-to-sound latency.
   */
  setListenerPose(pose: ListenerPose, opts: { immediate?: boolean; at?: number; readingTime?: number } = {}): void {
    this.pose = { ...pose };
    const { forward, up } = orientation(pose);
    const l = this.context.listener;
    const at = opts.at ?? this.context.currentTime;
    if (l.forwardX) {
      const params = [l.forwardX, l.forwardY, l.forwardZ, l.upX, l.upY, l.upZ];
      const values = [...forward, ...up];
      params.forEach((p, i) => {
        p.cancelScheduledValues(at);
        if (opts.immediate) p.setValueAtTime(values[i], at);
        else p.setTargetAtTime(values[i], at, this.poseTau);
      });
    } else {
      (l as AudioListener & { setOrientation(...v: number[]): void }).setOrientation(...forward, ...up);
    }
    if (opts.readingTime !== undefined && typeof performance !== 'undefined') {
      const ctx = this.context as AudioContext;
      const outputMs = ((ctx.baseLatency ?? 0) + (ctx.outputLatency ?? 0)) * 1000;
      // Reading → here, plus the audio pipeline, plus the smoothing's settling (two time constants, ~86%).
      this.motionToSoundMs = performance.now() - opts.readingTime + outputMs + 2 * this.poseTau * 1000;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of this.ids) this.remove(id);
    this.master.disconnect();
    if (this.ownsContext) await (this.context as AudioContext).close().catch(() => undefined);
  }

  private addVoice(id: string, input: AudioNode, position: SpatialPosition, sink: HTMLAudioElement | null): void {
    const problem = positionProblem(position);
    if (problem) throw new RangeError(problem);
    this.remove(id);
    const volume = this.context.createGain();
    const panner = new PannerNode(this.context, {
      panningModel: this.panningModel,
      distanceModel: 'inverse',
      refDistance: 1,
      maxDistance: 100,
      rolloffFactor: 1,
    });
    const [x, y, z] = cartesian(position);
    panner.positionX.setValueAtTime(x, this.context.currentTime);
    panner.positionY.setValueAtTime(y, this.context.currentTime);
    panner.positionZ.setValueAtTime(z, this.context.currentTime);
    input.connect(volume);
    const now = this.context.currentTime;
    const v: Voice = { id, input, volume, panner, from: { ...position }, to: { ...position }, t0: now, t1: now, sink, userVolume: 1 };
    this.voices.set(id, v);
    this.route(v);
  }

  private route(v: Voice): void {
    v.volume.disconnect();
    v.panner.disconnect();
    if (v.sink) v.sink.muted = this.mode !== 'off';
    if (this.mode === 'off') return; // the <audio> element plays it
    if (this.mode === 'mono') {
      v.volume.connect(this.monoBus);
      return;
    }
    v.panner.panningModel = this.panningModel;
    v.volume.connect(v.panner);
    v.panner.connect(this.master);
  }

  private positionAt(v: Voice, t: number): SpatialPosition {
    if (t >= v.t1 || v.t1 <= v.t0) return { ...v.to };
    if (t <= v.t0) return { ...v.from };
    return interpolate(v.from, v.to, (t - v.t0) / (v.t1 - v.t0));
  }
}

/** Web Audio coordinates (x right, y up, −z ahead) of a position. */
export function cartesian(p: SpatialPosition): [number, number, number] {
  const [x, y, z] = direction(p.azimuth, p.elevation);
  return [x * p.distance, y * p.distance, z * p.distance];
}

/** Along the arc (angles and distance interpolated), azimuth the short way round. */
export function interpolate(a: SpatialPosition, b: SpatialPosition, f: number): SpatialPosition {
  let dAz = b.azimuth - a.azimuth;
  if (dAz > 180) dAz -= 360;
  if (dAz < -180) dAz += 360;
  return { azimuth: a.azimuth + dAz * f, elevation: a.elevation + (b.elevation - a.elevation) * f, distance: a.distance + (b.distance - a.distance) * f };
}

/** The listener's forward and up vectors for a head pose (yaw, then pitch, then roll). */
export function orientation(pose: ListenerPose): { forward: [number, number, number]; up: [number, number, number] } {
  const rad = Math.PI / 180;
  const [cy, sy] = [Math.cos(pose.yaw * rad), Math.sin(pose.yaw * rad)];
  const [cp, sp] = [Math.cos(pose.pitch * rad), Math.sin(pose.pitch * rad)];
  const [cr, sr] = [Math.cos(pose.roll * rad), Math.sin(pose.roll * rad)];
  // Head axes before rotation: right (1,0,0), up (0,1,0), forward (0,0,−1).
  // Roll about forward, pitch about right, yaw about the world's up (turning right is clockwise seen from above).
  const rollUp: [number, number, number] = [sr, cr, 0];
  const yaw = (v: [number, number, number]): [number, number, number] => [v[0] * cy - v[2] * sy, v[1], v[0] * sy + v[2] * cy];
  const fwd = yaw(pitchVec([0, 0, -1], cp, sp));
  const up = yaw(pitchVec(rollUp, cp, sp));
  return { forward: fwd.map(clean) as [number, number, number], up: up.map(clean) as [number, number, number] };
}

/** Rotates about the x (right) axis so that forward (0,0,−1) tilts up for positive pitch. */
function pitchVec(v: [number, number, number], cp: number, sp: number): [number, number, number] {
  // forward (0,0,-1) → (0, sp, -cp); up (0,1,0) → (0, cp, sp)
  return [v[0], v[1] * cp - v[2] * sp, v[1] * sp + v[2] * cp];
}

const clean = (v: number) => (Math.abs(v) < 1e-12 ? 0 : v);
