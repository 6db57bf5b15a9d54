import { useEffect, useState } from 'react';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import type { CallRule, DeflectionStats, PhoneNumber, RuleAction, Weekday } from '@callsight/sdk';
import { client } from '../../shared/api';

/** Weekdays in the order the editor shows them (the protocol's WEEKDAYS start on Sunday). */
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * A rule as the form edits it: every input a string, empty meaning "no such
 * condition". Converted to the API's shape on save; the server validates and
 * answers 400 with the path of any bad field (shown in the banner).
 */
interface Draft {
  direction: 'inbound' | 'outbound';
  then: RuleAction;
  callerType: '' | 'any' | 'mobile' | 'landline';
  prefixes: string;
  numbers: string;
  hoursFrom: string;
  hoursTo: string;
  hoursTz: string;
  calendarTz: string;
  weekdays: Weekday[];
  dates: string;
  queueWaitAbove: string;
  noAgents: '' | 'yes' | 'no';
  callsAtLeast: string;
  withinDays: string;
  openConversation: '' | 'yes' | 'no';
  campaign: string;
  queue: string;
  timeoutSeconds: string;
  announcement: string;
}

const EMPTY: Draft = {
  direction: 'inbound',
  then: 'deflect_chat',
  callerType: '',
  prefixes: '',
  numbers: '',
  hoursFrom: '',
  hoursTo: '',
  hoursTz: '',
  calendarTz: '',
  weekdays: [],
  dates: '',
  queueWaitAbove: '',
  noAgents: '',
  callsAtLeast: '',
  withinDays: '',
  openConversation: '',
  campaign: '',
  queue: '',
  timeoutSeconds: '',
  announcement: '',
};

const ACTIONS: { value: RuleAction; label: string }[] = [
  { value: 'deflect_chat', label: 'Text a link to chat' },
  { value: 'deflect_menu', label: 'Text a link to the visual menu' },
  { value: 'deflect_callback', label: 'Text a link to book a call back' },
  { value: 'continue', label: 'Continue (run the flow)' },
];

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
const yesNo = (v: '' | 'yes' | 'no') => (v === '' ? undefined : v === 'yes');
const fromYesNo = (b: boolean | undefined): '' | 'yes' | 'no' => (b === undefined ? '' : b ? 'yes' : 'no');
/** Drops undefined members and returns undefined for an object left empty. */
function compact<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
  return Object.keys(out).length ? (out as T) : undefined;
}

function toRule(d: Draft): CallRule {
  const when: CallRule['when'] = {
    callerType: d.callerType || undefined,
    callerNumber: compact({ prefixes: list(d.prefixes), numbers: list(d.numbers) }),
    // A half-filled time window is still sent, so the server names the missing part.
    hours: d.hoursFrom || d.hoursTo || d.hoursTz ? { from: d.hoursFrom, to: d.hoursTo, tz: d.hoursTz } : undefined,
    calendar: d.calendarTz || d.weekdays.length || d.dates ? { tz: d.calendarTz, ...compact({ weekdays: d.weekdays, dates: list(d.dates) }) } : undefined,
    queueWaitAbove: num(d.queueWaitAbove),
    noAgentsAvailable: yesNo(d.noAgents),
    history: compact({ callsAtLeast: num(d.callsAtLeast), withinDays: num(d.withinDays), openConversation: yesNo(d.openConversation) }),
    campaign: list(d.campaign).length ? list(d.campaign) : undefined,
  };
  const options = compact({ queue: d.queue.trim() || undefined, timeoutSeconds: num(d.timeoutSeconds), announcement: d.announcement.trim() || undefined });
  return { direction: d.direction, when: compact(when) ?? {}, then: d.then, ...(options ? { options } : {}) };
}

function fromRule(r: CallRule): Draft {
  const w = r.when;
  return {
    ...EMPTY,
    direction: r.direction ?? 'inbound',
    then: r.then,
    callerType: w.callerType ?? '',
    prefixes: w.callerNumber?.prefixes?.join(', ') ?? '',
    numbers: w.callerNumber?.numbers?.join(', ') ?? '',
    hoursFrom: w.hours?.from ?? '',
    hoursTo: w.hours?.to ?? '',
    hoursTz: w.hours?.tz ?? '',
    calendarTz: w.calendar?.tz ?? '',
    weekdays: w.calendar?.weekdays ?? [],
    dates: w.calendar?.dates?.join(', ') ?? '',
    queueWaitAbove: w.queueWaitAbove?.toString() ?? '',
    noAgents: fromYesNo(w.noAgentsAvailable),
    callsAtLeast: w.history?.callsAtLeast?.toString() ?? '',
    withinDays: w.history?.withinDays?.toString() ?? '',
    openConversation: fromYesNo(w.history?.openConversation),
    campaign: w.campaign?.join(', ') ?? '',
    queue: r.options?.queue ?? '',
    timeoutSeconds: r.options?.timeoutSeconds?.toString() ?? '',
    announcement: r.options?.announcement ?? '',
  };
}

/** The call-control rules of one number: first match of the call's direction wins. */
export function CallRulesEditor({ number, onClose }: { number: PhoneNumber; onClose: () => void }) {
  const toast = useToast();
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [stats, setStats] = useState<DeflectionStats | null>(null);

  useEffect(() => {
    setDrafts(null);
    client.deflection.rules(number.id).then((r) => setDrafts(r.rules.map(fromRule)), setError);
    // What the rules did lately; not essential, so a failure only hides the line.
    client.deflection.stats(24).then((r) => setStats(r.items.find((i) => i.numberId === number.id) ?? null), () => setStats(null));
  }, [number.id]);

  const update = (i: number, patch: Partial<Draft>) => setDrafts((ds) => ds!.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const move = (i: number, by: number) =>
    setDrafts((ds) => {
      const next = [...ds!];
      const [d] = next.splice(i, 1);
      next.splice(i + by, 0, d);
      return next;
    });

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const saved = await client.deflection.saveRules(number.id, drafts!.map(toRule));
      setDrafts(saved.rules.map(fromRule));
      toast.success(`Rules of ${number.number} saved`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-label={`Call rules of ${number.number}`} data-testid="rules-editor">
      <div className="row">
        <h3>Call rules of <span className="mono">{number.number}</span></h3>
        <button type="button" className="btn btn-small" onClick={onClose} data-testid="rules-close">Close</button>
      </div>
      <p className="muted">Inbound rules run when a call reaches the number; outbound rules when a campaign call from it is not answered or is rejected. The first matching rule of the call’s direction decides; empty fields are not checked.</p>
      <p className="small" data-testid="rules-stats">
        Last 24 h: {stats ? `${stats.offered} link(s) offered, ${stats.opened} opened (deflection rate ${Math.round(stats.rate * 100)} %), ${stats.smsFailed} SMS failed` : 'no deflections'}.
      </p>
      <ProblemBanner error={error} />
      {drafts === null && !error && <p>Loading…</p>}
      {drafts?.map((d, i) => (
        <fieldset key={i} className="card form-grid" data-testid="rule">
          <legend>Rule {i + 1}</legend>
          <label className="field"><span>Direction</span>
            <select value={d.direction} onChange={(e) => update(i, { direction: e.target.value as Draft['direction'] })} data-testid="rule-direction">
              <option value="inbound">Inbound calls</option>
              <option value="outbound">Outbound campaign calls not answered</option>
            </select>
          </label>
          <label className="field"><span>Then</span>
            <select value={d.then} onChange={(e) => update(i, { then: e.target.value as RuleAction })} data-testid="rule-then">
              {ACTIONS.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
            </select>
          </label>
          <label className="field"><span>Caller type</span>
            <select value={d.callerType} onChange={(e) => update(i, { callerType: e.target.value as Draft['callerType'] })} data-testid="rule-caller-type">
              <option value="">Any (not checked)</option><option value="mobile">Mobile</option><option value="landline">Landline</option>
            </select>
          </label>
          <label className="field"><span>Number starts with</span><input value={d.prefixes} placeholder="+336, +337" onChange={(e) => update(i, { prefixes: e.target.value })} data-testid="rule-prefixes" /></label>
          <label className="field"><span>Or is one of</span><input value={d.numbers} placeholder="+442079460000" onChange={(e) => update(i, { numbers: e.target.value })} data-testid="rule-numbers" /></label>
          <label className="field"><span>Between (local)</span><input value={d.hoursFrom} placeholder="18:00" onChange={(e) => update(i, { hoursFrom: e.target.value })} data-testid="rule-hours-from" /></label>
          <label className="field"><span>and</span><input value={d.hoursTo} placeholder="08:00" onChange={(e) => update(i, { hoursTo: e.target.value })} data-testid="rule-hours-to" /></label>
          <label className="field"><span>Time zone of the hours</span><input value={d.hoursTz} placeholder="Europe/Paris" onChange={(e) => update(i, { hoursTz: e.target.value })} data-testid="rule-hours-tz" /></label>
          <fieldset className="field span-all"><legend>On these days (calendar)</legend>
            <div className="row wrap">
              {WEEKDAYS.map((w) => (
                <label key={w} className="row"><input type="checkbox" checked={d.weekdays.includes(w)} onChange={(e) => update(i, { weekdays: e.target.checked ? [...d.weekdays, w] : d.weekdays.filter((x) => x !== w) })} data-testid={`rule-day-${w}`} /> {w}</label>
              ))}
            </div>
          </fieldset>
          <label className="field"><span>Or on these dates (holidays)</span><input value={d.dates} placeholder="2026-12-25, 2027-01-01" onChange={(e) => update(i, { dates: e.target.value })} data-testid="rule-dates" /></label>
          <label className="field"><span>Time zone of the calendar</span><input value={d.calendarTz} placeholder="Europe/Paris" onChange={(e) => update(i, { calendarTz: e.target.value })} data-testid="rule-calendar-tz" /></label>
          <label className="field"><span>Queue wait above (s)</span><input inputMode="numeric" value={d.queueWaitAbove} onChange={(e) => update(i, { queueWaitAbove: e.target.value })} data-testid="rule-queue-wait" /></label>
          <label className="field"><span>No agent available</span>
            <select value={d.noAgents} onChange={(e) => update(i, { noAgents: e.target.value as Draft['noAgents'] })} data-testid="rule-no-agents">
              <option value="">Not checked</option><option value="yes">Yes</option><option value="no">No (agents available)</option>
            </select>
          </label>
          <label className="field"><span>Called at least (times)</span><input inputMode="numeric" value={d.callsAtLeast} onChange={(e) => update(i, { callsAtLeast: e.target.value })} data-testid="rule-calls-at-least" /></label>
          <label className="field"><span>Within (days)</span><input inputMode="numeric" value={d.withinDays} placeholder="30" onChange={(e) => update(i, { withinDays: e.target.value })} data-testid="rule-within-days" /></label>
          <label className="field"><span>Has an open conversation</span>
            <select value={d.openConversation} onChange={(e) => update(i, { openConversation: e.target.value as Draft['openConversation'] })} data-testid="rule-open-conversation">
              <option value="">Not checked</option><option value="yes">Yes</option><option value="no">No</option>
            </select>
          </label>
          {d.direction === 'outbound' && (
            <label className="field"><span>Campaigns</span><input value={d.campaign} placeholder="renewals, winback" onChange={(e) => update(i, { campaign: e.target.value })} data-testid="rule-campaign" /></label>
          )}
          <label className="field"><span>Queue</span><input value={d.queue} placeholder="support" onChange={(e) => update(i, { queue: e.target.value })} data-testid="rule-queue" /></label>
          <label className="field"><span>Link valid for (s)</span><input inputMode="numeric" value={d.timeoutSeconds} placeholder="120" onChange={(e) => update(i, { timeoutSeconds: e.target.value })} data-testid="rule-timeout" /></label>
          <label className="field span-all"><span>Announcement</span><input value={d.announcement} placeholder="We have sent you a text message…" onChange={(e) => update(i, { announcement: e.target.value })} data-testid="rule-announcement" /></label>
          <div className="form-actions span-all">
            <button type="button" className="btn btn-small" disabled={i === 0} onClick={() => move(i, -1)}>Move up</button>
            <button type="button" className="btn btn-small" disabled={i === drafts.length - 1} onClick={() => move(i, 1)}>Move down</button>
            <button type="button" className="btn btn-danger btn-small" onClick={() => setDrafts(drafts.filter((_, j) => j !== i))} data-testid="rule-remove">Remove</button>
          </div>
        </fieldset>
      ))}
      {drafts && (
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => setDrafts([...drafts, { ...EMPTY }])} data-testid="rule-add">Add a rule</button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()} data-testid="rules-save">{busy ? 'Saving…' : 'Save rules'}</button>
        </div>
      )}
    </section>
  );
}
