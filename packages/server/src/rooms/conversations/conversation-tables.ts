import type { ConversationRole, ConversationStatus, ReplayAccess } from '@callsight/protocol';

/** Row types of the conversation tables (migration 0017), merged into the store's Database. */
export interface ConversationsTable {
  id: string;
  tenant_id: string;
  room_id: string;
  topic: string;
  status: ConversationStatus;
  created_by: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  /** The room recording of the conversation (migration 0022), once a host started one. */
  recording_id: string | null;
  replay_access: ReplayAccess | null;
  /** What a phone caller keys to listen in (migration 0033); null for older conversations. */
  dial_code: string | null;
}

export interface ConversationMembersTable {
  conversation_id: string;
  user_id: string;
  tenant_id: string;
  name: string;
  role: ConversationRole;
  invite: 'invited' | 'accepted' | 'declined' | null;
  /** 1 once a host removed them: no new join token is minted for them. */
  banned: number;
  hand_raised_at: number | null;
  updated_at: number;
}

/** `blocker` takes no invites from `blocked`. */
export interface UserBlocksTable {
  tenant_id: string;
  blocker_id: string;
  blocked_id: string;
  created_at: number;
}

export interface ConversationReportsTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  reporter_id: string;
  participant_id: string;
  target_user_id: string | null;
  reason: string;
  created_at: number;
}

declare module '../../store/schema.js' {
  interface Database {
    conversations: ConversationsTable;
    conversation_members: ConversationMembersTable;
    user_blocks: UserBlocksTable;
    conversation_reports: ConversationReportsTable;
  }
}
