import type { ReactNode } from 'react';
import type { WorkItem } from './routing-api';
import { customerLabel } from './work-labels';

/**
 * A voice or video work item: caller information, and the state of its call on the
 * agent's softphone (`softphone`; the controls themselves are the softphone above).
 */
export function VoiceWork({ item, softphone }: { item: WorkItem; softphone?: ReactNode }) {
  const c = item.context;
  return (
    <div className="voice-work stack">
      <dl className="caller-info" data-testid="caller-info">
        <div><dt>Caller</dt><dd>{customerLabel(item)}</dd></div>
        {c.callerNumber != null && <div><dt>Number</dt><dd className="mono">{String(c.callerNumber)}</dd></div>}
        {c.subject != null && <div><dt>Reason</dt><dd>{String(c.subject)}</dd></div>}
        {c.brand != null && <div><dt>Brand</dt><dd>{String(c.brand)}</dd></div>}
      </dl>
      <div className="softphone-slot" data-testid="softphone-slot">
        {softphone ?? <p className="muted small">The call is bridged to your phone. Browser softphone controls appear here.</p>}
      </div>
    </div>
  );
}
