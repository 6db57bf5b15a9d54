import { HeadTracker, Spatializer, type HeadTrackingSource, type ListenerPose, type SpatialMode, type SpatialPosition } from '@callsight/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';

export interface OutputLevels {
  /** RMS of what you hear in each ear, 0–1. */
  left: number;
  right: number;
}

export interface SpatialAudio {
  mode: SpatialMode;
  setMode(mode: SpatialMode): void;
  /** False: this browser has no HRTF panner, so "Spatial" pans equal-power (the UI says so). */
  hrtf: boolean;
  /** Where head poses come from while tracking is on; null when off. */
  tracking: HeadTrackingSource | null;
  setTracking(on: boolean): Promise<void>;
  pose: ListenerPose;
  /** The manual head control (desktop, or to test): turns your head in the call's frame. */
  turnHead(yaw: number): void;
  recenter(): void;
  /** Head pose reading → heard, ms (the debug overlay). */
  motionToSoundMs: number | null;
  levels: OutputLevels;
  /** The context may start suspended until the page is touched: call from a click. */
  resume(): void;
}

/** Phones and tablets turn with the head; a desktop gets the manual control. */
const sourceForDevice = (): HeadTrackingSource =>
  typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches && HeadTracker.available().includes('device-orientation') ? 'device-orientation' : 'manual';

/**
 * Every remote voice of a call through one SDK Spatializer, each at the position its tile
 * gives it, with the listener's head pose compensated so voices stay put in the call's frame.
 */
export function useSpatialAudio(streams: Map<string, MediaStream>, positions: Map<string, SpatialPosition>): SpatialAudio {
  const engine = useRef<{ spatial: Spatializer; tracker: HeadTracker; meters: [AnalyserNode, AnalyserNode] } | null>(null);
  const added = useRef(new Map<string, MediaStream>());
  const placed = useRef(new Map<string, string>());
  const [mode, setModeState] = useState<SpatialMode>('binaural');
  const [hrtf, setHrtf] = useState(true);
  const [tracking, setTrackingState] = useState<HeadTrackingSource | null>(null);
  const [pose, setPose] = useState<ListenerPose>({ yaw: 0, pitch: 0, roll: 0 });
  const [motionToSoundMs, setMotion] = useState<number | null>(null);
  const [levels, setLevels] = useState<OutputLevels>({ left: 0, right: 0 });

  useEffect(() => {
    const context = new AudioContext({ latencyHint: 'interactive' });
    // The mix passes a stereo meter on its way out: the overlay shows what each ear gets.
    const out = context.createGain();
    out.connect(context.destination);
    const split = context.createChannelSplitter(2);
    out.connect(split);
    const meters: [AnalyserNode, AnalyserNode] = [context.createAnalyser(), context.createAnalyser()];
    meters.forEach((m, i) => {
      m.fftSize = 1024;
      split.connect(m, i);
    });
    const spatial = new Spatializer({ context, output: out });
    const tracker = new HeadTracker();
    engine.current = { spatial, tracker, meters };
    setHrtf(spatial.hrtfSupported);
    const offs = [
      tracker.on('pose', (p, readingTime) => {
        spatial.setListenerPose(p, { readingTime });
        setPose(p);
        setMotion(spatial.motionToSoundMs);
      }),
      tracker.on('source', (s) => setTrackingState(s)),
    ];
    const buf = new Float32Array(1024);
    const rms = (m: AnalyserNode) => {
      m.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const v of buf) sum += v * v;
      return Math.sqrt(sum / buf.length);
    };
    const timer = setInterval(() => setLevels({ left: rms(meters[0]), right: rms(meters[1]) }), 200);
    const addedNow = added.current;
    const placedNow = placed.current;
    return () => {
      clearInterval(timer);
      for (const off of offs) off();
      tracker.stop();
      engine.current = null;
      addedNow.clear();
      placedNow.clear();
      void spatial.close().then(() => context.close());
    };
  }, []);

  // Voices follow the received streams; a resubscription (camera added) replaces the voice.
  useEffect(() => {
    const e = engine.current;
    if (!e) return;
    for (const [id, stream] of streams) {
      if (added.current.get(id) === stream || stream.getAudioTracks().length === 0) continue;
      e.spatial.addStream(id, stream, positions.get(id));
      added.current.set(id, stream);
      placed.current.set(id, key(positions.get(id)));
    }
    for (const id of [...added.current.keys()]) {
      if (streams.has(id)) continue;
      e.spatial.remove(id);
      added.current.delete(id);
      placed.current.delete(id);
    }
  }, [streams, positions]);

  // A new layout moves every voice to its tile along the Spatializer's smooth transition.
  useEffect(() => {
    const e = engine.current;
    if (!e) return;
    for (const [id, p] of positions) {
      if (!added.current.has(id) || placed.current.get(id) === key(p)) continue;
      e.spatial.setPosition(id, p);
      placed.current.set(id, key(p));
    }
  }, [positions]);

  const setMode = useCallback((m: SpatialMode) => {
    engine.current?.spatial.setMode(m);
    setModeState(m);
  }, []);

  const setTracking = useCallback(async (on: boolean) => {
    const e = engine.current;
    if (!e) return;
    if (!on) {
      e.tracker.stop();
      e.spatial.setListenerPose({ yaw: 0, pitch: 0, roll: 0 });
      setPose({ yaw: 0, pitch: 0, roll: 0 });
      return;
    }
    const source = sourceForDevice();
    // iOS asks for motion access, and only from a tap.
    const ask = (DeviceOrientationEvent as unknown as { requestPermission?: () => Promise<string> }).requestPermission;
    if (source === 'device-orientation' && ask && (await ask()) !== 'granted') return void (await e.tracker.start('manual'));
    await e.tracker.start(source);
  }, []);

  const turnHead = useCallback((yaw: number) => engine.current?.tracker.setManual({ yaw }), []);
  const recenter = useCallback(() => engine.current?.tracker.recenter(), []);
  const resume = useCallback(() => void (engine.current?.spatial.context as AudioContext | undefined)?.resume(), []);

  return { mode, setMode, hrtf, tracking, setTracking, pose, turnHead, recenter, motionToSoundMs, levels, resume };
}

const key = (p: SpatialPosition | undefined) => (p ? `${p.azimuth},${p.elevation},${p.distance}` : '');
