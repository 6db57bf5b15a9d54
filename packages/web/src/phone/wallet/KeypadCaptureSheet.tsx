import type { CaptureProgress, EventMap, PhoneCall } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { DialPad } from '../../shared/softphone/DialPad';
import { RESULT_TEXT, STAGE_NAMES, brandName } from '../../shared/keypad-capture/capture-text';

const HINT: Record<CaptureProgress['stage'], string> = {
  number: 'Type your card number, then #',
  expiry: 'Type the expiry as four digits, e.g. 0829',
  cvc: 'Type the security code from the back of the card',
};

/**
 * When the agent asks for a card payment: a keypad that sends each key into the call,
 * where the server catches it before the agent could hear it. Shows dots, never the
 * digits (someone may be looking), and whether the number checks out.
 */
export function KeypadCaptureSheet({ call }: { call: PhoneCall }) {
  const [progress, setProgress] = useState<CaptureProgress | null>(null);
  const [result, setResult] = useState<EventMap['vault.payment.result'] | null>(null);
  const [typed, setTyped] = useState(0);

  useEffect(() => {
    const stream = client.realtime({ types: ['vault.capture.progress', 'vault.payment.result'] });
    stream.on('event', (e) => {
      if (e.type === 'vault.capture.progress' && (e.data.customerCallId === call.callId || e.data.callId === call.callId)) {
        setResult(null);
        setProgress(e.data);
        setTyped(e.data.digits);
      }
      if (e.type === 'vault.payment.result' && (e.data.customerCallId === call.callId || e.data.callId === call.callId)) setResult(e.data);
    });
    return () => stream.close();
  }, [call.callId]);

  if (!progress) return null;
  const press = (key: string) => {
    if (/[0-9]/.test(key)) setTyped((n) => n + 1);
    void call.dtmf(key).catch(() => {});
  };

  return (
    <div className="sheet-backdrop">
      <section className="sheet keypad-capture" role="dialog" aria-modal="true" aria-labelledby="keypad-capture-title" data-testid="keypad-capture" data-state={result ? 'done' : 'collecting'}>
        <div className="sheet-grip" aria-hidden="true" />
        {!result ? (
          <div className="stack">
            <div className="stack" style={{ gap: '0.3rem' }}>
              <h2 id="keypad-capture-title">{STAGE_NAMES[progress.stage]}</h2>
              <p className="muted">{HINT[progress.stage]}. The agent hears only a tone per key.</p>
            </div>
            <p className="keypad-dots" aria-label={`${typed} digits typed`} data-testid="keypad-dots">
              {typed === 0 ? <span className="muted">—</span> : '•'.repeat(typed)}
            </p>
            <p className="small" data-testid="keypad-checks">
              {progress.stage === 'number' && progress.brand !== 'unknown' ? brandName(progress) : ''}
              {progress.stage === 'number' && progress.luhnValid ? ' · looks right' : ''}
              {progress.rejected ? `That ${STAGE_NAMES[progress.rejected].toLowerCase()} was not accepted. Please type it again.` : ''}
            </p>
            <DialPad onKey={press} label="Card keypad" />
            <p className="muted small">Press * to cancel.</p>
          </div>
        ) : (
          <div className="stack" aria-live="polite">
            <h2 id="keypad-capture-title">{RESULT_TEXT[result.result]}</h2>
            <p data-testid="keypad-result">{result.last4 ? `${brandName({ brand: result.brand ?? 'unknown' })} •••• ${result.last4}` : 'Nothing was charged.'}</p>
            <div className="sheet-actions">
              <button type="button" className="btn btn-primary" onClick={() => (setProgress(null), setResult(null))} data-testid="keypad-close">
                Back to the call
              </button>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
