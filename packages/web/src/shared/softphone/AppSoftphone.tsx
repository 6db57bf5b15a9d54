import { useEffect, useState } from 'react';
import type { EventStream } from '@callsight/sdk';
import { client } from '../api';
import { Softphone, type IncomingScreen, type OnCallChange } from './Softphone';

/** The signed-in user's softphone: one realtime stream carries call signalling for the page. */
export function AppSoftphone({ title, incomingScreen, onCallChange }: { title?: string; incomingScreen?: IncomingScreen; onCallChange?: OnCallChange }) {
  const [channel, setChannel] = useState<EventStream | null>(null);
  useEffect(() => {
    const stream = client.realtime({ types: ['call.'] });
    setChannel(stream);
    return () => stream.close();
  }, []);
  return <Softphone channel={channel} title={title} incomingScreen={incomingScreen} onCallChange={onCallChange} />;
}
