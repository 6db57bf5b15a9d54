import { REWARD_ACTIVITY_LABELS, type RewardActivityType, type RewardPacing, type RewardProgram } from '@callsight/sdk';
import { useEffect } from 'react';
import { client } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useResource } from '../../shared/use-resource';

const fmt = (n: number) => Math.round(n).toLocaleString();

/** The program's current period, live: paid so far against the plan, the average payout against the target, and what each activity pays now. */
export function PacingCard({ program, tick }: { program: RewardProgram; tick: number }) {
  const pacing = useResource(() => client.rewards.pacing(program.id));
  useEffect(() => pacing.reload(), [tick, program.id, program.updatedAt]);
  const p = pacing.data?.programId === program.id ? pacing.data : undefined;
  const planned = p ? (p.series[p.series.length - 1]?.planned ?? 0) : 0;
  const ahead = p && planned > 0 ? p.spent / planned - 1 : 0;

  return (
    <section className="card stack" aria-labelledby="reward-pacing-title" data-testid="reward-pacing">
      <h2 id="reward-pacing-title">This period</h2>
      <ProblemBanner error={pacing.error} />
      {p && (
        <>
          <p className="muted small">
            {formatDateTime(p.periodStart)} – {formatDateTime(p.periodEnd)}
          </p>
          <div className="reward-figures">
            <Figure label="Paid so far" value={`${fmt(p.spent)}`} detail={`of ${fmt(p.budget)} budget · plan now ${fmt(planned)}`} testId="pacing-spent" tone={ahead > 0.25 && planned > 0 ? 'warn' : undefined} />
            <Figure label="Average payout" value={p.awards ? p.averagePayout.toLocaleString() : '—'} detail={`target ${fmt(program.target)} · ${fmt(p.awards)} ${p.awards === 1 ? 'award' : 'awards'}`} testId="pacing-average" />
            <Figure label="Budget left" value={fmt(Math.max(0, p.budget - p.spent))} detail={`${Math.round((100 * p.spent) / Math.max(1, p.budget))} % used`} />
          </div>
          <PacingChart pacing={p} />
          <div className="reward-columns">
            <div className="stack" style={{ gap: '0.4rem' }}>
              <h3>An activity pays now</h3>
              <ul className="reward-values" data-testid="pacing-values">
                {(Object.entries(p.values) as [RewardActivityType, number][]).map(([t, v]) => (
                  <li key={t} data-type={t}>
                    <span className="grow">{REWARD_ACTIVITY_LABELS[t]}</span>
                    <strong>{fmt(v)}</strong>
                    <span className="muted small">points · weight {program.weights[t]}</span>
                  </li>
                ))}
              </ul>
            </div>
            <div className="stack" style={{ gap: '0.4rem' }}>
              <h3>Top earners</h3>
              {p.topEarners.length === 0 ? (
                <p className="muted small">Nobody has earned points this period yet.</p>
              ) : (
                <ol className="reward-values">
                  {p.topEarners.map((t) => (
                    <li key={t.userId}>
                      <span className="grow">{t.name}</span>
                      <strong>{fmt(t.points)}</strong>
                      <span className="muted small">
                        points · {t.awards} {t.awards === 1 ? 'award' : 'awards'}
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </div>
          {p.flags.length > 0 && (
            <ul className="stack reward-flags" aria-label="Anomalies" data-testid="pacing-flags">
              {p.flags.map((f, i) => (
                <li key={i} className="banner banner-warn">
                  <strong>{f.kind === 'burst' ? 'Burst' : 'Limit reached'}:</strong> {f.detail}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function Figure({ label, value, detail, testId, tone }: { label: string; value: string; detail: string; testId?: string; tone?: 'warn' }) {
  return (
    <div className={`reward-figure ${tone ? `reward-figure-${tone}` : ''}`} data-testid={testId}>
      <span className="muted small">{label}</span>
      <strong className="reward-figure-value">{value}</strong>
      <span className="muted small">{detail}</span>
    </div>
  );
}

/** Planned (the budget spread evenly) against actual cumulative payout, from the period's start to now. */
function PacingChart({ pacing }: { pacing: RewardPacing }) {
  const W = 600;
  const H = 160;
  const last = pacing.series[pacing.series.length - 1];
  const end = Math.max(pacing.periodStart + 1, last?.at ?? pacing.periodEnd);
  // Scaled to what happened so far, so the first hours of a month are readable.
  const top = Math.max(1, ...pacing.series.map((s) => Math.max(s.planned, s.actual))) * 1.1;
  const x = (at: number) => ((at - pacing.periodStart) / (end - pacing.periodStart)) * W;
  const y = (v: number) => H - (v / top) * H;
  const line = (key: 'planned' | 'actual') => pacing.series.map((s, i) => `${i ? 'L' : 'M'}${x(s.at).toFixed(1)},${y(s[key]).toFixed(1)}`).join(' ');
  return (
    <figure className="reward-chart">
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`Paid ${fmt(last?.actual ?? 0)} points against a plan of ${fmt(last?.planned ?? 0)} so far`}>
        <path d={line('planned')} className="reward-chart-planned" vectorEffect="non-scaling-stroke" />
        <path d={line('actual')} className="reward-chart-actual" vectorEffect="non-scaling-stroke" />
      </svg>
      <figcaption className="row wrap small muted">
        <span>
          <span className="reward-key reward-key-actual" /> paid
        </span>
        <span>
          <span className="reward-key reward-key-planned" /> plan
        </span>
        <span className="push-right">
          {formatDateTime(pacing.periodStart)} → now · top {fmt(top)} points
        </span>
      </figcaption>
    </figure>
  );
}
