import type { Report } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../../shared/api';
import { formatDuration } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { saveFile } from '../../shared/save-file';
import { useAction } from '../../shared/use-action';
import { reportCsv } from './report-csv';

const DAY = 86_400_000;
const dateInput = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
/** A date field's local midnight (the period runs from the first day's start to the last day's end). */
const startOf = (value: string) => new Date(`${value}T00:00:00`).getTime();

/** Historical figures per queue or agent over chosen days, as bars and a table, and as CSV. */
export function Reports() {
  const [from, setFrom] = useState(dateInput(Date.now() - 6 * DAY));
  const [to, setTo] = useState(dateInput(Date.now()));
  const [by, setBy] = useState<'queue' | 'agent'>('queue');
  const [report, setReport] = useState<Report | null>(null);
  const action = useAction();

  const load = action.onSubmit(async () => {
    setReport(await client.desk.report({ from: startOf(from), to: startOf(to) + DAY, by }));
  });
  const download = () => {
    if (!report) return;
    saveFile(`callsight-report-${by}-${from}-to-${to}.csv`, reportCsv(report), 'text/csv');
  };
  const most = Math.max(1, ...(report?.rows.map((r) => r.handled + r.abandoned) ?? [1]));

  return (
    <section className="card stack" aria-labelledby="reports-title" data-testid="reports">
      <h2 id="reports-title">Reports</h2>
      <form className="wb-report-form" onSubmit={load}>
        <div className="field">
          <label htmlFor="report-from">From</label>
          <input id="report-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="report-to">To</label>
          <input id="report-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="report-by">Per</label>
          <select id="report-by" value={by} onChange={(e) => setBy(e.target.value as 'queue' | 'agent')}>
            <option value="queue">Queue</option>
            <option value="agent">Agent</option>
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="report-run">Show</button>
        <button type="button" className="btn" onClick={download} disabled={!report} data-testid="report-csv">Download CSV</button>
      </form>
      <ProblemBanner error={action.error} />
      {!report ? (
        <p className="muted">Choose the days and press Show.</p>
      ) : report.rows.length === 0 ? (
        <p className="empty">Nothing was handled in this period.</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Report figures">
          <table className="table" data-testid="report-table">
            <thead>
              <tr>
                <th scope="col">{by === 'queue' ? 'Queue' : 'Agent'}</th>
                <th scope="col">Handled · abandoned</th>
                <th scope="col">Avg wait</th>
                <th scope="col">Avg handle</th>
                <th scope="col">SLA</th>
                <th scope="col">Wrap-up codes</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.name}</th>
                  <td>
                    <div className="wb-bar" aria-hidden="true">
                      <span className="wb-bar-ok" style={{ width: `${(r.handled / most) * 100}%` }} />
                      <span className="wb-bar-bad" style={{ width: `${(r.abandoned / most) * 100}%` }} />
                    </div>
                    <span data-testid="report-handled">{r.handled}</span> handled · {r.abandoned} abandoned
                  </td>
                  <td>{r.avgWaitMs == null ? '—' : formatDuration(r.avgWaitMs)}</td>
                  <td>{r.avgHandleMs == null ? '—' : formatDuration(r.avgHandleMs)}</td>
                  <td>{r.slaPercent == null ? '—' : `${r.slaPercent}%`}</td>
                  <td className="small">{Object.entries(r.wrapUpCodes).map(([c, n]) => `${c} ${n}`).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
