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
export function IncomingCallPreviews() {
  const toast = useToast();
  const [ringing, setRinging] = useState<Preview | null>(null);

  useEffect(() => {
    const stream = client.realtime({ types: ['branding.'] });
    stream.on('message', (msg) => {
      if (msg.kind !== 'call.incoming.preview') return;
      const m = msg as unknown as Preview;
      if (typeof m.callId === 'string' && typeof m.callerNumber === 'string') setRinging({ callId: m.callId, callerNumber: m.callerNumber, metadataToken: typeof m.metadataToken === 'string' ? m.metadataToken : undefined });
    });
    return () => stream.close();
  }, []);

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
