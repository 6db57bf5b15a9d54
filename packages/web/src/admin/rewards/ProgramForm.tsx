import { REWARD_ACTIVITY_LABELS, REWARD_ACTIVITY_TYPES, type RewardActivityType, type RewardPeriod, type RewardProgram, type RewardProgramInput } from '@callsight/sdk';
import { useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';

type Draft = { name: string; budget: string; period: RewardPeriod; timeZone: string; target: string; userCap: string; roomMinutes: string; weights: Record<RewardActivityType, string> };

const toDraft = (p: RewardProgram | null): Draft => ({
  name: p?.name ?? '',
  budget: String(p?.budget ?? 100_000),
  period: p?.period ?? 'month',
  timeZone: p?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
  target: String(p?.target ?? 100),
  userCap: p?.userCap == null ? '' : String(p.userCap),
  roomMinutes: String(p?.roomMinutes ?? 5),
  weights: Object.fromEntries(REWARD_ACTIVITY_TYPES.map((t) => [t, p ? (p.weights[t] == null ? '' : String(p.weights[t])) : t === 'call_content_viewed' || t === 'card_completed' ? '1' : ''])) as Draft['weights'],
});

/** Create or edit a program: budget per period, the target average payout, and how much each activity type weighs. */
export function ProgramForm({ program, onSaved, onCancel }: { program: RewardProgram | null; onSaved: (p: RewardProgram) => void; onCancel: () => void }) {
  const toast = useToast();
  const [d, setD] = useState<Draft>(() => toDraft(program));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const weights = Object.fromEntries(Object.entries(d.weights).filter(([, w]) => w.trim() !== '').map(([t, w]) => [t, Number(w)]));
    const input: RewardProgramInput = {
      name: d.name,
      budget: Number(d.budget),
      period: d.period,
      timeZone: d.timeZone || undefined,
      target: Number(d.target),
      weights,
      userCap: d.userCap ? Number(d.userCap) : null,
      roomMinutes: Number(d.roomMinutes) || undefined,
      ...(program ? { startsAt: program.startsAt, endsAt: program.endsAt } : {}),
    };
    try {
      const saved = program ? await client.rewards.updateProgram(program.id, input) : await client.rewards.createProgram(input);
      toast.success(program ? 'Program saved' : 'Program created');
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} data-testid="reward-program-form">
      <div className="form-grid">
        <label className="field span-2">
          Name
          <input value={d.name} onChange={(e) => set('name', e.target.value)} required data-testid="program-name" />
        </label>
        <label className="field">
          Budget (points per period)
          <input inputMode="numeric" value={d.budget} onChange={(e) => set('budget', e.target.value)} data-testid="program-budget" />
        </label>
        <label className="field">
          Period
          <select value={d.period} onChange={(e) => set('period', e.target.value as RewardPeriod)} data-testid="program-period">
            <option value="day">Day</option>
            <option value="week">Week (from Monday)</option>
            <option value="month">Month</option>
          </select>
        </label>
        <label className="field">
          Time zone
          <input value={d.timeZone} onChange={(e) => set('timeZone', e.target.value)} />
        </label>
        <label className="field">
          Target average payout (points)
          <input inputMode="numeric" value={d.target} onChange={(e) => set('target', e.target.value)} data-testid="program-target" />
        </label>
        <label className="field">
          Limit per person and period
          <input inputMode="numeric" value={d.userCap} onChange={(e) => set('userCap', e.target.value)} placeholder="No limit" />
        </label>
      </div>
      <fieldset>
        <legend>Activity weights</legend>
        <p className="muted small">A weight of 2 pays twice what a weight of 1 pays at the same moment. Leave empty to not reward an activity.</p>
        <div className="form-grid">
          {REWARD_ACTIVITY_TYPES.map((t) => (
            <label key={t} className="field">
              {REWARD_ACTIVITY_LABELS[t]}
              <input inputMode="decimal" value={d.weights[t]} onChange={(e) => set('weights', { ...d.weights, [t]: e.target.value })} placeholder="Not rewarded" data-testid={`program-weight-${t}`} />
            </label>
          ))}
          {d.weights.room_listened && (
            <label className="field">
              Minutes of listening that count
              <input inputMode="numeric" value={d.roomMinutes} onChange={(e) => set('roomMinutes', e.target.value)} />
            </label>
          )}
        </div>
      </fieldset>
      <ProblemBanner error={error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="program-save">
          {busy ? 'Saving…' : program ? 'Save program' : 'Create program'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
