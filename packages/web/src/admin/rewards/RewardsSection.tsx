import type { RewardProgram } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useResource } from '../../shared/use-resource';
import { Section } from '../Section';
import { PacingCard } from './PacingCard';
import { ProgramForm } from './ProgramForm';
import { RedemptionsCard } from './RedemptionsCard';
import { useRewardsLive } from './use-rewards-live';
import './rewards-admin.css';

/** Rewards: the programs that pay people for engaging with brands' media, how each paces against its plan, and payouts. */
export function RewardsSection() {
  const programs = useResource(() => client.rewards.programs());
  const items = programs.data?.items ?? [];
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<RewardProgram | 'new' | null>(null);
  const tick = useRewardsLive();
  useEffect(() => {
    if (!selected && items[0]) setSelected(items[0].id);
  }, [items, selected]);
  const program = items.find((p) => p.id === selected);

  return (
    <Section id="rewards" title="Rewards" description="Points people earn for engaging with what your brands show them: each award is valued live so the period's average payout meets your target within the budget.">
      <ProblemBanner error={programs.error} />
      <section className="card stack" aria-labelledby="reward-programs-title" data-testid="reward-programs">
        <div className="row">
          <h2 id="reward-programs-title" className="grow">
            Programs
          </h2>
          {editing == null && (
            <button type="button" className="btn btn-small" onClick={() => setEditing('new')} data-testid="reward-program-new">
              New program
            </button>
          )}
        </div>
        {items.length === 0 && !programs.loading && editing == null && <p className="empty">No program yet. Create one to start rewarding people.</p>}
        {items.length > 0 && (
          <div className="row wrap" role="tablist" aria-label="Program">
            {items.map((p) => (
              <button key={p.id} type="button" role="tab" aria-selected={p.id === selected} className={`chip ${p.id === selected ? 'chip-on' : ''}`} onClick={() => setSelected(p.id)} data-testid="reward-program-tab">
                {p.name}
              </button>
            ))}
          </div>
        )}
        {program && editing == null && <ProgramSummary p={program} onEdit={() => setEditing(program)} />}
        {editing != null && (
          <ProgramForm
            program={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onSaved={(p) => {
              setEditing(null);
              setSelected(p.id);
              programs.reload();
            }}
          />
        )}
      </section>
      {program && <PacingCard program={program} tick={tick} />}
      <RedemptionsCard tick={tick} />
    </Section>
  );
}

const PERIOD_WORD = { day: 'day', week: 'week', month: 'month' } as const;

function ProgramSummary({ p, onEdit }: { p: RewardProgram; onEdit: () => void }) {
  const fmt = (n: number) => n.toLocaleString();
  return (
    <div className="row wrap reward-program-summary" data-testid="reward-program-summary">
      <span>
        <strong>{fmt(p.budget)}</strong> points per {PERIOD_WORD[p.period]} ({p.timeZone})
      </span>
      <span>
        target <strong>{fmt(p.target)}</strong> points per activity
      </span>
      {p.userCap != null && <span>at most {fmt(p.userCap)} per person</span>}
      {p.endsAt != null && <span>until {new Date(p.endsAt).toLocaleDateString()}</span>}
      <button type="button" className="btn btn-small btn-ghost push-right" onClick={onEdit} data-testid="reward-program-edit">
        Edit
      </button>
    </div>
  );
}
