import { Emitter } from '../webrtc/emitter.js';
import type { ListenerPose } from './spatializer.js';

/** Where poses come from: the device's orientation events, the absolute-orientation sensor, a WebXR viewer pose, or set by hand. */
export type HeadTrackingSource = 'device-orientation' | 'absolute-orientation' | 'webxr' | 'manual';

export interface HeadTrackerEvents extends Record<string, unknown[]> {
  /** A new head pose relative to the call's frame; `readingTime` is the reading's performance.now(). */
  pose: [pose: ListenerPose, readingTime: number];
  /** Tracking started (with its source) or stopped (null). */
  source: [source: HeadTrackingSource | null];
  error: [error: Error];
}

interface Sensor extends EventTarget {
  quaternion?: number[];
  timestamp?: number;
  start(): void;
  stop(): void;
}

/**
 * The listener's head orientation. The frame is where the head pointed when tracking
 * started (or at `recenter()`): poses are relative to it, so a listener who turns right by
 * 30° gets yaw 30 and the Spatializer keeps every voice where the call's frame puts it.
 */
export class HeadTracker extends Emitter<HeadTrackerEvents> {
  source: HeadTrackingSource | null = null;
  pose: ListenerPose = { yaw: 0, pitch: 0, roll: 0 };
  private reference: ListenerPose | null = null;
  private stopSource: (() => void) | null = null;

  /** What this browser offers, best first (manual is always there). */
  static available(): HeadTrackingSource[] {
    const g = globalThis as Record<string, unknown>;
    const out: HeadTrackingSource[] = [];
    if (typeof g.AbsoluteOrientationSensor === 'function') out.push('absolute-orientation');
    if (typeof g.DeviceOrientationEvent === 'function') out.push('device-orientation');
    if ((g.navigator as { xr?: unknown } | undefined)?.xr) out.push('webxr');
    out.push('manual');
    return out;
  }

  /** Starts tracking from `source` (default: the best available). */
  async start(source: HeadTrackingSource = HeadTracker.available()[0]): Promise<void> {
    this.stop();
    this.reference = null;
    if (source === 'device-orientation') this.stopSource = this.fromDeviceOrientation();
    else if (source === 'absolute-orientation') this.stopSource = this.fromSensor();
    else if (source === 'webxr') this.stopSource = await this.fromWebXr();
    else this.stopSource = () => undefined;
    this.source = source;
    this.emit('source', source);
  }

  stop(): void {
    if (!this.stopSource) return;
    this.stopSource();
    this.stopSource = null;
    this.source = null;
    this.emit('source', null);
  }

  /** The current head direction becomes straight ahead. */
  recenter(): void {
    this.reference = null;
    this.report({ yaw: 0, pitch: 0, roll: 0 }, now());
  }

  /** Manual control (a slider, keyboard, a test): the pose relative to the frame. */
  setManual(pose: Partial<ListenerPose>): void {
    this.report({ ...this.pose, ...pose }, now());
  }

  /** An absolute reading: the first (or after recenter) defines the frame. */
  private absolute(abs: ListenerPose, readingTime: number): void {
    if (!this.reference) this.reference = abs;
    this.report({ yaw: wrap(abs.yaw - this.reference.yaw), pitch: abs.pitch - this.reference.pitch, roll: wrap(abs.roll - this.reference.roll) }, readingTime);
  }

  private report(pose: ListenerPose, readingTime: number): void {
    this.pose = { yaw: round(pose.yaw), pitch: round(pose.pitch), roll: round(pose.roll) };
    this.emit('pose', this.pose, readingTime);
  }

  /**
   * deviceorientation: alpha turns counter-clockwise seen from above (turning left), beta
   * tilts forward, gamma tilts right. Yaw right is −alpha.
   */
  private fromDeviceOrientation(): () => void {
    const onEvent = (e: Event) => {
      const ev = e as DeviceOrientationEvent;
      if (ev.alpha === null || ev.beta === null || ev.gamma === null) return;
      this.absolute({ yaw: -ev.alpha, pitch: ev.beta, roll: ev.gamma }, ev.timeStamp);
    };
    addEventListener('deviceorientation', onEvent);
    return () => removeEventListener('deviceorientation', onEvent);
  }

  private fromSensor(): () => void {
    const Ctor = (globalThis as unknown as { AbsoluteOrientationSensor: new (o: object) => Sensor }).AbsoluteOrientationSensor;
    const sensor = new Ctor({ frequency: 60, referenceFrame: 'device' });
    sensor.addEventListener('reading', () => {
      if (sensor.quaternion) this.absolute(quaternionToPose(sensor.quaternion), sensor.timestamp ?? now());
    });
    sensor.addEventListener('error', (e) => this.emit('error', new Error(String((e as unknown as { error?: Error }).error?.message ?? 'orientation sensor failed'))));
    sensor.start();
    return () => sensor.stop();
  }

  /** An inline WebXR session's viewer pose, each animation frame. */
  private async fromWebXr(): Promise<() => void> {
    type XrSession = { requestReferenceSpace(t: string): Promise<unknown>; requestAnimationFrame(cb: (t: number, f: XrFrame) => void): number; end(): Promise<void> };
    type XrFrame = { getViewerPose(space: unknown): { transform: { orientation: { x: number; y: number; z: number; w: number } } } | null };
    const xr = (navigator as unknown as { xr: { requestSession(mode: string): Promise<XrSession> } }).xr;
    const session = await xr.requestSession('inline');
    const space = await session.requestReferenceSpace('viewer');
    let running = true;
    const onFrame = (t: number, frame: XrFrame) => {
      if (!running) return;
      const o = frame.getViewerPose(space)?.transform.orientation;
      if (o) this.absolute(quaternionToPose([o.x, o.y, o.z, o.w]), t);
      session.requestAnimationFrame(onFrame);
    };
    session.requestAnimationFrame(onFrame);
    return () => {
      running = false;
      void session.end().catch(() => undefined);
    };
  }
}

/** Yaw/pitch/roll (degrees) of an [x, y, z, w] quaternion in the y-up, −z-forward frame. */
export function quaternionToPose([x, y, z, w]: number[]): ListenerPose {
  const deg = 180 / Math.PI;
  // Yaw about y (positive turning right, i.e. clockwise seen from above = negative rotation about +y).
  const yaw = -Math.atan2(2 * (w * y + x * z), 1 - 2 * (x * x + y * y)) * deg;
  const pitch = Math.asin(Math.max(-1, Math.min(1, 2 * (w * x - y * z)))) * deg;
  const roll = -Math.atan2(2 * (w * z + x * y), 1 - 2 * (x * x + z * z)) * deg;
  return { yaw, pitch, roll };
}

const wrap = (deg: number) => ((((deg + 180) % 360) + 360) % 360) - 180;
const round = (v: number) => Math.round(v * 100) / 100 + 0;
const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
