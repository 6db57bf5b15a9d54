import { Phone, type CallState, type PhoneCall, type SignalChannel } from '@callsight/sdk';
import { useEffect, useState } from 'react';

export interface PhoneView {
  phone: Phone | null;
  /** The call on screen: the active one, else the one ringing. */
  call: PhoneCall | null;
  state: CallState | null;
  endedCause: string | null;
  remoteStream: MediaStream | null;
  /** Keys the far end pressed during this call, in order. */
  receivedDigits: string;
}

/** Keeps React state in step with an SDK Phone on the given channel. */
export function usePhone(channel: SignalChannel | null): PhoneView & { setCall(call: PhoneCall | null): void } {
  const [phone, setPhone] = useState<Phone | null>(null);
  const [call, setCall] = useState<PhoneCall | null>(null);
  const [state, setState] = useState<CallState | null>(null);
  const [endedCause, setEndedCause] = useState<string | null>(null);
  const [remoteStream, setRemoteStream] = useState<MediaStream | null>(null);
  const [receivedDigits, setReceivedDigits] = useState('');

  useEffect(() => {
    if (!channel) return;
    const p = new Phone(channel);
    p.connect();
    setPhone(p);
    // A new call replaces one that has ended; a live call keeps the screen (the new one waits in p.calls).
    const off = p.on('incoming', (c) => setCall((current) => (current && current.state !== 'ended' ? current : c)));
    return () => {
      off();
      for (const c of p.calls) void c.hangup();
      p.disconnect();
    };
  }, [channel]);

  useEffect(() => {
    if (!call) return;
    setState(call.state);
    setEndedCause(null);
    setRemoteStream(call.remoteStream);
    setReceivedDigits('');
    const offs = [
      call.on('state', (s, cause) => {
        setState(s);
        if (s === 'ended') setEndedCause(cause ?? null);
      }),
      call.on('remoteStream', (s) => setRemoteStream(s)),
      call.on('dtmf', (d) => setReceivedDigits((all) => (all + d).slice(-32))),
    ];
    return () => offs.forEach((off) => off());
  }, [call]);

  return { phone, call, state, endedCause, remoteStream, receivedDigits, setCall };
}
