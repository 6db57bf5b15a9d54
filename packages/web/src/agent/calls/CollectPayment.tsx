import type { CaptureProgress, EventMap } from '@callsight/sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { RESULT_TEXT, STAGE_NAMES, brandName } from '../../shared/keypad-capture/capture-text';
import './card-being-read.css';

type Result = EventMap['vault.payment.result'];

/**
 * "Collect card payment": the customer keys the card on their keypad while this desk
 * hears flat tones only. The agent sees how many digits went in, whether the number
 * checks out and its brand, never a digit; then the connector's answer.
 */
export function CollectPayment({ callId }: { callId: string | null }) {
  const [captureId, setCaptureId] = useState<string | null>(null);
  const [progress, setProgress] = useState<CaptureProgress | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setCaptureId(null);
    setProgress(null);
    setResult(null);
  }, [callId]);
  useEffect(() => {
    if (!captureId) return;
    const stream = client.realtime({ types: ['vault.capture.progress', 'vault.payment.result'] });
    stream.on('event', (e) => {
      if (e.type === 'vault.capture.progress' && e.data.captureId === captureId) setProgress(e.data);
      if (e.type === 'vault.payment.result' && e.data.captureId === captureId) setResult(e.data);
    });
    return () => stream.close();
  }, [captureId]);

  if (!callId) return null;

  async function start(e: FormEvent) {
    e.preventDefault();
    if (!callId) return;
    setBusy(true);
    setProblem(null);
    setResult(null);
    setProgress(null);
    try {
      const cents = amount ? Math.round(Number(amount.replace(',', '.')) * 100) : undefined;
      const c = await client.vault.startCapture({ callId, ...(cents && cents > 0 ? { amount: cents, currency: 'EUR' } : {}) });
      setCaptureId(c.id);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  }

  async function cancel() {
    if (!captureId) return;
    try {
      await client.vault.cancelCapture(captureId);
    } catch (err) {
      setProblem(err);
    }
  }

  const collecting = captureId && !result;
  return (
    <section className="card card-being-read collect-payment" aria-live="polite" data-testid="collect-payment" data-state={result ? 'done' : collecting ? 'collecting' : 'idle'}>
      {!collecting && !result && (
        <form className="row wrap" onSubmit={start}>
          <strong className="grow">Card payment on the keypad</strong>
          <label className="field field-inline">
            Amount (EUR)
            <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value.replace(/[^0-9.,]/g, ''))} style={{ width: '6rem' }} data-testid="collect-amount" />
          </label>
          <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="collect-start">
            {busy ? 'Starting…' : 'Collect card payment'}
          </button>
        </form>
      )}
      {collecting && (
        <>
          <div className="row wrap">
            <span className="status status-live">Caller is keying</span>
            <strong className="grow" data-testid="collect-stage">
              {progress ? `${STAGE_NAMES[progress.stage]}: ${progress.digits} digit${progress.digits === 1 ? '' : 's'}` : 'Waiting for the first key'}
            </strong>
            <button type="button" className="btn btn-small" onClick={() => void cancel()} data-testid="collect-cancel">
              Cancel
            </button>
          </div>
          {progress && (
            <p className="small" data-testid="collect-checks">
              {brandName(progress)}
              {progress.luhnValid === null ? '' : progress.luhnValid ? ' · number checks out' : ' · number does not check out yet'}
              {progress.attempt > 1 ? ` · try ${progress.attempt} of 3` : ''}
              {progress.rejected ? ` · ${STAGE_NAMES[progress.rejected].toLowerCase()} was not valid, the caller keys it again` : ''}
            </p>
          )}
        </>
      )}
      {result && (
        <div className="row wrap">
          <span className={`status ${result.result === 'success' ? 'status-ok' : ''}`}>{result.result === 'success' ? 'Paid' : 'Not paid'}</span>
          <strong className="grow" data-testid="collect-result">
            {RESULT_TEXT[result.result]}
            {result.last4 ? ` · ${brandName({ brand: result.brand ?? 'unknown' })} •••• ${result.last4}` : ''}
          </strong>
          <button type="button" className="btn btn-small" onClick={() => (setCaptureId(null), setResult(null))}>
            New payment
          </button>
        </div>
      )}
      <p className="muted small">The caller types on their keypad. You hear a short tone per key; digits are never shown or recorded.</p>
      <ProblemBanner error={problem} />
    </section>
  );
}
