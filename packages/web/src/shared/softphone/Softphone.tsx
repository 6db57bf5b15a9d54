import type { CallState, PhoneCall, SignalChannel } from '@callsight/sdk';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ProblemBanner } from '../ProblemBanner';
import { CallHistory } from './CallHistory';
import { DialPad } from './DialPad';
import { usePhone } from './use-phone';
import './softphone.css';

const STATE_TEXT: Record<string, string> = {
  new: 'Connecting…',
  ringing: 'Ringing…',
  answered: 'In call',
  held: 'On hold',
  ended: 'Call ended',
};

/**
 * A browser softphone on the SDK Phone: dial pad, incoming call, mute, hold, keypad
 * (DTMF, and the keys the far end presses), speaker and hang up. Mounted by /phone and /agent with their realtime stream.
 */
/** How an app presents a ringing call on top of the softphone (the /phone lockscreen). */
export type IncomingScreen = (call: PhoneCall, actions: { answer(): void; reject(): void }) => ReactNode;

/** Tells the page which call is on screen (the agent desktop ties it to the work item and cards). */
export type OnCallChange = (call: { callId: string; state: CallState } | null) => void;

export function Softphone({ channel, title = 'Phone', incomingScreen, onCallChange }: { channel: SignalChannel | null; title?: string; incomingScreen?: IncomingScreen; onCallChange?: OnCallChange }) {
  const { phone, call, state, endedCause, remoteStream, receivedDigits, setCall } = usePhone(channel);
  const [number, setNumber] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [muted, setMuted] = useState(false);
  const [speakerOn, setSpeakerOn] = useState(true);
  const [keypad, setKeypad] = useState(false);
  const audio = useRef<HTMLAudioElement>(null);

  useEffect(() => {
    if (audio.current) audio.current.srcObject = remoteStream;
  }, [remoteStream]);
  useEffect(() => {
    if (audio.current) audio.current.muted = !speakerOn;
  }, [speakerOn]);
  // Each ended call refreshes the Recent list.
  const [historyVersion, setHistoryVersion] = useState(0);
  useEffect(() => {
    if (state === 'ended') setHistoryVersion((v) => v + 1);
  }, [state]);
  const callId = call?.callId ?? null;
  useEffect(() => {
    onCallChange?.(callId && state ? { callId, state } : null);
  }, [onCallChange, callId, state]);

  const act = (fn: () => Promise<unknown> | void) => async () => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    }
  };

  const callTo = (target: string) => act(async () => phone && setCall(await phone.call(target)))();

  async function dial(e: FormEvent) {
    e.preventDefault();
    if (number.trim()) await callTo(number.trim());
  }

  const live = call && state !== 'ended';
  return (
    <section className="softphone card" aria-label={title} data-testid="softphone" data-state={state ?? 'idle'}>
      <audio ref={audio} autoPlay data-testid="softphone-audio" />
      <header className="softphone-head">
        <strong>{title}</strong>
        {call && <span className="muted small" data-testid="call-state">{STATE_TEXT[state ?? 'new']}{state === 'ended' && endedCause ? ` (${endedCause})` : ''}</span>}
      </header>
      <ProblemBanner error={error} />

      {call?.direction === 'incoming' && state === 'ringing' && incomingScreen?.(call, { answer: () => void act(() => call.answer())(), reject: () => void act(() => call.reject())() })}
      {call?.direction === 'incoming' && state === 'ringing' ? (
        <div className="softphone-incoming stack" role="alert">
          <div className="softphone-remote">
            <span className="muted small">Incoming call</span>
            <strong>{call.remote.name ?? call.remote.number}</strong>
            {call.remote.name && <span className="muted">{call.remote.number}</span>}
          </div>
          <div className="row">
            <button type="button" className="btn btn-large btn-primary grow" onClick={() => void act(() => call.answer())()} data-testid="answer">Answer</button>
            <button type="button" className="btn btn-large btn-danger grow" onClick={() => void act(() => call.reject())()} data-testid="reject">Decline</button>
          </div>
        </div>
      ) : live ? (
        <div className="stack">
          <div className="softphone-remote">
            <strong>{call.remote.name ?? call.remote.number}</strong>
            {receivedDigits && (
              <span className="muted small" data-testid="received-digits" aria-live="polite">
                Keys pressed: {receivedDigits}
              </span>
            )}
          </div>
          <div className="softphone-controls">
            <button type="button" className="btn" aria-pressed={muted} onClick={() => { call.mute(!muted); setMuted(!muted); }} data-testid="mute">{muted ? 'Unmute' : 'Mute'}</button>
            <button type="button" className="btn" aria-pressed={state === 'held'} onClick={() => void act(() => call.hold(state !== 'held'))()} data-testid="hold">{state === 'held' ? 'Resume' : 'Hold'}</button>
            <button type="button" className="btn" aria-pressed={keypad} onClick={() => setKeypad(!keypad)} data-testid="keypad">Keypad</button>
            <button type="button" className="btn" aria-pressed={speakerOn} onClick={() => setSpeakerOn(!speakerOn)} data-testid="speaker">{speakerOn ? 'Speaker on' : 'Speaker off'}</button>
          </div>
          {keypad && <DialPad label="Send tones" onKey={(k) => void act(() => call.dtmf(k))()} />}
          <button type="button" className="btn btn-large btn-danger" onClick={() => void act(() => call.hangup())()} data-testid="hangup">Hang up</button>
        </div>
      ) : (
        <form className="stack" onSubmit={(e) => void dial(e)}>
          <label className="field">
            Number, extension or queue
            <input value={number} onChange={(e) => setNumber(e.target.value)} inputMode="tel" autoComplete="tel" data-testid="dial-input" />
          </label>
          <DialPad label="Dial pad" onKey={(k) => setNumber((n) => n + k)} />
          <button type="submit" className="btn btn-large btn-primary" disabled={!phone || !number.trim()} data-testid="dial">Call</button>
        </form>
      )}
      {!live && <CallHistory version={historyVersion} onCall={(target) => void callTo(target)} />}
    </section>
  );
}
