import type { ConversationRole, InviteDelivery } from '../api/conversations.js';

/** Conversation events (social audio): invites, going live, extending the stage, moderation, ending. */
export interface ConversationEvents {
  'conversation.invited': { conversationId: string; topic: string; userId: string; by: string; delivery: InviteDelivery };
  'conversation.started': { conversationId: string; roomId: string; topic: string };
  /** Someone came on stage (promoted, or an invite accepted after it went live). */
  'conversation.extended': { conversationId: string; userId: string | null; participantId: string | null; role: ConversationRole };
  'conversation.ended': { conversationId: string; durationSeconds: number };
  'conversation.hand_raised': { conversationId: string; userId: string; raised: boolean };
  'conversation.promoted': { conversationId: string; userId: string | null; participantId: string | null; role: ConversationRole; by: string };
  'conversation.removed': { conversationId: string; participantId: string; userId: string | null; blocked: boolean; by: string };
  'conversation.reported': { conversationId: string; reportId: string; participantId: string; by: string };
  'conversation.recording_started': { conversationId: string; recordingId: string };
  'conversation.recording_available': { conversationId: string; recordingId: string; durationSeconds: number };
}
