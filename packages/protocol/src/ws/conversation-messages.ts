import type { ConversationInfo } from '../api/conversations.js';

/**
 * Pushed on /api/ws to signed-in users: an invite rings (`conversation.ring`), and each
 * member present gets the conversation's info whenever it changes (who, topic, how many
 * listen, raised hands).
 */
export type ConversationPushMessage =
  | { kind: 'conversation.ring'; conversation: ConversationInfo; from: string }
  | { kind: 'conversation.updated'; conversation: ConversationInfo }
  | { kind: 'conversation.removed'; conversationId: string; blocked: boolean };
