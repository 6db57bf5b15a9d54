import { useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { useToast } from '../../shared/Toasts';
import { Lockscreen } from './Lockscreen';

interface Preview {
  callId: string;
  callerNumber: string;
  metadataToken?: string;
}

/**
 * Shows the lockscreen when callsight pushes `call.incoming.preview` to this
 * user (a branded test call today; the SIP call path once calls ring the app).
 * Accept and decline only dismiss it until the media path lands.
 */
export function IncomingCallPreviews({ onRingingChange }: { onRingingChange?: (ringing: boolean) => void }) {
  const toast = useToast();
  const [ringing, setRinging] = useState<Preview | null>(null);

  useEffect(() => {
    const stream = client.realtime({ types: ['branding.'] });
    stream.on('message', (msg) => {
      if (msg.kind !== 'call.incoming.preview') return;
      setRinging({ callId: msg.callId, callerNumber: msg.callerNumber, metadataToken: msg.metadataToken });
    });
    return () => stream.close();
  }, []);
  useEffect(() => onRingingChange?.(ringing !== null), [ringing, onRingingChange]);

  if (!ringing) return null;
  return (
    <Lockscreen
      key={ringing.callId}
      call={{
        ...ringing,
        onAccept: () => {
          setRinging(null);
          toast.success('Call accepted');
        },
        onDecline: () => setRinging(null),
      }}
    />
  );
}
