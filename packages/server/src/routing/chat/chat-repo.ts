import type { ChatMessage, Conversation } from '@callsight/protocol';
import { newId } from '../../core/ids.js';
import type { Store } from '../../store/store.js';
import type { ChatConversationsTable, ChatMessagesTable } from '../routing-tables.js';

export type { ChatMessage, Conversation };


const toConversation = (r: ChatConversationsTable): Conversation => ({
  id: r.id,
  tenantId: r.tenant_id,
  interactionId: r.interaction_id,
  itemId: r.item_id,
  visitorName: r.visitor_name,
  customerId: r.customer_id,
  state: r.state,
  createdAt: Number(r.created_at),
  closedAt: r.closed_at == null ? null : Number(r.closed_at),
});

const toMessage = (r: ChatMessagesTable): ChatMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  author: r.author,
  authorId: r.author_id,
  authorName: r.author_name,
  text: r.text,
  createdAt: Number(r.created_at),
});

/** Web-chat conversations and their messages. */
export class ChatRepo {
  constructor(private readonly store: Store) {}

  async create(c: Omit<Conversation, 'id' | 'state' | 'createdAt' | 'closedAt' | 'itemId'>): Promise<Conversation> {
    const row: ChatConversationsTable = {
      id: newId('chat'),
      tenant_id: c.tenantId,
      interaction_id: c.interactionId,
      item_id: null,
      visitor_name: c.visitorName,
      customer_id: c.customerId,
      state: 'open',
      created_at: Date.now(),
      closed_at: null,
    };
    await this.store.db.insertInto('chat_conversations').values(row).execute();
    return toConversation(row);
  }

  async get(tenantId: string, id: string): Promise<Conversation | undefined> {
    const r = await this.store.db.selectFrom('chat_conversations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r && toConversation(r);
  }

  async byItem(itemId: string): Promise<Conversation | undefined> {
    const r = await this.store.db.selectFrom('chat_conversations').selectAll().where('item_id', '=', itemId).executeTakeFirst();
    return r && toConversation(r);
  }

  async setItem(id: string, itemId: string): Promise<void> {
    await this.store.db.updateTable('chat_conversations').set({ item_id: itemId }).where('id', '=', id).execute();
  }

  /** True only for the call that closed it (several processes may try). */
  async close(id: string): Promise<boolean> {
    const r = await this.store.db.updateTable('chat_conversations').set({ state: 'closed', closed_at: Date.now() }).where('id', '=', id).where('state', '=', 'open').executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async addMessage(m: Omit<ChatMessage, 'id' | 'createdAt'> & { tenantId: string }): Promise<ChatMessage> {
    const row: ChatMessagesTable = {
      id: newId('msg'),
      tenant_id: m.tenantId,
      conversation_id: m.conversationId,
      author: m.author,
      author_id: m.authorId,
      author_name: m.authorName,
      text: m.text,
      created_at: Date.now(),
    };
    await this.store.db.insertInto('chat_messages').values(row).execute();
    return toMessage(row);
  }

  async messages(conversationId: string, limit = 500): Promise<ChatMessage[]> {
    return (await this.store.db.selectFrom('chat_messages').selectAll().where('conversation_id', '=', conversationId).orderBy('id').limit(limit).execute()).map(toMessage);
  }
}
