import type { BacktestResult } from '@callsight/sdk';
import { formatDateTime } from '../../shared/format';
import { useCustomerNames } from './use-customer-names';

const MAX_SHOWN = 50;

/** Which past events a draft would have fired on, and what it would have done each time. */
export function BacktestResults({ result }: { result: BacktestResult }) {
  const names = useCustomerNames();
  const n = result.firings.length;
  return (
    <div className="stack rule-backtest" data-testid="rule-backtest">
      <p>
        <strong data-testid="rule-backtest-count">{n === 0 ? 'It would not have fired' : `It would have fired ${n} ${n === 1 ? 'time' : 'times'}`}</strong>
        <span className="muted"> — {result.eventsScanned.toLocaleString()} events checked from {formatDateTime(result.from)}{result.truncated ? ' (stopped early: too many events; narrow the period)' : ''}.</span>
      </p>
      {n > 0 && (
        <ol className="rule-hit-list">
          {[...result.firings].reverse().slice(0, MAX_SHOWN).map((f) => (
            <li key={f.key} data-testid="rule-backtest-hit">
              <time dateTime={new Date(f.at).toISOString()}>{formatDateTime(f.at)}</time>
              <span className="pill">{f.eventType}</span>
              <span>{f.customerId ? (names.get(f.customerId) ?? 'a customer') : 'no known customer'}</span>
              <span className="muted">would {f.summary}</span>
            </li>
          ))}
        </ol>
      )}
      {n > MAX_SHOWN && <p className="muted small">and {n - MAX_SHOWN} earlier.</p>}
    </div>
  );
}
