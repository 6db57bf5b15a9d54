import { useEffect, useState, type ReactNode } from 'react';
import type { EventStream, MyCall, PhoneCall } from '@callsight/sdk';
import { client } from '../api';
import { Softphone, type AutoAnswer, type CallerView, type IncomingScreen, type OnCallChange } from './Softphone';

/** The signed-in user's softphone: one realtime stream carries call signalling for the page. */
export function AppSoftphone({
  title,
  incomingScreen,
  onCallChange,
  callerView,
  historyPeer,
  callActions,
  autoAnswer,
}: {
  title?: string;
  incomingScreen?: IncomingScreen;
  onCallChange?: OnCallChange;
  callerView?: CallerView;
  historyPeer?: (call: MyCall) => ReactNode;
  callActions?: (call: PhoneCall) => ReactNode;
  autoAnswer?: AutoAnswer;
}) {
  const [channel, setChannel] = useState<EventStream | null>(null);
  useEffect(() => {
    const stream = client.realtime({ types: ['call.'] });
    setChannel(stream);
    return () => stream.close();
  }, []);
  return (
    <Softphone
      channel={channel}
      title={title}
      incomingScreen={incomingScreen}
      onCallChange={onCallChange}
      callerView={callerView}
      historyPeer={historyPeer}
      callActions={callActions}
      autoAnswer={autoAnswer}
    />
  );
}
