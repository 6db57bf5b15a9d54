import { CARD_KINDS, type CxAction, type FieldIssue } from '@callsight/sdk';
import { ACTION_KINDS, newAction } from './rule-draft';

const CARD_LABEL: Record<(typeof CARD_KINDS)[number], string> = { address: 'Address', payment: 'Payment', appointment: 'Appointment', order: 'Order', identity: 'Identity', form: 'Form' };

/** One action of a rule: what it does and its text; `{{data.orderId}}` takes a field of the triggering event. */
export function ActionEditor({ index, action, issue, onChange, onRemove }: { index: number; action: CxAction; issue: FieldIssue | undefined; onChange: (a: CxAction) => void; onRemove?: () => void }) {
  return (
    <div className="rule-action" data-testid={`rule-action-${index}`}>
      <label className="field">
        <span>{index === 0 ? 'Action' : `Then (action ${index + 1})`}</span>
        <select value={action.kind} onChange={(e) => onChange(newAction(e.target.value as CxAction['kind']))} data-testid="rule-action-kind">
          {ACTION_KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>{k.label}</option>
          ))}
        </select>
      </label>
      {'text' in action && (
        <label className="field grow">
          <span>{action.kind === 'whisper' ? 'Note for the agent' : action.kind === 'say' ? 'Words spoken' : 'Message'}</span>
          <input value={action.text} onChange={(e) => onChange({ ...action, text: e.target.value })} placeholder="Order {{data.orderId}} is late — offer a voucher" maxLength={1000} data-testid="rule-action-text" />
        </label>
      )}
      {action.kind === 'card' && (
        <>
          <label className="field">
            <span>Card</span>
            <select value={action.card.kind} onChange={(e) => onChange({ ...action, card: { ...action.card, kind: e.target.value as (typeof CARD_KINDS)[number] } })}>
              {CARD_KINDS.map((k) => (
                <option key={k} value={k}>{CARD_LABEL[k]}</option>
              ))}
            </select>
          </label>
          <label className="field grow">
            <span>Title</span>
            <input value={action.card.title ?? ''} onChange={(e) => onChange({ ...action, card: { ...action.card, title: e.target.value } })} placeholder="Your order is delayed" maxLength={120} data-testid="rule-action-title" />
          </label>
          <label className="field grow">
            <span>Message</span>
            <input value={action.card.message ?? ''} onChange={(e) => onChange({ ...action, card: { ...action.card, message: e.target.value } })} placeholder="New delivery date: {{data.newDate}}" maxLength={500} />
          </label>
        </>
      )}
      {action.kind === 'deflect' && (
        <label className="field">
          <span>Offer</span>
          <select value={action.to} onChange={(e) => onChange({ ...action, to: e.target.value as typeof action.to })}>
            <option value="chat">a chat</option>
            <option value="menu">the visual menu</option>
            <option value="callback">a callback booking</option>
          </select>
        </label>
      )}
      {action.kind === 'callback' && (
        <label className="field">
          <span>In (minutes)</span>
          <input type="number" min={1} max={10080} value={action.inMinutes} onChange={(e) => onChange({ ...action, inMinutes: Number(e.target.value) })} />
        </label>
      )}
      {action.kind === 'webhook' && (
        <label className="field grow">
          <span>URL <small className="muted">(signed, with an Idempotency-Key)</small></span>
          <input type="url" value={action.url} onChange={(e) => onChange({ ...action, url: e.target.value })} />
        </label>
      )}
      {onRemove && (
        <button type="button" className="btn btn-small btn-ghost rule-action-remove" onClick={onRemove} aria-label={`Remove action ${index + 1}`}>Remove</button>
      )}
      {issue && (
        <small className="field-error span-all" role="alert">{/at least 1 character|>=1 character|Required/i.test(issue.message) ? 'Fill in this action' : issue.message}</small>
      )}
    </div>
  );
}
