import type { WallboardAgent, WallboardQueue, WallboardWork } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../../shared/api';
import { presenceText } from '../../shared/messages';
import { useToast } from '../../shared/Toasts';
import { useAction } from '../../shared/use-action';
import { ProblemBanner } from '../../shared/ProblemBanner';

/**
 * Moves one piece of an agent's work elsewhere: to another agent (a call rings their
 * phones and leaves this agent, whose wrap-up starts) or back into a queue.
 */
export function ReassignWork({ work, holder, agents, queues }: { work: WallboardWork; holder: WallboardAgent; agents: WallboardAgent[]; queues: WallboardQueue[] }) {
  const toast = useToast();
  const action = useAction();
  const [to, setTo] = useState('');
  const others = agents.filter((a) => a.userId !== holder.userId);
  const id = `reassign-${work.itemId}`;
  const move = () =>
    action.run(async () => {
      const [kind, ref] = [to.slice(0, to.indexOf(':')), to.slice(to.indexOf(':') + 1)];
      await client.desk.reassign(work.itemId, kind === 'queue' ? { queueId: ref } : { agentId: ref });
      const name = kind === 'queue' ? queues.find((q) => q.queueId === ref)?.name : others.find((a) => a.userId === ref)?.name;
      toast.success(`Moved to ${name ?? 'the new place'}`);
      setTo('');
    });
  return (
    <div className="wb-reassign">
      <label htmlFor={id} className="sr-only">Move {holder.name}’s work to</label>
      <select id={id} value={to} onChange={(e) => setTo(e.target.value)} data-testid="reassign-target">
        <option value="">Move to…</option>
        <optgroup label="Agents">
          {others.map((a) => (
            <option key={a.userId} value={`user:${a.userId}`}>{a.name} · {a.work.length ? 'Busy' : presenceText(a.presence)}</option>
          ))}
        </optgroup>
        <optgroup label="Queues">
          {queues.map((q) => (
            <option key={q.queueId} value={`queue:${q.queueId}`}>{q.name}</option>
          ))}
        </optgroup>
      </select>
      <button type="button" className="btn btn-small" disabled={!to || action.busy} onClick={() => void move()} data-testid="reassign-submit">
        Move
      </button>
      <ProblemBanner error={action.error} />
    </div>
  );
}
