import { useEffect, useRef } from 'react';

/** Plays one received stream. Hidden: participants are shown as tiles, not players. */
export function RemoteAudio({ participantId, stream }: { participantId: string; stream: MediaStream }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = stream;
  }, [stream]);
  return <audio ref={ref} autoPlay data-participant={participantId} data-testid="remote-audio" />;
}
