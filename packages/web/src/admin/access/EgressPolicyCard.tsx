import { useEffect, useState } from 'react';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useAction } from '../../shared/use-action';
import { useToast } from '../../shared/Toasts';
import { useResource } from '../../shared/use-resource';
import { client } from '../../shared/api';

/**
 * Internal addresses (loopback, private, link-local) the server refuses to contact for
 * webhooks, call-flow requests and audio unless they are listed here.
 */
export function EgressPolicyCard() {
  const toast = useToast();
  const policy = useResource(() => client.access.egressPolicy());
  const [text, setText] = useState('');
  const { error, busy, onSubmit } = useAction();
  // The saved list fills the box once; until then the box is disabled, so nothing typed
  // before it arrives is overwritten by it.
  const loaded = policy.data !== undefined;
  useEffect(() => {
    if (policy.data) setText(policy.data.allow.join('\n'));
  }, [policy.data]);

  const save = async () => {
    const saved = await client.access.saveEgressPolicy(text.split(/[\s,]+/).filter(Boolean));
    setText(saved.allow.join('\n'));
    toast.success('Allowed addresses saved');
  };

  return (
    <section className="card stack" aria-labelledby="egress-title" data-testid="egress-policy">
      <h2 id="egress-title">Internal addresses</h2>
      <p className="muted">
        Webhooks, call-flow requests and audio links may reach any public address. Addresses inside a network — this machine, private ranges, link-local — are refused unless you list them here, so nobody can point the server at your internal systems.
      </p>
      <ProblemBanner error={policy.error ?? error} />
      <form className="stack" onSubmit={onSubmit(save)}>
        <label className="field">
          <span>Allowed internal addresses or ranges, one per line</span>
          <textarea rows={5} value={text} placeholder={'10.20.0.0/16\n192.168.1.15'} onChange={(e) => setText(e.target.value)} disabled={!loaded} data-testid="egress-allow" />
        </label>
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={busy || !loaded} data-testid="egress-save">{busy ? 'Saving…' : 'Save addresses'}</button>
        </div>
      </form>
    </section>
  );
}
