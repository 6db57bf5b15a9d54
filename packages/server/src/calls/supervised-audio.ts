import type { SuperviseMode } from '@callsight/protocol';
import type { AudioFrameListener } from '../media/audio-endpoint.js';
import { holdMusic, loopFrames } from '../media/hold-music.js';
import { ListenMatrix } from '../media/listen-matrix.js';
import { generateTone } from '../media/tone.js';
import type { AudioPort } from './leg.js';

/** Who hears whom in each mode: the supervisor always hears both; a whisper reaches the agent only; a barge everyone. */
export const SUPERVISE_ROUTES: Record<SuperviseMode, Record<'customer' | 'agent' | 'supervisor', ('customer' | 'agent' | 'supervisor')[]>> = {
  monitor: { customer: ['agent'], agent: ['customer'], supervisor: ['customer', 'agent'] },
  whisper: { customer: ['agent'], agent: ['customer', 'supervisor'], supervisor: ['customer', 'agent'] },
  barge: { customer: ['agent', 'supervisor'], agent: ['customer', 'supervisor'], supervisor: ['customer', 'agent'] },
};

/**
 * Who hears whom while an agent consults someone: the customer on hold hears nobody; in
 * conference everyone hears everyone; `join`: the customer and agent go on talking while a
 * third party being added rings.
 */
export type ConsultMix = 'hold' | 'join' | 'consult' | 'conference';
export const CONSULT_ROUTES: Record<ConsultMix, Record<'customer' | 'agent' | 'target', ('customer' | 'agent' | 'target')[]>> = {
  hold: { customer: [], agent: [], target: [] },
  join: { customer: ['agent'], agent: ['customer'], target: [] },
  consult: { customer: [], agent: ['target'], target: ['agent'] },
  conference: { customer: ['agent', 'target'], agent: ['customer', 'target'], target: ['customer', 'agent'] },
};

/**
 * A bridge with a third party on it (a supervisor, a consulted agent): the legs' PCM goes
 * through a listen matrix on the media clock instead of the bridge's relay, so who hears
 * whom follows `routes.current` from the next tick on. A party without a port yet (still
 * ringing) is silent. A party who hears nobody in the current routes hears its `fill`
 * instead, when it has one (hold music, ringback). Returns the function that stops it
 * (the caller then restores the bridge).
 */
export function threeWayAudio<P extends string>(
  ports: Partial<Record<P, AudioPort>> & { customer: AudioPort },
  routes: { current: Record<P, P[]> },
  fill: Partial<Record<P, () => Int16Array>> = {},
): () => void {
  const entries = Object.entries(ports) as [P, AudioPort][];
  const matrix = new ListenMatrix(entries.map(([id]) => id));
  let routed: Record<P, P[]> | null = null;
  const listeners = entries.map(([id, port]) => {
    const onAudio: AudioFrameListener = (frame, kind) => {
      if (kind !== 'silence') matrix.setInput(id, frame);
    };
    port.on('audio', onAudio);
    return () => port.off('audio', onAudio);
  });
  const stopClock = ports.customer.clock.subscribe(() => {
    if (routed !== routes.current) matrix.route((routed = routes.current));
    matrix.mix();
    for (const [id, port] of entries) {
      const alone = fill[id] && routes.current[id].length === 0;
      port.sendFrame(alone ? fill[id]!() : matrix.output(id)!);
    }
  });
  return () => {
    stopClock();
    for (const off of listeners) off();
  };
}

/** A consult on the customer's bridge: the customer on hold hears music, the agent hears ringback while the colleague rings. */
export function consultAudio(ports: { customer: AudioPort; agent: AudioPort; target?: AudioPort }, routes: { current: (typeof CONSULT_ROUTES)[ConsultMix] }): () => void {
  return threeWayAudio(ports, routes, { customer: loopFrames(holdMusic()), agent: loopFrames(ringback()) });
}

let ringbackLoop: Int16Array | null = null;
/** North American ringback (ITU-T E.180): 440 + 480 Hz, 2 s on, 4 s off. */
function ringback(): Int16Array {
  if (ringbackLoop) return ringbackLoop;
  const on = generateTone([440, 480], 2000, { levelDbfs: -19 });
  ringbackLoop = new Int16Array(on.length * 3);
  ringbackLoop.set(on);
  return ringbackLoop;
}

/** A supervisor on a bridge, heard as their mode says. */
export function superviseAudio(ports: { customer: AudioPort; agent: AudioPort; supervisor: AudioPort }, mode: { current: SuperviseMode }): () => void {
  const routes = { get current() { return SUPERVISE_ROUTES[mode.current]; } };
  return threeWayAudio(ports, routes);
}
