import type { CxActionKind, CxActionResult, RuleMode } from '../api/rules.js';

/** Rules and ingested events. */
export interface RulesEvents {
  /** A business system's event (CloudEvents `POST /api/events/ingest`); `eventType` is its CloudEvents type. */
  'ingest.event': {
    eventType: string;
    source: string;
    sourceId: string;
    subject: string | null;
    customerId: string | null;
    data: Record<string, unknown>;
  };
  /** A rule's trigger completed; `key` is the effect's exactly-once key. */
  'rules.fired': {
    ruleId: string;
    ruleName: string;
    version: number;
    key: string;
    mode: 'active' | 'shadow';
    eventIds: string[];
    customerId: string | null;
    depth: number;
    actions: CxActionKind[];
  };
  /** The actions of a firing ran. */
  'rules.acted': { ruleId: string; key: string; results: CxActionResult[] };
  /** A note for the agent on the interaction, from a rule. */
  'rules.whisper': { ruleId: string; ruleName: string; text: string; agentId: string | null };
  /** A rule chain re-triggered itself past the depth limit; nothing more was done. */
  'rules.loop.stopped': { ruleId: string; ruleName: string; depth: number; eventId: string };
  'rules.rule.saved': { ruleId: string; version: number; mode: RuleMode; activeVersion: number | null };
}
