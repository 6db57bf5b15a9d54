import type { AnyEvent } from '@callsight/sdk';
import { callEndedText, verificationText } from '../../shared/messages';
import { formatDateTime } from '../../shared/format';
import { formatTalkTime } from '../../shared/softphone/CallTimer';

/** Names for what events refer to: users by id, call parties (numbers, SIP addresses, `user:<id>`). */
export interface TimelineNames {
  person: (userId: string | null | undefined) => string;
  party: (party: string) => string;
}

const SUPERVISE = { monitor: 'started listening in', whisper: 'started whispering to the agent', barge: 'joined the call' } as const;
const CARD_ANSWER = { confirmed: 'confirmed', corrected: 'corrected', rejected: 'turned down' } as const;
const seconds = (s: number | null | undefined) => (s ? ` after ${formatTalkTime(s * 1000)}` : '');

/** One event of an interaction's timeline as a sentence; an event this table doesn't know reads as its name in words, never as JSON. */
export function timelineText(e: AnyEvent, n: TimelineNames): string {
  switch (e.type) {
    case 'interaction.created': return 'Contact opened';
    case 'interaction.updated': return 'Contact changed';
    case 'interaction.closed': return 'Contact closed';
    case 'call.created': return `${e.data.direction === 'inbound' ? 'Incoming' : 'Outgoing'} call from ${n.party(e.data.from)} to ${n.party(e.data.to)}`;
    case 'call.ringing': return 'Ringing';
    case 'call.answered': return 'Answered';
    case 'call.held': return 'Put on hold';
    case 'call.resumed': return 'Taken off hold';
    // The digit itself stays out: callers key in account and card numbers.
    case 'call.dtmf': return 'A key was pressed';
    case 'call.bridged': return 'Connected to another call';
    case 'call.transferred': return `Transferred to ${n.party(e.data.to)}`;
    case 'call.recording.started': return 'Recording started';
    case 'call.recording.stopped': return `Recording stopped${seconds(e.data.durationSeconds)}`;
    case 'call.ended': return `${callEndedText(e.data.cause)}${seconds(e.data.durationSeconds)}`;
    case 'branding.verified': return `Caller check: ${verificationText(e.data)}${e.data.brandName ? ` · shown as ${e.data.brandName}` : ''}`;
    case 'branding.signed': return 'Signed as a verified brand';
    case 'branding.link.opened': return "The callee opened the call's page";
    case 'routing.queued': return 'Waiting in a queue';
    case 'routing.offered': return `Offered to ${n.person(e.data.agentId)}`;
    case 'routing.accepted': return `${n.person(e.data.agentId)} accepted`;
    case 'routing.rejected': return e.data.reason === 'timeout' ? `${n.person(e.data.agentId)} did not answer in time` : `${n.person(e.data.agentId)} passed`;
    case 'routing.assigned': return `Assigned to ${n.person(e.data.agentId)}${e.data.by === 'supervisor' ? ' by a supervisor' : ''}`;
    case 'routing.completed': return 'Work finished';
    case 'routing.cancelled': return 'Left the queue';
    case 'routing.overflowed': return 'Moved to another queue';
    case 'chat.message': return `${e.data.authorName}: ${e.data.text.length > 140 ? `${e.data.text.slice(0, 140)}…` : e.data.text}`;
    case 'chat.closed': return 'Chat closed';
    case 'desk.wrapped_up': return e.data.timedOut ? `${n.person(e.data.agentId)} gave no wrap-up in time` : `${n.person(e.data.agentId)} wrapped up${e.data.code ? ` · ${e.data.code}` : ''}`;
    case 'desk.supervising': return `${n.person(e.data.supervisorId)} ${SUPERVISE[e.data.mode]}`;
    case 'desk.supervision_ended': return `${n.person(e.data.supervisorId)} left the call`;
    case 'desk.consult_started':
      if (e.data.mode === 'conference') return `The agent is adding ${e.data.targetName ?? (e.data.queueName ? `an agent of ${e.data.queueName}` : 'someone')} to the call`;
      return `The agent put the caller on hold to consult ${e.data.targetName ?? (e.data.queueName ? `the ${e.data.queueName} queue` : 'someone')}`;
    case 'desk.consult_ringing': return `${e.data.targetName ?? 'An agent'} of ${e.data.queueName ?? 'the queue'} is being called`;
    case 'desk.consult_connected': return 'The colleague answered';
    case 'desk.conference_started': return 'The caller, agent and colleague are all talking';
    case 'desk.consult_ended': return 'The consult ended';
    case 'confirm.presented': return `Card shown: ${e.data.card.content.title}`;
    case 'confirm.answered': return `Card ${CARD_ANSWER[e.data.status] ?? 'answered'}: ${e.data.title}`;
    case 'confirm.expired': return e.data.reason === 'call_ended' ? 'A card closed with the call' : 'A card timed out unanswered';
    case 'deflect.offered': return 'Offered a link instead of waiting';
    case 'deflect.sms.sent': return 'Link sent by SMS';
    case 'deflect.sms.failed': return "The link's SMS could not be sent";
    case 'deflect.link.opened': return 'The caller opened the link';
    case 'deflect.call.terminated': return 'The call moved to the link';
    case 'deflect.resumed': return 'Back on the call';
    case 'deflect.chosen': return e.data.choice ? `Chose “${e.data.choice.label}”` : 'Made a choice on the link';
    case 'callback.booked': return `Callback booked for ${formatDateTime(e.data.slotAt)}`;
    case 'callback.cancelled': return 'Callback cancelled';
    case 'callback.dialing': return 'Calling back';
    case 'callback.connected': return 'Callback connected';
    case 'callback.failed': return 'Callback failed';
    case 'sms.sent': return 'Text message sent';
    case 'sms.delivered': return 'Text message delivered';
    case 'sms.failed': return 'Text message could not be sent';
    case 'sms.received': return 'Text message received';
    default: return eventName(e.type);
  }
}

/** "vault.speak_started" → "Vault speak started". */
function eventName(type: string): string {
  const words = type.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
