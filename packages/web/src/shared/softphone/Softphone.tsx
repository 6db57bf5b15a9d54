import type { CallState, MyCall, PhoneCall, SignalChannel } from '@callsight/sdk';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Icon, type IconName } from '../Icon';
import { partyName } from '../format';
import { callEndedText, callStateText } from '../messages';
import { ProblemBanner } from '../ProblemBanner';
import { CallTimer } from './CallTimer';
import { CallHistory } from './CallHistory';
import { DialPad } from './DialPad';
import { usePhone } from './use-phone';
import './softphone.css';

/**
 * A browser softphone on the SDK Phone: dial pad, incoming call, mute, hold, keypad
 * (DTMF, and the keys the far end presses), speaker and hang up. Mounted by /phone and /agent with their realtime stream.
 */
/** How an app presents a ringing call on top of the softphone (the /phone lockscreen). */
export type IncomingScreen = (call: PhoneCall, actions: { answer(): void; reject(): void }) => ReactNode;

/** Tells the page which call is on screen (the agent desktop ties it to the work item and cards). */
export type OnCallChange = (call: { callId: string; state: CallState; direction: PhoneCall['direction'] } | null) => void;

/** Who is on the line, as the app presents them (the /phone app: the verified brand); defaults to name and number. */
export type CallerView = (call: PhoneCall) => ReactNode;

/** Decides whether a ringing call is answered at once (the agent desktop: a call the agent just accepted in routing). */
export type AutoAnswer = (call: PhoneCall) => Promise<boolean> | boolean;

export function Softphone({
  channel,
  title = 'Phone',
  incomingScreen,
  onCallChange,
  callerView,
  historyPeer,
  callActions,
  autoAnswer,
}: {
  channel: SignalChannel | null;
  title?: string;
  incomingScreen?: IncomingScreen;
  onCallChange?: OnCallChange;
  callerView?: CallerView;
  /** How Recent names the other party (the /phone app: the brand the call rang with). */
  historyPeer?: (call: MyCall) => ReactNode;
  /** More actions on a connected call's screen (the /phone app: read a saved card into the call). */
  callActions?: (call: PhoneCall) => ReactNode;
  autoAnswer?: AutoAnswer;
}) {
  const { phone, call, state, endedCause, remoteStream, receivedDigits, setCall } = usePhone(channel);
  // A call the page says to take (one click already accepted it) is answered as it rings.
  const autoAnswerRef = useRef(autoAnswer);
  autoAnswerRef.current = autoAnswer;
  useEffect(() => {
    if (!call || call.direction !== 'incoming' || state !== 'ringing' || !autoAnswerRef.current) return;
    let current = true;
    Promise.resolve(autoAnswerRef.current(call))
      .then((yes) => (current && yes && call.state === 'ringing' ? call.answer() : undefined))
      .catch((err: unknown) => current && setError(err));
    return () => {
      current = false;
    };
  }, [call, state]);
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
  // The call's talk time runs from its first answer (holding does not restart it).
  const [answeredAt, setAnsweredAt] = useState<number | null>(null);
  useEffect(() => setAnsweredAt(null), [call]);
  useEffect(() => {
    if (state === 'answered') setAnsweredAt((t) => t ?? Date.now());
  }, [state]);
  useEffect(() => {
    if (state === 'ended') {
      setMuted(false);
      setKeypad(false);
    }
  }, [state]);
  const callId = call?.callId ?? null;
  const direction = call?.direction ?? null;
  useEffect(() => {
    onCallChange?.(callId && state && direction ? { callId, state, direction } : null);
  }, [onCallChange, callId, state, direction]);

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
        {call && (
          <span className="muted small" data-testid="call-state">
            {state === 'ended' ? callEndedText(endedCause) : callStateText(state ?? 'new')}
          </span>
        )}
      </header>
      <ProblemBanner error={error} />

      {call?.direction === 'incoming' && state === 'ringing' && incomingScreen?.(call, { answer: () => void act(() => call.answer())(), reject: () => void act(() => call.reject())() })}
      {call?.direction === 'incoming' && state === 'ringing' ? (
        <div className="softphone-incoming stack" role="alert">
          <div className="softphone-remote">
            <span className="muted small">Incoming call</span>
            <strong>{partyName(call.remote.name ?? call.remote.number)}</strong>
            {call.remote.name && <span className="muted">{call.remote.number}</span>}
          </div>
          <div className="row">
            <button type="button" className="btn btn-large btn-primary grow" onClick={() => void act(() => call.answer())()} data-testid="answer">Answer</button>
            <button type="button" className="btn btn-large btn-danger grow" onClick={() => void act(() => call.reject())()} data-testid="reject">Decline</button>
          </div>
        </div>
      ) : live ? (
        <div className="call-screen" data-testid="call-screen">
          <div className="call-screen-caller">
            {callerView?.(call) ?? <DefaultCaller call={call} />}
            <p className="call-screen-status" aria-live="polite">
              {state === 'answered' || state === 'held' ? (
                <>
                  {state === 'held' && <span>On hold · </span>}
                  {answeredAt !== null && <CallTimer since={answeredAt} />}
                </>
              ) : (
                callStateText(state ?? 'new')
              )}
            </p>
            {receivedDigits && (
              <span className="call-screen-digits" data-testid="received-digits" aria-live="polite">
                Keys pressed: {receivedDigits}
              </span>
            )}
          </div>
          {keypad && <DialPad label="Send tones" onKey={(k) => void act(() => call.dtmf(k))()} />}
          <div className="call-controls" role="group" aria-label="Call controls">
            <ControlButton icon={muted ? 'micOff' : 'mic'} label={muted ? 'Unmute' : 'Mute'} pressed={muted} onClick={() => { call.mute(!muted); setMuted(!muted); }} testId="mute" />
            <ControlButton icon="keypad" label="Keypad" pressed={keypad} onClick={() => setKeypad(!keypad)} testId="keypad" />
            <ControlButton icon={speakerOn ? 'speaker' : 'speakerOff'} label="Speaker" pressed={speakerOn} onClick={() => setSpeakerOn(!speakerOn)} testId="speaker" />
            <ControlButton icon={state === 'held' ? 'play' : 'pause'} label={state === 'held' ? 'Resume' : 'Hold'} pressed={state === 'held'} disabled={state !== 'answered' && state !== 'held'} onClick={() => void act(() => call.hold(state !== 'held'))()} testId="hold" />
          </div>
          {state === 'answered' && callActions?.(call)}
          <button type="button" className="call-hangup" onClick={() => void act(() => call.hangup())()} aria-label="Hang up" data-testid="hangup">
            <Icon name="hangup" size={30} />
          </button>
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
      {!live && <CallHistory version={historyVersion} onCall={(target) => void callTo(target)} peerView={historyPeer} />}
    </section>
  );
}

function DefaultCaller({ call }: { call: PhoneCall }) {
  const name = partyName(call.remote.name ?? call.remote.number);
  return (
    <>
      <span className="call-avatar" aria-hidden="true">{initials(name)}</span>
      <h2 className="call-screen-name" data-testid="call-remote-name">{name}</h2>
      {call.remote.name && <p className="call-screen-number">{call.remote.number}</p>}
    </>
  );
}

/** "Alex Agent" → "AA"; a number → its last two digits. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => /^\p{L}/u.test(w));
  if (words.length === 0) return name.replace(/\D/g, '').slice(-2) || '?';
  return words.slice(0, 2).map((w) => w[0]!.toUpperCase()).join('');
}

function ControlButton({ icon, label, pressed, onClick, testId, disabled }: { icon: IconName; label: string; pressed: boolean; onClick(): void; testId: string; disabled?: boolean }) {
  return (
    <button type="button" className="call-control" aria-pressed={pressed} onClick={onClick} disabled={disabled} data-testid={testId}>
      <span className="call-control-icon"><Icon name={icon} /></span>
      <span className="call-control-label">{label}</span>
    </button>
  );
}
