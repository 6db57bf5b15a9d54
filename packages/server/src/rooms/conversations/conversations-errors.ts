import type { ErrorSpecs } from '../../core/error-spec.js';

/** Codes of social audio conversations. */
export const CONVERSATIONS_ERRORS = {
  conversation_unknown_user: { status: 404, title: 'That person is not in your organisation' },
  conversation_blocked: { status: 403, title: 'That person does not take invites from you' },
  conversation_ended: { status: 409, title: 'The conversation has ended' },
  conversation_banned: { status: 403, title: 'You were removed from this conversation' },
  conversation_not_allowed: { status: 403, title: 'Only a host can do that in this conversation' },
  conversation_not_present: { status: 409, title: 'That person is not in the conversation now' },
  conversation_already_on_stage: { status: 409, title: 'Already speaking in this conversation' },
  conversation_invalid_invite: { status: 400, title: 'Invite at least one other person' },
  conversation_already_recorded: { status: 409, title: 'This conversation is already recorded' },
  conversation_not_recording: { status: 409, title: 'This conversation is not being recorded' },
  conversation_replay_not_ready: { status: 409, title: 'The replay is not ready yet' },
  conversation_replay_private: { status: 403, title: 'Only the people who were in this conversation can replay it' },
  conversation_replay_expired: { status: 410, title: 'This replay has expired' },
} as const satisfies ErrorSpecs;
