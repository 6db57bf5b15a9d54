/**
 * Words shown to people, in one table per language, so no screen shows a raw
 * code ("flow_completed", "no_answer") and a translation is one more table.
 * Keys are the server's stable codes; an unknown code gets the generic text,
 * never the code itself.
 */
import type { Attestation, BrandContentKind, Presence, Verstat } from '@callsight/sdk';

type Table = {
  callEnded: Record<string, string> & { default: string };
  callState: Record<'new' | 'ringing' | 'answered' | 'held' | 'ended', string>;
  /** STIR/SHAKEN results (3GPP `verstat`) and SHAKEN attestations. */
  verstat: Record<Verstat, string>;
  attestation: Record<Attestation, string>;
  contentKind: Record<BrandContentKind, string>;
  /** An agent's routing presence. */
  presence: Record<Presence, string>;
};

const en: Table = {
  callEnded: {
    default: 'Call ended',
    hangup: 'Call ended',
    remote_hangup: 'Call ended',
    bridge_ended: 'Call ended',
    completed: 'Call ended',
    flow_completed: 'Call ended',
    stopped: 'Call ended',
    transferred: 'Call transferred',
    deflected: 'Moved to a link — check your messages',
    answered_elsewhere: 'Answered on another device',
    no_answer: 'No answer',
    timeout: 'No answer',
    declined: 'Declined',
    rejected: 'Declined',
    busy: 'Busy',
    cancelled: 'Call cancelled',
    cancel: 'Call cancelled',
    unavailable: 'Not available right now',
    not_found: 'That number could not be reached',
    flow_failed: 'The call could not be completed',
    media_failed: 'The connection dropped',
    media_timeout: 'The connection dropped',
    no_ack: 'The connection dropped',
    failed: 'The connection dropped',
    closed: 'The connection dropped',
    shutdown: 'The service restarted — please call again',
  },
  callState: {
    new: 'Connecting…',
    ringing: 'Ringing…',
    answered: 'In call',
    held: 'On hold',
    ended: 'Call ended',
  },
  verstat: {
    'TN-Validation-Passed': 'Verified by the carrier',
    'TN-Validation-Failed': 'Verification failed',
    'No-TN-Validation': 'Not verified',
  },
  attestation: {
    A: 'attestation A: the caller and the number are vouched for',
    B: 'attestation B: the caller is known, the number is not vouched for',
    C: 'attestation C: passed on by a gateway',
  },
  contentKind: { order: 'Order', appointment: 'Appointment', message: 'Message' },
  presence: { available: 'Available', away: 'Away', 'wrap-up': 'In wrap-up', offline: 'Offline' },
};

const tables: Record<string, Table> = { en };

/** The table for the page's language (<html lang>), falling back to English. */
function table(): Table {
  const lang = (typeof document !== 'undefined' ? document.documentElement.lang : '') || 'en';
  return tables[lang] ?? tables[lang.split('-')[0]!] ?? en;
}

/** Why a call ended, in words. */
export function callEndedText(cause: string | null | undefined): string {
  const t = table().callEnded;
  return (cause && t[cause]) || t.default;
}

export function callStateText(state: keyof Table['callState']): string {
  return table().callState[state];
}

/** A verification result in words: "Verified by the carrier (attestation A: …)". */
export function verificationText(v: { verstat: Verstat; attest?: Attestation | null }): string {
  const t = table();
  const head = t.verstat[v.verstat] ?? t.verstat['No-TN-Validation'];
  return v.verstat === 'TN-Validation-Passed' && v.attest ? `${head} (${t.attestation[v.attest]})` : head;
}

/** What a brand's calls are about, as its kind in words and its title: "Order · Sofa delivery". */
export function brandContentText(content: { kind: BrandContentKind; title: string }): string {
  return `${table().contentKind[content.kind] ?? ''} · ${content.title}`.replace(/^ · /, '');
}

/** An agent's presence in words ("In wrap-up", not "wrap-up"). */
export function presenceText(presence: Presence): string {
  const t = table().presence;
  return t[presence] ?? t.offline;
}
