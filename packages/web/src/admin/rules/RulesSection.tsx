import { describeRule, type Rule, type RuleMode } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { formatRelative, formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useAuth } from '../../shared/auth';
import { hasRole } from '../../shared/roles';
import { useToast } from '../../shared/Toasts';
import { useResource } from '../../shared/use-resource';
import { Section, TableState } from '../Section';
import { RuleEditor } from './RuleEditor';
import { RuleFirings } from './RuleFirings';
import './rules.css';

const MODES: { mode: RuleMode; label: string }[] = [
  { mode: 'off', label: 'Off' },
  { mode: 'shadow', label: 'Dry run' },
  { mode: 'active', label: 'On' },
];

/** Cross-channel rules: the list with on/off and hits, the editor, and what the rules did lately. */
export function RulesSection() {
  const toast = useToast();
  // Supervisors watch and test; changing rules is an admin's (as the API checks).
  const canEdit = hasRole(useAuth().user.role, 'admin');
  const rules = useResource(() => client.rules.list());
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [watching, setWatching] = useState<string | null>(null);
  const items = rules.data?.items ?? [];

  // Hit counts move as rules fire: re-read the list on every firing.
  useEffect(() => {
    const s = client.realtime({ types: ['rules.fired'] });
    s.on('event', () => rules.reload());
    return () => s.close();
  }, [rules.reload]);

  async function setMode(rule: Rule, mode: RuleMode) {
    try {
      await client.rules.activate(rule.id, mode);
      toast.success(mode === 'off' ? `“${rule.name}” is off` : mode === 'shadow' ? `“${rule.name}” runs as a dry run: traced, no actions taken` : `“${rule.name}” is on`);
      rules.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  async function remove(rule: Rule) {
    if (!window.confirm(`Delete the rule “${rule.name}” and all its versions?`)) return;
    try {
      await client.rules.remove(rule.id);
      toast.success('Rule deleted');
      if (editing !== 'new' && editing?.id === rule.id) setEditing(null);
      rules.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <Section id="rules" title="Rules" description="When something happens in one channel, change a live contact in another: a card on the caller’s screen, a note to the agent, a text, a different queue. Each rule acts once per matching set of events and explains itself.">
      {editing ? (
        <RuleEditor
          key={editing === 'new' ? 'new' : `${editing.id}@${editing.version}`}
          rule={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(r) => {
            setEditing(null);
            setWatching(r.id);
            rules.reload();
          }}
        />
      ) : (
        canEdit && <div className="row">
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="rule-new">New rule</button>
        </div>
      )}
      <ProblemBanner error={rules.error} />
      <TableState loading={rules.loading} error={rules.error} empty={items.length === 0} what="rules" />
      {items.length > 0 && (
        <ul className="rule-list" data-testid="rules-list">
          {items.map((r) => (
            <li key={r.id} className="card rule-item" data-testid="rule-row" data-mode={r.mode}>
              <div className="rule-item-head">
                <h2 className="rule-item-name">{r.name}</h2>
                <div className="segmented" role="radiogroup" aria-label={`Run “${r.name}”`}>
                  {MODES.map((m) => (
                    <button
                      key={m.mode}
                      type="button"
                      role="radio"
                      aria-checked={r.mode === m.mode}
                      className={r.mode === m.mode ? `seg seg-on seg-${m.mode}` : 'seg'}
                      disabled={!canEdit}
                      onClick={() => r.mode !== m.mode && void setMode(r, m.mode)}
                      data-testid={`rule-mode-${m.mode}`}
                    >
                      {m.label}
                    </button>
                  ))}
                </div>
              </div>
              <p className="rule-sentence">{describeRule(r.definition)}</p>
              <div className="rule-item-foot">
                <span className="rule-hits" data-testid="rule-hits">
                  <strong>{r.hits ?? 0}</strong> {r.hits === 1 ? 'hit' : 'hits'}
                </span>
                <span className="muted small">
                  {r.lastFiredAt ? <span title={formatDateTime(r.lastFiredAt)}>last {formatRelative(r.lastFiredAt)}</span> : 'never fired'}
                  {' · '}version {r.version}
                  {r.activeVersion && r.activeVersion !== r.version ? ` (running ${r.activeVersion})` : ''}
                </span>
                <span className="push-right row">
                  <button type="button" className="btn btn-small" onClick={() => setWatching(watching === r.id ? null : r.id)} aria-expanded={watching === r.id} data-testid="rule-watch">
                    Activity
                  </button>
                  {canEdit && (
                    <>
                      <button type="button" className="btn btn-small" onClick={() => setEditing(r)} data-testid="rule-edit">Edit</button>
                      <button type="button" className="btn btn-small btn-danger" onClick={() => void remove(r)}>Delete</button>
                    </>
                  )}
                </span>
              </div>
              {watching === r.id && <RuleFirings ruleId={r.id} />}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
