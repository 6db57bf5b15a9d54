import type { SuperviseMode } from '@callsight/protocol';
import type { AudioFrameListener } from '../media/audio-endpoint.js';
import { ListenMatrix } from '../media/listen-matrix.js';
import type { AudioPort } from './leg.js';

/** Who hears whom in each mode: the supervisor always hears both; a whisper reaches the agent only; a barge everyone. */
export const SUPERVISE_ROUTES: Record<SuperviseMode, Record<'customer' | 'agent' | 'supervisor', ('customer' | 'agent' | 'supervisor')[]>> = {
  monitor: { customer: ['agent'], agent: ['customer'], supervisor: ['customer', 'agent'] },
  whisper: { customer: ['agent'], agent: ['customer', 'supervisor'], supervisor: ['customer', 'agent'] },
  barge: { customer: ['agent', 'supervisor'], agent: ['customer', 'supervisor'], supervisor: ['customer', 'agent'] },
};

/**
 * A bridge with a supervisor on it: the three legs' PCM goes through a listen matrix on
 * the media clock instead of the bridge's relay, so who hears the supervisor follows
 * the mode. Returns the function that stops it (the caller then restores the bridge).
 */
export function superviseAudio(ports: { customer: AudioPort; agent: AudioPort; supervisor: AudioPort }, mode: { current: SuperviseMode }): () => void {
  const matrix = new ListenMatrix(['customer', 'agent', 'supervisor']);
  let routed: SuperviseMode | null = null;
  const entries = Object.entries(ports) as ['customer' | 'agent' | 'supervisor', AudioPort][];
  const listeners = entries.map(([id, port]) => {
    const onAudio: AudioFrameListener = (frame, kind) => {
      if (kind !== 'silence') matrix.setInput(id, frame);
    };
    port.on('audio', onAudio);
    return () => port.off('audio', onAudio);
  });
  const stopClock = ports.customer.clock.subscribe(() => {
    if (routed !== mode.current) matrix.route(SUPERVISE_ROUTES[(routed = mode.current)]);
    matrix.mix();
    for (const [id, port] of entries) port.sendFrame(matrix.output(id)!);
  });
  return () => {
    stopClock();
    for (const off of listeners) off();
  };
}
