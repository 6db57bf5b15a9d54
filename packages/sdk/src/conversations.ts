import type { ConversationInfo, ConversationJoin, ConversationPerson, InviteDelivery, ReplayAccess, StartConversationInput } from '@callsight/protocol';
import { enc, type Send } from './request.js';

/**
 * Social audio conversations: `client.conversations.start({topic, invite})` → a host join
 * token for `Room.join`; invitees `accept`, others `join` from the `feed` as listeners,
 * raise a hand, and are `promote`d without reconnecting (see `Room.prepareToSpeak`).
 */
export function conversationMethods(send: Send) {
  const c = (id: string, tail = '') => `/api/conversations/${enc(id)}${tail}`;
  return {
    start: (input: StartConversationInput) => send<ConversationJoin & { deliveries: Record<string, InviteDelivery> }>('POST', '/api/conversations', { body: input }),
    /** Live conversations you may hear (and ones inviting you), busiest first. */
    feed: (opts: { topic?: string } = {}) => send<{ items: ConversationInfo[] }>('GET', '/api/conversations', { query: opts }),
    people: () => send<{ items: ConversationPerson[] }>('GET', '/api/conversations/people'),
    get: (id: string) => send<ConversationInfo>('GET', c(id)),
    invite: (id: string, userIds: string[]) => send<{ deliveries: Record<string, InviteDelivery> }>('POST', c(id, '/invites'), { body: { invite: userIds } }),
    accept: (id: string) => send<ConversationJoin>('POST', c(id, '/accept')),
    decline: (id: string) => send<void>('POST', c(id, '/decline')),
    join: (id: string) => send<ConversationJoin>('POST', c(id, '/join')),
    raiseHand: (id: string, raised = true) => send<ConversationInfo>('POST', c(id, '/hand'), { body: { raised } }),
    promote: (id: string, participantId: string, role: 'speaker' | 'cohost' = 'speaker') => send<ConversationInfo>('POST', c(id, '/promote'), { body: { participantId, role } }),
    /** Step down yourself, or (hosts) move someone back to the audience. */
    demote: (id: string, participantId: string) => send<ConversationInfo>('POST', c(id, '/demote'), { body: { participantId } }),
    handOver: (id: string, participantId: string) => send<ConversationInfo>('POST', c(id, '/host'), { body: { participantId } }),
    mute: (id: string, participantId: string, muted = true) => send<ConversationInfo>('POST', c(id, '/mute'), { body: { participantId, muted } }),
    /** Hosts: the participant leaves and cannot rejoin. */
    remove: (id: string, participantId: string) => send<ConversationInfo>('POST', c(id, '/remove'), { body: { participantId } }),
    report: (id: string, participantId: string, reason: string) => send<{ reportId: string }>('POST', c(id, '/reports'), { body: { participantId, reason } }),
    /** Hosts: record it (once); everyone in it sees REC. `access`: who may replay it afterwards. */
    startRecording: (id: string, access: ReplayAccess = 'everyone') => send<ConversationInfo>('POST', c(id, '/recording'), { body: { access } }),
    stopRecording: (id: string) => send<ConversationInfo>('POST', c(id, '/recording/stop')),
    /** Ended, recorded conversations you may replay; play `recording.url` (audio/ogg Opus, byte ranges). */
    replays: () => send<{ items: ConversationInfo[] }>('GET', '/api/conversations/replays'),
    /** They can no longer invite you. */
    block: (userId: string, blocked = true) => send<void>('PUT', `/api/conversations/blocks/${enc(userId)}`, { body: { blocked } }),
  };
}
